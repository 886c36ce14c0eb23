"""Queueing an operation as a job: the request is validated as the operation's own model
before anything is stored, so a bad request is a 4xx now rather than a failed job later."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import ValidationError

from duetto.api.auth import Caller, server_of
from duetto.api.models import JobAccepted
from duetto.errors import InvalidInput
from duetto.table import OPERATIONS, describe_errors


def submit(request: Request, who: Caller, project_id: str, kind: str, fields: dict[str, Any]) -> JobAccepted:
    model = OPERATIONS[kind].request_model
    try:
        payload = model.model_validate(fields).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        raise InvalidInput(describe_errors(exc)) from None
    server = server_of(request)
    job = server.jobs.enqueue(project_id, who.user.id, kind, payload)
    runner = getattr(request.app.state, "runner", None)
    if runner is not None:
        runner.wake()
    return JobAccepted(job=job.id, status=job.status, events=f"/api/jobs/{job.id}/events")
