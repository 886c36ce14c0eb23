"""Taking part without making versions: a comment, a star, a vote between two versions.

The rules (text length, one work per vote, nothing new on a deleted version) are the store's
(``duetto.store.marks``); these are the acts in the table's one signature, so the CLI, the HTTP
API and the page leave marks the same way, credited to the person acting.
"""

from __future__ import annotations

from pydantic import Field

from duetto.store.marks import Marks
from duetto.store.records import CommentRecord, StarCount, VoteRecord
from duetto.studio.generate import OnVersion
from duetto.studio.kernel import Request
from duetto.studio.studio import Studio


class CommentRequest(Request):
    version: str
    text: str = Field(description="What you think of it, in any language: 1 to 2000 characters (the store's rule, "
                                  "whose message names it).")


class StarRequest(Request):
    version: str
    undo: bool = Field(False, description="Take your star back.")


class VoteRequest(Request):
    winner: str = Field(max_length=64, description="The version preferred.")
    loser: str = Field(max_length=64, description="The other version, of the same work.")


def comment(studio: Studio, req: CommentRequest, on_version: OnVersion | None = None) -> CommentRecord:
    v = studio.version(req.version)
    return Marks(studio.repo).comment(v.id, studio.user_id, req.text)


def star(studio: Studio, req: StarRequest, on_version: OnVersion | None = None) -> StarCount:
    v = studio.version(req.version)
    marks = Marks(studio.repo)
    return marks.unstar(v.id, studio.user_id) if req.undo else marks.star(v.id, studio.user_id)


def vote(studio: Studio, req: VoteRequest, on_version: OnVersion | None = None) -> VoteRecord:
    winner, loser = studio.version(req.winner), studio.version(req.loser)
    return Marks(studio.repo).vote(winner.id, loser.id, studio.user_id)
