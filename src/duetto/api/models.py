"""What the API's routes take and give back, beyond the acts' own request models (the acts'
bodies are generated from the operations table by ``routes_acts``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from duetto.access import Role
from duetto.store.records import UserRecord, VersionRecord, WorkRecord


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
