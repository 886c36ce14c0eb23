"""The co-creation acts on versions: one pydantic request model and one function each.

``op(studio, request, on_version) -> Result``. Every interface (CLI, HTTP API, job queue, web
page) reaches these through the operations table (``duetto.table``), so behaviour lives
here once; what the acts share is in ``duetto.studio.kernel``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, Field

from duetto.brief.text_feedback import TEXT_MEDIA
from duetto.engine import (
    Absorber,
    Blender,
    Checker,
    CoWriter,
    Edit,
    Engine,
    Recipe,
    parse_params,
)
from duetto.errors import Conflict, InvalidInput, NotReplayable, ReplayMismatch
from duetto.spec import MEDIA, SeedPolicy, apply_delta
from duetto.store.records import VersionRecord
from duetto.studio import evolve, kernel, pixels, sets, written
from duetto.studio.choices import SpecChoices, apply_choices
from duetto.studio.generate import Job, OnVersion, make, run_jobs, seeds_for
from duetto.studio.kernel import Request, Result, Seed, UploadField, Variants
from duetto.studio.studio import Studio

Brief = Field(min_length=1, max_length=5000, description="What you want, in Chinese or English.")


def _not_blank(text: object) -> object:
    """A brief of only spaces is as empty as no brief: refused with the request (a 422 over
    HTTP, exit 2 in the CLI) in words a person reads, not queued as a job that fails later."""
    if isinstance(text, str) and not text.strip():
        raise ValueError('is empty; say what you want, e.g. "calm blue sea at dawn" or "秋夜，一轮明月"')
    return text


BriefText = Annotated[str, BeforeValidator(_not_blank)]


class NewRequest(Request):
    brief: BriefText = Brief
    media: list[str] | None = Field(None, min_length=1, max_length=4, description=(
        "painting, poem, story, script, music; several make a set sharing one spec. "
        "None (or [\"auto\"]): read from the brief."))
    style: str | None = Field(None, max_length=200)
    engine: str | None = Field(None, max_length=100, description="Engine by name; default: the medium's own.")
    variants: Variants = 4
    seed: Seed = None
    params: dict[str, Any] = Field(default_factory=dict, description="Engine parameters (e.g. width, height).")
    choices: SpecChoices | None = Field(None, description="Swatches and sliders set by hand; they override the brief's words.")
    image: UploadField | None = Field(None, description="A reference picture: sets palette, energy, composition.")
    midi: UploadField | None = Field(None, description="Start from your own MIDI file: it becomes the first version.")


Box = tuple[float, float, float, float]


class ReviseRequest(Request):
    """Feedback in words for a version, or for one part of a picture: at most one of ``rect``,
    ``ellipse`` or ``mask`` (``duetto.studio.region``)."""

    version: str
    feedback: str = Field(min_length=1, max_length=5000, description='Feedback in words, e.g. "warmer, fewer lines".')
    rect: Box | None = Field(None, description="Change only x, y, w, h (fractions 0..1 of the width and height).")
    ellipse: Box | None = Field(None, description="Change only cx, cy, rx, ry (fractions 0..1).")
    mask: UploadField | None = Field(None, description="Change only where this picture is white (or opaque).")
    feather: float = Field(0.02, ge=0.0, le=0.25, description="Soft edge of a region, a fraction of the shorter side.")

    def region_given(self) -> bool:
        return self.rect is not None or self.ellipse is not None or self.mask is not None


class VaryRequest(Request):
    version: str
    variants: Variants = 3
    amount: float = Field(0.06, ge=0.0, le=0.5, description="Size of the random spec step.")
    seed: Seed = None


class BlendRequest(Request):
    a: str
    b: str
    t: float = Field(0.5, ge=0.0, le=1.0, description="0 is all a, 1 is all b.")


class BreedRequest(Request):
    parents: list[str] = Field(min_length=2, max_length=16, description="Two to sixteen versions of one work.")
    variants: Variants = 4
    mutation: float = Field(0.2, ge=0.0, le=1.0)
    seed: Seed = None


class DeriveRequest(Request):
    version: str
    medium: str = Field(description="The medium to make: painting, poem, story, script or music.")
    engine: str | None = None
    variants: Variants = 1
    seed: Seed = None
    params: dict[str, Any] = Field(default_factory=dict)
    sing: bool = Field(False, description="Music from a poem: set the poem's own words to the tune.")


class CoWriteRequest(Request):
    version: str
    edit: Edit
    variants: Variants = 1
    seed: Seed = None


class ImportRequest(Request):
    version: str
    file: UploadField = Field(description="The edited file: an image, UTF-8 text or MIDI, like the version.")


class VersionRequest(Request):
    """Acts that need nothing but the version: replay, rm, restore, show."""

    version: str


class DiffRequest(Request):
    a: str
    b: str


def split_params(engines: list[Engine], raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One engine gets every parameter (its own validation names the bad ones); in a set of
    media each engine gets the keys its Params model has, and a key nobody knows is an error."""
    if len(engines) == 1:
        return {engines[0].name: dict(raw)}
    known = {e.name: set(e.Params.model_fields) for e in engines}
    stray = sorted(set(raw) - set().union(*known.values()))
    if stray:
        raise InvalidInput(f"no engine in this set takes parameter {stray[0]!r}",
                           hint="; ".join(f"{n}: {', '.join(sorted(k))}" for n, k in known.items()))
    return {e.name: {k: v for k, v in raw.items() if k in known[e.name]} for e in engines}


