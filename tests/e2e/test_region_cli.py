"""`duetto revise <v> "<feedback>" --rect/--ellipse/--mask` driven as a person would."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.e2e.test_cli import as_json, duetto, fails

pytestmark = pytest.mark.e2e


def pixels(path: str) -> np.ndarray:
    with Image.open(io.BytesIO(Path(path).read_bytes())) as im:
        return np.asarray(im.convert("RGB"))


def test_region_revise_changes_only_the_rectangle_and_replays(tmp_path: Path) -> None:
    home = tmp_path / "s"
    made = as_json(home, "new", "秋日的黄昏，一片金色的落叶", "--style", "scene", "-n", "1", "--seed", "7",
                   "--size", "256")
    parent = made["versions"][0]
    child = as_json(home, "revise", parent["id"][:10], "more red", "--rect", "0,0,0.5,0.5")["versions"][0]
    before, after = pixels(parent["path"]), pixels(child["path"])
    assert np.array_equal(before[128:], after[128:]) and np.array_equal(before[:, 128:], after[:, 128:])
    assert (before[:128, :128] != after[:128, :128]).any()
    assert "identical" in duetto(home, "replay", child["id"][:10]).stdout.lower()
    text = duetto(home, "revise", parent["id"][:10], "更冷一些", "--ellipse", "0.5,0.5,0.3,0.3", "--feather", "0.05").stdout
    assert "only ellipse at (0.5, 0.5) radii 0.3 × 0.3, feather 0.05 was repainted" in text


def test_bad_regions_exit_2_with_one_line(tmp_path: Path) -> None:
    home = tmp_path / "s"
    parent = as_json(home, "new", "秋日的黄昏", "-n", "1", "--seed", "1", "--size", "128")["versions"][0]["id"][:10]
    (tmp_path / "m.png").write_text("not a picture")
    assert "four numbers" in fails(home, "revise", parent, "more red", "--rect", "0,0,1", code=2)
    assert "leaves the canvas" in fails(home, "revise", parent, "more red", "--rect", "0.6,0,0.5,0.5", code=2)
    assert "zero size" in fails(home, "revise", parent, "more red", "--ellipse", "0.5,0.5,0,0.2", code=2)
    assert "not an image" in fails(home, "revise", parent, "more red", "--mask", str(tmp_path / "m.png"), code=2)
    assert len(as_json(home, "tree", parent)["versions"]) == 1  # nothing was stored
