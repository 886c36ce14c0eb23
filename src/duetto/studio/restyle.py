"""``restyle``: a picture restyled by the ``stylist`` engine, as versions in the loop.

The source is a stored version (the result joins its work as a child) or an image file, which is
first imported as the human's own version of a new work — so credits say whose picture it was.
A painting given as the style is imported too, as a second root of the same work (a reference the
history shows), and the recipe reads both (``Recipe.inputs``): replay, vary and revise restyle the
same bytes again.

``--variants`` brackets what a person would try next: the brush-stroke scale for a built-in
style (``spec.shape_size`` ±0.15 per step), the strength for the others.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from duetto.errors import InvalidInput
from duetto.media.image.stylist.engine import Method, Stylist, StylistParams
from duetto.media.image.stylist.styles import IMAGE_PREFIX, canonical, weights_of
from duetto.spec import CreativeSpec
from duetto.store.records import VersionRecord
from duetto.studio import kernel
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Request, Result, Seed, Upload, UploadField
from duetto.studio.studio import Studio

BRACKET = 0.15  # one variant step: shape_size (stroke scale ×1.23) or strength
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp"}


class RestyleRequest(Request):
    """One restyle: what to restyle (a version, or a picture of the person's), after what, how
    strongly, how many variants."""

    source: str | None = Field(None, description="The version to restyle (id or prefix); or send image.")
    image: UploadField | None = Field(None, description="A picture of yours to restyle (imported first as your version).")
    style: str | None = Field(None, max_length=400, description="Built-in name or index, a blend "
                              "(starry_night:0.6,mosaic:0.4); for method palette: colour words.")
    style_image: UploadField | None = Field(None, description="A painting whose style (or colours) to take.")
    strength: Annotated[float, Field(ge=0.0, le=1.0)] | None = Field(
        None, description="0 keeps the picture, 1 is fully restyled; default: the spec's stylisation (0.8).")
    method: Method = "neural"
    keep_colours: bool = False
    size: int | None = Field(None, ge=64, le=2048, description="Long side of the result.")
    variants: int = Field(1, ge=1, le=16)
    seed: Seed = None

    @model_validator(mode="after")
    def _one_source(self) -> RestyleRequest:
        if (self.source is None) == (self.image is None):
            raise ValueError("give the version to restyle or a picture (image), one of the two")
        return self


def looks_like_path(text: str) -> bool:
    """How the CLI tells a file argument from a version id or a style name."""
    return "/" in text or "\\" in text or Path(text).suffix.lower() in IMAGE_SUFFIXES or Path(text).is_file()


def _import(studio: Studio, upload: Upload, work_id: str | None, role: str) -> VersionRecord:
    """A human's picture as a root version: of a new work (the source) or of ``work_id`` (a style
    painting, beside the picture it restyles; the same painting again is reused)."""
    data, ext, (w, h) = kernel.read_image(upload)
    reuse = work_id is not None
    if work_id is None:
        work_id = studio.repo.create_work(studio.project_id, studio.user_id, f"{upload.name} restyled", "painting").id
    spec = CreativeSpec(brief="", subject=upload.stem, notes=[f"{role} imported from {upload.name}"])
    return kernel.human_version(
        studio, work_id=work_id, parents=[], operation="import", spec=spec, data=data, ext=ext,
        mime=kernel.image_mime(ext), info={"source": upload.name, "role": role, "width": w, "height": h},
        detail=f"brought {upload.name} as the {role}", reuse=reuse)


def _style_of(studio: Studio, req: RestyleRequest, base: CreativeSpec) -> dict[str, object]:
    """The spec fields the style sets. Everything is validated here, before the studio stores
    anything."""
    style = (req.style or "").strip()
    if req.style_image is not None:
        if style:
            raise InvalidInput("give a style name or a style painting, not both")
        kernel.read_image(req.style_image)  # a damaged or non-image file is refused now
        return {}
    if req.method == "palette":
        if not style:
            return {}
        colours = studio.parser.brief(style, medium="painting").palette.colours
        if len(colours) < 2:
            raise InvalidInput(f"found {len(colours)} colour(s) in {style!r}; a palette needs at least 2",
                               hint='e.g. --style "深蓝, 金色, 米白"')
        return {"palette": base.palette.model_copy(update={"colours": colours})}
    if not style:
        raise InvalidInput(f"the {req.method} method needs a style",
                           hint="a built-in style (duetto styles) or a painting")
    if req.method != "neural":
        raise InvalidInput(f"the {req.method} method takes its colours from a painting; {style!r} is not one",
                           hint="--style path/to/painting.jpg")
    return {"style": canonical(weights_of(style))}


def _bracket(spec: CreativeSpec, i: int, neural_builtin: bool) -> CreativeSpec:
    """Variant i: 0 as asked, then +1, −1, +2, −2 … steps of stroke scale or strength."""
    if i == 0:
        return spec
    step = BRACKET * ((i + 1) // 2) * (1 if i % 2 else -1)
    field = "shape_size" if neural_builtin else "stylisation"
    value = min(1.0, max(0.0, getattr(spec, field) + step))
    return spec.model_copy(update={field: round(value, 3)})


def restyle(studio: Studio, req: RestyleRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    engine = studio.registry.get(Stylist.name)
    params = StylistParams(method=req.method, keep_colours=req.keep_colours, size=req.size)
    if req.image is not None:
        kernel.read_image(req.image)
        base = CreativeSpec(subject=req.image.stem)
    else:
        assert req.source is not None
        found = kernel.live(studio, req.source)
        if not found.mime.startswith("image/") or found.ext == "svg":
            raise InvalidInput(f"version {found.short} is a {found.mime} file; restyle works on raster pictures")
        base = found.spec
    update = _style_of(studio, req, base)
    if req.strength is not None:
        update["stylisation"] = req.strength
    spec = CreativeSpec.model_validate(base.model_copy(update=update).model_dump())  # validates the strength too
    if req.style_image is None and req.method == "neural":
        engine.check(spec, params)  # type: ignore[attr-defined]
    source = _import(studio, req.image, None, "source picture") if req.image is not None else found
    inputs: list[str] = []
    if req.style_image is not None:
        reference = _import(studio, req.style_image, source.work_id, "style painting")
        spec = spec.model_copy(update={"style": IMAGE_PREFIX + reference.short})
        inputs = [source.id, reference.id]
    builtin = req.method == "neural" and req.style_image is None
    told = f"restyle ({req.method}{', ' + (req.style or '') if req.style else ''}, strength {spec.stylisation:.2f})"
    jobs = [Job(spec=_bracket(spec, i, builtin), params=params.model_dump(), seed=s, parents=[source.id],
                operation="restyle", human=[("selection", told)], inputs=inputs)
            for i, s in enumerate(kernel.seeds(req.seed, req.variants))]
    work = studio.repo.work(source.work_id)
    versions = run_jobs(studio, work.id, engine, jobs, on_version)
    sheet = kernel.sheet(studio, work, versions, f"{source.short} restyled") if len(versions) > 1 else None
    return Result(work=work, versions=versions, contact_sheet=sheet,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})
