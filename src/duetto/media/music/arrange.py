"""The band under the tune: bass lines, accompaniment patterns, pads, counter-lines and drums.

Each style has the patterns its players would reach for: a waltz's oom-pah-pah, a ballad's
broken chords, a folk guitar's strum, a march's root–fifth bass, a dance groove's four-on-the-
floor kick, a 古筝-like rolling arpeggio for pentatonic pieces. Patterns are written per bar in
beats and follow the chord under them, so every part agrees with the harmony.
"""

from __future__ import annotations

import numpy as np

from duetto.media.music.harmony import voice
from duetto.media.music.score import Note, Section
from duetto.media.music.theory import Chord, nearest, scale_pcs

# GM percussion keys
KICK, SNARE, HAT, OPEN_HAT, RIDE, CRASH, SIDE_STICK, TAMBOURINE, WOODBLOCK = 36, 38, 42, 46, 51, 49, 37, 54, 76


def gate(dur: float, articulation: float) -> float:
    """Sounding length of a note: staccato shortens it to as little as 45 %. Public because
    ``compose`` gates the melody with it, so the tune and its accompaniment share one touch."""
    return max(0.08, dur * (0.95 - 0.5 * articulation))


def bass_line(chords: list[Chord], style: str, bar_beats: float, metre: str, tonic: int, mode: str,
              rng: np.random.Generator, articulation: float, low: int = 33, high: int = 52) -> list[Note]:
    """Root on the downbeat; walking approach notes, root–fifth alternation or driving eighths
    by style; the line moves to the nearest root so it does not jump octaves at random."""
    out: list[Note] = []
    scale = scale_pcs(tonic, mode)
    prev = 40.0
    for i, c in enumerate(chords):
        root = nearest(prev, [c.bass_pc], low, high)
        fifth = nearest(root + 7, [(c.root + 7) % 12] if 7 in _ints(c) else [c.root], low, high)
        nxt = chords[i + 1] if i + 1 < len(chords) else None
        beats = c.dur
        if style == "dance":
            step = 0.5
            t = 0.0
            while t < beats - 1e-9:
                p = root if int(t * 2) % 4 != 3 else root + 12 if root + 12 <= high + 12 else root
                out.append(Note(c.start + t, p, gate(step, max(articulation, 0.5)), 96 if t % 1 == 0 else 80))
                t += step
        elif style in ("march", "waltz") or metre == "3/4":
            out.append(Note(c.start, root, gate(1.0, articulation), 92))
            if style == "march":
                for t in np.arange(1.0, beats - 1e-9, 1.0):
                    out.append(Note(c.start + float(t), fifth if int(t) % 2 else root, gate(1.0, articulation), 80))
        elif style in ("chorale", "ambient", "pentatonic"):
            out.append(Note(c.start, root, max(0.25, beats - 0.05), 84))
        else:  # ballad, folk: root, fifth, and a step toward the next root
            if beats >= 4:
                out.append(Note(c.start, root, gate(2.0, articulation * 0.5), 90))
                out.append(Note(c.start + 2.0, fifth, gate(1.0, articulation), 78))
                if nxt is not None:
                    target = nearest(root, [nxt.bass_pc], low, high)
                    approach = nearest(target + (-1 if target > root else 1) * 2, scale, low, high)
                    out.append(Note(c.start + 3.0, approach, gate(1.0, articulation), 76))
                else:
                    out.append(Note(c.start + 3.0, root, gate(1.0, articulation), 76))
            else:
                out.append(Note(c.start, root, gate(beats, articulation * 0.5), 88))
        prev = root
    return out


def _ints(c: Chord) -> set[int]:
    return {(p - c.root) % 12 for p in c.pcs}


