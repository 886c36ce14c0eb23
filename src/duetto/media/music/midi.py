"""MIDI in and out: the version's main file, and the door for a person's own music.

``to_midi`` writes a type-1 file any DAW opens: a conductor track (tempo, metre, key signature,
section markers) and one track per part, each on its own channel (drums on channel 10). What
MIDI cannot say - the mode (G 徵 is not "C major"), the chords, the sections' labels, each part's
role - travels in one text event starting ``duetto:``, so duetto's own files read back exactly.

A file without that event (a person's) is read sensibly instead: one part per channel and
program, tempo and metre from the first events that give them, roles, key and chords guessed,
and every guess or repair said in words in ``MidiReading.notes``.
"""

from __future__ import annotations

import io
import json
import math
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mido
from mido.midifiles.meta import KeySignatureError

from duetto.errors import InvalidInput
from duetto.media.music.analyse import estimate_chords, estimate_key
from duetto.media.music.score import Note, Piece, Section, Track
from duetto.media.music.theory import CHORD_INTERVALS, MODES, Chord, key_name

TICKS = 480  # per quarter note
MARK = "duetto:"
DRUM_CHANNEL = 9  # channel 10 as people count
MAX_BYTES = 5_000_000
MAX_NOTES = 200_000
MAX_SECONDS = 30 * 60
TEMPO_RANGE = (40.0, 208.0)
PLACEHOLDER_TITLES = {"master track", "untitled", "tempo", "conductor", "sequence", "track 1", "new track"}
MONOPHONIC = 0.8  # a part is a single line when at least this share of its notes overlap nothing
BASS_BELOW = 60  # ...and the bass when its mean pitch lies below middle C

GM_FAMILIES = ("piano", "chromatic percussion", "organ", "guitar", "bass", "strings", "ensemble", "brass",
               "reed", "pipe", "synth lead", "synth pad", "synth effects", "ethnic", "percussive",
               "sound effects")

# Key signatures as sharps (+) or flats (-): the major key on each pitch class, and how far each
# mode's home lies above the major scale whose notes it uses (D dorian is written like C major).
MAJOR_SF = (0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5)
PARENT_OFFSET = {"major": 0, "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7,
                 "gong": 0, "shang": 2, "jue": 4, "zhi": 7, "yu": 9}
MAJOR_KEYS = ("Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#")
MINOR_KEYS = ("Abm", "Ebm", "Bbm", "Fm", "Cm", "Gm", "Dm", "Am", "Em", "Bm", "F#m", "C#m", "G#m", "D#m", "A#m")


@dataclass
class MidiReading:
    """A MIDI file as duetto reads it: the piece, and in words what was guessed or repaired."""

    piece: Piece
    notes: list[str] = field(default_factory=list)
    ours: bool = False  # it carries duetto's own data and was read back exactly
    repairs: list[str] = field(default_factory=list)  # changes to what the file says (also in notes)


