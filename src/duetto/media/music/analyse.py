"""Listening to notes: which key a passage is in and which chord each bar sounds.

Evaluation, reharmonisation and the melody model's training data all need to read a key and
chords back out of plain notes, so these estimators are small, deterministic and explainable:

* key: the Krumhansl–Kessler probe-tone profiles correlated with a duration-weighted
  pitch-class histogram (the Krumhansl–Schmuckler algorithm). When nearly all of the weight lies
  on the five notes of one pentatonic collection, the piece is read as one of the Chinese modes
  (宫商角徵羽) instead, its home note chosen by profile and by the final bass note (结音).
* chords: template matching per bar (or half bar), weighted by duration and by the bass.

Callers must leave drum notes out: their "pitches" are GM percussion keys, not notes, and would
pull every estimate towards the kick drum's C and the snare's D.
"""

from __future__ import annotations

from collections.abc import Iterable

from duetto.media.music.score import Note
from duetto.media.music.theory import CHORD_INTERVALS, MODES, PENTATONIC, Chord

# Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)

PENTATONIC_SHARE = 0.95  # this much of the weight on one pentatonic set reads as a Chinese mode
PENTATONIC_PRESENT = 0.03  # ...and each of its five notes must carry at least this share
FINAL_NOTE_BONUS = 0.15  # 结音: the last bass note is strong evidence of a mode's home note

# Chord templates the estimator tries, with a prior: plain triads are the likeliest reading, so
# a passing note does not turn C into Cmaj7.
CHORD_PRIORS: dict[str, float] = {"maj": 0.0, "min": 0.0, "dim": -0.08, "aug": -0.15, "sus4": -0.1,
                                  "sus2": -0.12, "7": -0.06, "maj7": -0.08, "m7": -0.06}
NON_CHORD_PENALTY = 0.6  # weight of a note outside the chord counts this much against it
ROOT_BONUS = 0.1  # sounding the root matters more than sounding the fifth
BASS_WEIGHT = 1.0  # the lowest note counts again, this share of the span, for its pitch class
BASS_ROOT_BONUS = 0.1


def pc_histogram(notes: Iterable[Note], start: float | None = None, end: float | None = None) -> list[float]:
    """Duration-weighted pitch classes, optionally of the part of each note inside [start, end)."""
    hist = [0.0] * 12
    for n in notes:
        lo, hi = n.start, n.start + n.dur
        if start is not None:
            lo = max(lo, start)
        if end is not None:
            hi = min(hi, end)
        if hi > lo:
            hist[n.pitch % 12] += hi - lo
    return hist


def _correlation(a: list[float], b: tuple[float, ...] | list[float]) -> float:
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    da = [x - ma for x in a]
    db = [y - mb for y in b]
    num = sum(x * y for x, y in zip(da, db, strict=False))
    den = (sum(x * x for x in da) * sum(y * y for y in db)) ** 0.5
    return num / den if den else 0.0


def _rotated(profile: tuple[float, ...], tonic: int) -> list[float]:
    """The profile for a key on ``tonic``: pitch class pc gets the rating of degree pc - tonic."""
    return [profile[(pc - tonic) % 12] for pc in range(12)]


def _final_bass_pc(notes: list[Note]) -> int | None:
    """The lowest of the notes sounding at the very end: where a tune comes to rest."""
    if not notes:
        return None
    end = max(n.start + n.dur for n in notes)
    last = [n for n in notes if n.start + n.dur >= end - 1e-6] or notes
    latest = max(n.start for n in last)
    return min(n.pitch for n in last if n.start >= latest - 1.0) % 12


def _pentatonic(hist: list[float], final_pc: int | None) -> tuple[int, str, float] | None:
    """(tonic, Chinese mode, score) when the music lives on one pentatonic collection, else None."""
    total = sum(hist)
    for gong in range(12):
        pcs = [(gong + s) % 12 for s in MODES["gong"]]
        if sum(hist[p] for p in pcs) < PENTATONIC_SHARE * total:
            continue
        if any(hist[p] < PENTATONIC_PRESENT * total for p in pcs):
            continue  # three or four notes fit many collections: not evidence of one
        best: tuple[float, int, str] | None = None
        for mode in PENTATONIC:
            tonic = (gong + _mode_offset(mode)) % 12
            profile = [0.5] * 12
            for s in MODES[mode]:
                profile[(tonic + s) % 12] = 3.0
            profile[tonic] = 6.0
            if 7 in MODES[mode]:
                profile[(tonic + 7) % 12] = 4.5
            score = _correlation(hist, profile) + (FINAL_NOTE_BONUS if final_pc == tonic else 0.0)
            if best is None or score > best[0]:
                best = (score, tonic, mode)
        assert best is not None
        return best[1], best[2], round(best[0], 4)
    return None