def accompaniment(chords: list[Chord], style: str, bar_beats: float, metre: str, rng: np.random.Generator,
                  articulation: float, low: int = 50, high: int = 71) -> list[Note]:
    """Chords as the style plays them, voiced with minimal motion (see ``harmony.voice``)."""
    voicings = voice(chords, low, high, size=4 if style == "ballad" else 3)
    out: list[Note] = []
    for c, v in zip(chords, voicings, strict=True):
        beats = c.dur
        if style == "waltz" or (metre == "3/4" and style != "chorale"):
            for t in np.arange(1.0, beats - 1e-9, 1.0):  # oom (bass) pah pah
                out += [Note(c.start + float(t), p, gate(0.9, max(articulation, 0.4)), 64) for p in v]
        elif style == "march" or metre == "2/4":
            for t in np.arange(0.5, beats - 1e-9, 1.0):  # off-beat chords
                out += [Note(c.start + float(t), p, gate(0.5, max(articulation, 0.5)), 70) for p in v]
        elif style == "dance":
            for t in (0.5, 1.5, 2.5, 3.5):
                if t < beats:
                    out += [Note(c.start + t, p, gate(0.5, max(articulation, 0.5)), 68) for p in v]
        elif style == "folk":  # strum: down on 1, down-up on 2-and, 3, up on 4-and
            hits = [(0.0, 78), (1.0, 62), (1.5, 58), (2.0, 70), (3.0, 62), (3.5, 58)] if beats >= 4 else [(0.0, 78), (1.0, 62)]
            if metre == "6/8":
                hits = [(0.0, 78), (1.0, 60), (1.5, 72), (2.5, 60)]
            for t, vel in hits:
                if t < beats:
                    for k, p in enumerate(v):  # a strum spreads the notes a little
                        out.append(Note(c.start + t + 0.012 * k, p, gate(0.5, articulation), vel))
        elif style == "pentatonic":  # rolling arpeggio, low to high and back
            pattern = sorted(v) + [sorted(v)[-1] + 12 if sorted(v)[-1] + 12 <= high + 12 else sorted(v)[0]]
            step = 0.5
            seq = pattern + pattern[-2:0:-1]
            t, k = 0.0, 0
            while t < beats - 1e-9:
                out.append(Note(c.start + t, seq[k % len(seq)], 0.5, 58 if k % 4 else 68))
                t += step
                k += 1
        elif style in ("chorale", "ambient"):
            out += [Note(c.start, p, max(0.25, beats - 0.05), 62 if style == "chorale" else 52) for p in v]
        else:  # ballad: broken chord in eighths
            order = sorted(v)
            seq = [order[0], order[2 % len(order)], order[1], order[-1], order[2 % len(order)], order[1]]
            t, k = 0.0, 0
            while t < beats - 1e-9:
                out.append(Note(c.start + t, seq[k % len(seq)], gate(0.75, articulation * 0.5), 56 if k % 2 else 64))
                t += 0.5
                k += 1
    return out


def pad(chords: list[Chord], low: int = 48, high: int = 72) -> list[Note]:
    """Sustained chords under everything: strings or a synth pad, soft."""
    out: list[Note] = []
    for c, v in zip(chords, voice(chords, low, high), strict=True):
        out += [Note(c.start, p, max(0.25, c.dur - 0.02), 44) for p in v]
    return out


def counter_line(chords: list[Chord], melody: list[Note], low: int, high: int) -> list[Note]:
    """A slow second voice: the chord's third (or seventh) held under the tune, moving by the
    smallest step, resting where the melody is busiest so the two do not crowd each other."""
    out: list[Note] = []
    prev = (low + high) / 2
    for c in chords:
        ints = sorted(c.pcs, key=lambda pc: (pc - c.root) % 12)
        guide = [ints[1]] + ([ints[3]] if len(ints) > 3 else [])
        p = nearest(prev, guide, low, high)
        busy = sum(1 for n in melody if c.start <= n.start < c.start + c.dur)
        dur = c.dur if busy <= 4 else c.dur / 2
        out.append(Note(c.start + (0 if busy <= 4 else c.dur / 2), p, max(0.25, dur - 0.05), 58))
        prev = p
    return out


