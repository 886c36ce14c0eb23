"""Export a version as a download: its own files, its recipe, and renderings (PDF, WAV …).

``GET /api/versions/{id}/export?format=pdf`` answers the file itself; ``?format=pdf,md`` one
ZIP of them. The studio's ``export`` (the CLI's) does the work, so both accept the same formats
and refuse the same ones with the same message.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from duetto.api.auth import Caller, CallerDep, server_of, version_access
from duetto.api.errors import ERROR_RESPONSES
from duetto.errors import InvalidInput
from duetto.store.records import VersionRecord
from duetto.studio import operations
from duetto.studio.studio import Studio

router = APIRouter(prefix="/api/versions", tags=["versions"], responses=ERROR_RESPONSES)

MAX_FORMATS = 12
FORMAT_NAME = re.compile(r"[a-z0-9]{1,16}")
RECIPE = "recipe"  # the version record and its recipe as JSON, as the CLI writes beside the files
MEDIA_TYPES: dict[str, str] = {
    "png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8", "txt": "text/plain; charset=utf-8",
    "fountain": "text/plain; charset=utf-8", "mid": "audio/midi", "midi": "audio/midi",
    "wav": "audio/wav", "ogg": "audio/ogg", "mp3": "audio/mpeg", "flac": "audio/flac",
    "musicxml": "application/vnd.recordare.musicxml+xml", RECIPE: "application/json",
    "zip": "application/zip",
}
DOWNLOAD_TYPES = ("image/png", "application/pdf", "audio/wav", "application/zip")


def parse_formats(text: str) -> list[str]:
    """``pdf,md`` → ``["pdf", "md"]``: lower case, duplicates dropped, every name a plain word
    (a format becomes a file name inside a ZIP, so nothing path-like gets that far)."""
    formats = list(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats:
        raise InvalidInput("name at least one format", hint="e.g. ?format=png, ?format=pdf or ?format=pdf,md")
    if len(formats) > MAX_FORMATS:
        raise InvalidInput(f"at most {MAX_FORMATS} formats at once, not {len(formats)}")
    for fmt in formats:
        if not FORMAT_NAME.fullmatch(fmt):
            raise InvalidInput(f"{fmt[:40]!r} is not a format name", hint="formats are words like png, pdf, md, wav")
    return formats


def render(studio: Studio, version: VersionRecord, formats: list[str]) -> dict[str, bytes]:
    """The bytes of each format, made by the studio's ``export`` (the CLI's too) in memory: the
    server host collects no downloads nobody would clean up, and a conversion that fails half
    way leaves nothing behind."""
    own = studio.files_of(version)
    written = operations.export(studio, operations.ExportRequest(version=version.id, formats=formats)).files
    missing = [f for f in formats if f not in written]
    if missing:  # the studio made every file it knows; anything else is not this version's
        raise InvalidInput(f"version {version.short} has no {missing[0]!r} form",
                           hint=f"ask for {', '.join([*own, RECIPE])} or a rendering of a text or music work")
    return {fmt: written[fmt] for fmt in formats}


def safe_stem(title: str, short: str) -> tuple[str, str]:
    """A download name from the work's title: (UTF-8 stem, ASCII stem). Only letters, digits,
    spaces, ``-`` and ``_`` survive, so no name holds a path part, a quote or a control
    character; the version's short id keeps two versions of one work apart."""
    words = re.sub(r"[^\w\- ]+", " ", title)
    words = re.sub(r"\s+", " ", words).strip(" -_")[:60].strip()
    plain = re.sub(r"[^A-Za-z0-9_-]+", "-", words).strip("-_")
    return (f"{words}-{short}" if words else short), (f"{plain}-{short}" if plain else short)


def attachment(stem: str, ascii_stem: str, ext: str) -> str:
    """``Content-Disposition`` for a download: an ASCII ``filename`` for old clients and the
    real name as RFC 5987 ``filename*`` (every browser prefers it), e.g. a Chinese title."""
    return f"attachment; filename=\"{ascii_stem}.{ext}\"; filename*=UTF-8''{quote(f'{stem}.{ext}', safe='')}"


def file_ext(fmt: str) -> str:
    return "recipe.json" if fmt == RECIPE else fmt


def media_type(version: VersionRecord, fmt: str) -> str:
    if fmt == version.ext:
        return version.mime
    return MEDIA_TYPES.get(fmt, "application/octet-stream")


def zipped(files: dict[str, bytes], stem: str, version: VersionRecord) -> bytes:
    """One ZIP of the files, named like single downloads, dated when the version was made
    (so the same export gives the same bytes)."""
    stamp = max(version.created_at.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fmt, data in files.items():
            info = zipfile.ZipInfo(f"{stem}.{file_ext(fmt)}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


@router.get("/{version_id}/export", response_class=Response, responses={200: {
    "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in DOWNLOAD_TYPES},
    "description": "One format: the file itself. Several: a ZIP holding one file per format."}})
def export(
    version_id: str,
    request: Request,
    format_list: str = Query(alias="format", max_length=200, description="Comma list: the version's own files (png, svg, mid, txt…), "
                        "recipe, or renderings of text (pdf, md, txt, fountain) and music (wav, ogg, mp3, "
                        "flac, musicxml)."),
    who: Caller = CallerDep,
) -> Response:
    """Download a version as an attachment; several formats come as one ZIP."""
    studio, version = version_access(server_of(request), who, version_id, "export")
    formats = parse_formats(format_list)
    files = render(studio, version, formats)
    stem, ascii_stem = safe_stem(studio.repo.work(version.work_id).title, version.short)
    if len(files) == 1:
        (fmt, data), = files.items()
        body, mime, ext = data, media_type(version, fmt), file_ext(fmt)
    else:
        body, mime, ext = zipped(files, stem, version), MEDIA_TYPES["zip"], "zip"
    return Response(body, media_type=mime, headers={
        "Content-Disposition": attachment(stem, ascii_stem, ext), "X-Content-Type-Options": "nosniff"})
