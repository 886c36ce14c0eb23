"""One version: show it, stream its files, compare two, soft delete and restore."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from duetto.api.auth import Caller, CallerDep, server_of, version_access
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import VersionOut, VersionShow, version_out
from duetto.errors import NotFound
from duetto.studio import operations, queries

router = APIRouter(prefix="/api/versions", tags=["versions"], responses=ERROR_RESPONSES)


@router.get("/{version_id}", response_model=VersionShow)
async def show(version_id: str, request: Request, who: Caller = CallerDep) -> VersionShow:
    studio, v = version_access(server_of(request), who, version_id, "show")
    return VersionShow(version=version_out(v), recipe=studio.repo.recipe(v.id), feedback=studio.repo.feedback_on(v.id))


@router.get("/{version_id}/files/{name}", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "The file's bytes."}})
def file(version_id: str, name: str, request: Request, who: Caller = CallerDep) -> FileResponse:
    """``name`` is one of the version's own file keys (``png``, ``svg``, ``mid``…), never a path:
    anything else is 404, so no request can reach a file outside the blob store."""
    studio, v = version_access(server_of(request), who, version_id, "show")
    files = studio.files_of(v)
    if name not in files:
        raise NotFound(f"version {v.short} has no {name!r} file", hint=f"it has {', '.join(sorted(files))}")
    mime = v.mime if name == v.ext else (mimetypes.guess_type(f"x.{name}")[0] or "application/octet-stream")
    path = files[name]
    if not path.is_file():
        raise NotFound(f"the {name} file of version {v.short} is missing from the studio")
    return FileResponse(path, media_type=mime, filename=f"{v.short}.{name}", content_disposition_type="inline")


@router.get("/{a}/diff/{b}", response_model=queries.Diff)
def diff(a: str, b: str, request: Request, who: Caller = CallerDep) -> queries.Diff:
    server = server_of(request)
    studio, va = version_access(server, who, a, "diff")
    _, vb = version_access(server, who, b, "diff")
    return queries.diff(studio, va.id, vb.id)


@router.delete("/{version_id}", response_model=VersionOut)
def delete(version_id: str, request: Request, who: Caller = CallerDep) -> VersionOut:
    """Soft delete: the version is hidden from new work but kept, and can be restored."""
    studio, v = version_access(server_of(request), who, version_id, "rm")
    return version_out(operations.remove(studio, operations.VersionRequest(version=v.id)))


@router.post("/{version_id}/restore", response_model=VersionOut)
def restore(version_id: str, request: Request, who: Caller = CallerDep) -> VersionOut:
    studio, v = version_access(server_of(request), who, version_id, "restore")
    return version_out(operations.restore(studio, operations.VersionRequest(version=v.id)))