def _mode_offset(mode: str) -> int:
    """How far a pentatonic mode's home note lies above its 宫 (gong): 徵 (zhi) is a fifth."""
    return {"gong": 0, "shang": 2, "jue": 4, "zhi": 7, "yu": 9}[mode]


def estimate_key(notes: list[Note], pentatonic: bool = True) -> tuple[int, str, float]:
    """(tonic pitch class, mode, score) of some pitched notes.

    The mode is "major" or "minor", or with ``pentatonic`` one of gong/shang/jue/zhi/yu when at
    least 95 % of the weight lies on one pentatonic collection with all five notes present. The
    score is the profile correlation (-1..1, plus the final-note bonus for pentatonic modes).
    Leave drum notes out. No notes at all read as C major with score 0.
    """
    hist = pc_histogram(notes)
    if sum(hist) <= 0:
        return 0, "major", 0.0
    if pentatonic:
        found = _pentatonic(hist, _final_bass_pc(notes))
        if found is not None:
            return found
    best = (0, "major", -2.0)
    for tonic in range(12):
        for mode, profile in (("major", MAJOR_PROFILE), ("minor", MINOR_PROFILE)):
            r = _correlation(hist, _rotated(profile, tonic))
            if r > best[2] + 1e-9:
                best = (tonic, mode, r)
    return best[0], best[1], round(best[2], 4)


def _best_chord(hist: list[float], bass_pc: int | None, start: float, dur: float) -> Chord:
    total = sum(hist)
    best: tuple[float, int, str] = (-1e9, 0, "maj")
    for root in range(12):
        for quality, prior in CHORD_PRIORS.items():
            pcs = {(root + i) % 12 for i in CHORD_INTERVALS[quality]}
            inside = sum(hist[p] for p in pcs)
            score = (inside - NON_CHORD_PENALTY * (total - inside) + ROOT_BONUS * hist[root]) / total + prior
            if bass_pc == root:
                score += BASS_ROOT_BONUS
            if score > best[0] + 1e-9:
                best = (score, root, quality)
    _, root, quality = best
    pcs = {(root + i) % 12 for i in CHORD_INTERVALS[quality]}
    bass = bass_pc if bass_pc is not None and bass_pc != root and bass_pc in pcs else None
    return Chord(root=root, quality=quality, start=start, dur=dur, bass=bass)


def estimate_chords(notes: list[Note], bar_beats: float, bars: int, per_bar: int = 1) -> list[Chord]:
    """One chord per bar (``per_bar=2``: per half bar) by template matching.

    Each span's pitch classes are weighted by how long they sound inside it; the lowest note
    counts once more, so C/E reads as C with E in the bass rather than as Em. A span with no
    notes repeats the chord before it (the first chord found fills any silent opening). Leave
    drum notes out. No notes at all: an empty list.
    """
    if per_bar < 1:
        raise ValueError(f"per_bar must be at least 1, not {per_bar}")
    span = bar_beats / per_bar
    found: list[Chord | None] = []
    for i in range(bars * per_bar):
        start, end = i * span, (i + 1) * span
        hist = pc_histogram(notes, start, end)
        if sum(hist) <= 0:
            found.append(None)
            continue
        sounding = [n for n in notes if n.start < end and n.start + n.dur > start]
        bass_pc = min(n.pitch for n in sounding) % 12
        hist[bass_pc] += BASS_WEIGHT * span
        found.append(_best_chord(hist, bass_pc, start, span))
    first = next((c for c in found if c is not None), None)
    if first is None:
        return []
    chords: list[Chord] = []
    prev = first
    for i, c in enumerate(found):
        if c is None:
            c = Chord(root=prev.root, quality=prev.quality, start=i * span, dur=span, bass=prev.bass)
        chords.append(c)
        prev = c
    return chords
