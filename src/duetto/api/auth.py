"""Who is asking, and may they do this here?

A request carries ``Authorization: Bearer <token>`` (scripts) or the ``duetto_session`` cookie
(the browser). With a cookie, unsafe methods must echo the session's CSRF token in
``X-CSRF-Token``: another site can make the browser send the cookie, but cannot read the token.
Tokens need no CSRF check since a browser never attaches them on its own.

The API takes full ids only: prefix matching (the CLI's convenience) would answer "ambiguous"
or suggest close ids from projects the caller cannot see.

Roles come from ``duetto.access``. A person who is not a member of a project gets 404 for its
works and versions, so ids cannot be probed; a member without the right role gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request, Response
from starlette.requests import HTTPConnection

from duetto.access import Role, action_of, require
from duetto.api.errors import CsrfFailed
from duetto.api.models import LoginOut
from duetto.api.server import Server
from duetto.errors import NotFound, Unauthorized
from duetto.store.records import SessionRecord, UserRecord, VersionRecord, WorkRecord
from duetto.studio.studio import Studio

COOKIE = "duetto_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Caller:
    user: UserRecord
    session: SessionRecord | None = None  # set when the cookie identified them


def server_of(conn: HTTPConnection) -> Server:
    return conn.app.state.server  # type: ignore[no-any-return]


def identify(server: Server, conn: HTTPConnection, *, method: str = "GET", query_token: bool = False) -> Caller:
    """The caller behind a request or websocket, or ``Unauthorized``."""
    header = conn.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("the Authorization header must be 'Bearer <token>'")
        return Caller(server.accounts.user_for_token(token.strip()))
    if query_token and conn.query_params.get("token"):
        return Caller(server.accounts.user_for_token(conn.query_params["token"]))
    cookie = conn.cookies.get(COOKIE)
    if not cookie:
        raise Unauthorized("log in first", hint="POST /api/login, or send 'Authorization: Bearer <token>'")
    user, session = server.accounts.session_user(cookie)
    if method in UNSAFE and not server.accounts.csrf_matches(session, conn.headers.get(CSRF_HEADER)):
        raise CsrfFailed(f"missing or wrong {CSRF_HEADER} header",
                         hint="send the csrf_token from POST /api/login or GET /api/me")
    return Caller(user, session)


def same_origin(request: Request) -> None:
    """Refuse a login or setup posted from another site's page (login CSRF: signing a victim
    into the attacker's account). Browsers send ``Origin`` on every cross-site POST; scripts
    and curl send none, and are let through because they hold their own cookies."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    ours = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    if origin.rstrip("/").lower() != ours.lower():
        raise CsrfFailed(f"a login from {origin} is not accepted here",
                         hint="log in from this studio's own page")


def start_session(server: Server, request: Request, response: Response, user: UserRecord) -> LoginOut:
    """A browser session for ``user``: the HttpOnly cookie goes on ``response``, the CSRF token
    in the body (page scripts never see the cookie, and must echo the token)."""
    session, cookie = server.accounts.create_session(user.id)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https", max_age=server.settings.session_days * 86400)
    return LoginOut(user=user, csrf_token=session.csrf_token)


async def caller(request: Request) -> Caller:
    """FastAPI dependency: the person making this request.

    ``async`` although it reads the database: the read is one indexed query (about a
    millisecond, holding the GIL whichever thread runs it), and a ``def`` dependency would
    be handed to a worker thread and back on every request. Under load those hand-offs,
    each waiting for the GIL, cost more than the query (``benchmarks/bench_api.py``). The
    small metadata reads (me, projects, works, tree, show, credits, a job) are ``async``
    for the same reason; anything that renders, hashes a password or streams a file stays
    ``def`` and runs in the thread pool."""
    return identify(server_of(request), request, method=request.method)


def project_role(server: Server, who: Caller, project_id: str, operation: str, what: str) -> Role:
    """Check ``who`` may perform ``operation`` in the project: 404 for non-members (the project's
    things are invisible to them), 403 for members whose role is too weak."""
    role = server.accounts.role_of(project_id, who.user.id)
    if role is None:
        raise NotFound(f"nothing called {what.split()[-1]!r} here")
    require(role, action_of(operation), what)
    return role


def project_id_of(server: Server, name_or_id: str) -> str:
    """A project addressed by name (the common case) or id. Unknown and not-mine read the
    same (404) further on; this answer names no other project."""
    pid = server.accounts.find_project(name_or_id)
    if pid is None:
        raise NotFound(f"no project named {name_or_id[:80]!r}", hint="GET /api/projects lists yours")
    return pid


def work_access(server: Server, who: Caller, ref: str, operation: str) -> tuple[Studio, WorkRecord]:
    """The work ``ref`` names, if ``who`` may perform ``operation`` on it, and a studio to do it."""
    work = server.repo.work(ref.strip().lower())
    pid = server.accounts.project(work.project)
    project_role(server, who, pid, operation, f"{operation} work {work.id[:10]}")
    return server.studio_for(who.user.name, who.user.id, pid), work


def version_access(server: Server, who: Caller, ref: str, operation: str) -> tuple[Studio, VersionRecord]:
    """The version ``ref`` names, if ``who`` may perform ``operation`` on it (its work's project
    decides), and a studio acting as them in that project."""
    version = server.repo.version(ref.strip().lower())
    work = server.repo.work(version.work_id)
    pid = server.accounts.project(work.project)
    project_role(server, who, pid, operation, f"{operation} version {version.id[:10]}")
    return server.studio_for(who.user.name, who.user.id, pid), version


CallerDep = Depends(caller)
