"""Each abstract style acts on 'fewer/more lines' and 'bigger/smaller shapes' the way a viewer sees it.

A small real painting per style is revised through the studio, and both versions are measured with
``media.image.felt`` (the benchmark's yardstick): the asked feature moves by its jnd, the asked
way, and no colour share moves by its own.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from duetto.media.image import felt
from duetto.studio import Studio, operations
from duetto.studio.felt import Phrase, effect

SMALL = {"width": 256, "height": 256, "svg": False}
LINES = {
    "colorfield": ["calm colour fields at dusk", "a deep blue night sea, cold and quiet"],
    "geometric": ["几何构成，红黄蓝"],
    "wave": ["蓝色的海浪"],
    "ink": ["水墨山水，留白"],
    "flow": ["flowing lines of wind"],
    "brush": ["energetic brush strokes, spring garden"],
}


def _revised(studio: Studio, brief: str, style: str, text: str) -> tuple[dict, dict, str]:
    base = operations.new(studio, operations.NewRequest(
        brief=brief, media=["painting"], style=style, variants=1, seed=1, params=SMALL)).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback=text)).versions[0]
    assert child.info["style"] == style
    return (felt.features(studio.blobs.read(base.sha256, base.ext)),
            felt.features(studio.blobs.read(child.sha256, child.ext)), child.info["style"])


def _check(before: dict, after: dict, text: str, family: str, direction: str, scale: str) -> None:
    phrase = Phrase(id="t", medium="painting", lang="en", family=family, text=text,
                    direction=direction, scale=scale)  # type: ignore[arg-type]
    result = effect(phrase, felt, before, after)
    assert result.acted, (result, before, after)
    assert not result.spilled, (result, before, after)


PHRASES = [("a little fewer lines", "down", "bit"), ("more lines", "up", "plain"), ("线条多很多", "up", "much")]
# flow at 256 px is packed full: finer ribbons fall under the 128 px yardstick, so "more" is
# measured by the benchmark at 384 px only (see the flow docstring)
# and brush at 256 px is three-quarters edges already: a tenth more would darken it (the benchmark
# measures "more" at 384 px, where it acts short of "much more")
CASES = [(s, b, *p) for s, briefs in LINES.items() for b in briefs for p in PHRASES
         if not (s in ("flow", "brush") and p[1] == "up")]


@pytest.mark.parametrize("style, brief, text, direction, scale", CASES)
def test_line_feedback_moves_the_edges_and_keeps_the_colours(
        studio: Studio, style: str, brief: str, text: str, direction: str, scale: str) -> None:
    before, after, _ = _revised(studio, brief, style, text)
    _check(before, after, text, "lines", direction, scale)


def test_colorfield_more_lines_draws_rules_on_a_bare_field(studio: Studio) -> None:
    before, after, _ = _revised(studio, "a deep blue night sea, cold and quiet", "colorfield", "线条多一点")
    assert before["edges"] < 0.5 <= after["edges"] - 1.0, (before["edges"], after["edges"])


def test_geometric_line_feedback_leaves_the_shapes_in_place(studio: Studio) -> None:
    """Lines draw from their own stream: more lines add lines, every shape and dot stays put."""
    base = operations.new(studio, operations.NewRequest(
        brief="几何构成，红黄蓝", media=["painting"], style="geometric", variants=1, seed=1, params=SMALL)).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback="more lines")).versions[0]
    a, b = (np.asarray(Image.open(io.BytesIO(studio.blobs.read(v.sha256, v.ext))).convert("RGB"), np.int16)
            for v in (base, child))
    changed = (np.abs(a - b).max(axis=2) > 24).mean()
    assert 0.002 < changed < 0.08, changed  # a few thin lines' worth of pixels, not a new picture


@pytest.mark.parametrize("style, brief, text, direction", [
    ("wave", "蓝色的海浪", "bigger shapes", "up"),
    ("wave", "蓝色的海浪", "a bit smaller shapes", "down"),
    ("brush", "energetic brush strokes, spring garden", "bigger shapes", "up"),
    ("flow", "flowing lines of wind", "bigger shapes", "up"),
])
def test_shape_feedback_moves_the_size_and_keeps_the_colours(
        studio: Studio, style: str, brief: str, text: str, direction: str) -> None:
    before, after, _ = _revised(studio, brief, style, text)
    _check(before, after, text, "size", direction, "plain")


@pytest.mark.parametrize("text, direction", [("sparser", "down"), ("多一些留白", "down")])
def test_brush_sparser_lets_the_underpainting_breathe(studio: Studio, text: str, direction: str) -> None:
    before, after, _ = _revised(studio, "energetic brush strokes, spring garden", "brush", text)
    assert before["density"] >= 99.0, before["density"]  # every block carries strokes
    _check(before, after, text, "density", direction, "plain")


@pytest.mark.parametrize("text, family, direction", [
    ("denser", "density", "up"), ("sparser", "density", "down"), ("much calmer", "energy", "down")])
def test_geometric_density_and_energy_feedback_act(studio: Studio, text: str, family: str, direction: str) -> None:
    before, after, _ = _revised(studio, "几何构成，红黄蓝", "geometric", text)
    phrase = Phrase(id="t", medium="painting", lang="en", family=family, text=text, direction=direction,
                    scale="much" if text.startswith("much") else "plain")  # type: ignore[arg-type]
    assert effect(phrase, felt, before, after).acted, (before, after)


@pytest.mark.parametrize("brief", LINES["colorfield"])
def test_colorfield_denser_brushes_the_fields_in_their_own_colours(studio: Studio, brief: str) -> None:
    """Denser lays dry-brush bristle marks over the same fields: more of the canvas carries marks,
    and no field comes or goes (the colour mix holds)."""
    before, after, _ = _revised(studio, brief, "colorfield", "denser")
    _check(before, after, "denser", "density", "up", "plain")


def test_colorfield_livelier_keeps_its_fields(studio: Studio) -> None:
    """Livelier nudges complexity too; the number of fields (and so their colours) holds."""
    before, after, _ = _revised(studio, "calm colour fields at dusk", "colorfield", "livelier")
    assert abs(after["red"] - before["red"]) < 3 and abs(after["green"] - before["green"]) < 3, (before, after)
