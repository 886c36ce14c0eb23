"""Melodies from the corpus that ships inside the music21 wheel, as scale-step events.

The melody model learns from real tunes, read offline from ``music21/corpus``:

- ``bach``: the soprano lines of the 371 Bach chorales (Riemenschneider list; music21 parses the
  MusicXML files, the key comes from ``analyze('key')``).
- ``essen``: the Essen folk song collection (``essenFolksong/*.abc``: German, Luxembourgish,
  Lorraine, Dutch, Irish … songs), without the Chinese files and the ``test*`` files.
- ``chinese``: ``essenFolksong/han1.abc`` and ``han2.abc``, Chinese folk songs; always treated as
  pentatonic.
- ``nottingham``: ``nottingham-dataset/*.abc`` (the two tunes music21 ships).
- ``oneills``: O'Neill's *Music of Ireland* (1903), ``oneills1850/*.abc``.
- ``aird``: James Aird's *Selection of Scotch, English, Irish and Foreign Airs* (1778-),
  ``airdsAirs/*.abc``.
- ``miscfolk``: American fife tunes and Northumbrian minstrelsy, ``miscFolk/*.abc``.

Licences, as the corpus states them (duetto ships only counts learned from these files: interval
n-grams and bar-rhythm tallies, from which no tune can be read back; no tune is copied):

- ``music21/corpus/license.txt`` (the whole corpus): distributed "with the permission of the
  encoders" and where permitted under US copyright law; "some encodings included in the corpus
  may not be used for commercial uses or have other restrictions: please see the licenses
  embedded in individual compositions or directories"; each piece is believed out of copyright in
  the US or licensed for use. music21 itself is BSD-3-Clause.
- ``essenFolksong/license.txt`` (essen, chinese): the legal status of the Essen database "is
  unclear"; Ewa Dahlig-Turek gave permission "for non-commercial distribution and use of these
  files in music21"; the ABC encodings are by Seymour Schlien, distributed by his permission.
- bach, oneills, aird, miscfolk, nottingham: public-domain music (Bach; O'Neill 1903; Aird
  1778-1803; Bruce & Stokoe 1882 and colonial American fife tunes; traditional tunes of the
  Nottingham Music Database, "via EF" = Eric Foxley). No licence file of their own; the file
  headers name the encoders (O'Neill's: Norbert Paap; Aird's and miscFolk: Jack Campin).

Why ABC is read through music21's tokenizer rather than ``converter.parse``: building a full
music21 stream costs ~50 ms a tune, tokenizing ~1 ms, and we only need pitches, lengths and bar
lines. music21's tokenizer drops line breaks, which in the Essen encodings mark phrase ends (and
stand in for a bar line), so each music line is given an end marker that comes back as a token.

A tune becomes ``Event``s: ``step`` counts scale steps above the tune's tonic (diatonic steps from
the note's letter for heptatonic tunes, so a raised leading tone is still the 7th degree;
pentatonic steps for pentatonic tunes), ``dur`` in quarter beats (ties merged), ``onset`` the
position in its bar. The tonic is the final note (folk tunes end on their home note), the mode
follows from where that final sits in the key signature's scale.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from duetto.errors import InvalidInput

LETTERS = "CDEFGAB"
LETTER_PC = (0, 2, 4, 5, 7, 9, 11)
PENTATONIC_OFFSETS = (0, 2, 4, 7, 9)  # 宫 商 角 徵 羽 above 宫
PENTATONIC_MODES = ("gong", "shang", "jue", "zhi", "yu")
# the final's place in the key signature's major scale → mode name
HEPTATONIC_MODES = {0: "major", 2: "dorian", 4: "phrygian", 5: "lydian", 7: "mixolydian", 9: "minor",
                    11: "locrian"}
COLLECTIONS = ("bach", "essen", "chinese", "nottingham", "oneills", "aird", "miscfolk")
_ABC_GLOBS = {
    "essen": "essenFolksong/*.abc",
    "chinese": "essenFolksong/han*.abc",
    "nottingham": "nottingham-dataset/*.abc",
    "oneills": "oneills1850/*.abc",
    "aird": "airdsAirs/*.abc",
    "miscfolk": "miscFolk/*.abc",
}
_EOL = "[r:eol]"  # end-of-line marker: music21 tokenizes it as a chord whose src we recognise
_EPS = 1e-6


@dataclass(frozen=True)
class Event:
    """One sounding note of a melody."""

    step: int  # scale steps above the tonic in octave 4 (degree = step mod scale size)
    midi: int
    dur: float  # quarter beats, ties merged
    onset: float  # position in its bar, quarter beats from the downbeat
    bar: int  # index into Tune.bars
    phrase_start: bool  # first note of the tune or of a new phrase


@dataclass(frozen=True)
class Bar:
    """A bar's rhythm: the onsets of the notes that start in it."""

    metre: str  # "6/8"; "" when the tune has no usable metre
    onsets: tuple[float, ...]
    full: bool  # the notes and rests fill exactly one bar (pickups and split bars do not)
    phrase_end: bool  # a line end in the encoding, a fermata, or the tune's last bar


