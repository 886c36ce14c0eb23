"""The piece in memory: notes in beats, tracks, chords and sections.

Everything downstream (MIDI, MusicXML, audio, pictures, evaluation) reads a ``Piece``; every
operation (continue, vary, reharmonise) returns a new one. Times are in quarter-note beats from
the start, so a 6/8 bar is 3 beats long; the tempo is quarter notes per minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from duetto.media.music.theory import Chord


@dataclass(frozen=True, order=True)
class Note:
    start: float  # beats
    pitch: int  # MIDI 0..127 (drums: GM percussion key)
    dur: float  # beats
    vel: int = 80  # 1..127


@dataclass
class Track:
    name: str
    program: int  # General MIDI program 0..127 (ignored for drums)
    role: str  # "melody", "counter", "bass", "chords", "pad", "drums"
    notes: list[Note] = field(default_factory=list)
    drum: bool = False
    volume: int = 100  # channel volume (CC 7)
    pan: int = 64  # CC 10
    lyrics: dict[float, str] = field(default_factory=dict)  # note start (beats) -> the syllable sung there


@dataclass(frozen=True)
class Section:
    label: str  # "A", "B", "verse", "chorus", "intro", "outro"
    start_bar: int  # 0-based
    bars: int


@dataclass
class Piece:
    tempo: float  # quarter notes per minute
    metre: tuple[int, int]  # (numerator, denominator)
    tonic: int  # pitch class 0..11
    mode: str  # a key of theory.MODES
    bars: int
    tracks: list[Track] = field(default_factory=list)
    chords: list[Chord] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    title: str = ""

    @property
    def bar_beats(self) -> float:
        num, den = self.metre
        return num * 4.0 / den

    @property
    def beats(self) -> float:
        return self.bars * self.bar_beats

    @property
    def seconds(self) -> float:
        return self.beats * 60.0 / self.tempo

    def track(self, role: str) -> Track | None:
        return next((t for t in self.tracks if t.role == role), None)

    def chord_at(self, beat: float) -> Chord | None:
        for c in self.chords:
            if c.start <= beat < c.start + c.dur:
                return c
        return None

    def copy(self) -> Piece:
        return replace(self, tracks=[replace(t, notes=list(t.notes), lyrics=dict(t.lyrics)) for t in self.tracks],
                       chords=list(self.chords), sections=list(self.sections))
