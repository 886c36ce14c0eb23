"""How a piece measures up: figures a person can check by ear, each beside the corpus's.

No single number says a tune is good, but several simple ones say when it is *off*: notes that
wander out of the key, a pitch spread as flat as random notes, no bar that ever comes back, a
melody that only leaps. ``evaluate`` computes them for one ``Piece``; ``corpus_figures`` sums them
over reference music (Bach chorales, Essen and Nottingham folk tunes, converted by
``scripts/music_corpus_figures.py``), shipped as ``data/corpus-figures.json``, so ``duetto show``
can print "in-scale 0.97 (corpus 0.93)".

The melody is the track with role "melody", else the highest-sounding pitched track. Drum
tracks are left out of every pitch figure.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

from pydantic import BaseModel, Field

from duetto.media.music.analyse import estimate_chords, estimate_key, pc_histogram
from duetto.media.music.score import Note, Piece, Track
from duetto.media.music.theory import SHARP_NAMES, Chord, key_name, scale_pcs

WINDOW_BARS = 4  # key consistency: 4-bar windows ...
WINDOW_HOP = 2  # ... starting every 2 bars
GRID = 0.5  # the 8th-note grid, in beats
EPS = 1e-3
PHRASE_BARS = 4  # heard form: phrases of 4 bars
PHRASE_SAME = 0.75  # two phrases are "the same section" when this share of their bars match

# Figures that corpus_figures aggregates and lines() prints, with their printed labels.
FIGURES: dict[str, str] = {
    "key_consistency": "key consistency",
    "in_scale": "in-scale",
    "pc_entropy": "pitch entropy (bits)",
    "rhythm_regularity": "rhythm regularity",
    "onset_grid": "onsets on 8th grid",
    "rhythm_recurrence": "bar rhythms recurring",
    "repetition": "repetition",
    "range_semitones": "melodic range (semitones)",
    "chord_tone_ratio": "chord tones on strong beats",
    "notes_per_second": "melody notes/s",
    "step_share": "steps",
    "leap_share": "leaps",
}


class MusicReport(BaseModel):
    """Figures for one piece. ``None``: the piece has nothing to measure it on (no melody)."""

    key: str = Field(description="The piece's own key, e.g. 'D minor' or 'G zhi (徵)'.")
    heard_key: str = Field(description="The key estimate_key reads from all pitched notes.")
    key_consistency: float | None = Field(
        None, description="Why: a piece that drifts out of its key in most 4-bar windows sounds lost."
    )
    in_scale: float | None = Field(None, description="Why: notes outside the scale are heard as wrong notes.")
    pc_entropy: float | None = Field(
        None, description="Why: tonal music is ~2.6-3.1 bits; random notes reach log2(12) = 3.58."
    )
    onset_grid: float | None = Field(None, description="Why: onsets off the 8th grid read as stumbles.")
    rhythm_recurrence: float | None = Field(None, description="Why: recurring bar rhythms make a groove.")
    rhythm_regularity: float | None = Field(
        None, description="Why: mean of onset_grid and rhythm_recurrence; a pulse a listener can follow."
    )
    repetition: float | None = Field(
        None, description="Why: recognisable tunes restate bars (exactly or transposed); random ones never do."
    )
    exact_repetition: float | None = Field(None, description="Share of melody bars recurring at the same pitch.")
    sections: list[str] = Field(default_factory=list, description="Section labels the piece declares.")
    heard_form: str = Field("", description="Labels of 4-bar melody phrases by similarity, e.g. 'AABA'.")
    range_semitones: int | None = Field(None, description="Why: a singable tune spans about an octave or so.")
    lowest: str = ""
    highest: str = ""
    chord_tone_ratio: float | None = Field(
        None, description="Why: strong-beat melody notes in the chord make harmony and tune agree."
    )
    notes_per_second: float | None = Field(None, description="Why: density a listener feels as busy or calm.")
    step_share: float | None = Field(
        None, description="Why: melodies move mostly by step (1-2 semitones); leaps are the spice."
    )
    leap_share: float | None = Field(None, description="Share of melodic intervals of 3 semitones or more.")
    seconds: float = 0.0
    bars: int = 0

    def lines(self, corpus: dict[str, Any] | None = None) -> list[str]:
        """Printable lines, the corpus mean beside each figure: "in-scale 0.97 (corpus 0.93)".

        ``corpus`` is ``corpus_figures``' output (or the shipped JSON, see ``load_corpus_figures``).
        """
        figs = (corpus or {}).get("figures", corpus or {})
        out = [f"key {self.key} (heard {self.heard_key})"]
        for name, label in FIGURES.items():
            value = getattr(self, name)
            if value is None:
                continue
            digits = 0 if name == "range_semitones" else 2
            text = f"{label} {value:.{digits}f}"
            ref = figs.get(name)
            if isinstance(ref, dict) and "mean" in ref:
                text += f" (corpus {ref['mean']:.{digits}f}, 10-90% {ref['p10']:.{digits}f}-{ref['p90']:.{digits}f})"
            if name == "range_semitones" and self.lowest:
                text += f" {self.lowest}-{self.highest}"
            out.append(text)
        if self.sections:
            out.append("sections " + " ".join(self.sections))
        if self.heard_form:
            out.append(f"heard form {self.heard_form}")
        return out


def note_name(pitch: int) -> str:
    """MIDI 60 → "C4"."""
    return f"{SHARP_NAMES[pitch % 12]}{pitch // 12 - 1}"


def pitched(piece: Piece) -> list[Note]:
    return [n for t in piece.tracks if not t.drum for n in t.notes]


def melody_track(piece: Piece) -> Track | None:
    """The "melody" track, else the pitched track with the highest mean pitch."""
    mel = next((t for t in piece.tracks if t.role == "melody" and not t.drum and t.notes), None)
    if mel is not None:
        return mel
    tracks = [t for t in piece.tracks if not t.drum and t.notes]
    return max(tracks, key=lambda t: sum(n.pitch for n in t.notes) / len(t.notes), default=None)


def melody_line(track: Track) -> list[Note]:
    """One note per onset (the top one), in time order: the line a listener sings."""
    top: dict[float, Note] = {}
    for n in track.notes:
        if n.start not in top or n.pitch > top[n.start].pitch:
            top[n.start] = n
    return [top[s] for s in sorted(top)]


def related_keys(t1: int, m1: str, t2: int, m2: str) -> bool:
    """Same key, its relative (same notes, other home), or a pentatonic set inside the other's
    scale (G 徵 inside C major): the readings a 4-bar window may fairly give."""
    a, b = set(scale_pcs(t1, m1)), set(scale_pcs(t2, m2))
    # a key finder only knows major and minor: D dorian heard as D minor is the same home
    same_home = t1 == t2 and ((t1 + 4) % 12 in a) == ((t2 + 4) % 12 in b)
    return (t1 == t2 and m1 == m2) or same_home or a <= b or b <= a


def scale_with_leading_tone(tonic: int, mode: str) -> set[int]:
    """The scale, plus the raised 7th in minor (harmonic minor cadences use it)."""
    pcs = set(scale_pcs(tonic, mode))
    if mode == "minor":
        pcs.add((tonic + 11) % 12)
    return pcs


def _key_consistency(piece: Piece, notes: list[Note]) -> float | None:
    bb = piece.bar_beats
    starts = list(range(0, max(1, piece.bars - WINDOW_BARS + 1), WINDOW_HOP))
    hits = total = 0
    for s in starts:
        lo, hi = s * bb, (s + WINDOW_BARS) * bb
        inside = [n for n in notes if n.start < hi and n.start + n.dur > lo]
        if not inside:
            continue
        t, m, _ = estimate_key(inside)
        total += 1
        hits += related_keys(t, m, piece.tonic, piece.mode)
    return round(hits / total, 4) if total else None


def _entropy(hist: list[float]) -> float:
    total = sum(hist)
    return max(0.0, -sum(h / total * math.log2(h / total) for h in hist if h > 0))  # never "-0.00"


def _bars(line: list[Note], bar_beats: float, bars: int) -> list[list[Note]]:
    out: list[list[Note]] = [[] for _ in range(bars)]
    for n in line:
        i = int((n.start + EPS) // bar_beats)
        if 0 <= i < bars:
            out[i].append(n)
    return out


def _rhythm(bar: list[Note], bar_start: float) -> tuple[tuple[float, float], ...]:
    return tuple((round(n.start - bar_start, 2), round(n.dur, 2)) for n in bar)


def _shape(bar: list[Note], bar_start: float) -> tuple[tuple[float, float, int], ...]:
    """Rhythm plus pitches relative to the bar's first note: equal for a bar and its transposition."""
    first = bar[0].pitch
    return tuple((round(n.start - bar_start, 2), round(n.dur, 2), n.pitch - first) for n in bar)


