"""A person's edit survives revise, vary and region revise (issue 18, "edits that survive").

A painting is made, a large orange disc is drawn on it with Pillow and imported; every act on
that human version must work from its pixels: the disc is segmented in the result PNG and must
overlap the drawn one (IoU ≥ 0.8), the feedback must show in the pixels, and replay must make
the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.e2e.test_cli import as_json, duetto, fails

pytestmark = pytest.mark.e2e

SIZE = 256
DISC = (60, 60, 190, 190)  # the person's disc: x0, y0, x1, y1
ORANGE = (245, 130, 20)


def rgb(path: str | Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).astype(np.int32)


def drawn_disc() -> np.ndarray:
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).ellipse(DISC, fill=255)
    return np.asarray(mask) > 127


def orange(px: np.ndarray) -> np.ndarray:
    """Orange-ish pixels: strongly red over blue, green in between, bright and saturated."""
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    return (r > 170) & (r - b > 120) & (g > 0.3 * r) & (g < 0.8 * r)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def warmth(px: np.ndarray) -> float:
    return float((px[..., 0] - px[..., 2]).mean())


def edited(tmp_path: Path, home: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A cold painting and the person's import of it with a large orange disc drawn on."""
    painted = as_json(home, "new", "a deep blue night sea, cold and quiet", "-n", "1", "--seed", "3",
                      "--size", str(SIZE))["versions"][0]
    with Image.open(painted["path"]) as im:
        mine = im.convert("RGB")
    ImageDraw.Draw(mine).ellipse(DISC, fill=ORANGE)
    path = tmp_path / "myedit.png"
    mine.save(path)
    imported = as_json(home, "import", painted["id"], str(path))["versions"][0]
    assert iou(orange(rgb(imported["path"])), drawn_disc()) > 0.95  # the segmentation finds the disc
    assert iou(orange(rgb(painted["path"])), drawn_disc()) < 0.1  # and nothing like it in the painting
    return painted, imported


def test_warmer_on_an_imported_edit_keeps_the_disc_and_replays(tmp_path: Path) -> None:
    home = tmp_path / "s"
    painted, imported = edited(tmp_path, home)
    made = as_json(home, "revise", imported["id"][:10], "更温暖一些")
    child = made["versions"][0]
    before, after = rgb(imported["path"]), rgb(child["path"])
    assert iou(orange(after), drawn_disc()) >= 0.8
    assert warmth(after) - warmth(before) >= 15.0  # mean R−B up by a clear margin (0..255 scale)
    assert child["parents"] == [imported["id"]] and child["author"].startswith("engine:retouch")
    assert any("pixels of your picture" in n for n in made["notes"])
    shown = as_json(home, "show", child["id"])
    assert shown["recipe"]["engine"] == "retouch" and shown["recipe"]["parents"] == [imported["id"]]
    assert as_json(home, "replay", child["id"])["identical"] is True
    # the repaint from the inherited spec, which is what revise did before, loses the disc
    repainted = as_json(home, "revise", painted["id"][:10], "更温暖一些")["versions"][0]
    assert iou(orange(rgb(repainted["path"])), drawn_disc()) < 0.2
    # a second revise works on the retouched pixels again
    bluer = as_json(home, "revise", child["id"][:10], "more blue")["versions"][0]
    cool = rgb(bluer["path"])
    assert iou(orange(cool), drawn_disc()) >= 0.8 and warmth(cool) < warmth(after) - 5
    assert as_json(home, "replay", bluer["id"])["identical"] is True


def test_vary_of_an_imported_edit_keeps_the_disc(tmp_path: Path) -> None:
    home = tmp_path / "s"
    _, imported = edited(tmp_path, home)
    varied = as_json(home, "vary", imported["id"][:10], "-n", "3", "--seed", "5")["versions"]
    source = rgb(imported["path"])
    pictures = [rgb(v["path"]) for v in varied]
    for v, px in zip(varied, pictures, strict=True):
        assert v["parents"] == [imported["id"]] and v["author"].startswith("engine:retouch")
        assert iou(orange(px), drawn_disc()) >= 0.8
        assert np.abs(px - source).mean() > 1.0  # a variation, not a copy
    assert all(np.abs(pictures[i] - pictures[j]).mean() > 1.0 for i in range(3) for j in range(i + 1, 3))
    assert as_json(home, "replay", varied[1]["id"])["identical"] is True


