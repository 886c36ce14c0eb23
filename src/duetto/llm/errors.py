"""The language-model layer's members of the one ``DuettoError`` family.

They subclass the studio's own classes, so the CLI's exit codes and the API's statuses still come
from the family; each adds a stable ``code`` of its own so that a caller can tell "the model is not
installed" (fix: pip install) from "the server is down" (fix: start it) without parsing messages.
"""

from __future__ import annotations

from duetto.errors import EngineFailure, InvalidInput, NotFound


class ModelNotInstalled(NotFound):
    """A model's part packages are missing, or the joined file is not in the cache yet."""

    code = "model_not_installed"


class ModelCorrupt(EngineFailure):
    """A joined GGUF (or a part it is built from) has the wrong size, hash or header."""

    code = "model_corrupt"


class LLMUnavailable(EngineFailure):
    """The model cannot be reached: the server is down or the local model will not load."""

    code = "llm_unavailable"
    http_status = 503


class LLMTimeout(EngineFailure):
    """The model answered too slowly for the configured timeout."""

    code = "llm_timeout"
    http_status = 504


class LLMBadResponse(EngineFailure):
    """The server answered, but not with what the OpenAI protocol promises (HTTP error, bad JSON)."""

    code = "llm_bad_response"
    http_status = 502


class LLMInvalidOutput(InvalidInput):
    """The model's text does not parse into the structure the caller asked for."""

    code = "llm_invalid_output"
