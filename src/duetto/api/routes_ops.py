"""Operations that make versions: each is queued as a job and answered 202 with its id."""

from __future__ import annotations

from fastapi import APIRouter, Request

from duetto.api.auth import Caller, CallerDep, server_of, version_access
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import (
    BlendBody,
    BreedBody,
    DeriveBody,
    EditBody,
    JobAccepted,
    ReviseBody,
    VaryBody,
)
from duetto.api.submit import submit
from duetto.errors import InvalidInput

router = APIRouter(prefix="/api", tags=["operations"], responses=ERROR_RESPONSES)
ACCEPTED = {"status_code": 202, "response_model": JobAccepted}


def _on_version(request: Request, who: Caller, ref: str, operation: str, kind: str,
                fields: dict[str, object]) -> JobAccepted:
    studio, v = version_access(server_of(request), who, ref, operation)
    return submit(request, who, studio.project_id, kind, {"version": v.id, **fields})


@router.post("/versions/{version_id}/revise", **ACCEPTED)
def revise(version_id: str, body: ReviseBody, request: Request, who: Caller = CallerDep) -> JobAccepted:
    """A child made from feedback in words (any language the brief parser reads)."""
    return _on_version(request, who, version_id, "revise", "revise", body.model_dump())


@router.post("/versions/{version_id}/vary", **ACCEPTED)
def vary(version_id: str, body: VaryBody, request: Request, who: Caller = CallerDep) -> JobAccepted:
    return _on_version(request, who, version_id, "vary", "vary", body.model_dump())


@router.post("/versions/{version_id}/derive", **ACCEPTED)
def derive(version_id: str, body: DeriveBody, request: Request, who: Caller = CallerDep) -> JobAccepted:
    """The version in another medium (a poem from a painting, music from a poem)."""
    return _on_version(request, who, version_id, "derive", "derive", body.model_dump())


@router.post("/versions/{version_id}/write", **ACCEPTED)
def write(version_id: str, body: EditBody, request: Request, who: Caller = CallerDep) -> JobAccepted:
    """A co-writing edit of a text version (continue, rewrite, replace, line, keep…)."""
    return _on_version(request, who, version_id, "write", "cowrite", body.model_dump(exclude_none=True))


@router.post("/versions/{version_id}/music", **ACCEPTED)
def music(version_id: str, body: EditBody, request: Request, who: Caller = CallerDep) -> JobAccepted:
    """A music edit: continue, regenerate bars, reharmonise, vary."""
    return _on_version(request, who, version_id, "music", "music_edit", body.model_dump(exclude_none=True))


@router.post("/versions/{version_id}/replay", **ACCEPTED)
def replay(version_id: str, request: Request, who: Caller = CallerDep) -> JobAccepted:
    """Regenerate from the stored recipe and compare bytes; stores nothing. A mismatch fails
    the job with code ``replay_mismatch``."""
    return _on_version(request, who, version_id, "replay", "replay", {})


def _same_project(request: Request, who: Caller, refs: list[str], operation: str) -> tuple[str, list[str]]:
    found = [version_access(server_of(request), who, ref, operation) for ref in refs]
    projects = {studio.project_id for studio, _ in found}
    if len(projects) > 1:
        raise InvalidInput(f"cannot {operation} versions of different projects")
    return projects.pop(), [v.id for _, v in found]


@router.post("/blend", **ACCEPTED)
def blend(body: BlendBody, request: Request, who: Caller = CallerDep) -> JobAccepted:
    pid, (a, b) = _same_project(request, who, [body.a, body.b], "blend")
    return submit(request, who, pid, "blend", {"a": a, "b": b, "t": body.t})


@router.post("/breed", **ACCEPTED)
def breed(body: BreedBody, request: Request, who: Caller = CallerDep) -> JobAccepted:
    pid, parents = _same_project(request, who, body.parents, "breed")
    return submit(request, who, pid, "breed", {**body.model_dump(), "parents": parents})
