"""Felt effect: what a piece of feedback must measurably change, and by how much.

"Warmer, fewer lines" is a promise about the next picture, not about the spec. Each feedback
*family* (warmth, lines, tempo, imagery…) names the measured *feature* it should move and the
features it may move along the way; each feature has a just-noticeable difference (``jnd``), the
smallest change a person would see or hear. A revision *acts* when its feature moved the asked
way by at least the jnd (scaled: "a bit" asks for one jnd, "much more" for two), and it *spills*
when a feature it had no business touching moved by a jnd or more.

Each medium says what it can measure in its own module (``duetto.media.image.felt``,
``duetto.media.music.felt``, ``duetto.media.text.felt``): ``FEATURES``, ``FAMILIES`` and
``features(data) -> {name: value}``. The labelled phrases live in ``brief/data/feedback/*.jsonl``;
``benchmarks/bench_feedback.py`` runs them.
"""

from __future__ import annotations

import json
from importlib import import_module
from importlib.resources import files
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Scale = Literal["bit", "plain", "much"]
SCALE_FACTOR: dict[str, float] = {"bit": 1.0, "plain": 1.0, "much": 2.0}
"""How many jnds a phrase asks for: "a bit warmer" and "warmer" one, "much warmer" two."""

FELT_MODULES: dict[str, str] = {
    "painting": "duetto.media.image.felt",
    "music": "duetto.media.music.felt",
    "poem": "duetto.media.text.felt",
    "story": "duetto.media.text.felt",
    "script": "duetto.media.text.felt",
}


class Feature(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    jnd: float = Field(gt=0.0, description="Smallest change a person notices, in the feature's own units.")
    what: str = ""
    weber: float = Field(0.0, ge=0.0, description="Relative jnd (Weber fraction): the jnd is at least this share "
                         "of the value before, for features a person compares by ratio (twice the lines).")
    floor: float | None = Field(None, description="At or below this there is nothing left: 'no blue' on a "
                                "picture with no blue is already kept, and counts as acted.")
    headroom: float = Field(0.0, ge=0.0, description="For a share with ends (0..``top``): the jnd asked for is "
                            "at most this part of the room left in the asked direction, since near an end a "
                            "person compares what is left (a tenth of 90 % of fine texture is not 4 points).")
    top: float = Field(100.0, description="The upper end of the scale, for ``headroom``.")
    ceiling: float | None = Field(None, description="At or above this there is no room left: 'denser' on a "
                                  "canvas whose every part carries marks is already kept, and counts as acted.")


class Family(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    feature: str = Field(description="The feature this family's feedback must move.")
    allowed: tuple[str, ...] = Field((), description="Other features it may move without counting as spill.")
    mix: bool = Field(False, description="The family changes how much of the canvas carries colour (denser, "
                      "bigger shapes, calmer and so more muted): a feature that grows with that whole (a hue's "
                      "share of the canvas with the coloured part: the module's ``MIX``) spills only when it "
                      "moved a jnd away from what the same colour mix on the new whole would give.")


class Phrase(BaseModel):
    """One labelled piece of feedback: the words, the family and the way its feature should go."""

    model_config = ConfigDict(extra="forbid")

    id: str
    medium: Literal["painting", "music", "poem", "story", "script"]
    lang: Literal["zh", "en"]
    family: str
    text: str = Field(min_length=1)
    direction: Literal["up", "down"]
    scale: Scale = "plain"
    also: tuple[str, ...] = Field((), description="Other families the words ask for as well (更热烈, 'more "
                                  "fervent', is hotter too): their features may move without counting as spill.")

    @property
    def sign(self) -> int:
        return 1 if self.direction == "up" else -1


class Effect(BaseModel):
    """How one revision measured against its phrase."""

    phrase: str
    before: float
    after: float
    needed: float
    acted: bool
    spilled: list[str] = Field(default_factory=list)


class FeltModule(Protocol):
    FEATURES: dict[str, Feature]
    FAMILIES: dict[str, Family]

    def features(self, data: bytes) -> dict[str, float]: ...


def felt_for(medium: str) -> FeltModule:
    return import_module(FELT_MODULES[medium])  # type: ignore[return-value]


def load_phrases(medium: str | None = None) -> list[Phrase]:
    """Every labelled phrase (or one medium's), in file order."""
    out: list[Phrase] = []
    folder = files("duetto.brief").joinpath("data/feedback")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".jsonl"):
            continue
        for line in entry.read_text(encoding="utf-8").splitlines():
            if line.strip():
                phrase = Phrase.model_validate(json.loads(line))
                if medium is None or phrase.medium == medium:
                    out.append(phrase)
    return out


def effect(phrase: Phrase, module: FeltModule, before: dict[str, float], after: dict[str, float]) -> Effect:
    """Did the revision move its feature far enough the asked way, and what else moved?"""
    family = module.FAMILIES[phrase.family]
    feature = module.FEATURES[family.feature]
    needed = _jnd(feature, before[family.feature]) * SCALE_FACTOR[phrase.scale]
    if feature.headroom:
        room = feature.top - before[family.feature] if phrase.sign > 0 else before[family.feature]
        needed = min(needed, feature.headroom * max(room, 0.0) * SCALE_FACTOR[phrase.scale])
    moved = (after[family.feature] - before[family.feature]) * phrase.sign
    asked = {family.feature, *family.allowed, *(module.FAMILIES[a].feature for a in phrase.also)}
    spilled = [
        name for name, f in module.FEATURES.items()
        if name not in asked
        and name in before and name in after and abs(after[name] - before[name]) >= _jnd(f, before[name])
        and not (family.mix and _mix_held(module, name, f, before, after))
    ]
    emptied = phrase.sign < 0 and feature.floor is not None and after[family.feature] <= feature.floor
    emptied |= phrase.sign > 0 and feature.ceiling is not None and after[family.feature] >= feature.ceiling
    return Effect(phrase=phrase.id, before=before[family.feature], after=after[family.feature],
                  needed=round(needed, 4), acted=moved >= needed or emptied, spilled=spilled)


def _mix_held(module: FeltModule, name: str, feature: Feature, before: dict[str, float],
              after: dict[str, float]) -> bool:
    """Whether a feature that grows with a whole (``MIX``: a hue's share of the canvas with the
    coloured part, warmth with chroma) moved only as its whole did: ``after`` is within the jnd of
    ``before`` scaled by the whole's change. More marks in the same colours on less grey ground,
    or the same hues a little muted, are the same colour mix and read as the same colours."""
    whole = getattr(module, "MIX", {}).get(name)
    if whole is None or whole not in before or whole not in after or before[whole] <= 0.0:
        return False
    expected = before[name] * after[whole] / before[whole]
    return abs(after[name] - expected) < _jnd(feature, before[name])


def _jnd(feature: Feature, before: float) -> float:
    return max(feature.jnd, feature.weber * abs(before))
