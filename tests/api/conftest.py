"""A temp studio served by the API, with one project and a user for every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from duetto.api.app import create_app
from duetto.api.server import Server
from duetto.settings import Settings
from duetto.store.records import VersionRecord
from duetto.studio import operations

PASSWORD = "correct horse battery"
ROLES = ("owner", "editor", "commenter", "viewer")
SMALL = {"width": 128, "height": 128}


@dataclass
class World:
    server: Server
    project: str
    project_id: str
    tokens: dict[str, str] = field(default_factory=dict)  # user name → API token
    versions: list[VersionRecord] = field(default_factory=list)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def paint(self, who: str = "owner", variants: int = 2) -> operations.Result:
        user = self.server.accounts.user(who)
        studio = self.server.studio_for(user.name, user.id, self.project_id)
        return operations.new(studio, operations.NewRequest(brief="calm blue sea at dawn", variants=variants,
                                                            seed=7, params=SMALL))


def build_world(home: Path) -> World:
    settings = Settings(home=home, user="cli", project="cli")
    server = Server(settings)
    server.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # fast tests
    accounts = server.accounts
    admin = accounts.create_user("admin", password=PASSWORD, is_admin=True)
    owner = accounts.create_user("owner", password=PASSWORD)
    pid = server.repo.ensure_project("art", owner.id)
    world = World(server=server, project="art", project_id=pid)
    for name in ("editor", "commenter", "viewer", "outsider"):
        user = accounts.create_user(name, password=PASSWORD)
        if name != "outsider":
            accounts.grant(pid, user.id, name)
    for user in (admin, owner, *(accounts.user(n) for n in ("editor", "commenter", "viewer", "outsider"))):
        world.tokens[user.name] = accounts.create_token(user.id, "tests")[1]
    server.repo.ensure_project("elsewhere", admin.id)
    return world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "studio")
    yield w
    w.server.close()


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    """No worker: queued jobs stay queued, so tests see exactly what a request stored."""
    with TestClient(create_app(world.server.settings, start_worker=False, server=world.server)) as c:
        yield c


@pytest.fixture
def live(world: World) -> Iterator[TestClient]:
    """With the job worker running."""
    with TestClient(create_app(world.server.settings, server=world.server)) as c:
        yield c


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]  # type: ignore[no-any-return]
