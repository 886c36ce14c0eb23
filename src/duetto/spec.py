"""CreativeSpec: what a work should be, in numbers an engine can act on.

A brief in words becomes a spec; feedback in words becomes a ``SpecDelta``; engines read only the
spec. Every field has a default so that a brief the parser did not understand still yields a
painting, and ``notes`` says what was not understood instead of guessing silently.

Scales: every "amount" is 0..1 with 0.5 as neutral; valence is -1 (sad) .. 1 (joyful); hues are
degrees 0..360 on the HSL wheel.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Medium = Literal["painting", "poem", "story", "script", "music"]
MEDIA: tuple[str, ...] = ("painting", "poem", "story", "script", "music")
Composition = Literal[
    "balanced", "centered", "diagonal", "horizontal", "vertical", "scattered", "grid"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Range(_Model):
    lo: Unit
    hi: Unit

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.lo > self.hi:
            raise ValueError(f"range lo {self.lo} > hi {self.hi}")
        return self

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2


class HueRange(_Model):
    """An arc of the colour wheel; wraps through 0 when ``start > end`` (e.g. reds 340..20)."""

    start: Annotated[float, Field(ge=0.0, lt=360.0)]
    end: Annotated[float, Field(ge=0.0, lt=360.0)]

    def contains(self, hue: float) -> bool:
        hue %= 360.0
        if self.start <= self.end:
            return self.start <= hue <= self.end
        return hue >= self.start or hue <= self.end

    @property
    def centre(self) -> float:
        span = (self.end - self.start) % 360.0
        return (self.start + span / 2) % 360.0


class NamedColour(_Model):
    """A colour the artist named ("金色", "crimson"): kept as words *and* as a value."""

    name: str
    hex: Annotated[str, Field(pattern=r"^#[0-9a-f]{6}$")]
    weight: Annotated[float, Field(gt=0.0, le=10.0)] = 1.0

    @field_validator("hex", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        return v.lower() if isinstance(v, str) else v

    @property
    def rgb(self) -> tuple[int, int, int]:
        return int(self.hex[1:3], 16), int(self.hex[3:5], 16), int(self.hex[5:7], 16)

    @property
    def hls(self) -> tuple[float, float, float]:
        """(hue degrees, lightness 0..1, saturation 0..1)."""
        h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in self.rgb))
        return h * 360.0, l, s


class Palette(_Model):
    colours: list[NamedColour] = Field(default_factory=list, description="Colours asked for.")
    hues: list[HueRange] = Field(default_factory=list, description="Preferred hue arcs.")
    saturation: Range = Field(default_factory=lambda: Range(lo=0.45, hi=0.85))
    lightness: Range = Field(default_factory=lambda: Range(lo=0.35, hi=0.75))
    warmth: Annotated[float, Field(ge=-1.0, le=1.0)] = Field(
        0.0, description="-1 cool .. +1 warm: shifts every hue toward blue or orange."
    )
    variety: Unit = Field(0.5, description="How many distinct colours (色彩丰富 is high).")
    excluded: list[NamedColour] = Field(
        default_factory=list, description="Colours the artist said no to."
    )
    excluded_hues: list[HueRange] = Field(default_factory=list)


Signed = Annotated[float, Field(ge=-1.0, le=1.0)]


class ColourMatch(_Model):
    """Colour statistics a blend moves a picture toward: the other parent's CIELAB mean and
    spread (measured from its pixels when the blend is made, so replay needs no parent bytes)."""

    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    amount: Unit = Field(description="Share of the way: the far parent's share of the blend.")


class Grade(_Model):
    """A colourist's pass over the finished picture: what colour feedback does to a painting.

    "Warmer", "brighter", "more blue" on a painting the artist likes should change its colour,
    not its drawing. The brief chose the palette; feedback grades the picture made from it, so
    the composition, the strokes and their edges stay where they were (see media/image/grade.py).
    Each amount is -1..1 with 0 neutral; ``tints`` are named colours washed into the picture.
    """

    warmth: Signed = Field(0.0, description="-1 cooler .. +1 warmer: a cast along the blue-orange axis.")
    light: Signed = Field(0.0, description="-1 darker .. +1 lighter: L* lifted or lowered, ends held.")
    saturation: Signed = Field(0.0, description="-1 greyer .. +1 more colourful: chroma scaled.")
    contrast: Signed = Field(0.0, description="-1 flatter .. +1 punchier: L* spread around its mean.")
    tints: list[NamedColour] = Field(default_factory=list, description="Colours asked for: 'more blue'.")
    excluded: list[NamedColour] = Field(default_factory=list, description="Colours graded out: 'no blue'.")
    excluded_hues: list[HueRange] = Field(default_factory=list, description="Their hue arcs, as the words name them.")
    match: ColourMatch | None = Field(None, description="A blend's pull toward the other parent's colours.")

    def is_neutral(self) -> bool:
        return not (self.warmth or self.light or self.saturation or self.contrast or self.tints or self.match)


class Mood(_Model):
    valence: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.2
    arousal: Unit = 0.5
    named: list[str] = Field(default_factory=list, description="Mood words, canonical English.")


class LineQuality(_Model):
    smoothness: Unit = Field(0.6, description="0 jagged/broken .. 1 flowing (线条流畅).")
    amount: Unit = Field(0.5, description="How many lines (线条少一点 lowers it).")
    weight: Unit = Field(0.5, description="0 hairline .. 1 heavy.")


MotifKind = Literal[
    "sky", "sun", "moon", "stars", "clouds", "mountains", "water", "trees", "leaves", "flowers",
    "birds", "rain", "snow", "mist", "grass",
]
MOTIF_KINDS: tuple[str, ...] = MotifKind.__args__  # type: ignore[attr-defined]
MotifPosition = Literal["auto", "left", "right", "top", "bottom", "center"]


class Motif(_Model):
    """A figurative thing the picture should show (落叶, a moon, willows): *what*, not *how*.

    The painter composes motifs by rule (horizon, thirds, depth); these are hints it honours.
    ``variant`` refines the kind: sky dawn/day/dusk/night, trees willow/pine/bare/blossom/forest,
    leaves falling/scattered, water calm/waves.
    """

    kind: MotifKind
    variant: str = Field("", max_length=20)
    word: str = Field("", max_length=40, description="The word that asked for it.")
    count: int | None = Field(None, ge=1, le=400, description="Exact number; None: from amount.")
    amount: Unit = Field(0.5, description="How many / how much (more leaves raises it).")
    size: Unit = Field(0.5, description="0 small .. 1 large (a bigger moon).")
    position: MotifPosition = "auto"


class MotifEdit(_Model):
    """What feedback does to one motif: add it, remove it, or move its amount/size."""

    kind: MotifKind
    remove: bool = False
    amount: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0
    size: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0
    variant: str | None = Field(None, max_length=20)
    word: str = Field("", max_length=40)


class SeedPolicy(_Model):
    """``random``: fresh seeds per generation, recorded in the recipe (replay still exact).
    ``fixed``: variant i gets ``base + i`` so the same command gives the same works."""

    mode: Literal["random", "fixed"] = "random"
    base: int | None = Field(None, ge=0, lt=2**63)


MusicMode = Literal[
    "major", "minor", "dorian", "mixolydian", "lydian", "phrygian", "gong", "shang", "jue", "zhi", "yu",
]
MusicStyle = Literal["chorale", "ballad", "waltz", "march", "ambient", "dance", "folk", "pentatonic"]
MusicForm = Literal["AABA", "ABA", "AB", "verse-chorus", "through"]
Metre = Literal["4/4", "3/4", "2/4", "6/8"]
MusicRole = Literal["melody", "counter", "bass", "chords", "pad", "drums"]


class Instrument(_Model):
    """One part of the band: what it plays (``role``) on which General MIDI program."""

    role: MusicRole
    program: Annotated[int, Field(ge=0, le=127)] = 0
    name: str = Field("", max_length=60, description="What the person called it (二胡 → fiddle).")


class MusicSpec(_Model):
    """The music part of a spec: the plan a composer follows. The composer fills it in from the
    mood, energy and brief when a spec has none, and stores it, so feedback ("slower, solo
    piano") edits a plan the person can read instead of guessing it again."""

    tonic: Annotated[int, Field(ge=0, le=11)] = Field(0, description="Key note as a pitch class, C = 0.")
    mode: MusicMode = "major"
    tempo: Annotated[int, Field(ge=40, le=208)] = Field(100, description="Quarter notes per minute.")
    metre: Metre = "4/4"
    bars: Annotated[int, Field(ge=4, le=128)] = 16
    form: MusicForm = "AABA"
    style: MusicStyle = "ballad"
    instruments: list[Instrument] = Field(default_factory=list, max_length=6)
    density: Unit = Field(0.5, description="Melody notes per beat: 0 long notes .. 1 running notes.")
    articulation: Unit = Field(0.3, description="0 legato .. 1 staccato.")
    dynamics: Unit = Field(0.6, description="0 pianissimo .. 1 fortissimo.")
    seconds: Annotated[float, Field(ge=0.0, le=600.0)] = Field(
        0.0, description="Length asked for in seconds (0: none); bars follow from it and the tempo."
    )


class TextSpec(_Model):
    """What feedback asks of a poem's next version, in what a reader notices (media/text/felt.py).

    ``tone``, ``length`` and ``add`` are the last feedback's ask, which the poet's revise acts on
    and every later feedback replaces: +1 tone is one step brighter (a bit / plain), +2 much
    brighter; ``length`` is the size wanted relative to the version revised; ``add`` names image
    kinds to bring in (a kind twice: name it twice). ``without`` is kept: an image asked away stays
    out of every later version until it is asked back.
    """

    tone: Annotated[float, Field(ge=-3.0, le=3.0)] = 0.0
    length: Annotated[float, Field(ge=0.25, le=4.0)] = 1.0
    add: list[str] = Field(default_factory=list, max_length=8)
    without: list[str] = Field(default_factory=list, max_length=16)

    def asks(self) -> bool:
        """Whether the last feedback asked the text itself for anything."""
        return bool(self.tone or self.length != 1.0 or self.add)


class CreativeSpec(_Model):
    medium: Medium = "painting"
    brief: str = Field("", description="The words the work came from.")
    language: Literal["zh", "en", "mixed", "none"] = "none"
    subject: str = ""
    keywords: list[str] = Field(default_factory=list)
    mood: Mood = Field(default_factory=Mood)
    palette: Palette = Field(default_factory=Palette)
    energy: Unit = 0.5
    rhythm: Unit = Field(0.5, description="Regularity and repetition (节奏感).")
    density: Unit = 0.5
    line: LineQuality = Field(default_factory=LineQuality)
    shape_size: Unit = Field(0.5, description="0 fine detail .. 1 big masses.")
    complexity: Unit = Field(0.5, description="Variety of forms (形态多变 is high).")
    composition: Composition = "balanced"
    style: str | None = Field(None, description="Engine style name; None lets the engine choose.")
    stylisation: Unit = Field(0.8, description="How strongly a restyle applies its style (less stylised lowers it).")
    grade: Grade = Field(default_factory=Grade, description="Colour feedback on a painting, applied last.")
    motifs: list[Motif] = Field(
        default_factory=list, description="Figurative motifs (sky, moon, leaves...); empty: abstract."
    )
    music: MusicSpec | None = Field(None, description="Key, tempo, form, band: filled in by the composer.")
    text: TextSpec | None = Field(None, description="Tone, images and length feedback asked of a text.")
    seed: SeedPolicy = Field(default_factory=SeedPolicy)
    notes: list[str] = Field(default_factory=list, description="What was not understood.")

    def digest(self) -> str:
        return hashlib.sha256(canonical_json(self.model_dump(mode="json")).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Deltas: what feedback changes.


NUMERIC_FIELDS: tuple[str, ...] = (
    "energy",
    "rhythm",
    "density",
    "shape_size",
    "complexity",
    "mood.valence",
    "mood.arousal",
    "line.smoothness",
    "line.amount",
    "line.weight",
    "palette.warmth",
    "palette.variety",
    "palette.saturation.lo",
    "palette.saturation.hi",
    "palette.lightness.lo",
    "palette.lightness.hi",
    "stylisation",
    "grade.warmth",
    "grade.light",
    "grade.saturation",
    "grade.contrast",
)


class SpecDelta(_Model):
    """A change to a spec, stored on the version it produced so the history says *why*.

    ``shift`` adds to numeric fields (dotted paths from ``NUMERIC_FIELDS``) and is clamped to
    their ranges; ``set`` replaces whole fields (``style``, ``composition``, ``subject``...).
    """

    feedback: str = ""
    shift: dict[str, float] = Field(default_factory=dict)
    set: dict[str, Any] = Field(default_factory=dict)
    add_colours: list[NamedColour] = Field(default_factory=list)
    exclude_colours: list[NamedColour] = Field(default_factory=list)
    add_hues: list[HueRange] = Field(default_factory=list)
    exclude_hues: list[HueRange] = Field(default_factory=list)
    add_keywords: list[str] = Field(default_factory=list)
    add_moods: list[str] = Field(default_factory=list)
    remove_moods: list[str] = Field(
        default_factory=list, description="Mood names feedback contradicts (calmer → not energetic)."
    )
    motifs: list[MotifEdit] = Field(default_factory=list, description="加一轮月亮, more leaves.")
    add_tints: list[NamedColour] = Field(default_factory=list, description="Colours washed into a painting's grade.")
    remove_tints: list[NamedColour] = Field(default_factory=list, description="Colours a painting's grade turns out.")
    remove_tint_hues: list[HueRange] = Field(default_factory=list, description="The hue arcs of those colours.")
    notes: list[str] = Field(default_factory=list)

    @field_validator("shift")
    @classmethod
    def _known_paths(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(NUMERIC_FIELDS))
        if unknown:
            raise ValueError(f"cannot shift {unknown}; numeric fields are {list(NUMERIC_FIELDS)}")
        return v

    def is_empty(self) -> bool:
        return not any(
            (self.shift, self.set, self.add_colours, self.exclude_colours, self.add_hues,
             self.exclude_hues, self.add_keywords, self.add_moods, self.remove_moods, self.motifs,
             self.add_tints, self.remove_tints, self.remove_tint_hues)
        )


def get_path(data: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        data = data[key]
    return data


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data[key]
    data[last] = value


def field_bounds(path: str) -> tuple[float, float]:
    signed = path in ("mood.valence", "palette.warmth") or path.startswith("grade.")
    return (-1.0, 1.0) if signed else (0.0, 1.0)


def _same_colour(a: NamedColour, b: NamedColour) -> bool:
    return a.name == b.name or a.hex == b.hex


def apply_delta(spec: CreativeSpec, delta: SpecDelta) -> CreativeSpec:
    """Return a new spec; the old one is never mutated (history is immutable)."""
    data = spec.model_dump(mode="json")
    for path, amount in delta.shift.items():
        lo, hi = field_bounds(path)
        set_path(data, path, min(hi, max(lo, get_path(data, path) + amount)))
    for rng in ("saturation", "lightness"):  # shifting lo past hi would be invalid: reorder
        r = data["palette"][rng]
        r["lo"], r["hi"] = min(r["lo"], r["hi"]), max(r["lo"], r["hi"])
    for path, value in delta.set.items():
        set_path(data, path, value)
    pal = data["palette"]
    excluded = [NamedColour(**c) for c in pal["excluded"]] + delta.exclude_colours
    added = [c for c in delta.add_colours if not any(_same_colour(c, e) for e in delta.exclude_colours)]
    # Asking for a colour again lifts an earlier "no"; saying "no" removes it from the palette.
    excluded = [e for e in excluded if not any(_same_colour(e, c) for c in added)]
    colours = [NamedColour(**c) for c in pal["colours"]]
    colours = [c for c in colours if not any(_same_colour(c, e) for e in excluded)]
    for c in added:
        match = next((i for i, old in enumerate(colours) if _same_colour(old, c)), None)
        if match is None:
            colours.append(c)
        else:  # "more blue" when blue is already there: give it more weight
            colours[match] = colours[match].model_copy(
                update={"weight": min(10.0, colours[match].weight + c.weight)}
            )
    pal["colours"] = [c.model_dump() for c in colours]
    tints = [NamedColour(**c) for c in data["grade"]["tints"]]
    tints = [t for t in tints if not any(_same_colour(t, e) for e in delta.remove_tints)]
    graded_out = [NamedColour(**c) for c in data["grade"]["excluded"]] + delta.remove_tints
    graded_out = [e for e in graded_out if not any(_same_colour(e, c) for c in delta.add_tints)]
    data["grade"]["excluded"] = [c.model_dump() for c in _unique(graded_out)]
    arcs = [HueRange(**h) for h in data["grade"]["excluded_hues"]] + delta.remove_tint_hues
    # "more red" after "no red" brings red back: its arc goes with the colour
    arcs = [h for h in arcs if not any(h.contains(c.hls[0]) for c in delta.add_tints)]
    data["grade"]["excluded_hues"] = [{"start": a, "end": b} for a, b in dict.fromkeys((h.start, h.end) for h in arcs)]
    for c in delta.add_tints:
        match = next((i for i, old in enumerate(tints) if _same_colour(old, c)), None)
        if match is None:
            tints.append(c)
        else:
            tints[match] = tints[match].model_copy(update={"weight": min(10.0, tints[match].weight + c.weight)})
    data["grade"]["tints"] = [t.model_dump() for t in tints]
    pal["excluded"] = [c.model_dump() for c in _unique(excluded)]
    pal["hues"] = pal["hues"] + [h.model_dump() for h in delta.add_hues]
    pal["excluded_hues"] = pal["excluded_hues"] + [h.model_dump() for h in delta.exclude_hues]
    data["keywords"] = list(dict.fromkeys(data["keywords"] + delta.add_keywords))
    kept = [m for m in data["mood"]["named"] if m not in delta.remove_moods]
    data["mood"]["named"] = list(dict.fromkeys(kept + delta.add_moods))
    data["notes"] = list(dict.fromkeys(data["notes"] + delta.notes))
    if delta.motifs:
        data["motifs"] = [m.model_dump() for m in edit_motifs(spec.motifs, delta.motifs)]
    return CreativeSpec.model_validate(data)


def edit_motifs(motifs: list[Motif], edits: list[MotifEdit]) -> list[Motif]:
    """Apply feedback to a motif list: an edit of a kind not there yet adds it (more leaves on
    a leafless picture adds leaves), a remove drops every motif of that kind."""
    out = list(motifs)
    for e in edits:
        if e.remove:
            out = [m for m in out if m.kind != e.kind]
            continue
        i = next((k for k, m in enumerate(out) if m.kind == e.kind), None)
        base = out[i] if i is not None else Motif(kind=e.kind, word=e.word)
        changed = base.model_copy(update={
            "amount": min(1.0, max(0.0, base.amount + e.amount)),
            "size": min(1.0, max(0.0, base.size + e.size)),
            "variant": base.variant if e.variant is None else e.variant,
            "count": None if e.amount else base.count,
        })
        if i is None:
            out.append(changed)
        else:
            out[i] = changed
    return out


def _unique(colours: list[NamedColour]) -> list[NamedColour]:
    out: list[NamedColour] = []
    for c in colours:
        if not any(_same_colour(c, o) for o in out):
            out.append(c)
    return out


def spec_diff(a: CreativeSpec, b: CreativeSpec) -> dict[str, tuple[Any, Any]]:
    """Leaf-level differences ``{dotted.path: (a, b)}``; lists compare whole."""
    out: dict[str, tuple[Any, Any]] = {}

    def walk(x: Any, y: Any, prefix: str) -> None:
        if isinstance(x, dict) and isinstance(y, dict):
            for key in sorted(set(x) | set(y)):
                walk(x.get(key), y.get(key), f"{prefix}.{key}" if prefix else key)
        elif x != y:
            out[prefix] = (x, y)

    walk(a.model_dump(mode="json"), b.model_dump(mode="json"), "")
    return out


def canonical_json(data: Any) -> str:
    """Stable text for hashing: sorted keys, no whitespace, floats as Python prints them."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