@dataclass(frozen=True)
class Tune:
    collection: str
    title: str
    metre: str
    tonic: int  # pitch class
    mode: str  # "major", "dorian", … or a pentatonic mode "gong" … "yu"
    scale: str  # "heptatonic" | "pentatonic"
    events: tuple[Event, ...]
    bars: tuple[Bar, ...]

    @property
    def size(self) -> int:
        """Notes per octave of the tune's scale."""
        return 5 if self.scale == "pentatonic" else 7


@dataclass
class Corpus:
    tunes: list[Tune] = field(default_factory=list)
    used: Counter[str] = field(default_factory=Counter)  # tunes per collection
    skipped: Counter[str] = field(default_factory=Counter)  # failed to parse or unusable
    duplicates: Counter[str] = field(default_factory=Counter)  # same melody already read


# ---------------------------------------------------------------------------------------------
# A neutral symbol stream: both readers (ABC tokens, music21 measures) produce it, one walker
# turns it into a Tune.


@dataclass(frozen=True)
class _Sym:
    kind: str  # "note", "rest", "bar", "phrase", "metre"
    dur: float = 0.0
    midi: int = 0
    dnum: int = 0  # diatonic number: octave * 7 + letter index
    tie_start: bool = False
    metre: str = ""


def corpus_root() -> Path:
    from music21 import common

    return Path(common.getCorpusFilePath())


def metre_name(text: str) -> str:
    """ABC/music21 metre text → "n/d"; "" when it is not a plain metre ("none", "3/4 6/8")."""
    text = text.strip().replace(" ", "")
    if text == "C":
        return "4/4"
    if text == "C|":
        return "2/2"
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if not m or int(m.group(1)) == 0 or int(m.group(2)) not in (1, 2, 4, 8, 16):
        return ""
    return f"{int(m.group(1))}/{int(m.group(2))}"


def bar_length(metre: str) -> float:
    num, den = metre.split("/")
    return int(num) * 4.0 / int(den)


def _pitch(name: str, carried: dict[tuple[str, int], int], explicit: bool) -> tuple[int, int]:
    """music21 pitch name ("F#5", "B-4", "Cn5") → (midi, diatonic number). ABC accidentals hold to
    the bar's end, which music21's tokenizer leaves to its stream builder; ``carried`` does it."""
    m = re.fullmatch(r"([A-G])([#\-n~`]*)(-?\d+)", name)
    if not m:
        raise ValueError(f"pitch {name!r}")
    letter, acc, octave = m.group(1), m.group(2), int(m.group(3))
    alter = acc.count("#") - acc.count("-")
    if explicit:
        carried[(letter, octave)] = alter
    else:
        alter = carried.get((letter, octave), alter)
    index = LETTERS.index(letter)
    return 12 * (octave + 1) + LETTER_PC[index] + alter, octave * 7 + index


