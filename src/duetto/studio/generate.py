"""Run engines and store what they make, one version at a time.

Each finished variant is committed (blob renamed into place, then one DB transaction) before the
next one starts, so Ctrl-C or kill -9 in the middle of ``new --variants 8`` keeps every finished
variant and leaves nothing half-written.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from duetto.engine import (
    Artefact,
    CoWriter,
    Edit,
    Engine,
    Progress,
    Recipe,
    Reviser,
    Transformer,
    parse_params,
)
from duetto.errors import DuettoError, EngineFailure, InvalidInput
from duetto.spec import CreativeSpec, SpecDelta
from duetto.store.records import ContributionRecord, NewVersion, VersionRecord
from duetto.store.repository import new_id
from duetto.studio.studio import Studio

OnVersion = Callable[[int, int, VersionRecord], None]
"""Called after each stored version with (index, total, version): progress bars hang off it.
A callback that also has a ``step(index, total, fraction, what)`` method hears the engine's own
progress within each version (diffusion steps, poem candidates, story scenes)."""


@dataclass
class Job:
    """One version to make: the inputs of a recipe plus who asked for it and why."""

    spec: CreativeSpec
    params: dict[str, Any] | BaseModel  # an act that validated them already passes the model: parsed once
    seed: int
    parents: list[str]
    operation: str
    delta: SpecDelta | None = None
    human: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail) by the user
    feedback_on: str | None = None
    edit: Edit | None = None
    inputs: list[str] = field(default_factory=list)  # what a Transformer reads, if not the parents


def stored(studio: Studio, version_id: str) -> Artefact:
    """A stored version's bytes (hash-checked by the blob store) and its stored ``info`` (an
    outline, a form report), which an editing engine may build on."""
    version = studio.repo.version(version_id)
    return Artefact(data=studio.blobs.read(version.sha256, version.ext), ext=version.ext, mime=version.mime,
                    info=dict(version.info))


def make(studio: Studio, engine: Engine, recipe: Recipe, progress: Progress | None = None,
         params: BaseModel | None = None) -> Artefact:
    """Run a recipe: ``cowrite`` for a co-writing edit, ``revise`` on the stored parent for
    Reviser engines, ``transform`` of the stored parents for Transformer engines, else
    ``generate``. ``params``: the recipe's params already validated (generation has them).

    Shared by generation and replay so that the two can never drift apart."""
    params = params if params is not None else parse_params(engine, recipe.params)
    if recipe.edit is not None:
        if not isinstance(engine, CoWriter):
            raise InvalidInput(f"engine {engine.name} cannot {recipe.edit.op} text",
                               hint="co-writing works on poems, stories and scripts")
        parents = [stored(studio, p) for p in recipe.parents]
        return engine.cowrite(parents, recipe.edit, recipe.spec, params, recipe.seed, progress)
    if recipe.operation == "revise" and recipe.parents and isinstance(engine, Reviser):
        return engine.revise(stored(studio, recipe.parents[0]), recipe.spec, params, recipe.seed, progress)
    if recipe.sources() and isinstance(engine, Transformer):
        return engine.transform([stored(studio, p) for p in recipe.sources()], recipe.spec, params, recipe.seed,
                                progress)
    return engine.generate(recipe.spec, params, recipe.seed, progress)


def fresh_seed() -> int:
    return secrets.randbits(63)


def seeds(seed: int | None, count: int) -> list[int]:
    """The seed rule of every act: a fixed seed gives variant i the seed ``seed + i``; none gives
    fresh seeds (each stored in its recipe, so the version still replays)."""
    if seed is not None:
        return [(seed + i) % 2**63 for i in range(count)]
    return [fresh_seed() for _ in range(count)]


def seeds_for(spec: CreativeSpec, count: int) -> list[int]:
    """The spec's seed policy decides: fixed seeds make a command repeatable, random ones don't."""
    return seeds(spec.seed.base if spec.seed.mode == "fixed" else None, count)


def run_jobs(
    studio: Studio,
    work_id: str,
    engine: Engine,
    jobs: list[Job],
    on_version: OnVersion | None = None,
) -> list[VersionRecord]:
    out: list[VersionRecord] = []
    step = getattr(on_version, "step", None)
    for i, job in enumerate(jobs):
        progress = (lambda f, what, i=i: step(i, len(jobs), f, what)) if step is not None else None
        version = run_job(studio, work_id, engine, job, progress)
        out.append(version)
        if on_version is not None:
            on_version(i, len(jobs), version)
    return out


def run_job(studio: Studio, work_id: str, engine: Engine, job: Job, progress: Progress | None = None) -> VersionRecord:
    params = job.params if isinstance(job.params, BaseModel) else parse_params(engine, job.params)
    asked = Recipe(
        engine=engine.name, engine_version=engine.version, spec=job.spec,
        params=params.model_dump(mode="json"), seed=job.seed, parents=job.parents,
        operation=job.operation, edit=job.edit, inputs=job.inputs,
    )
    t0 = time.perf_counter()
    try:
        artefact = make(studio, engine, asked, progress, params)
    except DuettoError:
        raise
    except Exception as exc:  # an engine bug must not look like a studio bug
        raise EngineFailure(f"engine {engine.name} {engine.version} failed: {exc}") from exc
    t_gen = time.perf_counter() - t0
    spec = job.spec.model_copy(update=artefact.resolved) if artefact.resolved else job.spec
    spec = CreativeSpec.model_validate(spec.model_dump())  # re-validate engine-resolved fields
    recipe = asked.model_copy(update={"spec": spec})
    t1 = time.perf_counter()
    sha, _ = studio.blobs.put(artefact.data, artefact.ext)
    extras = {ext: studio.blobs.put(data, ext)[0] for ext, data in sorted(artefact.extras.items())}
    engine_author = f"engine:{engine.name}@{engine.version}"
    contributions = [
        ContributionRecord(version_id="", contributor=studio.human, contributor_kind="human",
                           kind=kind, detail=detail)
        for kind, detail in job.human
    ]
    contributions.append(
        ContributionRecord(version_id="", contributor=engine_author, contributor_kind="ai",
                           kind="generation",
                           detail=f"{job.edit.describe() if job.edit else job.operation} seed {job.seed}")
    )
    vid = new_id()
    for c in contributions:
        c.version_id = vid
    new = NewVersion(
        id=vid, work_id=work_id, parents=job.parents, operation=job.operation,
        author=engine_author, author_kind="ai", spec=spec, delta=job.delta, sha256=sha,
        ext=artefact.ext, mime=artefact.mime, extras=extras, info=artefact.info,
        timings={"generate_s": round(t_gen, 4)},
        recipe=recipe.model_dump(mode="json"), recipe_digest=recipe.digest(),
        contributions=contributions,
        feedback=(job.feedback_on, studio.human, job.delta.feedback)
        if job.feedback_on and job.delta else None,
    )
    version = studio.repo.add_version(new)
    version.timings["store_s"] = round(time.perf_counter() - t1, 4)
    return version
