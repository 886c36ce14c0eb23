"""Uploading a human edit of a version (synchronous: storing a file is quick)."""

from __future__ import annotations

from fastapi import APIRouter, File, Request, UploadFile

from duetto.api.auth import Caller, CallerDep, server_of, version_access
from duetto.api.errors import ERROR_RESPONSES, ErrorBody
from duetto.api.models import ImportOut, version_out
from duetto.api.uploads import check_kind, label, read_limited
from duetto.studio import operations
from duetto.studio.kernel import Upload

router = APIRouter(prefix="/api", tags=["versions"], responses=ERROR_RESPONSES)


@router.post("/versions/{version_id}/import", status_code=201, response_model=ImportOut,
             responses={413: {"model": ErrorBody}})
async def import_edit(
    version_id: str, request: Request, file: UploadFile = File(..., description="The edited file."),
    who: Caller = CallerDep,
) -> ImportOut:
    """A person's edit becomes a child version authored by them. The bytes decide the type;
    the file name is kept only as a label."""
    from starlette.concurrency import run_in_threadpool

    server = server_of(request)
    studio, parent = await run_in_threadpool(version_access, server, who, version_id, "import")
    data = await read_limited(file, server.settings.upload_max_bytes)
    check_kind(data, parent.mime, parent.ext, server.settings.upload_max_pixels)

    def store() -> operations.Result:
        upload = Upload(name=label(file.filename), data=data)
        return operations.import_edit(studio, operations.ImportRequest(version=parent.id, file=upload))

    result = await run_in_threadpool(store)
    return ImportOut(work=result.work, version=version_out(result.versions[0]))