def _recurring(patterns: list[Any]) -> float | None:
    present = [p for p in patterns if p is not None]
    if not present:
        return None
    counts: dict[Any, int] = {}
    for p in present:
        counts[p] = counts.get(p, 0) + 1
    return round(sum(1 for p in present if counts[p] > 1) / len(present), 4)


def _heard_form(shapes: list[Any]) -> str:
    phrases = [shapes[i:i + PHRASE_BARS] for i in range(0, len(shapes) - PHRASE_BARS + 1, PHRASE_BARS)]
    labels: list[str] = []
    seen: list[list[Any]] = []
    for ph in phrases:
        match = None
        for j, ref in enumerate(seen):
            same = sum(1 for a, b in zip(ph, ref, strict=False) if a is not None and a == b)
            if same >= PHRASE_SAME * PHRASE_BARS:
                match = j
                break
        if match is None:
            seen.append(ph)
            match = len(seen) - 1
        labels.append(chr(ord("A") + min(match, 25)))
    return "".join(labels)


def strong_beats(metre: tuple[int, int]) -> tuple[float, ...]:
    """Beats (from the bar's start) that carry the accent: 4/4 beats 1 and 3, 6/8 both dotted
    quarters, other metres the downbeat."""
    return {(4, 4): (0.0, 2.0), (6, 8): (0.0, 1.5)}.get(tuple(metre), (0.0,))  # type: ignore[arg-type]


