"""MusicXML: the piece as a score a musician can read, edit in MuseScore and print.

One part per pitched track at concert pitch, its instrument from the General MIDI program; key
and time signature, a metronome mark, chord symbols over the top part and rehearsal marks at
the sections. The drum track is left out: kit notation needs a percussion staff and its own
spelling of the GM keys, and the MIDI keeps the groove.

Notation needs tidy durations: starts snap to the nearer of a sixteenth or an eighth-note
triplet grid, and articulation gaps and overlaps are written as plain note values (see
``_snapped``). Each bar is cut where any note starts or ends, and the pieces are tied (across bar
lines too), so chords and held notes under moving ones need no second voice. music21 writes
the XML; its date and generated ids are fixed so the same piece always gives the same bytes.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from music21 import (
    chord,
    clef,
    duration,
    expressions,
    harmony,
    instrument,
    key,
    metadata,
    meter,
    note,
    pitch,
    stream,
    tempo,
    tie,
)
from music21.exceptions21 import InstrumentException
from music21.musicxml.m21ToXml import GeneralObjectExporter

from duetto.errors import InvalidInput
from duetto.media.music.midi import key_signature
from duetto.media.music.score import Note, Piece, Track
from duetto.media.music.theory import CHORD_INTERVALS, Chord

GRIDS = (4, 3)  # subdivisions of a beat a note may start or end on: sixteenths, triplet eighths
SHARPS = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLATS = ("C", "D-", "D", "E-", "E", "F", "G-", "G", "A-", "A", "B-", "B")
NATURAL = ("C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B")  # no sharps or flats in the key
KINDS = {"maj": "major", "min": "minor", "dim": "diminished", "aug": "augmented", "sus2": "suspended-second",
         "sus4": "suspended-fourth", "7": "dominant-seventh", "maj7": "major-seventh", "m7": "minor-seventh",
         "5": "power", "m(no5)": "minor", "(no5)": "major"}  # a missing fifth is voicing, not harmony
BASS_CLEF_BELOW = 57  # a part whose mean pitch is below A3 reads in the bass clef


@dataclass(frozen=True)
class _Held:
    """A note snapped to the notation grid, in beats."""

    start: float
    end: float
    pitch: int


def to_musicxml(piece: Piece) -> bytes:
    """A score-partwise MusicXML document (UTF-8). Drums are left out (the MIDI has them)."""
    pitched = [t for t in piece.tracks if not t.drum and t.notes]
    if not pitched:
        raise InvalidInput("a score needs a pitched part; this piece has only drums or no notes")
    top = next((t for t in pitched if t.role == "melody"), pitched[0])
    order = [top] + [t for t in pitched if t is not top]
    sf, _ = key_signature(piece.tonic, piece.mode)
    names = SHARPS if sf > 0 else FLATS if sf < 0 else NATURAL
    last_start = max(n.start for t in pitched for n in t.notes)
    bars = max(piece.bars, math.floor(last_start / piece.bar_beats + 1e-9) + 1)
    score = stream.Score(id="duetto")
    score.metadata = metadata.Metadata(title=piece.title or "Untitled")
    for i, track in enumerate(order, start=1):
        part = _part(track, i, piece, bars, names, top=track is top)
        score.insert(0, part)
    xml = GeneralObjectExporter(score).parse()
    return _fixed(xml)


def _part(track: Track, index: int, piece: Piece, bars: int, names: tuple[str, ...], top: bool) -> stream.Part:
    part = stream.Part(id=f"P{index}")
    part.partName = track.name
    part.insert(0, _instrument(track, index))
    held = _snapped(track.notes, bars * piece.bar_beats, piece.bar_beats)
    mean = sum(n.pitch for n in track.notes) / len(track.notes)
    bar_beats = piece.bar_beats
    sung = {round(t, 3): w for t, w in track.lyrics.items()}
    for b in range(bars):
        m = stream.Measure(number=b + 1)
        if b == 0:
            m.insert(0, clef.BassClef() if mean < BASS_CLEF_BELOW else clef.TrebleClef())
            m.insert(0, _key(piece))
            m.insert(0, _metre(piece))
            if top:
                m.insert(0, _tempo(piece))
        for offset, element in _bar(held, b * bar_beats, (b + 1) * bar_beats, names, _divisions(piece)):
            word = sung.get(round(b * bar_beats + offset, 3))
            starts = element.tie is None or element.tie.type == "start"
            if word and isinstance(element, note.Note) and starts:
                element.lyric = word  # the syllable sung on this note
            m.insert(offset, element)
        part.append(m)
    if top:
        _mark_up(part, piece, names)
    return part


def _instrument(track: Track, index: int) -> instrument.Instrument:
    try:
        inst = instrument.instrumentFromMidiProgram(track.program)
    except InstrumentException:
        inst = instrument.Instrument()
        inst.midiProgram = track.program
    inst.partName = track.name
    inst.partAbbreviation = track.name if len(track.name) <= 16 else track.name[:15] + "…"  # later systems
    inst.partId = f"P{index}"  # else music21 makes a random one
    inst.instrumentId = f"P{index}-I1"
    inst.transposition = None  # a concert-pitch score: what is written is what sounds
    return inst


def _key(piece: Piece) -> key.KeySignature:
    sf, minor = key_signature(piece.tonic, piece.mode)
    ks = key.KeySignature(sf)
    return ks.asKey("minor" if minor else "major") if piece.mode in ("major", "minor") else ks


def _metre(piece: Piece) -> meter.TimeSignature:
    return meter.TimeSignature(f"{piece.metre[0]}/{piece.metre[1]}")


def _tempo(piece: Piece) -> tempo.MetronomeMark:
    """♩ = tempo; in compound metres (6/8, 9/8, 12/8) the beat is a dotted quarter."""
    num, den = piece.metre
    if den == 8 and num % 3 == 0 and num > 3:
        return tempo.MetronomeMark(number=round(piece.tempo / 1.5), referent=duration.Duration(1.5))
    return tempo.MetronomeMark(number=round(piece.tempo), referent=duration.Duration(1.0))


def _snap(beat: float) -> tuple[float, int]:
    """The nearer of the sixteenth and the triplet grid (the sixteenth wins a tie), and its grid."""
    _, _, snapped, grid = min((abs(round(beat * g) / g - beat), i, round(beat * g) / g, g) for i, g in enumerate(GRIDS))
    return snapped, grid


def _snapped(notes: list[Note], last: float, bar_beats: float) -> list[_Held]:
    """Notes as a musician would write them. Articulation is playing, not notation: a note
    that ends a little before the next onset in its part, or rings a little into it, is written
    up to that onset (staccato and legato eighths both read as eighths), at most half a beat and
    half the gap between onsets away (the last note: up to its bar line). A short note with a
    longer gap after it is written to the next eighth (an off-beat stab is an eighth and an
    eighth rest, not a sixteenth and a dotted rest). Other ends snap to their start's grid;
    nothing rings past the last bar line."""
    onsets = sorted({_snap(n.start)[0] for n in notes})
    out: dict[tuple[float, int], _Held] = {}
    for n in sorted(notes):
        start, grid = _snap(n.start)
        if start >= last:
            continue
        end = n.start + n.dur
        after = bisect.bisect_right(onsets, start + 1e-9)
        nxt = onsets[after] if after < len(onsets) else min(last, math.floor(start / bar_beats + 1) * bar_beats)
        if abs(end - nxt) <= min(0.5, 0.5 * (nxt - start)):
            end = nxt
        elif end < nxt and grid == 4:  # a short (staccato) note: written to the next eighth, a rest after
            end = min(nxt, last, math.ceil(end * 2 - 1e-9) / 2)
        else:
            end = min(last, round(end * grid) / grid)
        if end <= start:
            end = start + 1 / grid
        key = (start, n.pitch)
        if key not in out or out[key].end < end:  # a repeated note on one spot: keep the longest
            out[key] = _Held(start, end, n.pitch)
    return sorted(out.values(), key=lambda h: (h.start, h.pitch))


def _pitch(midi: int, names: tuple[str, ...]) -> pitch.Pitch:
    return pitch.Pitch(f"{names[midi % 12]}{midi // 12 - 1}")


def _divisions(piece: Piece) -> tuple[float, ...]:
    """Where inside a bar a note that started later must be cut and tied, so the beat stays
    visible: the middle of a 4/4 bar, each dotted-quarter beat of 6/8, 9/8 and 12/8."""
    num, den = piece.metre
    if den == 8 and num % 3 == 0 and num > 3:
        return tuple(1.5 * i for i in range(1, num // 3))
    return (2.0,) if (num, den) == (4, 4) else ()


def _bar(held: list[_Held], lo: float, hi: float, names: tuple[str, ...],
         divisions: tuple[float, ...] = ()) -> list[tuple[float, note.GeneralNote]]:
    """The bar [lo, hi) as (offset, note, chord or rest): cut wherever a note starts or ends,
    and at a division a note crosses when it did not start the bar; each piece is tied to the
    next when its note goes on."""
    inside = [h for h in held if h.start < hi and h.end > lo]
    cuts = sorted({lo, hi} | {t for h in inside for t in (h.start, h.end) if lo < t < hi})
    for d in (lo + d for d in divisions):
        if any(a != lo and a < d < b for a, b in zip(cuts, cuts[1:], strict=False)):
            cuts = sorted(set(cuts) | {d})
    out: list[tuple[float, note.GeneralNote]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        length = b - a
        sounding = [h for h in inside if h.start <= a + 1e-9 and h.end >= b - 1e-9]
        if not sounding:
            if out and isinstance(out[-1][1], note.Rest):
                out[-1][1].quarterLength += length
            else:
                out.append((a - lo, note.Rest(quarterLength=length)))
            continue
        notes = []
        for h in sorted(sounding, key=lambda h: h.pitch):
            n = note.Note(_pitch(h.pitch, names), quarterLength=length)
            before, after = h.start < a - 1e-9, h.end > b + 1e-9
            if before or after:
                n.tie = tie.Tie("continue" if before and after else "start" if after else "stop")
            notes.append(n)
        out.append((a - lo, notes[0] if len(notes) == 1 else chord.Chord(notes, quarterLength=length)))
    return out


def _mark_up(part: stream.Part, piece: Piece, names: tuple[str, ...]) -> None:
    """Chord symbols where the harmony changes, and a rehearsal mark at each section."""
    measures = list(part.getElementsByClass("Measure"))
    bar_beats = piece.bar_beats
    previous = None
    for c in sorted(piece.chords, key=lambda c: c.start):
        at = _snap(c.start)[0]
        bar = int(at / bar_beats + 1e-9)
        if bar >= len(measures) or c.symbol == previous:
            continue
        previous = c.symbol
        measures[bar].insert(at - bar * bar_beats, _symbol(c, names))
    for s in piece.sections:
        if 0 <= s.start_bar < len(measures):
            measures[s.start_bar].insert(0, expressions.RehearsalMark(s.label))


def _symbol(c: Chord, names: tuple[str, ...]) -> harmony.ChordSymbol:
    bass = names[c.bass] if c.bass is not None and c.bass != c.root else None
    cs = harmony.ChordSymbol(root=names[c.root], kind=_kind(c.quality), bass=bass)
    cs.quarterLength = 0  # a label over the staff, not a sounding note
    return cs


def _kind(quality: str) -> str:
    """MusicXML's chord kind; a quality it has no name for reads by its third."""
    if quality in KINDS:
        return KINDS[quality]
    intervals = CHORD_INTERVALS.get(quality, (0, 4, 7))
    return "minor" if 3 in intervals else "major" if 4 in intervals else "power"


def _fixed(xml: bytes) -> bytes:
    """The same piece, the same bytes: no encoding date; no "Music21" named as composer; and
    no explicit zero alteration in chord symbols (music21 marks a root outside the key signature
    natural, and engravers then print "C♮" where a lead sheet says "C")."""
    xml = re.sub(rb"\s*<encoding-date>[^<]*</encoding-date>", b"", xml)
    xml = re.sub(rb"\s*<(root|bass)-alter>0</(root|bass)-alter>", b"", xml)
    return re.sub(rb"\s*<creator type=\"composer\">Music21</creator>", b"", xml)
