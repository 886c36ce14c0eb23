"""Persisted jobs: long operations queued by the API and run by workers, kept in the database so
they survive a restart.

Pure storage, no threads. The life of a job::

    queued ──claim──▶ running ──finish──▶ done | failed | cancelled
      │                  │
      └─request_cancel─▶ cancelled      (a running job only gets ``cancel_requested``; its
                                          worker sees it on its next ``progress`` and stops)
    running ──recover_after_restart──▶ interrupted ──retry──▶ (a new queued job)

Every change of status is a conditional ``UPDATE … WHERE status = <expected>`` whose row count
says whether it happened, so two workers (threads or processes) can never claim the same job
and a late ``finish`` cannot overwrite a job that was recovered or cancelled meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from duetto.errors import Conflict, InvalidInput, NotFound
from duetto.store.models import Job, Project, User
from duetto.store.records import JobError, JobRecord, JobStatus
from duetto.store.repository import Repository, new_id, now

INTERRUPTED = JobError(code="interrupted", message="the server stopped while this job was running; retry it")


def _record(row: Job) -> JobRecord:
    return JobRecord(
        id=row.id, project_id=row.project_id, user_id=row.user_id, kind=row.kind, request=row.request,
        status=row.status,  # type: ignore[arg-type]
        progress=row.progress, message=row.message, result=row.result,
        error=JobError.model_validate(row.error) if row.error else None,
        cancel_requested=bool(row.cancel_requested), created_at=row.created_at, started_at=row.started_at,
        finished_at=row.finished_at,
    )


class Jobs:
    """The job table of one studio's ``Repository``."""

    def __init__(self, repo: Repository, *, clock: Callable[[], datetime] = now) -> None:
        self.repo = repo
        self.clock = clock

    # -- making and reading ----------------------------------------------------------------------

    def enqueue(self, project_id: str, user_id: str, kind: str, request: dict[str, Any]) -> JobRecord:
        """A new queued job. ``request`` is the operation's request model as JSON (it is run
        again from exactly this on retry)."""
        if not 1 <= len(kind) <= 64:
            raise InvalidInput("a job kind is the operation's name, 1-64 characters")
        try:
            json.dumps(request, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"a job request must be plain JSON: {exc}") from None
        with self.repo.session() as s:
            if s.get(Project, project_id) is None:
                raise NotFound(f"no project with id {project_id}")
            if s.get(User, user_id) is None:
                raise NotFound(f"no user with id {user_id}")
            row = Job(id=new_id(), project_id=project_id, user_id=user_id, kind=kind, request=request,
                      status="queued", progress=0.0, message="", cancel_requested=False, created_at=self.clock())
            s.add(row)
            s.flush()
            return _record(row)

    def get(self, job_id: str) -> JobRecord:
        with self.repo.session() as s:
            return _record(self._row(s, job_id))

    @staticmethod
    def _row(s: Session, job_id: str) -> Job:
        row = s.get(Job, job_id)
        if row is None:
            raise NotFound(f"no job {job_id}")
        return row

    def list_jobs(
        self,
        *,
        project_id: str | None = None,
        user_id: str | None = None,
        status: JobStatus | None = None,
        limit: int = 100,
    ) -> list[JobRecord]:
        """Newest first, filtered by project, user and status when given."""
        query = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
        if project_id is not None:
            query = query.where(Job.project_id == project_id)
        if user_id is not None:
            query = query.where(Job.user_id == user_id)
        if status is not None:
            query = query.where(Job.status == status)
        with self.repo.session() as s:
            return [_record(r) for r in s.scalars(query)]

    # -- a worker's side ------------------------------------------------------------------------

    def claim(self) -> JobRecord | None:
        """Take the oldest queued job (now running), or None when nothing is queued.

        Read a candidate, then flip it with ``UPDATE … WHERE status = 'queued'``: whoever
        loses the race updates no row and simply tries the next candidate."""
        while True:
            with self.repo.session() as s:
                candidate = s.scalar(
                    select(Job.id).where(Job.status == "queued").order_by(Job.created_at, Job.id).limit(1)
                )
            if candidate is None:
                return None
            with self.repo.session() as s:
                won = s.execute(
                    update(Job)
                    .where(Job.id == candidate, Job.status == "queued")
                    .values(status="running", started_at=self.clock())
                ).rowcount
                if won:
                    return _record(self._row(s, candidate))

    def progress(self, job_id: str, fraction: float, message: str | None = None) -> JobRecord:
        """Record how far a running job is (0..1) and what it is doing. The returned record's
        ``cancel_requested`` is how the worker learns it should stop."""
        if not 0.0 <= fraction <= 1.0:
            raise InvalidInput(f"job progress is a fraction from 0 to 1, not {fraction}")
        values: dict[str, Any] = {"progress": fraction}
        if message is not None:
            values["message"] = message
        with self.repo.session() as s:
            if not s.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values)).rowcount:
                raise self._not_in(s, job_id, "running")
            return _record(self._row(s, job_id))

    def finish(
        self,
        job_id: str,
        status: Literal["done", "failed", "cancelled"],
        *,
        result: dict[str, Any] | None = None,
        error: JobError | None = None,
    ) -> JobRecord:
        """End a running job: ``done`` with its result, ``failed`` with an error, or
        ``cancelled`` (the worker stopped after a cancel request)."""
        if status not in ("done", "failed", "cancelled"):
            raise InvalidInput(f"a job finishes done, failed or cancelled, not {status!r}")
        if (status == "failed") != (error is not None):
            raise InvalidInput("a failed job needs an error, and only a failed job has one")
        values: dict[str, Any] = {
            "status": status, "result": result, "error": error.model_dump() if error else None,
            "finished_at": self.clock(),
        }
        if status == "done":
            values["progress"] = 1.0
        with self.repo.session() as s:
            if not s.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values)).rowcount:
                raise self._not_in(s, job_id, "running")
            return _record(self._row(s, job_id))

    # -- a person's side ------------------------------------------------------------------------

    def request_cancel(self, job_id: str) -> JobRecord:
        """A queued job is cancelled at once; a running one is asked to stop (its worker ends it).
        Cancelling a cancelled job again is harmless; a finished one is a conflict."""
        stamp = self.clock()
        with self.repo.session() as s:
            if s.execute(
                update(Job).where(Job.id == job_id, Job.status == "queued")
                .values(status="cancelled", cancel_requested=True, finished_at=stamp)
            ).rowcount:
                return _record(self._row(s, job_id))
            if s.execute(
                update(Job).where(Job.id == job_id, Job.status == "running").values(cancel_requested=True)
            ).rowcount:
                return _record(self._row(s, job_id))
            row = self._row(s, job_id)
            if row.status == "cancelled":
                return _record(row)
            raise Conflict(f"job {job_id[:10]} is already {row.status}")

    def retry(self, job_id: str, user_id: str | None = None) -> str:
        """Queue an interrupted or failed job again, as a new job with the same request (the old
        one stays as it ended, for the record). ``user_id`` is who asked; default the original."""
        with self.repo.session() as s:
            old = self._row(s, job_id)
            if old.status not in ("interrupted", "failed"):
                raise Conflict(f"job {job_id[:10]} is {old.status}; only interrupted or failed jobs are retried")
            row = Job(id=new_id(), project_id=old.project_id, user_id=user_id or old.user_id, kind=old.kind,
                      request=old.request, status="queued", progress=0.0, message="", cancel_requested=False,
                      created_at=self.clock())
            s.add(row)
            return row.id

    # -- after a restart ------------------------------------------------------------------------

    def recover_after_restart(self) -> list[str]:
        """Call once at start-up, before any worker runs: a job still ``running`` lost its
        worker with the old process. It becomes ``interrupted`` (with an error saying so) and
        can be retried; one whose cancel had been asked becomes ``cancelled``. Queued jobs stay
        queued and run as usual. Returns the ids marked interrupted."""
        stamp = self.clock()
        with self.repo.session() as s:
            s.execute(
                update(Job).where(Job.status == "running", Job.cancel_requested.is_(True))
                .values(status="cancelled", finished_at=stamp)
            )
            lost = list(s.scalars(select(Job.id).where(Job.status == "running")))
            s.execute(
                update(Job).where(Job.status == "running")
                .values(status="interrupted", error=INTERRUPTED.model_dump(), finished_at=stamp)
            )
            return lost

    def _not_in(self, s: Session, job_id: str, expected: str) -> Exception:
        row = self._row(s, job_id)  # NotFound when there is no such job
        return Conflict(f"job {job_id[:10]} is {row.status}, not {expected}")
