"""The web studio: one page of plain HTML and our own ES modules, served by duetto itself.

Why no build step: the studio must work offline and be readable; every asset lives in ``static/``
and the page routes below all return the same shell, whose scripts pick the view from the URL.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from duetto.errors import NotFound

STATIC = Path(__file__).parent / "static"
TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml"}

router = APIRouter(include_in_schema=False)


def _shell() -> HTMLResponse:
    """The studio page; read on each call so edits show without a restart (it is tiny)."""
    return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))


@router.get("/", response_class=HTMLResponse)
def home() -> HTMLResponse:
    return _shell()


@router.get("/login", response_class=HTMLResponse)
def login_page() -> HTMLResponse:
    return _shell()


@router.get("/works/{work_id}", response_class=HTMLResponse)
def work_page(work_id: str) -> HTMLResponse:
    return _shell()


@router.get("/p/{publication_id}", response_class=HTMLResponse)
def public_page(publication_id: str) -> HTMLResponse:
    """A published work's public page (no login): ``public.js`` reads ``/api/public/{id}``."""
    return HTMLResponse((STATIC / "public.html").read_text(encoding="utf-8"))


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """Only plain file names from our own folder: no sub-paths, so no traversal."""
    path = STATIC / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        raise NotFound(f"no static file {name!r}")
    return FileResponse(path, media_type=TYPES.get(path.suffix, "application/octet-stream"))


__all__ = ["router", "STATIC"]