def drums(bars: int, bar_beats: float, metre: str, style: str, sections: list[Section], energy: float,
          rng: np.random.Generator) -> list[Note]:
    """A groove per style, a fill in the last bar of each section, a crash where sections start."""
    out: list[Note] = []
    starts = {s.start_bar for s in sections}
    ends = {s.start_bar + s.bars - 1 for s in sections}
    for b in range(bars):
        t0 = b * bar_beats
        if b in starts and b > 0:
            out.append(Note(t0, CRASH, 1.0, 90))
        if b in ends and b < bars - 1:
            out += _fill(t0, bar_beats, style)
            continue
        if style == "dance":
            for t in np.arange(0, bar_beats, 1.0):
                out.append(Note(t0 + float(t), KICK, 0.25, 110))
            for t in np.arange(1.0, bar_beats, 2.0):
                out.append(Note(t0 + float(t), SNARE, 0.25, 100))
            for t in np.arange(0.5, bar_beats, 1.0):
                out.append(Note(t0 + float(t), OPEN_HAT if energy > 0.75 else HAT, 0.25, 80))
        elif style == "march":
            out.append(Note(t0, KICK, 0.25, 100))
            for t in np.arange(0, bar_beats, 0.5):
                out.append(Note(t0 + float(t), SNARE, 0.25, 92 if float(t) % 1 == 0 else 64))
        elif metre == "3/4":
            out += [Note(t0, KICK, 0.25, 90), Note(t0 + 1, HAT, 0.25, 60), Note(t0 + 2, HAT, 0.25, 60)]
        elif metre == "6/8":
            out += [Note(t0, KICK, 0.25, 90), Note(t0 + 1.5, SIDE_STICK, 0.25, 72)]
            out += [Note(t0 + float(t), HAT, 0.25, 56) for t in np.arange(0, 3.0, 0.5)]
        else:  # folk / ballad backbeat, light
            out += [Note(t0, KICK, 0.25, 88), Note(t0 + 2, KICK, 0.25, 80) if bar_beats >= 4 else Note(t0 + 1, SNARE, 0.25, 76)]
            if bar_beats >= 4:
                out += [Note(t0 + 1, SIDE_STICK, 0.25, 70), Note(t0 + 3, SIDE_STICK, 0.25, 74)]
            out += [Note(t0 + float(t), HAT if style != "folk" else TAMBOURINE, 0.25, 54)
                    for t in np.arange(0.5 if style == "folk" else 0, bar_beats, 1.0 if style == "folk" else 0.5)]
    if bars > 1:  # land the last bar
        out.append(Note((bars - 1) * bar_beats, CRASH, 1.0, 96))
    return out


def _fill(t0: float, bar_beats: float, style: str) -> list[Note]:
    out = [Note(t0, KICK, 0.25, 96)]
    start = max(0.0, bar_beats - 2.0)
    for k, t in enumerate(np.arange(start, bar_beats, 0.25 if style in ("dance", "march") else 0.5)):
        out.append(Note(t0 + float(t), SNARE, 0.25, 70 + 4 * k))
    return out


def shape_dynamics(notes: list[Note], sections: list[Section], bar_beats: float, dynamics: float,
                   climax_label: str | None) -> list[Note]:
    """Velocities shaped like a performance: the overall level from ``dynamics``, a swell toward
    the middle of each 4-bar phrase, the contrasting section (B, chorus) a little louder, the
    last two bars easing off."""
    total_bars = max((s.start_bar + s.bars for s in sections), default=1)
    level = 0.7 + 0.6 * dynamics  # 0.7 (soft) .. 1.3 (loud)
    out = []
    for n in notes:
        bar = int(n.start // bar_beats)
        sec = next((s for s in sections if s.start_bar <= bar < s.start_bar + s.bars), None)
        lift = 1.1 if sec is not None and sec.label == climax_label else 1.0
        pos = (n.start / bar_beats) % 4 / 4
        swell = 1.0 + 0.08 * np.sin(np.pi * pos)
        fade = 0.85 if bar >= total_bars - 2 and total_bars > 4 else 1.0
        vel = int(round(n.vel * level * lift * swell * fade))
        out.append(Note(n.start, n.pitch, n.dur, min(127, max(12, vel))))
    return out
