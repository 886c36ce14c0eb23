"""From a plan to a piece: form, harmony, a tune with motifs that come back, and the band.

The tune is built the way songs are: a two-bar motif, answered; a four-bar phrase ending open
(half cadence), then the same opening again closing on the tonic (a period). Repeated sections
bring the same tune back (the listener's anchor); the contrasting section moves up, changes
rhythm and harmony, and leads home. Every part reads its own random stream derived from the
seed, so changing the band or the tempo never changes the tune.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from duetto.media.music import arrange
from duetto.media.music.harmony import progression
from duetto.media.music.lyrics import Syllable, line_plan, set_line
from duetto.media.music.melody import MelodyModel, write_phrase
from duetto.media.music.score import Note, Piece, Section, Track
from duetto.media.music.theory import Chord, key_name
from duetto.spec import Instrument, MusicSpec

PAN = {"melody": 64, "counter": 88, "chords": 44, "pad": 84, "bass": 60, "drums": 64}
VOLUME = {"melody": 110, "counter": 84, "chords": 80, "pad": 64, "bass": 96, "drums": 86}
CLIMAX = {"AABA": "B", "ABA": "B", "AB": "B", "verse-chorus": "chorus", "through": "C"}


def stream(seed: int, part: str) -> np.random.Generator:
    """An independent random stream per part of the composition."""
    salt = {"form": 1, "harmony": 2, "melody": 3, "arrange": 4, "drums": 5, "edit": 6}[part]
    return np.random.default_rng([seed % 2**63, salt])


def sections_for(form: str, bars: int) -> list[Section]:
    """Section layout in 4-bar units; a piece too short for its form falls back to fewer parts."""
    units = max(1, bars // 4)
    if form == "AABA" and units >= 4:  # the A's stay equal (they repeat); B takes what is left
        a = max(1, min(round(units / 4), (units - 1) // 3))
        sizes = [("A", a), ("A", a), ("B", units - 3 * a), ("A", a)]
    elif form == "ABA" and units >= 3:
        a = max(1, min(round(units / 3), (units - 1) // 2))
        sizes = [("A", a), ("B", units - 2 * a), ("A", a)]
    elif form == "verse-chorus" and units >= 4:
        v = max(1, min(round(units / 4), (units - 1) // 3))
        sizes = [("verse", v), ("chorus", v), ("verse", v), ("chorus", units - 3 * v)]
    elif form == "through" and units >= 2:
        sizes = [(chr(ord("A") + i), 1) for i in range(units)]
    elif form == "AB" and units >= 2:
        sizes = [("A", units // 2), ("B", units - units // 2)]
    elif units == 3:
        sizes = [("A", 1), ("B", 1), ("A", 1)]
    else:  # too short for its form: one section, a period whose second phrase brings the motif back
        sizes = [("A", units)]
    out, at = [], 0
    for label, u in sizes:
        n = u * 4 if at + u * 4 <= bars else bars - at
        out.append(Section(label, at, n))
        at += n
    if at < bars:  # bars that are not a multiple of 4 join the last section
        last = out[-1]
        out[-1] = Section(last.label, last.start_bar, last.bars + bars - at)
    return out


def melody_range(tonic: int, section: str, home_label: str) -> tuple[int, int]:
    """Around the tonic above middle C; the contrasting section sits a few steps higher."""
    home = 60 + tonic if tonic <= 7 else 48 + tonic
    lo, hi = home - 5, home + 12
    return (lo + 3, hi + 4) if section != home_label else (lo, hi)


def compose(music: MusicSpec, seed: int, model: MelodyModel, title: str = "") -> Piece:
    num, den = (int(x) for x in music.metre.split("/"))
    bar_beats = num * 4.0 / den
    sections = sections_for(music.form, music.bars)
    home_label = sections[0].label
    harmony_rng, melody_rng = stream(seed, "harmony"), stream(seed, "melody")
    per_bar = 2 if music.style == "chorale" else 0.5 if music.style == "ambient" else 1
    sevenths = 0.35 if music.style in ("ballad", "dance") else 0.1

    chords: list[Chord] = []
    melody: list[Note] = []
    first_take: dict[str, tuple[float, list[Chord], list[Note]]] = {}  # label -> (start beat, chords, notes)
    last_pitch: int | None = None
    for i, sec in enumerate(sections):
        start = sec.start_bar * bar_beats
        is_last = i == len(sections) - 1
        seen = first_take.get(sec.label)
        if seen is not None and _span_bars(seen[1], bar_beats) == sec.bars:
            shift = start - seen[0]
            sec_chords = [replace(c, start=c.start + shift) for c in seen[1]]
            sec_notes = [replace(n, start=n.start + shift) for n in seen[2]]
            if is_last and sec_chords[-1].root != music.tonic:  # a returning chorus must still end at home
                sec_chords, sec_notes = _close(model, music, sec_chords, sec_notes, sec, bar_beats, melody_rng,
                                               harmony_rng, home_label, per_bar, sevenths)
        else:
            kind = "close" if sec.label == home_label or is_last else "away"
            sec_chords = progression(music.tonic, music.mode, sec.bars, bar_beats, start, kind, harmony_rng,
                                     per_bar=per_bar, sevenths=sevenths)
            lo, hi = melody_range(music.tonic, sec.label, home_label)
            density = music.density if sec.label == home_label else min(1.0, max(0.0, music.density + (0.15 if music.density < 0.5 else -0.15)))
            sec_notes = _section_tune(model, sec_chords, start, sec.bars, bar_beats, music, melody_rng, lo, hi,
                                      density, last_pitch, close=(kind == "close"))
            first_take[sec.label] = (start, sec_chords, sec_notes)
        chords += sec_chords
        melody += sec_notes
        if sec_notes:
            last_pitch = sec_notes[-1].pitch
    piece = Piece(tempo=float(music.tempo), metre=(num, den), tonic=music.tonic, mode=music.mode, bars=music.bars,
                  chords=chords, sections=sections, title=title or f"{key_name(music.tonic, music.mode)}, {music.style}")
    piece.tracks = arrange_band(piece, music, melody, seed)
    return piece


def compose_song(music: MusicSpec, lines: list[list[Syllable]], seed: int, model: MelodyModel,
                 title: str = "") -> tuple[Piece, MusicSpec]:
    """A piece that sets words: each line is a phrase of one note per syllable, lines pair
    into open–close couplets (the third of four lines turns away, like a 绝句's 转), and the
    band plays under it. The plan's length becomes the lines' length."""
    num, den = (int(x) for x in music.metre.split("/"))
    bar_beats = num * 4.0 / den
    harmony_rng, melody_rng = stream(seed, "harmony"), stream(seed, "melody")
    lo, hi = melody_range(music.tonic, "A", "A")
    chords: list[Chord] = []
    melody: list[Note] = []
    words: dict[float, str] = {}
    sections: list[Section] = []
    bar = 0
    for i, sung in enumerate(lines):
        bars = line_plan(len(sung), bar_beats)[0]
        last = i == len(lines) - 1
        kind = "close" if last or i % 2 == 1 else "away" if len(lines) >= 4 and i == len(lines) - 2 else "open"
        start = bar * bar_beats
        line_chords = progression(music.tonic, music.mode, bars, bar_beats, start, "close" if kind == "close" else kind,
                                  harmony_rng, per_bar=1)
        notes, sung_at = set_line(model, sung, line_chords, start, bar_beats, music.metre, music.tonic, music.mode,
                                  melody_rng, low=lo, high=hi, start_pitch=melody[-1].pitch if melody else None,
                                  cadence="tonic" if kind == "close" else "half")
        chords += line_chords
        melody += notes
        words.update(sung_at)
        sections.append(Section(f"line {i + 1}", bar, bars))
        bar += bars
    music = music.model_copy(update={"bars": min(128, bar), "form": "through"})
    piece = Piece(tempo=float(music.tempo), metre=(num, den), tonic=music.tonic, mode=music.mode, bars=bar,
                  chords=chords, sections=sections, title=title or f"{key_name(music.tonic, music.mode)}, a song")
    piece.tracks = arrange_band(piece, music, melody, seed)
    for t in piece.tracks:
        if t.role == "melody":
            t.lyrics = dict(words)
            break
    return piece, music


def _close(model: MelodyModel, music: MusicSpec, chords: list[Chord], notes: list[Note], sec: Section,
           bar_beats: float, melody_rng: np.random.Generator, harmony_rng: np.random.Generator, home_label: str,
           per_bar: float, sevenths: float) -> tuple[list[Chord], list[Note]]:
    """A repeated section that ended open, with its last phrase rewritten to close: the same
    chords and tune up to there, then a closing progression and a cadence on the tonic that
    starts with the phrase's own rhythm."""
    tail_bars = min(4, sec.bars)
    t0 = (sec.start_bar + sec.bars - tail_bars) * bar_beats
    head_chords = [c for c in chords if c.start < t0 - 1e-9]
    head_notes = [replace(n, dur=min(n.dur, t0 - n.start)) for n in notes if n.start < t0 - 1e-9]
    tail_chords = progression(music.tonic, music.mode, tail_bars, bar_beats, t0, "close", harmony_rng,
                              per_bar=per_bar, sevenths=sevenths)
    lo, hi = melody_range(music.tonic, sec.label, home_label)
    rhythm = bar_rhythms([n for n in notes if n.start >= t0 - 1e-9], t0, min(2, tail_bars), bar_beats)
    tail = write_phrase(model, tail_chords, t0, tail_bars, bar_beats, music.metre, music.tonic, music.mode,
                        melody_rng, low=lo, high=hi, density=music.density,
                        start_pitch=head_notes[-1].pitch if head_notes else None, cadence="tonic", rhythm=rhythm)
    return head_chords + tail_chords, head_notes + tail


def _span_bars(chords: list[Chord], bar_beats: float) -> int:
    return int(round(sum(c.dur for c in chords) / bar_beats))


def _section_tune(model: MelodyModel, chords: list[Chord], start: float, bars: int, bar_beats: float,
                  music: MusicSpec, rng: np.random.Generator, lo: int, hi: int, density: float,
                  start_pitch: int | None, close: bool) -> list[Note]:
    """A section's tune as periods of 4-bar phrases: phrase one ends open, phrase two starts
    with phrase one's first two bars again (the motif comes back) and closes."""
    notes: list[Note] = []
    motif: list[Note] = []
    motif_rhythm: list[list[float]] | None = None
    phrases = max(1, bars // 4)
    for p in range(phrases):
        p_start = start + 4 * p * bar_beats
        p_bars = 4 if p < phrases - 1 else bars - 4 * (phrases - 1)
        last = p == phrases - 1
        cadence = "tonic" if (last and close) else "half"
        span = [c for c in chords if p_start <= c.start < p_start + p_bars * bar_beats]
        if p % 2 == 1 and motif and p_bars >= 4:
            # consequent phrase: the antecedent's opening two bars, then a new closing half
            shift = p_start - (p_start - 4 * bar_beats)
            head = [replace(n, start=n.start + shift) for n in motif]
            tail_start = p_start + 2 * bar_beats
            tail_chords = [c for c in span if c.start >= tail_start - 1e-9]
            tail = write_phrase(model, tail_chords, tail_start, p_bars - 2, bar_beats, music.metre, music.tonic,
                                music.mode, rng, low=lo, high=hi, density=density,
                                start_pitch=head[-1].pitch if head else start_pitch, cadence=cadence,
                                rhythm=motif_rhythm)
            phrase = head + tail
        else:
            phrase = write_phrase(model, span, p_start, p_bars, bar_beats, music.metre, music.tonic, music.mode, rng,
                                  low=lo, high=hi, density=density,
                                  start_pitch=notes[-1].pitch if notes else start_pitch, cadence=cadence)
            motif = [n for n in phrase if n.start < p_start + 2 * bar_beats]
            motif_rhythm = bar_rhythms(motif, p_start, 2, bar_beats)
        notes += phrase
    return notes


def bar_rhythms(notes: list[Note], start: float, bars: int, bar_beats: float) -> list[list[float]]:
    """Each bar's note durations (onset to next onset), so a later phrase can reuse the rhythm.
    Public because ``edits`` reuses it to carry a passage's rhythm into the notes it rewrites."""
    out: list[list[float]] = []
    for b in range(bars):
        b0 = start + b * bar_beats
        onsets = sorted(n.start for n in notes if b0 - 1e-9 <= n.start < b0 + bar_beats - 1e-9)
        if not onsets:
            out.append([bar_beats])
            continue
        if onsets[0] > b0 + 1e-9:
            onsets = [b0, *onsets]
        edges = [*onsets, b0 + bar_beats]
        out.append([round(edges[k + 1] - edges[k], 4) for k in range(len(onsets))])
    return out


def arrange_band(piece: Piece, music: MusicSpec, melody: list[Note], seed: int) -> list[Track]:
    """Every instrument of the plan gets its part; the melody is gated for articulation and all
    parts get the same dynamic shape."""
    rng, drum_rng = stream(seed, "arrange"), stream(seed, "drums")
    bar_beats = piece.bar_beats
    instruments = music.instruments or [Instrument(role="melody", program=0, name="piano"),
                                        Instrument(role="chords", program=0, name="piano")]
    if not any(i.role == "melody" for i in instruments):
        instruments = [instruments[0].model_copy(update={"role": "melody"}), *instruments[1:]]
    tracks: list[Track] = []
    for inst, name in zip(instruments, track_names(instruments), strict=True):
        notes = part_for(inst, piece, music, melody, rng, drum_rng)
        notes = arrange.shape_dynamics(notes, piece.sections, bar_beats, music.dynamics, CLIMAX.get(music.form))
        tracks.append(Track(name=name, program=inst.program, role=inst.role,
                            notes=sorted(notes), drum=inst.role == "drums", volume=VOLUME[inst.role],
                            pan=PAN[inst.role]))
    return tracks


def track_names(instruments: list[Instrument]) -> list[str]:
    """One name per track, as a score shows it: "piano" twice becomes "piano (melody)" and
    "piano (chords)", so players (and the MIDI file) can tell the parts apart."""
    names = [i.name or i.role for i in instruments]
    return [f"{n} ({i.role})" if names.count(n) > 1 else n for n, i in zip(names, instruments, strict=True)]


def part_for(inst: Instrument, piece: Piece, music: MusicSpec, melody: list[Note], rng: np.random.Generator,
             drum_rng: np.random.Generator) -> list[Note]:
    bar_beats, metre, chords = piece.bar_beats, music.metre, piece.chords
    if inst.role == "melody":
        return [Note(n.start, n.pitch, arrange.gate(n.dur, music.articulation) if n.dur < 2 else n.dur * 0.96, n.vel)
                for n in melody]
    if inst.role == "counter":
        lo, hi = melody_range(music.tonic, "", "x")
        return arrange.counter_line(chords, melody, lo - 7, hi - 7)
    if inst.role == "bass":
        return arrange.bass_line(chords, music.style, bar_beats, metre, music.tonic, music.mode, rng, music.articulation)
    if inst.role == "chords":
        return arrange.accompaniment(chords, music.style, bar_beats, metre, rng, music.articulation)
    if inst.role == "pad":
        return arrange.pad(chords)
    return arrange.drums(piece.bars, bar_beats, metre, music.style, piece.sections, music.density, drum_rng)
