"""Revise and vary a picture the person made, from its pixels (``media.image.retouch``).

An imported edit has no recipe of its own; before this, ``revise``/``vary`` continued from its
nearest generated ancestor and repainted the inherited spec, so the person's edit (a disc they
painted) was gone. Now a human picture, and every picture retouched from one, is worked on as
pixels: the feedback becomes moves (warmer, calmer, more blue, 加一轮月亮 …) made on the
version's own bytes by the ``retouch`` engine. The child is an AI version whose recipe reads
the parent's stored bytes (its parents), so ``replay`` makes the same bytes again; feedback
that pixels cannot honour is refused with what to do instead, never silently repainted.
"""

from __future__ import annotations

import time

from duetto.errors import InvalidInput
from duetto.media.image.region import RegionParams
from duetto.media.image.retouch import Reading, Retouch, moves, variation
from duetto.spec import CreativeSpec, SpecDelta
from duetto.store.records import VersionRecord
from duetto.studio import kernel
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Result
from duetto.studio.studio import Studio


def is_raster(version: VersionRecord) -> bool:
    return version.mime.startswith("image/") and version.ext != "svg"


def from_pixels(studio: Studio, version: VersionRecord) -> bool:
    """Whether feedback on ``version`` must act on its pixels: a raster picture the person made,
    or one retouched (whole or in a region) from such a picture."""
    if not is_raster(version):
        return False
    if version.author_kind == "human":
        return True
    raw = studio.repo.recipe(version.id)
    if raw is None:
        return False
    if raw.get("engine") == Retouch.name:
        return True
    if raw.get("engine") == "region":
        return RegionParams.model_validate(raw.get("params") or {}).inner == Retouch.name
    return False


def reading(version: VersionRecord, delta: SpecDelta, spec: CreativeSpec) -> Reading:
    """The moves a feedback asks of this version's pixels (or a clear refusal)."""
    who = "your picture" if version.author_kind == "human" else "this retouch of your picture"
    return moves(delta, spec, f"{who} {version.short}")


def notes_of(r: Reading) -> list[str]:
    out = [f"worked on the pixels of your picture ({'; '.join(r.heard)}); its shapes are kept"]
    if r.ignored:
        out.append("could not act on the pixels for: " + ", ".join(r.ignored))
    return out


def revise(studio: Studio, parent: VersionRecord, feedback: str, delta: SpecDelta, spec: CreativeSpec,
           t0: float, t_parse: float, on_version: OnVersion | None = None) -> Result:
    """One child: the parent's pixels moved as the feedback asks."""
    r = reading(parent, delta, spec)
    engine = studio.registry.get(Retouch.name)
    job = Job(spec=spec, params=r.params, seed=0, parents=[parent.id], operation="revise", delta=delta,
              human=[("feedback", feedback)], feedback_on=parent.id)
    versions = run_jobs(studio, parent.work_id, engine, [job], on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions, notes=[*delta.notes, *notes_of(r)],
                  timings={"parse_s": round(t_parse, 4), "total_s": round(time.perf_counter() - t0, 4)})


def vary(studio: Studio, parent: VersionRecord, variants: int, amount: float, seed: int | None,
         on_version: OnVersion | None = None) -> Result:
    """Small colour and light variations of the parent's pixels; its shapes stay."""
    if amount <= 0:
        raise InvalidInput("vary --amount 0 would copy your picture", hint="use an amount above 0, e.g. 0.06")
    t0 = time.perf_counter()
    engine = studio.registry.get(Retouch.name)
    jobs = [Job(spec=parent.spec, params=variation(amount, s), seed=s, parents=[parent.id], operation="vary",
                human=[("selection", f"asked for {variants} variations")])
            for s in kernel.seeds(seed, variants)]
    work = studio.repo.work(parent.work_id)
    versions = run_jobs(studio, parent.work_id, engine, jobs, on_version)
    sheet = kernel.sheet(studio, work, versions, f"variations of {parent.short}")
    return Result(work=work, versions=versions, contact_sheet=sheet,
                  notes=["variations of your picture's colours and light; its shapes are kept"],
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


__all__ = ["from_pixels", "is_raster", "notes_of", "reading", "revise", "vary"]
