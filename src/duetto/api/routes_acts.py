"""One HTTP route per act of the operations table, generated from its row.

A row whose request names a version gets ``POST /api/versions/{version_id}/<act>`` (the path
fills that field); other rows their own path (``/api/works``, ``/api/blend`` …). The body is the
act's own request model less the path's field, plus ``project`` where the act may name no version
(a new work, a palette from a colour): so the API's limits and descriptions are the table's, and
its OpenAPI schema is generated from the same models the CLI validates with.

Every version a request names is access-checked for the act's permission and must be in one
project. Job acts answer 202 with the job; ``sync`` and ``read`` acts answer their result.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

from fastapi import APIRouter, Body, Path, Request
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.concurrency import run_in_threadpool

from duetto.api.auth import (
    Caller,
    CallerDep,
    project_id_of,
    project_role,
    server_of,
    version_access,
)
from duetto.api.errors import ERROR_RESPONSES
from duetto.api.models import JobAccepted, version_out
from duetto.api.submit import submit
from duetto.errors import InvalidInput
from duetto.studio.kernel import Result
from duetto.table import OPERATIONS, Operation

router = APIRouter(prefix="", tags=["acts"], responses=ERROR_RESPONSES)


class ActResult(BaseModel):
    """A ``sync`` act's new versions, with the URLs of their files."""

    work: dict[str, Any]
    versions: list[dict[str, Any]]
    notes: list[str] = Field(default_factory=list)


def may_name_no_version(op: Operation) -> bool:
    """True when a request can be valid without any version (a route with none in its path, whose
    version fields are all optional): it then acts in the project its body names."""
    fields = op.request_model.model_fields
    return op.path_ref is None and all(not fields[name].is_required() for name in op.refs)


def body_model(op: Operation) -> type[BaseModel]:
    """The act's request model less the path's field, plus ``project`` when it may need one."""
    model = op.request_model
    fields: dict[str, Any] = {name: (f.annotation, f) for name, f in model.model_fields.items() if name != op.path_ref}
    if may_name_no_version(op):
        required = not op.refs
        fields["project"] = (str if required else str | None, Field(... if required else None, max_length=200,
                                                                        description="Project name (or id)."))
    name = "".join(part.capitalize() for part in op.name.split("_")) + "Body"
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=model.__doc__, **fields)


def _refs(op: Operation, fields: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for name in op.refs:
        value = fields.get(name)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found += [v for v in value if isinstance(v, str)]
    return found


def _resolve(request: Request, who: Caller, op: Operation, fields: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The studio to act in and the request fields with every version ref made a full id, once
    the caller may do ``op`` on each of them; versions of two projects are refused."""
    server = server_of(request)
    refs = _refs(op, fields)
    if refs:
        found = {ref: version_access(server, who, ref, op.name) for ref in refs}
        projects = {studio.project_id for studio, _ in found.values()}
        if len(projects) > 1:
            raise InvalidInput(f"cannot {op.name} versions of different projects")
        if fields.get("project"):
            raise InvalidInput("name versions or a project, not both")
        fields.pop("project", None)
        for name in op.refs:
            value = fields.get(name)
            if isinstance(value, str):
                fields[name] = found[value][1].id
            elif isinstance(value, list):
                fields[name] = [found[v][1].id for v in value]
        return next(iter(found.values()))[0], fields
    project = fields.pop("project", None)
    if not project:
        raise InvalidInput(f"{op.name} needs a version or a project", hint="add \"project\": \"<name>\" to the body")
    pid = project_id_of(server, project)
    project_role(server, who, pid, op.name, f"{op.name} in {project}")
    return server.studio_for(who.user.name, who.user.id, pid), fields


def answer(result: Any) -> Any:
    if isinstance(result, Result):
        return ActResult(work=result.work.model_dump(mode="json"),
                         versions=[version_out(v).model_dump(mode="json") for v in result.versions], notes=result.notes)
    return result


def result_model(op: Operation) -> Any:
    if op.mode == "job":
        return JobAccepted
    returned = typing.get_type_hints(op.function).get("return")
    return ActResult if returned is Result else returned


def _endpoint(op: Operation) -> Any:
    body_type = body_model(op)

    optional = all(not f.is_required() for f in body_type.model_fields.values())

    async def endpoint(request: Request, body: BaseModel | None, who: Caller, version_id: str | None = None) -> Any:
        fields = (body or body_type()).model_dump()
        if op.path_ref is not None:
            fields[op.path_ref] = version_id
        studio, fields = await run_in_threadpool(_resolve, request, who, op, fields)
        if op.mode == "job":
            return submit(request, who, studio.project_id, op.name, fields)
        req = op.build(**fields)
        return answer(await run_in_threadpool(op, studio, req))

    params = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    if op.path_ref is not None:
        params.append(inspect.Parameter("version_id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str,
                                        default=Path(description="The version (id or unique prefix).")))
    params += [
        inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          annotation=body_type | None if optional else body_type,
                          default=Body(None) if optional else Body()),  # a body of defaults may be left out
        inspect.Parameter("who", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Caller, default=CallerDep),
    ]

    async def route(**kwargs: Any) -> Any:
        return await endpoint(kwargs["request"], kwargs["body"], kwargs["who"], kwargs.get("version_id"))

    route.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    route.__name__ = f"act_{op.name}"
    route.__doc__ = op.summary
    return route


for _op in OPERATIONS.values():
    if _op.handwritten:
        continue
    _method, _path = _op.http
    router.add_api_route(
        _path, _endpoint(_op), methods=[_method], status_code=202 if _op.mode == "job" else 200,
        response_model=result_model(_op), summary=_op.summary.split(":")[0].rstrip("."), description=_op.summary,
        name=f"act_{_op.name}", tags=[_op.media[0] if len(_op.media) == 1 else "acts"],
    )
