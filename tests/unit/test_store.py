"""Storage: migrations, blobs, id prefixes, lineage through the DAG, soft delete."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from duetto.errors import Ambiguous, NotFound
from duetto.spec import CreativeSpec
from duetto.store import BlobStore, Repository
from duetto.store.records import NewVersion
from duetto.store.repository import HEAD_REVISION


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    r = Repository(f"sqlite:///{tmp_path / 'db.sqlite'}")
    r.migrate()
    return r


def _add(repo: Repository, work: str, vid: str, parents: list[str]) -> None:
    repo.add_version(NewVersion(
        id=vid, work_id=work, parents=parents, operation="new" if not parents else "revise",
        author="engine:test@1", author_kind="ai", spec=CreativeSpec(), sha256="0" * 64, ext="png",
        mime="image/png",
    ))


@pytest.fixture
def work(repo: Repository) -> str:
    uid = repo.ensure_user("ada")
    return repo.create_work(repo.ensure_project("p", uid), uid, "a brief", "painting").id


def test_migration_creates_schema_at_head_and_runs_once(repo: Repository) -> None:
    tables = set(inspect(repo.engine).get_table_names())
    assert {"users", "projects", "works", "versions", "version_parents", "recipes", "feedback",
            "contributions", "alembic_version"} <= tables
    with repo.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    repo.migrate()  # second open: no error, no duplicate work


def test_blob_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    blobs.prepare()
    sha, path = blobs.put(b"hello", "txt")
    assert sha == hashlib.sha256(b"hello").hexdigest()
    assert path.read_bytes() == b"hello"
    mtime = path.stat().st_mtime_ns
    assert blobs.put(b"hello", "txt") == (sha, path)
    assert path.stat().st_mtime_ns == mtime  # never rewritten
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []
    assert blobs.read(sha, "txt") == b"hello"


def test_altered_blob_is_detected(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    blobs.prepare()
    sha, path = blobs.put(b"original", "txt")
    path.write_bytes(b"tampered")
    with pytest.raises(Exception, match="does not match its hash"):
        blobs.read(sha, "txt")


def test_lineage_follows_merges_both_ways(repo: Repository, work: str) -> None:
    #   a → b → d ← c ← a ;  d → e
    a, b, c, d, e = ("a" * 32, "b" * 32, "c" * 32, "d" * 32, "e" * 32)
    _add(repo, work, a, [])
    _add(repo, work, b, [a])
    _add(repo, work, c, [a])
    _add(repo, work, d, [b, c])
    _add(repo, work, e, [d])
    assert sorted(repo.ancestors(e)) == sorted([a, b, c, d])
    assert sorted(repo.descendants(a)) == sorted([b, c, d, e])
    assert repo.ancestors(a) == []
    assert repo.version(d).parents == [b, c]
    assert [v.seq for v in repo.versions_of(work)] == [1, 2, 3, 4, 5]


def test_prefix_resolution_unique_ambiguous_and_unknown(repo: Repository, work: str) -> None:
    _add(repo, work, "ab12" + "0" * 28, [])
    _add(repo, work, "ab34" + "0" * 28, [])
    assert repo.resolve("ab1") == "ab12" + "0" * 28
    with pytest.raises(Ambiguous, match="ambiguous"):
        repo.resolve("ab")
    with pytest.raises(NotFound) as exc:
        repo.resolve("ab13")
    assert "did you mean" in str(exc.value)
    with pytest.raises(NotFound, match="hexadecimal"):
        repo.resolve("zz!")


def test_soft_delete_keeps_the_row_and_restore_brings_it_back(repo: Repository, work: str) -> None:
    vid = "f" * 32
    _add(repo, work, vid, [])
    repo.set_deleted(vid, True)
    assert repo.version(vid).deleted
    repo.set_deleted(vid, False)
    assert not repo.version(vid).deleted


def test_versions_of_reads_parents_in_order_and_sees_another_process_deleting(
        repo: Repository, work: str, tmp_path: Path) -> None:
    """The second read comes from the record cache; the deleted mark must still be the
    database's, also when another process (here: a second repository) changed it."""
    _add(repo, work, "a" * 32, [])
    _add(repo, work, "b" * 32, [])
    _add(repo, work, "c" * 32, ["b" * 32, "a" * 32])  # a blend: parent order matters
    first = repo.versions_of(work)
    assert [v.id[0] for v in first] == ["a", "b", "c"]
    assert first[2].parents == ["b" * 32, "a" * 32]
    other = Repository(repo.url)
    other.set_deleted("b" * 32, True)
    again = repo.versions_of(work)
    assert [v.deleted for v in again] == [False, True, False]
    assert again[2].parents == ["b" * 32, "a" * 32] and again[2].spec == first[2].spec
    assert first[1].deleted is False  # the earlier answer was not changed under its holder
    other.set_deleted("b" * 32, False)
    assert [v.deleted for v in repo.versions_of(work)] == [False, False, False]
    _add(other, work, "d" * 32, ["c" * 32])  # a version written elsewhere appears
    assert [v.id[0] for v in repo.versions_of(work)] == ["a", "b", "c", "d"]
    other.close()


def test_record_cache_forgets_the_least_recently_used() -> None:
    from duetto.store.record_cache import RecordCache
    from duetto.store.records import VersionRecord

    def record(vid: str) -> VersionRecord:
        return VersionRecord(id=vid, work_id="w", parents=[], operation="new", author="engine:t@1",
                             author_kind="ai", spec=CreativeSpec(), sha256="0" * 64, ext="png",
                             mime="image/png", seq=1, created_at="2026-01-01T00:00:00")

    cache = RecordCache(capacity=2)
    cache.put(record("x"))
    cache.put(record("y"))
    assert cache.get("x", False) is not None  # x is now the most recent
    cache.put(record("z"))
    assert cache.get("y", False) is None
    assert cache.get("x", True).deleted is True and cache.get("x", False).deleted is False
    assert cache.get("z", False) is not None
    with pytest.raises(ValueError, match="at least one"):
        RecordCache(capacity=0)
