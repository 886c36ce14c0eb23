"""Queueing an operation as a job: the request is validated as the operation's own model
before anything is stored, so a bad request is a 4xx now rather than a failed job later."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import ValidationError

from duetto.api.auth import Caller, server_of
from duetto.api.jobs import KINDS
from duetto.api.models import JobAccepted
from duetto.errors import InvalidInput


def submit(request: Request, who: Caller, project_id: str, kind: str, fields: dict[str, Any]) -> JobAccepted:
    model = KINDS[kind][0]
    try:
        payload = model.model_validate(fields).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "request"
        raise InvalidInput(f"{where}: {first['msg']}") from None
    server = server_of(request)
    job = server.jobs.enqueue(project_id, who.user.id, kind, payload)
    runner = getattr(request.app.state, "runner", None)
    if runner is not None:
        runner.wake()
    return JobAccepted(job=job.id, status=job.status, events=f"/api/jobs/{job.id}/events")
