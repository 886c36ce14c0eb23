"""A published work's public face: no login, read-only, drawn from what was signed.

``GET /api/public/{publication}`` answers the work's title, authors, licence, training
preference, who did what (the signed manifest's actions and contributions) and its files;
``GET /api/public/{publication}/files/{name}`` serves a signed file. Only published works are
reachable, and only by their publication id (random, 128 bits): nothing unpublished, no listing,
no version ids to walk. The page at ``/p/{publication}`` (``web``) shows it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from duetto.api.auth import server_of
from duetto.api.errors import ERROR_RESPONSES
from duetto.errors import NotFound
from duetto.rights.provenance import EMBEDDED, SIDECAR_EXT
from duetto.store.publications import PublicationRecord, Publications
from duetto.studio.publish import CONTRIBUTIONS, ActionSeen, actions_seen, assertion

router = APIRouter(prefix="/api/public", tags=["public"], responses=ERROR_RESPONSES)


class PublicFile(BaseModel):
    name: str
    url: str
    mime: str
    embedded: bool = Field(description="The manifest is inside the file (else in its .c2pa sidecar).")


class PublicWork(BaseModel):
    id: str
    title: str
    authors: list[str]
    licence: str
    licence_url: str | None = None
    licence_text: str | None = None
    training: str
    medium: str
    published_at: str
    main: PublicFile = Field(description="The work itself: a picture, a text or a MIDI file.")
    text: str | None = Field(None, description="A text work's words, to read on the page.")
    files: list[PublicFile]
    actions: list[ActionSeen] = Field(description="Who did what, from the signed manifest, oldest first.")
    people: list[dict[str, Any]] = Field(default_factory=list)
    engines: list[dict[str, Any]] = Field(default_factory=list)
    signer_serial: str


def _found(request: Request, publication_id: str) -> PublicationRecord:
    server = server_of(request)
    found = Publications(server.repo).by_id(publication_id.strip().lower()[:64])
    if found is None:
        raise NotFound("no published work with that id")
    return found


@router.get("/{publication_id}", response_model=PublicWork)
def public_work(publication_id: str, request: Request) -> PublicWork:
    """A published work, for anyone: what it is, its licence, and who did what (no login)."""
    pub = _found(request, publication_id)
    server = server_of(request)
    version = server.repo.version(pub.version_id)
    base = f"/api/public/{pub.id}/files"
    files = []
    for f in pub.files:
        files.append(PublicFile(name=f.ext, url=f"{base}/{f.ext}", mime=f.mime, embedded=f.embedded))
        if f.sidecar_sha256:
            files.append(PublicFile(name=f"{f.ext}.{SIDECAR_EXT}", url=f"{base}/{f.ext}.{SIDECAR_EXT}",
                                    mime="application/c2pa", embedded=False))
    main = next((x for x in files if x.name == version.ext), files[0])
    text = None
    if version.mime.startswith("text/"):
        own = next(f for f in pub.files if f.ext == version.ext)
        text = server.blobs.read(own.signed_sha256, own.ext).decode("utf-8", "replace")
    work = assertion(pub.manifest, "stds.schema-org.CreativeWork") or {}
    contributions = assertion(pub.manifest, CONTRIBUTIONS) or {}
    url = work.get("license")
    return PublicWork(
        id=pub.id, title=pub.title, authors=pub.authors, licence=pub.licence,
        licence_url=url if isinstance(url, str) and url.startswith("http") else None, licence_text=pub.licence_text,
        training=pub.training, medium=version.spec.medium, published_at=pub.created_at.isoformat(), main=main, text=text,
        files=files, actions=actions_seen(pub.manifest), people=contributions.get("people", []), engines=contributions.get("engines", []),
        signer_serial=pub.signer_serial)


@router.get("/{publication_id}/files/{name}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "The signed file."}})
def public_file(publication_id: str, name: str, request: Request) -> Response:
    """A published work's signed file, or its .c2pa sidecar (no login)."""
    pub = _found(request, publication_id)
    blobs = server_of(request).blobs
    for f in pub.files:
        if name == f.ext:
            data, mime = blobs.read(f.signed_sha256, f.ext), f.mime
            break
        if f.sidecar_sha256 and name == f"{f.ext}.{SIDECAR_EXT}":
            data, mime = blobs.read(f.sidecar_sha256, name), "application/c2pa"
            break
    else:
        raise NotFound(f"this work has no {name[:40]!r} file", hint=", ".join(f.ext for f in pub.files))
    disposition = "inline" if mime in EMBEDDED.values() or mime.startswith("text/") else "attachment"
    return Response(data, media_type=mime, headers={"Content-Disposition": f'{disposition}; filename="{pub.id[:10]}.{name}"'})
