"""Design operations: palettes, recolouring a version, and a new work from a brief plus a
reference image. One pydantic request and one function each, like ``operations``.

``palette`` stores nothing (it reads a colour, a mood, an image or a version); ``recolour`` and
``new_from_image`` make versions through ``run_jobs`` so they replay, vary and credit like any.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Literal

from PIL import Image
from pydantic import BaseModel, Field

from duetto.design import contrast, palette, reference, swatches
from duetto.design.palette import Swatch
from duetto.engine import Checker, Recipe, parse_params
from duetto.errors import InvalidInput
from duetto.spec import NamedColour, SeedPolicy, SpecDelta, apply_delta
from duetto.store.records import VersionRecord
from duetto.studio import kernel
from duetto.studio.choices import apply_choices
from duetto.studio.generate import Job, OnVersion, run_jobs, seeds_for
from duetto.studio.kernel import Request, Result, Upload, UploadField
from duetto.studio.operations import NewRequest, media_of, split_params
from duetto.studio.studio import Studio

SourceKind = Literal["colour", "mood", "image", "version"]
_ZH = {"complementary": "互补色", "analogous": "类似色", "triadic": "三角色", "split-complementary": "分裂互补",
       "tetradic": "四角色", "monochrome": "单色"}


class PaletteRequest(Request):
    source: str = Field("", max_length=200, description="A colour (#hex, 金色, gold), a mood (平静, calm) or a version; "
                        "or send image.")
    version: str | None = Field(None, description="A picture version whose colours to extract.")
    image: UploadField | None = Field(None, description="A picture whose colours to extract.")
    harmony: str | None = Field(None, description="complementary, analogous, triadic, split-complementary, "
                                                  "tetradic, monochrome; default: all six for a colour.")
    k: int = Field(6, ge=1, le=16, description="Colours to extract from an image.")
    n: int = Field(5, ge=1, le=12, description="Colours per harmony.")
    text_colour: str | None = Field(None, description="Check this text colour's WCAG contrast.")
    region: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)


class PaletteRow(BaseModel):
    label: str
    harmony: str | None
    swatches: list[Swatch]


class SwatchContrast(BaseModel):
    hex: str
    ratio: float
    level: str


class PaletteResult(BaseModel):
    source: str
    kind: SourceKind
    rows: list[PaletteRow]
    text_on_image: contrast.TextOnImage | None = None
    text_on_swatches: list[SwatchContrast] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)


def _image_of(studio: Studio, version: VersionRecord) -> Image.Image:
    if not version.mime.startswith("image/") or version.ext == "svg":
        raise InvalidInput(f"version {version.short} is a {version.mime} file, not a picture",
                           hint="palettes and recolouring work on painting versions")
    with Image.open(io.BytesIO(studio.blobs.read(version.sha256, version.ext))) as im:
        return im.convert("RGB")


def _open_image(upload: Upload) -> Image.Image:
    data, _, _ = kernel.read_image(upload)  # a clear error for a non-image or damaged file
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGB")


def names_a_file(text: str) -> bool:
    """How the CLI tells a picture file from a colour, mood or version among its words."""
    path = Path(text.strip()).expanduser()
    return bool(path.suffix) and (path.exists() or "/" in text or path.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp"))


def names_a_version(studio: Studio, text: str) -> bool:
    """True when ``text`` is no colour or mood word but the prefix of a stored version id (the
    order ``resolve`` reads words in, so "beef" is a colour only when no version starts so)."""
    text = text.strip()
    if text.startswith("#") or text.lower() in palette.colour_words() or palette.mood_of(text):
        return False
    return len(text) >= 4 and bool(studio.repo.ids_with_prefix(text.lower(), "version"))


def resolve(studio: Studio, source: str) -> tuple[SourceKind, Swatch | Image.Image, str | None]:
    """What the user named: (kind, base swatch or picture, the mood's harmony when a mood).

    Order: a #hex, a colour word, a mood word, a version id, bare hex; an unknown word lists the
    nearest colour and mood words. (A picture comes as an upload, never as a path here.)"""
    text = source.strip()
    if not text:
        raise InvalidInput("say what to make a palette from", hint="a colour, a mood, an image file or a version")
    if text.startswith("#"):
        return "colour", palette.parse_colour(text), None
    words = palette.colour_words()
    if text.lower() in words:
        return "colour", palette.parse_colour(text), None
    if palette.mood_of(text):
        base, harmony = palette.mood_base(text)
        return "mood", base, harmony
    if len(text) >= 4 and studio.repo.ids_with_prefix(text.lower(), "version"):
        return "version", _image_of(studio, kernel.live(studio, text)), None
    try:
        return "colour", palette.parse_colour(text), None
    except InvalidInput:
        known = list(words) + list(palette.MOOD_COLOURS)
        raise InvalidInput(f"unknown colour or mood {source!r}",
                           hint="did you mean: " + ", ".join(palette.suggest(text.lower(), known))) from None


def make_palette(studio: Studio, req: PaletteRequest, on_version: OnVersion | None = None) -> PaletteResult:
    t0 = time.perf_counter()
    given = [bool(req.source.strip()), req.version is not None, req.image is not None]
    if sum(given) != 1:
        raise InvalidInput("make a palette from one thing: a colour or mood, a version, or a picture")
    if req.image is not None:
        kind, what, mood_harmony = "image", _open_image(req.image), None
    elif req.version is not None:
        kind, what, mood_harmony = "version", _image_of(studio, kernel.live(studio, req.version)), None
    else:
        kind, what, mood_harmony = resolve(studio, req.source)
    text = palette.parse_colour(req.text_colour) if req.text_colour else None
    rows: list[PaletteRow] = []
    picture: Image.Image | None = None
    if isinstance(what, Image.Image):
        picture = what
        found = palette.extract(picture, req.k)
        rows.append(PaletteRow(label=f"提取 · k={req.k}\nextracted", harmony=None, swatches=found))
        if req.harmony:
            base = found[0].model_copy(update={"role": "base", "share": None})
            name = palette.harmony_name(req.harmony)
            rows.append(PaletteRow(label=f"{name}\nfrom {base.hex}", harmony=name,
                                   swatches=palette.harmony(base, name, req.n)))
    else:
        names = [palette.harmony_name(req.harmony)] if req.harmony else (
            [mood_harmony] if mood_harmony else list(palette.HARMONIES))
        for name in names:
            label = f"{name}\n{_ZH[name]}"
            rows.append(PaletteRow(label=label, harmony=name, swatches=palette.harmony(what, name, req.n)))
    result = PaletteResult(source=req.image.name if req.image else req.version or req.source, kind=kind, rows=rows)
    if text is not None:
        if picture is not None:
            result.text_on_image = contrast.text_on_image(picture, text.hex, req.region)
        for hex_ in dict.fromkeys(s.hex for row in rows for s in row.swatches):
            v = contrast.verdict(contrast.ratio(text.hex, hex_))
            result.text_on_swatches.append(SwatchContrast(hex=hex_, ratio=v.ratio, level=v.level))
    result.timings["total_s"] = round(time.perf_counter() - t0, 4)
    return result


# -- recolour -------------------------------------------------------------------------------------


class RecolourRequest(Request):
    version: str
    palette: list[str] = Field(default_factory=list, description="Colours (#hex or names), in any order.")
    harmony: str | None = Field(None, description="Build the palette as this harmony of --base.")
    base: str | None = Field(None, description="Base colour or mood of the harmony (default: the picture's main colour).")
    strength: float = Field(1.0, ge=0.0, le=1.0)
    seed: int = Field(0, ge=0, lt=2**63, description="0: plain lightness match; others swap close values.")


def recolour_palette(studio: Studio, req: RecolourRequest, picture: Image.Image) -> list[Swatch]:
    if req.palette:
        if req.harmony or req.base:
            raise InvalidInput("give either --palette or --harmony/--base, not both")
        return [palette.parse_colour(c) for c in req.palette]
    if not (req.harmony or req.base):
        raise InvalidInput("recolour to what?", hint='--palette "#aabbcc,#112233" or --harmony triadic --base 金色')
    harmony = req.harmony
    if req.base:
        kind, base, mood_harmony = resolve(studio, req.base)
        if not isinstance(base, Swatch):
            raise InvalidInput(f"--base takes a colour or a mood, not {kind} {req.base!r}")
        harmony = harmony or mood_harmony or "complementary"
    else:  # the picture's most colourful colour, not its (often pale) ground
        found = palette.extract(picture, 6)
        base = max(found, key=lambda s: _chroma(s.hex)).model_copy(update={"role": "base", "share": None})
    return palette.harmony(base, harmony or "complementary")


def _chroma(hex_: str) -> float:
    r, g, b = (int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return max(r, g, b) - min(r, g, b)


def recolour(studio: Studio, req: RecolourRequest, on_version: OnVersion | None = None) -> Result:
    """A child version in a new palette; a recolour of a recolour reads the first source again."""
    t0 = time.perf_counter()
    parent = kernel.live(studio, req.version)
    picture = _image_of(studio, parent)
    chosen = recolour_palette(studio, req, picture)
    raw = studio.repo.recipe(parent.id)
    earlier = Recipe.model_validate(raw) if raw is not None else None
    inputs = earlier.sources() if earlier is not None and earlier.engine == "recolour" else []
    colours = [NamedColour(name=s.name_en, hex=s.hex) for s in chosen]
    described = ", ".join(f"{s.hex} {s.name_zh}" for s in chosen)
    delta = SpecDelta(feedback=f"recolour to {described}",
                      set={"palette.colours": [c.model_dump() for c in colours], "palette.warmth": 0.0})
    spec = apply_delta(parent.spec, delta)
    engine = studio.registry.get("recolour")
    job = Job(spec=spec, params={"strength": req.strength}, seed=req.seed, parents=[parent.id],
              operation="recolour", delta=delta, human=[("palette", f"recolour to {described}")], inputs=inputs)
    versions = run_jobs(studio, parent.work_id, engine, [job], on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  notes=[f"palette: {described}"], timings={"total_s": round(time.perf_counter() - t0, 4)})


# -- a new work from words and a reference image ----------------------------------------------------


def new_from_image(studio: Studio, req: NewRequest, on_version: OnVersion | None = None) -> Result:
    """``new`` whose spec also reads a reference picture (the words win where they are explicit);
    the picture is kept in the blob store and credited as the person's "reference image"."""
    if not req.brief.strip():
        raise InvalidInput("the brief is empty", hint='e.g. duetto new "秋天" --image ref.png')
    if req.image is None:
        raise InvalidInput("a new work from a picture needs the picture", hint='duetto new "秋天" --image ref.png')
    t0 = time.perf_counter()
    media, picked = media_of(req)
    data, ext, _ = kernel.read_image(req.image)
    with Image.open(io.BytesIO(data)) as im:
        reading = reference.read_reference(im.convert("RGB"))
    engines = [kernel.engine_for(studio, m, req.engine) for m in media]
    params = split_params(engines, req.params)
    words = studio.parser.brief(req.brief, medium=media[0], style=req.style)
    spec0 = reference.merge(words, reading, req.image.name)
    if req.choices is not None and not req.choices.is_empty():  # the hand choices win over both
        spec0 = apply_choices(spec0, req.choices)
    for medium, engine in zip(media, engines, strict=True):
        p = parse_params(engine, params[engine.name])
        if isinstance(engine, Checker):
            engine.check(spec0.model_copy(update={"medium": medium}), p)
    sha, _ = studio.blobs.put(data, ext)
    work = studio.repo.create_work(studio.project_id, studio.user_id, req.brief, ",".join(media))
    human = [("brief", req.brief), ("reference image", f"{req.image.name} (blob {sha[:16]}.{ext})")]
    if req.choices is not None and not req.choices.is_empty():
        human.append(("brief", req.choices.describe()))
    versions: list[VersionRecord] = []
    for medium, engine in zip(media, engines, strict=True):
        spec = spec0.model_copy(update={"medium": medium})
        if req.seed is not None:
            spec = spec.model_copy(update={"seed": SeedPolicy(mode="fixed", base=req.seed)})
        jobs = [Job(spec=spec, params=params[engine.name], seed=s, parents=[], operation="new", human=human)
                for s in seeds_for(spec, req.variants)]
        versions += run_jobs(studio, work.id, engine, jobs, on_version)
    return Result(work=work, versions=versions, contact_sheet=kernel.sheet(studio, work, versions, req.brief),
                  notes=[*([picked] if picked else []), *spec0.notes], timings={"total_s": round(time.perf_counter() - t0, 4)})


def sheet_of(result: PaletteResult, harmony: str | None = None) -> Image.Image:
    """The swatch sheet of a palette, as a picture to save or show (the CLI's ``--out``)."""
    moods = [r.harmony for r in result.rows if r.harmony]
    title = f"{result.source} · {result.kind}" + (f" · {moods[0]}" if result.kind == "mood" and moods and not harmony else "")
    return swatches.sheet([(r.label, r.swatches) for r in result.rows], title)
