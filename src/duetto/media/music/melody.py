"""The melody model: what folk songs and chorales do, counted, and a writer that obeys harmony.

Two things are learned from music21's offline corpus (see ``corpus``):

- **Intervals in scale steps**, as a trigram model (the next interval given the two before it,
  Witten-Bell interpolated down to bigrams and unigrams), one table for heptatonic tunes and one
  for pentatonic tunes (Chinese songs, or tunes on exactly five notes of one pentatonic set).
  Counting in scale steps rather than semitones lets one table serve every key and mode. A
  second, smaller table says how each scale degree tends to move (the 7th rises, the 4th falls).
- **Bar rhythms**: per metre, the onset patterns of real bars (quantised to sixteenths) with
  their counts, and separately the bars that end phrases (their last note the longest).

``write_phrase`` samples a phrase note by note from those tables, under hard rules (chord tones
on strong beats, scale tones elsewhere, the range, the cadence note) and soft ones (an arch
contour, a leap is followed by a step back, a non-chord tone is approached and left by step).
It samples a few candidate lines and keeps the one that breaks the fewest rules (not the one
the n-gram likes best: that would be the most probable, and dullest, line).
``vary_phrase`` re-chooses some weak-beat notes, splits or merges a few, and keeps the harmony.

Everything random comes from the caller's ``numpy`` Generator: same state, same notes.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from duetto.errors import InvalidInput, NotFound
from duetto.media.music.corpus import Tune, bar_length
from duetto.media.music.score import Note
from duetto.media.music.theory import MODES, PENTATONIC, Chord, scale_pcs

VERSION = "melody-ngram-1"
DATA_FILE = Path(__file__).parent / "data" / "melody-model.json.gz"
SCALES = {"heptatonic": (7, 9), "pentatonic": (5, 7)}  # notes per octave, largest interval kept (steps)
Q = 4  # rhythm grid: onsets are whole sixteenths (a quarter-note beat / 4)
MAX_PATTERNS = 400  # bar rhythms kept per metre
MAX_CADENCES = 120
MIN_BARS = 60  # a metre needs this many full bars in the corpus to get a rhythm table
SAMPLES = 4  # candidate lines written per call; the one breaking the fewest rules is returned
_EPS = 1e-6


# ---------------------------------------------------------------------------------------------
# the model


@dataclass
class IntervalTable:
    """Interval counts for one kind of scale. Index ``i + span`` is an interval of ``i`` steps;
    index ``2 * span + 1`` in a context slot means "phrase start"."""

    size: int  # notes per octave
    span: int  # intervals beyond ±span steps are not counted (they break the context)
    trigram: np.ndarray  # (V+1, V+1, V) counts: context (i-2, i-1) → next interval
    degree: np.ndarray  # (size, V) counts: interval by the scale degree it leaves
    first: np.ndarray  # (size,) counts: scale degree of a phrase's first note
    logp: np.ndarray = field(init=False, repr=False)  # (V+1, V+1, V) smoothed log P(next | context)
    degree_logp: np.ndarray = field(init=False, repr=False)  # (size, V) log P(i | degree) - log P(i)
    first_logp: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the smoothed tables from the counts (after training changed them)."""
        self.logp = _witten_bell(self.trigram.astype(np.float64))
        uni = self.trigram.sum(axis=(0, 1)) + 1.0  # (V,)
        deg = self.degree + uni / uni.sum()  # (size, V), lightly smoothed toward the unigram
        self.degree_logp = np.log(deg / deg.sum(axis=1, keepdims=True)) - np.log(uni / uni.sum())
        self.first_logp = np.log((self.first + 1.0) / (self.first + 1.0).sum())

    @property
    def symbols(self) -> int:
        return 2 * self.span + 1

    @property
    def tokens(self) -> int:
        return int(self.trigram.sum())


def _witten_bell(tri: np.ndarray) -> np.ndarray:
    """Counts (V+1, V+1, V) → log P(w | a, b), interpolated trigram → bigram → add-one unigram.
    Witten-Bell gives a context the more weight the more it was seen and the fewer distinct
    continuations it had, which suits small tables where many contexts are rare."""
    v = tri.shape[2]
    uni = (tri.sum(axis=(0, 1)) + 1.0) / (tri.sum() + v)  # (V,)
    bi = tri.sum(axis=0)  # (V+1, V)
    n_b, t_b = bi.sum(axis=1, keepdims=True), (bi > 0).sum(axis=1, keepdims=True)
    p_bi = np.where(n_b > 0, (bi + t_b * uni) / np.maximum(n_b + t_b, 1), uni)  # (V+1, V)
    n_t, t_t = tri.sum(axis=2, keepdims=True), (tri > 0).sum(axis=2, keepdims=True)
    p_tri = np.where(n_t > 0, (tri + t_t * p_bi[None]) / np.maximum(n_t + t_t, 1), p_bi[None])  # (V+1, V+1, V)
    return np.log(p_tri)


