"""``EmbeddedProvider``: llama.cpp in this process, reading a GGUF from duetto's model cache.

Why these choices:

- **Fixed threads and a per-request seed.** llama.cpp on CPU gives the same tokens for the same
  model file, build, thread count, prompt and seed. We also clear the context before every request
  (``reset``), so an earlier request's cached prefix cannot change how this prompt is evaluated;
  that costs one prompt evaluation per request, which is small next to generation.
- **Lazy, reused loading.** Loading takes a second or more and hundreds of MB, so it happens on
  the first ``complete`` and the model then lives as long as the provider object.
- **The GGUF's own chat template** (llama-cpp-python reads ``tokenizer.chat_template``), so the
  prompt is the one the model was trained on.
- **Constraints as grammars.** ``json_schema`` becomes a GBNF grammar
  (``LlamaGrammar.from_json_schema``), so even a prompt that begs for a poem can only produce JSON
  that fits the schema (though it can still be cut off by ``max_tokens``).
- **Logprobs on demand.** llama.cpp keeps logits for every position only with ``logits_all``,
  which costs memory and slows prompt evaluation, so the model is loaded without it and
  reloaded once with it the first time a request asks for logprobs.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duetto.errors import InvalidInput
from duetto.llm.base import (
    Completion,
    CompletionRequest,
    OnToken,
    TokenLogprob,
    logprobs_from_choice,
)
from duetto.llm.errors import LLMUnavailable, ModelCorrupt, ModelNotInstalled
from duetto.llm.gguf import read_header
from duetto.llm.guard import Guard, Vocabulary
from duetto.llm.models import CATALOGUE, ensure_model, get_spec, sha256_of

if TYPE_CHECKING:
    from llama_cpp import Llama, LlamaGrammar


def _import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise LLMUnavailable(
            f"llama-cpp-python is not importable: {exc}",
            hint='install it: CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install "llama-cpp-python==0.3.36"',
        ) from None
    return llama_cpp


class EmbeddedProvider:
    """A GGUF model run by llama.cpp inside duetto; thread-unsafe (one request at a time)."""

    name = "embedded"

    def __init__(
        self,
        model_path: Path,
        *,
        model_id: str | None = None,
        n_threads: int = 2,
        n_ctx: int = 4096,
        n_batch: int = 512,
        load_seed: int = 0,
    ) -> None:
        if n_threads < 1 or n_ctx < 256:
            raise InvalidInput("n_threads must be >= 1 and n_ctx >= 256")
        self.model_path = Path(model_path)
        self.n_threads = n_threads
        self.n_ctx = n_ctx
        self.n_batch = n_batch
        self.load_seed = load_seed
        self._model_id = model_id
        self._llm: Llama | None = None
        self._logits_all = False
        self._build_info: dict[str, Any] | None = None
        self._vocabulary: Vocabulary | None = None
        self.load_seconds: float | None = None

    @classmethod
    def from_catalogue(cls, name: str, cache: Path, *, progress: bool = False, **options: Any) -> EmbeddedProvider:
        """A provider for a catalogue model, joining it into ``cache`` first if needed."""
        spec = get_spec(name, CATALOGUE)
        path = ensure_model(name, cache, progress=progress)
        return cls(path, model_id=spec.short_id, **options)

    # -- identity ----------------------------------------------------------------------------

    @property
    def model_id(self) -> str:
        """``<file stem>@<sha256 prefix>``; hashes the file once when the catalogue didn't say."""
        if self._model_id is None:
            self._check_file()
            self._model_id = f"{self.model_path.stem}@{sha256_of(self.model_path)[:12]}"
        return self._model_id

    def build_info(self) -> dict[str, Any]:
        """What a replay must match to promise the same text: library versions and CPU features."""
        if self._build_info is None:
            llama_cpp = _import_llama_cpp()
            libs: dict[str, str] = {}
            lib_dir = resources.files("llama_cpp") / "lib"
            if lib_dir.is_dir():
                for entry in sorted(lib_dir.iterdir(), key=lambda e: e.name):
                    path = Path(str(entry))
                    is_library = ".so" in path.name or path.suffix in (".dylib", ".dll")
                    if is_library and path.is_file():
                        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
                        if digest not in libs.values():  # wheels copy lib.so, lib.so.0, lib.so.0.25.3
                            libs[path.name] = digest
            self._build_info = {
                "provider": self.name,
                "llama_cpp_python": metadata.version("llama-cpp-python"),
                "llama_cpp": llama_cpp.llama_version().decode(),
                "system_info": llama_cpp.llama_print_system_info().decode().strip(),
                "libraries": libs,
                "n_threads": self.n_threads,
                "n_ctx": self.n_ctx,
                "n_batch": self.n_batch,
            }
        return dict(self._build_info, model_id=self.model_id)

    # -- loading -----------------------------------------------------------------------------

    def _check_file(self) -> None:
        if not self.model_path.is_file():
            raise ModelNotInstalled(
                f"model file {self.model_path} does not exist",
                hint="run: duetto models install <name> (see duetto models list)",
            )

    def _load(self, logits_all: bool) -> Llama:
        if self._llm is not None and (self._logits_all or not logits_all):
            return self._llm
        self._check_file()
        read_header(self.model_path)  # ModelCorrupt with a reason, before llama.cpp's bare ValueError
        llama_cpp = _import_llama_cpp()
        self._llm = None  # free the old model before loading its logits_all twin
        started = time.perf_counter()
        try:
            llm = llama_cpp.Llama(
                model_path=str(self.model_path),
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                n_ctx=self.n_ctx,
                n_batch=self.n_batch,
                n_gpu_layers=0,
                seed=self.load_seed,
                logits_all=logits_all,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelCorrupt(
                f"llama.cpp could not load {self.model_path.name}: {exc}",
                hint="check it with: duetto models verify <name>",
            ) from None
        self.load_seconds = round(time.perf_counter() - started, 4)
        self._llm, self._logits_all = llm, logits_all
        return llm

    def llama(self) -> Llama:
        """The loaded llama.cpp model, for engines that drive decoding themselves (poet)."""
        return self._load(logits_all=False)

    def load(self) -> None:
        """Load now instead of on the first request (to time it, or to fail early)."""
        self._load(logits_all=False)

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
            self._llm = None

    # -- completion --------------------------------------------------------------------------

    def _grammar(self, request: CompletionRequest) -> LlamaGrammar | None:
        if request.json_schema is None and request.grammar is None:
            return None
        llama_cpp = _import_llama_cpp()
        try:
            if request.json_schema is not None:
                return llama_cpp.LlamaGrammar.from_json_schema(json.dumps(request.json_schema), verbose=False)
            return llama_cpp.LlamaGrammar.from_string(request.grammar, verbose=False)
        except (ValueError, RuntimeError, KeyError, TypeError) as exc:
            what = "JSON schema" if request.json_schema is not None else "GBNF grammar"
            raise InvalidInput(f"llama.cpp cannot use this {what}: {exc}") from None

    def vocabulary(self) -> Vocabulary:
        """Every token's bytes and the end-of-turn token, for the repetition guard (built once)."""
        if self._vocabulary is None:
            llm = self.llama()
            pieces = [llm.detokenize([t]) for t in range(llm.n_vocab())]
            eos = llm.token_eos()
            # Qwen's chat turns end with <|im_end|>, which llama-cpp-python stops on as EOS
            self._vocabulary = Vocabulary(pieces=pieces, eos=eos)
        return self._vocabulary

    def _guard(self, request: CompletionRequest, llm: Llama) -> Guard | None:
        if not (request.no_repeat_ngram > 1 or request.block_sentences or request.wrap_up_after):
            return None

        def tokenize(text: str) -> list[int]:
            return llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

        return Guard(self.vocabulary(), tokenize, avoid=request.avoid, ngram=request.no_repeat_ngram,
                     block_sentences=request.block_sentences, wrap_up_after=request.wrap_up_after,
                     json_mode=request.json_schema is not None or request.grammar is not None)

    def complete(self, request: CompletionRequest, on_token: OnToken | None = None) -> Completion:
        grammar = self._grammar(request)
        llm = self._load(logits_all=request.logprobs is not None)
        llm.reset()
        kwargs: dict[str, Any] = {
            "messages": [m.model_dump() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "seed": request.seed,
            "frequency_penalty": request.frequency_penalty,
            "presence_penalty": request.presence_penalty,
            "stop": request.stop,
            "grammar": grammar,
        }
        if request.logprobs is not None:
            kwargs |= {"logprobs": True, "top_logprobs": request.logprobs}
        guard = self._guard(request, llm)
        if guard is not None:
            kwargs["logits_processor"] = _import_llama_cpp().LogitsProcessorList([guard])
        started = time.perf_counter()
        if on_token is None:
            out = llm.create_chat_completion(**kwargs)
            choice = out["choices"][0]
            text = choice["message"]["content"] or ""
            tokens = out["usage"]["completion_tokens"]
            prompt_tokens: int | None = out["usage"]["prompt_tokens"]
            reason = choice["finish_reason"]
            logprobs = logprobs_from_choice(choice)
        else:
            text, tokens, reason, logprobs = _stream(llm.create_chat_completion(stream=True, **kwargs), on_token)
            prompt_tokens = None
        return Completion.timed(
            text=text, tokens=tokens, prompt_tokens=prompt_tokens, started=started, reason=reason,
            model_id=self.model_id, logprobs=logprobs if request.logprobs is not None else None,
        )


def _stream(chunks: Iterator[Any], on_token: OnToken) -> tuple[str, int, str | None, list[TokenLogprob]]:
    """Drain a chat-completion stream, forwarding text; each content chunk is one token
    (llama-cpp-python merges the pieces of a character split across tokens, so a count can be
    a little low for text with many rare multi-byte characters)."""
    pieces: list[str] = []
    logprobs: list[TokenLogprob] = []
    reason: str | None = None
    for chunk in chunks:
        choice = chunk["choices"][0]
        piece = choice["delta"].get("content") or ""
        reason = choice.get("finish_reason") or reason
        logprobs.extend(logprobs_from_choice(choice))
        if piece:
            pieces.append(piece)
            on_token(piece)
    return "".join(pieces), len(pieces), reason, logprobs
