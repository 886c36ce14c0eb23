"""Works: list and search them, and read one, its tree and credits (a new work is the ``new`` act,
``routes_acts``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from duetto.api.auth import (
    Caller,
    CallerDep,
    project_id_of,
    project_role,
    server_of,
    work_access,
)
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import WorkDetail, version_out
from duetto.store.records import WorkRecord
from duetto.studio import queries

router = APIRouter(prefix="/api", tags=["works"], responses=ERROR_RESPONSES)


@router.get("/works", response_model=list[WorkRecord])
async def list_works(
    request: Request,
    project: str | None = Query(None, description="Project name or id; default: every project I can view."),
    q: str | None = Query(None, max_length=200, description="Search title and brief (ignoring case)."),
    who: Caller = CallerDep,
) -> list[WorkRecord]:
    server = server_of(request)
    if project is not None:
        pid = project_id_of(server, project)
        project_role(server, who, pid, "works", f"list works of {project}")
        return server.repo.works(pid, q)
    if who.user.is_admin:
        pids = [pid for pid, _ in server.repo.projects()]
    else:
        pids = [m.project_id for m in server.accounts.memberships_of(who.user.id)]
    works = [w for pid in pids for w in server.repo.works(pid, q)]
    return sorted(works, key=lambda w: w.created_at)


@router.get("/works/{work_id}", response_model=WorkDetail)
async def get_work(work_id: str, request: Request, who: Caller = CallerDep) -> WorkDetail:
    studio, work = work_access(server_of(request), who, work_id, "show")
    return WorkDetail(work=work, versions=[version_out(v) for v in studio.repo.versions_of(work.id)])


@router.get("/works/{work_id}/tree", response_model=queries.Tree)
async def get_tree(work_id: str, request: Request, who: Caller = CallerDep) -> queries.Tree:
    studio, work = work_access(server_of(request), who, work_id, "tree")
    return queries.tree(studio, work)


@router.get("/works/{work_id}/credits", response_model=queries.Credits)
async def get_credits(work_id: str, request: Request, who: Caller = CallerDep) -> queries.Credits:
    studio, work = work_access(server_of(request), who, work_id, "credits")
    return queries.credits(studio, work.id)
