"""Variants as one set: an engine that can choose its variants together is told which of the
set each job is.

``new --variants 4`` and ``write line … -n 2`` make several versions from one request. Drawn
independently (one seed each), a small model writes the same poem four times. An engine that
implements ``SetAware`` instead draws one shared pool for the set and gives variant ``i`` the
``i``-th choice of a diversity-aware ranking (media/text/variety.py). What makes the set is
written into each job's params (the pool's seed, the variant's index, the set's size), so every
version's recipe still replays alone to the same bytes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from duetto.engine import Engine, parse_params
from duetto.studio.generate import Job


@runtime_checkable
class SetAware(Protocol):
    """Optional: an engine that chooses the variants of one request together."""

    def in_set(self, params: BaseModel, index: int, seeds: list[int]) -> BaseModel:
        """``params`` for variant ``index`` of a set made with ``seeds`` (one per variant)."""
        ...


def as_set(engine: Engine, jobs: list[Job]) -> list[Job]:
    """The jobs of one request, each told its place in the set when the engine can use it (a
    single job too: it is a set of one, not the member of the set its parent came from); an
    engine that draws each variant on its own gets the jobs as they were."""
    if not jobs or not isinstance(engine, SetAware):
        return jobs
    seeds = [j.seed for j in jobs]
    out = []
    for i, job in enumerate(jobs):
        params = job.params if isinstance(job.params, BaseModel) else parse_params(engine, job.params)
        out.append(replace(job, params=engine.in_set(params, i, seeds)))
    return out
