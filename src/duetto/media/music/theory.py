"""Scales, modes and chords as pitch-class arithmetic: the music theory every part shares.

Pitch classes are 0..11 with C = 0. A mode is a list of semitone steps above its tonic; the
five Chinese pentatonic modes (宫商角徵羽) are rotations of one pentatonic scale, so a piece in
徵 (zhi) mode on G uses the notes of C 宫 with G as its home.
"""

from __future__ import annotations

from dataclasses import dataclass

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),  # natural minor; cadences raise the 7th (harmonic minor)
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    # Chinese pentatonic modes: rotations of 宫 (do re mi sol la)
    "gong": (0, 2, 4, 7, 9),   # 宫
    "shang": (0, 2, 5, 7, 10),  # 商
    "jue": (0, 3, 5, 8, 10),   # 角
    "zhi": (0, 2, 5, 7, 9),    # 徵
    "yu": (0, 3, 5, 7, 10),    # 羽
}
PENTATONIC = ("gong", "shang", "jue", "zhi", "yu")
MODE_NAMES_ZH = {"major": "大调", "minor": "小调", "dorian": "多利亚", "mixolydian": "混合利底亚",
                 "lydian": "利底亚", "phrygian": "弗里几亚", "gong": "宫调", "shang": "商调",
                 "jue": "角调", "zhi": "徵调", "yu": "羽调"}

CHORD_INTERVALS: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7), "min": (0, 3, 7), "dim": (0, 3, 6), "aug": (0, 4, 8),
    "sus2": (0, 2, 7), "sus4": (0, 5, 7), "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10), "5": (0, 7), "m(no5)": (0, 3), "(no5)": (0, 4),
}


def is_major_like(mode: str) -> bool:
    """Bright modes: a major third above the tonic."""
    return 4 in MODES[mode]


def scale_pcs(tonic: int, mode: str) -> list[int]:
    return [(tonic + s) % 12 for s in MODES[mode]]


def key_name(tonic: int, mode: str) -> str:
    """"D minor", "G zhi (徵)"."""
    names = SHARP_NAMES if mode in ("major", "lydian", "mixolydian") and tonic in (7, 2, 9, 4, 11, 6) else NOTE_NAMES
    label = f"{names[tonic % 12]} {mode}"
    return f"{label} ({MODE_NAMES_ZH[mode]})" if mode in PENTATONIC else label


@dataclass(frozen=True)
class Chord:
    """A chord over a span of beats: root pitch class, quality, optional bass (inversions)."""

    root: int
    quality: str
    start: float  # beats from the piece's start
    dur: float
    bass: int | None = None

    @property
    def pcs(self) -> tuple[int, ...]:
        return tuple((self.root + i) % 12 for i in CHORD_INTERVALS[self.quality])

    @property
    def bass_pc(self) -> int:
        return self.root if self.bass is None else self.bass

    @property
    def symbol(self) -> str:
        """"Am", "G7", "C/E"."""
        q = {"maj": "", "min": "m", "dim": "dim", "aug": "+", "sus2": "sus2", "sus4": "sus4", "7": "7",
             "maj7": "maj7", "m7": "m7", "5": "5", "m(no5)": "m(no5)", "(no5)": "(no5)"}[self.quality]
        s = NOTE_NAMES[self.root] + q
        return s + ("/" + NOTE_NAMES[self.bass] if self.bass is not None and self.bass != self.root else "")


def diatonic_chord(tonic: int, mode: str, degree: int, seventh: bool = False) -> tuple[int, str]:
    """(root pc, quality) of the triad on scale degree ``degree`` (0-based) of a heptatonic mode;
    pentatonic modes stack the scale's own notes (giving sus/open chords, which is idiomatic)."""
    steps = MODES[mode]
    n = len(steps)
    root = steps[degree % n]
    third = (steps[(degree + 2) % n] - root) % 12
    fifth = (steps[(degree + 4) % n] - root) % 12 if n == 7 else (steps[(degree + 3) % n] - root) % 12
    if n == 5:  # pentatonic: prefer a plain triad when the scale has one, else an open sus chord
        pcs = {(s - root) % 12 for s in steps}
        if 7 in pcs:
            quality = "maj" if 4 in pcs else "min" if 3 in pcs else "sus2" if 2 in pcs else "sus4" if 5 in pcs else "5"
        else:  # the 角 note has no fifth in its own scale: a bare third is what the mode offers
            quality = "m(no5)" if 3 in pcs else "(no5)"
        return (tonic + root) % 12, quality
    quality = {(4, 7): "maj", (3, 7): "min", (3, 6): "dim", (4, 8): "aug"}.get((third, fifth), "5")
    if seventh:
        sev = (steps[(degree + 6) % n] - root) % 12
        quality = {("maj", 10): "7", ("maj", 11): "maj7", ("min", 10): "m7"}.get((quality, sev), quality)
    return (tonic + root) % 12, quality


def nearest(pitch: float, pcs: list[int] | tuple[int, ...], lo: int = 0, hi: int = 127) -> int:
    """The MIDI pitch in ``pcs`` nearest ``pitch`` within [lo, hi] (ties go down)."""
    best, dist = lo, 1e9
    for p in range(max(0, lo), min(127, hi) + 1):
        if p % 12 in pcs and abs(p - pitch) < dist:
            best, dist = p, abs(p - pitch)
    return best
