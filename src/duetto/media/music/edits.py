"""Edits of an existing piece: continue, regenerate bars, vary, reharmonise, interpolate.

Each takes the parent ``Piece`` (read back from its stored MIDI, so a human's imported file
works too) and returns a new one. What the edit does not touch stays note for note: a
regeneration of bars 5–8 leaves every other bar of every part as it was.
"""

from __future__ import annotations

from dataclasses import replace

from duetto.errors import InvalidInput
from duetto.media.music.busyness import respace
from duetto.media.music.compose import (
    PAN,
    VOLUME,
    arrange_band,
    bar_rhythms,
    melody_range,
    part_for,
    stream,
    track_names,
)
from duetto.media.music.harmony import progression, reharmonise
from duetto.media.music.melody import MelodyModel, vary_phrase, write_phrase
from duetto.media.music.score import Note, Piece, Section, Track
from duetto.media.music.theory import Chord, scale_pcs
from duetto.spec import MusicSpec

MAX_BARS = 128


def melody_of(piece: Piece) -> Track:
    track = piece.track("melody") or next((t for t in piece.tracks if not t.drum and t.notes), None)
    if track is None:
        raise InvalidInput("this piece has no tune to work on (no pitched notes)")
    return track


def _bar_span(piece: Piece, first: int, last: int) -> tuple[float, float]:
    return (first - 1) * piece.bar_beats, last * piece.bar_beats


def _chords_or_default(piece: Piece) -> list[Chord]:
    if piece.chords:
        return piece.chords
    from duetto.media.music.analyse import estimate_chords

    notes = [n for t in piece.tracks if not t.drum for n in t.notes]
    return estimate_chords(notes, piece.bar_beats, piece.bars)


def extend(piece: Piece, music: MusicSpec, bars: int, seed: int, model: MelodyModel) -> Piece:
    """Go on for ``bars`` more bars: new harmony that closes on the tonic, a tune that starts
    by recalling the opening motif's rhythm, and the band carried on. Existing bars keep their
    notes (the old ending's fade and final crash move to the new end)."""
    if piece.bars + bars > MAX_BARS:
        raise InvalidInput(f"the piece would be {piece.bars + bars} bars; the limit is {MAX_BARS}",
                           hint=f"continue by at most {MAX_BARS - piece.bars} bars")
    out = piece.copy()
    rng_h, rng_m = stream(seed, "harmony"), stream(seed, "melody")
    start = piece.beats
    chords = _chords_or_default(piece)
    new_chords = progression(piece.tonic, piece.mode, bars, piece.bar_beats, start, "close", rng_h)
    tune = melody_of(piece)
    lo, hi = _range_of(tune, piece.tonic)
    opening = [n for n in tune.notes if n.start < 2 * piece.bar_beats]
    rhythm = _rhythm(opening, 0.0, min(2, bars), piece.bar_beats)
    last = tune.notes[-1].pitch if tune.notes else None
    new_notes = write_phrase(model, new_chords, start, bars, piece.bar_beats, _metre(piece), piece.tonic, piece.mode,
                             rng_m, low=lo, high=hi, density=music.density, start_pitch=last, cadence="tonic",
                             rhythm=rhythm)
    out.bars = piece.bars + bars
    out.chords = chords + new_chords
    out.sections = [*piece.sections, Section(_next_label(piece.sections), piece.bars, bars)]
    _rearrange(out, music, tune, tune.notes + new_notes, seed, keep_before=start)
    return out


def regenerate(piece: Piece, music: MusicSpec, first: int, last: int, seed: int, model: MelodyModel) -> Piece:
    """A new tune for bars ``first``..``last`` (1-based, inclusive) over the same chords; it
    starts from the note before and leads into the note after, so the seams are steps."""
    if not (1 <= first <= last <= piece.bars):
        raise InvalidInput(f"bars {first}..{last} are outside the piece (it has {piece.bars} bars)",
                           hint=f"choose bars between 1 and {piece.bars}")
    out = piece.copy()
    t0, t1 = _bar_span(piece, first, last)
    tune = melody_of(piece)
    before = [n for n in tune.notes if n.start < t0]
    after = [n for n in tune.notes if n.start >= t1]
    span = [c for c in _chords_or_default(piece) if t0 - 1e-9 <= c.start < t1]
    lo, hi = _range_of(tune, piece.tonic)
    cadence = "tonic" if last == piece.bars else None
    fresh = write_phrase(model, span, t0, last - first + 1, piece.bar_beats, _metre(piece), piece.tonic, piece.mode,
                         stream(seed, "edit"), low=lo, high=hi, density=music.density,
                         start_pitch=before[-1].pitch if before else None, cadence=cadence)
    before = [replace(n, dur=min(n.dur, t0 - n.start)) for n in before]  # nothing rings into the new bars
    _swap_notes(out, tune, before + fresh + after)
    return out


