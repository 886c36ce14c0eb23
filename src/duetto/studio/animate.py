"""``animate``: a painter version as a film of its making, stored as its child in the same work.

The child's recipe is the parent's painting recipe (spec, seed, painter params) wrapped in the
``timelapse`` engine's params, so replay makes the same bytes, and ``vary``/``revise`` of the
film film the varied or revised painting. ``--size`` sets the long side; at the parent's own
size the last frame is the parent's picture exactly.
"""

from __future__ import annotations

import time

from pydantic import Field, ValidationError

from duetto.engine import Recipe
from duetto.errors import InvalidInput
from duetto.media.image.painter.engine import Painter, PainterParams
from duetto.media.image.timelapse import (
    MAX_FPS,
    MAX_SECONDS,
    Format,
    Timelapse,
    TimelapseParams,
)
from duetto.studio import kernel
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Request, Result
from duetto.studio.studio import Studio


class AnimateRequest(Request):
    """One film: of which version, in which format, how long, how fast, how big."""

    version: str = Field(description="A painter version (id prefix).")
    format: Format = "gif"
    seconds: float = Field(4.0, gt=0, le=MAX_SECONDS)
    fps: int = Field(12, ge=1, le=MAX_FPS)
    size: int | None = Field(None, ge=64, le=2048, description="Long side in pixels [the painting's].")
    lossless: bool = Field(False, description="WebP: lossless frames.")


def painter_recipe(studio: Studio, ref: str) -> tuple[str, Recipe]:
    """The version and its painter recipe; anything else is a clear error."""
    version = kernel.live(studio, ref)
    raw = studio.repo.recipe(version.id)
    recipe = Recipe.model_validate(raw) if raw is not None else None
    if recipe is not None and recipe.engine == Timelapse.name:  # a film of a film: film the painting again
        return version.id, recipe.model_copy(update={
            "engine": Painter.name, "params": recipe.params.get("painter", {})})
    if recipe is None or recipe.engine != Painter.name:
        made = f"made by {recipe.engine}" if recipe is not None else f"a {version.operation}ed {version.mime} file"
        raise InvalidInput(f"version {version.short} is {made}; only the painter's paintings can be animated",
                           hint="animate a version made by `duetto new` (painting) or its variations")
    return version.id, recipe


def sized(params: dict[str, object], size: int | None) -> PainterParams:
    """The painting's params with its long side set to ``size`` (aspect kept)."""
    p = PainterParams.model_validate(params)
    if size is None:
        return p
    k = size / max(p.width, p.height)
    return p.model_copy(update={"width": max(64, round(p.width * k)), "height": max(64, round(p.height * k))})


def animate(studio: Studio, req: AnimateRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    parent_id, recipe = painter_recipe(studio, req.version)
    try:
        params = TimelapseParams(painter=sized(recipe.params, req.size), format=req.format,
                                 seconds=req.seconds, fps=req.fps, lossless=req.lossless)
    except ValidationError as exc:  # too many pixels to hold: say what to change
        raise InvalidInput(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    engine = studio.registry.get(Timelapse.name)
    engine.check(recipe.spec, params)  # type: ignore[attr-defined]
    parent = studio.repo.version(parent_id)
    told = f"animate ({req.format}, {params.frames} frames at {req.fps} fps, {params.painter.width}x{params.painter.height})"
    job = Job(spec=recipe.spec, params=params.model_dump(mode="json"), seed=recipe.seed, parents=[parent_id],
              operation="animate", human=[("selection", told)])
    versions = run_jobs(studio, parent.work_id, engine, [job], on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})