def media_of(req: NewRequest) -> tuple[list[str], str | None]:
    """The media to make and, when duetto read them from the brief, a note saying which words
    decided; an explicit medium always wins."""
    if req.media and req.media != ["auto"]:
        unknown = [m for m in req.media if m not in MEDIA]
        if unknown:
            raise InvalidInput(f"unknown medium {unknown[0]!r}", hint=f"choose from {', '.join(MEDIA)} or auto")
        return list(req.media), None
    from duetto.brief.medium import read_medium

    reading = read_medium(req.brief)
    return reading.media, f"medium: {reading.describe()}"


def new(studio: Studio, req: NewRequest, on_version: OnVersion | None = None) -> Result:
    if not req.brief.strip():
        raise InvalidInput("the brief is empty", hint='say what you want, e.g. duetto new "calm blue sea"')
    t0 = time.perf_counter()
    media, picked = media_of(req)
    notes: list[str] = [picked] if picked else []
    engines = [kernel.engine_for(studio, m, req.engine) for m in media]
    params = split_params(engines, req.params)
    parsed = {e.name: parse_params(e, params[e.name]) for e in engines}  # bad params fail before anything is stored
    spec0 = studio.parser.brief(req.brief, medium=media[0], style=req.style)
    human: list[tuple[str, str]] = [("brief", req.brief)]
    if req.choices is not None and not req.choices.is_empty():
        spec0 = apply_choices(spec0, req.choices)
        human.append(("brief", req.choices.describe()))
    for medium, engine in zip(media, engines, strict=True):
        if isinstance(engine, Checker):
            engine.check(spec0.model_copy(update={"medium": medium}), parsed[engine.name])
    t_parse = time.perf_counter() - t0
    work = studio.repo.create_work(studio.project_id, studio.user_id, req.brief, ",".join(media))
    made: dict[str, list[VersionRecord]] = {}
    # words first, so that what the poem says (its moon) is in the picture made beside it
    for medium in sorted(media, key=lambda m: m not in TEXT_MEDIA):
        engine = engines[media.index(medium)]
        spec = spec0.model_copy(update={"medium": medium})
        if medium == "painting" and media[0] != "painting":  # figures are read for a painting only
            spec = spec.model_copy(update={"motifs": studio.parser.brief(req.brief, medium="painting").motifs})
        if req.seed is not None:
            spec = spec.model_copy(update={"seed": SeedPolicy(mode="fixed", base=req.seed)})
        notes.extend(n for n in spec.notes if n not in notes)
        words = next((made[m] for m in made if m in TEXT_MEDIA), [])
        seeds = seeds_for(spec, req.variants)
        specs = [spec] * len(seeds)
        if medium == "painting" and words:  # painting i shows what text i names
            texts = [studio.blobs.read(w.sha256, w.ext).decode("utf-8") for w in words]
            read = [studio.parser.brief(t, medium="painting") for t in texts]
            specs = [evolve.shared_motifs(spec, read[i % len(read)]) for i in range(len(seeds))]
        jobs = sets.as_set(engine, [
            Job(spec=sp, params=parsed[engine.name], seed=s, parents=[], operation="new", human=human)
            for sp, s in zip(specs, seeds, strict=True)
        ], on_version)
        made[medium] = run_jobs(studio, work.id, engine, jobs, on_version)
    versions = [v for m in media for v in made[m]]
    notes.extend(n for v in versions for n in v.spec.notes if n not in notes)  # what engines had to decide
    sheet = kernel.sheet(studio, work, versions, req.brief)
    return Result(work=work, versions=versions, contact_sheet=sheet, notes=notes,
                  timings={"parse_s": round(t_parse, 4), "total_s": round(time.perf_counter() - t0, 4)})


