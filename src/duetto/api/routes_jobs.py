"""Jobs: poll one, cancel, retry, and listen to events over a websocket."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from duetto.api.auth import (
    Caller,
    CallerDep,
    identify,
    project_id_of,
    project_role,
    server_of,
)
from duetto.api.errors import ERROR_RESPONSES, status_of
from duetto.api.jobs import JobEvent, finished
from duetto.api.models import JobAccepted
from duetto.api.server import Server
from duetto.errors import DuettoError, NotFound
from duetto.store.records import JobRecord

router = APIRouter(prefix="/api", tags=["jobs"], responses=ERROR_RESPONSES)


def _job(server: Server, who: Caller, job_id: str, operation: str) -> JobRecord:
    try:
        job = server.jobs.get(job_id)
    except NotFound:
        raise NotFound(f"no job {job_id}") from None
    project_role(server, who, job.project_id, operation, f"{operation} job {job_id}")
    return job


@router.get("/jobs/{job_id}", response_model=JobRecord)
async def get_job(job_id: str, request: Request, who: Caller = CallerDep) -> JobRecord:
    return _job(server_of(request), who, job_id, "jobs")


@router.post("/jobs/{job_id}/cancel", response_model=JobRecord)
def cancel_job(job_id: str, request: Request, who: Caller = CallerDep) -> JobRecord:
    """A queued job is cancelled at once; a running one stops at its next progress report."""
    server = server_of(request)
    _job(server, who, job_id, "cancel_job")
    record = server.jobs.request_cancel(job_id)
    runner = getattr(request.app.state, "runner", None)
    if runner is not None and record.status == "cancelled":
        runner.broker.publish(JobEvent.of(record))
    return record


@router.post("/jobs/{job_id}/retry", status_code=202, response_model=JobAccepted)
def retry_job(job_id: str, request: Request, who: Caller = CallerDep) -> JobAccepted:
    """An interrupted or failed job again, as a new job with the same request."""
    server = server_of(request)
    _job(server, who, job_id, "retry_job")
    new_id = server.jobs.retry(job_id, who.user.id)
    runner = getattr(request.app.state, "runner", None)
    if runner is not None:
        runner.wake()
    return JobAccepted(job=new_id, status="queued", events=f"/api/jobs/{new_id}/events")


async def _refuse(ws: WebSocket, exc: DuettoError) -> None:
    await ws.accept()
    await ws.send_json({"error": {"code": exc.code, "message": exc.message}})
    await ws.close(code=4000 + status_of(exc))


@router.websocket("/jobs/{job_id}/events")
async def job_events(ws: WebSocket, job_id: str) -> None:
    """Events ``{job, status, progress, message, versions?}`` until the job ends; the first one is
    the job's state now. Auth: the session cookie or ``?token=``."""
    server = server_of(ws)
    try:
        who = await run_in_threadpool(identify, server, ws, query_token=True)
        job = await run_in_threadpool(_job, server, who, job_id, "jobs")
    except DuettoError as exc:
        await _refuse(ws, exc)
        return
    await ws.accept()
    broker = ws.app.state.broker
    queue = broker.subscribe(lambda e: e.job == job_id)
    try:
        job = await run_in_threadpool(server.jobs.get, job_id)  # after subscribing: no event missed
        await ws.send_json(JobEvent.of(job).model_dump(mode="json"))
        status = job.status
        while not finished(status):
            event = await queue.get()
            await ws.send_json(event.model_dump(mode="json"))
            status = event.status
        await ws.close()
    except WebSocketDisconnect:
        pass
    finally:
        broker.unsubscribe(queue)


@router.websocket("/events")
async def project_events(ws: WebSocket, project: str = Query(...)) -> None:
    """Every job event of one project the caller can view, until they hang up."""
    server = server_of(ws)
    try:
        who = await run_in_threadpool(identify, server, ws, query_token=True)
        pid = await run_in_threadpool(project_id_of, server, project)
        await run_in_threadpool(project_role, server, who, pid, "jobs", f"watch {project}")
    except DuettoError as exc:
        await _refuse(ws, exc)
        return
    await ws.accept()
    broker = ws.app.state.broker
    queue = broker.subscribe(lambda e: e.project_id == pid)
    try:
        while True:
            receive = asyncio.ensure_future(ws.receive())
            get = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({receive, get}, return_when=asyncio.FIRST_COMPLETED)
            if receive in done:
                get.cancel()
                if receive.result().get("type") == "websocket.disconnect":
                    return
                continue
            receive.cancel()
            await ws.send_json(get.result().model_dump(mode="json"))
    except WebSocketDisconnect:
        pass
    finally:
        broker.unsubscribe(queue)
