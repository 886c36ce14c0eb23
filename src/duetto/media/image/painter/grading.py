"""How the painter takes colour feedback: as a grade of the finished picture (``spec.grade``).

The rules read "更温暖一些" as ``palette.warmth +0.28`` for every medium. Repainting from that
palette moved the drawing as well as the colour (see ``media/image/grade.py``), so for a painter's
work the colour part of a delta moves to ``grade.*`` instead and the palette, which the brief
chose, stays. Each grade step has a floor (``MIN_STEP``) so the mildest wording ("a bit
warmer") is still a change a viewer sees; "much" keeps its larger step.
"""

from __future__ import annotations

import io

from PIL import Image

from duetto.media.image.grade import stats_of
from duetto.spec import ColourMatch, CreativeSpec, Grade, HueRange, SpecDelta

MIN_STEP: dict[str, float] = {"grade.warmth": 0.25, "grade.light": 0.22, "grade.saturation": 0.3,
                              "grade.contrast": 0.3}
MOVED: dict[str, tuple[str, ...]] = {  # grade path: the palette paths it takes over (their mean)
    "grade.warmth": ("palette.warmth",),
    "grade.light": ("palette.lightness.lo", "palette.lightness.hi"),
    "grade.saturation": ("palette.saturation.lo", "palette.saturation.hi"),
}
ENERGY_CONTRAST = 1.0  # grade.contrast per unit of energy feedback: calmer is also softer in value
ENERGY_SATURATION = 0.6  # and more muted (hue shares and warmth are judged against the chroma: felt.MIX)
TINT_WEIGHT = 1.0  # "more blue" washes blue in at full tint strength


def absorb(delta: SpecDelta, spec: CreativeSpec) -> SpecDelta:
    """``delta`` with its colour moves turned into grade moves (a new delta; history keeps it)."""
    shift = dict(delta.shift)
    for target, paths in MOVED.items():
        moved = [shift.pop(p) for p in paths if p in shift]
        if moved:
            shift[target] = shift.get(target, 0.0) + sum(moved) / len(moved)
    energy = shift.get("energy", 0.0)
    if energy:
        shift["grade.contrast"] = shift.get("grade.contrast", 0.0) + ENERGY_CONTRAST * energy
        shift["grade.saturation"] = shift.get("grade.saturation", 0.0) + ENERGY_SATURATION * energy
    for path, floor in MIN_STEP.items():
        if path in shift and 0 < abs(shift[path]) < floor:
            shift[path] = floor if shift[path] > 0 else -floor
    tints = [c.model_copy(update={"weight": TINT_WEIGHT}) for c in delta.add_colours]
    return delta.model_copy(update={
        "shift": {k: round(v, 3) for k, v in shift.items()},
        "add_colours": [], "add_hues": [], "add_tints": [*delta.add_tints, *tints],
        "exclude_colours": [], "exclude_hues": [], "remove_tints": [*delta.remove_tints, *delta.exclude_colours],
        "remove_tint_hues": [*delta.remove_tint_hues, *delta.exclude_hues],
    })


def excluded_arcs(grade: Grade) -> list[HueRange]:
    """The hue arcs (HSL degrees) the grade turns out: the arcs the words named (绿 is 95-150°,
    wider than the ±30° a named colour alone would rule out), as the palette's exclusions do.
    A fixed ±45° around each named colour turned a "no red" sunset's oranges olive."""
    return list(grade.excluded_hues)


def toward(blended: CreativeSpec, near: CreativeSpec, far: bytes, share: float) -> CreativeSpec:
    """A blend's spec for the painter: the drawing's numbers as interpolated, the near parent's
    palette and grade, and a colour match toward the far parent's pixels by its ``share``.

    Mixing palettes by weight let one named colour of the far parent take the whole picture at
    t = 0.3; matching colour statistics moves the picture by the share asked for, as a viewer
    sees it (``bench_blend.py`` measures the distances)."""
    with Image.open(io.BytesIO(far)) as im:
        mean, std = stats_of(im.convert("RGB"))
    graded = near.grade.model_copy(update={"match": ColourMatch(mean=mean, std=std, amount=round(share, 3))})
    return blended.model_copy(update={"palette": near.palette, "grade": graded})
