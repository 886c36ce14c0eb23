"""Layouts: text where the picture is calm, readable colours measured on the output, a PDF
with real text, replayable bytes and clear refusals."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from PIL import Image, ImageFont
from pypdf import PdfReader
from typer.testing import CliRunner

from duetto.cli import app
from duetto.design.layout import FONT_DIR, FONTS, LayoutParams, compose, wrap
from duetto.engine import Recipe
from duetto.errors import InvalidInput
from duetto.media.image.analyse import hex_rgb, relative_luminance
from duetto.media.image.painter.canvas import encode_png
from duetto.spec import CreativeSpec
from duetto.store.records import NewVersion, VersionRecord
from duetto.store.repository import new_id
from duetto.studio import Studio, operations
from duetto.studio.generate import make
from duetto.studio.layout import LayoutRequest, layout

POEM = "不似春花烂漫日，却如秋叶临风飘。\n未曾几度思乡泪，犹自长吟入夜宵。\n"


def busy_left_calm_right(w: int = 1200, h: int = 630) -> Image.Image:
    """Confetti on the left half, one flat colour on the right."""
    rng = np.random.default_rng(4)
    arr = np.empty((h, w, 3), np.uint8)
    arr[:] = (40, 70, 110)
    blocks = rng.integers(0, 256, (h // 12 + 1, w // 24 + 1, 3), dtype=np.uint8)
    arr[:, : w // 2] = np.kron(blocks, np.ones((12, 12, 1), np.uint8))[:h, : w // 2]
    return Image.fromarray(arr)


def mid_grey_noise(side: int = 600) -> Image.Image:
    """Grey from #555 to #aaa: neither white nor black text reaches AA on it."""
    rng = np.random.default_rng(1)
    v = rng.integers(0x55, 0xAB, (side // 6, side // 6), dtype=np.uint8)
    return Image.fromarray(np.kron(v, np.ones((6, 6), np.uint8))).convert("RGB")


def put(studio: Studio, data: bytes, ext: str, mime: str, work_id: str | None = None) -> VersionRecord:
    """A human's file as a root version (a picture or a poem), as an import would store it."""
    if work_id is None:
        work_id = studio.repo.create_work(studio.project_id, studio.user_id, "layout test", "painting").id
    sha, _ = studio.blobs.put(data, ext)
    return studio.repo.add_version(NewVersion(
        id=new_id(), work_id=work_id, parents=[], operation="import", author=studio.human, author_kind="human",
        spec=CreativeSpec(brief="", subject="test"), sha256=sha, ext=ext, mime=mime, info={}, contributions=[]))


def pdf_text(data: bytes) -> str:
    """The page's text; pypdf reads fpdf2's two-byte glyph ids back with NULs between glyphs."""
    return "".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\x00", "").split())


def test_text_lands_on_the_calm_half() -> None:
    for seed in (0, 1, 2):
        _, _, info = compose(busy_left_calm_right(), [], LayoutParams(format="card", title="Quiet Water",
                                                                       text="A short line of body text."), seed)
        x0, _, x1, _ = info["block"]
        assert x0 >= 0.5 and x1 <= 1.0, info["placement"]
        assert info["scrim"] is None  # the calm half needs none


def test_body_text_contrast_is_aa_on_the_output_pixels_even_on_mid_grey() -> None:
    image, _, info = compose(mid_grey_noise(), [], LayoutParams(format="square", title="Grey",
                                                                 text="Body text over a busy grey field."), 0)
    assert info["scrim"] is not None and "AA" in info["scrim"]["why"]
    arr = np.asarray(image, np.float64) / 255.0
    h, w, _ = arr.shape
    x0, y0, x1, y1 = (round(v * s) for v, s in zip(info["block"], (w, h, w, h), strict=True))
    pad = round(0.022 * min(w, h))
    ring = np.ones((y1 - y0, x1 - x0), bool)
    ring[pad:-pad, pad:-pad] = False  # the margin of the block: background right behind the words
    behind = relative_luminance(arr[y0:y1, x0:x1][ring])
    text = float(relative_luminance(hex_rgb(info["text_colour"])))
    ratios = (np.maximum(behind, text) + 0.05) / (np.minimum(behind, text) + 0.05)
    assert np.percentile(ratios, 5) >= 4.5
    inner = np.asarray(image)[y0 + pad:y1 - pad, x0 + pad:x1 - pad].reshape(-1, 3)
    assert (inner == np.round(hex_rgb(info["text_colour"]) * 255)).all(1).sum() > 200  # the words are drawn in it


def test_poem_breaks_between_clauses_and_never_starts_a_line_with_punctuation() -> None:
    name, face = FONTS["serif"]
    f = ImageFont.truetype(str(FONT_DIR / name), 40, index=face)
    lines = wrap("不似春花烂漫日，却如秋叶临风飘。", f, f.getlength("不似春花烂漫日，却如秋"), clauses=True)
    assert lines == ["不似春花烂漫日，", "却如秋叶临风飘。"]
    prose = wrap("一二三四五六七八九，十一二三四五六七八九。" * 3, f, 40 * 9.5)
    assert all(not ln.startswith(("，", "。")) for ln in prose) and len(prose) > 3


def test_layout_versions_replay_and_vary_with_the_same_picture_and_poem(studio: Studio) -> None:
    picture = put(studio, encode_png(busy_left_calm_right(600, 600)), "png", "image/png")
    poem = put(studio, POEM.encode(), "txt", "text/plain; charset=utf-8")
    made = layout(studio, LayoutRequest(image=picture.id, poem=poem.id, format="square", title="秋日黄昏",
                                        variants=2, seed=0)).versions
    assert made[0].operation == "layout" and made[0].parents == [picture.id]
    assert made[0].info["vertical"] is True and made[0].info["contrast_aa"]
    assert made[0].sha256 != made[1].sha256  # consecutive seeds: different placements
    recipe = Recipe.model_validate(studio.repo.recipe(made[0].id))
    assert recipe.sources() == [picture.id, poem.id]
    again = make(studio, studio.registry.get("layout"), recipe)  # what `duetto replay` runs
    assert again.sha256 == made[0].sha256
    stored_pdf = studio.blobs.read(made[0].extras["pdf"], "pdf")
    assert hashlib.sha256(again.extras["pdf"]).hexdigest() == made[0].extras["pdf"]
    assert "秋日黄昏" in pdf_text(stored_pdf)
    child = operations.vary(studio, operations.VaryRequest(version=made[0].id, variants=1, seed=5)).versions[0]
    assert Recipe.model_validate(studio.repo.recipe(child.id)).sources() == [picture.id, poem.id]


def test_pdf_has_the_english_title_as_text() -> None:
    _, pdf, info = compose(busy_left_calm_right(), [], LayoutParams(format="cover", title="The Last Golden Leaf"), 0)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and round(float(reader.pages[0].mediabox.width)) == 432
    assert "TheLastGoldenLeaf" in pdf_text(pdf)
    assert info["width"] == 1200 and info["height"] == 1800


def test_bad_inputs_are_refused(studio: Studio) -> None:
    picture = put(studio, encode_png(busy_left_calm_right(300, 300)), "png", "image/png")
    poem = put(studio, POEM.encode(), "txt", "text/plain; charset=utf-8")
    with pytest.raises(InvalidInput, match="raster picture"):
        layout(studio, LayoutRequest(image=poem.id, title="x"))
    with pytest.raises(InvalidInput, match="not a text version"):
        layout(studio, LayoutRequest(image=picture.id, poem=picture.id))
    with pytest.raises(InvalidInput, match="nothing to set"):
        layout(studio, LayoutRequest(image=picture.id))
    home = str(studio.settings.home)
    runner = CliRunner()
    for args in ([poem.id[:10], "--title", "x"], [picture.id[:10], "--format", "billboard", "--title", "x"],
                 [picture.id[:10]]):
        done = runner.invoke(app, ["layout", *args, "--home", home])
        assert done.exit_code == 2, (args, done.output)
    done = runner.invoke(app, ["layout", picture.id[:10], "--format", "card", "--title", "Hello", "--json",
                               "--home", home])
    assert done.exit_code == 0, done.output
    assert '"operation": "layout"' in done.stdout