def vary(piece: Piece, music: MusicSpec, amount: float, seed: int, model: MelodyModel) -> Piece:
    """A melodic and rhythmic variation phrase by phrase, over the same harmony; the band is
    untouched."""
    out = piece.copy()
    tune = melody_of(piece)
    chords = _chords_or_default(piece)
    rng = stream(seed, "edit")
    lo, hi = _range_of(tune, piece.tonic)
    varied: list[Note] = []
    phrase_beats = 4 * piece.bar_beats
    for p in range(0, piece.bars, 4):
        t0, t1 = p * piece.bar_beats, min(piece.beats, p * piece.bar_beats + phrase_beats)
        notes = [n for n in tune.notes if t0 <= n.start < t1]
        span = [c for c in chords if t0 - 1e-9 <= c.start < t1]
        varied += (vary_phrase(model, notes, span, piece.tonic, piece.mode, amount, rng, low=lo, high=hi,
                              bar_beats=piece.bar_beats) if notes else [])
    _swap_notes(out, tune, varied)
    return out


def reharmonise_piece(piece: Piece, music: MusicSpec, change: float, seed: int) -> Piece:
    """New chords under the same tune; the bass, chords, pad and counter-line are played again
    from them. The tune is kept note for note."""
    out = piece.copy()
    tune = melody_of(piece)
    old = _chords_or_default(piece)
    if not old:
        raise InvalidInput("this piece has no chords to change")
    mode = piece.mode
    chords = reharmonise([(n.start, n.pitch, n.dur) for n in tune.notes], old, piece.tonic, mode,
                         stream(seed, "harmony"), change=change)
    out.chords = chords
    _rearrange(out, music, tune, tune.notes, seed, keep_before=0.0)
    return out


def interpolate(a: Piece, b: Piece, music: MusicSpec, t: float, seed: int) -> Piece:
    """A piece between ``a`` (t=0) and ``b`` (t=1): the nearer piece's key, metre and length;
    bar by bar, the tune and its chords come from ``b`` with probability ``t`` (moved into the
    result's key), and the band is played again over the mixed harmony."""
    if a.metre != b.metre:
        raise InvalidInput(f"cannot interpolate a {a.metre[0]}/{a.metre[1]} piece with a {b.metre[0]}/{b.metre[1]} one",
                           hint="interpolate pieces in the same metre, or change one's metre by feedback first")
    base, other = (a, b) if t < 0.5 else (b, a)
    w_other = t if t < 0.5 else 1 - t
    rng = stream(seed, "edit")
    out = base.copy()
    shift = _transpose_amount(other.tonic, base.tonic)
    tune_b, tune_o = melody_of(base), melody_of(other)
    chords_b, chords_o = _chords_or_default(base), _chords_or_default(other)
    notes: list[Note] = []
    chords: list[Chord] = []
    bb = base.bar_beats
    for bar in range(base.bars):
        t0, t1 = bar * bb, (bar + 1) * bb
        take_other = bar < other.bars and rng.random() < w_other and 0 < bar < base.bars - 1
        src_notes, src_chords, dt = (tune_o.notes, chords_o, shift) if take_other else (tune_b.notes, chords_b, 0)
        notes += [replace(n, pitch=n.pitch + dt, dur=min(n.dur, t1 - n.start)) for n in src_notes if t0 <= n.start < t1]
        chords += [replace(c, root=(c.root + dt) % 12, bass=None if c.bass is None else (c.bass + dt) % 12,
                           start=max(c.start, t0), dur=min(c.start + c.dur, t1) - max(c.start, t0))
                   for c in src_chords if c.start < t1 and c.start + c.dur > t0]
    scale = set(scale_pcs(base.tonic, base.mode))
    notes = [replace(n, pitch=_into(n.pitch, scale)) for n in notes]
    out.chords = chords
    out.tempo = round(a.tempo + (b.tempo - a.tempo) * t, 2)
    _rearrange(out, music, tune_b, notes, seed, keep_before=0.0)
    return out


# ---------------------------------------------------------------------------------------------


def _metre(piece: Piece) -> str:
    return f"{piece.metre[0]}/{piece.metre[1]}"


def _range_of(tune: Track, tonic: int) -> tuple[int, int]:
    if not tune.notes:
        return melody_range(tonic, "A", "A")
    ps = [n.pitch for n in tune.notes]
    lo, hi = min(ps), max(ps)
    if hi - lo < 12:
        mid = (lo + hi) // 2
        lo, hi = mid - 7, mid + 8
    return lo, hi


