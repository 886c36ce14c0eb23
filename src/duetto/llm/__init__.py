"""Language models for duetto: a catalogue of embedded GGUF models and two providers behind one
``Provider`` protocol (llama.cpp in-process, or any OpenAI-compatible server).

Importing this package is cheap: llama-cpp-python is imported only when an embedded model is
first loaded, and httpx only with ``duetto.llm.openai_compat``.
"""

from __future__ import annotations

from duetto.llm.base import (
    Completion,
    CompletionRequest,
    Message,
    OnToken,
    Provider,
    TokenLogprob,
)
from duetto.llm.models import (
    CATALOGUE,
    DEFAULT_MODEL,
    FAST_MODEL,
    ModelSpec,
    ModelStatus,
    ensure_model,
    list_models,
    remove,
    verify,
)

__all__ = [
    "CATALOGUE",
    "DEFAULT_MODEL",
    "FAST_MODEL",
    "Completion",
    "CompletionRequest",
    "Message",
    "ModelSpec",
    "ModelStatus",
    "OnToken",
    "Provider",
    "TokenLogprob",
    "ensure_model",
    "list_models",
    "remove",
    "verify",
]