def _abc_symbols(tokens: Iterable[object]) -> Iterator[_Sym]:
    from music21 import abcFormat

    carried: dict[tuple[str, int], int] = {}
    for t in tokens:
        if isinstance(t, abcFormat.ABCMetadata):
            if t.tag == "M":
                yield _Sym("metre", metre=metre_name(t.data))
        elif isinstance(t, abcFormat.ABCBar):
            carried.clear()
            yield _Sym("bar")
        elif isinstance(t, abcFormat.ABCChord):
            if t.src == _EOL:
                yield _Sym("phrase")
            else:  # a chord in a melody line: rare; keep the time, not the notes
                yield _Sym("rest", dur=float(t.quarterLength))
        elif isinstance(t, abcFormat.ABCNote) and not t.inGrace:
            dur = float(t.quarterLength)
            if t.activeTuplet is not None:  # the tokenizer leaves tuplet scaling to the stream builder
                dur *= float(t.activeTuplet.tupletMultiplier())
            if dur <= 0:
                continue
            if t.isRest:
                yield _Sym("rest", dur=dur)
                continue
            midi, dnum = _pitch(t.pitchName, carried, bool(t.accidentalDisplayStatus))
            yield _Sym("note", dur=dur, midi=midi, dnum=dnum, tie_start=t.tie == "start")


def _mark_lines(tune_text: str) -> str:
    """Append the end-of-line marker to every music line that does not continue with ``\\``."""
    out = []
    for line in tune_text.splitlines():
        s = line.strip()
        music = s and not s.startswith("%") and not re.match(r"^[A-Za-z+]:", s) and not s.endswith("\\")
        out.append(f"{line} {_EOL}" if music else line)
    return "\n".join(out) + "\n"


def _abc_key_sharps(tokens: Sequence[object]) -> int | None:
    from music21 import abcFormat

    for t in tokens:
        if isinstance(t, abcFormat.ABCNote) and t.activeKeySignature is not None:
            return int(t.activeKeySignature.sharps)
    return None


def _abc_title(tokens: Sequence[object]) -> str:
    from music21 import abcFormat

    return next((t.data.strip() for t in tokens if isinstance(t, abcFormat.ABCMetadata) and t.tag == "T"), "")


# ---------------------------------------------------------------------------------------------
# symbols → Tune


@dataclass
class _BarBuilder:
    metre: str
    onsets: list[float] = field(default_factory=list)
    time: float = 0.0
    phrase_end: bool = False


def _walk(symbols: Iterable[_Sym]) -> tuple[list[tuple[int, int, float, float, int, bool]], list[Bar], str]:
    """Symbols → raw events (midi, dnum, dur, onset, bar, phrase_start), bars and the first metre."""
    events: list[list[Any]] = []  # mutable while ties extend them
    bars: list[Bar] = []
    first_metre = ""
    metre = ""
    cur = _BarBuilder(metre)
    tie_open = False
    new_phrase = True

    def length() -> float:
        return bar_length(cur.metre) if cur.metre else 0.0

    def close() -> None:
        nonlocal cur
        if cur.time <= _EPS and not cur.onsets:
            cur = _BarBuilder(metre)
            return
        full = bool(cur.metre) and abs(cur.time - length()) < _EPS
        onsets = cur.onsets
        if not bars and cur.metre and cur.time < length() - _EPS:  # opening pickup: right-align it
            shift = length() - cur.time
            onsets = [o + shift for o in onsets]
            for e in events:
                e[3] += shift
        bars.append(Bar(cur.metre, tuple(round(o, 6) for o in onsets), full, cur.phrase_end))
        cur = _BarBuilder(metre)

    for s in symbols:
        if s.kind == "metre":
            metre = s.metre
            first_metre = first_metre or metre
            if cur.time <= _EPS:
                cur.metre = metre
        elif s.kind == "bar":
            close()
        elif s.kind == "phrase":
            if events:
                new_phrase = True
            if cur.time > _EPS and cur.metre and cur.time >= length() - _EPS:
                cur.phrase_end = True  # a line end after a complete bar is also a bar line
                close()
            elif cur.time <= _EPS and bars:
                bars[-1] = replace(bars[-1], phrase_end=True)
            else:
                cur.phrase_end = True
        elif s.kind == "rest":
            cur.time += s.dur
            tie_open = False
        elif s.kind == "note":
            if tie_open and events and events[-1][0] == s.midi:
                events[-1][2] += s.dur
            else:
                events.append([s.midi, s.dnum, s.dur, cur.time, len(bars), new_phrase])
                cur.onsets.append(cur.time)
                new_phrase = False
            cur.time += s.dur
            tie_open = s.tie_start
    close()
    if bars:
        bars[-1] = replace(bars[-1], phrase_end=True)
    return [tuple(e) for e in events], bars, first_metre