def _rhythm(notes: list[Note], start: float, bars: int, bar_beats: float) -> list[list[float]] | None:
    return bar_rhythms(notes, start, bars, bar_beats) if notes else None


def _next_label(sections: list[Section]) -> str:
    used = {s.label for s in sections}
    for label in ("C", "D", "E", "F", "coda"):
        if label not in used:
            return label
    return "coda"


def _swap_notes(piece: Piece, old: Track, notes: list[Note]) -> None:
    for i, t in enumerate(piece.tracks):
        if t.name == old.name and t.role == old.role and t.program == old.program:
            piece.tracks[i] = replace(t, notes=sorted(notes))
            return


def _rearrange(piece: Piece, music: MusicSpec, tune: Track, melody: list[Note], seed: int, keep_before: float) -> None:
    """Play the band again over ``piece.chords``; notes before ``keep_before`` stay as they were
    in every part (continue keeps what was there). A part duetto did not write (an imported
    track it cannot name a role for) is kept as it is."""
    fresh = {(t.role, t.program, t.name): t for t in arrange_band(piece, plan_of_piece(piece, music, key=False), melody, seed)}
    tracks: list[Track] = []
    for t in piece.tracks:
        new = fresh.get((t.role, t.program, t.name))
        if t is tune or (t.name == tune.name and t.role == tune.role):
            tracks.append(replace(t, notes=sorted(melody)))
        elif new is None:
            tracks.append(t)
        else:
            kept = [n for n in t.notes if n.start + n.dur <= keep_before + 1e-9] if keep_before else []
            tracks.append(replace(t, notes=sorted(kept + [n for n in new.notes if n.start >= keep_before - 1e-9])))
    piece.tracks = tracks


def plan_of_piece(piece: Piece, base: MusicSpec, *, key: bool = True) -> MusicSpec:
    """``base`` with what the piece itself says: its band, tempo, metre, length and (with
    ``key``) its key. A human's MIDI has no stored plan; this is the plan edits work from."""
    from duetto.spec import Instrument

    roles = ("melody", "counter", "bass", "chords", "pad", "drums")
    metre = _metre(piece)
    band = [Instrument(role=t.role if t.role in roles else "chords", program=t.program, name=t.name)  # type: ignore[arg-type]
            for t in piece.tracks][:6]
    update: dict[str, object] = {"instruments": band, "tempo": int(min(208, max(40, round(piece.tempo)))),
                                 "metre": metre if metre in ("4/4", "3/4", "2/4", "6/8") else base.metre,
                                 "bars": min(128, max(4, piece.bars))}
    if key:
        update.update(tonic=piece.tonic, mode=piece.mode)
    return base.model_copy(update=update)


def _transpose_amount(src: int, dst: int) -> int:
    d = (dst - src) % 12
    return d - 12 if d > 6 else d


def _into(pitch: int, scale: set[int]) -> int:
    if pitch % 12 in scale:
        return pitch
    return pitch - 1 if (pitch - 1) % 12 in scale else pitch + 1


def retune(piece: Piece, old: MusicSpec, new: MusicSpec, seed: int) -> Piece:
    """Apply a revised plan to an existing piece's notes: tempo; key and mode (every pitched
    note keeps its scale degree, so the tune is recognisably the same tune in the new key);
    busyness (``busyness.respace``: long notes split or weak ones folded); loudness; touch; and the band (programs swapped by role, parts dropped, new parts played from the
    piece's chords). Nothing else moves."""
    out = piece.copy()
    out.tempo = float(new.tempo)
    if (old.tonic, old.mode) != (new.tonic, new.mode):
        _remap(out, old, new)
    if abs(new.density - old.density) > 1e-6:  # the same tune, more or fewer notes
        out = respace(out, old.density, new.density)
    if abs(new.dynamics - old.dynamics) > 1e-6:
        ratio = (0.5 + new.dynamics) / (0.5 + old.dynamics)  # +0.1 is ~+8 velocity at mezzo-forte
        out.tracks = [replace(t, notes=[replace(n, vel=min(127, max(12, round(n.vel * ratio)))) for n in t.notes])
                      for t in out.tracks]
    if abs(new.articulation - old.articulation) > 1e-6:
        _regate(out, old.articulation, new.articulation)
    if [(i.role, i.program) for i in new.instruments] != [(i.role, i.program) for i in old.instruments]:
        _reband(out, new, seed)
    return out