Pattern = tuple[int, ...]  # onsets in sixteenths from the downbeat


@dataclass
class MelodyModel:
    version: str
    summary: dict[str, Any]
    intervals: dict[str, IntervalTable]  # "heptatonic", "pentatonic"
    rhythms: dict[str, dict[Pattern, int]]  # metre "6/8" → bar pattern → count
    cadences: dict[str, dict[Pattern, int]]  # metre → phrase-final bar pattern → count

    @property
    def metres(self) -> list[str]:
        return sorted(self.rhythms)

    # -- training ------------------------------------------------------------------------------

    @classmethod
    def train(cls, tunes: Iterable[Tune], summary: dict[str, Any] | None = None) -> MelodyModel:
        """Count intervals and bar rhythms over ``tunes``."""
        tables = {k: _empty_table(size, span) for k, (size, span) in SCALES.items()}
        rhythms: dict[str, Counter[Pattern]] = {}
        cadences: dict[str, Counter[Pattern]] = {}
        tune_count: Counter[str] = Counter()
        for tune in tunes:
            tune_count[tune.scale] += 1
            _count_intervals(tables[tune.scale], tune)
            for bar in tune.bars:
                pattern = _pattern(bar.onsets, bar.metre) if bar.full else None
                if pattern is None:
                    continue
                rhythms.setdefault(bar.metre, Counter())[pattern] += 1
                if bar.phrase_end and _long_ending(pattern, bar_length(bar.metre)):
                    cadences.setdefault(bar.metre, Counter())[pattern] += 1
        for table in tables.values():
            table.refresh()
        kept = {m: c for m, c in rhythms.items() if sum(c.values()) >= MIN_BARS}
        out_rhythms = {m: _top(c, MAX_PATTERNS) for m, c in sorted(kept.items())}
        out_cadences = {m: _top(cadences.get(m, Counter()), MAX_CADENCES) for m in sorted(kept)}
        for m in out_cadences:
            if not out_cadences[m]:  # a metre without long-ended phrase bars: one note on the downbeat
                out_cadences[m] = {(0,): 1}
        info = dict(summary or {})
        info.update({"tunes_by_scale": dict(tune_count),
                     "tokens": {k: t.tokens for k, t in tables.items()},
                     "bars": {m: int(sum(c.values())) for m, c in sorted(kept.items())}})
        return cls(version=VERSION, summary=info, intervals=tables, rhythms=out_rhythms, cadences=out_cadences)

    # -- files ---------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "summary": self.summary,
            "intervals": {k: {"size": t.size, "span": t.span, "trigram": t.trigram.astype(int).tolist(),
                              "degree": t.degree.astype(int).tolist(), "first": t.first.astype(int).tolist()}
                          for k, t in self.intervals.items()},
            "rhythms": {m: [[*p, n] for p, n in pats.items()] for m, pats in self.rhythms.items()},
            "cadences": {m: [[*p, n] for p, n in pats.items()] for m, pats in self.cadences.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MelodyModel:
        if not str(data.get("version", "")).startswith("melody-ngram-"):
            raise InvalidInput(f"not a melody model file (version {data.get('version')!r})",
                               hint="train one with scripts/train_melody.py")
        tables = {k: IntervalTable(size=int(t["size"]), span=int(t["span"]),
                                   trigram=np.asarray(t["trigram"], dtype=np.int64),
                                   degree=np.asarray(t["degree"], dtype=np.int64),
                                   first=np.asarray(t["first"], dtype=np.int64))
                  for k, t in data["intervals"].items()}

        def patterns(raw: dict[str, list[list[int]]]) -> dict[str, dict[Pattern, int]]:
            return {m: {tuple(row[:-1]): int(row[-1]) for row in rows} for m, rows in raw.items()}

        return cls(version=data["version"], summary=data.get("summary", {}), intervals=tables,
                   rhythms=patterns(data["rhythms"]), cadences=patterns(data["cadences"]))

    def save(self, path: str | Path) -> Path:
        """JSON, gzip-compressed when the name ends in ``.gz``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True)
        if path.suffix == ".gz":
            path.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
        else:
            path.write_text(text, encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path | None = None) -> MelodyModel:
        """A saved model; ``None`` loads the one shipped with duetto."""
        path = Path(path) if path is not None else DATA_FILE
        if not path.exists():
            raise NotFound(f"melody model file {path} not found",
                           hint="run scripts/train_melody.py to train it (the shipped file is package data)")
        raw = path.read_bytes()
        try:
            text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
            data = json.loads(text)
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"melody model file {path} is not readable JSON: {exc}") from exc
        return cls.from_json(data)


def _empty_table(size: int, span: int) -> IntervalTable:
    v = 2 * span + 1
    return IntervalTable(size=size, span=span, trigram=np.zeros((v + 1, v + 1, v), dtype=np.int64),
                         degree=np.zeros((size, v), dtype=np.int64), first=np.zeros(size, dtype=np.int64))


def _count_intervals(table: IntervalTable, tune: Tune) -> None:
    start = table.symbols
    a = b = start
    prev = None
    for e in tune.events:
        if e.phrase_start or prev is None:
            a = b = start
            table.first[e.step % table.size] += 1
        else:
            iv = e.step - prev.step
            if abs(iv) > table.span:  # an octave-plus leap: a break, not a melodic move
                a = b = start
            else:
                table.trigram[a, b, iv + table.span] += 1
                table.degree[prev.step % table.size, iv + table.span] += 1
                a, b = b, iv + table.span
        prev = e


def _pattern(onsets: Sequence[float], metre: str) -> Pattern | None:
    """Onsets in sixteenths, or None when the bar has an off-grid onset or no downbeat."""
    if not onsets or not metre or abs(onsets[0]) > _EPS:
        return None
    out = []
    for o in onsets:
        q = round(o * Q)
        if abs(o * Q - q) > 1e-3:
            return None
        out.append(q)
    return tuple(out)


def _long_ending(pattern: Pattern, bar_beats: float) -> bool:
    """A cadence bar: its last note lasts at least a beat and longer than any other in the bar."""
    edges = [*pattern, round(bar_beats * Q)]
    lengths = [edges[k + 1] - edges[k] for k in range(len(pattern))]
    return lengths[-1] >= Q and all(n < lengths[-1] for n in lengths[:-1])


def _top(counts: Counter[Pattern], n: int) -> dict[Pattern, int]:
    """The ``n`` commonest patterns seen at least twice (ties broken by the pattern itself)."""
    items = sorted(((p, c) for p, c in counts.items() if c >= 2), key=lambda pc: (-pc[1], pc[0]))[:n]
    return dict(items)


# ---------------------------------------------------------------------------------------------
# the writer's view of a key


@dataclass(frozen=True)
class _Key:
    tonic: int
    mode: str
    offsets: tuple[int, ...]  # semitones above the tonic
    table: IntervalTable
    step_of: np.ndarray  # (128,) scale steps above the tonic in octave 4 (chromatic notes: the step below)

    @property
    def size(self) -> int:
        return len(self.offsets)


def _key(model: MelodyModel, tonic: int, mode: str) -> _Key:
    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}", hint=f"choose from {', '.join(MODES)}")
    if not 0 <= tonic <= 11:
        raise InvalidInput(f"tonic must be a pitch class 0..11, not {tonic}")
    offsets = MODES[mode]
    kind = "pentatonic" if mode in PENTATONIC else "heptatonic"
    rel = np.arange(128) - (60 + tonic)
    octave, r = np.divmod(rel, 12)
    idx = np.searchsorted(np.asarray(offsets), r, side="right") - 1
    return _Key(tonic, mode, offsets, model.intervals[kind], octave * len(offsets) + idx)


def chord_scale(tonic: int, mode: str, chord: Chord) -> tuple[set[int], set[int]]:
    """(pitch classes a melody note may use under ``chord``, the chord tones among them).

    Pentatonic modes keep to their five notes. Heptatonic modes take a chord's chromatic tones
    into the scale (the raised 7th under V in minor, F# under D7 in C): a chord's major third is a
    raised note and replaces the scale note below it, any other chromatic tone is a lowered one and
    replaces the note above (Bb under C7 or Bb major in C)."""
    scale = set(scale_pcs(tonic, mode))
    tones = set(chord.pcs)
    if mode in PENTATONIC:
        return scale, tones & scale
    allowed = set(scale)
    for pc in sorted(tones - scale):
        raised = (pc - chord.root) % 12 == 4
        allowed.discard((pc - 1) % 12 if raised else (pc + 1) % 12)
        allowed.add(pc)
    return allowed, tones & allowed


def _allowed(key: _Key, chord: Chord) -> tuple[set[int], set[int]]:
    return chord_scale(key.tonic, key.mode, chord)


def _chord_at(chords: Sequence[Chord], t: float) -> Chord:
    """The chord sounding at ``t`` (else the last one started before it, else the first)."""
    best = None
    for c in chords:
        if c.start <= t + _EPS:
            if t < c.start + c.dur - _EPS:
                return c
            best = c
    return best if best is not None else chords[0]


def _metre_key(metre: str | tuple[int, int]) -> str:
    if isinstance(metre, tuple):
        return f"{metre[0]}/{metre[1]}"
    return metre.strip()


# ---------------------------------------------------------------------------------------------
# writing a phrase


@dataclass(frozen=True)
class _Slot:
    start: float
    dur: float
    pos: float  # position in the bar
    chord: Chord
    allowed: tuple[int, ...]  # candidate MIDI pitches (in range, in the local scale)
    tones: frozenset[int]  # chord tone pitch classes
    strong: bool  # must be a chord tone
    beat: bool  # on a beat: prefers a chord tone
    crossing: Chord | None  # the chord the note rings into, when it outlasts its own


def write_phrase(model: MelodyModel, chords: Sequence[Chord], start: float, bars: int, bar_beats: float,
                 metre: str | tuple[int, int], tonic: int, mode: str, rng: np.random.Generator, *,
                 low: int, high: int, density: float = 0.5, start_pitch: int | None = None,
                 cadence: str | None = "tonic", rhythm: Sequence[Sequence[float]] | None = None) -> list[Note]:
    """A melody over ``chords`` for ``bars`` bars from beat ``start``.

    ``density`` 0..1 leans towards the corpus's sparser or busier bar rhythms. ``start_pitch`` is
    the note the melody comes from (the previous phrase's last note): the first interval is
    scored from it. ``cadence`` "tonic" ends on the tonic, "half" on the 2nd or 5th degree, None
    on any chord tone. ``rhythm`` reuses bar rhythms: bar ``i`` takes ``rhythm[i]`` (note
    durations in beats, summing to at most a bar; a short bar's last note is held to the bar
    line); bars beyond ``len(rhythm)`` are chosen from the corpus, the last one as a cadence bar.
    With a cadence, a reused last bar is kept only if it already ends on its longest note (a beat
    or more); otherwise it becomes the corpus cadence bar that starts most like it.
    Notes stay inside ``[start, start + bars * bar_beats)`` and never overlap."""
    metre_s = _metre_key(metre)
    _check_phrase_args(model, chords, bars, bar_beats, metre_s, low, high, density, cadence, rhythm)
    key = _key(model, tonic, mode)
    plan = _plan_rhythm(model, metre_s, bars, bar_beats, density, cadence, rhythm, rng)
    slots = _slots(key, chords, start, bar_beats, metre_s, plan, low, high)
    if not slots:
        return []
    finals = _cadence_pitches(key, cadence, low, high)
    arch = _arch(slots, start, bars * bar_beats, low, high, start_pitch, finals, rng)
    best: tuple[float, list[int]] | None = None
    for _ in range(SAMPLES):
        pitches, score = _sample_line(key, slots, arch, start_pitch, finals, rng)
        if best is None or score > best[0]:
            best = (score, pitches)
    assert best is not None
    return [Note(start=s.start, pitch=int(p), dur=s.dur, vel=_velocity(s)) for s, p in zip(slots, best[1], strict=False)]


def _check_phrase_args(model: MelodyModel, chords: Sequence[Chord], bars: int, bar_beats: float, metre: str,
                       low: int, high: int, density: float, cadence: str | None,
                       rhythm: Sequence[Sequence[float]] | None) -> None:
    if not chords:
        raise InvalidInput("write_phrase needs at least one chord")
    if bars < 1:
        raise InvalidInput(f"a phrase needs at least one bar, not {bars}")
    if metre not in model.rhythms:
        raise InvalidInput(f"the melody model has no bar rhythms for {metre}",
                           hint=f"use one of {', '.join(model.metres)}")
    if abs(bar_length(metre) - bar_beats) > _EPS:
        raise InvalidInput(f"a {metre} bar is {bar_length(metre):g} beats, not {bar_beats:g}")
    if not (0 <= low < high <= 127) or high - low < 7:
        raise InvalidInput(f"melody range {low}..{high} is too narrow", hint="give at least a fifth (7 semitones)")
    if not 0.0 <= density <= 1.0:
        raise InvalidInput(f"density must be 0..1, not {density}")
    if cadence not in ("tonic", "half", None):
        raise InvalidInput(f"unknown cadence {cadence!r}", hint="use 'tonic', 'half' or None")
    for i, bar in enumerate(rhythm or []):
        if not bar or any(d <= 0 for d in bar) or sum(bar) > bar_beats + _EPS:
            raise InvalidInput(f"rhythm bar {i + 1} must be positive durations summing to at most {bar_beats:g} beats")


def _plan_rhythm(model: MelodyModel, metre: str, bars: int, bar_beats: float, density: float,
                 cadence: str | None, rhythm: Sequence[Sequence[float]] | None,
                 rng: np.random.Generator) -> list[list[float]]:
    """Onsets (beats from the downbeat) for every bar. Sampled bars repeat the rhythm of two bars
    (sometimes one bar) earlier more often than chance, the way tunes build on a motif."""
    pats = _weighted(model.rhythms[metre], density)
    cads = _weighted(model.cadences[metre], 0.5 * density + 0.25)
    plan: list[list[float]] = []
    given = list(rhythm or [])
    for i in range(bars):
        cadence_bar = i == bars - 1 and cadence is not None
        if i < len(given):
            onsets = [round(float(x), 6) for x in np.cumsum([0.0, *given[i][:-1]])]
            pattern = _pattern(onsets, metre)
            if cadence_bar and not (pattern and _long_ending(pattern, bar_beats)):
                plan.append(_cadence_like(onsets, cads, rng))
            else:
                plan.append(onsets)
            continue
        if cadence_bar:
            plan.append(_draw(cads, rng))
        elif i >= 2 and rng.random() < 0.5:
            plan.append(plan[i - 2])
        elif i >= 1 and rng.random() < 0.2:
            plan.append(plan[i - 1])
        else:
            plan.append(_draw(pats, rng))
    return plan


def _cadence_like(onsets: list[float], weighted: tuple[list[Pattern], np.ndarray],
                  rng: np.random.Generator) -> list[float]:
    """A corpus cadence bar that starts like ``onsets`` (the longest shared opening), for a
    reused rhythm whose last bar would end the phrase on a short note."""
    want = [round(o * Q) for o in onsets]

    def shared(p: Pattern) -> int:
        return next((k for k, (a, b) in enumerate(zip(p, want, strict=False)) if a != b), min(len(p), len(want)))

    pats, probs = weighted
    best = max(shared(p) for p in pats)
    keep = np.asarray([shared(p) == best for p in pats], dtype=np.float64) * probs
    return [q / Q for q in pats[int(rng.choice(len(pats), p=keep / keep.sum()))]]


def _weighted(patterns: dict[Pattern, int], density: float) -> tuple[list[Pattern], np.ndarray]:
    """Patterns and probabilities tilted towards the note count ``density`` asks for: 0 → the
    sparse end (5th percentile) of the corpus's notes per bar, 1 → the busy end (95th)."""
    pats = list(patterns)
    counts = np.asarray([patterns[p] for p in pats], dtype=np.float64)
    sizes = np.asarray([len(p) for p in pats], dtype=np.float64)
    order = np.argsort(sizes, kind="stable")
    cum = np.cumsum(counts[order]) / counts.sum()
    lo = sizes[order][np.searchsorted(cum, 0.05)]
    hi = sizes[order][min(len(cum) - 1, np.searchsorted(cum, 0.95))]
    target, width = lo + density * (hi - lo), max(0.8, (hi - lo) / 4)
    w = counts * np.exp(-0.5 * ((sizes - target) / width) ** 2)
    return pats, w / w.sum()


def _draw(weighted: tuple[list[Pattern], np.ndarray], rng: np.random.Generator) -> list[float]:
    pats, p = weighted
    return [q / Q for q in pats[int(rng.choice(len(pats), p=p))]]


def _slots(key: _Key, chords: Sequence[Chord], start: float, bar_beats: float, metre: str,
           plan: list[list[float]], low: int, high: int) -> list[_Slot]:
    onsets = [start + b * bar_beats + o for b, bar in enumerate(plan) for o in bar]
    end = start + len(plan) * bar_beats
    chord_starts = {round(c.start, 6) for c in chords}
    beat = 1.5 if metre.endswith("/8") and int(metre.split("/")[0]) % 3 == 0 else 1.0
    out = []
    for k, t in enumerate(onsets):
        dur = (onsets[k + 1] if k + 1 < len(onsets) else end) - t
        pos = round((t - start) % bar_beats, 6)
        chord = _chord_at(chords, t)
        allowed, tones = _allowed(key, chord)
        later = _chord_at(chords, t + dur - _EPS)
        strong = pos < _EPS or (metre in ("4/4", "2/2") and abs(pos - 2.0) < _EPS) or round(t, 6) in chord_starts
        on_beat = abs(pos / beat - round(pos / beat)) < _EPS
        out.append(_Slot(start=t, dur=dur, pos=pos, chord=chord,
                         allowed=tuple(p for p in range(low, high + 1) if p % 12 in allowed),
                         tones=frozenset(tones), strong=strong, beat=on_beat,
                         crossing=later if later is not chord else None))
    return out


def _cadence_pitches(key: _Key, cadence: str | None, low: int, high: int) -> list[int] | None:
    """Every pitch in range the phrase may end on: the tonic, or the 2nd / 5th degree for a half
    cadence (pentatonic: the 2nd and the degree nearest a fifth). None: any chord tone."""
    if cadence is None:
        return None
    if cadence == "tonic":
        pcs = {key.tonic}
    elif key.size == 7:
        pcs = {(key.tonic + key.offsets[1]) % 12, (key.tonic + key.offsets[4]) % 12}
    else:
        fifth = min(key.offsets, key=lambda o: abs(o - 7))
        pcs = {(key.tonic + key.offsets[1]) % 12, (key.tonic + fifth) % 12}
    out = [p for p in range(low, high + 1) if p % 12 in pcs]
    if not out:
        raise InvalidInput(f"no cadence note ({cadence}) between {low} and {high}", hint="widen the melody range")
    return out


def _arch(slots: list[_Slot], start: float, span: float, low: int, high: int, start_pitch: int | None,
          finals: list[int] | None, rng: np.random.Generator) -> np.ndarray:
    """Target pitch per note: rise from the opening to a peak 45-75 % of the way, fall to the end
    (the cadence note nearest the lower middle of the range: tunes come home downwards)."""
    begin = float(start_pitch) if start_pitch is not None else low + 0.4 * (high - low)
    end = low + 0.35 * (high - low)
    if finals:
        end = float(min(finals, key=lambda p: (abs(p - end), p)))
    peak = min(high - 1.0, max(begin, end) + float(rng.uniform(4.0, 8.0)))
    at = float(rng.uniform(0.45, 0.75))
    x = np.asarray([(s.start - start) / span for s in slots])  # (N,) 0..1 through the phrase
    x_end = x[-1] if len(slots) > 1 else 1.0  # the last onset is the phrase end, wherever it falls
    up = begin + (peak - begin) * np.sin(0.5 * np.pi * np.clip(x / at, 0, 1))
    down = peak + (end - peak) * (1 - np.cos(0.5 * np.pi * np.clip((x - at) / max(x_end - at, 1e-3), 0, 1)))
    return np.where(x <= at, up, down)


# score weights (log-probability units)
W_DEGREE = 0.5  # how much the degree table adds to the trigram
CONTOUR_SIGMA = 3.5  # semitones from the arch that cost half a nat
P_LEAP_ON = 3.0  # a leap (4th or more) followed by motion the same way
P_LEAP_BIG = 2.0  # a leap followed by another leap
P_NCT = 3.0  # a non-chord tone not approached, or not left, by step
P_NCT_LONG = 1.5  # a non-chord tone a beat or longer
P_CROSS = 1.0  # a note that rings into a chord it does not belong to
P_REPEAT = 1.5  # a third note on the same pitch (twice that for a fourth …)
P_TRITONE = 2.0  # a melodic augmented fourth / diminished fifth
B_BEAT = 0.6  # chord tones on the other beats
P_LATE_LEAP = 4.0  # a leap wider than a fifth into the last two notes


def _sample_line(key: _Key, slots: list[_Slot], arch: np.ndarray, start_pitch: int | None,
                 finals: list[int] | None, rng: np.random.Generator) -> tuple[list[int], float]:
    """One line, note by note: each pitch is drawn from softmax(model + rules) over the slot's
    candidates. Returns the pitches and the rules' total (higher = fewer objections)."""
    table = key.table
    span, start_sym = table.span, table.symbols
    pitches: list[int] = []
    total = 0.0
    prev = start_pitch
    ctx = (start_sym, start_sym)
    prev_iv_semi = 0
    prev_nct = False
    for k, slot in enumerate(slots):
        last = k == len(slots) - 1
        cadence_note = last and finals is not None
        cands = np.asarray(finals if cadence_note else slot.allowed, dtype=np.int64)
        is_tone = np.isin(cands % 12, list(slot.tones))
        if (slot.strong or last) and not cadence_note and is_tone.any():
            cands, is_tone = cands[is_tone], is_tone[is_tone]
        rules = -0.5 * ((cands - arch[k]) / CONTOUR_SIGMA) ** 2
        if prev is None:
            model = table.first_logp[key.step_of[cands] % key.size]
        else:
            model = _model_score(key, ctx, prev, cands)
            rules += _rule_score(key, prev, prev_iv_semi, prev_nct, cands, is_tone)
            run = next((n for n in range(1, len(pitches) + 1) if pitches[-n] != prev), len(pitches) + 1) - 1
            rules -= P_REPEAT * max(0, run - 1) * (cands == prev)  # a third, fourth … note on one pitch
            if k >= len(slots) - 2:  # the approach to a cadence moves by small steps
                rules -= P_LATE_LEAP * (np.abs(cands - prev) > 7)
        rules += np.where(is_tone, B_BEAT if slot.beat else 0.0, -P_NCT_LONG if slot.dur >= 1.0 - _EPS else 0.0)
        if slot.crossing is not None:
            rules -= P_CROSS * ~np.isin(cands % 12, list(slot.crossing.pcs))
        if k == len(slots) - 2 and finals is not None:  # lead into the best cadence note
            model = model + np.max([_lead_in(key, ctx, prev, cands, f) - 0.5 * ((f - arch[-1]) / CONTOUR_SIGMA) ** 2
                                    for f in finals], axis=0)
        choice = _softmax_pick(model + rules, rng)
        p = int(cands[choice])
        total += float(rules[choice])
        if prev is not None:
            iv = int(key.step_of[p] - key.step_of[prev])
            ctx = (ctx[1], iv + span) if abs(iv) <= span else (start_sym, start_sym)
            prev_iv_semi = p - prev
        prev_nct = not bool(is_tone[choice])
        pitches.append(p)
        prev = p
    return pitches, total


def _model_score(key: _Key, ctx: tuple[int, int], prev: int, cands: np.ndarray) -> np.ndarray:
    """The corpus's view of moving from ``prev`` to each candidate: trigram plus degree table."""
    table = key.table
    span = table.span
    steps = key.step_of[cands] - key.step_of[prev]  # (C,)
    idx = np.clip(steps + span, 0, 2 * span)
    score = np.where(np.abs(steps) <= span, table.logp[ctx[0], ctx[1], idx], -12.0)
    return score + W_DEGREE * table.degree_logp[key.step_of[prev] % key.size, idx]


def _rule_score(key: _Key, prev: int, prev_iv_semi: int, prev_nct: bool, cands: np.ndarray,
                is_tone: np.ndarray) -> np.ndarray:
    """The voice-leading rules' view of moving from ``prev`` to each candidate (0 = no objection)."""
    steps = key.step_of[cands] - key.step_of[prev]  # (C,)
    semis = cands - prev
    score = -12.0 * (np.abs(semis) > 12) - P_TRITONE * (np.abs(semis) == 6)  # no octave-plus, no tritone
    if abs(prev_iv_semi) >= 5:  # after a leap: turn back, by step
        same_way = np.sign(semis) == np.sign(prev_iv_semi)
        score = score - P_LEAP_ON * (same_way & (semis != 0)) - P_REPEAT * (semis == 0)
        score = score - P_LEAP_BIG * (np.abs(steps) > 2)
        if abs(prev_iv_semi) > 7:
            score = score - 12.0 * (np.abs(semis) > 7)  # two leaps beyond a fifth in a row
    step_move = np.abs(steps) == 1
    score = score - P_NCT * (~is_tone & ~step_move)  # non-chord tones come by step …
    if prev_nct:
        score = score - P_NCT * ~step_move  # … and leave by step
    return score


def _lead_in(key: _Key, ctx: tuple[int, int], prev: int | None, cands: np.ndarray, final: int) -> np.ndarray:
    """The model's view of the interval each candidate would make into the fixed cadence note."""
    table = key.table
    span, start_sym = table.span, table.symbols
    if prev is None:
        a, b = np.full(len(cands), start_sym), np.full(len(cands), start_sym)
    else:
        iv1 = key.step_of[cands] - key.step_of[prev]
        a = np.full(len(cands), ctx[1])
        b = np.where(np.abs(iv1) <= span, iv1 + span, start_sym)
    iv2 = key.step_of[final] - key.step_of[cands]
    score = np.where(np.abs(iv2) <= span, table.logp[a, b, np.clip(iv2 + span, 0, 2 * span)], -8.0)
    return score - P_LEAP_BIG * (np.abs(final - cands) > 7)


def _softmax_pick(score: np.ndarray, rng: np.random.Generator) -> int:
    p = np.exp(score - score.max())
    return int(rng.choice(len(p), p=p / p.sum()))


def _velocity(slot: _Slot) -> int:
    """A little metrical accent, so the tune is not flat before the arranger shapes dynamics."""
    if slot.pos < _EPS:
        return 92
    if slot.strong:
        return 84
    return 78 if slot.beat else 70


# ---------------------------------------------------------------------------------------------
# variation


def vary_phrase(model: MelodyModel, notes: Sequence[Note], chords: Sequence[Chord], tonic: int, mode: str,
                amount: float, rng: np.random.Generator, *, low: int, high: int,
                bar_beats: float | None = None) -> list[Note]:
    """A variation of ``notes`` over the same ``chords``: some weak-beat notes get new pitches,
    a few long notes are split in two and a few pairs of short ones merged. ``amount`` 0..1
    scales how much changes (0: nothing). The first and last notes are kept as they are, and so
    are notes where a chord starts (and, given ``bar_beats``, notes on beat 1 and on beat 3 of
    a 4-beat bar). A re-chosen chord tone stays a chord tone; a non-chord tone must move by step
    on both sides. For amount > 0 at least one note changes when any can."""
    if not 0.0 <= amount <= 1.0:
        raise InvalidInput(f"variation amount must be 0..1, not {amount}")
    if not chords:
        raise InvalidInput("vary_phrase needs at least one chord")
    line = sorted(notes)
    if amount == 0.0 or len(line) < 3:
        return line
    key = _key(model, tonic, mode)
    starts = {round(c.start, 6) for c in chords}

    def fixed(n: Note) -> bool:
        if round(n.start, 6) in starts:
            return True
        if bar_beats:
            pos = n.start % bar_beats
            return pos < _EPS or bar_beats - pos < _EPS or (abs(bar_beats - 4.0) < _EPS and abs(pos - 2.0) < _EPS)
        return False

    out, fresh = _vary_rhythm(line, chords, amount, fixed, rng)
    for j in range(1, len(out) - 1):
        if j in fresh or (not fixed(out[j]) and rng.random() < 0.5 * amount):
            pitch = _rechoose(key, out, j, chords, low, high, rng, exclude=None if j in fresh else out[j].pitch)
            if pitch is not None:
                out[j] = Note(out[j].start, pitch, out[j].dur, out[j].vel)
    if out == line:  # nothing happened by chance: change the first note that can change
        for j in (int(x) + 1 for x in rng.permutation(len(out) - 2)):
            if fixed(out[j]):
                continue
            pitch = _rechoose(key, out, j, chords, low, high, rng, exclude=out[j].pitch)
            if pitch is not None:
                out[j] = Note(out[j].start, pitch, out[j].dur, out[j].vel)
                break
    return out


def _vary_rhythm(line: list[Note], chords: Sequence[Chord], amount: float, fixed: Callable[[Note], bool],
                 rng: np.random.Generator) -> tuple[list[Note], set[int]]:
    """Split some long inner notes (the second half gets a new pitch later) and merge some pairs
    of short neighbours under one chord. Returns the new line and the indices of split-off notes."""
    out = [line[0]]
    fresh: set[int] = set()
    i = 1
    while i < len(line) - 1:
        n, nxt = line[i], line[i + 1]
        mergeable = (i + 1 < len(line) - 1 and not fixed(nxt) and n.dur <= 1.0 and nxt.dur <= 1.0
                     and abs(n.start + n.dur - nxt.start) < _EPS
                     and _chord_at(chords, n.start) == _chord_at(chords, nxt.start))
        if mergeable and rng.random() < 0.15 * amount:
            out.append(Note(n.start, n.pitch, nxt.start + nxt.dur - n.start, n.vel))
            i += 2
            continue
        half = math.floor(n.dur / 2 * Q) / Q
        if n.dur >= 1.0 - _EPS and half > 0 and rng.random() < 0.3 * amount:
            out.append(Note(n.start, n.pitch, half, n.vel))
            out.append(Note(n.start + half, n.pitch, n.dur - half, max(1, n.vel - 8)))
            fresh.add(len(out) - 1)
        else:
            out.append(n)
        i += 1
    out.append(line[-1])
    return out, fresh


def _rechoose(key: _Key, line: list[Note], j: int, chords: Sequence[Chord], low: int, high: int,
              rng: np.random.Generator, exclude: int | None) -> int | None:
    """A new pitch for ``line[j]`` that fits between its neighbours, or None when none does."""
    table = key.table
    span, start_sym = table.span, table.symbols
    note, prev, nxt = line[j], line[j - 1].pitch, line[j + 1].pitch
    allowed, tones = _allowed(key, _chord_at(chords, note.start))
    cands = np.asarray([p for p in range(low, high + 1) if p % 12 in allowed and p != exclude], dtype=np.int64)
    if len(cands) == 0:
        return None
    is_tone = np.isin(cands % 12, list(tones))
    was_tone = note.pitch % 12 in tones
    step_in = np.abs(key.step_of[cands] - key.step_of[prev]) == 1
    step_out = np.abs(key.step_of[nxt] - key.step_of[cands]) == 1
    keep = is_tone if was_tone and (note.dur >= 1.0 - _EPS or abs(note.start - round(note.start)) < _EPS) \
        else is_tone | (step_in & step_out)
    cands, is_tone = cands[keep], is_tone[keep]
    if len(cands) == 0:
        return None

    def sym(a: int, b: int) -> int:
        iv = int(key.step_of[b] - key.step_of[a])
        return iv + span if abs(iv) <= span else start_sym

    ctx = (sym(line[j - 3].pitch, line[j - 2].pitch) if j >= 3 else start_sym,
           sym(line[j - 2].pitch, prev) if j >= 2 else start_sym)
    prev_semi = prev - line[j - 2].pitch if j >= 2 else 0
    score = _model_score(key, ctx, prev, cands) + _rule_score(key, prev, prev_semi, False, cands, is_tone)
    iv_in = key.step_of[cands] - key.step_of[prev]
    b = np.where(np.abs(iv_in) <= span, iv_in + span, start_sym)
    iv_out = key.step_of[nxt] - key.step_of[cands]
    score += np.where(np.abs(iv_out) <= span, table.logp[ctx[1], b, np.clip(iv_out + span, 0, 2 * span)], -12.0)
    leap_in, semis_out = np.abs(cands - prev) >= 5, nxt - cands
    score -= P_LEAP_ON * (leap_in & (np.sign(semis_out) == np.sign(cands - prev)) & (semis_out != 0))
    score -= P_LEAP_BIG * (leap_in & (np.abs(iv_out) > 2)) + P_LEAP_BIG * (np.abs(semis_out) > 7)
    score -= P_TRITONE * (np.abs(semis_out) == 6)
    if j + 2 < len(line):  # a leap into the next note must be left the other way
        after = line[j + 2].pitch - nxt
        score -= P_LEAP_ON * ((np.abs(semis_out) >= 5) & (np.sign(after) == np.sign(semis_out)) & (after != 0))
    score -= 0.5 * ((cands - note.pitch) / 4.0) ** 2  # a variation stays near the original
    return int(cands[_softmax_pick(score, rng)])
