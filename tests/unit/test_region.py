"""Region revise: only the region changes, toward the feedback, with a feathered edge, replayably."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from duetto.errors import InvalidInput
from duetto.media.image.analyse import rgb_to_lab
from duetto.media.image.region import Region, alpha, composite, inside
from duetto.store.records import VersionRecord
from duetto.studio import Studio, operations
from duetto.studio.operations import ReviseRequest
from duetto.studio.region import parse_box, region_revise

SIZE = 256


def pixels(studio: Studio, v: VersionRecord) -> np.ndarray:
    with Image.open(io.BytesIO(studio.blobs.read(v.sha256, v.ext))) as im:
        return np.asarray(im.convert("RGB")).astype(np.int16)


def painting(studio: Studio, brief: str, style: str) -> VersionRecord:
    return operations.new(studio, operations.NewRequest(
        brief=brief, style=style, variants=1, seed=7, params={"width": SIZE, "height": SIZE})).versions[0]


def count(studio: Studio, work_id: str) -> int:
    return len(studio.repo.versions_of(work_id))


def test_only_the_rectangle_changes_and_it_turns_redder(studio: Studio) -> None:
    parent = painting(studio, "秋日的黄昏，一片金色的落叶", "scene")
    child = region_revise(studio, ReviseRequest(version=parent.id, feedback="more red",
                                                      rect=(0.0, 0.0, 0.5, 0.5))).versions[0]
    before, after = pixels(studio, parent), pixels(studio, child)
    hard = inside(Region(kind="rect", box=(0, 0, 0.5, 0.5)), (SIZE, SIZE))
    assert hard.sum() == (SIZE // 2) ** 2
    assert np.array_equal(before[~hard], after[~hard])  # bit for bit outside
    assert (before[hard] != after[hard]).any(axis=-1).mean() > 0.05
    red = lambda px: float((px[..., 0] > px[..., 1] + 80).mean())  # noqa: E731  # share of red pixels
    assert red(after[hard]) > 2 * red(before[hard]) > 0.02  # the leaves up there turned red
    assert child.operation == "revise" and child.parents == [parent.id]
    said = {(c.kind, c.detail) for v, cs in studio.repo.contributions(child.work_id) if v.id == child.id
            for c in cs if c.contributor_kind == "human"}
    assert ("feedback", "more red") in said and any(k == "region" and "rect x 0–0.5" in d for k, d in said)


def test_the_ellipse_turns_cooler_and_replay_is_identical(studio: Studio) -> None:
    parent = painting(studio, "流动的抽象线条，温暖的午后", "flow")
    child = region_revise(studio, ReviseRequest(version=parent.id, feedback="更冷一些",
                                                      ellipse=(0.5, 0.5, 0.3, 0.3))).versions[0]
    before, after = pixels(studio, parent), pixels(studio, child)
    hard = inside(Region(kind="ellipse", box=(0.5, 0.5, 0.3, 0.3)), (SIZE, SIZE))
    assert np.array_equal(before[~hard], after[~hard])
    b_star = lambda px: float(rgb_to_lab(px / 255.0)[..., 2].mean())  # noqa: E731  # + yellow, − blue
    assert b_star(after[hard]) < b_star(before[hard]) - 2.0
    assert operations.replay(studio, operations.VersionRequest(version=child.id)).identical


def test_the_feather_band_lies_between_the_picture_and_the_new_paint() -> None:
    black, white = Image.new("RGB", (200, 100)), Image.new("RGB", (200, 100), (255, 255, 255))
    region = Region(kind="rect", box=(0.25, 0.2, 0.5, 0.6), feather=0.1)  # 10 px band inside the edge
    a = alpha(region, (200, 100))
    out = np.asarray(composite(black, white, a))[..., 0]
    assert (out[:20] == 0).all() and (out[:, :50] == 0).all()  # outside: the picture's own
    assert out[50, 100] == 255  # deep inside: the new paint
    band = out[50, 50:60]  # walking in from the left edge
    assert 0 < band[2] < band[5] < band[8] < 255 and np.all(np.diff(band.astype(int)) >= 0)
    assert (np.asarray(composite(black, white, alpha(region.model_copy(update={"feather": 0.0}), (200, 100))))[
        50, 50:60, 0] == 255).all()  # no feather: a hard edge


def test_a_mask_picture_is_stored_as_the_humans_and_limits_the_change(studio: Studio, tmp_path: Path) -> None:
    parent = painting(studio, "秋日的黄昏，一片金色的落叶", "scene")
    mask = Image.new("L", (128, 128))  # half the size, same aspect: resized on use
    ImageDraw.Draw(mask).ellipse((70, 10, 120, 60), fill=255)
    mask.save(tmp_path / "moon.png")
    child = region_revise(studio, ReviseRequest(version=parent.id, feedback="加一轮月亮",
                                                      mask=tmp_path / "moon.png")).versions[0]
    before, after = pixels(studio, parent), pixels(studio, child)
    hard = np.asarray(mask.resize((SIZE, SIZE), Image.Resampling.BILINEAR)) >= 128
    assert np.array_equal(before[~hard], after[~hard]) and (before[hard] != after[hard]).any()
    recipe = studio.repo.recipe(child.id)
    assert recipe is not None and recipe["engine"] == "region" and len(recipe["inputs"]) == 2
    stored_mask = studio.repo.version(recipe["inputs"][1])
    assert stored_mask.author_kind == "human" and stored_mask.info["role"] == "mask"
    assert recipe["params"]["region"]["mask"] == stored_mask.sha256
    assert [m.position for m in child.spec.motifs if m.kind == "moon"] == ["right"]  # drawn where the mask is
    assert operations.replay(studio, operations.VersionRequest(version=child.id)).identical


def test_a_region_of_a_region_keeps_the_first_change_outside_the_second(studio: Studio) -> None:
    parent = painting(studio, "秋日的黄昏，一片金色的落叶", "scene")
    first = region_revise(studio, ReviseRequest(version=parent.id, feedback="more red",
                                                      rect=(0, 0, 0.5, 0.5))).versions[0]
    second = region_revise(studio, ReviseRequest(version=first.id, feedback="加一轮月亮",
                                                       rect=(0.5, 0, 0.5, 0.5))).versions[0]
    hard = inside(Region(kind="rect", box=(0.5, 0, 0.5, 0.5)), (SIZE, SIZE))
    assert np.array_equal(pixels(studio, first)[~hard], pixels(studio, second)[~hard])
    assert studio.repo.recipe(second.id)["params"]["inner"] == "painter"  # type: ignore[index]
    assert operations.replay(studio, operations.VersionRequest(version=second.id)).identical


@pytest.mark.parametrize(("where", "message"), [
    ({"rect": (0.8, 0.0, 0.5, 0.5)}, "leaves the canvas"),
    ({"rect": (0.1, 0.1, 0.0, 0.5)}, "zero size"),
    ({"ellipse": (1.5, 0.5, 0.2, 0.2)}, "must lie on the canvas"),
    ({"rect": (0.1, 0.1, 0.001, 0.001)}, "covers no pixel"),
    ({}, "one of --rect, --ellipse or --mask"),
    ({"rect": (0, 0, 0.5, 0.5), "ellipse": (0.5, 0.5, 0.2, 0.2)}, "one of --rect"),
])
def test_bad_regions_are_clear_errors_and_store_nothing(studio: Studio, where: dict[str, object], message: str) -> None:
    parent = painting(studio, "秋日的黄昏，一片金色的落叶", "scene")
    with pytest.raises(InvalidInput, match=message) as caught:
        region_revise(studio, ReviseRequest(version=parent.id, feedback="more red", **where))  # type: ignore[arg-type]
    assert caught.value.exit_code == 2
    assert count(studio, parent.work_id) == 1


def test_bad_masks_are_clear_errors_and_store_nothing(studio: Studio, tmp_path: Path) -> None:
    parent = painting(studio, "秋日的黄昏，一片金色的落叶", "scene")
    (tmp_path / "notes.png").write_text("not a picture")
    Image.new("L", (300, 100), 255).save(tmp_path / "wide.png")
    Image.new("L", (64, 64), 0).save(tmp_path / "black.png")
    Image.new("L", (64, 64), 255).save(tmp_path / "mask.ppm")  # a real image, of a type import does not take
    for name, message in [("notes.png", "not an image"), ("wide.png", "not the same shape"),
                          ("black.png", "marks nothing"), ("mask.ppm", "PPM image"), ("none.png", "no such file")]:
        with pytest.raises(InvalidInput, match=message):
            region_revise(studio, ReviseRequest(version=parent.id, feedback="more red", mask=tmp_path / name))
    assert count(studio, parent.work_id) == 1


def test_feedback_without_a_change_and_text_versions_are_refused(studio: Studio) -> None:
    parent = painting(studio, "秋日的黄昏，一片金色的落叶", "scene")
    with pytest.raises(InvalidInput, match="could not find a change"):
        region_revise(studio, ReviseRequest(version=parent.id, feedback="hmm", rect=(0, 0, 0.5, 0.5)))
    with pytest.raises(InvalidInput, match="four numbers"):
        parse_box("0.1,0.2", "rect")
    assert parse_box("0, 0, 0.5, 0.4", "rect") == (0.0, 0.0, 0.5, 0.4)
    assert count(studio, parent.work_id) == 1