def _pentatonic_fit(pcs: Counter[int]) -> tuple[int, float]:
    """The 宫 pitch class whose pentatonic set covers most notes, and the share it covers."""
    total = sum(pcs.values()) or 1
    best = max(range(12), key=lambda g: (sum(pcs[(g + o) % 12] for o in PENTATONIC_OFFSETS), -g))
    return best, sum(pcs[(best + o) % 12] for o in PENTATONIC_OFFSETS) / total


def _penta_step(midi: int, gong: int, tonic: int) -> int:
    """Pentatonic steps of ``midi`` above the tonic in octave 4; out-of-set notes round to the
    nearest set note (ties down)."""
    members = sorted({(gong + o - tonic) % 12 for o in PENTATONIC_OFFSETS})  # offsets above tonic
    rel = midi - (60 + tonic)
    octave, r = divmod(rel, 12)
    cands = [(abs(r - m), m, i) for i, m in enumerate(members)] + [(abs(r - 12), 12, 5)]
    _, _, idx = min(cands)
    return octave * 5 + idx


def build_tune(collection: str, title: str, symbols: Iterable[_Sym], *, key_sharps: int | None,
               key: tuple[int, str, int] | None = None, pentatonic: bool | None = None) -> Tune:
    """Symbols → Tune. ``key`` (tonic pc, mode, the tonic's letter index) overrides the
    final-note rule (the chorales use music21's key analysis: a chorale may end on the dominant);
    ``pentatonic`` forces the scale kind (Chinese songs)."""
    raw, bars, metre = _walk(symbols)
    if len(raw) < 4:
        raise ValueError("fewer than 4 notes")
    pcs = Counter(e[0] % 12 for e in raw)
    gong, cover = _pentatonic_fit(pcs)
    is_penta = pentatonic if pentatonic is not None else (cover >= 1.0 - _EPS and len(pcs) == 5)
    final_midi, final_dnum = raw[-1][0], raw[-1][1]
    if is_penta:
        members = [(gong + o) % 12 for o in PENTATONIC_OFFSETS]
        fpc = final_midi % 12
        tonic = fpc if fpc in members else min(members, key=lambda m: (min((m - fpc) % 12, (fpc - m) % 12), m))
        mode = PENTATONIC_MODES[members.index(tonic)]
        steps = [_penta_step(e[0], gong, tonic) for e in raw]
    else:
        if key is not None:
            tonic, mode, tonic_letter = key
        else:
            tonic = final_midi % 12
            tonic_letter = final_dnum % 7
            major = (7 * (key_sharps or 0)) % 12
            mode = HEPTATONIC_MODES.get((tonic - major) % 12, "major")
        steps = [e[1] - (28 + tonic_letter) for e in raw]
    events = tuple(Event(step=st, midi=e[0], dur=round(e[2], 6), onset=round(e[3], 6), bar=e[4],
                         phrase_start=e[5]) for st, e in zip(steps, raw, strict=False))
    return Tune(collection=collection, title=title, metre=metre, tonic=tonic, mode=mode,
                scale="pentatonic" if is_penta else "heptatonic", events=events, bars=tuple(bars))


# ---------------------------------------------------------------------------------------------
# readers


def read_abc(text: str, collection: str, *, limit: int | None = None,
             pentatonic: bool | None = None) -> tuple[list[Tune], int]:
    """Every tune (``X:`` block) in an ABC file → (tunes, how many failed to parse or were unusable)."""
    from music21.abcFormat import ABCHandler

    tunes: list[Tune] = []
    failed = 0
    for block in re.split(r"(?m)^(?=X:)", text):
        if not block.startswith("X:"):
            continue
        if limit is not None and len(tunes) >= limit:
            break
        try:
            handler = ABCHandler()
            handler.process(_mark_lines(block))
            tokens = handler.tokens
            tunes.append(build_tune(collection, _abc_title(tokens), _abc_symbols(tokens),
                                    key_sharps=_abc_key_sharps(tokens), pentatonic=pentatonic))
        except Exception:  # noqa: BLE001 - any malformed tune is counted and skipped, never fatal
            failed += 1
    return tunes, failed


