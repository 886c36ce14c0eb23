"""What each style is played at, and the mood rules a plan follows: the tempo range, metre, form
and starting band of each style, the mode a mood takes, and how a stored plan moves when the mood
changes.

``plan`` builds a new plan from these and ``words`` edits a stored one with them (a new style
brings its band and tempo range; "更欢快一些" moves the mode and tempo), so they live here, below
both, rather than in ``plan``, which reads the brief through ``words``.
"""

from __future__ import annotations

import math

from duetto.spec import CreativeSpec, Instrument, MusicSpec

# Tempo ranges (quarter notes per minute) that each style is played at.
TEMPO_RANGE: dict[str, tuple[int, int]] = {
    "chorale": (56, 84), "ballad": (64, 96), "waltz": (132, 180), "march": (100, 126),
    "ambient": (52, 76), "dance": (110, 128), "folk": (84, 124), "pentatonic": (60, 108),
}
METRE: dict[str, str] = {"waltz": "3/4", "march": "2/4"}
FORM: dict[str, str] = {
    "chorale": "ABA", "ballad": "AABA", "waltz": "AABA", "march": "AABA", "ambient": "ABA",
    "dance": "verse-chorus", "folk": "AABA", "pentatonic": "ABA",
}

# The band each style starts from: (role, GM program, name).
BAND: dict[str, list[tuple[str, int, str]]] = {
    "chorale": [("melody", 52, "choir"), ("chords", 48, "strings"), ("bass", 42, "cello")],
    "ballad": [("melody", 0, "piano"), ("chords", 0, "piano"), ("bass", 32, "acoustic bass"),
               ("pad", 48, "strings")],
    "waltz": [("melody", 40, "violin"), ("chords", 0, "piano"), ("bass", 42, "cello")],
    "march": [("melody", 56, "trumpet"), ("chords", 61, "brass"), ("bass", 58, "tuba"), ("drums", 0, "drums")],
    "ambient": [("melody", 11, "vibraphone"), ("pad", 89, "warm pad"), ("bass", 89, "warm pad")],
    "dance": [("melody", 80, "square lead"), ("chords", 4, "electric piano"), ("bass", 38, "synth bass"),
              ("drums", 0, "drums")],
    "folk": [("melody", 73, "flute"), ("chords", 25, "steel guitar"), ("bass", 32, "acoustic bass"),
             ("drums", 0, "drums")],
    "pentatonic": [("melody", 73, "笛子 (flute)"), ("chords", 107, "古筝 (koto)"), ("bass", 42, "cello")],
}


def band(style: str, has_drums: bool | None = None) -> list[Instrument]:
    out = [Instrument(role=r, program=p, name=n) for r, p, n in BAND[style]]  # type: ignore[arg-type]
    if has_drums is False:
        out = [i for i in out if i.role != "drums"]
    return out


def mode_for(valence: float, arousal: float, pentatonic: bool) -> str:
    if pentatonic:
        return "gong" if valence > 0.35 else "zhi" if valence > 0.0 else "yu" if valence > -0.5 else "jue"
    if valence > 0.15:
        return "major"
    if valence < -0.15:
        return "minor"
    return "mixolydian" if arousal > 0.6 else "dorian"


def follow_mood(music: MusicSpec, before: CreativeSpec, after: CreativeSpec) -> MusicSpec:
    """Move a stored plan with a mood change ("更欢快一些", "sadder", "calmer"): the mode follows
    the valence across its thresholds, tempo and busyness follow arousal and energy. Fields the
    mood does not touch (band, form, key note) stay as the person left them."""
    dv = after.mood.valence - before.mood.valence
    da = after.mood.arousal - before.mood.arousal
    de = after.energy - before.energy
    if abs(dv) < 1e-6 and abs(da) < 1e-6 and abs(de) < 1e-6:
        return music
    update: dict[str, object] = {}
    pentatonic = music.mode in ("gong", "shang", "jue", "zhi", "yu")
    wanted = mode_for(after.mood.valence, after.mood.arousal, pentatonic)
    brighter = dv > 0.05 and _brightness(wanted) > _brightness(music.mode)
    darker = dv < -0.05 and _brightness(wanted) < _brightness(music.mode)
    if brighter or darker:
        update["mode"] = wanted
    factor = math.exp(0.6 * da + 0.3 * de)
    if abs(factor - 1.0) > 0.01:
        update["tempo"] = int(min(208, max(40, round(music.tempo * factor))))
    update["density"] = round(min(1.0, max(0.0, music.density + 0.4 * de + 0.3 * da)), 3)
    update["dynamics"] = round(min(1.0, max(0.15, music.dynamics + 0.4 * da)), 3)
    if da > 0.05 or de > 0.05:
        update["articulation"] = round(min(1.0, music.articulation + 0.3 * max(da, de)), 3)
    return music.model_copy(update=update)


def _brightness(mode: str) -> int:
    order = ("phrygian", "jue", "minor", "yu", "dorian", "shang", "mixolydian", "zhi", "major", "gong", "lydian")
    return order.index(mode)
