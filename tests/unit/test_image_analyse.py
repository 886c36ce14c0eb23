"""Image measures on synthetic pictures whose answers are known by construction."""

from __future__ import annotations

import numpy as np
import pytest

from duetto.media.image.analyse import (
    analyse,
    colour_name,
    colour_share,
    contrast_ratio,
    dominant_colours,
    lab_to_rgb,
    rgb_to_lab,
)


def _canvas(colour: tuple[float, float, float], size: int = 120) -> np.ndarray:
    return np.ones((size, size, 3)) * np.asarray(colour)


def test_lab_conversion_matches_reference_values_and_round_trips() -> None:
    white, red = rgb_to_lab(np.array([1.0, 1.0, 1.0])), rgb_to_lab(np.array([1.0, 0.0, 0.0]))
    assert white == pytest.approx([100.0, 0.0, 0.0], abs=0.05)
    assert red == pytest.approx([53.24, 80.09, 67.20], abs=0.1)  # the textbook sRGB red
    rgb = np.random.default_rng(0).random((50, 3))
    assert lab_to_rgb(rgb_to_lab(rgb)) == pytest.approx(rgb, abs=1e-6)


def test_half_red_half_blue_gives_those_two_colours_at_half_each() -> None:
    im = _canvas((1, 0, 0))
    im[:, 60:] = (0, 0, 1)
    colours = dominant_colours(im, k=6, seed=3)
    assert len(colours) == 2  # six clusters asked, near-duplicates merged
    assert {c.hex for c in colours} == {"#ff0000", "#0000ff"}
    assert [c.share for c in colours] == pytest.approx([0.5, 0.5], abs=0.02)
    assert {c.name_en for c in colours} == {"red", "blue"} and {c.name_zh for c in colours} == {"红色", "蓝色"}
    a = analyse(im)
    assert abs(a.balance.x) < 0.03 and a.balance.left_share == pytest.approx(0.5, abs=0.03)


def test_dominant_colours_are_repeatable_for_a_seed_and_shares_sum_to_one() -> None:
    im = np.random.default_rng(1).random((64, 64, 3))
    first, again = dominant_colours(im, k=5, seed=9), dominant_colours(im, k=5, seed=9)
    assert first == again
    assert sum(c.share for c in first) == pytest.approx(1.0, abs=1e-3)
    assert [c.share for c in first] == sorted((c.share for c in first), reverse=True)


def test_a_dark_mass_on_the_left_is_left_heavy_and_a_centred_one_is_balanced() -> None:
    left = _canvas((1, 1, 1))
    left[20:100, 5:40] = 0
    a = analyse(left)
    assert a.balance.x < -0.15 and a.balance.left_share > 0.65
    assert abs(a.balance.y) < 0.05  # vertically it is centred
    centred = _canvas((1, 1, 1))
    centred[40:80, 40:80] = 0
    b = analyse(centred)
    assert b.balance.offset < 0.03
    assert a.contrast_ratio == pytest.approx(21.0, abs=0.01)


def test_warm_cool_and_grey_canvases_measure_as_such() -> None:
    assert analyse(_canvas((0.95, 0.55, 0.1))).warmth > 0.6
    assert analyse(_canvas((0.1, 0.3, 0.9))).warmth < -0.3
    grey = analyse(_canvas((0.5, 0.5, 0.5)))
    assert grey.warmth == 0.0 and grey.chromatic_share == 0.0 and grey.saturation_mean < 0.01


def test_flat_canvas_is_empty_and_fine_stripes_are_busy() -> None:
    flat = analyse(_canvas((0.8, 0.7, 0.5)))
    assert flat.busyness == 0.0 and flat.empty_space == 1.0 and flat.luminance_std < 1e-6
    stripes = _canvas((1, 1, 1))
    stripes[:, ::2] = 0  # one-pixel stripes at the analysis size
    busy = analyse(stripes)
    assert busy.busyness > 0.9 and busy.empty_space == 0.0


def test_colour_share_counts_pixels_near_a_colour_and_names_are_nearest() -> None:
    im = _canvas((1, 1, 1))
    im[:30] = np.array([0xD4, 0xA0, 0x17]) / 255  # gold, a quarter of the canvas
    assert colour_share(im, "#d4a017") == pytest.approx(0.25, abs=0.01)
    assert colour_share(im, "#2563c9") == 0.0
    assert colour_name(rgb_to_lab(np.array([0.83, 0.63, 0.09]))) == ("金色", "gold")
    assert contrast_ratio(np.array([0.0, 0.0, 0.0]), np.array([1.0, 1.0, 1.0])) == pytest.approx(21.0)
