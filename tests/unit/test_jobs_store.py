"""Persisted jobs: the queue a worker claims from, cancel, finish, restart recovery and retry."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from duetto.errors import Conflict, InvalidInput, NotFound
from duetto.store import Repository
from duetto.store.jobs import Jobs
from duetto.store.records import JobError
from duetto.store.repository import now


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2026, 1, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        self.t += timedelta(milliseconds=1)  # every reading later than the last: a strict order
        return self.t


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite'}"


@pytest.fixture
def repo(db: str) -> Repository:
    r = Repository(db)
    r.migrate()
    return r


@pytest.fixture
def jobs(repo: Repository) -> Jobs:
    return Jobs(repo, clock=Clock())


@pytest.fixture
def place(repo: Repository) -> tuple[str, str]:
    uid = repo.ensure_user("ada")
    return repo.ensure_project("default", uid), uid


def _enqueue(jobs: Jobs, place: tuple[str, str], n: int = 1, kind: str = "revise") -> list[str]:
    return [jobs.enqueue(place[0], place[1], kind, {"version": f"v{i}", "feedback": "更温暖"}).id for i in range(n)]


def test_enqueue_then_claim_oldest_first(jobs: Jobs, place: tuple[str, str]) -> None:
    first, second = _enqueue(jobs, place, 2)
    queued = jobs.get(first)
    assert (queued.status, queued.progress, queued.started_at, queued.request) == (
        "queued", 0.0, None, {"version": "v0", "feedback": "更温暖"})
    claimed = jobs.claim()
    assert claimed is not None and claimed.id == first and claimed.status == "running"
    assert claimed.started_at is not None and claimed.started_at > claimed.created_at
    assert jobs.claim().id == second  # type: ignore[union-attr]
    assert jobs.claim() is None


def test_enqueue_checks_its_inputs(jobs: Jobs, place: tuple[str, str]) -> None:
    with pytest.raises(NotFound):
        jobs.enqueue("0" * 32, place[1], "new", {})
    with pytest.raises(NotFound):
        jobs.enqueue(place[0], "0" * 32, "new", {})
    with pytest.raises(InvalidInput, match="plain JSON"):
        jobs.enqueue(place[0], place[1], "new", {"when": datetime(2026, 1, 1)})
    with pytest.raises(InvalidInput):
        jobs.enqueue(place[0], place[1], "", {})
    assert jobs.list_jobs() == []


def test_two_threads_claiming_never_get_the_same_job(db: str, repo: Repository, place: tuple[str, str]) -> None:
    ids = _enqueue(Jobs(repo), place, 60)
    start = threading.Barrier(2)
    taken: list[list[str]] = [[], []]

    def worker(mine: list[str]) -> None:
        own = Jobs(Repository(db))  # like a second worker: its own engine and connections
        start.wait()
        while (job := own.claim()) is not None:
            mine.append(job.id)
        own.repo.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    everything = taken[0] + taken[1]
    assert len(everything) == len(set(everything)) == 60
    assert set(everything) == set(ids)
    assert all(j.status == "running" for j in Jobs(repo).list_jobs(limit=100))


def test_a_worker_that_loses_the_race_takes_the_next_job(repo: Repository, place: tuple[str, str]) -> None:
    """Deterministic version of the race: between reading its candidate and flipping it, worker A
    is overtaken by worker B, which claims that same job first."""
    first, second = _enqueue(Jobs(repo), place, 2)
    b = Jobs(repo)
    stolen: list[str] = []

    def overtaken() -> datetime:  # A reads the clock after choosing, before its UPDATE
        if not stolen:
            stolen.append(b.claim().id)  # type: ignore[union-attr]
        return now()

    a = Jobs(repo, clock=overtaken)
    assert a.claim().id == second  # type: ignore[union-attr]
    assert stolen == [first]


def test_progress_and_finish(jobs: Jobs, place: tuple[str, str]) -> None:
    (jid,) = _enqueue(jobs, place)
    with pytest.raises(Conflict, match="queued, not running"):
        jobs.progress(jid, 0.1)
    jobs.claim()
    record = jobs.progress(jid, 0.25, "painting variant 1/4")
    assert (record.progress, record.message, record.cancel_requested) == (0.25, "painting variant 1/4", False)
    assert jobs.progress(jid, 0.5).message == "painting variant 1/4"  # message kept when not given
    for bad in (-0.01, 1.01, float("nan")):
        with pytest.raises(InvalidInput):
            jobs.progress(jid, bad)
    with pytest.raises(InvalidInput, match="needs an error"):
        jobs.finish(jid, "failed")
    with pytest.raises(InvalidInput):
        jobs.finish(jid, "done", error=JobError(code="x", message="y"))
    done = jobs.finish(jid, "done", result={"versions": ["abc"]})
    assert (done.status, done.progress, done.result, done.error) == ("done", 1.0, {"versions": ["abc"]}, None)
    assert done.finished_at is not None
    with pytest.raises(Conflict, match="is done"):
        jobs.finish(jid, "failed", error=JobError(code="x", message="y"))
    with pytest.raises(NotFound):
        jobs.progress("f" * 32, 0.5)


def test_a_failed_job_keeps_its_error(jobs: Jobs, place: tuple[str, str]) -> None:
    (jid,) = _enqueue(jobs, place)
    jobs.claim()
    failed = jobs.finish(jid, "failed", error=JobError.of(NotFound("no version 3ab2")))
    assert failed.status == "failed" and failed.error == JobError(code="not_found", message="no version 3ab2")
    assert JobError.of(ZeroDivisionError("division by zero")).code == "internal_error"


def test_cancel_a_queued_job_at_once_and_a_running_one_through_its_worker(jobs: Jobs, place: tuple[str, str]) -> None:
    waiting, busy = _enqueue(jobs, place, 2)
    assert jobs.claim().id == waiting  # type: ignore[union-attr]
    # the first is running now; queue order means `busy` is still queued: swap names for clarity
    running, queued = waiting, busy
    cancelled = jobs.request_cancel(queued)
    assert cancelled.status == "cancelled" and cancelled.finished_at is not None
    assert jobs.claim() is None  # a cancelled job is never picked up
    assert jobs.request_cancel(queued).status == "cancelled"  # again: harmless

    asked = jobs.request_cancel(running)
    assert (asked.status, asked.cancel_requested) == ("running", True)
    assert jobs.progress(running, 0.3).cancel_requested  # how the worker finds out
    assert jobs.finish(running, "cancelled").status == "cancelled"

    (other,) = _enqueue(jobs, place)
    jobs.claim()
    jobs.finish(other, "done", result={})
    with pytest.raises(Conflict, match="already done"):
        jobs.request_cancel(other)


def test_recover_after_restart(db: str, jobs: Jobs, place: tuple[str, str]) -> None:
    running, stopping, finished, waiting = _enqueue(jobs, place, 4)
    for _ in range(3):
        jobs.claim()
    jobs.request_cancel(stopping)
    jobs.finish(finished, "done", result={"ok": True})
    jobs.repo.close()

    after = Jobs(Repository(db))  # a new process opening the same studio
    assert after.recover_after_restart() == [running]
    lost = after.get(running)
    assert lost.status == "interrupted" and lost.finished_at is not None
    assert lost.error is not None and lost.error.code == "interrupted" and "retry" in lost.error.message
    assert after.get(stopping).status == "cancelled"  # its cancel had been asked: honoured
    assert after.get(finished).status == "done" and after.get(finished).error is None
    assert after.get(waiting).status == "queued"
    assert after.recover_after_restart() == []  # idempotent
    assert after.claim().id == waiting  # type: ignore[union-attr]
    with pytest.raises(Conflict):  # the old worker, if it came back, cannot overwrite it
        after.finish(running, "done", result={})


def test_retry_makes_a_new_queued_job_with_the_same_request(jobs: Jobs, repo: Repository,
                                                           place: tuple[str, str]) -> None:
    interrupted, failed, done = _enqueue(jobs, place, 3, kind="breed")
    for _ in range(3):
        jobs.claim()
    jobs.finish(failed, "failed", error=JobError(code="engine_failure", message="boom"))
    jobs.finish(done, "done", result={})
    jobs.recover_after_restart()

    again = jobs.retry(interrupted)
    fresh, old = jobs.get(again), jobs.get(interrupted)
    assert again != interrupted and fresh.status == "queued" and old.status == "interrupted"
    assert (fresh.kind, fresh.request, fresh.project_id, fresh.user_id) == (old.kind, old.request, old.project_id,
                                                                         old.user_id)
    assert (fresh.progress, fresh.error, fresh.started_at) == (0.0, None, None)
    bob = repo.ensure_user("bob")
    assert jobs.get(jobs.retry(failed, user_id=bob)).user_id == bob
    with pytest.raises(Conflict, match="only interrupted or failed"):
        jobs.retry(done)
    with pytest.raises(Conflict):
        jobs.retry(again)  # queued
    assert jobs.claim().id == again  # type: ignore[union-attr]


def test_list_by_project_user_and_status_newest_first(jobs: Jobs, repo: Repository,
                                                      place: tuple[str, str]) -> None:
    project, ada = place
    bob = repo.ensure_user("bob")
    other = repo.ensure_project("songs", bob)
    a1, a2 = _enqueue(jobs, place, 2)
    b1 = jobs.enqueue(other, bob, "new", {}).id
    jobs.claim()
    assert [j.id for j in jobs.list_jobs()] == [b1, a2, a1]
    assert [j.id for j in jobs.list_jobs(project_id=project)] == [a2, a1]
    assert [j.id for j in jobs.list_jobs(user_id=bob)] == [b1]
    assert [j.id for j in jobs.list_jobs(status="running")] == [a1]
    assert [j.id for j in jobs.list_jobs(project_id=project, status="queued", limit=5)] == [a2]
    assert len(jobs.list_jobs(limit=1)) == 1
