"""One error family for the whole studio.

Every failure a user can cause or meet has a stable ``code`` so that the CLI can map it to an exit
status and one line on stderr, and the HTTP API (a later issue) to a 4xx JSON body, without either
of them parsing messages.
"""

from __future__ import annotations


class DuettoError(Exception):
    """Base class: ``code`` is stable, ``message`` is for people, ``exit_code`` is for shells."""

    code: str = "error"
    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InvalidInput(DuettoError):
    code = "invalid_input"
    exit_code = 2
    http_status = 422


class NotFound(DuettoError):
    code = "not_found"
    exit_code = 3
    http_status = 404


class Ambiguous(DuettoError):
    code = "ambiguous_id"
    exit_code = 3
    http_status = 409


class Conflict(DuettoError):
    code = "conflict"
    exit_code = 4
    http_status = 409


class Unauthorized(DuettoError):
    """No credentials, or credentials that do not hold (wrong password, expired or revoked
    session or token, disabled account). A wrong name and a wrong password read the same, so
    the message cannot be used to find out which names exist."""

    code = "unauthorized"
    exit_code = 9
    http_status = 401


class Forbidden(DuettoError):
    """Known person, but their role in the project does not allow the action."""

    code = "forbidden"
    exit_code = 9
    http_status = 403


class StudioUnavailable(DuettoError):
    """The studio directory or database cannot be used (read-only, corrupt, locked)."""

    code = "studio_unavailable"
    exit_code = 5
    http_status = 503


class Unavailable(DuettoError):
    """A feature whose optional package or file is not installed here (a PDF without fpdf2, a
    watermark without the watermark extra): nothing the person did was wrong, and the hint
    says what to install. Each feature keeps its own ``code`` in a subclass."""

    code = "unavailable"
    exit_code = 6
    http_status = 503


class EngineFailure(DuettoError):
    code = "engine_failure"
    exit_code = 6
    http_status = 500


class NotReplayable(DuettoError):
    code = "not_replayable"
    exit_code = 7
    http_status = 409


class ReplayMismatch(DuettoError):
    code = "replay_mismatch"
    exit_code = 8
    http_status = 409
