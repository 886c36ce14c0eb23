"""In real headless Chromium: the first-run link on a fresh home makes the admin and logs them in
(the secret leaves the address bar); the project websocket refreshes the works list, one socket
at a time across project switches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from duetto.api.server import Server
from tests.web.conftest import PASSWORD, csrf_headers, fast_server, log_in, shoot

pytestmark = pytest.mark.browser

# Counts the page's project sockets: every WebSocket to /api/events, and whether it is still open.
TRACK_SOCKETS = """
window.__projectSockets = [];
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(url, ...rest) {
    super(url, ...rest);
    if (String(url).includes('/api/events')) window.__projectSockets.push(this);
  }
};
"""
OPEN_SOCKETS = "window.__projectSockets.filter(s => s.readyState <= 1).map(s => s.url)"


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Server]:
    """A home nobody can log in to yet: exactly what `duetto serve` opens a setup link for."""
    s = fast_server(tmp_path / "fresh")
    yield s
    s.close()


@pytest.fixture
def server(fresh: Server) -> Server:  # base_url serves this one
    return fresh


def test_setup_link_creates_the_admin_and_drops_the_token(page: Any, fresh: Server, allowed_errors: list[str]) -> None:
    allowed_errors.append("/api/setup")  # the wrong token's 401, provoked below
    token = fresh.open_setup()
    assert token and fresh.setup_needed()
    page.goto("/#setup=not-the-secret")
    page.locator("#setup-form").wait_for()
    page.fill("#setup-form input[name=name]", "ana")
    page.fill("#setup-form input[name=password]", PASSWORD)
    page.fill("#setup-form input[name=password2]", PASSWORD + "!")
    page.click("#setup-form button[type=submit]")
    _expect()(page.locator("#setup-error")).to_be_visible()  # mismatch caught before sending
    page.fill("#setup-form input[name=password2]", PASSWORD)
    page.click("#setup-form button[type=submit]")
    _expect()(page.locator("#setup-error")).to_contain_text("401")  # the server's word on a bad token
    assert fresh.setup_needed()

    page.goto(f"/login#setup={token}")
    assert token in page.url
    page.fill("#setup-form input[name=name]", "ana")
    page.fill("#setup-form input[name=password]", PASSWORD)
    page.fill("#setup-form input[name=password2]", PASSWORD)
    page.fill("#setup-form input[name=project]", "studio")
    shoot(page, "00-setup")
    page.click("#setup-form button[type=submit]")
    page.locator("#studio-view").wait_for()
    _expect()(page.locator("#project")).to_have_value("studio")
    _expect()(page.locator("#who")).to_have_text("ana")
    assert token not in page.url and "#" not in page.url
    assert not fresh.setup_needed() and fresh.accounts.user("ana").is_admin
    assert page.evaluate("history.length") >= 1 and token not in page.evaluate("location.href")


def test_project_socket_refreshes_works_and_is_never_doubled(page: Any, fresh: Server, base_url: str) -> None:
    owner = fresh.accounts.create_user("painter", password=PASSWORD)
    fresh.repo.ensure_project("art", owner.id)
    fresh.repo.ensure_project("sketches", owner.id)
    page.add_init_script(TRACK_SOCKETS)
    log_in(page, "painter")
    page.wait_for_function(f"{OPEN_SOCKETS}.length === 1")
    for name in ("sketches", "art", "sketches"):
        page.select_option("#project", name)
        page.wait_for_function(f"({OPEN_SOCKETS}).length === 1 && ({OPEN_SOCKETS})[0].endsWith('project={name}')")
    page.wait_for_function("window.__projectSockets[window.__projectSockets.length - 1].readyState === 1")
    assert page.evaluate(f"{OPEN_SOCKETS}.length") == 1

    # a job this page did not start (another tab, another person): its end refreshes the list
    started = page.request.post("/api/works", headers=csrf_headers(page, base_url),
                                data={"project": "sketches", "brief": "a quiet blue sea", "variants": 1,
                                      "params": {"width": 64, "height": 64}})
    assert started.status == 202, started.text()
    _expect()(page.locator("#works li a")).to_have_text("a quiet blue sea", timeout=30_000)
    assert page.evaluate(f"{OPEN_SOCKETS}.length") == 1
