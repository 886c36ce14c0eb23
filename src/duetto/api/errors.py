"""Every failure leaves the API as ``{"error": {"code", "message", "hint"?}}`` with a fitting
status; no stack trace ever reaches a response."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from duetto.errors import DuettoError, Forbidden, InvalidInput

log = logging.getLogger("duetto.api")

STATUS: dict[str, int] = {
    "invalid_input": 400, "unauthorized": 401, "forbidden": 403, "csrf": 403, "not_found": 404,
    "ambiguous_id": 409, "conflict": 409, "not_replayable": 409, "replay_mismatch": 409,
    "too_large": 413, "studio_unavailable": 503, "engine_failure": 500,
}
HTTP_CODES = {400: "invalid_input", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "too_large"}


class ErrorDetail(BaseModel):
    code: str
    message: str
    hint: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class CsrfFailed(Forbidden):
    code = "csrf"


class TooLarge(InvalidInput):
    code = "too_large"


def body(code: str, message: str, hint: str | None = None) -> dict[str, dict[str, str]]:
    detail = {"code": code, "message": message}
    if hint:
        detail["hint"] = hint
    return {"error": detail}


def status_of(exc: DuettoError) -> int:
    return STATUS.get(exc.code, exc.http_status)


async def _duetto(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DuettoError)
    return JSONResponse(body(exc.code, exc.message, exc.hint), status_code=status_of(exc))


def readable(error: Mapping[str, Any]) -> str:
    """One pydantic error in a person's words: a field that must be given or must not be
    empty says so ("brief: is required", "brief: must not be empty"), and a validator's own
    message comes without pydantic's "Value error, " in front of it."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1:
        return "must not be empty"
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    more = len(exc.errors()) - 1
    hint = f"and {more} more problem(s)" if more > 0 else None
    return JSONResponse(body("invalid_input", f"{where}: {readable(first)}", hint), status_code=422)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    return JSONResponse(body(code, message), status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return JSONResponse(body("internal_error", f"unexpected {type(exc).__name__}; see the server log"),
                        status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DuettoError, _duetto)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 404, 409, 422)
}
