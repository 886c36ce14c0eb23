"""Marks: comments, stars and votes, what a commenter leaves on versions without making any.

The rules live here, not in the CLI or the routes, so both enforce them alike:

- A mark records who made it (a user id) and adds a row to the contribution ledger, so credits
  name the person: a comment is human ``feedback``, a star or a vote human ``selection``.
- A mark never touches the ``versions`` table: starring or voting changes no version's content.
- New marks on a soft-deleted version are refused with ``Conflict``, as every operation that
  builds on a deleted version is; reading marks, and taking a star back, still work.
- Starring is idempotent (the table's key is version × user) and so is taking a star back, which
  also removes the star's ledger row: a withdrawn star should not keep crediting its maker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from duetto.errors import Conflict, InvalidInput, NotFound
from duetto.store.models import CommentRow, Contribution, Star, User, Version, Vote
from duetto.store.records import (
    CommentRecord,
    Standing,
    StarCount,
    VoteRecord,
    VoteTally,
)
from duetto.store.repository import Repository, now

COMMENT_MAX = 2000
STARRED = "starred"  # the ledger detail of a star, also how unstar finds it again


class _AlreadyStarred(Exception):
    """Raised inside a session to roll it back when a concurrent request starred first."""


class Marks:
    """Comments, stars and votes on one studio's ``Repository``."""

    def __init__(self, repo: Repository, *, clock: Callable[[], datetime] = now) -> None:
        self.repo = repo
        self.clock = clock

    # -- comments -----------------------------------------------------------------------------

    def comment(self, version_id: str, user_id: str, text: str) -> CommentRecord:
        words = text.strip()
        if not 1 <= len(words) <= COMMENT_MAX:
            raise InvalidInput(f"a comment needs 1 to {COMMENT_MAX} characters, this one has {len(words)}",
                               hint="leading and trailing spaces are not counted")
        with self.repo.session() as s:
            _live(s, version_id, "comment on")
            name = _user_name(s, user_id)
            row = CommentRow(version_id=version_id, user_id=user_id, text=words, created_at=self.clock())
            s.add(row)
            s.add(Contribution(version_id=version_id, contributor=f"user:{name}", contributor_kind="human",
                               kind="feedback", detail=words, created_at=row.created_at))
            s.flush()
            return CommentRecord(id=str(row.id), version_id=version_id, user=name, text=words,
                                 created_at=row.created_at)

    def comments(self, version_id: str) -> list[CommentRecord]:
        """Oldest first (ids grow with time)."""
        with self.repo.session() as s:
            rows = s.execute(
                select(CommentRow, User.name).join(User, User.id == CommentRow.user_id)
                .where(CommentRow.version_id == version_id).order_by(CommentRow.id)
            ).all()
            return [CommentRecord(id=str(c.id), version_id=c.version_id, user=name, text=c.text,
                                  created_at=c.created_at) for c, name in rows]

    # -- stars --------------------------------------------------------------------------------

    def star(self, version_id: str, user_id: str) -> StarCount:
        try:
            with self.repo.session() as s:
                _live(s, version_id, "star")
                if s.get(Star, (version_id, user_id)) is None:
                    stamp = self.clock()
                    s.add(Star(version_id=version_id, user_id=user_id, created_at=stamp))
                    s.add(Contribution(version_id=version_id, contributor=f"user:{_user_name(s, user_id)}",
                                       contributor_kind="human", kind="selection", detail=STARRED,
                                       created_at=stamp))
                    try:
                        s.flush()
                    except IntegrityError:
                        raise _AlreadyStarred from None
        except _AlreadyStarred:
            pass  # the same person starred it in a request that committed first: nothing to add
        return self.stars(version_id, user_id)

    def unstar(self, version_id: str, user_id: str) -> StarCount:
        with self.repo.session() as s:
            _version(s, version_id)
            gone = s.execute(delete(Star).where(Star.version_id == version_id, Star.user_id == user_id))
            if gone.rowcount:  # type: ignore[attr-defined]
                ledger = s.scalar(
                    select(Contribution.id).where(
                        Contribution.version_id == version_id,
                        Contribution.contributor == f"user:{_user_name(s, user_id)}",
                        Contribution.kind == "selection", Contribution.detail == STARRED,
                    ).order_by(Contribution.id.desc()).limit(1)
                )
                if ledger is not None:
                    s.execute(delete(Contribution).where(Contribution.id == ledger))
        return self.stars(version_id, user_id)

    def stars(self, version_id: str, user_id: str) -> StarCount:
        """How many people starred the version, and whether ``user_id`` is one of them."""
        with self.repo.session() as s:
            _version(s, version_id)
            count = s.scalar(select(func.count()).select_from(Star).where(Star.version_id == version_id)) or 0
            mine = s.get(Star, (version_id, user_id)) is not None
            return StarCount(version_id=version_id, count=count, mine=mine)

    def stars_of_work(self, work_id: str, user_id: str) -> list[StarCount]:
        """The work's starred versions, most stars first (then in order of creation)."""
        with self.repo.session() as s:
            rows = s.execute(
                select(Version.id, func.count(Star.user_id), func.max(case((Star.user_id == user_id, 1), else_=0)))
                .join(Star, Star.version_id == Version.id)
                .where(Version.work_id == work_id)
                .group_by(Version.id, Version.seq)
                .order_by(func.count(Star.user_id).desc(), Version.seq)
            ).all()
            return [StarCount(version_id=vid, count=n, mine=bool(mine)) for vid, n, mine in rows]

    # -- votes --------------------------------------------------------------------------------

    def vote(self, winner_id: str, loser_id: str, user_id: str) -> VoteRecord:
        """``user_id`` prefers ``winner_id`` to ``loser_id``; both must be live versions of one work."""
        if winner_id == loser_id:
            raise InvalidInput("a vote compares two different versions", hint="pick the one you prefer and another")
        with self.repo.session() as s:
            winner, loser = _version(s, winner_id), _version(s, loser_id)
            if winner.work_id != loser.work_id:
                raise InvalidInput(
                    f"versions {winner_id[:10]} and {loser_id[:10]} belong to different works",
                    hint="a vote compares two versions of the same work",
                )
            for row in (winner, loser):
                _refuse_deleted(row, "vote on")
            name = _user_name(s, user_id)
            row = Vote(work_id=winner.work_id, winner_id=winner_id, loser_id=loser_id, user_id=user_id,
                       created_at=self.clock())
            s.add(row)
            s.add(Contribution(version_id=winner_id, contributor=f"user:{name}", contributor_kind="human",
                               kind="selection", detail=f"preferred to {loser_id[:10]}", created_at=row.created_at))
            s.flush()
            return VoteRecord(id=str(row.id), work_id=row.work_id, winner=winner_id, loser=loser_id, user=name,
                              created_at=row.created_at)

    def tally(self, work_id: str) -> VoteTally:
        """Every voted-on version of the work ranked by share of comparisons won, then wins."""
        with self.repo.session() as s:
            pairs = s.execute(select(Vote.winner_id, Vote.loser_id).where(Vote.work_id == work_id)).all()
            seq = dict(s.execute(select(Version.id, Version.seq).where(Version.work_id == work_id)).all())
        wins, losses = Counter(w for w, _ in pairs), Counter(lo for _, lo in pairs)
        ranking = [
            Standing(version_id=vid, wins=wins[vid], losses=losses[vid],
                     score=wins[vid] / (wins[vid] + losses[vid]))
            for vid in wins.keys() | losses.keys()
        ]
        ranking.sort(key=lambda r: (-r.score, -r.wins, seq.get(r.version_id, 0)))
        return VoteTally(votes=len(pairs), ranking=ranking)


def _version(s: Session, version_id: str) -> Version:
    row = s.scalar(select(Version).where(Version.id == version_id))
    if row is None:
        raise NotFound(f"no version {version_id}")
    return row


def _refuse_deleted(row: Version, what: str) -> None:
    if row.deleted_at is not None:
        short = row.id[:10]
        raise Conflict(f"version {short} is deleted, so you cannot {what} it",
                       hint=f"`duetto restore {short}` first")


def _live(s: Session, version_id: str, what: str) -> Version:
    row = _version(s, version_id)
    _refuse_deleted(row, what)
    return row


def _user_name(s: Session, user_id: str) -> str:
    name = s.scalar(select(User.name).where(User.id == user_id))
    if name is None:
        raise NotFound(f"no user {user_id}")
    return name
