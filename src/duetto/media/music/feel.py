"""Mood feedback on a stored plan, moved by cues a listener hears: "更欢快一些" is faster,
brighter (major, a step higher), busier, more detached and a little louder; "sadder" the other
way; "calmer" is slower, sparser, softer and smoother without touching the mode.

Music psychology names the cues that carry a felt mood (Gabrielsson & Lindström 2010; Juslin):
valence rides mainly on mode and register, with tempo and articulation; arousal on tempo,
loudness and busyness. ``media.music.felt`` measures the same cues, so each size here is set to
clear its just-noticeable difference: "a bit"/"一些" asks for one step, plain words for a little
more, "much"/"很多" for two.

The rule parser also moves ``CreativeSpec.mood`` for these words; ``styles.follow_mood`` turns
any mood change into a plan change when no word here was heard (e.g. "more romantic").
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from duetto.media.music.scan import Scan
from duetto.spec import MusicSpec

# (pattern, axis, sign). Comparative and plain forms; "too sad" asks for the opposite.
FEEL_WORDS: tuple[tuple[str, str, int], ...] = (
    (r"太(?:忧伤|伤感|悲伤|悲|沉重|压抑)|too (?:sad|gloomy|dark|melanchol\w*)", "valence", 1),
    (r"太(?:欢快|欢乐|轻佻)|too (?:happy|cheerful|upbeat)", "valence", -1),
    (r"太(?:激烈|躁|吵闹|闹)|too (?:energetic|intense|frantic|wild)", "arousal", -1),
    (r"太(?:沉闷|平淡|无聊|拖沓)|too (?:dull|flat|sleepy|boring)", "arousal", 1),
    (r"欢快|愉快|快乐|开心|欢乐|喜悦|明朗|阳光|明亮|cheerful|happ(?:y|ier)|joyful|joyous|merr(?:y|ier)|"
     r"brighter|upbeat|sunn(?:y|ier)", "valence", 1),
    (r"忧伤|伤感|悲伤|哀伤|忧郁|惆怅|凄凉|哀愁|悲凉|sad(?:der)?|melanchol\w*|gloom(?:y|ier)|darker|mournful|"
     r"wistful|sorrowful", "valence", -1),
    (r"有活力|活力|激昂|动感|热烈|振奋|奔放|激动|energetic|lively|livelier|vigorous|exciting|excited|"
     r"intense|driving|more energy|spirited", "arousal", 1),
    (r"平静|安静|宁静|沉静|放松|恬静|平和|calm(?:er)?|peaceful|relax(?:ed|ing)|tranquil|serene|gentle|gentler|"
     r"mellow(?:er)?|restful", "arousal", -1),
)
MUCH = re.compile(r"很多|得多|多了|许多|非常|十分|大幅|极|much|a lot|far|way|lots|very|really|considerably")
LITTLE = re.compile(r"一些|一点|一丝|些许|稍|略|有点|a (?:little|bit|touch)|slightly|somewhat|a tad")
NEGATED = re.compile(r"(不要|别|不够|没那么|不那么|less|not so|not as|no longer)\s*$")

# How far one step moves each cue (a step is 1 for "a bit", 1.3 plain, 2.2 "much").
STEP = {"bit": 1.0, "plain": 1.3, "much": 2.2}
VALENCE_MOVES = {"tempo": 0.06, "register": 2, "dynamics": 0.08, "articulation": 0.1, "density": 0.08}
AROUSAL_MOVES = {"tempo": 0.08, "dynamics": 0.1, "articulation": 0.1, "density": 0.12}
PENTATONIC_MODES = ("gong", "shang", "jue", "zhi", "yu")
MIN_BPM = 7  # one step always moves the tempo this much at least (the tempo JND at ~150 bpm)
BRIGHTER = {"minor": "major", "phrygian": "minor", "dorian": "major", "mixolydian": "major", "jue": "yu",
            "yu": "gong", "shang": "zhi", "zhi": "gong"}
DARKER = {"major": "minor", "lydian": "major", "mixolydian": "minor", "dorian": "minor", "gong": "yu", "zhi": "yu",
          "shang": "yu", "yu": "jue", "minor": "phrygian"}


class Feel(BaseModel):
    """The felt mood a piece of feedback asks for: steps on each axis (0: not asked)."""

    valence: float = Field(0.0, description="Happier > 0, sadder < 0, in steps.")
    arousal: float = Field(0.0, description="More energy > 0, calmer < 0, in steps.")
    heard: list[str] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.heard


def read_feel(text: str) -> Feel:
    """The mood words of ``text`` with their size ("一些" one step, "很多" two) and sign."""
    scan = Scan(text, (NEGATED,))
    feel = Feel()
    for pattern, axis, sign in FEEL_WORDS:
        for m in scan.find(pattern):
            head, tail = scan.before(m.start(), 12), scan.after(m.end(), 10)
            size = "much" if MUCH.search(head[-6:]) or MUCH.search(tail[:6]) else \
                "bit" if LITTLE.search(head[-8:]) or LITTLE.search(tail[:6]) else "plain"
            flip = -1 if scan.negated(m.start()) and not pattern.startswith("太") else 1
            setattr(feel, axis, getattr(feel, axis) + sign * flip * STEP[size])
            feel.heard.append(text[m.start():m.end()])
    feel.valence = max(-2.2, min(2.2, feel.valence))
    feel.arousal = max(-2.2, min(2.2, feel.arousal))
    return feel


def feel_plan(music: MusicSpec, feel: Feel) -> MusicSpec:
    """The plan moved by ``feel``: every cue of each axis, each by its step; the band, form,
    metre and length stay. Valence also moves the mode one step brighter or darker and the key
    (so the register) a whole tone up or down per step."""
    v, a = feel.valence, feel.arousal
    update: dict[str, Any] = {}
    tempo_steps = VALENCE_MOVES["tempo"] * v + AROUSAL_MOVES["tempo"] * a
    if abs(tempo_steps) > 1e-9:
        target = music.tempo * (1 + tempo_steps)
        floor = MIN_BPM * max(abs(v), abs(a))
        if abs(target - music.tempo) < floor:
            target = music.tempo + floor * (1 if tempo_steps > 0 else -1)
        update["tempo"] = int(min(208, max(40, round(target))))
    for name in ("dynamics", "articulation", "density"):
        move = VALENCE_MOVES[name] * v + AROUSAL_MOVES[name] * a
        if name == "articulation" and a < 0 and v == 0:
            move = AROUSAL_MOVES[name] * a  # calmer is smoother
        if abs(move) > 1e-9:
            low = 0.15 if name == "dynamics" else 0.0
            update[name] = round(min(1.0, max(low, getattr(music, name) + move)), 3)
    if v:
        update["mode"] = _mode_step(music.mode, v)
        semitones = int(round(VALENCE_MOVES["register"] * v))
        update["tonic"] = (music.tonic + semitones) % 12  # retune moves every note by this
    return music.model_copy(update=update)


def _mode_step(mode: str, v: float) -> str:
    out = (BRIGHTER if v > 0 else DARKER).get(mode, mode)  # one step: "much sadder" is minor, not phrygian
    if mode in PENTATONIC_MODES and out not in PENTATONIC_MODES:
        return mode
    return out

