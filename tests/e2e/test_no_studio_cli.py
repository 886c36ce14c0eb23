"""A command that reads or changes a studio, pointed at a place with no studio, says so and
leaves nothing behind; only the commands that start something make a studio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ID = "0123456789abcdef"
READERS = [
    ("show", ID), ("tree", ID), ("works",), ("diff", ID, ID), ("credits", ID), ("replay", ID),
    ("export", ID, "out"), ("revise", ID, "warmer"), ("comments", ID), ("users", "list"),
]


def run(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """In ``cwd``, so a studio or folder made by mistake (./duetto-studio, ./out) is seen there."""
    return subprocess.run([sys.executable, "-m", "duetto", *args, "--home", str(home)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "DUETTO_USER": "ada"}, cwd=cwd)


@pytest.mark.parametrize("args", READERS, ids=[" ".join(a[:2]) for a in READERS])
def test_a_read_command_on_no_studio_fails_and_creates_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    home = tmp_path / "nonexistent" / "dir"
    proc = run(home, *args, cwd=tmp_path)
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: no studio at") and str(home) in lines[0], proc.stderr
    assert "duetto new" in lines[0] and "Traceback" not in proc.stderr
    assert not (tmp_path / "nonexistent").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no ./duetto-studio either, nor an export folder


def test_an_empty_directory_is_not_a_studio_and_stays_empty(tmp_path: Path) -> None:
    home = tmp_path / "empty"
    home.mkdir()
    proc = run(home, "works", "--json", cwd=tmp_path)
    assert proc.returncode == 3 and json.loads(proc.stdout)["error"]["code"] == "not_found"
    assert list(home.iterdir()) == []


def test_new_makes_the_studio_and_then_reads_work(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    made = run(home, "new", "calm sea", "--variants", "1", "--size", "64", "--json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (home / "studio.db").is_file()
    vid = json.loads(made.stdout)["versions"][0]["id"]
    shown = run(home, "show", vid[:8], "--json", cwd=tmp_path)
    assert shown.returncode == 0 and json.loads(shown.stdout)["versions"][0]["id"] == vid
