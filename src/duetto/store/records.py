"""What the store hands upward: plain pydantic records, never live ORM rows.

Keeping sessions inside the repository means the studio and interfaces cannot trigger lazy loads
or half-finished transactions; these models are also what ``--json`` and the HTTP API print.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

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
