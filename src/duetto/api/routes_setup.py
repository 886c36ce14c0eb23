"""First run: the one-time setup link ``duetto serve`` prints creates the first admin.

``GET /api/setup`` tells the page whether to show the setup form; ``POST /api/setup`` takes
the link's secret with the admin's name and password and logs them straight in.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from duetto.api.auth import same_origin, server_of, start_session
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import Body, LoginOut

router = APIRouter(prefix="/api", tags=["accounts"], responses=ERROR_RESPONSES)


class SetupState(BaseModel):
    needed: bool = Field(description="True until the first admin exists (and only while a setup link is open).")


class SetupBody(Body):
    token: str = Field(min_length=1, max_length=200, description="The secret from the link `duetto serve` printed.")
    name: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    project: str | None = Field(None, max_length=100, description="A first project to create, owned by the admin.")


@router.get("/setup", response_model=SetupState)
def setup_state(request: Request) -> SetupState:
    return SetupState(needed=server_of(request).setup_needed())


@router.post("/setup", response_model=LoginOut)
def setup(body: SetupBody, request: Request, response: Response) -> LoginOut:
    same_origin(request)
    server = server_of(request)
    project = (body.project or "").strip() or None
    user = server.finish_setup(body.token, body.name.strip(), body.password, project)
    return start_session(server, request, response, user)
