"""Chord progressions by style and mood, reharmonisation, and voice leading.

Progressions are written as phrases of scale degrees (0 = tonic) with a cadence at the end, the
way a songwriter thinks of them (I–vi–IV–V, i–VI–III–VII); a section strings phrases together
and its last phrase closes on the tonic. Voicings move as little as possible from chord to
chord, which is most of what makes block chords sound played rather than pasted.
"""

from __future__ import annotations

import numpy as np

from duetto.media.music.theory import MODES, Chord, diatonic_chord

# Four-bar phrases in scale degrees. "open" phrases end on V (a half cadence: the tune goes on),
# "close" ones on I.
MAJOR_OPEN = [(0, 5, 3, 4), (0, 3, 0, 4), (0, 4, 5, 4), (5, 3, 0, 4), (0, 1, 3, 4), (3, 0, 1, 4)]
MAJOR_CLOSE = [(0, 3, 4, 0), (0, 5, 1, 4, 0), (3, 4, 0, 0), (5, 3, 4, 0), (0, 1, 4, 0), (3, 0, 4, 0)]
MINOR_OPEN = [(0, 5, 2, 6), (0, 3, 0, 4), (0, 6, 5, 4), (0, 5, 3, 4), (3, 0, 5, 4)]
MINOR_CLOSE = [(0, 3, 4, 0), (0, 5, 6, 0), (5, 3, 4, 0), (0, 6, 5, 4, 0), (3, 6, 2, 0)]
# B sections start away from home: IV or vi in major, III or VI in minor.
MAJOR_AWAY = [(3, 4, 0, 5), (5, 2, 3, 4), (3, 0, 3, 4), (1, 4, 0, 5)]
MINOR_AWAY = [(2, 6, 0, 4), (5, 2, 3, 4), (3, 6, 2, 4), (5, 6, 2, 4)]
# Pentatonic phrases: degrees of the five-note mode (0 home, 3/4 the "fifth-like" notes).
PENTA_OPEN = [(0, 3, 4, 3), (0, 2, 3, 3), (0, 4, 2, 3), (0, 0, 3, 3)]
PENTA_CLOSE = [(0, 3, 4, 0), (4, 3, 2, 0), (0, 2, 3, 0), (3, 4, 3, 0)]
PENTA_AWAY = [(3, 4, 3, 2), (4, 3, 4, 3), (2, 3, 4, 3), (3, 2, 4, 3)]

# How strongly one chord (by degree) wants to go to the next: common-practice function
# (predominant → dominant → tonic). Used to score reharmonisations.
FUNCTION = {0: "T", 2: "T", 5: "T", 1: "P", 3: "P", 4: "D", 6: "D"}
MOVES = {("T", "T"): 0.4, ("T", "P"): 1.0, ("T", "D"): 0.8, ("P", "P"): 0.5, ("P", "D"): 1.0, ("P", "T"): 0.5,
         ("D", "T"): 1.0, ("D", "D"): 0.3, ("D", "P"): 0.1}


def phrase_bank(mode: str, kind: str) -> list[tuple[int, ...]]:
    """Degree phrases for a mode: ``kind`` is "open", "close" or "away"."""
    if len(MODES[mode]) == 5:
        return {"open": PENTA_OPEN, "close": PENTA_CLOSE, "away": PENTA_AWAY}[kind]
    minorish = 3 in MODES[mode] and 4 not in MODES[mode]
    if minorish:
        return {"open": MINOR_OPEN, "close": MINOR_CLOSE, "away": MINOR_AWAY}[kind]
    return {"open": MAJOR_OPEN, "close": MAJOR_CLOSE, "away": MAJOR_AWAY}[kind]


def chord_of(tonic: int, mode: str, degree: int, start: float, dur: float, *, seventh: bool = False,
             cadence: bool = False) -> Chord:
    """The chord on ``degree``; in minor the dominant at a cadence gets its raised leading tone
    (harmonic minor), because a minor v–i sounds unfinished to most ears."""
    root, quality = diatonic_chord(tonic, mode, degree, seventh=seventh)
    if mode == "minor" and degree == 4 and cadence:
        quality = "7" if seventh else "maj"
    return Chord(root=root, quality=quality, start=start, dur=dur)


