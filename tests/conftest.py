"""Fixtures: every test gets a fresh studio in a temp dir, with fixed user and project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from duetto.settings import Settings
from duetto.studio import Studio


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    s = Studio(Settings(home=tmp_path / "studio", user="ada", project="test"))
    yield s
    s.close()
