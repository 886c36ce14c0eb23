"""Painting variants of one brief are chosen as a set: spread in composition and palette, each
still the brief, each replaying alone (media/image/painter/variety.py, Painter.spread)."""

from __future__ import annotations

import io
import itertools

import numpy as np
from PIL import Image

from duetto.media.image.painter import variety
from duetto.media.image.painter.engine import Painter, PainterParams
from duetto.studio import operations
from duetto.studio.operations import NewRequest, ReviseRequest, VersionRequest

SMALL = {"width": 160, "height": 160}


def _pixels(studio, version) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(studio.blobs.read(version.sha256, version.ext))).convert("RGB"),
                      np.float64)


def _layout(rgb: np.ndarray) -> np.ndarray:
    grey = Image.fromarray(rgb.mean(-1).astype(np.uint8)).resize((16, 16), Image.Resampling.BOX)
    return np.asarray(grey, np.float64).ravel()


def _new(studio, brief: str, variants: int = 4, seed: int = 1):
    return operations.new(studio, NewRequest(brief=brief, media=["painting"], variants=variants, seed=seed,
                                             params=SMALL)).versions


def test_four_seas_of_one_brief_differ_in_layout_and_stay_blue(studio):
    versions = _new(studio, "calm blue sea")
    pics = [_pixels(studio, v) for v in versions]
    # every pair differs visibly: a mean absolute difference of several levels per channel, or a
    # layout whose luminance correlates less than 0.95 (four copies of one sea: 2 levels, 0.99)
    for a, b in itertools.combinations(range(4), 2):
        diff = float(np.abs(pics[a] - pics[b]).mean())
        corr = float(np.corrcoef(_layout(pics[a]), _layout(pics[b]))[0, 1])
        assert diff > 6.0 or corr < 0.95, (a, b, diff, corr)
    assert len({tuple(sorted(m.kind for m in v.spec.motifs)) for v in versions}) >= 3  # staged differently
    for v, rgb in zip(versions, pics, strict=True):
        assert any(m.kind == "water" and m.variant == "waves" for m in v.spec.motifs)  # still a sea
        hsv = np.asarray(Image.fromarray(rgb.astype(np.uint8)).convert("HSV"), np.float64)
        hue, sat = hsv[..., 0] * 360 / 256, hsv[..., 1] / 255
        chromatic = sat > 0.15
        blue = chromatic & (hue > 185) & (hue < 255)
        assert blue.sum() / chromatic.sum() > 0.85  # still blue
        assert [c.name for c in v.spec.palette.colours] == ["blue"]


def test_autumn_night_variants_keep_the_night_and_vary_the_staging(studio):
    versions = _new(studio, "秋夜")
    for v in versions:
        assert any(m.kind == "sky" and m.variant == "night" for m in v.spec.motifs)
        assert not any(m.kind in ("sun", "birds", "rain", "snow") for m in v.spec.motifs)
        assert _pixels(studio, v).mean() < 90  # a night is dark
    assert len({tuple(sorted(m.kind for m in v.spec.motifs)) for v in versions}) >= 2


def test_every_variant_of_a_spread_set_replays_to_identical_bytes(studio):
    for v in _new(studio, "calm blue sea"):
        assert operations.replay(studio, VersionRequest(version=v.id)).identical


def test_the_first_variant_and_a_single_new_paint_the_plain_reading(studio, tmp_path):
    one = _new(studio, "calm blue sea", variants=1, seed=5)[0]
    spec = studio.parser.brief("calm blue sea", medium="painting")
    plain = Painter().generate(spec, PainterParams(**SMALL), seed=5)
    assert studio.blobs.read(one.sha256, one.ext) == plain.data  # a set of one is not spread
    first = _new(studio, "calm blue sea", variants=4, seed=5)[0]
    assert first.sha256 == one.sha256


def test_revising_a_variant_keeps_its_staging(studio):
    v = _new(studio, "calm blue sea")[1]
    child = operations.revise(studio, ReviseRequest(version=v.id, feedback="warmer")).versions[0]
    assert [m.kind for m in child.spec.motifs] == [m.kind for m in v.spec.motifs]
    assert child.spec.palette.colours == v.spec.palette.colours


