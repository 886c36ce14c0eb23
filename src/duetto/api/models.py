"""What the API's routes take and give back, beyond the operations' own request models.

Bodies addressed at a version leave the version out (it is in the path); their fields and
limits are the operations' own, so the CLI, the jobs and the API validate alike."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from duetto.access import Role
from duetto.engine import Edit
from duetto.store.records import UserRecord, VersionRecord, WorkRecord
from duetto.studio.choices import SpecChoices
from duetto.studio.operations import Variants

Seed = Field(None, ge=0, lt=2**63, description="Fix seeds: variant i gets seed+i.")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(Body):
    name: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class Membership(BaseModel):
    project_id: str
    project: str
    role: Role


class Me(BaseModel):
    user: UserRecord
    projects: list[Membership]
    csrf_token: str | None = Field(None, description="Send as X-CSRF-Token on unsafe requests (cookie logins).")


class LoginOut(BaseModel):
    user: UserRecord
    csrf_token: str


class NewWorkBody(Body):
    project: str = Field(description="Project name (or id).")
    brief: str = Field(min_length=1, max_length=5000)
    media: list[str] = Field(default_factory=lambda: ["painting"], min_length=1, max_length=4)
    style: str | None = None
    engine: str | None = None
    variants: Variants = 4
    seed: int | None = Seed
    params: dict[str, Any] = Field(default_factory=dict)
    choices: SpecChoices | None = Field(None, description="Swatches and sliders; they override the brief's words.")


class ReviseBody(Body):
    feedback: str = Field(min_length=1, max_length=5000)


class VaryBody(Body):
    variants: Variants = 3
    amount: float = Field(0.06, ge=0.0, le=0.5)
    seed: int | None = Seed


class DeriveBody(Body):
    medium: str
    engine: str | None = None
    variants: Variants = 1
    seed: int | None = Seed
    params: dict[str, Any] = Field(default_factory=dict)
    sing: bool = False


class EditBody(Body):
    edit: Edit
    variants: Variants = 1
    seed: int | None = Seed


class BlendBody(Body):
    a: str
    b: str
    t: float = Field(0.5, ge=0.0, le=1.0)


class BreedBody(Body):
    parents: list[str] = Field(min_length=2, max_length=16)
    variants: Variants = 4
    mutation: float = Field(0.2, ge=0.0, le=1.0)
    seed: int | None = Seed


class CommentBody(Body):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class VoteBody(Body):
    winner: str = Field(max_length=64, description="Id of the version preferred.")
    loser: str = Field(max_length=64, description="Id of the other version, of the same work.")


class JobAccepted(BaseModel):
    job: str
    status: str
    events: str = Field(description="Websocket path that streams this job's events.")


class VersionOut(VersionRecord):
    files: dict[str, str] = Field(description="File key (extension) → URL of its bytes.")


class VersionShow(BaseModel):
    version: VersionOut
    recipe: dict[str, Any] | None
    feedback: list[dict[str, Any]]


class WorkDetail(BaseModel):
    work: WorkRecord
    versions: list[VersionOut]


class ProjectOut(BaseModel):
    id: str
    name: str
    role: Role


class ImportOut(BaseModel):
    work: WorkRecord
    version: VersionOut


def version_out(v: VersionRecord) -> VersionOut:
    files = {v.ext: f"/api/versions/{v.id}/files/{v.ext}"}
    files.update({ext: f"/api/versions/{v.id}/files/{ext}" for ext in v.extras})
    return VersionOut(**v.model_dump(), files=files)
