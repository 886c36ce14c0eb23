"""Design assistance: harmonies, extraction, WCAG contrast, recolour and reference images, on
synthetic pictures whose right answers are known."""

from __future__ import annotations

import colorsys
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from duetto.design import contrast, palette, reference
from duetto.engine import Recipe
from duetto.errors import InvalidInput
from duetto.media.image.recolour import match
from duetto.studio import Studio, design, operations


def hue_of(hex_: str) -> float:
    h, _, _ = colorsys.rgb_to_hls(*(int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    return h * 360


def turn(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


@pytest.mark.parametrize(("name", "offsets"), [
    ("complementary", (0, 180)), ("analogous", (0, -30, 30)), ("triadic", (0, 120, 240)),
    ("split-complementary", (0, 150, 210)), ("tetradic", (0, 90, 180, 270)),
])
def test_harmony_key_hues_are_exact_offsets_of_the_base(name: str, offsets: tuple[float, ...]) -> None:
    base = palette.parse_colour("#d4a017")  # gold, hue 43.49
    swatches = palette.harmony(base, name, n=6)
    keys = swatches[: len(offsets)]
    for sw, off in zip(keys, offsets, strict=True):
        assert sw.hue == pytest.approx((base.hue + off) % 360, abs=1e-3)
        assert turn(hue_of(sw.hex), sw.hue) < 1.5  # the rounded hex keeps the hue
        assert sw.lightness == pytest.approx(base.lightness, abs=1e-3)
    assert len(swatches) == 6 and {s.role for s in swatches[len(offsets):]} <= {"tint", "shade"}


def test_monochrome_keeps_the_hue_and_steps_lightness() -> None:
    sw = palette.harmony(palette.parse_colour("navy"), "monochrome", n=5)
    assert all(turn(s.hue, sw[0].hue) < 1e-6 for s in sw)
    assert len({round(s.lightness, 2) for s in sw}) == 5


def test_colour_words_in_both_languages_and_hex_forms() -> None:
    assert palette.parse_colour("金色").hex == palette.parse_colour("gold").hex == "#d4a017"
    assert palette.parse_colour("金色").name_zh == "金色" and palette.parse_colour("gold").name_en == "gold"
    assert palette.parse_colour("#FA0").hex == "#ffaa00" and palette.parse_colour("1f2f5c").hex == "#1f2f5c"
    with pytest.raises(InvalidInput, match="did you mean: gold"):
        palette.parse_colour("golld")
    with pytest.raises(InvalidInput, match="金色"):
        palette.parse_colour("金銀色")
    with pytest.raises(InvalidInput, match="not a hex colour"):
        palette.parse_colour("#12345g")


def test_a_mood_gives_a_base_and_its_harmony() -> None:
    calm, h1 = palette.mood_base("平静")
    joy, h2 = palette.mood_base("joyful")
    assert h1 == "analogous" and h2 == "triadic"
    assert 180 <= calm.hue <= 230 and calm.saturation < joy.saturation  # cool and quiet vs warm and loud
    with pytest.raises(InvalidInput, match="moods: calm"):
        palette.mood_base("sleepy-ish")


def three_colour_image() -> Image.Image:
    """Half navy, a third... exactly: 50 % #1f2f5c, 30 % #d4a017, 20 % #f5f5f0, in bands."""
    arr = np.zeros((200, 200, 3), np.uint8)
    arr[:100] = (0x1F, 0x2F, 0x5C)
    arr[100:160] = (0xD4, 0xA0, 0x17)
    arr[160:] = (0xF5, 0xF5, 0xF0)
    return Image.fromarray(arr)


def test_extraction_of_a_three_colour_image_finds_the_colours_and_shares() -> None:
    found = palette.extract(three_colour_image(), k=6)
    assert [s.hex for s in found] == ["#1f2f5c", "#d4a017", "#f5f5f0"]
    assert [s.share for s in found] == pytest.approx([0.5, 0.3, 0.2], abs=0.01)
    assert [s.name_en for s in found] == ["navy", "gold", "white"]


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("#777777", "#ffffff", 4.48), ("#000000", "#ffffff", 21.0), ("#767676", "#ffffff", 4.54),
    ("#ffffff", "#ffffff", 1.0), ("#0000ff", "#ffffff", 8.59),
])
def test_contrast_ratios_match_wcag_reference_values(a: str, b: str, expected: float) -> None:
    assert contrast.ratio(a, b) == pytest.approx(expected, abs=0.01)


def test_wcag_levels_at_the_thresholds() -> None:
    assert contrast.verdict(4.48).level == "AA large" and not contrast.verdict(4.48).aa
    assert contrast.verdict(4.54).level == "AA" and contrast.verdict(7.0).level == "AAA"
    assert contrast.verdict(2.9).level == "fail"


def test_text_on_image_judges_the_region_and_suggests_a_better_colour() -> None:
    img = three_colour_image()  # navy top half, gold then white below
    top = contrast.text_on_image(img, "#ffffff", (0, 0, 1, 0.45))
    assert top.p05.ratio == pytest.approx(contrast.ratio("#ffffff", "#1f2f5c"), abs=0.05) and top.p05.aaa
    bottom = contrast.text_on_image(img, "#ffffff", (0, 0.55, 1, 1))  # gold and white: white fails
    assert not bottom.p05.aa_large and bottom.better == "#000000"
    with pytest.raises(InvalidInput, match="bad region"):
        contrast.text_on_image(img, "#ffffff", (0.5, 0, 0.2, 1))


def test_match_pairs_colours_by_lightness_rank() -> None:
    source_l = np.array([90.0, 20.0, 55.0])
    target_l = np.array([30.0, 80.0, 60.0])
    assert match(source_l, target_l, 0).tolist() == [1, 0, 2]  # light→light, dark→dark
    assert match(source_l, target_l, 0).tolist() == match(source_l, target_l, 0).tolist()


def png(image: Image.Image, path: Path) -> Path:
    image.save(path)
    return path


def test_recolour_keeps_lightness_order_and_uses_the_palette(studio: Studio, tmp_path: Path) -> None:
    source = operations.new(studio, operations.NewRequest(brief="blue sea", variants=1, seed=2,
                                                          params={"width": 96, "height": 96})).versions[0]
    src_bytes = studio.path_of(source).read_bytes()
    # swap the stored picture for the three-band image through an import (a human version)
    mine = operations.import_edit(studio, operations.ImportRequest(
        version=source.id, file=png(three_colour_image(), tmp_path / "bands.png"))).versions[0]
    made = design.recolour(studio, design.RecolourRequest(
        version=mine.id, palette=["#8b0000", "#ffd700", "#fff8e7"])).versions[0]
    assert made.operation == "recolour" and made.parents == [mine.id]
    assert [c.hex for c in made.spec.palette.colours] == ["#8b0000", "#ffd700", "#fff8e7"]
    with Image.open(studio.path_of(made)) as im:
        arr = np.asarray(im.convert("RGB"), np.int32)
    navy_band, gold_band, white_band = arr[50, 100], arr[130, 100], arr[180, 100]
    lum = [contrast.ratio("#000000", "#{:02x}{:02x}{:02x}".format(*c)) for c in (navy_band, gold_band, white_band)]
    assert lum[0] < lum[1] < lum[2]  # the light/dark order survives
    assert navy_band[0] > navy_band[2] + 30  # the dark band went red, not blue
    assert gold_band[0] > 150 and gold_band[2] < 120  # the middle band is golden
    assert operations.replay(studio, operations.VersionRequest(version=made.id)).identical
    assert studio.path_of(source).read_bytes() == src_bytes


def test_vary_and_revise_of_a_recolour_recolour_the_same_source(studio: Studio) -> None:
    source = operations.new(studio, operations.NewRequest(brief="色彩丰富", variants=1, seed=5,
                                                          params={"width": 96, "height": 96})).versions[0]
    first = design.recolour(studio, design.RecolourRequest(version=source.id, harmony="triadic", base="金色")).versions[0]
    assert [c.hex for c in first.spec.palette.colours][:3] == ["#d4a017", "#17d4a0", "#a017d4"]
    child = operations.vary(studio, operations.VaryRequest(version=first.id, variants=1, seed=9)).versions[0]
    warmer = operations.revise(studio, operations.ReviseRequest(version=first.id, feedback="warmer")).versions[0]
    again = design.recolour(studio, design.RecolourRequest(version=first.id, palette=["navy", "white"])).versions[0]
    for v in (child, warmer, again):
        recipe = Recipe.model_validate(studio.repo.recipe(v.id))
        assert recipe.engine == "recolour" and recipe.sources() == [source.id], v.operation
        assert operations.replay(studio, operations.VersionRequest(version=v.id)).identical
    assert studio.path_of(child).read_bytes() != studio.path_of(first).read_bytes()
    assert warmer.spec.palette.warmth > first.spec.palette.warmth


def test_recolour_refuses_unclear_requests(studio: Studio) -> None:
    source = operations.new(studio, operations.NewRequest(brief="sea", variants=1, seed=1,
                                                          params={"width": 64, "height": 64})).versions[0]
    with pytest.raises(InvalidInput, match="recolour to what"):
        design.recolour(studio, design.RecolourRequest(version=source.id))
    with pytest.raises(InvalidInput, match="not both"):
        design.recolour(studio, design.RecolourRequest(version=source.id, palette=["red"], harmony="triadic"))
    with pytest.raises(InvalidInput, match="unknown colour"):
        design.recolour(studio, design.RecolourRequest(version=source.id, palette=["reddish-ish"]))


def test_composition_of_simple_pictures() -> None:
    disk = Image.new("RGB", (120, 120), "white")
    ImageDraw.Draw(disk).ellipse((45, 45, 75, 75), fill="black")
    corner = Image.new("RGB", (120, 120), "white")
    ImageDraw.Draw(corner).rectangle((5, 5, 40, 40), fill="black")
    assert reference.composition_of(disk, 0.02) == "centered"
    assert reference.composition_of(corner, 0.02) == "diagonal"
    assert reference.composition_of(three_colour_image(), 0.01) == "horizontal"
    assert reference.composition_of(three_colour_image().rotate(90), 0.01) == "vertical"


def test_a_reference_image_sets_palette_energy_and_composition_but_words_win(studio: Studio, tmp_path: Path) -> None:
    ref = png(three_colour_image(), tmp_path / "ref.png")
    plain = design.new_from_image(studio, operations.NewRequest(
        brief="一座山", image=ref, variants=1, seed=1, params={"width": 64, "height": 64})).versions[0]
    assert [c.hex for c in plain.spec.palette.colours] == ["#1f2f5c", "#d4a017", "#f5f5f0"]
    assert plain.spec.composition == "horizontal" and plain.spec.energy < 0.3
    assert any("from reference image ref.png" in n for n in plain.spec.notes)
    credits = dict((v.id, cs) for v, cs in studio.repo.contributions(plain.work_id))[plain.id]
    assert any(c.kind == "reference image" and "ref.png" in c.detail and c.contributor_kind == "human" for c in credits)
    worded = design.new_from_image(studio, operations.NewRequest(
        brief="红色，充满动感", image=ref, variants=1, seed=1, params={"width": 64, "height": 64})).versions[0]
    assert worded.spec.palette.colours[0].name in ("red", "红色")  # the named colour leads
    assert worded.spec.energy > plain.spec.energy  # "充满动感" beat the quiet reference
    blob = tmp_path / "notes.txt"
    blob.write_text("not a picture")
    with pytest.raises(InvalidInput, match="not an image"):
        design.new_from_image(studio, operations.NewRequest(brief="山", image=blob, variants=1))


def test_palette_operation_reads_colours_moods_versions_and_images(studio: Studio, tmp_path: Path) -> None:
    res = design.make_palette(studio, design.PaletteRequest(source="gold"))
    assert [r.harmony for r in res.rows] == list(palette.HARMONIES)
    design.sheet_of(res).save(tmp_path / "s.png")
    with Image.open(tmp_path / "s.png") as im:
        assert im.width > 800 and im.getpixel((250, 120))[:3] != (250, 249, 246)  # swatches drawn
    mood = design.make_palette(studio, design.PaletteRequest(source="melancholy", text_colour="#ffffff"))
    assert mood.kind == "mood" and [r.harmony for r in mood.rows] == ["analogous"]
    assert mood.text_on_swatches and all(c.level in ("AAA", "AA", "AA large", "fail") for c in mood.text_on_swatches)
    pic = design.make_palette(studio, design.PaletteRequest(image=png(three_colour_image(), tmp_path / "p.png"),
                                                            k=4, text_colour="#ffffff", region=(0, 0, 1, 0.4)))
    assert pic.kind == "image" and pic.rows[0].swatches[0].hex == "#1f2f5c" and pic.text_on_image.p05.aaa
    source = operations.new(studio, operations.NewRequest(brief="sea", variants=1, seed=1,
                                                          params={"width": 64, "height": 64})).versions[0]
    ver = design.make_palette(studio, design.PaletteRequest(version=source.id[:10], harmony="complementary"))
    assert ver.kind == "version" and ver.rows[1].harmony == "complementary"
    with pytest.raises(InvalidInput, match="did you mean"):
        design.make_palette(studio, design.PaletteRequest(source="blurple-ish"))


def test_recolour_engine_rejects_non_pictures() -> None:
    from duetto.engine import Artefact
    from duetto.media.image.recolour import Recolour, RecolourParams
    from duetto.spec import CreativeSpec, NamedColour, Palette

    spec = CreativeSpec(palette=Palette(colours=[NamedColour(name="red", hex="#ff0000")]))
    text = Artefact(data=b"hello", ext="txt", mime="text/plain")
    with pytest.raises(InvalidInput, match="raster"):
        Recolour().transform([text], spec, RecolourParams(), 0)
    with pytest.raises(InvalidInput, match="no palette"):
        Recolour().check(CreativeSpec(), RecolourParams())
    buf = io.BytesIO()
    three_colour_image().save(buf, format="PNG")
    pic = Artefact(data=buf.getvalue(), ext="png", mime="image/png")
    a, b = (Recolour().transform([pic], spec, RecolourParams(), 0) for _ in range(2))
    assert a.data == b.data  # deterministic
