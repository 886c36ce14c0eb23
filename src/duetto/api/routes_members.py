"""Who is in a project and with what role: any member may look, only an owner may change it.

People are addressed by user name, as an owner knows them. The rule that a project always
keeps an owner lives in ``Accounts.grant``/``revoke`` (checked inside the write's transaction),
so demoting or removing the last owner is a 409 here and in the CLI alike.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import Field

from duetto.access import Role
from duetto.api.auth import Caller, CallerDep, project_id_of, project_role, server_of
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import Body
from duetto.store.records import MembershipRecord

router = APIRouter(prefix="/api/projects", tags=["projects"], responses=ERROR_RESPONSES)


class MemberBody(Body):
    role: Role = Field(description="owner, editor (create and revise), commenter (feedback, votes) or viewer.")


@router.get("/{project}/members", response_model=list[MembershipRecord])
def list_members(project: str, request: Request, who: Caller = CallerDep) -> list[MembershipRecord]:
    """The project's members, owners first. Viewing needs the same role as listing its works."""
    server = server_of(request)
    pid = project_id_of(server, project)
    project_role(server, who, pid, "works", f"see the members of {project}")
    return server.accounts.members(pid)


@router.put("/{project}/members/{user}", response_model=MembershipRecord)
def set_member(project: str, user: str, body: MemberBody, request: Request,
               who: Caller = CallerDep) -> MembershipRecord:
    """Add ``user`` with ``role``, or change their role (an owner only)."""
    server = server_of(request)
    pid = project_id_of(server, project)
    project_role(server, who, pid, "members", f"change the members of {project}")
    return server.accounts.grant(pid, server.accounts.user(user).id, body.role)


@router.delete("/{project}/members/{user}", status_code=204, response_class=Response)
def remove_member(project: str, user: str, request: Request, who: Caller = CallerDep) -> Response:
    """Take ``user`` out of the project (an owner only). Their versions and feedback stay credited."""
    server = server_of(request)
    pid = project_id_of(server, project)
    project_role(server, who, pid, "members", f"change the members of {project}")
    server.accounts.revoke(pid, server.accounts.user(user).id)
    return Response(status_code=204)