def _chorale_symbols(part: object) -> Iterator[_Sym]:
    from music21 import expressions, stream

    metre = ""
    for m in part.getElementsByClass(stream.Measure):
        if m.timeSignature is not None and metre_name(m.timeSignature.ratioString) != metre:
            metre = metre_name(m.timeSignature.ratioString)
            yield _Sym("metre", metre=metre)
        for n in m.recurse().notesAndRests:
            dur = float(n.quarterLength)
            if dur <= 0:
                continue
            if n.isRest:
                yield _Sym("rest", dur=dur)
                continue
            p = max(n.pitches, key=lambda q: q.midi)  # a divided soprano: the top note
            tie = n.tie is not None and n.tie.type in ("start", "continue")
            yield _Sym("note", dur=dur, midi=int(p.midi), dnum=int(p.diatonicNoteNum) - 1, tie_start=tie)
            if any(isinstance(e, expressions.Fermata) for e in n.expressions):
                yield _Sym("phrase")
        yield _Sym("bar")


def chorale_paths(root: Path | None = None) -> list[Path]:
    """The 371 chorales (Riemenschneider numbering) that the corpus has as files."""
    from music21.corpus.chorales import ChoraleListRKBWV

    base = (root or corpus_root()) / "bach"
    out = []
    for _, info in sorted(ChoraleListRKBWV().byRiemenschneider.items()):
        path = base / f"bwv{info['bwv']}.mxl"
        if path.exists():
            out.append(path)
    return out


def read_chorale(path: Path) -> Tune:
    """A Bach chorale's soprano line; key from music21's analysis of all four voices."""
    from music21 import converter

    score = converter.parse(path)
    key = score.analyze("key")
    part = score.parts[0]
    return build_tune("bach", path.stem, _chorale_symbols(part), key_sharps=key.sharps,
                      key=(key.tonic.pitchClass, "major" if key.mode == "major" else "minor",
                           LETTERS.index(key.tonic.step)))


def abc_paths(collection: str, root: Path | None = None) -> list[Path]:
    base = root or corpus_root()
    paths = sorted(base.glob(_ABC_GLOBS[collection]))
    if collection == "essen":
        paths = [p for p in paths if not p.name.startswith(("han", "test"))]
    return paths


def read_corpus(collections: Sequence[str] = COLLECTIONS, *, limit: int | None = None,
                progress: Callable[[str], None] | None = None) -> Corpus:
    """Read the named collections (in this order, files sorted, so the result is reproducible).

    ``limit`` caps the tunes taken from each collection (tests and benchmarks read a few).
    Melodies already read (same steps and lengths) are counted as duplicates and dropped: the
    O'Neill's files overlap each other."""
    unknown = [c for c in collections if c not in COLLECTIONS]
    if unknown:
        raise InvalidInput(f"unknown corpus collection(s): {', '.join(unknown)}",
                           hint=f"choose from {', '.join(COLLECTIONS)}")
    corpus = Corpus()
    seen: set[tuple] = set()

    def add(tune: Tune) -> None:
        sig = (tune.scale, tuple((e.step, e.dur) for e in tune.events))
        if sig in seen:
            corpus.duplicates[tune.collection] += 1
            return
        seen.add(sig)
        corpus.tunes.append(tune)
        corpus.used[tune.collection] += 1

    for name in collections:
        if progress:
            progress(name)
        left = limit
        if name == "bach":
            for path in chorale_paths():
                if left is not None and left <= 0:
                    break
                try:
                    add(read_chorale(path))
                except Exception:  # noqa: BLE001 - counted and skipped
                    corpus.skipped[name] += 1
                left = None if left is None else left - 1
            continue
        for path in abc_paths(name):
            if left is not None and left <= 0:
                break
            text = path.read_text(encoding="latin-1")
            tunes, failed = read_abc(text, name, limit=left, pentatonic=True if name == "chinese" else None)
            corpus.skipped[name] += failed
            for t in tunes:
                add(t)
            left = None if left is None else left - len(tunes) - failed
    return corpus