def gm_family(program: int) -> str:
    """"piano", "strings", ...: the General MIDI family of a program 0..127."""
    return GM_FAMILIES[(program // 8) % 16]


def key_signature(tonic: int, mode: str) -> tuple[int, bool]:
    """(sharps > 0 or flats < 0, minor?) to write for a key. Minor is written as minor; the
    church modes and the pentatonic modes take the signature of the major scale (the 宫 key)
    whose notes they use, so G 徵 shows no sharps or flats, as in Chinese notation."""
    if mode == "minor":
        sf = MAJOR_SF[(tonic + 3) % 12]
        return (-6 if sf == 6 else sf), True  # E-flat minor rather than D-sharp minor
    return MAJOR_SF[(tonic - PARENT_OFFSET[mode]) % 12], False


# -- writing -------------------------------------------------------------------------------------


def to_midi(piece: Piece) -> bytes:
    """Type-1 MIDI at 480 ticks a beat; the same piece always gives the same bytes."""
    channels = _channels(piece.tracks)
    end = max([_tick(piece.beats)] + [_tick(n.start + n.dur) for t in piece.tracks for n in t.notes])
    mid = mido.MidiFile(type=1, ticks_per_beat=TICKS, charset="utf-8")
    mid.tracks.append(_timed(_conductor(piece), end))
    for track, channel in zip(piece.tracks, channels, strict=False):
        mid.tracks.append(_timed(_part(track, channel), end))
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def _tick(beats: float) -> int:
    return int(round(beats * TICKS))


def _channels(tracks: list[Track]) -> list[int]:
    """Drums share channel 10; every other part gets a channel of its own, skipping 10. A
    bigger band (an imported orchestra) shares channels between parts on the same program."""
    free = [c for c in range(16) if c != DRUM_CHANNEL]
    pitched = [t for t in tracks if not t.drum]
    if len(pitched) <= len(free):
        it = iter(free)
        return [DRUM_CHANNEL if t.drum else next(it) for t in tracks]
    programs = list(dict.fromkeys(t.program for t in pitched))
    if len(programs) > len(free):
        raise InvalidInput(f"MIDI has room for {len(free)} instruments besides drums; this piece has "
                           f"{len(programs)}", hint="merge or drop some parts")
    return [DRUM_CHANNEL if t.drum else free[programs.index(t.program)] for t in tracks]


def _num(x: float) -> int | float:
    """4.0 → 4 in the JSON, to keep the event short; read back as float."""
    return int(x) if float(x).is_integer() else float(x)


def _meta(piece: Piece) -> str:
    data = {
        "v": 1, "title": piece.title, "tonic": piece.tonic, "mode": piece.mode, "tempo": _num(piece.tempo),
        "bars": piece.bars,
        "chords": [[c.root, c.quality, _num(c.start), _num(c.dur), c.bass] for c in piece.chords],
        "sections": [[s.label, s.start_bar, s.bars] for s in piece.sections],
        "tracks": [[t.role, t.name, t.program, int(t.drum)] for t in piece.tracks],
    }
    sung = [[i, _num(t0), w] for i, t in enumerate(piece.tracks) for t0, w in sorted(t.lyrics.items())]
    if sung:  # only songs carry the key, so files without words stay byte-identical
        data["lyrics"] = sung
    return MARK + json.dumps(data, ensure_ascii=True, separators=(",", ":"))  # ASCII: safe in any charset


def _conductor(piece: Piece) -> list[tuple[int, int, int, mido.MetaMessage]]:
    num, den = piece.metre
    if den & (den - 1) or not 1 <= den <= 64 or not 1 <= num <= 255:
        raise InvalidInput(f"{num}/{den} cannot be written as a MIDI time signature")
    sf, minor = key_signature(piece.tonic, piece.mode)
    compound = den == 8 and num % 3 == 0 and num > 3
    events = [mido.MetaMessage("track_name", name=piece.title)] if piece.title else []
    events += [
        mido.MetaMessage("text", text=_meta(piece)),
        mido.MetaMessage("time_signature", numerator=num, denominator=den,
                         clocks_per_click=36 if compound else 24 * 4 // den, notated_32nd_notes_per_beat=8),
        mido.MetaMessage("key_signature", key=(MINOR_KEYS if minor else MAJOR_KEYS)[sf + 7]),
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(piece.tempo)),
    ]
    timed = [(0, 0, 0, m) for m in events]
    for s in piece.sections:
        timed.append((_tick(s.start_bar * piece.bar_beats), 0, 0, mido.MetaMessage("marker", text=s.label)))
    return timed


def _part(track: Track, channel: int) -> list[tuple[int, int, int, Any]]:
    setup: list[Any] = [mido.MetaMessage("track_name", name=track.name)]
    if not track.drum:  # a program change on channel 10 would pick a drum kit, not an instrument
        setup.append(mido.Message("program_change", channel=channel, program=_checked(track.program, track, "program")))
    setup += [mido.Message("control_change", channel=channel, control=7, value=_checked(track.volume, track, "volume")),
              mido.Message("control_change", channel=channel, control=10, value=_checked(track.pan, track, "pan"))]
    timed: list[tuple[int, int, int, Any]] = [(0, 0, 0, m) for m in setup]
    for t0, word in sorted(track.lyrics.items()):  # lyric events too, for other programs' karaoke views
        timed.append((_tick(t0), 0, 0, mido.MetaMessage("lyrics", text=word)))
    for n in track.notes:
        if n.start < 0:
            raise InvalidInput(f"a note in {track.name!r} starts before the piece ({n.start} beats)")
        pitch = _checked(n.pitch, track, "pitch")
        vel = min(127, max(1, int(n.vel)))  # loudness shaping may overshoot; 0 would mean note-off
        on = _tick(n.start)
        off = max(on + 1, _tick(n.start + n.dur))
        timed.append((on, 2, pitch, mido.Message("note_on", channel=channel, note=pitch, velocity=vel)))
        timed.append((off, 1, pitch, mido.Message("note_off", channel=channel, note=pitch, velocity=0)))
    return timed


def _checked(value: int, track: Track, what: str) -> int:
    if not 0 <= value <= 127:
        raise InvalidInput(f"{what} {value} in {track.name!r} is outside MIDI's 0..127")
    return int(value)


def _timed(events: list[tuple[int, int, int, Any]], end: int) -> mido.MidiTrack:
    """Absolute ticks → delta times. At one tick: set-up, then note-offs, then note-ons, so a
    repeated note is released before it sounds again; ties break by pitch, then by order."""
    track = mido.MidiTrack()
    now = 0
    order = sorted(range(len(events)), key=lambda i: (events[i][0], events[i][1], events[i][2], i))
    for i in order:
        tick, _, _, msg = events[i]
        track.append(msg.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=max(0, end - now)))
    return track


# -- reading -------------------------------------------------------------------------------------


def from_midi(data: bytes, name: str = "upload.mid") -> Piece:
    """The strict reading: the piece, or an error when the file had to be changed to fit (a
    tempo outside 40..208, notes never released). ``read_midi`` repairs those and says so."""
    reading = read_midi(data, name)
    if reading.repairs:
        raise InvalidInput(f"{name}: {reading.repairs[0]}", hint="read_midi repairs this and says so")
    return reading.piece


def read_midi(data: bytes, name: str = "upload.mid") -> MidiReading:
    """Any MIDI file as a piece: duetto's own exactly, anyone else's with its guesses listed."""
    mid, tidied = _parse(data, name)
    heard = _Heard.of(mid, name)
    if not heard.notes:
        raise InvalidInput(f"{name} has no notes", hint="export the MIDI with its note tracks")
    seconds = heard.seconds(max(n.end for n in heard.notes))
    if seconds > MAX_SECONDS:
        raise InvalidInput(f"{name} lasts {seconds / 60:.0f} minutes; MIDI imports are limited to "
                           f"{MAX_SECONDS // 60}")
    if heard.meta is None:
        reading = _theirs(heard, mid, name)
    else:
        try:
            reading = _ours(heard, mid)
        except (KeyError, TypeError, ValueError, IndexError) as e:
            reading = _theirs(heard, mid, name)
            reading.notes[0] = f"its duetto data is damaged ({e}): the parts' roles, the key and the chords are guesses"
    reading.notes[:0] = tidied
    return reading


def _parse(data: bytes, name: str) -> tuple[mido.MidiFile, list[str]]:
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{name} is {len(data):,} bytes; MIDI files are limited to {MAX_BYTES:,}")
    if data[:4] == b"RIFF" and data[8:12] == b"RMID":  # RIFF-wrapped MIDI (.rmi): the 'data' chunk is the file
        at = data.find(b"MThd", 12)
        data = data[at:] if at >= 0 else data
    if data[:4] != b"MThd":
        raise InvalidInput(f"{name} is not a MIDI file", hint="a MIDI file starts with 'MThd'; export .mid from "
                           "your DAW or notation program")
    if len(data) < 14:
        raise InvalidInput(f"{name} is truncated: it ends inside the MIDI header")
    division = int.from_bytes(data[12:14], "big")
    if division & 0x8000:
        raise InvalidInput(f"{name} counts time in SMPTE frames, not beats; duetto reads beat-based MIDI",
                           hint="re-export it with a tempo (PPQ) time base")
    if division == 0:
        raise InvalidInput(f"{name} is corrupt: its header gives zero ticks per beat")
    data, tidied = _tracks_only(data, name)
    try:
        mid = mido.MidiFile(file=io.BytesIO(data), charset="latin1")
    except EOFError:
        raise InvalidInput(f"{name} is truncated: it ends in the middle of a track") from None
    except (OSError, ValueError, KeyError, IndexError, KeySignatureError) as e:
        raise InvalidInput(f"{name} is corrupt: {e}") from None
    if mid.type == 2:
        raise InvalidInput(f"{name} is a type-2 MIDI file (independent patterns), which duetto cannot play "
                           "as one piece", hint="save it as type 0 or 1")
    return mid, tidied


def _tracks_only(data: bytes, name: str) -> tuple[bytes, list[str]]:
    """The file rebuilt from its complete track chunks, so that common sloppiness (a wrong
    track count, vendor chunks, padding at the end) does not stop it; a track cut short does."""
    size = int.from_bytes(data[4:8], "big")
    declared = int.from_bytes(data[10:12], "big")
    at, tracks, skipped = 8 + size, [], 0
    while at + 8 <= len(data) and len(tracks) < declared:
        kind, length = data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "big")
        if at + 8 + length > len(data):
            if kind == b"MTrk":
                raise InvalidInput(f"{name} is truncated: track {len(tracks) + 1} is cut short")
            break
        if kind == b"MTrk":
            tracks.append(data[at:at + 8 + length])
        else:
            skipped += 1
        at += 8 + length
    if not tracks:
        raise InvalidInput(f"{name} is truncated: it has no complete track")
    notes = [f"the header promises {declared} tracks; the file holds {len(tracks)}"] if len(tracks) < declared else []
    notes += [f"{skipped} chunks that are not tracks were skipped"] if skipped else []
    header = b"MThd" + (6).to_bytes(4, "big") + data[8:10] + len(tracks).to_bytes(2, "big") + data[12:14]
    return header + b"".join(tracks), notes


