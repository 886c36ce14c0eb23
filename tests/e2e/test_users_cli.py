"""``duetto users …`` in real subprocesses: add, passwords from stdin, roles, tokens, disable.

What the commands stored is then checked through the store itself (the same code the HTTP API
will use to log people in), and the database file is read to see no secret was kept."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from duetto.errors import Unauthorized
from duetto.settings import Settings
from duetto.store import Repository
from duetto.store.accounts import Accounts
from tests.e2e.test_cli import duetto, fails

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "a long admin password"
BOB_PASSWORD = "bob's own pass phrase"


def users(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Like ``duetto`` from test_cli, but stdin is always a pipe (never the terminal pytest ran
    in), holding ``stdin``."""
    cmd = [sys.executable, "-m", "duetto", "users", *args, "--home", str(home)]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DUETTO_USER": "ada"})


def users_json(home: Path, *args: str, stdin: str = "") -> dict[str, Any]:
    proc = users(home, *args, "--json", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def refused(home: Path, *args: str, code: int, stdin: str = "") -> str:
    proc = users(home, *args, stdin=stdin)
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def test_people_through_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "studio"

    admin = users_json(home, "add", "mei", "--admin", "--password-stdin", stdin=ADMIN_PASSWORD + "\n")["user"]
    assert admin["is_admin"] and admin["has_password"] and admin["name"] == "mei"
    bob = users_json(home, "add", "bob")["user"]  # a script without a password: tokens only
    assert not bob["has_password"] and not bob["is_admin"]

    assert "needs a password" in refused(home, "add", "root", "--admin", code=2)
    assert "not a valid user name" in refused(home, "add", "bad name!", code=2)
    assert "10 to 1024 characters" in refused(home, "passwd", "bob", "--password-stdin", code=2, stdin="short\n")
    assert "already exists" in refused(home, "add", "MEI", code=4)

    changed = users(home, "passwd", "bob", "--password-stdin", stdin=BOB_PASSWORD + "\n")
    assert changed.returncode == 0 and BOB_PASSWORD not in changed.stdout + changed.stderr

    duetto(home, "works")  # the CLI's own user (ada) and her project "default"
    member = users_json(home, "grant", "bob", "default", "editor")["membership"]
    assert (member["user"], member["project"], member["role"]) == ("bob", "default", "editor")
    assert "unknown role 'boss'" in fails(home, "users", "grant", "bob", "default", "boss", code=2)

    made = users_json(home, "token", "bob", "--name", "render farm")
    token = made["token"]
    assert token.startswith("dt_") and made["record"]["prefix"] == token[:8]
    assert made["record"]["name"] == "render farm"

    listed = {u["name"]: u for u in users_json(home, "list")["users"]}
    assert set(listed) == {"mei", "bob", "ada"}
    assert listed["bob"]["projects"] == {"default": "editor"} and listed["ada"]["projects"] == {"default": "owner"}
    assert listed["mei"]["is_admin"] and not listed["ada"]["has_password"]

    # What was stored works with the code that will log people in, and holds no secret.
    repo = Repository(Settings(home=home).db_url)
    accounts = Accounts(repo)
    assert accounts.authenticate("mei", ADMIN_PASSWORD).is_admin
    bob_user = accounts.authenticate("bob", BOB_PASSWORD)
    assert accounts.user_for_token(token).id == bob_user.id
    assert accounts.role_of(accounts.project("default"), bob_user.id) == "editor"
    with sqlite3.connect(home / "studio.db") as db:
        assert db.execute("SELECT token_hash FROM api_tokens").fetchall() == [
            (hashlib.sha256(token.encode()).hexdigest(),)]
        dump = "\n".join(db.iterdump())
    assert token not in dump and ADMIN_PASSWORD not in dump and BOB_PASSWORD not in dump

    users_json(home, "revoke", "bob", "default")
    assert accounts.role_of(accounts.project("default"), bob_user.id) is None
    assert users_json(home, "disable", "bob")["user"]["disabled_at"] is not None
    with pytest.raises(Unauthorized):
        accounts.user_for_token(token)
    with pytest.raises(Unauthorized):
        accounts.authenticate("bob", BOB_PASSWORD)
    assert "no user named 'carol'" in fails(home, "users", "disable", "carol", code=3)
    repo.close()


def _in_terminal(home: Path, args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run ``duetto users …`` on a pseudo-terminal it owns (so getpass really turns echo off),
    answering each prompt once it appears; returns the exit code and all the terminal showed."""
    import fcntl
    import pty
    import select
    import termios

    master, slave = pty.openpty()

    def own_terminal() -> None:  # child: new session, the pty as its controlling terminal
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([sys.executable, "-m", "duetto", "users", *args, "--home", str(home)],
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                            preexec_fn=own_terminal, env={**os.environ, "DUETTO_USER": "ada"})
    os.close(slave)
    shown = ""
    pending = list(answers)
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        assert ready, f"no output for 30 s; so far: {shown!r}"
        try:
            chunk = os.read(master, 4096).decode()
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        if pending and shown.rstrip().endswith(pending[0][0]):
            os.write(master, (pending.pop(0)[1] + "\n").encode())
    os.close(master)
    return proc.wait(timeout=30), shown


def test_passwords_typed_in_a_terminal_are_asked_twice_and_not_echoed(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    typed = "typed in a terminal"
    code, shown = _in_terminal(home, ["add", "lin", "--admin"],
                               [("password for lin (empty: none, tokens only):", typed), ("again:", typed)])
    assert code == 0, shown
    assert "added admin lin" in shown and typed not in shown
    code, shown = _in_terminal(home, ["passwd", "lin"], [("password for lin:", "one new password"),
                                                          ("again:", "another password")])
    assert code == 2 and "the two passwords differ" in shown
    assert "one new password" not in shown and "another password" not in shown
    repo = Repository(Settings(home=home).db_url)
    assert Accounts(repo).authenticate("lin", typed).is_admin  # the mismatch changed nothing
    repo.close()


def test_granting_an_owner_creates_the_project_and_other_roles_need_it(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    duetto(home, "users", "add", "ada")
    duetto(home, "users", "add", "ben")
    assert "owner of studio" in duetto(home, "users", "grant", "ada", "studio", "owner").stdout
    assert "editor of studio" in duetto(home, "users", "grant", "ben", "studio", "editor").stdout
    assert "giving it an owner" in fails(home, "users", "grant", "ben", "elsewhere", "viewer", code=3)
