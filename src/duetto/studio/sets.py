"""Variants as one set: an engine that can choose its variants together is told which of the
set each job is.

``new --variants 4`` and ``write line … -n 2`` make several versions from one request. Drawn
independently (one seed each), a small model writes the same poem four times. An engine that
implements ``SetAware`` instead draws one shared pool for the set and gives variant ``i`` the
``i``-th choice of a diversity-aware ranking (media/text/variety.py). What makes the set is
written into each job's params (the pool's seed, the variant's index, the set's size), so every
version's recipe still replays alone to the same bytes.

An engine that implements ``SetSpread`` chooses the set when the jobs are made instead: the
painter reads one brief several ways (composition, palette, companions) and keeps the spread
ones (media/image/painter/variety.py). Each job then carries its own spec and params, which its
recipe records, so it too replays alone.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from duetto.engine import Engine, parse_params
from duetto.spec import CreativeSpec
from duetto.studio.generate import Job


@runtime_checkable
class SetAware(Protocol):
    """Optional: an engine that chooses the variants of one request together."""

    def in_set(self, params: BaseModel, index: int, seeds: list[int]) -> BaseModel:
        """``params`` for variant ``index`` of a set made with ``seeds`` (one per variant)."""
        ...


@runtime_checkable
class SetSpread(Protocol):
    """Optional: an engine that makes the variants of one request differ by choosing, for each,
    its own spec and params before anything is drawn."""

    def spread(self, specs: list[CreativeSpec], params: list[BaseModel], seeds: list[int]
               ) -> list[tuple[CreativeSpec, BaseModel]]:
        """One (spec, params) per job; jobs it cannot spread come back as they were."""
        ...


def as_set(engine: Engine, jobs: list[Job], on_version: object | None = None) -> list[Job]:
    """The jobs of one request, each told its place in the set when the engine can use it (a
    single job too: it is a set of one, not the member of the set its parent came from); an
    engine that draws each variant on its own gets the jobs as they were. Choosing a spread set
    takes seconds before the first variant starts, so it is said on ``on_version``'s progress
    (its ``step``, as ``generate.run_jobs`` uses it) rather than left silent."""
    if len(jobs) > 1 and isinstance(engine, SetSpread):
        step = getattr(on_version, "step", None)
        if step is not None:
            step(0, len(jobs), 0.0, f"reading the brief {len(jobs)} ways to choose a spread set")
        t0 = time.perf_counter()
        params = [j.params if isinstance(j.params, BaseModel) else parse_params(engine, j.params) for j in jobs]
        spread = engine.spread([j.spec for j in jobs], params, [j.seed for j in jobs])
        if step is not None:
            step(0, len(jobs), 0.0, f"spread set of {len(jobs)} chosen in {time.perf_counter() - t0:.1f} s")
        jobs = [replace(j, spec=sp, params=pp) for j, (sp, pp) in zip(jobs, spread, strict=True)]
    if not jobs or not isinstance(engine, SetAware):
        return jobs
    seeds = [j.seed for j in jobs]
    out = []
    for i, job in enumerate(jobs):
        params = job.params if isinstance(job.params, BaseModel) else parse_params(engine, job.params)
        out.append(replace(job, params=engine.in_set(params, i, seeds)))
    return out
