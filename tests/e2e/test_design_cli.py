"""`duetto palette`, `duetto recolour` and `duetto new --image` driven as a person would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.e2e.test_cli import as_json, duetto, fails

pytestmark = pytest.mark.e2e


def bands(path: Path) -> Path:
    arr = np.zeros((120, 120, 3), np.uint8)
    arr[:60], arr[60:96], arr[96:] = (0x1F, 0x2F, 0x5C), (0xD4, 0xA0, 0x17), (0xF5, 0xF5, 0xF0)
    Image.fromarray(arr).save(path)
    return path


def test_palette_prints_swatches_writes_a_sheet_and_json(tmp_path: Path) -> None:
    home, sheet = tmp_path / "s", tmp_path / "sw.png"
    text = duetto(home, "palette", "金色", "--harmony", "triadic", "--text-colour", "#fff", "--out", str(sheet)).stdout
    assert "#d4a017" in text and "#17d4a0" in text and "金色" in text and "gold" in text
    with Image.open(sheet) as im:
        assert im.format == "PNG" and im.width > 600
    data = as_json(home, "palette", "平静", "--json")
    assert data["kind"] == "mood" and data["rows"][0]["harmony"] == "analogous"
    pic = as_json(home, "palette", str(bands(tmp_path / "b.png")), "--k", "5", "--text-colour", "white",
                  "--region", "0,0,1,0.4")
    assert [s["hex"] for s in pic["rows"][0]["swatches"]] == ["#1f2f5c", "#d4a017", "#f5f5f0"]
    assert pic["text_on_image"]["p05"]["aaa"] is True


def test_palette_bad_input_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "s"
    assert "did you mean: 金色" in fails(home, "palette", "金銀色", code=2)
    assert "not a hex colour" in fails(home, "palette", "#12345g", code=2)
    junk = tmp_path / "junk.png"
    junk.write_text("not a picture")
    assert "not an image" in fails(home, "palette", str(junk), code=2)
    assert "unknown harmony" in fails(home, "palette", "gold", "--harmony", "pentadic", code=2)


def test_recolour_makes_a_replayable_child_and_vary_recolours_the_same_source(tmp_path: Path) -> None:
    home = tmp_path / "s"
    src = as_json(home, "new", "色彩丰富", "-n", "1", "--seed", "2", "--size", "96")["versions"][0]
    made = as_json(home, "recolour", src["id"], "--harmony", "triadic", "--base", "金色")["versions"][0]
    assert made["operation"] == "recolour" and made["parents"] == [src["id"]]
    assert made["spec"]["palette"]["colours"][0]["hex"] == "#d4a017"
    assert as_json(home, "replay", made["id"])["versions"] is not None
    kid = as_json(home, "vary", made["id"], "-n", "1", "--seed", "3")["versions"][0]
    assert as_json(home, "show", kid["id"])["recipe"]["inputs"] == [src["id"]]
    assert duetto(home, "replay", kid["id"]).returncode == 0
    other = as_json(home, "recolour", made["id"], "--palette", "#1f2f5c,白色")["versions"][0]
    assert [c["hex"] for c in other["spec"]["palette"]["colours"]] == ["#1f2f5c", "#f5f5f0"]
    assert "recolour to what" in fails(home, "recolour", src["id"], code=2)
    assert "unknown colour" in fails(home, "recolour", src["id"], "--palette", "#123456,blurple", code=2)


def test_new_with_a_reference_image(tmp_path: Path) -> None:
    home = tmp_path / "s"
    made = as_json(home, "new", "一座山", "--image", str(bands(tmp_path / "ref.png")), "-n", "1", "--seed", "1",
                   "--size", "96")
    v = made["versions"][0]
    assert [c["hex"] for c in v["spec"]["palette"]["colours"]] == ["#1f2f5c", "#d4a017", "#f5f5f0"]
    assert v["spec"]["composition"] == "horizontal"
    assert any("from reference image ref.png" in n for n in made["notes"])
    credits = duetto(home, "credits", v["id"]).stdout
    assert "reference image" in credits
    junk = tmp_path / "x.png"
    junk.write_bytes(b"\x89PNG broken")
    assert "x.png" in fails(home, "new", "山", "--image", str(junk), code=2)
