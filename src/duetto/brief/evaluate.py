"""Score a ``BriefParser`` on the labelled briefs in ``brief/data/labelled.jsonl``.

Each line is one item::

    {"id": "zh-autumn-leaves", "kind": "brief", "medium": "painting", "text": "…",
     "expect": {"keywords_any": ["落叶"], "moods_any": ["melancholic"], "valence_sign": -1}}
    {"id": "…", "kind": "feedback", "medium": "painting", "base": "宁静的湖面", "text": "太吵了",
     "expect": {"energy": "low"}}
    {"id": "n-…", "set": "new", "kind": "brief", "medium": "poem", "text": "七言绝句，描写江南春雨",
     "expect": {"medium": "poem", "form": "七言绝句"}}

Every key of ``expect`` is one *field check*, scored pass/fail. A brief's checks read the
``CreativeSpec`` the parser returns; a feedback item's base brief is parsed by the rules (so every
parser revises the same spec) and its checks read the ``SpecDelta``. Accuracy per field is passes
over items that check it; overall is passes over all checks (micro average), and ``items`` is the
share of items whose every check passed.

``set`` names the batch an item came with, so a batch can be scored apart (``load(only="new")``):
``original`` unless given; ``new``, briefs written for what the rules used to miss (colour phrases
that name no single colour, scene words that are motifs, mood words, instruments and forms) and
then read by the lexicon grown for them; ``holdout``, briefs written after that work and not
tuned on, which say how the rules do on briefs they have not seen. ``medium`` is scored with
``read_medium`` on the brief's text whatever the parser, since no parser chooses the medium.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from duetto.brief.base import BriefParser
from duetto.brief.lexicon import MOODS, lexicon
from duetto.brief.medium import read_medium
from duetto.brief.rules import RuleParser
from duetto.errors import InvalidInput
from duetto.media.text.classical.forms import get_form
from duetto.spec import (
    MEDIA,
    MOTIF_KINDS,
    CreativeSpec,
    Medium,
    Motif,
    NamedColour,
    Range,
    SpecDelta,
)

VALENCE_UP = 0.3  # brief: valence_sign +1 needs valence >= this (neutral is 0.2)
VALENCE_DOWN = 0.0  # ... and -1 needs valence <= this
HIGH, LOW = 0.6, 0.4  # brief: "high"/"low" energy or density (neutral 0.5)
WARM, COOL = 0.15, -0.15  # brief: palette.warmth for "warm"/"cool" (neutral 0)
LIGHT, DARK = 0.6, 0.5  # brief: mid lightness for "light"/"dark" (neutral 0.55)
VIVID, MUTED = 0.7, 0.6  # brief: mid saturation for "vivid"/"muted" (neutral 0.65)
MOVED = 0.02  # feedback: a shift this size or more counts as a direction


class Item(BaseModel):
    """One labelled brief or feedback; ``expect`` keys must be in ``CHECKS``."""

    model_config = ConfigDict(extra="forbid")

    id: str
    set: str = Field("original", pattern=r"^[a-z0-9-]+$", description="The batch it came with.")
    kind: Literal["brief", "feedback"]
    medium: Medium
    text: str = Field(min_length=1)
    base: str | None = Field(None, description="Feedback only: the brief being revised.")
    style: str | None = Field(None, description="Brief only: a style the caller passes.")
    expect: dict[str, Any] = Field(min_length=1)

    @field_validator("expect")
    @classmethod
    def _known_checks(cls, v: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(v) - set(CHECKS))
        if unknown:
            raise ValueError(f"unknown expectation keys {unknown}; known: {sorted(CHECKS)}")
        for key, want in v.items():
            CHECKS[key].validate(want)
        return v


# ---------------------------------------------------------------------------------------------
# Checks: one per expectation key; each reads a spec (brief) or a delta (feedback).


def _words(want: Any) -> list[str]:
    if not isinstance(want, list) or not want or not all(isinstance(w, str) and w for w in want):
        raise ValueError(f"expected a non-empty list of words, got {want!r}")
    return want


def _mood_names(want: Any) -> list[str]:
    bad = [m for m in _words(want) if m not in MOODS]
    if bad:
        raise ValueError(f"unknown mood names {bad}; known: {list(MOODS)}")
    return want


def _sign(want: Any) -> int:
    if want not in (1, -1):
        raise ValueError(f"expected +1 or -1, got {want!r}")
    return int(want)


def _level(want: Any) -> str:
    if want not in ("high", "low"):
        raise ValueError(f"expected 'high' or 'low', got {want!r}")
    return want


def _warmth(want: Any) -> str:
    if want not in ("warm", "cool"):
        raise ValueError(f"expected 'warm' or 'cool', got {want!r}")
    return want


def _colour_keys(want: Any) -> list[str]:
    bad = [c for c in _words(want) if c not in colour_hexes()]
    if bad:
        raise ValueError(f"unknown colour keys {bad}; known: {sorted(colour_hexes())}")
    return want


def _forms(want: Any) -> list[str]:
    names = [want] if isinstance(want, str) else _words(want)
    try:
        return [get_form(n).zh_name for n in names]
    except InvalidInput as exc:
        raise ValueError(str(exc)) from None


def _media(want: Any) -> list[str]:
    names = [want] if isinstance(want, str) else _words(want)
    bad = [m for m in names if m not in MEDIA]
    if bad:
        raise ValueError(f"unknown media {bad}; known: {list(MEDIA)}")
    return names


def _motif_names(want: Any) -> list[str]:
    bad = [m for m in _words(want) if m.partition(":")[0] not in MOTIF_KINDS]
    if bad:
        raise ValueError(f"unknown motif kinds {bad}; known: {list(MOTIF_KINDS)}")
    return want


def _lightness(want: Any) -> str:
    if want not in ("light", "dark"):
        raise ValueError(f"expected 'light' or 'dark', got {want!r}")
    return want


def _saturation(want: Any) -> str:
    if want not in ("vivid", "muted"):
        raise ValueError(f"expected 'vivid' or 'muted', got {want!r}")
    return want


def _style(want: Any) -> str | None:
    if want is not None and not isinstance(want, str):
        raise ValueError(f"expected a style name or null, got {want!r}")
    return want


@dataclass(frozen=True)
class Check:
    """``validate`` the expectation; ``brief(spec, want)`` / ``feedback(delta, want)`` score it."""

    validate: Callable[[Any], Any]
    brief: Callable[[CreativeSpec, Any], bool]
    feedback: Callable[[SpecDelta, Any], bool]
    doc: str = ""


def _has_any(haystack: Iterable[str], want: list[str]) -> bool:
    text = " | ".join(haystack).lower()
    return any(w.lower() in text for w in want)


def _keys(colours: list[NamedColour]) -> set[str]:
    hexes = {c.hex for c in colours}
    return {key for key, hex_ in colour_hexes().items() if hex_ in hexes}


def _signed(value: float, sign: int, *, up: float, down: float) -> bool:
    return value >= up if sign > 0 else value <= down


def _shift_sign(delta: SpecDelta, paths: tuple[str, ...], sign: int) -> bool:
    moved = sum(delta.shift.get(p, 0.0) for p in paths) / len(paths)
    return moved >= MOVED if sign > 0 else moved <= -MOVED


def _has_motifs(motifs: list[Motif], want: list[str]) -> bool:
    """Every ``kind`` or ``kind:variant`` in ``want`` is among the motifs."""
    have = {(m.kind, m.variant) for m in motifs}
    for name in want:
        kind, _, variant = name.partition(":")
        if not any(k == kind and (not variant or v == variant) for k, v in have):
            return False
    return True


def _mid(rng: Range) -> float:
    return (rng.lo + rng.hi) / 2


def _is_form(style: Any, want: Any) -> bool:
    if not isinstance(style, str):
        return False
    try:
        return get_form(style).zh_name in _forms(want)
    except InvalidInput:
        return False


CHECKS: dict[str, Check] = {
    "keywords_any": Check(
        _words,
        lambda s, w: _has_any([s.subject, *s.keywords], w),
        lambda d, w: _has_any(d.add_keywords, w),
        "one of the words occurs in the subject or a keyword (feedback: an added keyword)",
    ),
    "keywords_none": Check(
        _words,
        lambda s, w: not _has_any(s.keywords, w),
        lambda d, w: not _has_any(d.add_keywords, w),
        "none of the words occurs in a keyword (a negated image must not become one)",
    ),
    "moods_any": Check(
        _mood_names,
        lambda s, w: any(m in s.mood.named for m in w),
        lambda d, w: any(m in d.add_moods for m in w),
        "one of the moods is named (feedback: added)",
    ),
    "moods_none": Check(
        _mood_names,
        lambda s, w: not any(m in s.mood.named for m in w),
        lambda d, w: not any(m in d.add_moods for m in w),
        "none of the moods is named (feedback: added)",
    ),
    "moods_removed_any": Check(
        _mood_names,
        lambda s, w: not any(m in s.mood.named for m in w),
        lambda d, w: any(m in d.remove_moods for m in w),
        "feedback removes one of the moods",
    ),
    "valence_sign": Check(
        _sign,
        lambda s, w: _signed(s.mood.valence, w, up=VALENCE_UP, down=VALENCE_DOWN),
        lambda d, w: _shift_sign(d, ("mood.valence",), w),
        f"+1: valence >= {VALENCE_UP}, -1: <= {VALENCE_DOWN} (feedback: the shift's sign)",
    ),
    "energy": Check(
        _level,
        lambda s, w: _signed(s.energy, 1 if w == "high" else -1, up=HIGH, down=LOW),
        lambda d, w: _shift_sign(d, ("energy",), 1 if w == "high" else -1),
        f"high: energy >= {HIGH}, low: <= {LOW} (feedback: the shift's sign)",
    ),
    "density": Check(
        _level,
        lambda s, w: _signed(s.density, 1 if w == "high" else -1, up=HIGH, down=LOW),
        lambda d, w: _shift_sign(d, ("density",), 1 if w == "high" else -1),
        f"high: density >= {HIGH}, low: <= {LOW} (feedback: the shift's sign)",
    ),
    "warmth": Check(
        _warmth,
        lambda s, w: _signed(s.palette.warmth, 1 if w == "warm" else -1, up=WARM, down=COOL),
        lambda d, w: _shift_sign(d, ("palette.warmth",), 1 if w == "warm" else -1),
        f"warm: palette.warmth >= {WARM}, cool: <= {COOL} (feedback: the shift's sign)",
    ),
    "style": Check(
        _style,
        lambda s, w: s.style == w,
        lambda d, w: d.set.get("style", "<unset>") == w,
        "the style equals this (feedback: is set to it)",
    ),
    "form": Check(
        _forms,
        lambda s, w: _is_form(s.style, w),
        lambda d, w: _is_form(d.set.get("style"), w),
        "the style is this poem form (or one of a list)",
    ),
    "colours": Check(
        _colour_keys,
        lambda s, w: set(w) <= _keys(s.palette.colours),
        lambda d, w: set(w) <= _keys(d.add_colours),
        "every colour (lexicon key) is in the palette (feedback: added)",
    ),
    "excluded": Check(
        _colour_keys,
        lambda s, w: set(w) <= _keys(s.palette.excluded) and not set(w) & _keys(s.palette.colours),
        lambda d, w: set(w) <= _keys(d.exclude_colours),
        "every colour is excluded and absent from the palette (feedback: excluded)",
    ),
    "composition": Check(
        lambda w: w,
        lambda s, w: s.composition == w,
        lambda d, w: d.set.get("composition") == w,
        "the composition equals this (feedback: is set to it)",
    ),
    "lightness": Check(
        _lightness,
        lambda s, w: _signed(_mid(s.palette.lightness), 1 if w == "light" else -1, up=LIGHT, down=DARK),
        lambda d, w: _shift_sign(d, ("palette.lightness.lo", "palette.lightness.hi"),
                                 1 if w == "light" else -1),
        f"light: mid palette lightness >= {LIGHT}, dark: <= {DARK} (feedback: the shift's sign)",
    ),
    "saturation": Check(
        _saturation,
        lambda s, w: _signed(_mid(s.palette.saturation), 1 if w == "vivid" else -1, up=VIVID,
                             down=MUTED),
        lambda d, w: _shift_sign(d, ("palette.saturation.lo", "palette.saturation.hi"),
                                 1 if w == "vivid" else -1),
        f"vivid: mid palette saturation >= {VIVID}, muted: <= {MUTED} (feedback: the shift's sign)",
    ),
    "motifs": Check(
        _motif_names,
        lambda s, w: _has_motifs(s.motifs, w),
        lambda d, w: _has_motifs([Motif(kind=e.kind, variant=e.variant or "")
                                  for e in d.motifs if not e.remove], w),
        "every motif (kind or kind:variant) is in the spec (feedback: added); painting only",
    ),
    "medium": Check(
        _media,
        lambda s, w: read_medium(s.brief).media == _media(w),
        lambda d, w: False,  # refused on feedback items by ``load``
        "read_medium on the text gives these media, in this order (brief only)",
    ),
}


def colour_hexes() -> dict[str, str]:
    """Lexicon colour key → hex ("gold" → "#d4a017")."""
    lex = lexicon()
    return {t.colour.key: t.colour.hex for t in (*lex.zh.values(), *lex.en.values()) if t.colour}


# ---------------------------------------------------------------------------------------------
# Loading and scoring


def default_path() -> Path:
    return Path(str(resources.files("duetto.brief") / "data" / "labelled.jsonl"))


def load(path: Path | None = None, only: str | None = None) -> list[Item]:
    """The labelled items (``only``: those of that ``set``); ``InvalidInput`` naming the line
    when one does not validate."""
    path = path or default_path()
    items: list[Item] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = Item.model_validate(json.loads(line))
        except (ValueError, InvalidInput) as exc:
            raise InvalidInput(f"{path.name}:{n}: {exc}") from None
        if (item.kind == "feedback") != (item.base is not None):
            raise InvalidInput(f"{path.name}:{n}: a feedback item needs a base, a brief none")
        if item.kind == "feedback" and "medium" in item.expect:
            raise InvalidInput(f"{path.name}:{n}: 'medium' is a brief check; feedback keeps its medium")
        items.append(item)
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"{path.name}: duplicate ids")
    if only is not None:
        items = [i for i in items if i.set == only]
        if not items:
            raise InvalidInput(f"{path.name}: no items in set {only!r}")
    return items


@dataclass
class ItemResult:
    id: str
    kind: str
    checks: dict[str, bool]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(self.checks.values())


@dataclass
class Score:
    results: list[ItemResult]

    def fields(self) -> dict[str, tuple[int, int]]:
        """field → (passed, checked), in ``CHECKS`` order."""
        out = {k: [0, 0] for k in CHECKS}
        for r in self.results:
            for key, ok in r.checks.items():
                out[key][0] += ok
                out[key][1] += 1
        return {k: (p, n) for k, (p, n) in out.items() if n}

    @property
    def overall(self) -> float:
        passed = sum(p for p, _ in self.fields().values())
        checked = sum(n for _, n in self.fields().values())
        return passed / checked if checked else 0.0

    @property
    def items(self) -> float:
        return sum(r.ok for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def seconds_per_item(self) -> float:
        return sum(r.seconds for r in self.results) / len(self.results) if self.results else 0.0

    def by_kind(self, kind: str) -> float:
        checks = [ok for r in self.results if r.kind == kind for ok in r.checks.values()]
        return sum(checks) / len(checks) if checks else 0.0


def score_item(parser: BriefParser, item: Item, rules: RuleParser | None = None) -> ItemResult:
    started = time.perf_counter()
    if item.kind == "brief":
        spec = parser.brief(item.text, medium=item.medium, style=item.style)
        seconds = time.perf_counter() - started
        checks = {k: bool(CHECKS[k].brief(spec, w)) for k, w in item.expect.items()}
        notes = spec.notes
    else:
        assert item.base is not None
        base = (rules or RuleParser()).brief(item.base, medium=item.medium)
        started = time.perf_counter()
        delta = parser.feedback(item.text, base)
        seconds = time.perf_counter() - started
        checks = {k: bool(CHECKS[k].feedback(delta, w)) for k, w in item.expect.items()}
        notes = delta.notes
    return ItemResult(item.id, item.kind, checks, round(seconds, 4), notes)


def evaluate(
    parser: BriefParser,
    items: list[Item] | None = None,
    on_item: Callable[[ItemResult], None] | None = None,
) -> Score:
    """Run ``parser`` on every item (the labelled file by default)."""
    rules = RuleParser()
    results = []
    for item in items if items is not None else load():
        result = score_item(parser, item, rules)
        if on_item is not None:
            on_item(result)
        results.append(result)
    return Score(results)
