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


class Family(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    feature: str = Field(description="The feature this family's feedback must move.")
    allowed: tuple[str, ...] = Field((), description="Other features it may move without counting as spill.")


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
    moved = (after[family.feature] - before[family.feature]) * phrase.sign
    spilled = [
        name for name, f in module.FEATURES.items()
        if name != family.feature and name not in family.allowed
        and name in before and name in after and abs(after[name] - before[name]) >= _jnd(f, before[name])
    ]
    emptied = phrase.sign < 0 and feature.floor is not None and after[family.feature] <= feature.floor
    return Effect(phrase=phrase.id, before=before[family.feature], after=after[family.feature],
                  needed=round(needed, 4), acted=moved >= needed or emptied, spilled=spilled)


def _jnd(feature: Feature, before: float) -> float:
    return max(feature.jnd, feature.weber * abs(before))
