"""The job worker: runs queued operations in a background thread and tells listeners how far
they are.

Jobs live in the database (``duetto.store.jobs``), so this runner holds nothing that a restart
could lose: on start it marks jobs orphaned by a dead process ``interrupted``, then claims
queued ones oldest first. Progress is written at most ``PROGRESS_EVERY`` seconds apart (the
engine may report hundreds of steps) and published to an in-memory ``Broker`` that websockets
listen to; polling reads the same state from the database.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel

from duetto.api.server import Server
from duetto.errors import DuettoError
from duetto.store.records import FINISHED, JobError, JobRecord, VersionRecord
from duetto.studio.kernel import Result
from duetto.table import OPERATIONS

log = logging.getLogger("duetto.api.jobs")
PROGRESS_EVERY = 0.2  # seconds: at most ~5 database writes a second per job


class Cancelled(DuettoError):
    """Raised inside a running operation when its job was asked to stop. A ``DuettoError`` so
    that the engine wrapper passes it through instead of calling it an engine failure."""

    code = "cancelled"


# Job kinds stored before the operations table named every act as the CLI does.
RENAMED_KINDS = {"cowrite": "write", "music_edit": "music"}


class JobEvent(BaseModel):
    job: str
    project_id: str
    status: str
    progress: float
    message: str = ""
    versions: list[str] | None = None
    error: JobError | None = None

    @classmethod
    def of(cls, record: JobRecord) -> JobEvent:
        versions = (record.result or {}).get("versions")
        return cls(job=record.id, project_id=record.project_id, status=record.status, progress=record.progress,
                   message=record.message, versions=versions, error=record.error)


class Broker:
    """Fan-out of job events to asyncio listeners, safe to publish from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[JobEvent], Callable[[JobEvent], bool]]] = []

    def subscribe(self, wanted: Callable[[JobEvent], bool]) -> asyncio.Queue[JobEvent]:
        queue: asyncio.Queue[JobEvent] = asyncio.Queue()
        with self._lock:
            self._subs.append((asyncio.get_running_loop(), queue, wanted))
        return queue

    def unsubscribe(self, queue: asyncio.Queue[JobEvent]) -> None:
        with self._lock:
            self._subs = [s for s in self._subs if s[1] is not queue]

    def publish(self, event: JobEvent) -> None:
        with self._lock:
            subs = list(self._subs)
        for loop, queue, wanted in subs:
            if wanted(event):
                try:
                    loop.call_soon_threadsafe(queue.put_nowait, event)
                except RuntimeError:  # that listener's loop has closed
                    self.unsubscribe(queue)


class _Progress:
    """The operations' ``on_version`` callback for one job: throttled progress writes, cancel
    checks, events."""

    def __init__(self, runner: JobRunner, job: JobRecord) -> None:
        self.runner, self.job = runner, job
        self.last = 0.0
        self.versions: list[str] = []

    def _report(self, fraction: float, message: str, force: bool = False) -> None:
        stamp = time.monotonic()
        if not force and stamp - self.last < PROGRESS_EVERY:
            return
        self.last = stamp
        record = self.runner.server.jobs.progress(self.job.id, min(max(fraction, 0.0), 1.0), message)
        if record.cancel_requested or self.runner.stopping.is_set():
            raise Cancelled("the job was cancelled")
        event = JobEvent.of(record)
        event.versions = list(self.versions)
        self.runner.broker.publish(event)

    def __call__(self, i: int, n: int, version: VersionRecord) -> None:
        self.versions.append(version.id)
        self._report((i + 1) / n, f"{i + 1}/{n} done: {version.id[:10]}", force=True)

    def step(self, i: int, n: int, fraction: float, what: str) -> None:
        self._report((i + min(max(fraction, 0.0), 0.999)) / n, f"{i + 1}/{n}: {what}")


class JobRunner:
    def __init__(self, server: Server, broker: Broker, *, threads: int = 1, poll: float = 0.2) -> None:
        self.server, self.broker = server, broker
        self.threads, self.poll = threads, poll
        self.stopping = threading.Event()
        self.wake_up = threading.Event()
        self._workers: list[threading.Thread] = []

    def start(self) -> None:
        for job_id in self.server.jobs.recover_after_restart():
            log.warning("job %s was running when the server stopped; marked interrupted", job_id)
        for n in range(self.threads):
            worker = threading.Thread(target=self._loop, name=f"duetto-job-{n}", daemon=True)
            worker.start()
            self._workers.append(worker)

    def stop(self, timeout: float = 10.0) -> None:
        """Ask running jobs to stop at their next progress report, and wait a while for them.
        A job still running when the process ends is marked interrupted on the next start."""
        self.stopping.set()
        self.wake_up.set()
        for worker in self._workers:
            worker.join(timeout)

    def wake(self) -> None:
        self.wake_up.set()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                job = self.server.jobs.claim()
                if job is not None:
                    self.run(job)
                    continue
            except DuettoError as exc:  # a busy or vanished database: wait, then try again
                log.error("job worker: %s", exc)
            self.wake_up.wait(self.poll)
            self.wake_up.clear()

    def run(self, job: JobRecord) -> None:
        self.broker.publish(JobEvent.of(job))
        progress = _Progress(self, job)
        try:
            result = self._execute(job, progress)
        except Cancelled:
            if self.stopping.is_set() and not self.server.jobs.get(job.id).cancel_requested:
                return  # left running: the next start marks it interrupted, and it can be retried
            record = self._finish(job.id, "cancelled", result={"versions": progress.versions})
        except Exception as exc:  # every failure ends the job; the worker lives on
            if not isinstance(exc, DuettoError):
                log.exception("job %s failed", job.id)
            record = self._finish(job.id, "failed", error=JobError.of(exc))
        else:
            record = self._finish(job.id, "done", result=result)
        if record is not None:
            self.broker.publish(JobEvent.of(record))

    def _finish(self, job_id: str, status: Literal["done", "failed", "cancelled"], **kw: Any) -> JobRecord | None:
        """None when the job is no longer ours to end (recovered or cancelled meanwhile)."""
        try:
            return self.server.jobs.finish(job_id, status, **kw)
        except DuettoError as exc:
            log.warning("job %s could not be marked %s: %s", job_id, status, exc)
            return None

    def _execute(self, job: JobRecord, progress: _Progress) -> dict[str, Any]:
        op = OPERATIONS[RENAMED_KINDS.get(job.kind, job.kind)]
        request = op.request_model.model_validate(job.request)
        user = self.server.accounts.user_by_id(job.user_id)
        studio = self.server.studio_for(user.name, user.id, job.project_id)
        out = op(studio, request, progress)
        if isinstance(out, Result):
            return {"work": out.work.id, "versions": [v.id for v in out.versions], "notes": out.notes}
        if hasattr(out, "version") and hasattr(out, "identical"):  # a replay: the version it checked
            return {"work": out.version.work_id, "versions": [out.version.id], "identical": out.identical}
        return out.model_dump(mode="json")


def finished(status: str) -> bool:
    return status in FINISHED
