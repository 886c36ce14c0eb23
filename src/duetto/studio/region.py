"""``region_revise``: feedback applied to one part of a picture, as a replayable child version.

The feedback is read like any revise (the studio's parser → a ``SpecDelta``); the parent's
engine paints the revised spec with the parent's seed, and the ``region`` engine lays that into
the parent inside the region with a feathered edge. The recipe is the region engine's: its
params hold the region and the inner engine with its params, and it reads the parent's stored
bytes (``Recipe.inputs``), so replay makes the same bytes and a later ``vary``/``revise`` of the
result re-paints the same region of the same parent.

An uploaded mask is validated (a real image, the picture's aspect) before anything is stored,
then kept as the human's own version in the work — like a style painting in ``restyle`` — and
referenced from the region by its sha256.
"""

from __future__ import annotations

import hashlib
import io
import time
from typing import Any

import numpy as np
from PIL import Image

from duetto.engine import Transformer, parse_params
from duetto.errors import InvalidInput
from duetto.media.image.region import (
    RegionPainter,
    RegionParams,
    alpha,
    read_mask,
    region_from,
)
from duetto.media.image.retouch import Retouch
from duetto.spec import CreativeSpec, SpecDelta, apply_delta
from duetto.store.records import VersionRecord
from duetto.studio import kernel, pixels
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Result, Upload
from duetto.studio.operations import Box, ReviseRequest
from duetto.studio.studio import Studio

ASPECT_SLACK = 0.01  # a mask may differ from the picture's aspect by 1 % (rounding when resized)