def _text(s: str) -> str:
    """Names were read as Latin-1, which never fails; most files (ours too) write UTF-8, and
    many Chinese ones GBK and Japanese ones Shift-JIS, so those are tried first. The two are told
    apart by their lead bytes: common hanzi in GBK start at 0xB0, kana in Shift-JIS at 0x81-0x83.
    Control characters (NUL padding) are dropped."""
    raw = s.encode("latin1", errors="replace")
    high = [b for b in raw if b >= 0x80]
    japanese = bool(high) and sum(0x81 <= b <= 0xA0 for b in high) > 0.25 * len(high)
    for charset in ("utf-8", "shift_jis" if japanese else "gb18030", "latin1"):
        try:
            s = raw.decode(charset)
            break
        except UnicodeDecodeError:
            continue
    return "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in s).strip()


@dataclass(frozen=True)
class _Sounded:
    """One note as the file plays it, in ticks, with where it came from."""

    track: int
    channel: int
    program: int
    start: int
    end: int
    pitch: int
    vel: int


@dataclass
class _Heard:
    """Everything a pass over the file collects, before deciding how to read it."""

    tpb: int
    notes: list[_Sounded] = field(default_factory=list)
    tempos: list[tuple[int, int]] = field(default_factory=list)  # (tick, microseconds per beat)
    metres: list[tuple[int, tuple[int, int]]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    markers: list[tuple[int, str]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # MIDI track → its name
    controls: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (track, channel, cc) → first value
    channels: dict[int, int] = field(default_factory=dict)  # MIDI track → the first channel it uses
    meta: dict[str, Any] | None = None
    unreleased: int = 0

    @classmethod
    def of(cls, mid: mido.MidiFile, name: str) -> _Heard:
        heard = cls(tpb=mid.ticks_per_beat)
        events: list[tuple[int, int, int, Any]] = []
        for ti, track in enumerate(mid.tracks):
            tick = 0
            for seq, msg in enumerate(track):
                tick += msg.time
                events.append((tick, ti, seq, msg))
        events.sort(key=lambda e: (e[0], e[1], e[2]))  # channel state (programs) is shared by all tracks
        program = [0] * 16
        sounding: dict[tuple[int, int], deque[tuple[int, int, int, int]]] = {}
        last = events[-1][0] if events else 0
        for tick, ti, _, msg in events:
            kind = msg.type
            if not msg.is_meta and hasattr(msg, "channel"):
                heard.channels.setdefault(ti, msg.channel)
            if kind == "note_on" and msg.velocity > 0:
                sounding.setdefault((msg.channel, msg.note), deque()).append((tick, msg.velocity, ti, program[msg.channel]))
            elif kind in ("note_off", "note_on"):
                queue = sounding.get((msg.channel, msg.note))
                if queue:  # first in, first out: overlapping repeats release in the order they began
                    start, vel, tj, prog = queue.popleft()
                    heard._add(_Sounded(tj, msg.channel, prog, start, tick, msg.note, vel), name)
            elif kind == "program_change":
                program[msg.channel] = msg.program
            elif kind == "control_change" and msg.control in (7, 10):
                heard.controls.setdefault((ti, msg.channel, msg.control), msg.value)
            elif kind == "set_tempo":
                heard.tempos.append((tick, msg.tempo))
            elif kind == "time_signature":
                heard.metres.append((tick, (msg.numerator, msg.denominator)))
            elif kind == "key_signature":
                heard.keys.append(msg.key)
            elif kind == "marker" and _text(msg.text):
                heard.markers.append((tick, _text(msg.text)))
            elif kind == "track_name" and ti not in heard.names:
                heard.names[ti] = _text(msg.name)
            elif kind == "text" and heard.meta is None and msg.text.startswith(MARK):
                try:
                    heard.meta = json.loads(msg.text[len(MARK):])
                except ValueError:
                    heard.meta = {}  # present but damaged: _ours falls back with a note
        for (channel, pitch), queue in sorted(sounding.items()):
            for start, vel, tj, prog in queue:  # never released: they ring to the end of the file
                heard.unreleased += 1
                heard._add(_Sounded(tj, channel, prog, start, max(last, start + 1), pitch, vel), name)
        heard.notes.sort(key=lambda n: (n.start, n.track, n.channel, n.pitch, n.end))
        return heard

    def _add(self, note: _Sounded, name: str) -> None:
        if len(self.notes) >= MAX_NOTES:
            raise InvalidInput(f"{name} has more than {MAX_NOTES:,} notes; that is more than duetto imports")
        self.notes.append(note)

    def seconds(self, tick: int) -> float:
        """Playing time up to ``tick``, following every tempo change."""
        total, at, tempo = 0.0, 0, 500_000
        for t, us in sorted(self.tempos):
            if t >= tick:
                break
            total += (t - at) * tempo / self.tpb / 1e6
            at, tempo = t, us
        return total + (tick - at) * tempo / self.tpb / 1e6

    def control(self, ti: int, channel: int, cc: int, default: int) -> int:
        """A part's volume or pan: set in its own MIDI track, else anywhere on its channel."""
        if (ti, channel, cc) in self.controls:
            return self.controls[(ti, channel, cc)]
        return next((v for (_, ch, c), v in sorted(self.controls.items()) if ch == channel and c == cc), default)

    def beats(self, tick: int) -> float:
        return tick / self.tpb

    def note(self, n: _Sounded) -> Note:
        return Note(start=self.beats(n.start), pitch=n.pitch, dur=self.beats(max(1, n.end - n.start)), vel=n.vel)

    def first_metre(self) -> tuple[int, int] | None:
        return min(self.metres)[1] if self.metres else None


def _ours(heard: _Heard, mid: mido.MidiFile) -> MidiReading:
    """A file duetto wrote: everything comes back as it went out."""
    meta = heard.meta
    if not isinstance(meta, dict) or meta.get("v") != 1:
        raise ValueError("not a version-1 duetto record")
    parts = meta["tracks"]
    if len(parts) != len(mid.tracks) - 1:
        raise ValueError(f"it describes {len(parts)} parts but the file has {len(mid.tracks) - 1}")
    mode = str(meta["mode"])
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if not 1.0 <= float(meta["tempo"]) <= 1000.0 or int(meta["bars"]) < 1:
        raise ValueError(f"tempo {meta['tempo']!r} or bars {meta['bars']!r} out of range")
    tracks = []
    for ti, (role, name, program, drum) in enumerate(parts, start=1):
        mine = [n for n in heard.notes if n.track == ti]
        channel = heard.channels.get(ti, DRUM_CHANNEL if drum else -1)
        tracks.append(Track(name=str(name), program=int(program), role=str(role),
                            notes=sorted(heard.note(n) for n in mine), drum=bool(drum),
                            volume=heard.controls.get((ti, channel, 7), 100),
                            pan=heard.controls.get((ti, channel, 10), 64)))  # per track: drum parts share channel 10
    chords = []
    for root, quality, start, dur, bass in meta["chords"]:
        if quality not in CHORD_INTERVALS:
            raise ValueError(f"unknown chord quality {quality!r}")
        chords.append(Chord(root=int(root), quality=str(quality), start=float(start), dur=float(dur),
                            bass=None if bass is None else int(bass)))
    for i, t0, word in meta.get("lyrics", []):
        if not 0 <= int(i) < len(tracks):
            raise ValueError(f"lyrics for part {i}, which is not there")
        tracks[int(i)].lyrics[float(t0)] = str(word)
    piece = Piece(tempo=float(meta["tempo"]), metre=heard.first_metre() or (4, 4), tonic=int(meta["tonic"]) % 12,
                  mode=mode, bars=int(meta["bars"]), tracks=tracks, chords=chords,
                  sections=[Section(label=str(label), start_bar=int(s), bars=int(b)) for label, s, b in meta["sections"]],
                  title=str(meta["title"]))
    notes = []  # a last chord may ring past the final bar line: the stored length stands
    if any(n.track == 0 for n in heard.notes):
        notes.append("notes in the conductor track were left out")
    return MidiReading(piece=piece, notes=notes, ours=True)


def _theirs(heard: _Heard, mid: mido.MidiFile, name: str) -> MidiReading:
    """Someone else's file: read what it says, guess the rest, and say which is which."""
    notes = ["no duetto data in the file: the parts' roles, the key and the chords are guesses"]
    repairs: list[str] = []
    tempo = 120.0
    if heard.tempos:
        tempo = round(mido.tempo2bpm(min(heard.tempos)[1]), 2)
        if len({us for _, us in heard.tempos}) > 1:
            notes.append(f"the file changes tempo{_times(len(heard.tempos) - 1)}; duetto keeps the first ({tempo:g} bpm)")
    else:
        notes.append("no tempo in the file: read as 120 bpm")
    lo, hi = TEMPO_RANGE
    if not lo <= tempo <= hi:
        fixed = min(hi, max(lo, tempo))
        repairs.append(f"its tempo {tempo:g} bpm is outside {lo:g}..{hi:g}: read as {fixed:g}")
        tempo = fixed
    metre = heard.first_metre()
    if metre is None:
        metre = (4, 4)
        notes.append("no time signature in the file: read as 4/4")
    elif len({m for _, m in heard.metres}) > 1:
        notes.append(f"the metre changes in the file; duetto keeps the first ({metre[0]}/{metre[1]})")
    if heard.unreleased:
        repairs.append(f"{heard.unreleased} notes were never released: they now end with the file")
    tracks = _parts(heard, mid)
    bar_beats = metre[0] * 4.0 / metre[1]
    end = max(n.start + n.dur for t in tracks for n in t.notes)
    bars = max(1, math.ceil(end / bar_beats - 1e-9))
    pitched = [n for t in tracks if not t.drum for n in t.notes]
    tonic, mode, score = estimate_key(pitched)
    chords = estimate_chords(pitched, bar_beats, bars)
    if pitched:
        notes.append(f"key estimated as {key_name(tonic, mode)} (fit {score:.2f})")
        if heard.keys and _sharps(heard.keys[0]) not in (key_signature(tonic, mode)[0], None):
            notes.append(f"the file's key signature says {heard.keys[0]}; the notes sound like {key_name(tonic, mode)}")
    else:
        notes.append("only drums: the key is read as C major and there are no chords")
    notes.append("parts: " + ", ".join(f"{t.name} = {t.role}" for t in tracks))
    title = heard.names.get(0, "") if mid.type == 0 or not any(n.track == 0 for n in heard.notes) else ""
    title = "" if title.lower() in PLACEHOLDER_TITLES else title
    piece = Piece(tempo=tempo, metre=metre, tonic=tonic, mode=mode, bars=bars, tracks=tracks, chords=chords,
                  sections=_sections(heard.markers, heard.tpb, bar_beats, bars), title=title or Path(name).stem)
    return MidiReading(piece=piece, notes=notes + repairs, repairs=repairs)


def _times(n: int) -> str:
    return " once" if n == 1 else f" {n} times"


def _sharps(key: str) -> int | None:
    """mido's "F#m" → 3 (sharps; flats negative), None for a name mido should not give."""
    for keys in (MAJOR_KEYS, MINOR_KEYS):
        if key in keys:
            return keys.index(key) - 7
    return None


def _parts(heard: _Heard, mid: mido.MidiFile) -> list[Track]:
    """One part per (channel, program), named after its MIDI track when that track holds only
    it, else after its General MIDI family; then roles guessed from range and texture."""
    groups: dict[tuple[int, int], list[_Sounded]] = {}
    for n in heard.notes:
        groups.setdefault((n.channel, 0 if n.channel == DRUM_CHANNEL else n.program), []).append(n)
    order = sorted(groups, key=lambda k: (min(n.track for n in groups[k]), k))
    per_track: dict[int, set[tuple[int, int]]] = {}
    for key, members in groups.items():
        for n in members:
            per_track.setdefault(n.track, set()).add(key)
    tracks: list[Track] = []
    used: set[str] = set()
    for channel, program in order:
        members = groups[(channel, program)]
        ti = members[0].track
        drum = channel == DRUM_CHANNEL
        own = heard.names.get(ti, "") if len(per_track[ti]) == 1 and not (mid.type == 0) else ""
        base = own or ("drums" if drum else gm_family(program))
        label, k = base, 2
        while label in used:
            label, k = f"{base} {k}", k + 1
        used.add(label)
        tracks.append(Track(name=label, program=program, role="drums" if drum else "chords",
                            notes=sorted(heard.note(n) for n in members), drum=drum,
                            volume=heard.control(ti, channel, 7, 100), pan=heard.control(ti, channel, 10, 64)))
    _guess_roles(tracks)
    return tracks


def _single_line(notes: list[Note]) -> bool:
    """Mostly one note at a time (a little legato overlap allowed)."""
    overlapping, reach = 0, -1.0
    for n in notes:  # sorted by start
        if n.start < reach - 0.125:
            overlapping += 1
        reach = max(reach, n.start + n.dur)
    return overlapping <= (1 - MONOPHONIC) * len(notes)


def _guess_roles(tracks: list[Track]) -> None:
    """The highest single-line part is the melody, the lowest part (below middle C) the bass;
    other single lines are counter-melodies and the rest chords."""
    pitched = [t for t in tracks if not t.drum and t.notes]
    mean = {id(t): sum(n.pitch for n in t.notes) / len(t.notes) for t in pitched}
    lines = [t for t in pitched if _single_line(t.notes)]
    melody = max(lines, key=lambda t: mean[id(t)], default=None)
    rest = [t for t in pitched if t is not melody]
    bass = min(rest, key=lambda t: mean[id(t)]) if len(pitched) > 1 and rest else None
    for t in pitched:
        if t is melody:
            t.role = "melody"
        elif t is bass and mean[id(t)] < BASS_BELOW:
            t.role = "bass"
        else:
            t.role = "counter" if t in lines else "chords"


def _sections(markers: list[tuple[int, str]], tpb: int, bar_beats: float, bars: int) -> list[Section]:
    """Sections from the file's markers (each starts at the bar it falls in), else one "A"."""
    starts: list[tuple[int, str]] = []
    for tick, label in sorted(markers):
        bar = min(bars - 1, int(tick / tpb / bar_beats + 1e-9))
        if starts and starts[-1][0] == bar:
            continue  # two markers in one bar: the first names it
        starts.append((bar, label[:40]))
    if not starts:
        return [Section(label="A", start_bar=0, bars=bars)]
    if starts[0][0] > 0:
        starts.insert(0, (0, "intro"))
    ends = [b for b, _ in starts[1:]] + [bars]
    return [Section(label=label, start_bar=b, bars=e - b) for (b, label), e in zip(starts, ends, strict=False)]
