"""Acts whose one request reaches more than one studio function, and the reads, in the table's
one signature ``(studio, request, on_version) -> result``.

``new`` with a reference picture or a MIDI file and ``revise`` of a region are the same acts to
a person as plain ``new`` and ``revise``; the choice of function is made here, once, instead of
in every interface. The modules they choose between are imported only when chosen.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from duetto.errors import InvalidInput
from duetto.store.records import VersionRecord
from duetto.studio import operations, queries
from duetto.studio.generate import OnVersion
from duetto.studio.kernel import Request, Result
from duetto.studio.studio import Studio


class WorkRequest(Request):
    work: str = Field(description="A work id (or a unique prefix), or any of its versions' ids.")


class Shown(BaseModel):
    version: VersionRecord
    recipe: dict[str, object] | None
    feedback: list[dict[str, object]]


def new(studio: Studio, req: operations.NewRequest, on_version: OnVersion | None = None) -> Result:
    if req.midi is not None:
        from duetto.studio.music import new_from_midi

        if req.image is not None:
            raise InvalidInput("start from a picture or from a MIDI file, not both")
        return new_from_midi(studio, req, on_version)
    if req.image is not None:
        from duetto.studio.design import new_from_image

        return new_from_image(studio, req, on_version)
    return operations.new(studio, req, on_version)


def revise(studio: Studio, req: operations.ReviseRequest, on_version: OnVersion | None = None) -> Result:
    if req.region_given():
        from duetto.studio.region import region_revise

        return region_revise(studio, req, on_version)
    return operations.revise(studio, req, on_version)


def tree(studio: Studio, req: WorkRequest, on_version: OnVersion | None = None) -> queries.Tree:
    return queries.tree(studio, req.work)


def show(studio: Studio, req: operations.VersionRequest, on_version: OnVersion | None = None) -> Shown:
    v = studio.version(req.version)
    return Shown(version=v, recipe=studio.repo.recipe(v.id), feedback=studio.repo.feedback_on(v.id))


def diff(studio: Studio, req: operations.DiffRequest, on_version: OnVersion | None = None) -> queries.Diff:
    return queries.diff(studio, req.a, req.b)


def credits(studio: Studio, req: WorkRequest, on_version: OnVersion | None = None) -> queries.Credits:
    return queries.credits(studio, req.work)