def _chord_tone_ratio(piece: Piece, line: list[Note], chords: list[Chord]) -> float | None:
    if not chords:
        return None
    hits = total = 0
    for bar in range(piece.bars):
        for b in strong_beats(piece.metre):
            t = bar * piece.bar_beats + b
            sounding = [n for n in line if n.start <= t + EPS < n.start + n.dur]
            chord = next((c for c in chords if c.start <= t + EPS < c.start + c.dur), None)
            if not sounding or chord is None:
                continue
            total += 1
            hits += sounding[-1].pitch % 12 in chord.pcs
    return round(hits / total, 4) if total else None


def evaluate(piece: Piece) -> MusicReport:
    """Measure one piece (see ``MusicReport`` for why each figure matters)."""
    notes = pitched(piece)
    report = MusicReport(key=key_name(piece.tonic, piece.mode), heard_key="-", sections=[s.label for s in piece.sections],
                         seconds=round(piece.seconds, 2), bars=piece.bars)
    if not notes:
        return report
    t, m, _ = estimate_key(notes)
    report.heard_key = key_name(t, m)
    report.key_consistency = _key_consistency(piece, notes)
    scale = scale_with_leading_tone(piece.tonic, piece.mode)
    hist = pc_histogram(notes)
    report.in_scale = round(sum(hist[p] for p in scale) / sum(hist), 4)
    report.pc_entropy = round(_entropy(hist), 4)

    mel = melody_track(piece)
    if mel is None:
        return report
    line = melody_line(mel)
    bb = piece.bar_beats
    bars = _bars(line, bb, piece.bars)
    on_grid = sum(1 for n in line if abs(n.start / GRID - round(n.start / GRID)) < EPS / GRID)
    report.onset_grid = round(on_grid / len(line), 4)
    report.rhythm_recurrence = _recurring([_rhythm(b, i * bb) if b else None for i, b in enumerate(bars)])
    if report.rhythm_recurrence is not None:
        report.rhythm_regularity = round((report.onset_grid + report.rhythm_recurrence) / 2, 4)
    shapes = [_shape(b, i * bb) if b else None for i, b in enumerate(bars)]
    report.repetition = _recurring(shapes)
    report.exact_repetition = _recurring(
        [(s, b[0].pitch) if s is not None else None for s, b in zip(shapes, bars, strict=False)]
    )
    report.heard_form = _heard_form(shapes)
    lo, hi = min(n.pitch for n in line), max(n.pitch for n in line)
    report.range_semitones, report.lowest, report.highest = hi - lo, note_name(lo), note_name(hi)
    chords = piece.chords
    if not chords:  # read them from the accompaniment; a lone tune has no harmony to agree with
        accomp = [n for tr in piece.tracks if not tr.drum and tr is not mel for n in tr.notes]
        chords = estimate_chords(accomp, bb, piece.bars, per_bar=2)
    report.chord_tone_ratio = _chord_tone_ratio(piece, line, chords)
    if piece.seconds > 0:
        report.notes_per_second = round(len(line) / piece.seconds, 3)
    steps = [abs(b.pitch - a.pitch) for a, b in zip(line, line[1:], strict=False)]
    if steps:
        report.step_share = round(sum(1 for s in steps if 1 <= s <= 2) / len(steps), 4)
        report.leap_share = round(sum(1 for s in steps if s >= 3) / len(steps), 4)
    return report


def _quantile(values: list[float], q: float) -> float:
    """Linear-interpolated quantile of sorted ``values``."""
    pos = (len(values) - 1) * q
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def corpus_figures(pieces: list[Piece] | list[MusicReport]) -> dict[str, Any]:
    """Mean and 10-90 % range of every figure over some pieces (or their reports): the reference
    a generated piece is printed beside. Figures a piece lacks (None) are left out of its sums."""
    reports = [p if isinstance(p, MusicReport) else evaluate(p) for p in pieces]
    figures: dict[str, dict[str, float]] = {}
    for name in FIGURES:
        values = sorted(float(v) for r in reports if (v := getattr(r, name)) is not None)
        if not values:
            continue
        figures[name] = {"mean": round(sum(values) / len(values), 4), "p10": round(_quantile(values, 0.1), 4),
                         "p90": round(_quantile(values, 0.9), 4), "n": len(values)}
    forms: dict[str, int] = {}
    for r in reports:
        forms[r.heard_form] = forms.get(r.heard_form, 0) + 1
    return {"pieces": len(reports), "figures": figures,
            "heard_forms": dict(sorted(forms.items(), key=lambda kv: -kv[1])[:10])}


def load_corpus_figures() -> dict[str, Any] | None:
    """The shipped reference figures, or None when the data file is missing (a source checkout
    before ``scripts/music_corpus_figures.py`` ran)."""
    path = resources.files("duetto.media.music") / "data" / "corpus-figures.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))