def test_region_revise_of_an_imported_edit_changes_only_the_region_from_its_pixels(tmp_path: Path) -> None:
    home = tmp_path / "s"
    _, imported = edited(tmp_path, home)
    child = as_json(home, "revise", imported["id"][:10], "更温暖一些", "--rect", "0,0,0.5,1")["versions"][0]
    before, after = rgb(imported["path"]), rgb(child["path"])
    half = SIZE // 2
    assert np.array_equal(before[:, half:], after[:, half:])  # outside the region: the person's own pixels
    assert warmth(after[:, : half - 8]) - warmth(before[:, : half - 8]) >= 15.0
    assert iou(orange(after), drawn_disc()) >= 0.8  # the disc, half in the region, is whole
    assert as_json(home, "replay", child["id"])["identical"] is True


def test_what_pixels_cannot_do_is_refused_clearly_and_a_moon_is_painted_on(tmp_path: Path) -> None:
    home = tmp_path / "s"
    _, imported = edited(tmp_path, home)
    ref = imported["id"][:10]
    assert "restyle" in fails(home, "revise", ref, "in ink style", code=2)
    assert "cannot paint trees" in fails(home, "revise", ref, "add a tree", code=2)
    assert len(as_json(home, "tree", ref)["versions"]) == 2  # nothing was stored
    moon = as_json(home, "revise", ref, "加一轮月亮")["versions"][0]
    before, after = rgb(imported["path"]), rgb(moon["path"])
    pale = (after.min(-1) > 200).sum() - (before.min(-1) > 200).sum()
    assert pale > 150  # a pale moon disc appeared
    assert iou(orange(after), drawn_disc()) >= 0.8
    assert "identical" in duetto(home, "replay", moon["id"][:10]).stdout.lower()


def test_revise_of_an_imported_midi_edit_keeps_the_persons_notes(tmp_path: Path) -> None:
    import mido

    from tests.e2e.test_music_cli import notes_by_track, tempo_bpm

    home = tmp_path / "s"
    piece = as_json(home, "new", "一段充满活力的乐曲", "--media", "music", "-n", "1", "--seed", "3",
                    "--param", "audio=none")["versions"][0]
    mid = mido.MidiFile(piece["path"])
    lead = next(t for t in mid.tracks if any(m.type == "note_on" for m in t) and t.name != "drums")
    raised: set[tuple[int, int]] = set()  # the person lifts every third note of the first part an octave
    count = 0
    for m in lead:
        if m.type == "note_on" and m.velocity > 0:
            count += 1
            if count % 3 == 0 and m.note < 110:
                raised.add((m.channel, m.note))
                m.note += 12
        elif m.type in ("note_off", "note_on") and (m.channel, m.note) in raised:
            raised.discard((m.channel, m.note))
            m.note += 12
    path = tmp_path / "mine.mid"
    mid.save(path)
    mine = as_json(home, "import", piece["id"], str(path))["versions"][0]
    faster = as_json(home, "revise", mine["id"][:10], "faster")["versions"][0]
    theirs, now = notes_by_track(mido.MidiFile(path)), notes_by_track(mido.MidiFile(faster["path"]))
    assert theirs != notes_by_track(mido.MidiFile(piece["path"]))  # the edit changed notes
    assert {k: [p for _, p in v] for k, v in now.items()} == {k: [p for _, p in v] for k, v in theirs.items()}
    assert tempo_bpm(mido.MidiFile(faster["path"])) > tempo_bpm(mido.MidiFile(path)) + 5
    assert as_json(home, "replay", faster["id"])["identical"] is True
