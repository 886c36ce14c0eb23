"""Busier or sparser, on the tune that is there: "更多音符" splits long notes into two (the
second a passing step towards the next note), "sparser" folds weak-beat notes into the note
before. The tune's shape, its downbeats and its touch stay, so a listener hears the same tune
with more or fewer notes rather than a new one (revise keeps what the person liked).
"""

from __future__ import annotations

import math
from dataclasses import replace

from duetto.media.music.score import Note, Piece
from duetto.media.music.theory import scale_pcs

RATE = 1.8  # melody notes scale by exp(RATE * change of the plan's density): +0.2 is ~43 % more
MIN_SPLIT = 0.5  # beats: a note is split only when each half is at least an eighth note


def respace(piece: Piece, old: float, new: float) -> Piece:
    """The piece with its tune made busier (``new`` > ``old``) or sparser. A sung tune keeps one
    note per syllable, so a song is returned unchanged."""
    out = piece.copy()
    tune = out.track("melody") or next((t for t in out.tracks if not t.drum and t.notes), None)
    if tune is None or tune.lyrics or abs(new - old) < 1e-6 or not tune.notes:
        return out
    notes = sorted(tune.notes)
    target = max(1, round(len(notes) * math.exp(RATE * (new - old))))
    notes = _split(notes, target, piece) if target > len(notes) else _fold(notes, target, piece.bar_beats)
    out.tracks = [replace(t, notes=notes) if t is tune else t for t in out.tracks]
    return out


def _gaps(notes: list[Note], end: float) -> list[float]:
    return [(notes[k + 1].start if k + 1 < len(notes) else end) - n.start for k, n in enumerate(notes)]


def _split(notes: list[Note], target: int, piece: Piece) -> list[Note]:
    """Split the longest notes (never the last one, the cadence) until there are ``target``."""
    scale = sorted(set(scale_pcs(piece.tonic, piece.mode)))
    for _ in range(4):  # long notes split once per round, so a whole note can become four
        gaps = _gaps(notes, piece.beats)
        order = sorted((k for k in range(len(notes) - 1) if gaps[k] >= 2 * MIN_SPLIT - 1e-9),
                       key=lambda k: (-gaps[k], notes[k].start))
        chosen = set(order[:target - len(notes)])
        if not chosen:
            break
        out: list[Note] = []
        for k, n in enumerate(notes):
            if k not in chosen:
                out.append(n)
                continue
            half = gaps[k] / 2
            touch = min(1.0, n.dur / gaps[k])
            nxt = notes[k + 1].pitch
            out.append(replace(n, dur=round(half * touch, 4)))
            out.append(Note(n.start + half, _step_towards(n.pitch, nxt, scale), round(half * touch, 4),
                            max(12, n.vel - 4)))
        notes = out
        if len(notes) >= target:
            break
    return notes


def _step_towards(pitch: int, goal: int, scale: list[int]) -> int:
    """The scale note next to ``pitch`` in the direction of ``goal`` (up when they are equal)."""
    up = goal >= pitch
    for d in range(1, 4):
        p = pitch + d if up else pitch - d
        if p % 12 in scale:
            return p
    return pitch


def _weight(start: float, bar_beats: float) -> int:
    """How strong a position is: 3 the downbeat, 2 a beat, 1 an eighth, 0 finer."""
    pos = start % bar_beats
    if abs(pos) < 1e-6:
        return 3
    if abs(pos - round(pos)) < 1e-6:
        return 2
    return 1 if abs(pos * 2 - round(pos * 2)) < 1e-6 else 0


def _fold(notes: list[Note], target: int, bar_beats: float) -> list[Note]:
    """Drop the weakest-placed notes (never the first or last, nor two in a row); the note
    before each sounds on through the gap with its own touch."""
    order = sorted(range(1, len(notes) - 1), key=lambda k: (_weight(notes[k].start, bar_beats), notes[k].start))
    drop: set[int] = set()
    for k in order:
        if len(notes) - len(drop) <= target:
            break
        if k - 1 in drop or k + 1 in drop or _weight(notes[k].start, bar_beats) == 3:
            continue
        drop.add(k)
    end = notes[-1].start + notes[-1].dur
    gaps = _gaps(notes, end)
    out: list[Note] = []
    for k, n in enumerate(notes):
        if k in drop:
            continue
        if k + 1 in drop:
            touch = min(1.0, n.dur / gaps[k]) if gaps[k] > 0 else 1.0
            n = replace(n, dur=round((gaps[k] + gaps[k + 1]) * touch, 4))
        out.append(n)
    return out
