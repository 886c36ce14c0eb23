"""Rights over HTTP: verify an uploaded file, read a version's publication, download its signed files.

``POST /api/versions/{id}/publish`` is generated from the operations table (a job, like every
making act); the routes here are the ones a table row cannot describe: ``verify`` takes a
multipart upload (the file and, optionally, its ``.c2pa`` sidecar) and acts in the project the
query names (its members, viewers included, may verify), and the published files are downloads
guarded like a version's own files (``show``).
"""

from __future__ import annotations

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from duetto.api.auth import (
    Caller,
    CallerDep,
    project_id_of,
    project_role,
    server_of,
    version_access,
)
from duetto.api.errors import ERROR_RESPONSES, ErrorBody
from duetto.api.uploads import label, read_limited
from duetto.errors import NotFound
from duetto.rights.provenance import EMBEDDED, SIDECAR_EXT
from duetto.store.publications import PublicationRecord, Publications
from duetto.studio.kernel import Upload
from duetto.studio.publish import Verdict
from duetto.table import OPERATIONS

router = APIRouter(prefix="/api", tags=["rights"], responses=ERROR_RESPONSES)


@router.post("/verify", response_model=Verdict, responses={413: {"model": ErrorBody}})
async def verify(
    request: Request,
    project: str = Query(..., max_length=200, description="The project whose studio verifies (you must be a member)."),
    file: UploadFile = File(..., description="The file to check."),
    sidecar: UploadFile | None = File(None, description="Its .c2pa sidecar, for formats that cannot embed one."),
    who: Caller = CallerDep,
) -> Verdict:
    """Check a file's C2PA manifest against the studio's trust anchors: trusted, untrusted,
    invalid (changed after signing), revoked, or no manifest; and who did what. Stores nothing."""
    server = server_of(request)
    pid = project_id_of(server, project)
    project_role(server, who, pid, "verify", f"verify in {project}")
    limit = server.settings.upload_max_bytes
    data = await read_limited(file, limit)
    side = await read_limited(sidecar, limit) if sidecar is not None else None
    studio = server.studio_for(who.user.name, who.user.id, pid)
    op = OPERATIONS["verify"]
    req = op.build(file=Upload(name=label(file.filename), data=data),
                   sidecar=Upload(name=label(sidecar.filename), data=side) if sidecar is not None and side else None)
    return await run_in_threadpool(op, studio, req)  # type: ignore[no-any-return]


class PublicationOut(BaseModel):
    published: bool
    publication: PublicationRecord | None = None


@router.get("/versions/{version_id}/publication", response_model=PublicationOut)
def publication(version_id: str, request: Request, who: Caller = CallerDep) -> PublicationOut:
    """Whether the version is published, and its publication: title, authors, licence, training
    preference, signed files (an unpublished version is no error: the page asks for every one)."""
    studio, v = version_access(server_of(request), who, version_id, "show")
    found = Publications(studio.repo).of_version(v.id)
    return PublicationOut(published=found is not None, publication=found)


@router.get("/versions/{version_id}/published/{name}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "The signed file."}})
def published_file(version_id: str, name: str, request: Request, who: Caller = CallerDep) -> Response:
    """A published file by its name in the publication (``png``, ``md``, ``md.c2pa`` …)."""
    studio, v = version_access(server_of(request), who, version_id, "show")
    found = Publications(studio.repo).of_version(v.id)
    if found is None:
        raise NotFound(f"version {v.short} is not published")
    for f in found.files:
        if name == f.ext:
            data, mime = studio.blobs.read(f.signed_sha256, f.ext), f.mime
            break
        if f.sidecar_sha256 is not None and name == f"{f.ext}.{SIDECAR_EXT}":
            data, mime = studio.blobs.read(f.sidecar_sha256, name), "application/c2pa"
            break
    else:
        names = [f.ext for f in found.files] + [f"{f.ext}.{SIDECAR_EXT}" for f in found.files if not f.embedded]
        raise NotFound(f"the publication of {v.short} has no {name[:40]!r} file", hint=f"it has {', '.join(names)}")
    disposition = "inline" if mime in EMBEDDED.values() else "attachment"
    return Response(data, media_type=mime,
                    headers={"Content-Disposition": f'{disposition}; filename="{v.short}.{name}"'})


@router.get("/versions/{version_id}/dossier.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "The dossier as PDF."}})
def dossier_pdf(version_id: str, request: Request, who: Caller = CallerDep) -> Response:
    """The registration dossier of a version as PDF (``POST …/dossier`` answers the same as JSON)."""
    from duetto.studio.dossier import DossierRequest, to_pdf

    studio, v = version_access(server_of(request), who, version_id, "dossier")
    d = OPERATIONS["dossier"](studio, DossierRequest(version=v.id))
    return Response(to_pdf(studio, d), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="dossier-{v.short}.pdf"'})
