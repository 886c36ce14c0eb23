"""The one small interface every language model sits behind: a request in, a completion out.

A ``CompletionRequest`` is plain data (it can be stored in a recipe, hashed, replayed); the
streaming callback is therefore an argument of ``complete`` and not a field. Two providers
implement it: ``EmbeddedProvider`` (llama.cpp in this process, from a GGUF in the cache) and
``OpenAICompatProvider`` (any server speaking the OpenAI chat-completions protocol). Callers
never need to know which one they hold.

``model_id`` and ``build_info`` exist for replay: the same request with the same seed gives the
same text only on the same model file and the same llama.cpp build, so a recipe records both and
a replay elsewhere can say why its text differs instead of failing silently.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from duetto.llm.errors import LLMInvalidOutput

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length"]
OnToken = Callable[[str], None]
"""``on_token(text)``: called with each piece of text as it is generated (for live display)."""

T = TypeVar("T", bound=BaseModel)


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    content: str


class CompletionRequest(BaseModel):
    """What to ask a model, in the terms every provider understands."""

    model_config = ConfigDict(extra="forbid")

    messages: list[Message] = Field(min_length=1)
    max_tokens: int = Field(default=256, ge=1, le=32768)
    temperature: float = Field(default=0.7, ge=0.0, le=2.0, description="0 means greedy.")
    top_p: float = Field(default=0.95, gt=0.0, le=1.0)
    seed: int = Field(default=0, ge=0, lt=2**31, description="llama.cpp seeds are 32-bit.")
    frequency_penalty: float = Field(
        default=0.0, ge=-2.0, le=2.0,
        description="Lower a token's odds by how often it already appeared (OpenAI semantics): "
                    "small models loop on long prose without it.",
    )
    presence_penalty: float = Field(default=0.0, ge=-2.0, le=2.0,
                                    description="Lower a token's odds once it has appeared at all.")
    stop: list[str] = Field(default_factory=list, max_length=8)
    # Repetition stopped while decoding (``duetto.llm.guard``; the embedded provider only: a
    # server has no logits hook, so these are ignored there and the checks after generation
    # are what hold a served model to them).
    avoid: list[str] = Field(
        default_factory=list, max_length=64,
        description="Text already written in the work: its sentences and n-grams must not be written again.",
    )
    no_repeat_ngram: int = Field(default=0, ge=0, le=64,
                                 description="Never write a run of this many tokens twice (0: off).")
    block_sentences: bool = Field(default=False, description="Never end a sentence already written in the work.")
    wrap_up_after: int | None = Field(
        default=None, ge=1, le=32768,
        description="After this many tokens, end the turn at the first sentence end "
                    "(max_tokens stays the hard limit: leave room for the sentence to finish).",
    )
    json_schema: dict[str, Any] | None = Field(
        default=None, description="Constrain the output to JSON valid against this schema."
    )
    grammar: str | None = Field(default=None, description="Constrain the output with a GBNF grammar.")
    logprobs: int | None = Field(
        default=None, ge=0, le=20,
        description="Return each token's log-probability and this many top alternatives (0: none).",
    )

    @model_validator(mode="after")
    def _one_constraint(self) -> CompletionRequest:
        if self.json_schema is not None and self.grammar is not None:
            raise ValueError("give json_schema or grammar, not both")
        return self

    @classmethod
    def chat(cls, user: str, *, system: str | None = None, **options: Any) -> CompletionRequest:
        """The common case: an optional system prompt and one user turn."""
        messages = [Message(role="system", content=system)] if system else []
        messages.append(Message(role="user", content=user))
        return cls(messages=messages, **options)


class TokenLogprob(BaseModel):
    token: str
    logprob: float
    top: dict[str, float] = Field(default_factory=dict, description="Alternatives and their logprobs.")


class Completion(BaseModel):
    """What came back, with the numbers a person or a benchmark wants to see."""

    text: str
    tokens: int = Field(description="Completion tokens generated.")
    prompt_tokens: int | None = None
    seconds: float
    tokens_per_s: float
    finish_reason: FinishReason
    model_id: str
    logprobs: list[TokenLogprob] | None = None

    @classmethod
    def timed(
        cls,
        *,
        text: str,
        tokens: int,
        prompt_tokens: int | None,
        started: float,
        reason: str | None,
        model_id: str,
        logprobs: list[TokenLogprob] | None,
    ) -> Completion:
        """A completion that began at ``started`` (``time.perf_counter()``) and ends now."""
        seconds = time.perf_counter() - started
        return cls(text=text, tokens=tokens, prompt_tokens=prompt_tokens, seconds=round(seconds, 4),
                   tokens_per_s=rate(tokens, seconds), finish_reason=finish(reason), model_id=model_id,
                   logprobs=logprobs)

    def json_value(self) -> Any:
        """The text parsed as JSON; ``LLMInvalidOutput`` with an excerpt if it is not JSON."""
        try:
            # strict=False: a raw newline or tab inside a string (some grammars let them through)
            # is harmless to us; every caller tidies whitespace anyway
            return json.loads(self.text, strict=False)
        except json.JSONDecodeError as exc:
            hint = "the output was cut off: raise max_tokens" if self.finish_reason == "length" else None
            raise LLMInvalidOutput(f"model output is not JSON ({exc.msg}): {self.text[:120]!r}", hint=hint) from None

    def parse(self, model: type[T]) -> T:
        """The text validated into ``model`` (use with ``json_schema=model.model_json_schema()``)."""
        try:
            return model.model_validate(self.json_value())
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors())
            raise LLMInvalidOutput(f"model output does not fit {model.__name__}: {problems}") from None


def logprobs_from_choice(choice: dict[str, Any]) -> list[TokenLogprob]:
    """Per-token log-probabilities from an OpenAI-format choice (llama.cpp answers the same way)."""
    content = (choice.get("logprobs") or {}).get("content") or []
    return [
        TokenLogprob(
            token=item["token"],
            logprob=float(item["logprob"]),
            top={t["token"]: float(t["logprob"]) for t in item.get("top_logprobs") or []},
        )
        for item in content
    ]


def finish(reason: str | None) -> FinishReason:
    """Map the many spellings servers use onto ours ("length" stays, everything else is a stop)."""
    return "length" if reason == "length" else "stop"


def rate(tokens: int, seconds: float) -> float:
    return round(tokens / seconds, 3) if seconds > 0 else 0.0


@runtime_checkable
class Provider(Protocol):
    """Something that completes chat requests: an embedded model or a server."""

    @property
    def name(self) -> str: ...

    @property
    def model_id(self) -> str: ...

    def build_info(self) -> dict[str, Any]: ...

    def complete(self, request: CompletionRequest, on_token: OnToken | None = None) -> Completion: ...
