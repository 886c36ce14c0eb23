"""``OpenAICompatProvider``: any server that speaks OpenAI's ``/v1/chat/completions``.

That covers llama-cpp-python's and llama.cpp's own servers, vLLM, Ollama and hosted APIs, so a
studio can move its model off the laptop without changing a line above this file.

Failures are sorted into the error family so the person knows what to do: the server is not
running (``LLMUnavailable``), it is too slow for the timeout (``LLMTimeout``), it answered with an
HTTP error or with something that is not the protocol (``LLMBadResponse``, with the status and a
short excerpt of the body). Connection failures and 5xx/429 answers are retried a bounded number
of times with exponential backoff; timeouts are not (retrying a slow server only makes it slower),
and nothing is retried once tokens have reached ``on_token``.

Constrained JSON has two dialects: OpenAI's ``{"type": "json_schema", "json_schema": {...}}``
and llama-cpp-python's ``{"type": "json_object", "schema": {...}}``. With ``schema_style="auto"``
the provider tries OpenAI's first and, if the server rejects the request's ``response_format``,
switches to the other for the rest of its life.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, Literal

import httpx

from duetto.llm.base import (
    Completion,
    CompletionRequest,
    OnToken,
    TokenLogprob,
    logprobs_from_choice,
)
from duetto.llm.errors import LLMBadResponse, LLMTimeout, LLMUnavailable

SchemaStyle = Literal["auto", "openai", "llama-cpp-python"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_Result = tuple[str, int, int | None, str | None, list[TokenLogprob]]
"""text, completion tokens, prompt tokens, finish reason, logprobs"""


class _SchemaRejected(Exception):
    """The server refused the OpenAI ``json_schema`` response format: try the other dialect."""


def _excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class OpenAICompatProvider:
    """Chat completions over HTTP; one ``httpx.Client`` (connection pool) per provider.

    ``base_url`` includes the API prefix, e.g. ``http://127.0.0.1:8080/v1``. The API key, if any,
    is read from the environment variable named ``api_key_env`` so it never lands in a recipe.
    """

    name = "openai-compat"

    def __init__(
        self,
        base_url: str,
        model: str | None = None,
        *,
        api_key_env: str = "DUETTO_LLM_API_KEY",
        timeout_s: float = 120.0,
        connect_timeout_s: float = 5.0,
        retries: int = 2,
        backoff_s: float = 0.5,
        schema_style: SchemaStyle = "auto",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if retries < 0 or backoff_s < 0:
            raise ValueError("retries and backoff_s must be >= 0")
        self.base_url = base_url.rstrip("/")
        self._model = model
        self.retries = retries
        self.backoff_s = backoff_s
        self.schema_style: SchemaStyle = schema_style
        headers = {"Accept": "application/json"}
        api_key = os.environ.get(api_key_env)
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s),
            headers=headers,
            transport=transport,
        )
        self._models_info: list[dict[str, Any]] | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpenAICompatProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- identity ----------------------------------------------------------------------------

    def _models(self) -> list[dict[str, Any]]:
        if self._models_info is None:
            data = self._request_json("GET", "/models", None)
            models = data.get("data") if isinstance(data, dict) else None
            if not isinstance(models, list):
                raise LLMBadResponse(f"{self.base_url}/models did not list models: {_excerpt(json.dumps(data))}")
            self._models_info = [m for m in models if isinstance(m, dict)]
        return self._models_info

    @property
    def model_id(self) -> str:
        """The model name sent to the server; asked of ``/models`` (first entry) when not given."""
        if self._model is None:
            models = self._models()
            if not models or not isinstance(models[0].get("id"), str):
                raise LLMBadResponse(f"{self.base_url}/models lists no model", hint="pass model= explicitly")
            self._model = models[0]["id"]
        return self._model

    def build_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"provider": self.name, "base_url": self.base_url, "model": self.model_id}
        for entry in self._models():
            if entry.get("id") == self.model_id:
                info["server_model"] = entry
        return info

    # -- completion --------------------------------------------------------------------------

    def _body(self, request: CompletionRequest, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model_id,
            "messages": [m.model_dump() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "seed": request.seed,
            "stream": stream,
        }
        if request.stop:
            body["stop"] = request.stop
        if request.frequency_penalty or request.presence_penalty:
            body |= {"frequency_penalty": request.frequency_penalty, "presence_penalty": request.presence_penalty}
        if request.json_schema is not None:
            if self.schema_style == "llama-cpp-python":
                body["response_format"] = {"type": "json_object", "schema": request.json_schema}
            else:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "duetto", "schema": request.json_schema, "strict": True},
                }
        if request.grammar is not None:
            body["grammar"] = request.grammar  # llama.cpp-family servers only; others answer 400
        if request.logprobs is not None:
            body["logprobs"] = True
            if request.logprobs:
                body["top_logprobs"] = request.logprobs
        return body

    def complete(self, request: CompletionRequest, on_token: OnToken | None = None) -> Completion:
        started = time.perf_counter()
        try:
            result = self._chat(self._body(request, stream=on_token is not None), on_token)
        except _SchemaRejected:
            self.schema_style = "llama-cpp-python"
            result = self._chat(self._body(request, stream=on_token is not None), on_token)
        text, tokens, prompt_tokens, reason, logprobs = result
        return Completion.timed(
            text=text, tokens=tokens, prompt_tokens=prompt_tokens, started=started, reason=reason,
            model_id=self.model_id, logprobs=logprobs if request.logprobs is not None else None,
        )

    def _chat(self, body: dict[str, Any], on_token: OnToken | None) -> _Result:
        url = f"{self.base_url}/chat/completions"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                with self._client.stream("POST", url, json=body) as resp:
                    if resp.status_code >= 400:
                        resp.read()
                        if self._schema_rejected(resp, body):
                            raise _SchemaRejected
                        if resp.status_code in RETRY_STATUSES and not last:
                            self._sleep(attempt)
                            continue
                        self._raise_status(resp)
                    if body["stream"]:
                        return self._read_stream(resp, on_token)
                    resp.read()
                    return self._read_message(self._decode(resp))
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if not last:
                    self._sleep(attempt)
                    continue
                raise self._unavailable(exc) from None
            except httpx.TimeoutException as exc:
                raise LLMTimeout(
                    f"{url} did not answer within {self._client.timeout.read}s ({type(exc).__name__})",
                    hint="raise timeout_s, lower max_tokens, or use a smaller model",
                ) from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                raise LLMUnavailable(f"{url} dropped the connection: {exc}") from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _request_json(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        url = f"{self.base_url}{path}"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                resp = self._client.request(method, url, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if not last:
                    self._sleep(attempt)
                    continue
                raise self._unavailable(exc) from None
            except httpx.TimeoutException:
                raise LLMTimeout(f"{url} did not answer within {self._client.timeout.read}s") from None
            if resp.status_code in RETRY_STATUSES and not last:
                self._sleep(attempt)
                continue
            if resp.status_code >= 400:
                self._raise_status(resp)
            return self._decode(resp)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff_s * (2**attempt))

    def _unavailable(self, exc: Exception) -> LLMUnavailable:
        return LLMUnavailable(
            f"cannot reach the model server at {self.base_url} after {self.retries + 1} tries: {exc}",
            hint="is the server running? e.g. python -m llama_cpp.server --model <gguf> --host 127.0.0.1",
        )

    def _schema_rejected(self, resp: httpx.Response, body: dict[str, Any]) -> bool:
        """Did the server refuse OpenAI's ``json_schema`` format? (llama-cpp-python says so with a
        500 whose body names ``response_format``, others with 400 or 422.)"""
        return (
            self.schema_style == "auto"
            and "response_format" in body
            and resp.status_code in (400, 422, 500)
            and "response_format" in resp.text
        )

    def _raise_status(self, resp: httpx.Response) -> None:
        raise LLMBadResponse(
            f"{resp.request.url} answered HTTP {resp.status_code}: {_excerpt(resp.text) or '(empty body)'}"
        )

    def _decode(self, resp: httpx.Response) -> Any:
        try:
            return json.loads(resp.content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise LLMBadResponse(
                f"{resp.request.url} answered with invalid JSON: {_excerpt(resp.text) or '(empty body)'}",
                hint="is base_url an OpenAI-compatible API (usually ending in /v1)?",
            ) from None


    def _read_message(self, data: Any) -> _Result:
        try:
            choice = data["choices"][0]
            text = choice["message"]["content"] or ""
            usage = data.get("usage") or {}
            tokens = int(usage.get("completion_tokens", 0))
            prompt_tokens = usage.get("prompt_tokens")
            return text, tokens, prompt_tokens, choice.get("finish_reason"), logprobs_from_choice(choice)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise LLMBadResponse(
                f"{self.base_url} answered JSON without a chat completion ({exc!r}): {_excerpt(json.dumps(data))}"
            ) from None

    def _read_stream(self, resp: httpx.Response, on_token: OnToken | None) -> _Result:
        """Server-sent events: ``data: {chunk}`` lines, ending with ``data: [DONE]``."""
        pieces: list[str] = []
        logprobs: list[TokenLogprob] = []
        reason: str | None = None
        usage: dict[str, Any] = {}
        content_chunks = 0
        for line in resp.iter_lines():
            if not line.startswith("data:"):
                continue  # comments (": ping"), event names, blank separators
            payload = line[5:].strip()
            if payload == "[DONE]":
                break
            try:
                chunk = json.loads(payload)
                usage = chunk.get("usage") or usage
                if not chunk.get("choices"):
                    continue
                choice = chunk["choices"][0]
                piece = (choice.get("delta") or {}).get("content") or ""
                reason = choice.get("finish_reason") or reason
                logprobs.extend(logprobs_from_choice(choice))
            except (json.JSONDecodeError, AttributeError, KeyError, IndexError, TypeError) as exc:
                raise LLMBadResponse(
                    f"{resp.request.url} streamed an invalid event ({exc!r}): {_excerpt(payload)}"
                ) from None
            if piece:
                content_chunks += 1
                pieces.append(piece)
                if on_token is not None:
                    on_token(piece)
        # Servers that send no usage in streams emit one content chunk per token.
        tokens = int(usage.get("completion_tokens", content_chunks))
        return "".join(pieces), tokens, usage.get("prompt_tokens"), reason, logprobs
