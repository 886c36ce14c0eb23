"""A temp studio served with the web router: one project 'art', an owner and a viewer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from duetto.api.server import Server
from duetto.settings import Settings

PASSWORD = "correct horse battery"


def build_server(home: Path) -> Server:
    """Why a real Server: the pages and the e2e talk to the same app the painter runs."""
    server = Server(Settings(home=home, user="cli", project="cli"))
    server.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # fast tests
    owner = server.accounts.create_user("painter", password=PASSWORD)
    pid = server.repo.ensure_project("art", owner.id)
    viewer = server.accounts.create_user("viewer", password=PASSWORD)
    server.accounts.grant(pid, viewer.id, "viewer")
    return server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = build_server(tmp_path / "studio")
    yield s
    s.close()
