"""The stylist: real ONNX inference at small sizes, classical methods, feedback and the loop."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from duetto.brief.rules import RuleParser
from duetto.engine import Artefact, Recipe
from duetto.errors import InvalidInput
from duetto.media.image.analyse import rgb_to_lab
from duetto.media.image.stylist import Stylist, StylistParams, classical, neural
from duetto.media.image.stylist.styles import (
    NUM_STYLES,
    canonical,
    find_words,
    weights_of,
)
from duetto.spec import CreativeSpec
from duetto.studio import Studio, operations
from duetto.studio.restyle import RestyleRequest, restyle


def picture(size: int = 96) -> Image.Image:
    """Red disc and blue bar on cream: edges and flat colours a style must change."""
    im = Image.new("RGB", (size, size), (236, 228, 214))
    d = ImageDraw.Draw(im)
    d.ellipse((8, 8, size // 2 + 8, size // 2 + 8), fill=(210, 40, 40))
    d.rectangle((size // 3, size * 2 // 3, size - 6, size - 14), fill=(30, 70, 200))
    return im


def artefact(im: Image.Image) -> Artefact:
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return Artefact(data=buf.getvalue(), ext="png", mime="image/png")


def decoded(art: Artefact) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(art.data)).convert("RGB"), np.float64) / 255.0


def run(spec: CreativeSpec, params: StylistParams | None = None, parents: list[Artefact] | None = None) -> Artefact:
    return Stylist().transform(parents or [artefact(picture())], spec, params or StylistParams(), 0)


# -- style strings ------------------------------------------------------------------------------


def test_a_blend_is_normalised_and_spelt_the_same_way_every_time() -> None:
    w = weights_of("starry_night:3, mosaic:1")
    assert w.shape == (NUM_STYLES,) and w.sum() == pytest.approx(1.0)
    assert w[19] == pytest.approx(0.75) and w[3] == pytest.approx(0.25)
    assert canonical(w) == "starry_night:0.75,mosaic:0.25" == canonical(weights_of("3:1,19:3"))
    assert canonical(weights_of("19")) == "starry_night"


def test_an_unknown_style_name_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="unknown style 'vangogh_blue'") as err:
        weights_of("vangogh_blue")
    assert "19 starry_night" in str(err.value) and "25 crosshatch" in str(err.value)
    with pytest.raises(InvalidInput, match="out of range"):
        weights_of("26")
    with pytest.raises(InvalidInput, match="bad weight"):
        weights_of("mosaic:lots")


def test_style_words_in_zh_and_en_find_built_in_styles() -> None:
    assert find_words("更像梵高一些") == [19]
    assert find_words("more like van gogh, a bit of mosaic") == [19, 3]
    assert find_words("更温暖一些") == []


# -- the network --------------------------------------------------------------------------------


def test_a_builtin_style_restyles_at_the_asked_size_and_keeps_the_aspect_ratio() -> None:
    wide = picture().resize((120, 80))
    art = run(CreativeSpec(style="mosaic", stylisation=1.0), StylistParams(size=150), [artefact(wide)])
    out = decoded(art)
    assert out.shape == (100, 150, 3)
    source = np.asarray(wide.resize((150, 100)), np.float64) / 255.0
    assert np.abs(out - source).mean() > 0.1  # really restyled, not copied
    assert art.resolved == {"style": "mosaic"} and art.info["working"] == [150, 100]


def test_strength_zero_gives_back_the_picture_and_strength_moves_toward_the_style() -> None:
    source = np.asarray(picture(), np.float64) / 255.0
    dist = [np.abs(decoded(run(CreativeSpec(style="ember", stylisation=s))) - source).mean() for s in (0.0, 0.5, 1.0)]
    assert dist[0] < 0.003 < dist[1] < dist[2]


def test_keep_colours_keeps_the_sources_hues_and_the_styles_light() -> None:
    spec = CreativeSpec(style="cyanotype", stylisation=1.0)
    styled, kept = decoded(run(spec)), decoded(run(spec, StylistParams(keep_colours=True)))
    lab_src = rgb_to_lab(np.asarray(picture(), np.float64) / 255.0)
    lab_styled, lab_kept = rgb_to_lab(styled), rgb_to_lab(kept)
    ab_err = lambda lab: np.abs(lab[..., 1:] - lab_src[..., 1:]).mean()  # noqa: E731
    assert ab_err(lab_kept) < ab_err(lab_styled) / 2
    assert np.abs(lab_kept[..., 0] - lab_styled[..., 0]).mean() < 3.0  # L* is the style's


def test_the_same_inputs_give_the_same_bytes_and_thread_counts_agree() -> None:
    spec = CreativeSpec(style="starry_night:0.6,mosaic:0.4", stylisation=0.7)
    assert run(spec).sha256 == run(spec).sha256
    w = weights_of("fauve")
    assert np.array_equal(neural.builtin(picture(), w, threads=1), neural.builtin(picture(), w, threads=2))


def test_bigger_strokes_restyle_at_a_smaller_working_size() -> None:
    art = run(CreativeSpec(style="mosaic", shape_size=1.0), StylistParams(size=96))
    assert art.info["working"] == [48, 48] and decoded(art).shape == (96, 96, 3)


def test_any_painting_can_be_the_style_and_strength_moves_its_vector() -> None:
    stripes = Image.new("RGB", (64, 64), (240, 200, 20))
    d = ImageDraw.Draw(stripes)
    for x in range(0, 64, 8):
        d.line((x, 0, x, 64), fill=(20, 20, 120), width=3)
    parents = [artefact(picture()), artefact(stripes)]
    full = decoded(run(CreativeSpec(style="image:x", stylisation=1.0), parents=parents))
    weak = decoded(run(CreativeSpec(style="image:x", stylisation=0.2), parents=parents))
    source = np.asarray(picture(), np.float64) / 255.0
    assert full.shape == source.shape
    assert np.abs(weak - source).mean() < np.abs(full - source).mean()


def test_a_file_that_is_not_a_picture_is_a_clear_error() -> None:
    junk = Artefact(data=b"not a png", ext="png", mime="image/png")
    with pytest.raises(InvalidInput, match="not a picture"):
        run(CreativeSpec(style="mosaic"), parents=[junk])


# -- classical methods ----------------------------------------------------------------------------


def test_colour_transfer_gives_the_content_the_references_lab_statistics() -> None:
    content = np.asarray(picture(), np.float64) / 255.0
    reference = np.asarray(Image.new("RGB", (32, 32), (20, 90, 60)), np.float64) / 255.0
    reference = reference + np.linspace(0, 0.3, 32)[None, :, None]
    out = classical.colour_transfer(content, reference)
    assert rgb_to_lab(out).reshape(-1, 3).mean(0) == pytest.approx(rgb_to_lab(reference).reshape(-1, 3).mean(0), abs=2.5)


def test_histogram_matching_copies_how_light_the_reference_is() -> None:
    content = np.asarray(picture(), np.float64) / 255.0
    dark = np.asarray(Image.new("RGB", (32, 32), (40, 30, 20)), np.float64) / 255.0 + np.linspace(0, 0.2, 32)[:, None, None]
    out = classical.histogram_match(content, dark)
    mean_l = lambda a: rgb_to_lab(a)[..., 0].mean()  # noqa: E731
    assert abs(mean_l(out) - mean_l(dark)) < 0.15 * abs(mean_l(content) - mean_l(dark))  # a flat picture: mostly


def test_a_gradient_map_uses_only_the_palettes_colours() -> None:
    inks = np.array([[0.05, 0.1, 0.35], [0.85, 0.65, 0.1], [0.97, 0.95, 0.9]])
    out = classical.gradient_map(np.asarray(picture(), np.float64) / 255.0, inks)
    lab_out, lab_inks = rgb_to_lab(out).reshape(-1, 3), rgb_to_lab(inks)
    assert lab_out[:, 0].min() == pytest.approx(lab_inks[:, 0].min(), abs=1.0)
    darkest, lightest = lab_out[lab_out[:, 0].argmin()], lab_out[lab_out[:, 0].argmax()]
    assert np.abs(darkest - lab_inks[0]).max() < 2.0 and np.abs(lightest - lab_inks[2]).max() < 2.0


def test_keep_colours_with_a_colour_method_is_refused() -> None:
    with pytest.raises(InvalidInput, match="only changes colours"):
        run(CreativeSpec(style="mosaic"), StylistParams(method="colour", keep_colours=True))


# -- feedback -------------------------------------------------------------------------------------


def test_more_like_van_gogh_moves_the_blend_toward_starry_night() -> None:
    delta = RuleParser().feedback("更像梵高一些", CreativeSpec(style="mosaic"))
    assert delta.set["style"] == "mosaic:0.6,starry_night:0.4" and not delta.notes
    stronger = RuleParser().feedback("more like van gogh", CreativeSpec(style="starry_night"))
    assert stronger.shift == {"stylisation": 0.1}


def test_less_stylised_lowers_the_strength_and_painter_works_get_a_pointer() -> None:
    assert RuleParser().feedback("less stylised", CreativeSpec(style="fauve")).shift == {"stylisation": -0.2}
    assert RuleParser().feedback("风格淡一点", CreativeSpec(style="fauve")).shift["stylisation"] == -0.2
    painter = RuleParser().feedback("更像梵高一些", CreativeSpec(style="flow"))
    assert painter.is_empty() and any("duetto restyle" in n for n in painter.notes)


# -- the loop -------------------------------------------------------------------------------------


def test_restyle_revise_vary_and_replay_in_the_studio(studio: Studio, tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    picture(128).save(path)
    first = restyle(studio, RestyleRequest(image=path, style="mosaic", strength=0.9, seed=1)).versions[0]
    root = studio.repo.version(first.parents[0])
    assert root.author_kind == "human" and root.operation == "import" and first.spec.style == "mosaic"
    revised = operations.revise(studio, operations.ReviseRequest(version=first.id, feedback="更像梵高一些，less stylised")).versions[0]
    assert revised.spec.style == "mosaic:0.6,starry_night:0.4"
    assert revised.spec.stylisation == pytest.approx(0.7)
    assert studio.path_of(revised).read_bytes() != studio.path_of(first).read_bytes()
    varied = operations.vary(studio, operations.VaryRequest(version=revised.id, variants=2, seed=4)).versions
    for v in varied:
        assert Recipe.model_validate(studio.repo.recipe(v.id)).sources() == [root.id]  # restyles the photo again
        assert operations.replay(studio, operations.VersionRequest(version=v.id)).identical
    assert operations.replay(studio, operations.VersionRequest(version=first.id)).identical


def test_variants_bracket_the_stroke_scale(studio: Studio, tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    picture(96).save(path)
    versions = restyle(studio, RestyleRequest(image=path, style="woven", variants=3, seed=2)).versions
    assert [v.spec.shape_size for v in versions] == [0.5, 0.65, 0.35]
    assert len({studio.path_of(v).read_bytes() for v in versions}) == 3


def test_a_painting_as_the_style_is_imported_once_and_read_on_replay(studio: Studio, tmp_path: Path) -> None:
    content, painting = tmp_path / "c.png", tmp_path / "p.png"
    picture(96).save(content)
    Image.new("RGB", (64, 64), (250, 200, 0)).save(painting)
    a = restyle(studio, RestyleRequest(image=content, style_image=painting)).versions[0]
    b = restyle(studio, RestyleRequest(source=a.parents[0], style_image=painting, method="histogram")).versions[0]
    ra, rb = (Recipe.model_validate(studio.repo.recipe(v.id)) for v in (a, b))
    assert ra.inputs == rb.inputs and len(ra.inputs) == 2 and a.spec.style.startswith("image:")
    assert operations.replay(studio, operations.VersionRequest(version=b.id)).identical


def test_bad_restyle_requests_are_clear_errors_and_store_nothing(studio: Studio, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(InvalidInput, match="not an image"):
        restyle(studio, RestyleRequest(image=text, style="mosaic"))
    photo = tmp_path / "photo.png"
    picture().save(photo)
    with pytest.raises(InvalidInput, match="unknown style 'vangogh'"):
        restyle(studio, RestyleRequest(image=photo, style="vangogh"))
    with pytest.raises(InvalidInput, match="needs a style"):
        restyle(studio, RestyleRequest(image=photo))
    assert studio.repo.works() == []
    with pytest.raises(ValueError, match="less than or equal to 1"):
        RestyleRequest(image=photo, style="mosaic", strength=1.5)
