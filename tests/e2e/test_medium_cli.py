"""The medium read from the brief, through the installed CLI: a 七绝 brief makes a poem, a piano
piece makes music, and an explicit --media always wins; bad requests are one line and exit 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import mido
import pytest

from duetto.llm.models import FAST_MODEL
from tests.e2e.test_cli import duetto

pytestmark = pytest.mark.e2e


@pytest.mark.model
@pytest.mark.timeout(600)
def test_a_poem_brief_makes_a_poem_and_says_why(tmp_path: Path) -> None:
    # what is read from the brief, not the default model's verse: the fast model writes the poem
    out = json.loads(duetto(tmp_path, "new", "写一首七言绝句，描写江南春雨", "-n", "1", "--seed", "3",
                            "--param", "candidates=1", "--param", f"model={FAST_MODEL}", "--json",
                            timeout=540).stdout)
    assert out["work"]["medium"] == "poem"
    v = out["versions"][0]
    assert v["spec"]["medium"] == "poem" and v["path"].endswith(".txt")
    verses = [x for x in re.split(r"[，。！？,.\s]+", Path(v["path"]).read_text(encoding="utf-8")) if x]
    assert len(verses) == 4 and all(len(x) == 7 for x in verses), verses  # a 七绝: four lines of seven
    assert any(n.startswith("medium: poem") and "七言绝句" in n for n in out["notes"]), out["notes"]


def test_a_music_brief_makes_music_and_media_wins(tmp_path: Path) -> None:
    out = json.loads(duetto(tmp_path, "new", "一首悲伤的钢琴曲，慢板，小调", "-n", "1", "--seed", "2", "--json").stdout)
    assert out["work"]["medium"] == "music"
    midi = mido.MidiFile(out["versions"][0]["path"])
    assert sum(1 for t in midi.tracks for m in t if m.type == "note_on" and m.velocity) > 20
    assert out["versions"][0]["info"]["key"].endswith("minor")
    painted = json.loads(duetto(tmp_path, "new", "一首悲伤的钢琴曲", "--media", "painting", "-n", "1", "--size", "64",
                                "--json").stdout)
    assert painted["work"]["medium"] == "painting" and not any(n.startswith("medium:") for n in painted["notes"])


@pytest.mark.parametrize("args", [["breed", "0123abcd"], ["new", "sea", "--media", "sculpture"],
                                  ["restyle", "nothing-here.png", "--style", "mosaic"]])
def test_bad_requests_are_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    proc = duetto(tmp_path, *args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error:") and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
