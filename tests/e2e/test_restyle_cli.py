"""`duetto restyle` driven as a person would: restyle a painting, revise, vary, replay; bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.test_cli import as_json, duetto, fails

pytestmark = pytest.mark.e2e


def test_restyle_then_revise_vary_and_replay(tmp_path: Path) -> None:
    home = tmp_path / "s"
    painting = as_json(home, "new", "sunny harbour, red boats", "-n", "1", "--seed", "5", "--size", "128")["versions"][0]
    made = as_json(home, "restyle", painting["id"], "--style", "starry_night:0.6,mosaic:0.4", "--strength", "0.9",
                   "--keep-colours", "--size", "160", "--variants", "2", "--seed", "1")
    first = made["versions"][0]
    assert first["parents"] == [painting["id"]] and first["work_id"] == painting["work_id"]
    assert first["spec"]["style"] == "starry_night:0.6,mosaic:0.4" and first["spec"]["stylisation"] == 0.9
    with Image.open(first["path"]) as im:
        assert im.size == (160, 160)
    revised = as_json(home, "revise", first["id"], "less stylised")["versions"][0]
    assert revised["spec"]["stylisation"] == pytest.approx(0.7)
    varied = as_json(home, "vary", revised["id"], "-n", "1", "--seed", "9")["versions"][0]
    for v in (first, revised, varied):
        assert duetto(home, "replay", v["id"]).returncode == 0


def test_bad_restyle_input_exits_2_with_one_line(tmp_path: Path) -> None:
    home = tmp_path / "s"
    photo = tmp_path / "p.png"
    Image.new("RGB", (80, 60), (200, 40, 40)).save(photo)
    assert "0 amber" in fails(home, "restyle", str(photo), "--style", "vangogh", code=2)
    assert "--strength" in fails(home, "restyle", str(photo), "--style", "mosaic", "--strength", "1.5", code=2)
    notes = tmp_path / "n.txt"
    notes.write_text("words")
    assert "not an image" in fails(home, "restyle", str(notes), "--style", "mosaic", code=2)
