"""Comments, stars and votes: taking part without making versions (the commenter role).

Reading marks needs ``view`` (operations ``comments``, ``stars``, ``votes``); leaving one is an act
of the operations table (``comment``, ``star``, ``vote``: ``duetto.studio.marks``), shared with the
CLI. The rules themselves (text length, one work per vote, nothing new on a deleted version: 409)
are ``duetto.store.marks``'s.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from duetto.api.auth import Caller, CallerDep, server_of, version_access, work_access
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import CommentBody, VoteBody
from duetto.store.marks import Marks
from duetto.store.records import CommentRecord, StarCount, VoteRecord, VoteTally
from duetto.studio import marks

router = APIRouter(prefix="/api", tags=["marks"], responses=ERROR_RESPONSES)


def _marks(request: Request) -> Marks:
    return Marks(server_of(request).repo)


@router.get("/versions/{version_id}/comments", response_model=list[CommentRecord])
def comments(version_id: str, request: Request, who: Caller = CallerDep) -> list[CommentRecord]:
    """The version's comments, oldest first, each with its author's user name."""
    _, v = version_access(server_of(request), who, version_id, "comments")
    return _marks(request).comments(v.id)


@router.post("/versions/{version_id}/comments", status_code=201, response_model=CommentRecord)
def comment(version_id: str, body: CommentBody, request: Request, who: Caller = CallerDep) -> CommentRecord:
    """Words about a version that make no new version (``revise`` is the one that does)."""
    studio, v = version_access(server_of(request), who, version_id, "comment")
    return marks.comment(studio, marks.CommentRequest(version=v.id, text=body.text))


@router.get("/versions/{version_id}/star", response_model=StarCount)
def stars(version_id: str, request: Request, who: Caller = CallerDep) -> StarCount:
    _, v = version_access(server_of(request), who, version_id, "stars")
    return _marks(request).stars(v.id, who.user.id)


@router.put("/versions/{version_id}/star", response_model=StarCount)
def star(version_id: str, request: Request, who: Caller = CallerDep) -> StarCount:
    """Star the version as the caller; starring again changes nothing."""
    studio, v = version_access(server_of(request), who, version_id, "star")
    return marks.star(studio, marks.StarRequest(version=v.id))


@router.delete("/versions/{version_id}/star", response_model=StarCount)
def unstar(version_id: str, request: Request, who: Caller = CallerDep) -> StarCount:
    """Take the caller's star back (also on a deleted version); no star is no error."""
    studio, v = version_access(server_of(request), who, version_id, "star")
    return marks.star(studio, marks.StarRequest(version=v.id, undo=True))


@router.get("/works/{work_id}/stars", response_model=list[StarCount])
def work_stars(work_id: str, request: Request, who: Caller = CallerDep) -> list[StarCount]:
    """The work's starred versions, most stars first."""
    _, work = work_access(server_of(request), who, work_id, "stars")
    return _marks(request).stars_of_work(work.id, who.user.id)


@router.post("/votes", status_code=201, response_model=VoteRecord)
def vote(body: VoteBody, request: Request, who: Caller = CallerDep) -> VoteRecord:
    """The caller prefers ``winner`` to ``loser``, two versions of one work."""
    server = server_of(request)
    studio, winner = version_access(server, who, body.winner, "vote")
    _, loser = version_access(server, who, body.loser, "vote")
    return marks.vote(studio, marks.VoteRequest(winner=winner.id, loser=loser.id))


@router.get("/works/{work_id}/votes", response_model=VoteTally)
def tally(work_id: str, request: Request, who: Caller = CallerDep) -> VoteTally:
    """How the work's versions fare in pairwise votes: share of comparisons won, then wins."""
    _, work = work_access(server_of(request), who, work_id, "votes")
    return _marks(request).tally(work.id)
