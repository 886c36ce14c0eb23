"""What a listener hears change in a piece, measured from its MIDI bytes (see ``studio.felt``).

"更欢快一些" is a promise about the next piece: faster *and* brighter, busier, louder. Each
feature here is read off the notes alone (a human's imported file works the same), with the
just-noticeable difference (``jnd``) a listener would hear:

* ``tempo`` in quarter notes per minute; ~4-5 % is the tempo JND, 6 bpm at a typical 120-146.
* ``density``: melody notes per beat; ``legato``: how much of each gap to the next melody note
  sounds (1 legato .. ~0.3 staccato); ``register``: mean melody pitch in semitones.
* ``velocity``: mean melody velocity (the tune is what the ear follows; measuring the band too
  would read "add strings" as a change of loudness).
* ``major``: share of the major-side scale degrees (3, 6, 7) against the minor-side ones
  (♭3, ♭6, ♭7) above the estimated tonic (``analyse.estimate_key``), duration-weighted.
* ``parts``: instruments that play (non-empty tracks).
* ``valence`` and ``arousal``: the two axes of felt mood, as music psychology predicts them
  from these cues (Gabrielsson & Lindström 2010): valence rises with major mode, tempo, a
  higher register, loudness and detached notes; arousal with tempo, busyness, loudness and
  detached notes. "Happier" and "calmer" are judged on these, so a major piece can still get
  happier (faster, higher, brighter touch) and a calm one calmer.
"""

from __future__ import annotations

import numpy as np

from duetto.media.music.analyse import estimate_key, pc_histogram
from duetto.media.music.score import Note, Piece, Track
from duetto.studio.felt import Family, Feature

FEATURES: dict[str, Feature] = {f.name: f for f in (
    Feature(name="tempo", jnd=6.0, what="quarter notes per minute"),
    Feature(name="density", jnd=0.12, what="melody notes per beat"),
    Feature(name="velocity", jnd=6.0, what="mean melody velocity (1..127)"),
    Feature(name="major", jnd=0.25, what="major-side share of the mode's 3rd, 6th and 7th degrees"),
    Feature(name="legato", jnd=0.08, what="mean sounding share of each melody note's gap to the next"),
    Feature(name="register", jnd=2.0, what="mean melody pitch (MIDI semitones)"),
    Feature(name="parts", jnd=1.0, what="instruments that play"),
    Feature(name="valence", jnd=0.3, what="felt brightness: mode, tempo, register, loudness, touch"),
    Feature(name="arousal", jnd=0.3, what="felt energy: tempo, busyness, loudness, touch"),
)}

_CUES = ("tempo", "density", "velocity", "legato", "register", "valence", "arousal")
FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family(name="tempo", feature="tempo", allowed=("valence", "arousal")),
    Family(name="mood", feature="valence", allowed=(*_CUES, "major")),
    Family(name="energy", feature="arousal", allowed=_CUES),
    Family(name="band", feature="parts"),
    Family(name="density", feature="density", allowed=("arousal", "legato")),
    Family(name="articulation", feature="legato", allowed=("valence", "arousal")),
    Family(name="loudness", feature="velocity", allowed=("valence", "arousal")),
)}

BASES: list[dict] = [
    {"brief": "an upbeat waltz for strings", "params": {"audio": "none", "score": False, "roll": False}},
    {"brief": "秋夜的思念，钢琴独奏", "params": {"audio": "none", "score": False, "roll": False}},
    {"brief": "a gentle ballad for piano and strings", "params": {"audio": "none", "score": False, "roll": False}},
]
"""The works the benchmark revises: a quick major waltz, a slow minor solo, a mid ballad."""


def features(data: bytes) -> dict[str, float]:
    """Every feature of a MIDI file (see the module docstring)."""
    from duetto.media.music.midi import read_midi

    return measure(read_midi(data, "felt.mid").piece)


def measure(piece: Piece) -> dict[str, float]:
    """The features of a piece in memory (``features`` reads the bytes first)."""
    tune = _melody(piece)
    notes = sorted(tune.notes) if tune else []
    pitched = [n for t in piece.tracks if not t.drum for n in t.notes]
    beats = max(piece.beats, max((n.start + n.dur for n in notes), default=0.0), 1e-9)
    out = {
        "tempo": float(piece.tempo),
        "density": len(notes) / beats,
        "velocity": float(np.mean([n.vel for n in notes])) if notes else 0.0,
        "major": major_share(pitched),
        "legato": legato(notes),
        "register": float(np.mean([n.pitch for n in notes])) if notes else 0.0,
        "parts": float(sum(1 for t in piece.tracks if t.notes)),
    }
    out["valence"] = (out["major"] + (out["tempo"] - 100) / 60 + (out["register"] - 66) / 12
                      + (out["velocity"] - 80) / 40 + (1 - out["legato"]) / 2)
    out["arousal"] = ((out["tempo"] - 100) / 50 + out["density"] + (out["velocity"] - 80) / 30
                      + (1 - out["legato"]) / 2)
    return {k: round(v, 4) for k, v in out.items()}


def _melody(piece: Piece) -> Track | None:
    return piece.track("melody") or next((t for t in piece.tracks if not t.drum and t.notes), None)


def major_share(notes: list[Note]) -> float:
    """Weight on the major 3rd, 6th and 7th above the tonic over that and the minor ones."""
    if not notes:
        return 0.5
    tonic = estimate_key(notes, pentatonic=False)[0]
    hist = pc_histogram(notes)
    major = sum(hist[(tonic + d) % 12] for d in (4, 9, 11))
    minor = sum(hist[(tonic + d) % 12] for d in (3, 8, 10))
    return major / (major + minor) if major + minor > 0 else 0.5


def legato(notes: list[Note]) -> float:
    """Mean of duration / gap to the next onset (capped at 1) over the melody's notes."""
    ratios = [min(1.0, a.dur / (b.start - a.start)) for a, b in zip(notes, notes[1:], strict=False)
              if b.start - a.start > 1e-6]
    return float(np.mean(ratios)) if ratios else 1.0
