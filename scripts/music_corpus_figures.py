"""Reference figures for ``duetto show``: evaluate reference music from music21's own corpus.

Converts Bach chorales (4 voices, soprano = melody), Essen folk songs (Chinese ``han`` and
German collections: melody only) and the Nottingham tunes (melody + chord symbols) into
``Piece``s, evaluates each with ``duetto.media.music.evaluate`` and writes means and 10-90 %
ranges to ``src/duetto/media/music/data/corpus-figures.json``.

Everything is read from the corpus that ships inside the music21 wheel (offline). Run:

    .venv/bin/python scripts/music_corpus_figures.py [--per-group 40]

Same corpus, same output (files and tunes are taken in sorted order, no randomness).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

from music21 import chord as m21chord
from music21 import corpus, harmony, meter, stream, tempo

from duetto.media.music.analyse import estimate_key
from duetto.media.music.evaluate import MusicReport, corpus_figures, evaluate
from duetto.media.music.score import Note, Piece, Track
from duetto.media.music.theory import Chord

OUT = Path(__file__).resolve().parents[1] / "src/duetto/media/music/data/corpus-figures.json"
CORPUS = Path(corpus.__file__).parent
DEFAULT_TEMPO = {"chorales": 76.0, "essen-han": 96.0, "essen-german": 108.0, "nottingham": 112.0}
ESSEN_GERMAN = ("erk5", "erk10", "erk20", "kinder0", "altdeu10", "boehme10", "fink0")

# music21 chord-symbol kinds → theory.CHORD_INTERVALS qualities (others: skipped).
KINDS = {"major": "maj", "minor": "min", "diminished": "dim", "augmented": "aug",
         "dominant-seventh": "7", "major-seventh": "maj7", "minor-seventh": "m7",
         "suspended-fourth": "sus4", "suspended-second": "sus2", "power": "5"}


def _pickup(part: stream.Stream) -> float:
    """Beats missing from an opening pickup bar, so that bar lines fall on multiples of a bar."""
    measures = part.getElementsByClass(stream.Measure)
    return float(measures[0].paddingLeft) if measures else 0.0


def _notes(part: stream.Stream, shift: float) -> list[Note]:
    out: list[Note] = []
    for el in part.stripTies().flatten().notes:
        if isinstance(el, harmony.ChordSymbol) or el.duration.quarterLength <= 0:
            continue  # chord symbols are labels, grace notes have no length
        start, dur = float(el.offset) + shift, float(el.duration.quarterLength)
        pitches = el.pitches if isinstance(el, m21chord.Chord) else (el.pitch,)
        out.extend(Note(start=start, pitch=int(p.midi), dur=dur) for p in pitches)
    return out


def _chords(part: stream.Stream, shift: float, end: float) -> list[Chord]:
    marks = [(float(cs.offset) + shift, cs) for cs in part.flatten().getElementsByClass(harmony.ChordSymbol)]
    out: list[Chord] = []
    for i, (start, cs) in enumerate(marks):
        quality = KINDS.get(cs.chordKind)
        if quality is None or cs.root() is None:
            continue
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        bass = cs.bass().pitchClass if cs.bass() is not None else None
        out.append(Chord(root=cs.root().pitchClass, quality=quality, start=start, dur=max(0.0, stop - start),
                         bass=bass if bass != cs.root().pitchClass else None))
    return out


def piece_from_music21(score: stream.Score, default_tempo: float, title: str = "") -> Piece | None:
    """One music21 score → Piece: a track per part, the soprano (else the top part) as melody,
    chord symbols as chords, key read by ``estimate_key``. None for scores without a metre."""
    parts = list(score.parts) or [score]
    ts = next(iter(score.flatten().getElementsByClass(meter.TimeSignature)), None)
    if ts is None:
        return None
    metre = (int(ts.numerator), int(ts.denominator))
    bar_beats = metre[0] * 4.0 / metre[1]
    mm = next(iter(score.flatten().getElementsByClass(tempo.MetronomeMark)), None)
    bpm = float(mm.getQuarterBPM()) if mm is not None and mm.getQuarterBPM() else default_tempo
    shift = _pickup(parts[0])
    names = [(p.partName or "").lower() for p in parts]
    top = names.index("soprano") if "soprano" in names else 0
    tracks: list[Track] = []
    for i, part in enumerate(parts):
        notes = _notes(part, shift)
        if notes:
            role = "melody" if i == top else "bass" if i == len(parts) - 1 else "counter"
            tracks.append(Track(name=part.partName or f"part {i}", program=0, role=role, notes=notes))
    if not any(t.role == "melody" for t in tracks):
        return None
    end = max(n.start + n.dur for t in tracks for n in t.notes)
    bars = max(1, math.ceil(end / bar_beats - 1e-6))
    tonic, mode, _ = estimate_key([n for t in tracks for n in t.notes])
    chords = _chords(parts[top], shift, bars * bar_beats)
    return Piece(tempo=bpm, metre=metre, tonic=tonic, mode=mode, bars=bars, tracks=tracks, chords=chords,
                 title=title)


def chorales(n: int) -> list[tuple[str, stream.Score]]:
    out = []
    for path in sorted((CORPUS / "bach").glob("bwv*.mxl")):
        score = corpus.parse(f"bach/{path.stem}")
        if len(score.parts) == 4:  # plain SATB settings, not those with obbligato instruments
            out.append((f"bach/{path.stem}", score))
        if len(out) >= n:
            break
    return out


def abc_tunes(files: list[str], n: int) -> list[tuple[str, stream.Score]]:
    """The first tunes of some ABC opus files, spread evenly over the files."""
    out: list[tuple[str, stream.Score]] = []
    per_file = max(1, math.ceil(n / len(files)))
    for name in files:
        text = (CORPUS / f"{name}.abc").read_text(encoding="latin-1")
        numbers = [int(line[2:].strip()) for line in text.splitlines() if line.startswith("X:")]
        for number in numbers[:per_file]:
            score = corpus.parse(name, number=number)
            if isinstance(score, stream.Score):
                out.append((f"{name}#{number}", score))
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-group", type=int, default=40, help="pieces per group (chorales get 1.5x)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.perf_counter()
    groups = {
        "chorales": chorales(int(args.per_group * 1.5)),
        "essen-han": abc_tunes(["essenFolksong/han1", "essenFolksong/han2"], args.per_group),
        "essen-german": abc_tunes([f"essenFolksong/{f}" for f in ESSEN_GERMAN], args.per_group),
        "nottingham": abc_tunes(["nottingham-dataset/reelsa-c"], args.per_group),
    }
    reports: dict[str, list[MusicReport]] = {}
    for group, scores in groups.items():
        for name, score in scores:
            piece = piece_from_music21(score, DEFAULT_TEMPO[group], title=name)
            if piece is not None:
                reports.setdefault(group, []).append(evaluate(piece))
    everything = [r for rs in reports.values() for r in rs]
    result: dict[str, Any] = corpus_figures(everything)
    result["groups"] = {g: corpus_figures(rs) for g, rs in reports.items()}
    result["source"] = ("music21 10.5.1 bundled corpus (BSD software; corpus encodings distributed "
                        "with the encoders' permission, see music21/corpus/license.txt)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(everything)} pieces in {time.perf_counter() - t0:.1f} s → {args.out}")
    for name, fig in result["figures"].items():
        print(f"  {name:20s} mean {fig['mean']:.3f}  10-90% {fig['p10']:.3f}-{fig['p90']:.3f}  (n={fig['n']})")


if __name__ == "__main__":
    main()