def progression(tonic: int, mode: str, bars: int, bar_beats: float, start: float, kind: str,
                rng: np.random.Generator, *, per_bar: int = 1, sevenths: float = 0.0) -> list[Chord]:
    """Chords for ``bars`` bars starting at beat ``start``: 4-bar phrases from the bank, the last
    one closing when ``kind`` is "close". ``per_bar`` 2 doubles the harmonic rhythm (chorales),
    0.5 halves it (ambient: one chord every two bars)."""
    chords: list[Chord] = []
    n_phrases = max(1, bars // 4)
    for p in range(n_phrases):
        last = p == n_phrases - 1
        which = "close" if (last and kind == "close") else ("away" if p == 0 and kind == "away" else "open")
        if not last and kind == "close":
            which = "open"
        bank = phrase_bank(mode, which)
        degrees = bank[int(rng.integers(len(bank)))]
        phrase_bars = 4 if not last else bars - 4 * (n_phrases - 1)
        chords += _lay_out(tonic, mode, degrees, phrase_bars, bar_beats, start + 4 * p * bar_beats, per_bar,
                           sevenths, rng)
    return chords


def _lay_out(tonic: int, mode: str, degrees: tuple[int, ...], bars: int, bar_beats: float, start: float,
             per_bar: float, sevenths: float, rng: np.random.Generator) -> list[Chord]:
    """Spread a degree phrase over ``bars`` bars: five-chord phrases put two chords in the
    penultimate bar; a faster harmonic rhythm adds passing chords between the phrase's own."""
    slots: list[tuple[int, float, float]] = []  # (degree, start, dur)
    if len(degrees) == 5 and bars >= 4:
        degs = list(degrees)
        spans = [1.0] * (len(degs) - 3) + [0.5, 0.5, 1.0]
        total = sum(spans)
        spans = [s * bars / total for s in spans]
    else:
        degs = [degrees[min(len(degrees) - 1, int(i * len(degrees) / bars))] for i in range(bars)]
        spans = [1.0] * bars
    t = start
    for k, (d, span) in enumerate(zip(degs, spans, strict=True)):
        dur = span * bar_beats
        if per_bar >= 2 and dur >= bar_beats and k < len(degs) - 2:  # chorale: a second chord per bar, not at the cadence
            half = dur / 2
            second = _neighbour(d, mode, rng)
            slots += [(d, t, half), (second, t + half, half)]
        else:
            slots.append((d, t, dur))
        t += dur
    if per_bar < 1:  # one chord per two bars: merge pairs
        merged: list[tuple[int, float, float]] = []
        for i in range(0, len(slots), 2):
            d, s, du = slots[i]
            extra = slots[i + 1][2] if i + 1 < len(slots) else 0.0
            merged.append((d, s, du + extra))
        slots = merged
    out = []
    for i, (d, s, du) in enumerate(slots):
        cadence = i >= len(slots) - 2
        seventh = len(MODES[mode]) == 7 and rng.random() < sevenths and d in (1, 3, 4, 5)
        out.append(chord_of(tonic, mode, d, s, du, seventh=seventh, cadence=cadence))
    return out


def _neighbour(degree: int, mode: str, rng: np.random.Generator) -> int:
    """A chord that can sit between ``degree`` and the next in a chorale: its third-relation or
    a predominant."""
    n = len(MODES[mode])
    options = [(degree + 2) % n, (degree + 5) % n, (degree + 3) % n]
    return options[int(rng.integers(len(options)))]


def reharmonise(melody: list[tuple[float, int, float]], old: list[Chord], tonic: int, mode: str,
                rng: np.random.Generator, *, change: float = 0.7) -> list[Chord]:
    """New chords under the same melody: for each chord span, every diatonic chord that holds
    the melody's strong notes is a candidate, and a small dynamic programme picks the path with
    the best functional moves, rewarding difference from the old chords by ``change``.

    ``melody`` is (start, pitch, dur) triples."""
    n = len(MODES[mode])
    degrees = list(range(n))
    cands: list[list[tuple[int, float]]] = []  # per span: (degree, fit score)
    for c in old:
        weights = np.zeros(12)
        for s, p, d in melody:
            overlap = min(s + d, c.start + c.dur) - max(s, c.start)
            if overlap > 0:
                strong = 1.5 if abs((s - c.start) % 1.0) < 1e-6 else 1.0
                weights[p % 12] += overlap * strong
        total = weights.sum() or 1.0
        row = []
        old_root = c.root
        for d in degrees:
            root, quality = diatonic_chord(tonic, mode, d)
            pcs = Chord(root, quality, 0, 1).pcs
            fit = sum(weights[pc] for pc in pcs) / total
            novelty = change * (0.0 if root == old_root else 0.35)
            row.append((d, fit + novelty + 0.05 * rng.random()))
        cands.append(row)
    # Viterbi over degrees: fit + function move score; first and last spans stay on the tonic
    # when the old ones were (a reharmonisation still begins and ends at home).
    k = len(old)
    score = np.full((k, n), -1e9)
    back = np.zeros((k, n), dtype=int)
    for d, f in cands[0]:
        score[0, d] = f + (1.0 if d == 0 else 0.0)
    for i in range(1, k):
        for d, f in cands[i]:
            moves = [score[i - 1, e] + 0.6 * MOVES[(FUNCTION.get(e, "T"), FUNCTION.get(d, "T"))]
                     - (0.5 if e == d else 0.0) for e in degrees]
            best = int(np.argmax(moves))
            score[i, d] = moves[best] + f
            back[i, d] = best
    last_row = score[k - 1].copy()
    if old and old[-1].root == tonic:
        last_row[[d for d in degrees if d != 0]] -= 10.0
    path = [int(np.argmax(last_row))]
    for i in range(k - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    path.reverse()
    return [chord_of(tonic, mode, d, c.start, c.dur, cadence=(i >= k - 2)) for i, (d, c) in enumerate(zip(path, old, strict=True))]


def voice(chords: list[Chord], low: int = 52, high: int = 76, size: int = 3) -> list[list[int]]:
    """Close voicings for each chord that move as little as possible from the one before.

    Every inversion (and octave placement) of the chord within [low, high] is a candidate; the
    first chord sits near the middle of the range; later chords minimise total semitone motion,
    which keeps common tones and moves the rest by step."""
    out: list[list[int]] = []
    prev: list[int] | None = None
    centre = (low + high) / 2
    for c in chords:
        pcs = list(c.pcs)[:4] if size >= 4 else list(c.pcs)[:3]
        cands = []
        for base in range(low, high - 6):
            if base % 12 not in pcs:
                continue
            voicing = [base]
            for pc in pcs[pcs.index(base % 12) + 1:] + pcs[: pcs.index(base % 12)]:
                nxt = voicing[-1] + ((pc - voicing[-1]) % 12 or 12)
                voicing.append(nxt)
            if voicing[-1] <= high:
                cands.append(voicing)
        if not cands:
            cands = [[low + ((pc - low) % 12) for pc in pcs]]
        if prev is None:
            best = min(cands, key=lambda v: abs(sum(v) / len(v) - centre))
        else:
            best = min(cands, key=lambda v: _motion(prev, v) + 0.02 * abs(sum(v) / len(v) - centre))
        out.append(best)
        prev = best
    return out


def _motion(a: list[int], b: list[int]) -> float:
    """Semitones moved between two voicings, pairing voices from the bottom."""
    m = min(len(a), len(b))
    return float(sum(abs(x - y) for x, y in zip(sorted(a)[:m], sorted(b)[:m], strict=True)))
