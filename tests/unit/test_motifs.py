"""Figurative motifs: briefs name them, feedback edits them, the scene style paints them.

Picture tests decode the real PNG and measure pixels where the motif must be (a dusk sky warm
at the horizon, a moon a bright disc up high, falling leaves golden specks all over); canvases
are small to keep this fast.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from duetto.brief import parse_brief, parse_feedback
from duetto.brief.lexicon import lexicon, motif_words
from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.painter.engine import choose_style
from duetto.spec import CreativeSpec, Motif, apply_delta

SIZE = 160
AUTUMN = "在秋日的黄昏，一片金色的落叶，在风中飘舞"


def render(spec: CreativeSpec, seed: int = 3, size: int = SIZE) -> np.ndarray:
    art = Painter().generate(spec, PainterParams(width=size, height=size), seed)
    assert art.info["style"] == "scene"
    return np.asarray(Image.open(io.BytesIO(art.data)).convert("RGB"), np.float32)


def luminance(img: np.ndarray) -> np.ndarray:
    return img @ np.array([0.3, 0.59, 0.11], np.float32)


def golden(img: np.ndarray) -> np.ndarray:
    """Pixels whose hue is orange-gold and that are clearly coloured."""
    hsv = np.asarray(Image.fromarray(img.astype(np.uint8)).convert("HSV"), np.float32)
    hue = hsv[..., 0] * 360 / 255
    return (hue > 18) & (hue < 60) & (hsv[..., 1] > 110) & (hsv[..., 2] > 110)


def kinds(spec: CreativeSpec) -> dict[str, str]:
    return {m.kind: m.variant for m in spec.motifs}


# --- briefs and feedback -------------------------------------------------------------------


def test_seed_brief_names_dusk_sky_and_falling_leaves() -> None:
    assert kinds(parse_brief(AUTUMN)) == {"sky": "dusk", "sun": "", "leaves": "falling"}


@pytest.mark.parametrize(
    ("brief", "expected"),
    [
        ("月夜", {"sky": "night", "moon": ""}),
        ("江南烟雨", {"water": "calm", "trees": "willow", "rain": "", "mist": ""}),
        ("黄昏的月亮", {"sky": "dusk", "sun": "", "moon": ""}),  # implied night loses to dusk
        ("a moonlit lake under snowy mountains", {"sky": "night", "moon": "", "water": "calm",
                                                  "snow": "", "mountains": ""}),
        ("sunset over the ocean with birds", {"sky": "dusk", "sun": "", "water": "waves",
                                              "birds": ""}),
        ("不要月亮的夜空", {"sky": "night"}),
        ("no birds or clouds, a starry sky", {"sky": "night", "stars": ""}),
    ],
)
def test_brief_motifs_zh_and_en(brief: str, expected: dict[str, str]) -> None:
    assert kinds(parse_brief(brief)) == expected


def test_abstract_brief_and_other_media_have_no_motifs() -> None:
    assert parse_brief("一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感").motifs == []
    assert parse_brief(AUTUMN, medium="poem").motifs == []


def test_feedback_adds_a_moon_and_keeps_the_dusk() -> None:
    spec = parse_brief(AUTUMN)
    revised = apply_delta(spec, parse_feedback("加一轮月亮", spec))
    assert kinds(revised) == {"sky": "dusk", "sun": "", "leaves": "falling", "moon": ""}


def test_feedback_more_fewer_bigger_and_removal() -> None:
    spec = parse_brief(AUTUMN)
    leaves = {m.kind: m for m in spec.motifs}["leaves"]
    more = apply_delta(spec, parse_feedback("落叶多一些", spec))
    assert {m.kind: m for m in more.motifs}["leaves"].amount > leaves.amount
    fewer = apply_delta(spec, parse_feedback("fewer leaves", spec))
    assert {m.kind: m for m in fewer.motifs}["leaves"].amount < leaves.amount
    moon = apply_delta(spec, parse_feedback("a bigger moon", spec))
    assert {m.kind: m for m in moon.motifs}["moon"].size > 0.5
    gone = apply_delta(spec, parse_feedback("不要落叶", spec))
    assert "leaves" not in kinds(gone) and "sky" in kinds(gone)


def test_specs_without_motifs_still_validate_and_stay_abstract() -> None:
    old = CreativeSpec().model_dump(mode="json")
    del old["motifs"]
    spec = CreativeSpec.model_validate(old)
    assert spec.motifs == []
    assert all(choose_style(spec, seed) != "scene" for seed in range(40))


def test_motif_words_are_lexicon_words() -> None:
    lex = lexicon()
    missing = [w for w in motif_words() if w not in lex.zh and w not in lex.en]
    assert missing == []


# --- pictures -------------------------------------------------------------------------------


def test_dusk_sky_is_warm_at_the_horizon_and_darker_at_the_top() -> None:
    spec = CreativeSpec(motifs=[Motif(kind="sky", variant="dusk")])
    img = render(spec)
    top, low = img[: SIZE // 10].mean(axis=(0, 1)), img[int(SIZE * 0.55) : int(SIZE * 0.6)].mean(axis=(0, 1))
    assert luminance(top) < luminance(low) - 40
    assert low[0] > low[2] + 60  # red well above blue: a warm horizon
    assert top[2] >= top[0] - 10  # the zenith is cool


def test_moon_is_a_bright_disc_in_the_upper_half() -> None:
    with_moon = render(parse_brief("月夜"))
    without = render(CreativeSpec(motifs=[Motif(kind="sky", variant="night")]))
    bright = luminance(with_moon) > 215
    ys, xs = np.nonzero(bright)
    assert bright.sum() > 150 and (luminance(without) > 215).sum() < bright.sum() / 5
    assert ys.mean() < SIZE / 2
    radius = np.sqrt(bright.sum() / np.pi)  # a disc: its pixels lie within about its radius
    assert np.hypot(ys - ys.mean(), xs - xs.mean()).max() < radius * 1.6


def test_falling_leaves_add_many_small_golden_blobs_all_over() -> None:
    spec = parse_brief(AUTUMN)
    bare = spec.model_copy(update={"motifs": [m for m in spec.motifs if m.kind != "leaves"]})
    gold = golden(render(spec)) & ~golden(render(bare))
    cells = gold.reshape(8, SIZE // 8, 8, SIZE // 8).any(axis=(1, 3))
    assert gold.mean() > 0.01
    assert cells.sum() >= 10  # specks spread over many places, not one blob


def test_more_leaves_paints_more_leaves() -> None:
    spec = parse_brief(AUTUMN)
    more = apply_delta(spec, parse_feedback("落叶多很多", spec))

    def leaf_pixels(s: CreativeSpec) -> int:  # pixels the leaves changed, against no leaves
        bare = s.model_copy(update={"motifs": [m for m in s.motifs if m.kind != "leaves"]})
        return sum(int((np.abs(render(s, seed) - render(bare, seed)).sum(axis=2) > 30).sum())
                   for seed in (3, 4))

    assert leaf_pixels(more) > leaf_pixels(spec) * 1.15


def test_snow_whitens_the_ground_and_rain_greys_the_light() -> None:
    snowy = render(CreativeSpec(motifs=[Motif(kind="snow")]))
    plain = render(CreativeSpec(motifs=[Motif(kind="grass")]))
    assert luminance(snowy[-SIZE // 4 :]).mean() > luminance(plain[-SIZE // 4 :]).mean() + 50
    rain = render(CreativeSpec(motifs=[Motif(kind="rain")]))
    sat = lambda img: (img.max(axis=2) - img.min(axis=2)).mean()  # noqa: E731
    assert sat(rain) < sat(render(CreativeSpec(motifs=[Motif(kind="sky")]))) * 0.7


def test_scene_is_deterministic_and_seeded() -> None:
    spec = parse_brief("a misty river in spring rain, willows along the bank")
    p = PainterParams(width=96, height=96)
    a, b = Painter().generate(spec, p, 11).data, Painter().generate(spec, p, 11).data
    assert a == b
    assert Painter().generate(spec, p, 12).data != a


def test_named_style_wins_over_motifs() -> None:
    spec = parse_brief("水墨山水，月夜")
    assert "moon" in kinds(spec) and spec.style == "ink"
    art = Painter().generate(spec, PainterParams(width=64, height=64), 1)
    assert art.info["style"] == "ink"
