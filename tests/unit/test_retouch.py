"""The retouch engine: feedback read as moves on a picture's pixels, measured on real pixels."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from duetto.brief.rules import RuleParser
from duetto.errors import InvalidInput
from duetto.media.image.felt import measure
from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.retouch import RetouchParams, moves, retouch, variation
from duetto.spec import CreativeSpec, apply_delta

PARSER = RuleParser()


def picture() -> Image.Image:
    """Grey-blue ground with thin dark lines, a red square and a large orange disc."""
    im = Image.new("RGB", (192, 192), (96, 110, 140))
    d = ImageDraw.Draw(im)
    for x in range(0, 192, 9):
        d.line((x, 0, x + 40, 192), fill=(40, 44, 60), width=1)
    d.rectangle((10, 10, 50, 50), fill=(200, 30, 40))
    d.ellipse((70, 70, 170, 170), fill=(245, 130, 20))
    return im


def painting() -> Image.Image:
    """A painter's cold night sea with the person's orange disc on it (as in tests/e2e/test_edits_cli.py)."""
    spec = PARSER.brief("a deep blue night sea, cold and quiet", medium="painting")
    art = Painter().generate(spec, PainterParams(width=256, height=256, svg=False), 3)
    with Image.open(io.BytesIO(art.data)) as im:
        out = im.convert("RGB")
    ImageDraw.Draw(out).ellipse((70, 70, 170, 170), fill=(245, 130, 20))
    return out


def after(feedback: str, image: Image.Image | None = None) -> tuple[dict[str, float], dict[str, float], RetouchParams]:
    spec = CreativeSpec(brief="my picture")
    delta = PARSER.feedback(feedback, spec)
    params = moves(delta, apply_delta(spec, delta), "your picture").params
    source = image or picture()
    return measure(np.asarray(source)), measure(np.asarray(retouch(source, params, spec, 0))), params


def disc_kept(out: Image.Image) -> bool:
    px = np.asarray(out).astype(int)
    return bool((px[120, 120, 0] - px[120, 120, 2]) > 150)


@pytest.mark.parametrize(("feedback", "feature", "sign"), [
    ("更温暖一些", "warmth", 1), ("cooler", "warmth", -1), ("brighter", "lightness", 1), ("darker", "lightness", -1),
    ("线条少一点", "edges", -1), ("more lines", "edges", 1), ("more blue", "blue", 1), ("更鲜艳", "saturation", 1),
])
def test_feedback_moves_its_feature_by_more_than_a_jnd(feedback: str, feature: str, sign: int) -> None:
    from duetto.media.image.felt import FEATURES

    before, now, _ = after(feedback, painting())
    assert sign * (now[feature] - before[feature]) >= FEATURES[feature].jnd, (feedback, before[feature], now[feature])


def test_no_red_turns_the_red_square_out_of_red_and_keeps_the_orange_disc() -> None:
    spec = CreativeSpec(brief="x")
    delta = PARSER.feedback("不要红色", spec)
    out = np.asarray(retouch(picture(), moves(delta, spec, "p").params, spec, 0)).astype(int)
    r, g, b = out[30, 30]
    assert not (r > 150 and g < 60 and b < 70)  # no longer red
    assert disc_kept(Image.fromarray(out.astype(np.uint8)))


def test_what_pixels_cannot_do_is_refused_with_a_way_forward() -> None:
    spec = CreativeSpec(brief="x")
    with pytest.raises(InvalidInput, match="restyle"):
        moves(PARSER.feedback("in ink style", spec), spec, "your picture")
    with pytest.raises(InvalidInput, match="cannot paint trees"):
        moves(PARSER.feedback("add a tree", spec), spec, "your picture")


def test_variations_differ_keep_shapes_and_repeat_for_a_seed() -> None:
    spec = CreativeSpec(brief="x")
    outs = [np.asarray(retouch(picture(), variation(0.06, s), spec, s)).astype(int) for s in (1, 2, 1)]
    assert np.array_equal(outs[0], outs[2]) and np.abs(outs[0] - outs[1]).mean() > 1.0
    assert all(disc_kept(Image.fromarray(o.astype(np.uint8))) for o in outs)
