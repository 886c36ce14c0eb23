"""`duetto demo` is what `make run` runs first: the whole loop once, through the installed CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import mido
import pytest
from PIL import Image

from tests.e2e.test_cli import duetto

pytestmark = [pytest.mark.e2e, pytest.mark.model]  # the demo's poem is written by the embedded model


@pytest.mark.timeout(900)
def test_the_demo_runs_the_loop_and_every_file_opens(tmp_path: Path) -> None:
    proc = duetto(tmp_path, "demo", "--json", timeout=900)
    report = json.loads(proc.stdout)
    assert report["replay_identical"] is True
    assert [s["step"].split()[1] for s in report["steps"]][:3] == ["new", "revise", "revise"]
    pictures = [v for v in report["versions"] if v["path"].endswith(".png")]
    assert len(pictures) >= 8
    with Image.open(pictures[0]["path"]) as im:
        assert im.size[0] >= 256
    verses = [x for x in re.split(r"[，。！？,.\s]+", report["poem"]["text"]) if x]
    assert report["poem"]["valid"] and len(verses) == 4 and all(len(x) == 7 for x in verses), verses
    midi = mido.MidiFile(report["music"]["files"]["mid"])
    assert sum(1 for t in midi.tracks for m in t if m.type == "note_on" and m.velocity) > 50
    assert report["credits"]["human"] and report["credits"]["ai"]
