"""`duetto critique` from the command line: human text, one JSON object, exit codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_cli import as_json, duetto, fails

pytestmark = pytest.mark.e2e


def test_critique_a_painting_in_both_languages_and_run_its_suggestion(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    made = as_json(home, "new", "秋日的黄昏，一片金色的落叶", "--variants", "1", "--size", "160", "--seed", "7")
    vid = made["versions"][0]["id"]
    payload = as_json(home, "critique", vid[:8], "--no-model")
    c = payload["critique"]
    assert payload["versions"][0]["id"] == vid
    assert (c["medium"], c["language"], c["source"]) == ("painting", "zh", "rules")
    assert c["facts"]["colours"] and c["observations"] and c["suggestions"]
    text = duetto(home, "critique", vid, "--no-model", "--lang", "en").stdout
    assert "What I see" in text and "Suggestions" in text and "Palette:" in text
    runnable = [s for s in c["suggestions"] if s["command"]]
    assert runnable, c["suggestions"]
    # the printed command is what a learner pastes: it must make a child version
    child = as_json(home, "revise", vid, runnable[0]["feedback"])["versions"][0]
    assert child["parents"] == [vid]
    assert "--lang" in fails(home, "critique", vid, "--no-model", "--lang", "fr", code=2)
    assert "no version" in fails(home, "critique", "deadbeef", "--no-model", code=3)


def test_critique_help_lists_the_options() -> None:
    import sys

    out = subprocess.run([sys.executable, "-m", "duetto", "critique", "--help"], capture_output=True, text=True).stdout
    assert "--no-model" in out and "--lang" in out and "--json" in out
