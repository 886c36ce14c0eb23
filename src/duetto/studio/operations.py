"""The co-creation operations: one pydantic request model and one function each.

``op(studio, request) -> Result``. The CLI commands (and the HTTP routes of a later issue) are thin
wrappers that build a request and print the result, so behaviour lives here once.
"""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import (
    Checker,
    CoWriter,
    Edit,
    Engine,
    Recipe,
    Transformer,
    parse_params,
)
from duetto.errors import Conflict, InvalidInput, NotReplayable, ReplayMismatch
from duetto.spec import MEDIA, SeedPolicy, apply_delta
from duetto.store.records import (
    ContributionRecord,
    NewVersion,
    VersionRecord,
    WorkRecord,
)
from duetto.store.repository import new_id
from duetto.studio import evolve
from duetto.studio.choices import SpecChoices, apply_choices
from duetto.studio.generate import Job, OnVersion, fresh_seed, make, run_jobs, seeds_for
from duetto.studio.sheet import contact_sheet
from duetto.studio.studio import Studio

Variants = Annotated[int, Field(ge=1, le=64, description="How many drafts to make.")]
IMPORT_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "TIFF": "tif", "BMP": "bmp"}


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Result(BaseModel):
    """What every generating operation returns: the new versions and where to look at them."""

    work: WorkRecord
    versions: list[VersionRecord]
    contact_sheet: Path | None = None
    notes: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)


class NewRequest(_Request):
    brief: str
    media: list[str] = Field(default_factory=lambda: ["painting"])
    style: str | None = None
    engine: str | None = Field(None, description="Engine by name; default: the medium's first.")
    variants: Variants = 4
    seed: int | None = Field(None, ge=0, lt=2**63, description="Fix seeds: variant i gets seed+i.")
    params: dict[str, Any] = Field(default_factory=dict)
    choices: SpecChoices | None = Field(None, description="Swatches and sliders set by hand; they override the brief's words.")


class ReviseRequest(_Request):
    version: str
    feedback: str


class VaryRequest(_Request):
    version: str
    variants: Variants = 3
    amount: float = Field(0.06, ge=0.0, le=0.5, description="Size of the random spec step.")
    seed: int | None = Field(None, ge=0, lt=2**63)


class BlendRequest(_Request):
    a: str
    b: str
    t: float = Field(0.5, ge=0.0, le=1.0)


class BreedRequest(_Request):
    parents: list[str] = Field(min_length=2)
    variants: Variants = 4
    mutation: float = Field(0.2, ge=0.0, le=1.0)
    seed: int | None = Field(None, ge=0, lt=2**63)


class DeriveRequest(_Request):
    version: str
    medium: str
    engine: str | None = None
    variants: Variants = 1
    seed: int | None = Field(None, ge=0, lt=2**63)
    params: dict[str, Any] = Field(default_factory=dict)
    sing: bool = Field(False, description="Music from a poem: set the poem's own words to the tune.")


class CoWriteRequest(_Request):
    version: str
    edit: Edit
    variants: Variants = 1
    seed: int | None = Field(None, ge=0, lt=2**63)


class ImportRequest(_Request):
    version: str
    file: Path


def _sheet(studio: Studio, work: WorkRecord, versions: list[VersionRecord], title: str) -> Path | None:
    images = [v for v in versions if v.mime.startswith("image/")]
    if not images:
        return None
    return contact_sheet(studio, work, images, title)


def _live(studio: Studio, ref: str) -> VersionRecord:
    version = studio.version(ref)
    if version.deleted:
        raise Conflict(f"version {version.short} is deleted", hint=f"`duetto restore {version.short}` first")
    return version


def _recipe_of(studio: Studio, version: VersionRecord) -> Recipe:
    """The recipe a derived version builds on: its own, or its nearest generated ancestor's
    (an imported human edit has none of its own)."""
    raw = studio.repo.recipe(version.id)
    if raw is not None:
        return Recipe.model_validate(raw)
    for ancestor in studio.repo.ancestors(version.id):
        raw = studio.repo.recipe(ancestor)
        if raw is not None:
            return Recipe.model_validate(raw)
    if version.spec.medium == "music":  # a work begun from the person's own MIDI: the composer takes over
        engine = studio.registry.for_medium("music")
        return Recipe(engine=engine.name, engine_version=engine.version, spec=version.spec, seed=0,
                      operation="import")
    raise NotReplayable(f"version {version.short} has no generated ancestor to continue from")


