"""The one place that turns settings into a language-model provider.

Embedded by default (nothing to run, nothing to reach); an OpenAI-compatible server when
``DUETTO_LLM_URL`` is set. Engines that drive decoding token by token (the poet) need the embedded
model's logits and ask for ``embedded`` directly; everything that only needs completions (brief
understanding, stories, scripts) goes through here.
"""

from __future__ import annotations

from duetto.llm.base import Provider
from duetto.llm.embedded import EmbeddedProvider
from duetto.llm.openai_compat import OpenAICompatProvider
from duetto.settings import Settings


def provider_from_settings(settings: Settings, model: str | None = None) -> Provider:
    if settings.llm_url:
        return OpenAICompatProvider(settings.llm_url, model or settings.llm_model, timeout_s=settings.llm_timeout)
    return embedded(settings, model)


def embedded(settings: Settings, model: str | None = None, n_ctx: int = 4096) -> EmbeddedProvider:
    return EmbeddedProvider.from_catalogue(
        model or settings.llm_model, settings.model_cache, progress=True, n_threads=settings.threads, n_ctx=n_ctx
    )


class Providers:
    """Embedded providers by model name, each loaded once and kept for the engine's lifetime
    (loading a GGUF costs seconds; an engine asks for its model on every generate)."""

    def __init__(self, settings: Settings, n_ctx: int = 4096) -> None:
        self.settings = settings
        self.n_ctx = n_ctx
        self._loaded: dict[str, EmbeddedProvider] = {}

    def get(self, model: str) -> EmbeddedProvider:
        if model not in self._loaded:
            self._loaded[model] = embedded(self.settings, model, n_ctx=self.n_ctx)
        return self._loaded[model]