def parse_box(text: str, what: str) -> Box:
    """"0,0,0.5,0.4" → a 4-tuple, with an error that shows the expected form."""
    try:
        values = tuple(float(v) for v in text.replace(" ", "").split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        form = "x,y,w,h" if what == "rect" else "cx,cy,rx,ry"
        raise InvalidInput(f"--{what} takes four numbers {form} (fractions 0..1), not {text!r}",
                           hint=f"e.g. --{what} " + ("0,0,0.5,0.4" if what == "rect" else "0.5,0.5,0.25,0.25"))
    return values  # type: ignore[return-value]


def _check_mask(upload: Upload, size: tuple[int, int]) -> tuple[bytes, str, Image.Image]:
    """The mask file's bytes, extension and "L" picture, once it is known to be a readable
    image of the picture's shape that marks something."""
    data, ext, (w, h) = kernel.read_image(upload)
    pw, ph = size
    if abs(w / h - pw / ph) > ASPECT_SLACK * pw / ph:
        raise InvalidInput(f"the mask {upload.name} is {w}×{h}, the picture {pw}×{ph}: not the same shape",
                           hint="draw the mask on a copy of the picture (any size of the same aspect)")
    mask = read_mask(data)
    if mask.getextrema()[1] < 128:
        raise InvalidInput(f"the mask {upload.name} marks nothing (no pixel is white or opaque)",
                           hint="white (or opaque) where to change, black (or transparent) where to keep")
    return data, ext, mask


def import_mask(studio: Studio, work_id: str, upload: Upload, data: bytes, ext: str) -> VersionRecord:
    """The mask as the human's own root version of the work (reused when the same bytes come
    again); diffusion's inpaint stores its masks the same way."""
    return kernel.human_version(
        studio, work_id=work_id, parents=[], operation="import",
        spec=CreativeSpec(subject="mask", notes=[f"mask imported from {upload.name}"]), data=data, ext=ext,
        mime=kernel.image_mime(ext), info={"source": upload.name, "role": "mask"},
        detail=f"drew the mask {upload.name}", reuse=True)


def _toward(delta: SpecDelta, spec: CreativeSpec, side: float) -> CreativeSpec:
    """Motifs the feedback adds ("加一轮月亮") are placed on the region's side of the picture
    (``side`` 0 left .. 1 right), so the painter draws them where they will be seen."""
    added = {m.kind for m in delta.motifs if not m.remove}
    where = "left" if side < 0.4 else "right" if side > 0.6 else "center"
    motifs = [m.model_copy(update={"position": where}) if m.kind in added and m.position == "auto" else m
              for m in spec.motifs]
    return spec.model_copy(update={"motifs": motifs})


def _inner_of(studio: Studio, parent: VersionRecord) -> tuple[str, dict[str, Any], list[str], int]:
    """What paints a generated picture's region: the parent's own engine with its params (for a
    region of a region, the same inner engine), the sources it reads, and the parent's seed."""
    recipe = kernel.recipe_of(studio, parent)
    if recipe.engine == RegionPainter.name:
        earlier = RegionParams.model_validate(recipe.params)
        skip = 2 if earlier.region.kind == "mask" else 1
        return earlier.inner, earlier.inner_params, recipe.sources()[skip:], recipe.seed
    reads = isinstance(studio.registry.get(recipe.engine), Transformer)
    return recipe.engine, recipe.params, recipe.sources() if reads else [], recipe.seed


def region_revise(studio: Studio, req: ReviseRequest, on_version: OnVersion | None = None) -> Result:
    """One child version: the parent with only the region re-painted toward the feedback."""
    if not req.feedback.strip():
        raise InvalidInput("the feedback is empty", hint='e.g. duetto revise <id> "more red" --rect 0,0,0.5,0.4')
    t0 = time.perf_counter()
    parent = kernel.live(studio, req.version)
    if not parent.mime.startswith("image/") or parent.ext == "svg":
        raise InvalidInput(f"version {parent.short} is a {parent.mime} file; region revise works on raster pictures")
    with Image.open(io.BytesIO(studio.blobs.read(parent.sha256, parent.ext))) as im:
        size = im.size
    mask_file = _check_mask(req.mask, size) if req.mask is not None else None
    mask = mask_file[2] if mask_file else None
    region = region_from(req.rect, req.ellipse, hashlib.sha256(mask_file[0]).hexdigest() if mask_file else None,
                         req.feather, what="change", hint='duetto revise <version> "更冷一些" --ellipse 0.5,0.5,0.3,0.3')
    delta = studio.parser.feedback(req.feedback, parent.spec)
    if delta.is_empty():
        raise InvalidInput(f"could not find a change to make in {req.feedback!r}",
                           hint="try words like warmer, more red, 加一轮月亮, 更冷一些")
    t_parse = time.perf_counter() - t0
    engine = studio.registry.get(RegionPainter.name)
    side = region.centre_x()
    if mask is not None:  # the mask's own centre across the picture
        side = float(np.nonzero(np.asarray(mask) >= 128)[1].mean() + 0.5) / mask.width
    spec = _toward(delta, apply_delta(parent.spec, delta), side)
    heard: list[str] = []
    if pixels.from_pixels(studio, parent):  # the person's picture: the region is retouched from its pixels
        read = pixels.reading(parent, delta, spec)
        inner_name, inner_params, inner_sources, seed = Retouch.name, read.params.model_dump(mode="json"), [parent.id], 0
        heard = pixels.notes_of(read)
    else:
        inner_name, inner_params, inner_sources, seed = _inner_of(studio, parent)
    params = RegionParams(region=region, inner=inner_name, inner_params=inner_params)
    engine.check(spec, params)  # type: ignore[attr-defined]  # an inner engine that cannot paint this fails now
    parse_params(engine, params.model_dump(mode="json"))
    alpha(region, size, mask)  # covers at least one pixel
    inputs = [parent.id]
    if mask_file is not None:
        inputs.append(import_mask(studio, parent.work_id, req.mask, *mask_file[:2]).id)  # type: ignore[arg-type]
    job = Job(spec=spec, params=params.model_dump(mode="json"), seed=seed, parents=[parent.id],
              operation="revise", delta=delta, feedback_on=parent.id, inputs=inputs + inner_sources,
              human=[("feedback", req.feedback), ("region", region.describe())])
    versions = run_jobs(studio, parent.work_id, engine, [job], on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  notes=[*delta.notes, *heard, f"only {region.describe()} was repainted"],
                  timings={"parse_s": round(t_parse, 4), "total_s": round(time.perf_counter() - t0, 4)})