def derive(studio: Studio, req: DeriveRequest, on_version: OnVersion | None = None) -> Result:
    """A work in another medium made from a version: a poem for a painting, a painting for a
    poem. It joins the same work as a child of its source, so the tree shows where it came from.
    A text source is also read as a brief, so what the poem says (its moon, its red leaves)
    reaches the painting, not only the brief both started from."""
    t0 = time.perf_counter()
    if req.medium not in MEDIA:
        raise InvalidInput(f"unknown medium {req.medium!r}", hint=f"choose from {', '.join(MEDIA)}")
    source = kernel.live(studio, req.version)
    if source.spec.medium == req.medium:
        raise InvalidInput(f"version {source.short} is already a {req.medium}",
                           hint="duetto vary or duetto revise make more of the same medium")
    engine = kernel.engine_for(studio, req.medium, req.engine)
    read, raw = None, dict(req.params)
    if source.mime.startswith("text/"):
        text = studio.blobs.read(source.sha256, source.ext).decode("utf-8")
        read = studio.parser.brief(text, medium=req.medium)
        if req.sing:
            raw["lyrics"] = text
    if req.sing and "lyrics" not in raw:
        raise InvalidInput("--sing sets a text's words to music", hint="derive music from a poem version")
    if req.sing and "lyrics" not in engine.Params.model_fields:
        raise InvalidInput(f"engine {engine.name} cannot set words", hint="--sing is for --media music")
    params = parse_params(engine, raw)
    spec = evolve.across(source.spec, req.medium, read)
    if isinstance(engine, Checker):
        engine.check(spec, params)
    jobs = [Job(spec=spec, params=raw, seed=s, parents=[source.id], operation="derive",
                human=[("selection", f"a {req.medium} from {source.short}")])
            for s in kernel.seeds(req.seed, req.variants)]
    work = studio.repo.work(source.work_id)
    versions = run_jobs(studio, work.id, engine, sets.as_set(engine, jobs, on_version), on_version)
    sheet = kernel.sheet(studio, work, versions, f"{req.medium} from {source.short}")
    return Result(work=work, versions=versions, contact_sheet=sheet, notes=spec.notes,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def revise(studio: Studio, req: ReviseRequest, on_version: OnVersion | None = None) -> Result:
    if not req.feedback.strip():
        raise InvalidInput("the feedback is empty", hint='e.g. duetto revise <id> "warmer, fewer lines"')
    t0 = time.perf_counter()
    parent = kernel.live(studio, req.version)
    human = pixels.from_pixels(studio, parent)  # the person's picture: work on its pixels, keep their edit
    recipe = None if human else kernel.recipe_of(studio, parent)
    delta = studio.parser.feedback(req.feedback, parent.spec)
    t_parse = time.perf_counter() - t0
    if delta.is_empty() and not written.from_words(studio, parent):  # the person's words take any instruction
        heard = [n for n in delta.notes if not n.startswith("no change could be read")]
        raise InvalidInput(
            f"could not find a change to make in {req.feedback!r}" + (f" ({'; '.join(heard)})" if heard else ""),
            hint="try words like faster, solo piano, in D minor, 更欢快, 加入二胡" if parent.spec.medium == "music"
            else "try words like warmer, calmer, more blue, bigger shapes, 更温暖, 线条少一点",
        )
    spec = apply_delta(parent.spec, delta)
    if recipe is None:
        return pixels.revise(studio, parent, req.feedback, delta, spec, t0, t_parse, on_version)
    if written.from_words(studio, parent):  # the person's words: a rewrite of them, never a fresh draft
        done = written.revise(studio, parent, recipe, req.feedback, delta, spec, t0, t_parse, on_version)
        if done is not None:
            return done
    engine = studio.registry.get(recipe.engine)
    if isinstance(engine, Absorber):  # the painter grades colour feedback instead of repainting
        delta = engine.absorb(delta, parent.spec)
        spec = apply_delta(parent.spec, delta)
    job = Job(spec=spec, params=recipe.params, seed=recipe.seed, parents=[parent.id],
              operation="revise", delta=delta, human=[("feedback", req.feedback)],
              feedback_on=parent.id, inputs=kernel.inputs_of(engine, recipe))
    versions = run_jobs(studio, parent.work_id, engine, sets.as_set(engine, [job]), on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions, notes=delta.notes,
                  timings={"parse_s": round(t_parse, 4), "total_s": round(time.perf_counter() - t0, 4)})


def vary(studio: Studio, req: VaryRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    parent = kernel.live(studio, req.version)
    if pixels.from_pixels(studio, parent):  # the person's picture: variations of its pixels, not a repaint
        return pixels.vary(studio, parent, req.variants, req.amount, req.seed, on_version)
    if written.from_words(studio, parent):  # the person's words: rewordings of them
        return written.vary(studio, parent, req.variants, req.seed, on_version)
    recipe = kernel.recipe_of(studio, parent)
    engine = studio.registry.get(recipe.engine)
    seeds = kernel.seeds(req.seed, req.variants)
    if "vary" in getattr(engine, "edits", ()):  # music: a variation of the tune over the same harmony
        edit = Edit(op="vary", weight=round(min(1.0, max(0.1, req.amount * 5)), 3))
        jobs = [Job(spec=parent.spec, params=recipe.params, seed=s, parents=[parent.id], operation="vary",
                    human=[("selection", f"asked for {req.variants} variations")], edit=edit) for s in seeds]
    else:
        jobs = sets.as_set(engine, [
            Job(spec=evolve.perturb(parent.spec, np.random.default_rng(s), req.amount),
                params=recipe.params, seed=s, parents=[parent.id], operation="vary",
                human=[("selection", f"asked for {req.variants} variations")],
                inputs=kernel.inputs_of(engine, recipe))
            for s in seeds
        ])
    work = studio.repo.work(parent.work_id)
    versions = run_jobs(studio, parent.work_id, engine, jobs, on_version)
    sheet = kernel.sheet(studio, work, versions, f"variations of {parent.short}")
    return Result(work=work, versions=versions, contact_sheet=sheet,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def blend(studio: Studio, req: BlendRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    a, b = kernel.live(studio, req.a), kernel.live(studio, req.b)
    if a.id == b.id:
        raise InvalidInput("blend needs two different versions")
    kernel.same_work([a, b], "blend")
    ra, rb = kernel.recipe_of(studio, a), kernel.recipe_of(studio, b)
    near = ra if req.t < 0.5 else rb
    engine = studio.registry.get(near.engine)
    texts = a.mime.startswith("text/") and b.mime.startswith("text/")
    in_place = isinstance(engine, CoWriter) and (texts or "blend" in getattr(engine, "edits", ()))
    spec = evolve.blend(a.spec, b.spec, req.t)
    if isinstance(engine, Blender):  # the painter: near palette, colour matched toward the far picture
        near_v, far_v = (a, b) if req.t < 0.5 else (b, a)
        spec = engine.toward(spec, near_v.spec, studio.blobs.read(far_v.sha256, far_v.ext), min(req.t, 1 - req.t))
    job = Job(spec=spec, params=near.params, seed=near.seed,
              parents=[a.id, b.id], operation="blend",
              human=[("selection", f"blend {a.short} and {b.short} at t={req.t}")],
              edit=Edit(op="blend", weight=req.t) if in_place else None, inputs=kernel.inputs_of(engine, near))
    versions = run_jobs(studio, a.work_id, engine, sets.as_set(engine, [job]), on_version)
    return Result(work=studio.repo.work(a.work_id), versions=versions,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def breed(studio: Studio, req: BreedRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    parents = [kernel.live(studio, ref) for ref in req.parents]
    if len({p.id for p in parents}) < len(parents):
        raise InvalidInput("breed needs distinct parents")
    kernel.same_work(parents, "breed")
    recipes = [kernel.recipe_of(studio, p) for p in parents]
    jobs: list[Job] = []
    for s in kernel.seeds(req.seed, req.variants):
        rng = np.random.default_rng(s)
        recipe = recipes[int(rng.integers(len(recipes)))]
        jobs.append(Job(
            spec=evolve.breed([p.spec for p in parents], rng, req.mutation), params=recipe.params,
            seed=s, parents=[p.id for p in parents], operation="breed",
            human=[("selection", "bred " + ", ".join(p.short for p in parents))],
            inputs=kernel.inputs_of(studio.registry.get(recipe.engine), recipe),
        ))
    engine = studio.registry.get(recipes[0].engine)
    work = studio.repo.work(parents[0].work_id)
    versions = run_jobs(studio, work.id, engine, sets.as_set(engine, jobs, on_version), on_version)
    sheet = kernel.sheet(studio, work, versions, "bred from " + ", ".join(p.short for p in parents))
    return Result(work=work, versions=versions, contact_sheet=sheet,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def cowrite(studio: Studio, req: CoWriteRequest, on_version: OnVersion | None = None) -> Result:
    """A co-writing edit of a text version: one child per variant, each replayable.

    A ``replace`` with the person's own words and no instruction is the person's edit, not the
    AI's: it is stored as a human version (like an import), with no engine and no recipe."""
    t0 = time.perf_counter()
    edit = req.edit
    if edit.op == "blend":
        raise InvalidInput("blend takes two versions: duetto blend <a> <b>")
    parent = kernel.live(studio, req.version)
    if not parent.mime.startswith("text/"):
        raise InvalidInput(f"version {parent.short} is a {parent.mime} file; co-writing works on text",
                           hint="for images use duetto revise or duetto import")
    if edit.op == "replace" and edit.text is not None and not edit.instruction:
        return _human_replace(studio, parent, edit, t0)
    recipe = kernel.recipe_of(studio, parent)
    engine = studio.registry.get(recipe.engine)
    if not isinstance(engine, CoWriter):
        raise InvalidInput(f"engine {engine.name} cannot edit text")
    human: list[tuple[str, str]] = [("selection", f"asked to {edit.describe()}")]
    if edit.instruction:
        human.append(("feedback", edit.instruction))
    if edit.text:
        human.append(("edit", f"wrote {edit.text[:80]!r}"))
    jobs = sets.as_set(engine, [Job(spec=parent.spec, params=recipe.params, seed=s, parents=[parent.id],
                                    operation=edit.op, human=human, edit=edit)
                                for s in kernel.seeds(req.seed, req.variants)])
    versions = run_jobs(studio, parent.work_id, engine, jobs, on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def _human_replace(studio: Studio, parent: VersionRecord, edit: Edit, t0: float) -> Result:
    from duetto.media.text.cowrite import splice

    text = studio.blobs.read(parent.sha256, parent.ext).decode("utf-8")
    assert edit.target is not None and edit.text is not None
    data = splice(text, edit.target, edit.text).encode("utf-8")
    version = kernel.human_version(
        studio, work_id=parent.work_id, parents=[parent.id], operation="replace", spec=parent.spec, data=data,
        ext=parent.ext, mime=parent.mime, info={"edit": edit.model_dump(exclude_none=True)}, detail=edit.describe())
    return Result(work=studio.repo.work(parent.work_id), versions=[version],
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def import_edit(studio: Studio, req: ImportRequest, on_version: OnVersion | None = None) -> Result:
    """A human edit becomes a child version authored by the user; its bytes are kept as given.

    What counts as a valid edit follows the parent: an image for a painting, UTF-8 text for a
    poem, story or script, a MIDI file for music."""
    t0 = time.perf_counter()
    parent = kernel.live(studio, req.version)
    name = req.file.name
    if parent.mime.startswith("text/"):
        data, ext, lines = kernel.read_text(req.file)
        mime, info = "text/plain; charset=utf-8", {"source": name, "lines": lines}
    elif parent.ext in ("mid", "midi"):
        from duetto.media.music.engine import describe

        data, reading = kernel.read_midi(req.file)
        ext, mime, info = "mid", "audio/midi", {"source": name, **describe(reading.piece)}
    else:
        data, ext, size = kernel.read_image(req.file)
        mime = kernel.image_mime(ext)
        info = {"source": name, "width": size[0], "height": size[1]}
    spec = parent.spec.model_copy(
        update={"notes": [f"human edit imported from {name}; spec inherited from {parent.short}"]}
    )
    version = kernel.human_version(
        studio, work_id=parent.work_id, parents=[parent.id], operation="import", spec=spec, data=data, ext=ext,
        mime=mime, info=info, detail=f"imported {name}")
    return Result(work=studio.repo.work(parent.work_id), versions=[version],
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


class ExportRequest(Request):
    version: str
    formats: list[str] = Field(default_factory=list, max_length=12, description=(
        "Renderings beside the version's own files: text pdf, md, txt, fountain; music wav, ogg, mp3, flac, musicxml."))


class ReplayReport(BaseModel):
    version: VersionRecord
    identical: bool
    stored_sha256: str
    replayed_sha256: str
    seconds: float


def replay(studio: Studio, req: VersionRequest, on_version: OnVersion | None = None) -> ReplayReport:
    """Regenerate from the stored recipe; a mismatch is an error, not a shrug."""
    version = studio.version(req.version)
    raw = studio.repo.recipe(version.id)
    if raw is None:
        raise NotReplayable(
            f"version {version.short} was made by {version.author} ({version.operation}); "
            "there is no recipe to regenerate it from"
        )
    recipe = Recipe.model_validate(raw)
    engine = studio.registry.get(recipe.engine)
    if engine.version != recipe.engine_version:
        raise NotReplayable(
            f"version {version.short} was made by {recipe.engine} {recipe.engine_version}; "
            f"installed is {engine.version}, which may draw differently"
        )
    t0 = time.perf_counter()
    artefact = make(studio, engine, recipe)
    seconds = time.perf_counter() - t0
    report = ReplayReport(version=version, identical=artefact.sha256 == version.sha256,
                          stored_sha256=version.sha256, replayed_sha256=artefact.sha256,
                          seconds=round(seconds, 4))
    if not report.identical:
        raise ReplayMismatch(
            f"replay of {version.short} gave different bytes "
            f"(stored {version.sha256[:12]}, replayed {artefact.sha256[:12]})"
        )
    return report


class Exported(BaseModel):
    """A version's files as bytes, by format: its own files, renderings, and ``recipe`` (the
    version record and its recipe as JSON). The CLI writes them to a folder, the HTTP API sends
    them as a download or a ZIP; both get the same bytes and the same refusals."""

    version: VersionRecord
    files: dict[str, bytes]


def export(studio: Studio, req: ExportRequest, on_version: OnVersion | None = None) -> Exported:
    """``formats`` adds renderings of a text work (pdf, md, txt, fountain) or of music (wav, ogg,
    mp3, flac, musicxml) to the version's own files."""
    version = studio.version(req.version)
    data = studio.blobs.read(version.sha256, version.ext)  # verifies the hash before copying
    own = studio.files_of(version)
    wanted = [f for f in dict.fromkeys(req.formats) if f not in own and f != "recipe"]
    rendered: dict[str, bytes] = {}
    if wanted and version.ext in ("mid", "midi"):
        from duetto.media.music.files import convert as convert_music

        for fmt in wanted:
            rendered[fmt] = convert_music(data, fmt, studio.settings.soundfont)
    elif wanted:
        if not version.mime.startswith("text/"):
            raise InvalidInput(f"version {version.short} is an image: it has no {wanted[0]!r} rendering",
                               hint=f"renderings are made for text and music; an image exports as its own files "
                                    f"({', '.join(own)})")
        from duetto.media.text.export import convert

        title = studio.repo.work(version.work_id).title
        for fmt in wanted:
            rendered[fmt] = convert(data.decode("utf-8"), version.ext, fmt, title=title)
    files = {ext: path.read_bytes() for ext, path in own.items()}
    files.update(rendered)
    record = {"version": version.model_dump(mode="json"), "recipe": studio.repo.recipe(version.id)}
    files["recipe"] = json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8")
    return Exported(version=version, files=files)


def write_export(exported: Exported, out: Path, force: bool = False) -> dict[str, Path]:
    """Write an export into ``out`` as ``<short>.<ext>``; refuses to overwrite unless told to."""
    short = exported.version.short
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create {out}: {exc.strerror}") from None
    targets = {ext: out / (f"{short}.recipe.json" if ext == "recipe" else f"{short}.{ext}") for ext in exported.files}
    clash = [p for p in targets.values() if p.exists()]
    if clash and not force:
        raise Conflict(f"{clash[0]} already exists", hint="use --force to overwrite")
    for ext, body in exported.files.items():
        targets[ext].write_bytes(body)
    return targets


def remove(studio: Studio, req: VersionRequest, on_version: OnVersion | None = None) -> VersionRecord:
    """Soft delete: the version is hidden and nothing is made from it, but its bytes stay, so
    ``restore`` is the undo. A published version is refused: its signed files must stay verifiable."""
    from duetto.store.publications import Publications

    version = studio.version(req.version)
    Publications(studio.repo).guard_unpublished(version.id)
    studio.repo.set_deleted(version.id, True)
    return studio.repo.version(version.id)


def restore(studio: Studio, req: VersionRequest, on_version: OnVersion | None = None) -> VersionRecord:
    version = studio.version(req.version)
    studio.repo.set_deleted(version.id, False)
    return studio.repo.version(version.id)
