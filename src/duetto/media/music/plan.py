"""From a CreativeSpec to a music plan (``MusicSpec``): key, mode, tempo, metre, form, band.

The mapping is the one composers teach: brighter moods take major (or 宫/徵) modes, darker ones
minor (羽/角); arousal and energy set the tempo and how busy the parts are; warm palettes lean to
sharp keys, cool ones to flat keys. Anything the brief says outright ("waltz", "72 bpm", "二胡")
wins over the mood. The plan is stored in the version's spec, so feedback edits a plan the person
can read rather than one guessed again from scratch.

The style tables and the mood → mode rule live in ``styles``, which ``words`` shares to edit a
stored plan; this module reads the brief through ``words``.
"""

from __future__ import annotations

import hashlib

from duetto.media.music.styles import FORM, METRE, TEMPO_RANGE, band, mode_for
from duetto.media.music.words import read_music_words
from duetto.spec import CreativeSpec, MusicSpec

# Words that make a brief Chinese-flavoured (pentatonic) without saying "pentatonic".
CHINESE_FLAVOUR = ("中国风", "古风", "五声", "民族", "国风", "江南", "古筝", "二胡", "琵琶", "笛子", "箫",
                   "绝句", "律诗", "如梦令", "忆江南", "浣溪沙", "点绛唇", "宫调", "徵调", "羽调", "商调", "角调")
SHARP_KEYS = (7, 2, 9, 4)  # G D A E: warm, bright
FLAT_KEYS = (5, 10, 3)  # F Bb Eb: cool, soft
MINOR_WARM = (4, 11, 6)  # E B F#
MINOR_COOL = (2, 7, 0)  # D G C


def _pick(options: tuple[int, ...] | list[str], seed: int, salt: str) -> int:
    h = int(hashlib.sha256(f"{seed}:{salt}".encode()).hexdigest()[:8], 16)
    return h % len(options)


def chinese_flavoured(spec: CreativeSpec) -> bool:
    said = spec.brief + " " + " ".join(spec.keywords) + " " + (spec.style or "")
    return any(w in said for w in CHINESE_FLAVOUR)


def style_for(spec: CreativeSpec) -> str:
    """A style from the mood when the brief names none."""
    a, v, e = spec.mood.arousal, spec.mood.valence, spec.energy
    if chinese_flavoured(spec):
        return "pentatonic"
    if a > 0.68 and v > 0.1 and e > 0.6:
        return "dance"
    if a > 0.58 and v > 0.0:
        return "folk"
    if a < 0.3:
        return "ambient" if v < 0.3 else "chorale"
    return "ballad"


def tempo_for(style: str, arousal: float, energy: float) -> int:
    lo, hi = TEMPO_RANGE[style]
    drive = min(1.0, max(0.0, 0.65 * arousal + 0.35 * energy))
    return int(round(lo + (hi - lo) * drive))


def bars_for(seconds: float, tempo: float, metre: str, form: str) -> int:
    """Bars for a length in seconds, rounded to whole phrases of the form (4-bar multiples)."""
    num, den = (int(x) for x in metre.split("/"))
    bar_s = num * 4.0 / den * 60.0 / tempo
    raw = seconds / bar_s
    # whole sections of 4-bar phrases: AABA and verse-chorus in 16s, ABA in 12s, AB in 8s
    unit = {"AABA": 16, "verse-chorus": 16, "ABA": 12, "AB": 8}.get(form, 4)
    if raw < unit * 0.75:  # a short piece: 4-bar phrases; the form shrinks to fit
        unit = 4
    return int(min(128, max(4, unit * max(1, round(raw / unit)))))


def resolve(spec: CreativeSpec, seed: int = 0) -> MusicSpec:
    """The plan for ``spec``: the stored one when there is one, else derived from the mood,
    energy, palette and what the brief says about music."""
    return resolve_with_notes(spec, seed)[0]


def resolve_with_notes(spec: CreativeSpec, seed: int = 0) -> tuple[MusicSpec, list[str]]:
    """The plan, and what the person should be told about it (a tempo clamped into range, a
    length that did not fit, an instrument General MIDI does not have)."""
    if spec.music is not None:
        return spec.music, []
    said = read_music_words(spec.brief)
    style = said.style or style_for(spec)
    pentatonic = style == "pentatonic" or (said.mode in ("gong", "shang", "jue", "zhi", "yu"))
    if pentatonic and style not in ("pentatonic",) and said.style is None:
        style = "pentatonic"
    mode = said.mode or mode_for(spec.mood.valence, spec.mood.arousal, pentatonic)
    warm = spec.palette.warmth
    if said.tonic is not None:
        tonic = said.tonic
    elif mode in ("minor", "dorian", "phrygian", "yu", "jue"):
        keys = MINOR_WARM if warm > 0.2 else MINOR_COOL if warm < -0.2 else (9, 4, 2)
        tonic = keys[_pick(keys, seed, "tonic")]
    else:
        keys = SHARP_KEYS if warm > 0.2 else FLAT_KEYS if warm < -0.2 else (0, 7, 5, 2)
        tonic = keys[_pick(keys, seed, "tonic")]
    metre = said.metre or METRE.get(style, "4/4")
    tempo = said.tempo or tempo_for(style, spec.mood.arousal, spec.energy)
    if said.tempo_factor and not said.tempo:
        tempo = int(round(tempo * said.tempo_factor))
    tempo = min(208, max(40, tempo))
    form = said.form or FORM[style]
    seconds = said.seconds or 0.0
    bars = said.bars or bars_for(seconds or 30.0, tempo, metre, form)
    notes = list(said.notes)
    num, den = (int(x) for x in metre.split("/"))
    actual = bars * num * 4.0 / den * 60.0 / tempo
    if seconds and abs(actual - seconds) > 0.2 * seconds:  # whole phrases, 4..128 bars: say what it became
        notes.append(f"asked for {seconds:g} s; at {tempo} bpm that is {bars} bars ({actual:.0f} s)"
                     + (" (the longest a piece can be)" if bars == 128 else ""))
    instruments = band(style, has_drums=None)
    if said.instruments or said.solo or said.no_drums or said.drums:
        instruments = said.apply_band(instruments)
    density = min(1.0, max(0.0, 0.25 + 0.45 * spec.energy + 0.3 * (spec.density - 0.5) + 0.2 * (spec.mood.arousal - 0.5)))
    articulation = said.articulation if said.articulation is not None else min(1.0, max(0.0, 0.15 + 0.5 * spec.energy * spec.rhythm))
    dynamics = min(1.0, max(0.15, 0.35 + 0.4 * spec.mood.arousal + 0.2 * spec.energy))
    music = MusicSpec(tonic=tonic, mode=mode, tempo=tempo, metre=metre, bars=bars, form=form, style=style,
                      instruments=instruments, density=round(said.density if said.density is not None else density, 3),
                      articulation=round(articulation, 3), dynamics=round(dynamics, 3), seconds=seconds)
    return music, notes
