"""Logging in and out, who I am, and my projects."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from duetto.api.auth import (
    COOKIE,
    Caller,
    CallerDep,
    same_origin,
    server_of,
    start_session,
)
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import LoginBody, LoginOut, Me, Membership, ProjectOut

router = APIRouter(prefix="/api", tags=["accounts"], responses=ERROR_RESPONSES)


@router.post("/login", response_model=LoginOut)
def login(body: LoginBody, request: Request, response: Response) -> LoginOut:
    """Check name and password; the session cookie is HttpOnly, so page scripts never see it."""
    same_origin(request)
    server = server_of(request)
    return start_session(server, request, response, server.accounts.authenticate(body.name, body.password))


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, who: Caller = CallerDep) -> Response:
    cookie = request.cookies.get(COOKIE)
    if who.session is not None and cookie:
        server_of(request).accounts.revoke_session(cookie)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/me", response_model=Me)
async def me(request: Request, who: Caller = CallerDep) -> Me:
    memberships = server_of(request).accounts.memberships_of(who.user.id)
    return Me(user=who.user, csrf_token=who.session.csrf_token if who.session else None,
              projects=[Membership(project_id=m.project_id, project=m.project, role=m.role) for m in memberships])


@router.get("/projects", response_model=list[ProjectOut])
async def projects(request: Request, who: Caller = CallerDep) -> list[ProjectOut]:
    """My projects with my role; an admin sees every project as owner."""
    server = server_of(request)
    if who.user.is_admin:
        return [ProjectOut(id=pid, name=name, role="owner") for pid, name in server.repo.projects()]
    return [ProjectOut(id=m.project_id, name=m.project, role=m.role)
            for m in server.accounts.memberships_of(who.user.id)]
