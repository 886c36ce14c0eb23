"""Spec arithmetic: deltas, diffs and the evolve operators act as an artist would expect."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from duetto.spec import CreativeSpec, NamedColour, SpecDelta, apply_delta, spec_diff
from duetto.studio import evolve

RED = NamedColour(name="red", hex="#d62828")
BLUE = NamedColour(name="blue", hex="#1d4e89")


def test_shift_is_clamped_to_the_field_range() -> None:
    spec = CreativeSpec(energy=0.9)
    out = apply_delta(spec, SpecDelta(shift={"energy": 0.5, "palette.warmth": -3.0}))
    assert out.energy == 1.0
    assert out.palette.warmth == -1.0
    assert spec.energy == 0.9  # the parent spec is untouched


def test_excluding_a_colour_removes_it_and_asking_again_restores_it() -> None:
    spec = CreativeSpec()
    spec = apply_delta(spec, SpecDelta(add_colours=[RED, BLUE]))
    spec = apply_delta(spec, SpecDelta(exclude_colours=[RED]))
    assert [c.name for c in spec.palette.colours] == ["blue"]
    assert [c.name for c in spec.palette.excluded] == ["red"]
    spec = apply_delta(spec, SpecDelta(add_colours=[RED]))
    assert {c.name for c in spec.palette.colours} == {"blue", "red"}
    assert spec.palette.excluded == []


def test_more_of_a_colour_already_present_raises_its_weight() -> None:
    spec = apply_delta(CreativeSpec(), SpecDelta(add_colours=[BLUE]))
    spec = apply_delta(spec, SpecDelta(add_colours=[BLUE]))
    assert len(spec.palette.colours) == 1
    assert spec.palette.colours[0].weight == 2.0


def test_shift_of_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="cannot shift"):
        SpecDelta(shift={"palette.colours": 1.0})


def test_ranges_stay_ordered_after_shifts() -> None:
    out = apply_delta(CreativeSpec(), SpecDelta(shift={"palette.lightness.lo": 0.9}))
    assert out.palette.lightness.lo <= out.palette.lightness.hi


def test_spec_diff_names_changed_leaves() -> None:
    a = CreativeSpec(energy=0.2)
    b = a.model_copy(update={"energy": 0.8, "style": "ink"})
    d = spec_diff(a, b)
    assert d["energy"] == (0.2, 0.8)
    assert d["style"] == (None, "ink")
    assert "density" not in d


def test_blend_interpolates_numbers_and_mixes_palettes() -> None:
    a = CreativeSpec(energy=0.0, style="flow", palette={"colours": [RED]})
    b = CreativeSpec(energy=1.0, style="ink", palette={"colours": [BLUE]})
    mid = evolve.blend(a, b, 0.25)
    assert mid.energy == pytest.approx(0.25)
    assert mid.style == "flow"  # nearer parent wins choices that cannot be mixed
    weights = {c.name: c.weight for c in mid.palette.colours}
    assert weights["red"] > weights["blue"]
    assert evolve.blend(a, b, 1.0).style == "ink"


def test_breed_is_deterministic_for_a_seed_and_takes_fields_from_parents() -> None:
    parents = [CreativeSpec(energy=e, style=s) for e, s in ((0.1, "flow"), (0.5, "ink"), (0.9, "wave"))]
    one = evolve.breed(parents, np.random.default_rng(3), mutation=0.0)
    two = evolve.breed(parents, np.random.default_rng(3), mutation=0.0)
    assert one == two
    assert one.energy in (0.1, 0.5, 0.9)
    assert one.style in ("flow", "ink", "wave")


def test_perturb_moves_a_little_and_stays_in_range() -> None:
    spec = CreativeSpec(energy=1.0)
    out = evolve.perturb(spec, np.random.default_rng(1), 0.06)
    assert out != spec
    assert 0.0 <= out.energy <= 1.0
    assert abs(out.density - spec.density) < 0.4


def test_feedback_can_replace_a_contradicted_mood() -> None:
    spec = CreativeSpec(mood={"named": ["energetic", "joyful"]})
    out = apply_delta(spec, SpecDelta(add_moods=["calm"], remove_moods=["energetic"]))
    assert out.mood.named == ["joyful", "calm"]
