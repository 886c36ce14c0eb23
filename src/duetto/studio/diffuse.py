"""``diffuse``: a stored picture redrawn (img2img) or partly repainted (inpaint) by a diffusion
model from a folder on disk, as child versions in the loop.

The source is a stored version — a painter picture is the usual start. The recipe is the
``diffusion`` engine's with ``Recipe.inputs`` naming the source (and an uploaded mask, imported
as the human's own version, as ``region_revise`` does), so replay, ``vary`` and ``revise`` of a
result redraw the same source bytes again. A region is a ``Region`` in fractions (``--rect
x,y,w,h``, ``--ellipse cx,cy,rx,ry``); outside it the source's pixels are kept exactly.

txt2img needs no operation of its own: ``duetto new "…" --engine diffusion --param model=…``.
"""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path
from typing import Literal

from PIL import Image
from pydantic import Field

from duetto.engine import parse_params
from duetto.errors import InvalidInput
from duetto.media.image.diffusion import Diffusion
from duetto.media.image.diffusion.engine import SchedulerName
from duetto.media.image.region import alpha, read_mask, region_from
from duetto.studio import kernel
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Request, Result, Seed, Upload, UploadField
from duetto.studio.region import import_mask
from duetto.studio.studio import Studio

Box = tuple[float, float, float, float]


class DiffuseRequest(Request):
    """One diffusion pass over a stored picture; for inpaint exactly one of rect, ellipse, mask."""

    source: str = Field(description="The version to start from (id or prefix).")
    model: str = Field(description="A diffusers folder on disk or a registered name.")
    mode: Literal["img2img", "inpaint"] = "img2img"
    prompt: str | None = Field(None, description="Default: built from the source's spec.")
    negative_prompt: str | None = None
    scheduler: SchedulerName = "default"
    steps: int | None = Field(None, ge=1, le=200)
    guidance: float | None = Field(None, ge=0.0, le=30.0)
    strength: float | None = Field(None, gt=0.0, le=1.0)
    rect: Box | None = Field(None, description="x, y, w, h as fractions 0..1 of the width and height.")
    ellipse: Box | None = Field(None, description="cx, cy, rx, ry as fractions 0..1.")
    mask: UploadField | None = Field(None, description="Inpaint where this picture is white (or opaque).")
    feather: float = Field(0.02, ge=0.0, le=0.25)
    variants: int = Field(1, ge=1, le=16)
    seed: Seed = None


def _read_mask(upload: Upload) -> tuple[bytes, str]:
    data, ext, _ = kernel.read_image(upload)  # a damaged or non-image file is a clear error
    if read_mask(data).getextrema()[1] < 128:
        raise InvalidInput(f"the mask {upload.name} marks nothing (no pixel is white or opaque)",
                           hint="white (or opaque) where to repaint, black where to keep")
    return data, ext


def diffuse(studio: Studio, req: DiffuseRequest, on_version: OnVersion | None = None) -> Result:
    """Child versions of ``req.source``; an ``on_version`` with a ``step`` method hears every
    denoising step."""
    t0 = time.perf_counter()
    source = kernel.live(studio, req.source)
    if not source.mime.startswith("image/") or source.ext == "svg":
        raise InvalidInput(f"version {source.short} is a {source.mime} file; diffusion starts from raster pictures")
    engine = studio.registry.get(Diffusion.name)
    shaped = req.rect is not None or req.ellipse is not None or req.mask is not None
    if req.mode == "img2img" and shaped:
        raise InvalidInput("--rect/--ellipse/--mask choose what to inpaint", hint="add --mode inpaint")
    region, mask_file = None, None
    if req.mode == "inpaint":
        with Image.open(io.BytesIO(studio.blobs.read(source.sha256, source.ext))) as im:
            size = im.size
        mask_file = _read_mask(req.mask) if req.mask is not None else None
        region = region_from(req.rect, req.ellipse, hashlib.sha256(mask_file[0]).hexdigest() if mask_file else None,
                             req.feather, what="inpaint",
                             hint="e.g. --rect 0.5,0,0.5,0.5 (x,y,w,h fractions) or --ellipse 0.5,0.5,0.25,0.25")
        alpha(region, size, read_mask(mask_file[0]) if mask_file else None)  # covers at least one pixel
    raw = {"model": req.model, "mode": req.mode, "prompt": req.prompt, "negative_prompt": req.negative_prompt,
           "scheduler": req.scheduler, "steps": req.steps, "guidance": req.guidance, "strength": req.strength,
           "region": region.model_dump(mode="json") if region else None}
    params = parse_params(engine, raw)
    engine.check(source.spec, params)  # type: ignore[attr-defined]  # packages and folder, before storing
    inputs = [source.id]
    if mask_file is not None:
        inputs.append(import_mask(studio, source.work_id, req.mask, *mask_file).id)  # type: ignore[arg-type]
    told = f"{req.mode} with {Path(req.model).name}" + (f" ({region.describe()})" if region else "")
    jobs = [Job(spec=source.spec, params=params.model_dump(mode="json"), seed=s, parents=[source.id],
                operation="diffuse", human=[("selection", told)], inputs=inputs)
            for s in kernel.seeds(req.seed, req.variants)]
    work = studio.repo.work(source.work_id)
    versions = run_jobs(studio, work.id, engine, jobs, on_version)
    sheet = kernel.sheet(studio, work, versions, f"{source.short} {req.mode}") if len(versions) > 1 else None
    return Result(work=work, versions=versions, contact_sheet=sheet,
                  notes=[f"only {region.describe()} was repainted"] if region else [],
                  timings={"total_s": round(time.perf_counter() - t0, 4)})
