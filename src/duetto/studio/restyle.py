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

import hashlib
import time
from pathlib import Path
from typing import Annotated

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from duetto.errors import InvalidInput
from duetto.media.image.stylist.engine import Method, Stylist, StylistParams
from duetto.media.image.stylist.styles import IMAGE_PREFIX, canonical, weights_of
from duetto.spec import CreativeSpec
from duetto.store.records import ContributionRecord, NewVersion, VersionRecord
from duetto.store.repository import new_id
from duetto.studio.generate import Job, OnVersion, fresh_seed, run_jobs
from duetto.studio.operations import IMPORT_FORMATS, Result, _live, _sheet, read_image
from duetto.studio.studio import Studio

BRACKET = 0.15  # one variant step: shape_size (stroke scale ×1.23) or strength
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp"}


class RestyleRequest(BaseModel):
    """One restyle: what to restyle, after what, how strongly, how many variants."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="A version id (prefix) or the path of an image file to import first.")
    style: str | None = Field(None, description="Built-in name or index, a blend (starry_night:0.6,mosaic:0.4), "
                                                "a painting's path; for --method palette: colour words.")
    strength: Annotated[float, Field(ge=0.0, le=1.0)] | None = Field(
        None, description="0 keeps the picture, 1 is fully restyled; default: the spec's stylisation (0.8).")
    method: Method = "neural"
    keep_colours: bool = False
    size: int | None = Field(None, ge=64, le=2048, description="Long side of the result.")
    variants: int = Field(1, ge=1, le=16)
    seed: int | None = Field(None, ge=0, lt=2**63)


def looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or Path(text).suffix.lower() in IMAGE_SUFFIXES or Path(text).is_file()


def _check_image(path: Path) -> None:
    read_image(path)  # a missing, damaged or non-image file is a clear error before anything is stored


def _import(studio: Studio, path: Path, work_id: str | None, role: str) -> VersionRecord:
    """A human's picture as a root version: of a new work (the source) or of ``work_id`` (a style
    painting, beside the picture it restyles)."""
    data, ext, (w, h) = read_image(path)
    if work_id is not None:  # the same painting again: reuse its version, not a second copy
        sha = hashlib.sha256(data).hexdigest()
        same = [v for v in studio.repo.versions_of(work_id) if v.sha256 == sha and v.operation == "import"]
        if same:
            return same[0]
    else:
        work_id = studio.repo.create_work(studio.project_id, studio.user_id, f"{path.name} restyled", "painting").id
    sha, _ = studio.blobs.put(data, ext)
    mime = Image.MIME.get(next(k for k, v in IMPORT_FORMATS.items() if v == ext), "image/*")
    spec = CreativeSpec(brief="", subject=path.stem, notes=[f"{role} imported from {path.name}"])
    vid = new_id()
    return studio.repo.add_version(NewVersion(
        id=vid, work_id=work_id, parents=[], operation="import", author=studio.human, author_kind="human",
        spec=spec, sha256=sha, ext=ext, mime=mime, info={"source": path.name, "role": role, "width": w, "height": h},
        contributions=[ContributionRecord(version_id=vid, contributor=studio.human, contributor_kind="human",
                                          kind="edit", detail=f"brought {path.name} as the {role}")],
    ))


def _style_of(studio: Studio, req: RestyleRequest, base: CreativeSpec) -> tuple[dict[str, object], Path | None]:
    """The spec fields the style sets, and the painting to import when the style is a file.
    Everything is validated here, before the studio stores anything."""
    style = (req.style or "").strip()
    if req.method == "palette":
        if not style:
            return {}, None
        colours = studio.parser.brief(style, medium="painting").palette.colours
        if len(colours) < 2:
            raise InvalidInput(f"found {len(colours)} colour(s) in {style!r}; a palette needs at least 2",
                               hint='e.g. --style "深蓝, 金色, 米白"')
        return {"palette": base.palette.model_copy(update={"colours": colours})}, None
    if not style:
        raise InvalidInput(f"the {req.method} method needs --style",
                           hint="a built-in style (duetto styles) or the path of a painting")
    if looks_like_path(style):
        path = Path(style).expanduser()
        _check_image(path)
        return {}, path
    if req.method != "neural":
        raise InvalidInput(f"the {req.method} method takes its colours from a painting; {style!r} is not a file",
                           hint="--style path/to/painting.jpg")
    return {"style": canonical(weights_of(style))}, None


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
    source_path = Path(req.source).expanduser() if looks_like_path(req.source) else None
    if source_path is not None:
        _check_image(source_path)
        base = CreativeSpec(subject=source_path.stem)
    else:
        source = _live(studio, req.source)
        if not source.mime.startswith("image/") or source.ext == "svg":
            raise InvalidInput(f"version {source.short} is a {source.mime} file; restyle works on raster pictures")
        base = source.spec
    update, painting = _style_of(studio, req, base)
    if req.strength is not None:
        update["stylisation"] = req.strength
    spec = CreativeSpec.model_validate(base.model_copy(update=update).model_dump())  # validates the strength too
    if painting is None and req.method == "neural":
        engine.check(spec, params)  # type: ignore[attr-defined]
    if source_path is not None:
        source = _import(studio, source_path, None, "source picture")
    inputs: list[str] = []
    if painting is not None:
        reference = _import(studio, painting, source.work_id, "style painting")
        spec = spec.model_copy(update={"style": IMAGE_PREFIX + reference.short})
        inputs = [source.id, reference.id]
    builtin = req.method == "neural" and painting is None
    seeds = ([(req.seed + i) % 2**63 for i in range(req.variants)] if req.seed is not None
             else [fresh_seed() for _ in range(req.variants)])
    told = f"restyle ({req.method}{', ' + (req.style or '') if req.style else ''}, strength {spec.stylisation:.2f})"
    jobs = [Job(spec=_bracket(spec, i, builtin), params=params.model_dump(), seed=s, parents=[source.id],
                operation="restyle", human=[("selection", told)], inputs=inputs)
            for i, s in enumerate(seeds)]
    work = studio.repo.work(source.work_id)
    versions = run_jobs(studio, work.id, engine, jobs, on_version)
    sheet = _sheet(studio, work, versions, f"{source.short} restyled") if len(versions) > 1 else None
    return Result(work=work, versions=versions, contact_sheet=sheet,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})
