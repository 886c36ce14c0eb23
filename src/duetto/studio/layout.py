"""``layout``: a poster, book cover or social card over a stored picture, as versions in the loop.

The layout joins the picture's work as its child. Its recipe reads the picture — and the poem,
when one is set, from whichever work it lives in — through ``Recipe.inputs``, so ``vary`` lays
the same words over the same picture again with new seeds (other good placements), ``revise``
and ``replay`` remake it from the same bytes, and the credits say who wrote which words.
The PNG is the version; the PDF is stored beside it as an extra.
"""

from __future__ import annotations

import time

from pydantic import Field

from duetto.design.layout import FormatName, Layout
from duetto.engine import parse_params
from duetto.errors import InvalidInput
from duetto.studio import kernel
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Request, Result, Seed
from duetto.studio.studio import Studio


class LayoutRequest(Request):
    """One layout request: the picture, the words, the format, how many placements to try."""

    image: str = Field(description="The picture: a painting version id (prefix).")
    poem: str | None = Field(None, description="A poem (any text version) to set on the page.")
    format: FormatName = "poster"
    title: str = Field("", max_length=120)
    subtitle: str = Field("", max_length=200, description="Subtitle or author line.")
    text: str = Field("", max_length=2000, description="Body text.")
    vertical: bool | None = Field(None, description="竖排 for a Chinese poem; default: when all words are Chinese.")
    title_scale: float = Field(1.0, ge=0.4, le=2.0)
    text_scale: float = Field(1.0, ge=0.5, le=2.0)
    variants: int = Field(1, ge=1, le=16, description="Placements to try: the seed picks among the good ones.")
    seed: Seed = None


def layout(studio: Studio, req: LayoutRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    picture = kernel.live(studio, req.image)
    if not picture.mime.startswith("image/") or picture.ext == "svg":
        raise InvalidInput(f"version {picture.short} is a {picture.mime} file; a layout needs a raster picture",
                           hint="give a painting version first, the poem with --poem")
    poem = kernel.live(studio, req.poem) if req.poem else None
    if poem is not None and not poem.mime.startswith("text/"):
        raise InvalidInput(f"--poem {poem.short} is a {poem.mime} file, not a text version")
    if not (req.title.strip() or req.subtitle.strip() or req.text.strip() or poem):
        raise InvalidInput("nothing to set on the page", hint='--title "秋日黄昏", --text "…" or --poem <version>')
    engine = studio.registry.get(Layout.name)
    params = parse_params(engine, req.model_dump(include={"format", "title", "subtitle", "text", "vertical",
                                                          "title_scale", "text_scale"}))
    human = [("text", f"{k}: {v}") for k, v in (("title", req.title), ("subtitle", req.subtitle),
                                               ("text", req.text)) if v.strip()]
    if poem is not None:
        human.append(("selection", f"set poem {poem.short} on the {req.format}"))
    human.append(("selection", f"a {req.format} layout of {picture.short}"))
    inputs = [picture.id, poem.id] if poem is not None else []
    jobs = [Job(spec=picture.spec, params=params.model_dump(), seed=s, parents=[picture.id],
                operation="layout", human=human, inputs=inputs) for s in kernel.seeds(req.seed, req.variants)]
    work = studio.repo.work(picture.work_id)
    versions = run_jobs(studio, work.id, engine, jobs, on_version)
    sheet = kernel.sheet(studio, work, versions, f"{req.format} layouts of {picture.short}") if len(versions) > 1 else None
    notes = [f"{v.short}: {v.info.get('placement')}, text {v.info.get('text_colour')} "
             f"at {v.info.get('contrast')}:1" + (", on a scrim" if v.info.get("scrim") else "")
             for v in versions]
    return Result(work=work, versions=versions, contact_sheet=sheet, notes=notes,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})