def _regate(piece: Piece, old: float, new: float) -> None:
    """Staccato or legato on the notes already there: the tune's and the band's notes sound for
    a longer or shorter share of their written length (drums and pads stay). Shorter touches
    only notes under two beats (a held note stays held); longer never reaches past the part's
    next onset (legato joins notes, it does not fill rests or pile notes up)."""
    ratio = (1.0 - 0.6 * new) / (1.0 - 0.6 * old)  # 0 sounds through the gap, 1 for 40 % of it
    tracks = []
    for t in piece.tracks:
        if t.drum or t.role == "pad":
            tracks.append(t)
            continue
        notes = sorted(t.notes)
        onsets = sorted({n.start for n in notes})
        out = []
        for n in notes:
            if ratio < 1:
                dur = n.dur * ratio if n.dur < 2 else n.dur
            else:
                later = [o for o in onsets if o > n.start + 1e-9]
                gap = later[0] - n.start if later else n.dur
                dur = max(n.dur, min(n.dur * ratio, gap)) if n.dur < gap else n.dur
            out.append(replace(n, dur=max(0.08, round(dur, 4))))
        tracks.append(replace(t, notes=out))
    piece.tracks = tracks


def _degree_map(pitch: int, old_scale: list[int], new_scale: list[int], shift: int) -> int:
    """The note with the same scale degree in the new scale (chromatic notes move with the
    tonic); heptatonic → pentatonic lands on the nearest of the five notes."""
    pc = pitch % 12
    moved = pitch + shift
    if pc in old_scale and len(old_scale) == len(new_scale):
        k = old_scale.index(pc)
        target = new_scale[k]
        best = min((moved + d for d in range(-3, 4) if (moved + d) % 12 == target), key=lambda p: abs(p - moved),
                   default=moved)
        return best
    if pc in old_scale:
        return min((moved + d for d in range(-2, 3) if (moved + d) % 12 in new_scale), key=lambda p: abs(p - moved),
                   default=moved)
    return moved


def _remap(piece: Piece, old: MusicSpec, new: MusicSpec) -> None:
    from duetto.media.music.harmony import chord_of

    old_scale, new_scale = scale_pcs(old.tonic, old.mode), scale_pcs(new.tonic, new.mode)
    shift = _transpose_amount(old.tonic, new.tonic)
    piece.tracks = [t if t.drum else replace(t, notes=[replace(n, pitch=max(0, min(127, _degree_map(n.pitch, old_scale, new_scale, shift))))
                                                       for n in t.notes]) for t in piece.tracks]
    chords = []
    for i, c in enumerate(piece.chords):
        rel = (c.root - old.tonic) % 12
        steps = [(s - old.tonic) % 12 for s in old_scale]
        if rel in steps and len(old_scale) == len(new_scale):
            chords.append(chord_of(new.tonic, new.mode, steps.index(rel), c.start, c.dur,
                                   cadence=i >= len(piece.chords) - 2))
        else:
            chords.append(replace(c, root=(c.root + shift) % 12, bass=None))
    piece.chords = chords
    piece.tonic, piece.mode = new.tonic, new.mode


def _reband(piece: Piece, new: MusicSpec, seed: int) -> None:
    """Give each role of the new band its track: an existing track of that role changes its
    sound; a role no longer in the band is dropped; a new role gets a part played from the
    piece's chords (a counter-line under the tune, a bass, drums…)."""
    tune = melody_of(piece)
    by_role: dict[str, list[Track]] = {}
    for t in piece.tracks:
        by_role.setdefault(t.role, []).append(t)
    tracks: list[Track] = []
    fresh_rng = stream(seed, "arrange")
    for inst, name in zip(new.instruments, track_names(new.instruments), strict=True):
        existing = by_role.get(inst.role) or []
        if existing:
            t = existing.pop(0)
            tracks.append(replace(t, program=inst.program, name=name))
            continue
        if inst.role == "melody":  # a second melody instrument doubles the tune an octave down
            notes = [replace(n, pitch=n.pitch - 12, vel=max(12, n.vel - 16)) for n in tune.notes]
        else:
            if not piece.chords:
                piece.chords = _chords_or_default(piece)
            notes = part_for(inst, piece, new, tune.notes, fresh_rng, stream(seed, "drums"))
        tracks.append(Track(name=name, program=inst.program, role=inst.role, notes=sorted(notes),
                            drum=inst.role == "drums", volume=VOLUME[inst.role], pan=PAN[inst.role]))
    if not any(t.role == "melody" for t in tracks):  # the tune is never dropped by a band change
        tracks.insert(0, tune)
    piece.tracks = tracks
