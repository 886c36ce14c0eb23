"""The rule-based parser: deterministic, offline, zh + en, no model.

It is the fallback the studio can always rely on ("nothing depends on luck"), and the baseline a
later LLM parser is merged with, so it never guesses silently: every word it did not understand
is listed in ``notes``.

One vocabulary serves both directions. Each content word carries *pushes* (signed amounts on
numeric spec fields, see ``lexicon.fx``):

* a brief starts from the default spec and adds the pushes through a soft saturation
  (``_saturate``), so three words for "energetic" give a high value, not a clipped 1.0, and the
  order of words does not matter;
* feedback sends the same pushes, scaled by degree words, as ``SpecDelta.shift`` and lets
  ``apply_delta`` clamp them against the spec being revised.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from duetto.brief.grammar import Hit, clauses, resolve
from duetto.brief.lexicon import IMPLIED_COLOUR, MOODS, Colour, Push
from duetto.brief.medium import read_medium
from duetto.brief.motifs import brief_motifs, feedback_edits
from duetto.brief.restyle import restyle_feedback
from duetto.brief.text_feedback import TEXT_MEDIA, text_feedback
from duetto.brief.tokens import Token, detect_language, tokenize
from duetto.errors import InvalidInput
from duetto.spec import (
    MEDIA,
    NUMERIC_FIELDS,
    CreativeSpec,
    HueRange,
    Mood,
    NamedColour,
    SpecDelta,
    field_bounds,
    get_path,
)

MAX_CHARS = 4000
"""Longer text is refused rather than parsed slowly; a brief is a paragraph, not a document."""

NEGATED_SCALE = 0.6  # "不要太暗" / "not so bright": a milder step the other way
MOOD_PRIOR = 0.25  # weight of the neutral mood when averaging named moods in a brief
FEEDBACK_MOOD_SCALE = 0.6  # "calmer" moves valence/arousal this share of the way to "calm"
NEGATED_MOOD_SCALE = 0.5
MOOD_MOVED = 0.15  # feedback moves a mood axis when it shifts it this far (share of half-range)
MOOD_LEADING = 0.75  # ...and by at least this share of the other axis's move (joyful: valence)
MOOD_OPPOSED = 0.45  # a named mood this far on the other side of neutral is contradicted
SUBJECT_CHARS = 60
_NEUTRAL = Mood()  # the mood a spec has when nothing was said; frozen by validate_assignment


@dataclass
class _Found:
    """Everything a text asked for, before it becomes a spec or a delta."""

    pushes: dict[str, float] = field(default_factory=dict)
    colour_pushes: dict[str, float] = field(default_factory=dict)  # brief only: 黑 darkens
    moods: dict[str, float] = field(default_factory=dict)  # name → weight
    named_moods: list[str] = field(default_factory=list)  # said outright, not implied
    unmoods: list[str] = field(default_factory=list)  # negated or "too …": asked away
    colours: list[tuple[str, Colour, float]] = field(default_factory=list)
    excluded: list[tuple[str, Colour, bool]] = field(default_factory=list)  # bool: hue too
    styles: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)  # modern poem forms: haiku, 自由诗 …
    style_hints: list[str] = field(default_factory=list)
    unstyles: list[str] = field(default_factory=list)
    compositions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    understood: int = 0

    def push(self, push: Push, scale: float, into: dict[str, float] | None = None) -> None:
        target = self.pushes if into is None else into
        for path, amount in push:
            target[path] = target.get(path, 0.0) + amount * scale

    def mood(self, name: str, weight: float) -> None:
        self.moods[name] = self.moods.get(name, 0.0) + weight
        self.push(MOODS[name].push, weight)


class RuleParser:
    """``BriefParser`` from the lexicon: same text, same result, in well under 20 ms."""

    def brief(self, text: str, medium: str = "painting", style: str | None = None) -> CreativeSpec:
        """Brief → spec. Unknown words go to ``notes``; a brief with no known word at all still
        yields the default spec (and says so), so the artist always gets a first draft."""
        text, cut = _checked(text, "brief")
        if medium not in MEDIA:
            raise InvalidInput(f"unknown medium {medium!r}", hint=f"one of: {', '.join(MEDIA)}")
        found = _read(text)
        defaults = CreativeSpec().model_dump(mode="json")
        data: dict[str, Any] = CreativeSpec().model_dump(mode="json")  # a separate copy
        data.update(medium=medium, brief=text)
        data["language"] = detect_language(text)
        notes: list[str] = []

        for path in NUMERIC_FIELDS:
            base = _mood_base(path, found, get_path(defaults, path))
            total = found.pushes.get(path, 0.0) + found.colour_pushes.get(path, 0.0)
            _set(data, path, round(_saturate(base, total, *field_bounds(path)), 3))
        for rng in ("saturation", "lightness"):
            r = data["palette"][rng]
            r["lo"], r["hi"] = min(r["lo"], r["hi"]), max(r["lo"], r["hi"])

        _brief_palette(data["palette"], found)
        data["mood"]["named"] = sorted(found.moods, key=lambda m: -found.moods[m])
        data["keywords"] = list(dict.fromkeys(found.keywords))
        data["subject"] = _subject(text, data["keywords"], data["language"])
        data["style"] = _brief_style(found, style, notes)
        if medium == "painting":  # figures only a painter draws: 落叶, a moon, willows
            data["motifs"] = [m.model_dump() for m in brief_motifs(tokenize(text))]
        if medium == "poem" and found.forms and not (style and style.strip()):
            data["style"] = found.forms[-1]  # "write a haiku about …": the form is the poem's style
        if found.compositions:
            data["composition"] = found.compositions[-1]
            if len(set(found.compositions)) > 1:
                notes.append(_several("compositions", found.compositions))
        reading = read_medium(text)
        if not reading.defaulted and medium not in reading.media:
            notes.append(f"the brief sounds like a {reading.describe()} but the medium is {medium}")
        data["notes"] = cut + _unknown_notes(found) + notes
        if not found.understood:
            data["notes"].append("nothing in the brief was recognised; fell back to defaults")
        return CreativeSpec.model_validate(data)

    def feedback(self, text: str, spec: CreativeSpec) -> SpecDelta:
        """Feedback → relative change. Says nothing about fields it did not hear about, so
        "更温暖一些" never resets the style the artist picked two versions ago."""
        text, cut = _checked(text, "feedback")
        found = _read(text, feedback=True)
        shift = dict(found.pushes)
        for name, weight in found.moods.items():
            mood = MOODS[name]
            for path, target, default in (
                ("mood.valence", mood.valence, _NEUTRAL.valence),
                ("mood.arousal", mood.arousal, _NEUTRAL.arousal),
            ):
                step = (target - default) * FEEDBACK_MOOD_SCALE * weight
                shift[path] = shift.get(path, 0.0) + step

        pal = spec.palette
        added = _unique_colours(found.colours)
        dropped = _unique_colours([(n, c, 1.0) for n, c, _ in found.excluded])
        set_: dict[str, Any] = {}
        if spec.medium == "poem" and found.forms:
            set_["style"] = found.forms[-1]
        elif found.styles or found.style_hints:
            set_["style"] = (found.styles or found.style_hints)[-1]
        elif spec.style is not None and spec.style in found.unstyles:
            set_["style"] = None
        if found.compositions:
            set_["composition"] = found.compositions[-1]
        delta = SpecDelta(
            feedback=text,
            shift={p: round(v, 3) for p, v in shift.items() if abs(v) >= 0.005},
            set=set_,
            add_colours=[NamedColour(name=n, hex=c.hex, weight=w) for n, c, w in added],
            exclude_colours=[NamedColour(name=n, hex=c.hex) for n, c, _ in dropped],
            add_hues=_new_arcs([c for _, c, _ in added], pal.hues),
            exclude_hues=_new_arcs([c for _, c, hue in found.excluded if hue], pal.excluded_hues),
            add_keywords=list(dict.fromkeys(k for k in found.keywords if k not in spec.keywords)),
            add_moods=list(dict.fromkeys(found.named_moods)),
            remove_moods=_contradicted(spec.mood.named, shift, found),
            motifs=feedback_edits(tokenize(text), spec.motifs) if spec.medium == "painting" else [],
            notes=cut + _unknown_notes(found),
        )
        if found.unstyles and "style" not in set_:
            delta.notes = [*delta.notes, f"style {found.unstyles[-1]!r} is not in use"]
        delta = restyle_feedback(text, spec, delta)  # a restyled picture: style words and strength
        if spec.medium == "music":  # tempo, key, band, 二胡, "no drums": edits the stored plan
            from duetto.media.music.words import music_feedback

            delta = music_feedback(text, spec, delta)
        if spec.medium in TEXT_MEDIA:  # tone, images and length of a text: spec.text (text_feedback.py)
            delta = text_feedback(text, spec, delta)
        if delta.is_empty():
            delta.notes = [*delta.notes, "no change could be read from the feedback"]
        return delta


# ---------------------------------------------------------------------------------------------
# Reading


def _checked(text: str, what: str) -> tuple[str, list[str]]:
    """The text to read, and a note when it had to be cut: an over-long brief (a pasted essay)
    is read up to ``MAX_CHARS`` — at the last sentence end before it when there is one — and
    the person is told, rather than refused."""
    if not isinstance(text, str):
        raise InvalidInput(f"the {what} must be text, not {type(text).__name__}")
    text = text.strip()
    if not text:
        raise InvalidInput(f"the {what} is empty", hint="say it in a few words, e.g. 更温暖一些")
    if len(text) <= MAX_CHARS:
        return text, []
    head = text[:MAX_CHARS]
    end = max(head.rfind(c) for c in "。！？.!?\n")
    cut = head[: end + 1] if end > MAX_CHARS // 2 else head
    return cut.strip(), [f"the {what} was {len(text):,} characters; only the first {len(cut):,} were read"]


def _read(text: str, *, feedback: bool = False) -> _Found:
    """``feedback``: a settled word ("warm enough") asks for no change; in a brief
    (足够明亮) it still describes the work."""
    tokens = tokenize(text)
    found = _Found()
    found.unknown = _unknown(tokens)
    for clause in clauses(tokens):
        for hit in resolve(clause):
            if feedback and hit.settled:
                found.understood += 1
            else:
                _take(hit, found)
    return found


def _unknown(tokens: list[Token]) -> list[str]:
    words = [t.text for t in tokens if t.term is None and not re.fullmatch(r"[\W\d_]+", t.text)]
    return list(dict.fromkeys(words))


def _take(hit: Hit, found: _Found) -> None:
    """Record one hit; polarity decides between asking for a thing and asking it away."""
    term = hit.term
    negative = hit.negated or hit.inverted
    scale = hit.factor * (NEGATED_SCALE if hit.negated else 1.0)
    sign = -1.0 if negative else 1.0
    found.understood += 1
    if term.kind == "colour":
        named = term.colours or ((term.colour,) if term.colour is not None else ())
        for colour in named:  # one colour, or a set: 三原色 is red, yellow and blue
            if negative:  # "no red" drops the hue too; "less red"/"too red" only the colour
                found.excluded.append((hit.text, colour, hit.negated))
            else:
                found.colours.append((hit.text, colour, hit.factor))
                found.push(colour.push, scale, into=found.colour_pushes)
        if term.push and not negative:
            found.push(term.push, scale, into=found.colour_pushes)
    elif term.kind == "mood":
        mood = MOODS[term.key]
        if negative:
            away = NEGATED_MOOD_SCALE * scale
            found.push(
                (
                    ("mood.valence", -(mood.valence - _NEUTRAL.valence)),
                    ("mood.arousal", -(mood.arousal - _NEUTRAL.arousal)),
                ),
                away,
            )
            found.push(mood.push, -scale)
            found.unmoods.append(term.key)
        else:
            found.mood(term.key, scale)
            found.named_moods.append(term.key)
    elif term.kind in ("quality", "imagery"):
        found.push(term.push, sign * scale)
        if not negative:
            if term.kind == "imagery":
                found.keywords.append(hit.text)
            if term.colour is not None:  # 薰衣草田: the colour comes with the image
                found.colours.append((hit.text, term.colour, IMPLIED_COLOUR * hit.factor))
                found.push(term.colour.push, IMPLIED_COLOUR * scale, into=found.colour_pushes)
            if term.mood is not None:
                found.mood(term.mood, term.mood_weight * scale)
    elif term.kind == "style":
        (found.unstyles if negative else found.styles).append(term.key)
    elif term.kind == "form" and not negative:
        found.forms.append(term.key)
        if term.mood is not None:  # a limerick is comic
            found.mood(term.mood, term.mood_weight * scale)
    elif term.kind == "style_hint" and not negative:
        found.style_hints.append(term.key)
    elif term.kind == "composition" and not negative:
        found.compositions.append(term.key)


def _contradicted(named: list[str], shift: dict[str, float], found: _Found) -> list[str]:
    """Named moods of the spec that the feedback's mood move contradicts, from the lexicon's own
    valence/arousal: on each axis the feedback moves (by ``MOOD_MOVED`` of the axis half-range,
    and not much less than the other axis: "more joyful" moves valence, not arousal), a mood lying ``MOOD_OPPOSED`` or more on the other side of neutral goes (calmer drops
    energetic, passionate, tense; happier drops melancholic, sad, lonely). Moods the feedback
    negates go too ("less tense"); moods it asks for never do."""
    axes: list[tuple[str, float, float, float]] = []  # (axis, step, neutral, half-range)
    for path, neutral in (("mood.valence", _NEUTRAL.valence), ("mood.arousal", _NEUTRAL.arousal)):
        lo, hi = field_bounds(path)
        half = (hi - lo) / 2
        axes.append((path, shift.get(path, 0.0) / half, neutral, half))
    most = max(abs(step) for _, step, _, _ in axes)
    moved = [
        (path, math.copysign(1.0, step), neutral, half)
        for path, step, neutral, half in axes
        if abs(step) >= MOOD_MOVED and abs(step) >= MOOD_LEADING * most
    ]
    out: list[str] = []
    for name in named:
        mood = MOODS.get(name)
        if mood is None or name in found.named_moods:
            continue
        for path, direction, neutral, half in moved:
            value = mood.valence if path == "mood.valence" else mood.arousal
            if (value - neutral) / half * direction <= -MOOD_OPPOSED:
                out.append(name)
                break
        else:
            if name in found.unmoods:
                out.append(name)
    return out


# ---------------------------------------------------------------------------------------------
# Building a spec


def _saturate(base: float, total: float, lo: float, hi: float) -> float:
    """``base`` moved by ``total`` with diminishing returns toward the bound (tanh): small pushes
    add almost linearly, many pushes approach but never slam into the end of the scale."""
    room = (hi - base) if total >= 0 else (base - lo)
    if room <= 0:
        return base
    moved = room * math.tanh(abs(total) / room)
    return base + moved if total >= 0 else base - moved


def _mood_base(path: str, found: _Found, default: float) -> float:
    """Valence/arousal start from the weighted mean of the named moods (neutral weighs a
    little), so "忧伤" alone lands clearly sad and "calm and joyful" between the two."""
    if path not in ("mood.valence", "mood.arousal") or not found.moods:
        return default
    total = MOOD_PRIOR + sum(found.moods.values())
    valence = path == "mood.valence"
    mean = MOOD_PRIOR * default + sum(
        (MOODS[n].valence if valence else MOODS[n].arousal) * w for n, w in found.moods.items()
    )
    return mean / total


def _set(data: dict[str, Any], path: str, value: float) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data[key]
    data[last] = value


def _brief_palette(pal: dict[str, Any], found: _Found) -> None:
    excluded_hex = {c.hex for _, c, _ in found.excluded}
    excluded_arcs = [c.arc for _, c, hue in found.excluded if hue and c.arc is not None]
    colours = [x for x in _unique_colours(found.colours) if x[1].hex not in excluded_hex]
    pal["colours"] = [{"name": n, "hex": c.hex, "weight": w} for n, c, w in colours]
    arcs = [c.arc for _, c, _ in colours if c.arc is not None and c.arc not in excluded_arcs]
    pal["hues"] = [{"start": a[0], "end": a[1]} for a in dict.fromkeys(arcs)]
    pal["excluded"] = [
        {"name": n, "hex": c.hex, "weight": 1.0}
        for n, c, _ in _unique_colours([(n, c, 1.0) for n, c, _ in found.excluded])
    ]
    pal["excluded_hues"] = [{"start": a[0], "end": a[1]} for a in dict.fromkeys(excluded_arcs)]


def _unique_colours(
    colours: list[tuple[str, Colour, float]],
) -> list[tuple[str, Colour, float]]:
    """One entry per colour value; repeats add weight (红…红色 = red, weight 2)."""
    out: dict[str, tuple[str, Colour, float]] = {}
    for name, colour, weight in colours:
        if colour.hex in out:
            first, _, w = out[colour.hex]
            out[colour.hex] = (first, colour, w + weight)
        else:
            out[colour.hex] = (name, colour, weight)
    return [(n, c, round(min(10.0, max(0.1, w)), 3)) for n, c, w in out.values()]


def _new_arcs(colours: list[Colour], existing: list[HueRange]) -> list[HueRange]:
    have = {(h.start, h.end) for h in existing}
    arcs = [c.arc for c in colours if c.arc is not None and c.arc not in have]
    return [HueRange(start=a[0], end=a[1]) for a in dict.fromkeys(arcs)]


def _subject(text: str, keywords: list[str], language: str) -> str:
    if keywords:
        return ("、" if language == "zh" else ", ").join(keywords)
    flat = " ".join(text.split())
    return flat if len(flat) <= SUBJECT_CHARS else flat[: SUBJECT_CHARS - 1] + "…"


def _brief_style(found: _Found, requested: str | None, notes: list[str]) -> str | None:
    wanted = [s for s in found.styles if s not in found.unstyles]
    wanted = wanted or [s for s in found.style_hints if s not in found.unstyles]
    requested = requested.strip() if requested and requested.strip() else None
    if requested is not None:
        if wanted and wanted[-1] != requested:
            notes.append(f"style {wanted[-1]!r} from the brief overridden by {requested!r}")
        return requested
    if len(set(wanted)) > 1:
        notes.append(_several("styles", wanted))
    return wanted[-1] if wanted else None


def _several(what: str, names: list[str]) -> str:
    return f"several {what} named ({', '.join(dict.fromkeys(names))}); using {names[-1]}"


def _unknown_notes(found: _Found) -> list[str]:
    if not found.unknown:
        return []
    return ["not understood: " + ", ".join(f"'{w}'" for w in found.unknown)]