def _inputs(engine: Engine, recipe: Recipe) -> list[str]:
    """A Transformer's child (a variation of a restyled picture) reads what its parent read: the
    source picture again, not the restyled one; other engines read nothing."""
    return recipe.sources() if isinstance(engine, Transformer) else []


def _engine_for(studio: Studio, medium: str, name: str | None) -> Engine:
    if name is None:
        return studio.registry.for_medium(medium)
    engine = studio.registry.get(name)
    if engine.medium != medium:
        raise InvalidInput(f"engine {name} makes {engine.medium}, not {medium}")
    return engine


def _split_params(engines: list[Engine], raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
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


def new(studio: Studio, req: NewRequest, on_version: OnVersion | None = None) -> Result:
    if not req.brief.strip():
        raise InvalidInput("the brief is empty", hint='say what you want, e.g. duetto new "calm blue sea"')
    unknown = [m for m in req.media if m not in MEDIA]
    if unknown:
        raise InvalidInput(f"unknown medium {unknown[0]!r}", hint=f"choose from {', '.join(MEDIA)}")
    t0 = time.perf_counter()
    versions: list[VersionRecord] = []
    notes: list[str] = []
    engines = [_engine_for(studio, m, req.engine) for m in req.media]
    params = _split_params(engines, req.params)
    for engine in engines:  # fail on bad params before anything is stored
        parse_params(engine, params[engine.name])
    spec0 = studio.parser.brief(req.brief, medium=req.media[0], style=req.style)
    human: list[tuple[str, str]] = [("brief", req.brief)]
    if req.choices is not None and not req.choices.is_empty():
        spec0 = apply_choices(spec0, req.choices)
        human.append(("brief", req.choices.describe()))
    for medium, engine in zip(req.media, engines, strict=True):
        if isinstance(engine, Checker):
            engine.check(spec0.model_copy(update={"medium": medium}), parse_params(engine, params[engine.name]))
    t_parse = time.perf_counter() - t0
    work = studio.repo.create_work(studio.project_id, studio.user_id, req.brief, ",".join(req.media))
    for medium, engine in zip(req.media, engines, strict=True):
        spec = spec0.model_copy(update={"medium": medium})
        if req.seed is not None:
            spec = spec.model_copy(update={"seed": SeedPolicy(mode="fixed", base=req.seed)})
        notes.extend(n for n in spec.notes if n not in notes)
        jobs = [
            Job(spec=spec, params=params[engine.name], seed=s, parents=[], operation="new", human=human)
            for s in seeds_for(spec, req.variants)
        ]
        versions += run_jobs(studio, work.id, engine, jobs, on_version)
    notes.extend(n for v in versions for n in v.spec.notes if n not in notes)  # what engines had to decide
    sheet = _sheet(studio, work, versions, req.brief)
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
    source = _live(studio, req.version)
    if source.spec.medium == req.medium:
        raise InvalidInput(f"version {source.short} is already a {req.medium}",
                           hint="duetto vary or duetto revise make more of the same medium")
    engine = _engine_for(studio, req.medium, req.engine)
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
    seeds = ([(req.seed + i) % 2**63 for i in range(req.variants)] if req.seed is not None
             else [fresh_seed() for _ in range(req.variants)])
    jobs = [Job(spec=spec, params=raw, seed=s, parents=[source.id], operation="derive",
                human=[("selection", f"a {req.medium} from {source.short}")]) for s in seeds]
    work = studio.repo.work(source.work_id)
    versions = run_jobs(studio, work.id, engine, jobs, on_version)
    sheet = _sheet(studio, work, versions, f"{req.medium} from {source.short}")
    return Result(work=work, versions=versions, contact_sheet=sheet, notes=spec.notes,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def revise(studio: Studio, req: ReviseRequest, on_version: OnVersion | None = None) -> Result:
    if not req.feedback.strip():
        raise InvalidInput("the feedback is empty", hint='e.g. duetto revise <id> "warmer, fewer lines"')
    t0 = time.perf_counter()
    parent = _live(studio, req.version)
    recipe = _recipe_of(studio, parent)
    delta = studio.parser.feedback(req.feedback, parent.spec)
    t_parse = time.perf_counter() - t0
    if delta.is_empty():
        heard = [n for n in delta.notes if not n.startswith("no change could be read")]
        raise InvalidInput(
            f"could not find a change to make in {req.feedback!r}" + (f" ({'; '.join(heard)})" if heard else ""),
            hint="try words like faster, solo piano, in D minor, 更欢快, 加入二胡" if parent.spec.medium == "music"
            else "try words like warmer, calmer, more blue, bigger shapes, 更温暖, 线条少一点",
        )
    spec = apply_delta(parent.spec, delta)
    engine = studio.registry.get(recipe.engine)
    job = Job(spec=spec, params=recipe.params, seed=recipe.seed, parents=[parent.id],
              operation="revise", delta=delta, human=[("feedback", req.feedback)],
              feedback_on=parent.id, inputs=_inputs(engine, recipe))
    versions = run_jobs(studio, parent.work_id, engine, [job], on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions, notes=delta.notes,
                  timings={"parse_s": round(t_parse, 4), "total_s": round(time.perf_counter() - t0, 4)})


def vary(studio: Studio, req: VaryRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    parent = _live(studio, req.version)
    recipe = _recipe_of(studio, parent)
    engine = studio.registry.get(recipe.engine)
    seeds = (
        [(req.seed + i) % 2**63 for i in range(req.variants)]
        if req.seed is not None else [fresh_seed() for _ in range(req.variants)]
    )
    if "vary" in getattr(engine, "edits", ()):  # music: a variation of the tune over the same harmony
        edit = Edit(op="vary", weight=round(min(1.0, max(0.1, req.amount * 5)), 3))
        jobs = [Job(spec=parent.spec, params=recipe.params, seed=s, parents=[parent.id], operation="vary",
                    human=[("selection", f"asked for {req.variants} variations")], edit=edit) for s in seeds]
    else:
        jobs = [
            Job(spec=evolve.perturb(parent.spec, np.random.default_rng(s), req.amount),
                params=recipe.params, seed=s, parents=[parent.id], operation="vary",
                human=[("selection", f"asked for {req.variants} variations")], inputs=_inputs(engine, recipe))
            for s in seeds
        ]
    work = studio.repo.work(parent.work_id)
    versions = run_jobs(studio, parent.work_id, engine, jobs, on_version)
    sheet = _sheet(studio, work, versions, f"variations of {parent.short}")
    return Result(work=work, versions=versions, contact_sheet=sheet,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def _same_work(versions: list[VersionRecord], op: str) -> None:
    works = {v.work_id for v in versions}
    if len(works) > 1:
        raise InvalidInput(
            f"cannot {op} versions of different works",
            hint="pick versions from one work (`duetto tree <work>` lists them)",
        )


def blend(studio: Studio, req: BlendRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    a, b = _live(studio, req.a), _live(studio, req.b)
    if a.id == b.id:
        raise InvalidInput("blend needs two different versions")
    _same_work([a, b], "blend")
    ra, rb = _recipe_of(studio, a), _recipe_of(studio, b)
    near = ra if req.t < 0.5 else rb
    engine = studio.registry.get(near.engine)
    texts = a.mime.startswith("text/") and b.mime.startswith("text/")
    in_place = isinstance(engine, CoWriter) and (texts or "blend" in getattr(engine, "edits", ()))
    job = Job(spec=evolve.blend(a.spec, b.spec, req.t), params=near.params, seed=near.seed,
              parents=[a.id, b.id], operation="blend",
              human=[("selection", f"blend {a.short} and {b.short} at t={req.t}")],
              edit=Edit(op="blend", weight=req.t) if in_place else None, inputs=_inputs(engine, near))
    versions = run_jobs(studio, a.work_id, engine, [job], on_version)
    return Result(work=studio.repo.work(a.work_id), versions=versions,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def breed(studio: Studio, req: BreedRequest, on_version: OnVersion | None = None) -> Result:
    t0 = time.perf_counter()
    parents = [_live(studio, ref) for ref in req.parents]
    if len({p.id for p in parents}) < len(parents):
        raise InvalidInput("breed needs distinct parents")
    _same_work(parents, "breed")
    recipes = [_recipe_of(studio, p) for p in parents]
    seeds = (
        [(req.seed + i) % 2**63 for i in range(req.variants)]
        if req.seed is not None else [fresh_seed() for _ in range(req.variants)]
    )
    jobs: list[Job] = []
    for s in seeds:
        rng = np.random.default_rng(s)
        recipe = recipes[int(rng.integers(len(recipes)))]
        jobs.append(Job(
            spec=evolve.breed([p.spec for p in parents], rng, req.mutation), params=recipe.params,
            seed=s, parents=[p.id for p in parents], operation="breed",
            human=[("selection", "bred " + ", ".join(p.short for p in parents))],
            inputs=_inputs(studio.registry.get(recipe.engine), recipe),
        ))
    engine = studio.registry.get(recipes[0].engine)
    work = studio.repo.work(parents[0].work_id)
    versions = run_jobs(studio, work.id, engine, jobs, on_version)
    sheet = _sheet(studio, work, versions, "bred from " + ", ".join(p.short for p in parents))
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
    parent = _live(studio, req.version)
    if not parent.mime.startswith("text/"):
        raise InvalidInput(f"version {parent.short} is a {parent.mime} file; co-writing works on text",
                           hint="for images use duetto revise or duetto import")
    if edit.op == "replace" and edit.text is not None and not edit.instruction:
        return _human_replace(studio, parent, edit, t0)
    recipe = _recipe_of(studio, parent)
    engine = studio.registry.get(recipe.engine)
    if not isinstance(engine, CoWriter):
        raise InvalidInput(f"engine {engine.name} cannot edit text")
    seeds = ([(req.seed + i) % 2**63 for i in range(req.variants)] if req.seed is not None
             else [fresh_seed() for _ in range(req.variants)])
    human: list[tuple[str, str]] = [("selection", f"asked to {edit.describe()}")]
    if edit.instruction:
        human.append(("feedback", edit.instruction))
    if edit.text:
        human.append(("edit", f"wrote {edit.text[:80]!r}"))
    jobs = [Job(spec=parent.spec, params=recipe.params, seed=s, parents=[parent.id], operation=edit.op,
                human=human, edit=edit) for s in seeds]
    versions = run_jobs(studio, parent.work_id, engine, jobs, on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def _human_replace(studio: Studio, parent: VersionRecord, edit: Edit, t0: float) -> Result:
    from duetto.media.text.cowrite import splice

    text = studio.blobs.read(parent.sha256, parent.ext).decode("utf-8")
    assert edit.target is not None and edit.text is not None
    data = splice(text, edit.target, edit.text).encode("utf-8")
    sha, _ = studio.blobs.put(data, parent.ext)
    vid = new_id()
    version = studio.repo.add_version(NewVersion(
        id=vid, work_id=parent.work_id, parents=[parent.id], operation="replace",
        author=studio.human, author_kind="human", spec=parent.spec, sha256=sha, ext=parent.ext,
        mime=parent.mime, info={"edit": edit.model_dump(exclude_none=True)},
        contributions=[ContributionRecord(version_id=vid, contributor=studio.human, contributor_kind="human",
                                          kind="edit", detail=edit.describe())],
    ))
    return Result(work=studio.repo.work(parent.work_id), versions=[version],
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def read_image(path: Path) -> tuple[bytes, str, tuple[int, int]]:
    """Bytes, extension and size of a real, complete image; anything else is a clear error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a directory, not an image") from None
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format or ""
            im.load()  # decodes every byte: a truncated file fails here, not later
            size = im.size
    except Image.DecompressionBombError as exc:
        raise InvalidInput(f"{path.name} is too large to import: {exc}") from None
    except UnidentifiedImageError:
        raise InvalidInput(f"{path.name} is not an image duetto can read") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"{path.name} is damaged or truncated ({exc})") from None
    if fmt not in IMPORT_FORMATS:
        raise InvalidInput(f"{path.name} is a {fmt} image; import takes {', '.join(IMPORT_FORMATS)}")
    return data, IMPORT_FORMATS[fmt], size


MAX_TEXT_BYTES = 2_000_000


def read_text(path: Path) -> tuple[bytes, str, int]:
    """Bytes, extension and line count of a UTF-8 text file (a human edit of a text work)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a directory, not a text file") from None
    if len(data) > MAX_TEXT_BYTES:
        raise InvalidInput(f"{path.name} is {len(data):,} bytes; text imports are limited to {MAX_TEXT_BYTES:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise InvalidInput(f"{path.name} is empty")
    ext = path.suffix.lstrip(".").lower() if path.suffix.lower() in (".md", ".fountain") else "txt"
    return data, ext, len(text.splitlines())


def import_edit(studio: Studio, req: ImportRequest) -> Result:
    """A human edit becomes a child version authored by the user; its bytes are kept as given.

    What counts as a valid edit follows the parent: an image for a painting, UTF-8 text for a
    poem, story or script, a MIDI file for music."""
    t0 = time.perf_counter()
    parent = _live(studio, req.version)
    if parent.mime.startswith("text/"):
        data, ext, lines = read_text(req.file)
        mime, info = "text/plain; charset=utf-8", {"source": req.file.name, "lines": lines}
    elif parent.ext in ("mid", "midi"):
        from duetto.media.music.engine import describe
        from duetto.studio.music import read_midi_file

        data, reading = read_midi_file(req.file)
        ext, mime, info = "mid", "audio/midi", {"source": req.file.name, **describe(reading.piece)}
    else:
        data, ext, size = read_image(req.file)
        mime = Image.MIME.get(next(k for k, v in IMPORT_FORMATS.items() if v == ext), "image/*")
        info = {"source": req.file.name, "width": size[0], "height": size[1]}
    sha, _ = studio.blobs.put(data, ext)
    spec = parent.spec.model_copy(
        update={"notes": [f"human edit imported from {req.file.name}; spec inherited from {parent.short}"]}
    )
    vid = new_id()
    version = studio.repo.add_version(NewVersion(
        id=vid, work_id=parent.work_id, parents=[parent.id], operation="import",
        author=studio.human, author_kind="human", spec=spec, sha256=sha, ext=ext,
        mime=mime, info=info,
        contributions=[ContributionRecord(version_id=vid, contributor=studio.human,
                                          contributor_kind="human", kind="edit",
                                          detail=f"imported {req.file.name}")],
    ))
    return Result(work=studio.repo.work(parent.work_id), versions=[version],
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


class ReplayReport(BaseModel):
    version: VersionRecord
    identical: bool
    stored_sha256: str
    replayed_sha256: str
    seconds: float


def replay(studio: Studio, ref: str) -> ReplayReport:
    """Regenerate from the stored recipe; a mismatch is an error, not a shrug."""
    version = studio.version(ref)
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


def export(studio: Studio, ref: str, out: Path, force: bool = False,
           formats: list[str] | None = None) -> dict[str, Path]:
    """Copy a version's files plus its recipe out; refuses to overwrite unless told to.

    ``formats`` adds renderings of a text work (pdf, md, txt, fountain) or of music (wav, ogg,
    mp3, flac, musicxml) beside the copies."""
    version = studio.version(ref)
    data = studio.blobs.read(version.sha256, version.ext)  # verifies the hash before copying
    rendered: dict[str, bytes] = {}
    if formats and version.ext in ("mid", "midi"):
        from duetto.media.music.files import convert as convert_music

        for fmt in formats:
            if fmt not in studio.files_of(version):
                rendered[fmt] = convert_music(data, fmt, studio.settings.soundfont)
    elif formats:
        if not version.mime.startswith("text/"):
            own = ", ".join(studio.files_of(version))
            raise InvalidInput(f"version {version.short} is an image: it has no {formats[0]!r} rendering",
                               hint=f"renderings are made for text and music; an image exports as its own files ({own})")
        from duetto.media.text.export import convert

        title = studio.repo.work(version.work_id).title
        for fmt in formats:
            if fmt not in studio.files_of(version):
                rendered[fmt] = convert(data.decode("utf-8"), version.ext, fmt, title=title)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create {out}: {exc.strerror}") from None
    targets = {ext: out / f"{version.short}.{ext}" for ext in [*studio.files_of(version), *rendered]}
    targets["recipe"] = out / f"{version.short}.recipe.json"
    clash = [p for p in targets.values() if p.exists()]
    if clash and not force:
        raise Conflict(f"{clash[0]} already exists", hint="use --force to overwrite")
    for ext, src in studio.files_of(version).items():
        shutil.copyfile(src, targets[ext])
    for ext, body in rendered.items():
        targets[ext].write_bytes(body)
    raw = studio.repo.recipe(version.id)
    record = {"version": version.model_dump(mode="json"), "recipe": raw}
    targets["recipe"].write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return targets


def remove(studio: Studio, ref: str) -> VersionRecord:
    version = studio.version(ref)
    studio.repo.set_deleted(version.id, True)
    return studio.repo.version(version.id)


def restore(studio: Studio, ref: str) -> VersionRecord:
    version = studio.version(ref)
    studio.repo.set_deleted(version.id, False)
    return studio.repo.version(version.id)
