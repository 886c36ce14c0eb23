"""Long work shows its progress when the output is redirected: plain lines on stderr as each
version is stored, while the command still runs, and none of them on stdout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

STORED = re.compile(r"^making (\d)/3 stored: ([0-9a-f]{10}) \(\d+\.\d s\)$")


def test_progress_lines_reach_a_redirected_stderr_before_the_end(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    answer = tmp_path / "answer.json"
    with answer.open("w") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "duetto", "new", "一幅抽象画，色彩丰富，线条流畅", "--variants", "3",
             "--size", "1024", "--seed", "5", "--json", "--home", str(home)],
            stdout=stdout, stderr=subprocess.PIPE, text=True, env={**os.environ, "DUETTO_USER": "ada"})
        assert proc.stderr is not None
        lines: list[str] = []
        while not (lines and STORED.match(lines[-1])):  # each readline blocks until a line is flushed
            line = proc.stderr.readline()
            assert line, f"stderr ended before a version was reported stored: {lines}"
            lines.append(line.strip())
        running = proc.poll() is None  # two 1024² paintings are still to come
        lines += proc.stderr.read().strip().splitlines()
        assert proc.wait(timeout=300) == 0, lines
    assert running, "the first version's line came only when the command had ended"
    assert all(re.match(r"^making [123]/3(:| stored:) ", line) for line in lines), lines
    stored = [m.groups() for m in map(STORED.match, lines) if m]
    assert [n for n, _ in stored] == ["1", "2", "3"], lines
    made = json.loads(answer.read_text())  # stdout holds the one JSON answer and nothing else
    assert [v["id"][:10] for v in made["versions"]] == [short for _, short in stored]
