"""What the store hands upward: plain pydantic records, never live ORM rows.

Keeping sessions inside the repository means the studio and interfaces cannot trigger lazy loads
or half-finished transactions; these models are also what ``--json`` and the HTTP API print.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from duetto.access import Role
from duetto.errors import DuettoError
from duetto.spec import CreativeSpec, SpecDelta


class WorkRecord(BaseModel):
    id: str
    project: str
    title: str
    brief: str
    medium: str
    created_by: str
    created_at: datetime
    deleted: bool = False


class _VersionFields(BaseModel):
    """What a version is, whether about to be stored or read back."""

    id: str
    work_id: str
    parents: list[str]
    operation: str
    author: str
    author_kind: str
    spec: CreativeSpec
    delta: SpecDelta | None = None
    sha256: str
    ext: str
    mime: str
    extras: dict[str, str] = Field(default_factory=dict)
    info: dict[str, Any] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)


class VersionRecord(_VersionFields):
    seq: int
    created_at: datetime
    deleted: bool = False

    @property
    def short(self) -> str:
        return self.id[:10]


class ContributionRecord(BaseModel):
    version_id: str
    contributor: str
    contributor_kind: str
    kind: str
    detail: str


class NewVersion(_VersionFields):
    """Everything the repository needs to insert one version atomically."""

    recipe: dict[str, Any] | None = None
    recipe_digest: str | None = None
    contributions: list[ContributionRecord] = Field(default_factory=list)
    feedback: tuple[str, str, str] | None = None  # (on version id, author, text)


# -- people and access ----------------------------------------------------------------------
# Secrets never appear here: no password hash, token or cookie value, only what is safe to list.


class UserRecord(BaseModel):
    id: str
    name: str
    display_name: str | None = None
    is_admin: bool = False
    has_password: bool = False
    created_at: datetime
    disabled_at: datetime | None = None

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


class MembershipRecord(BaseModel):
    project_id: str
    project: str
    user_id: str
    user: str
    role: Role
    created_at: datetime


class TokenRecord(BaseModel):
    id: str
    user_id: str
    name: str
    prefix: str  # first characters of the token, so a person can tell theirs apart
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class SessionRecord(BaseModel):
    id_hash: str  # sha256 of the cookie value; the cookie itself is only in the browser
    user_id: str
    csrf_token: str  # echoed by the page in a header; compare with ``Accounts.csrf_matches``
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


# -- jobs -----------------------------------------------------------------------------------

JobStatus = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
FINISHED: tuple[JobStatus, ...] = ("done", "failed", "cancelled", "interrupted")


class JobError(BaseModel):
    """Why a job failed, in the same shape as the API's error body."""

    code: str
    message: str

    @classmethod
    def of(cls, exc: BaseException) -> JobError:
        """Our errors keep their stable code; anything else is an internal error by type name."""
        if isinstance(exc, DuettoError):
            return cls(code=exc.code, message=str(exc))
        return cls(code="internal_error", message=f"unexpected {type(exc).__name__}: {exc}")


class JobRecord(BaseModel):
    id: str
    project_id: str
    user_id: str
    kind: str
    request: dict[str, Any]
    status: JobStatus
    progress: float = 0.0
    message: str = ""
    result: dict[str, Any] | None = None
    error: JobError | None = None
    cancel_requested: bool = False
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


# -- marks: comments, stars, votes ------------------------------------------------------------
# Ids are strings on the way out, like every other id a client sees.


class CommentRecord(BaseModel):
    id: str
    version_id: str
    user: str  # the commenter's user name
    text: str
    created_at: datetime


class StarCount(BaseModel):
    version_id: str
    count: int
    mine: bool  # whether the person asking has starred it


class VoteRecord(BaseModel):
    id: str
    work_id: str
    winner: str  # version id
    loser: str  # version id
    user: str  # the voter's user name
    created_at: datetime


class Standing(BaseModel):
    version_id: str
    wins: int
    losses: int
    score: float  # wins / (wins + losses)


class VoteTally(BaseModel):
    votes: int
    ranking: list[Standing]  # best score first, then most wins
