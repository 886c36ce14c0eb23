"""My personal API tokens: list them, make one (its secret shown once), revoke one.

Tokens belong to a person, not a project, so no project role is checked: everyone manages
their own, and someone else's token id answers 404 as if it did not exist.

Only a password login (the browser's cookie session) may make a token; a request made *with*
a token may list and revoke but not create. A leaked token must not be able to mint itself a
successor that outlives its own revocation: revoking the leaked one has to end the leak.
Revoking with a token is allowed, since it only ever takes access away (a script can retire
its own token when it is done).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from duetto.api.auth import Caller, CallerDep, server_of
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import Body
from duetto.errors import Forbidden
from duetto.store.records import TokenRecord

router = APIRouter(prefix="/api/tokens", tags=["accounts"], responses=ERROR_RESPONSES)


class TokenOut(BaseModel):
    """A token as a list shows it: never the secret, only its first characters."""

    id: str
    name: str
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None = Field(None, description="Refreshed at most once a minute.")


class NewTokenBody(Body):
    name: str = Field("", max_length=100, description="What the token is for, shown in lists.")


class NewToken(BaseModel):
    record: TokenOut
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown this once: only its hash is kept.")


def token_out(t: TokenRecord) -> TokenOut:
    return TokenOut(id=t.id, name=t.name, prefix=t.prefix, created_at=t.created_at, last_used_at=t.last_used_at)


@router.get("", response_model=list[TokenOut])
def list_tokens(request: Request, who: Caller = CallerDep) -> list[TokenOut]:
    """My tokens that still work, oldest first (revoked ones are kept for the record, not listed)."""
    return [token_out(t) for t in server_of(request).accounts.tokens(who.user.id) if t.revoked_at is None]


@router.post("", status_code=201, response_model=NewToken)
def create_token(body: NewTokenBody, request: Request, who: Caller = CallerDep) -> NewToken:
    """A new token for me; needs a password login (see the module docstring for why)."""
    if who.session is None:
        raise Forbidden("a token cannot make another token",
                        hint="log in with your password (POST /api/login) to make one, or use `duetto users token`")
    record, secret = server_of(request).accounts.create_token(who.user.id, body.name)
    return NewToken(record=token_out(record), token=secret)


@router.delete("/{token_id}", status_code=204, response_class=Response)
def revoke_token(token_id: str, request: Request, who: Caller = CallerDep) -> Response:
    """Revoke one of my tokens at once; revoking it again changes nothing."""
    server_of(request).accounts.revoke_token(token_id, who.user.id)
    return Response(status_code=204)
