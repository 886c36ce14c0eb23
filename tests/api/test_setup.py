"""First run: the one-time setup link makes exactly one admin; logins posted from other sites
are refused; swatches and sliders set by hand reach the spec and the credits."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from duetto.api.app import create_app
from duetto.api.auth import COOKIE
from duetto.api.server import Server
from duetto.settings import Settings
from duetto.spec import CreativeSpec
from duetto.studio.choices import SpecChoices, apply_choices
from tests.api.conftest import PASSWORD, World, error_of

ADMIN = {"name": "ada", "password": "a long first password"}


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Server]:
    server = Server(Settings(home=tmp_path / "fresh", user="cli", project="cli"))
    server.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield server
    server.close()


def test_the_setup_link_makes_one_admin_and_logs_them_in(fresh: Server) -> None:
    token = fresh.open_setup()
    assert token is not None and len(token) >= 24
    assert fresh.open_setup() == token  # asking again gives the same link
    with TestClient(create_app(fresh.settings, start_worker=False, server=fresh)) as client:
        assert client.get("/api/setup").json() == {"needed": True}
        wrong = client.post("/api/setup", json={**ADMIN, "token": token[:-2] + "xx"})
        assert wrong.status_code == 401 and error_of(wrong)["code"] == "unauthorized"
        assert fresh.accounts.users() == []  # nothing was made

        ok = client.post("/api/setup", json={**ADMIN, "token": token, "project": "studio"})
        assert ok.status_code == 200, ok.text
        body = ok.json()
        assert body["user"]["name"] == "ada" and body["user"]["is_admin"] is True
        assert COOKIE in ok.cookies and len(body["csrf_token"]) >= 16
        me = client.get("/api/me").json()  # the cookie logs them in
        assert me["user"]["name"] == "ada"
        assert [p["name"] for p in client.get("/api/projects").json()] == ["studio"]

        again = client.post("/api/setup", json={"name": "eve", "password": "another password", "token": token})
        assert again.status_code == 409 and error_of(again)["code"] == "conflict"
        assert client.get("/api/setup").json() == {"needed": False}
    assert [u.name for u in fresh.accounts.users()] == ["ada"]


def test_no_setup_link_once_someone_can_log_in(fresh: Server) -> None:
    fresh.accounts.create_user("root", password=PASSWORD, is_admin=True)
    assert fresh.open_setup() is None
    with TestClient(create_app(fresh.settings, start_worker=False, server=fresh)) as client:
        assert client.get("/api/setup").json() == {"needed": False}
        refused = client.post("/api/setup", json={**ADMIN, "token": "anything"})
        assert refused.status_code == 409


def test_a_weak_setup_password_is_refused_and_the_link_stays_open(fresh: Server) -> None:
    token = fresh.open_setup()
    with TestClient(create_app(fresh.settings, start_worker=False, server=fresh)) as client:
        weak = client.post("/api/setup", json={"name": "ada", "password": "short", "token": token})
        assert weak.status_code == 400 and "password" in error_of(weak)["message"]
        assert client.get("/api/setup").json() == {"needed": True}


def test_login_posted_from_another_site_is_refused(client: TestClient, world: World) -> None:
    creds = {"name": "owner", "password": PASSWORD}
    foreign = client.post("/api/login", json=creds, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403 and error_of(foreign)["code"] == "csrf"
    assert COOKIE not in foreign.cookies
    same = client.post("/api/login", json=creds, headers={"Origin": "http://testserver"})
    assert same.status_code == 200 and COOKIE in same.cookies
    script = client.post("/api/login", json=creds)  # no Origin: curl and scripts
    assert script.status_code == 200


def test_hand_choices_override_the_brief() -> None:
    spec = CreativeSpec(brief="warm autumn", energy=0.2, density=0.4)
    out = apply_choices(spec, SpecChoices(colours=["#1E90FF", "#ffd700", "#1e90ff"], energy=0.9))
    assert [(c.name, c.hex) for c in out.palette.colours] == [("blue", "#1e90ff"), ("yellow", "#ffd700")]
    assert out.energy == 0.9 and out.density == 0.4  # density was not set: the brief's stays
    assert out.palette.warmth == 0.0
    assert "chosen by hand: colours #1e90ff #ffd700 #1e90ff, energy 0.90" in out.notes
    assert apply_choices(spec, SpecChoices()) is spec


def test_choices_travel_through_the_api_into_the_picture(live: TestClient, world: World) -> None:
    body = {"project": "art", "brief": "秋天的树林", "variants": 1, "seed": 3,
            "params": {"width": 128, "height": 128},
            "choices": {"colours": ["#1e3a8a", "#60a5fa"], "energy": 0.85, "density": None}}
    job = live.post("/api/works", json=body, headers=world.auth("editor")).json()["job"]
    for _ in range(300):
        state = live.get(f"/api/jobs/{job}", headers=world.auth("editor")).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["status"] == "done", state
    vid = state["result"]["versions"][0]
    shown = live.get(f"/api/versions/{vid}", headers=world.auth("editor")).json()["version"]
    assert [c["hex"] for c in shown["spec"]["palette"]["colours"]] == ["#1e3a8a", "#60a5fa"]
    assert shown["spec"]["energy"] == 0.85
    credits = live.get(f"/api/works/{shown['work_id']}/credits", headers=world.auth("editor")).text
    assert "chosen by hand" in credits
    bad = live.post("/api/works", json={**body, "choices": {"colours": ["blue"]}}, headers=world.auth("editor"))
    assert bad.status_code == 422


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.e2e
def test_duetto_serve_prints_a_setup_link_that_works(tmp_path: Path) -> None:
    port = _free_port()
    cmd = [sys.executable, "-m", "duetto", "serve", "--home", str(tmp_path / "s"), "--port", str(port), "--for", "60"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        seen = ""
        assert proc.stdout is not None
        while "#setup=" not in seen:
            line = proc.stdout.readline()
            assert line, f"serve ended early: {seen}"
            seen += line
        token = re.search(r"#setup=([\w-]+)", seen).group(1)  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                state = httpx.get(f"{base}/api/setup", timeout=2).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert state == {"needed": True}
        made = httpx.post(f"{base}/api/setup", json={**ADMIN, "token": token}, timeout=30)
        assert made.status_code == 200, made.text
        assert httpx.get(f"{base}/", timeout=5).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_cli_new_takes_the_same_choices(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from duetto.cli import app as cli

    home = str(tmp_path / "cli")
    ok = CliRunner().invoke(cli, ["new", "misty lake", "-n", "1", "--size", "96", "--colour", "#2e8b57",
                                  "--density", "0.2", "--json", "--home", home])
    assert ok.exit_code == 0, ok.output
    spec = json.loads(ok.stdout)["versions"][0]["spec"]
    assert [c["hex"] for c in spec["palette"]["colours"]] == ["#2e8b57"] and spec["density"] == 0.2
    bad = CliRunner().invoke(cli, ["new", "misty lake", "--colour", "green", "--home", home])
    assert bad.exit_code == 2 and "a colour is written #rrggbb" in bad.output and "'green'" in bad.output
