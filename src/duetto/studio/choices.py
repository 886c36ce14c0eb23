"""Choices a person makes by hand next to the brief: colour swatches and energy/density sliders.

The brief's words are read first; the choices then override what the words implied, because
a swatch someone clicked is more exact than "warm colours". They are applied as a ``SpecDelta``
so the spec notes say what came from the form, and they are credited to the person like the
brief itself.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from duetto.media.image.analyse import colour_name, hex_rgb, rgb_to_lab
from duetto.spec import CreativeSpec, NamedColour, SpecDelta, apply_delta


def _hex(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"a colour is written #rrggbb, e.g. #1e90ff (got {value!r})")
    return value.lower()


Hex = Annotated[str, AfterValidator(_hex), Field(description="A colour as #rrggbb.")]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class SpecChoices(BaseModel):
    """Unset fields (``None``, empty list) leave the brief's reading alone."""

    model_config = ConfigDict(extra="forbid")

    colours: list[Hex] = Field(default_factory=list, max_length=8, description="The palette, in order of weight.")
    energy: Share | None = Field(None, description="0 still .. 1 energetic; null: from the brief.")
    density: Share | None = Field(None, description="0 sparse .. 1 dense; null: from the brief.")

    def is_empty(self) -> bool:
        return not self.colours and self.energy is None and self.density is None

    def describe(self) -> str:
        """One line for the spec notes and the contribution ledger."""
        parts = []
        if self.colours:
            parts.append("colours " + " ".join(self.colours))
        if self.energy is not None:
            parts.append(f"energy {self.energy:.2f}")
        if self.density is not None:
            parts.append(f"density {self.density:.2f}")
        return "chosen by hand: " + ", ".join(parts)


def named(hex_: str) -> NamedColour:
    """A swatch with the English name of its nearest named colour (the painter reads names)."""
    hex_ = hex_.lower()
    _, en = colour_name(rgb_to_lab(hex_rgb(hex_)))
    return NamedColour(name=en, hex=hex_)


def apply_choices(spec: CreativeSpec, choices: SpecChoices) -> CreativeSpec:
    """The spec with the hand choices on top; the swatches replace the words' colours and
    warmth goes neutral, since the colours themselves now say how warm the picture is."""
    if choices.is_empty():
        return spec
    values: dict[str, object] = {}
    if choices.colours:
        seen = dict.fromkeys(choices.colours)  # keep order, drop repeats
        values["palette.colours"] = [named(c).model_dump() for c in seen]
        values["palette.warmth"] = 0.0
    if choices.energy is not None:
        values["energy"] = choices.energy
    if choices.density is not None:
        values["density"] = choices.density
    note = choices.describe()
    return apply_delta(spec, SpecDelta(feedback=note, set=values, notes=[note]))
