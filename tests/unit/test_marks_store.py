"""Marks in the store: the 0003 migration on a 0002 studio with data in it (up and down), and the
rules ``Marks`` enforces for the CLI and the API alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from duetto.errors import Conflict, InvalidInput, NotFound
from duetto.spec import CreativeSpec
from duetto.store import Repository
from duetto.store.marks import Marks
from duetto.store.records import NewVersion
from duetto.store.repository import HEAD_REVISION
from tests.unit.migrations import migrate_to

MARK_TABLES = {"comments", "stars", "votes"}


def _rows(repo: Repository, sql: str) -> list[Any]:
    with repo.engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


def _tables(repo: Repository) -> set[str]:
    return {r[0] for r in _rows(repo, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def _painting(repo: Repository, *ids: str) -> str:
    uid = repo.ensure_user("ada")
    work = repo.create_work(repo.ensure_project("default", uid), uid, "a calm sea", "painting")
    for vid in ids:
        repo.add_version(NewVersion(id=vid, work_id=work.id, parents=[], operation="new", author="engine:painter@1",
                                    author_kind="ai", spec=CreativeSpec(), sha256="0" * 64, ext="png",
                                    mime="image/png"))
    return work.id


A, B, C = "a" * 32, "b" * 32, "c" * 32


def test_0002_studio_upgrades_keeping_its_rows_and_downgrades_cleanly(tmp_path: Path) -> None:
    repo = Repository(f"sqlite:///{tmp_path / 'old.sqlite'}")
    migrate_to(repo, "0002_accounts")
    assert not _tables(repo) & MARK_TABLES
    work = _painting(repo, A, B)
    with repo.engine.begin() as conn:  # a 0002 studio's own ledger row and membership
        conn.execute(text("INSERT INTO contributions (version_id, contributor, contributor_kind, kind, detail, "
                          "created_at) VALUES (:v, 'user:ada', 'human', 'brief', 'a calm sea', '2026-01-01')"),
                     {"v": A})
    members = _rows(repo, "SELECT project_id, user_id, role FROM memberships")

    repo.migrate()

    assert _rows(repo, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)] == [("0005_registry",)]
    assert MARK_TABLES <= _tables(repo)
    assert [v.id for v in repo.versions_of(work)] == [A, B]
    assert _rows(repo, "SELECT project_id, user_id, role FROM memberships") == members
    assert _rows(repo, "SELECT contributor, kind FROM contributions") == [("user:ada", "brief")]
    uid = repo.ensure_user("ada")
    marks = Marks(repo)
    marks.comment(A, uid, "lovely")
    marks.star(A, uid)
    marks.vote(A, B, uid)

    migrate_to(repo, "0002_accounts", down=True)
    assert not _tables(repo) & MARK_TABLES
    assert [v.id for v in repo.versions_of(work)] == [A, B]
    repo.migrate()  # and back up again: empty mark tables, nothing else lost
    assert _rows(repo, "SELECT COUNT(*) FROM stars") == [(0,)]
    assert Marks(repo).stars(A, uid).count == 0


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    r = Repository(f"sqlite:///{tmp_path / 'db.sqlite'}")
    r.migrate()
    return r


def test_marks_refuse_bad_text_deleted_versions_and_cross_work_votes(repo: Repository) -> None:
    _painting(repo, A, B)
    _painting(repo, C)
    uid = repo.ensure_user("ada")
    marks = Marks(repo)
    with pytest.raises(InvalidInput, match="1 to 2000"):
        marks.comment(A, uid, " \n ")
    with pytest.raises(InvalidInput, match="different works"):
        marks.vote(A, C, uid)
    with pytest.raises(InvalidInput, match="two different versions"):
        marks.vote(A, A, uid)
    with pytest.raises(NotFound):
        marks.star("f" * 32, uid)
    repo.set_deleted(B, True)
    for act in (lambda: marks.star(B, uid), lambda: marks.comment(B, uid, "hi"), lambda: marks.vote(A, B, uid)):
        with pytest.raises(Conflict, match="deleted"):
            act()
    assert _rows(repo, "SELECT COUNT(*) FROM comments") == [(0,)] == _rows(repo, "SELECT COUNT(*) FROM votes")


def test_a_star_is_one_per_person_and_its_ledger_row_goes_with_it(repo: Repository) -> None:
    _painting(repo, A)
    ada, li = repo.ensure_user("ada"), repo.ensure_user("li")
    marks = Marks(repo)
    assert marks.star(A, ada).model_dump() == {"version_id": A, "count": 1, "mine": True}
    assert marks.star(A, ada).count == 1
    assert marks.star(A, li).count == 2
    assert _rows(repo, "SELECT contributor FROM contributions WHERE detail = 'starred' ORDER BY id") == [
        ("user:ada",), ("user:li",)]
    assert marks.unstar(A, ada).model_dump() == {"version_id": A, "count": 1, "mine": False}
    assert _rows(repo, "SELECT contributor FROM contributions WHERE detail = 'starred'") == [("user:li",)]
