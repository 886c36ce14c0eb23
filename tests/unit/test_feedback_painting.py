"""Colour feedback on a painting must be seen: measured from the PNG of a real revision.

"Warmer", "brighter", "more blue", "no red" grade the finished picture (``spec.grade``), so the
colour moves by at least a just-noticeable difference while the drawing (edges, density, the
size of shapes) stays where it was.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from duetto.media.image import felt, grade
from duetto.media.image.painter import grading
from duetto.settings import Settings
from duetto.spec import CreativeSpec, Grade, NamedColour, SpecDelta
from duetto.studio import Studio, operations
from duetto.studio.felt import Phrase, effect, load_phrases

SMALL = {"width": 256, "height": 256, "svg": False}


@pytest.fixture()
def studio(tmp_path: Path):
    s = Studio(Settings(home=tmp_path / "studio", user="test"))
    yield s
    s.close()


def _features(studio: Studio, version) -> dict[str, float]:
    return felt.features(studio.blobs.read(version.sha256, version.ext))


def test_phrases_cover_every_family_in_both_languages() -> None:
    phrases = load_phrases("painting")
    assert len(phrases) >= 80
    for family in felt.FAMILIES:
        assert {p.lang for p in phrases if p.family == family} == {"zh", "en"}, family


@pytest.mark.parametrize("brief, style", [("calm colour fields at dusk", "colorfield"),
                                          ("在秋日的黄昏，一片金色的落叶，在风中飘舞", None)])
@pytest.mark.parametrize("text, family, direction, scale", [
    ("更温暖一些", "warmth", "up", "bit"), ("much colder", "warmth", "down", "much"),
    ("亮一些", "light", "up", "bit"), ("darker", "light", "down", "plain"),
    ("more blue", "blue", "up", "plain"), ("红一点", "red", "up", "bit"),
])
def test_colour_feedback_moves_its_feature_and_keeps_the_drawing(
        studio: Studio, brief: str, style: str | None, text: str, family: str, direction: str, scale: str) -> None:
    base = operations.new(studio, operations.NewRequest(
        brief=brief, media=["painting"], style=style, variants=1, seed=1, params=SMALL)).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback=text)).versions[0]
    phrase = Phrase(id="t", medium="painting", lang="en", family=family, text=text,
                    direction=direction, scale=scale)  # type: ignore[arg-type]
    result = effect(phrase, felt, _features(studio, base), _features(studio, child))
    assert result.acted, result
    assert not result.spilled, result
    assert child.info["style"] == base.info["style"]
    assert child.spec.palette == base.spec.palette, "the brief's palette stays; the grade changes"


def test_revise_records_the_grade_and_replays(studio: Studio) -> None:
    base = operations.new(studio, operations.NewRequest(
        brief="a deep blue night sea", media=["painting"], variants=1, seed=3, params=SMALL)).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback="warmer, no blue")).versions[0]
    assert child.spec.grade.warmth >= grading.MIN_STEP["grade.warmth"]
    assert [c.name for c in child.spec.grade.excluded] == ["blue"]
    report = operations.replay(studio, operations.VersionRequest(version=child.id))
    assert report.identical


def test_absorb_moves_colour_and_floors_mild_steps() -> None:
    delta = SpecDelta(shift={"palette.warmth": 0.1, "palette.lightness.lo": -0.3, "palette.lightness.hi": -0.3,
                             "line.amount": -0.2},
                      add_colours=[NamedColour(name="blue", hex="#2060c0")])
    out = grading.absorb(delta, CreativeSpec())
    assert out.shift == {"grade.warmth": 0.25, "grade.light": -0.3, "line.amount": -0.2}
    assert out.add_colours == [] and [t.name for t in out.add_tints] == ["blue"]


def test_grade_keeps_lightness_while_it_warms() -> None:
    rng = np.random.default_rng(0)
    rgb = (rng.random((64, 64, 3)) * 255).astype(np.uint8)
    image = Image.fromarray(rgb)
    assert grade.apply(image, Grade()) is image
    warm = np.asarray(grade.apply(image, Grade(warmth=0.5)))
    before, after = felt.measure(rgb), felt.measure(warm)
    assert after["warmth"] > before["warmth"] + 8
    assert abs(after["lightness"] - before["lightness"]) < 1.5
    buf = io.BytesIO()
    Image.fromarray(warm).save(buf, "PNG")
    assert felt.features(buf.getvalue())["warmth"] == pytest.approx(after["warmth"])


def _distance(f: dict[str, float], g: dict[str, float]) -> float:
    return sum(abs(f[k] - g[k]) / felt.FEATURES[k].jnd for k in ("warmth", "blue", "red", "yellow", "lightness"))


def test_blend_sits_where_t_puts_it(studio: Studio) -> None:
    a = operations.new(studio, operations.NewRequest(
        brief="a deep blue night sea, cold and quiet", media=["painting"], variants=1, seed=1, params=SMALL)).versions[0]
    b = operations.revise(studio, operations.ReviseRequest(version=a.id, feedback="much warmer, 金色")).versions[0]
    fa, fb = _features(studio, a), _features(studio, b)
    shares = {}
    for t in (0.3, 0.7):
        m = operations.blend(studio, operations.BlendRequest(a=a.id, b=b.id, t=t)).versions[0]
        assert m.spec.palette == (a if t < 0.5 else b).spec.palette, "a far colour never takes over the palette"
        fm = _features(studio, m)
        shares[t] = _distance(fm, fa) / (_distance(fm, fa) + _distance(fm, fb))
        assert operations.replay(studio, operations.VersionRequest(version=m.id)).identical
    assert 0.15 < shares[0.3] < 0.45, shares
    assert 0.55 < shares[0.7] < 0.85, shares


def _density(before: dict[str, float], after: dict[str, float], text: str = "denser", direction: str = "up"):
    phrase = Phrase(id="t", medium="painting", lang="en", family="density", text=text, direction=direction)  # type: ignore[arg-type]
    return effect(phrase, felt, before, after)


def test_more_marks_in_the_same_colours_do_not_spill_a_hue() -> None:
    base = dict.fromkeys(felt.FEATURES, 10.0) | {"density": 40.0, "coloured": 40.0, "blue": 20.0, "red": 20.0}
    same_mix = base | {"density": 50.0, "coloured": 50.0, "blue": 25.0, "red": 25.0}
    bluer = base | {"density": 50.0, "coloured": 50.0, "blue": 35.0, "red": 15.0}
    assert _density(base, same_mix).spilled == []
    assert set(_density(base, bluer).spilled) == {"blue", "red"}
    assert felt.measure(np.full((64, 64, 3), 128, np.uint8))["coloured"] == 0.0


def test_denser_on_a_canvas_full_of_marks_is_kept() -> None:
    full = dict.fromkeys(felt.FEATURES, 10.0) | {"density": 100.0}
    assert _density(full, full).acted
    assert not _density(full, full, "sparser", "down").acted


def test_a_phrase_that_also_asks_for_heat_may_warm() -> None:
    before = dict.fromkeys(felt.FEATURES, 10.0)
    after = before | {"energy": 14.0, "warmth": 18.0}
    asks = {"id": "t", "medium": "painting", "lang": "zh", "family": "energy", "text": "更热烈", "direction": "up"}
    assert effect(Phrase(**asks), felt, before, after).spilled == ["warmth"]
    assert effect(Phrase(**asks, also=("warmth",)), felt, before, after).spilled == []