def test_spread_leaves_variants_that_already_differ_alone():
    painter = Painter()
    a = painter.Params()
    from duetto.spec import CreativeSpec, Motif

    s1 = CreativeSpec(brief="moon", motifs=[Motif(kind="moon")])
    s2 = CreativeSpec(brief="rain", motifs=[Motif(kind="rain")])
    out = painter.spread([s1, s2], [a, a], [1, 2])
    assert [o[0] for o in out] == [s1, s2]


def test_a_look_keeps_named_colours_inside_their_hue_arc():
    from duetto.spec import CreativeSpec, HueRange, NamedColour, Palette

    spec = CreativeSpec(brief="blue", palette=Palette(colours=[NamedColour(name="blue", hex="#2563c9")],
                                                      hues=[HueRange(start=205, end=240)], warmth=-0.35))
    rng = np.random.default_rng(0)
    for _ in range(40):
        lk = variety.look(spec, rng)
        h = lk.spec.palette.colours[0].hls[0]
        assert 205 - 0.6 <= h <= 240 + 0.6, h
        assert lk.spec.palette.warmth < 0  # a cool brief stays cool


def _horizon(motifs, seed: int = 3) -> float:
    """Where the scene puts the horizon (pixels of 200) for these motifs."""
    from duetto.media.image.painter.engine import rng_for
    from duetto.media.image.painter.palette import build_palette
    from duetto.media.image.painter.styles import scene
    from duetto.media.image.painter.styles.base import Job
    from duetto.spec import CreativeSpec

    spec = CreativeSpec(brief="scene", motifs=motifs)
    job = Job(spec=spec, swatches=build_palette(spec, rng_for(seed, 1)), width=200, height=200, supersample=1,
              rng=rng_for(seed, 3), want_svg=False)
    return scene.stage_for(job).horizon


def test_a_bigger_sky_lowers_the_horizon_and_the_default_stays_put():
    from duetto.spec import CreativeSpec, Motif

    painter, params = Painter(), PainterParams(width=200, height=200, grain=0.0)
    sea = [Motif(kind="water", variant="waves")]
    field = [Motif(kind="grass")]

    def paint(motifs):
        return painter.generate(CreativeSpec(brief="sea", motifs=motifs), params, seed=3).data

    assert paint(sea) == paint([*sea, Motif(kind="sky")])  # a sky of size 0.5 is the picture without one
    assert _horizon(field) == _horizon([*field, Motif(kind="sky")])
    assert _horizon([*field, Motif(kind="sky", size=0.9)]) - _horizon(field) > 0.15 * 200  # more sky
    assert _horizon(field) - _horizon([*field, Motif(kind="sky", size=0.1)]) > 0.15 * 200  # more ground
    assert _horizon([*sea, Motif(kind="sky", size=0.9)]) - _horizon(sea) > 0.15 * 200
    assert _horizon([*sea, Motif(kind="sky", size=0.1)]) >= 0.55 * 200  # less sky over water: a little over halfway


def test_a_smaller_sky_over_water_keeps_the_mirror_whole():
    """Water reflects the rows above the horizon; were it deeper than the sky is high, the top
    row (stars at night) would be smeared down into vertical streaks."""
    from duetto.spec import CreativeSpec, Motif

    spec = CreativeSpec(brief="moon lake", motifs=[Motif(kind="sky", variant="night", size=0.1), Motif(kind="moon"),
                                                   Motif(kind="water", variant="calm")])
    rgb = np.asarray(Image.open(io.BytesIO(Painter().generate(
        spec, PainterParams(width=400, height=400, grain=0.0), seed=1).data)).convert("RGB"), np.float64)
    bottom = rgb[370:].mean(-1)  # (30, 400): the lowest water, its columns far from the moon's path
    far = np.r_[0:100, 300:400]
    cols = bottom.mean(0)[far]
    assert (cols - np.median(cols)).max() < 12


def test_choosing_a_spread_set_is_said_on_the_progress_before_the_first_variant(studio):
    said: list[tuple[int, int, str]] = []

    class Watch:
        def __call__(self, i, n, v) -> None:
            said.append((i, n, f"stored {v.short}"))

        def step(self, i, n, fraction, what) -> None:
            said.append((i, n, what))

    operations.new(studio, NewRequest(brief="calm blue sea", media=["painting"], variants=2, seed=1, params=SMALL),
                   on_version=Watch())
    first = [w for _, _, w in said[:2]]
    assert first[0] == "reading the brief 2 ways to choose a spread set", said
    assert first[1].startswith("spread set of 2 chosen in "), said
    assert said[-1][2].startswith("stored "), said
