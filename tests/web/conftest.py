"""A temp studio served with the web router: one project 'art' with an owner, a commenter and a
viewer; for browser tests the real app under uvicorn and a headless Chromium page that fails the
test on any console error or uncaught script error."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher

from duetto.api.app import create_app
from duetto.api.server import Server
from duetto.settings import Settings
from duetto.store.records import VersionRecord
from duetto.studio import operations

PASSWORD = "correct horse battery"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
LAPTOP, TABLET = {"width": 1366, "height": 800}, {"width": 820, "height": 1180}


def fast_server(home: Path) -> Server:
    server = Server(Settings(home=home, user="cli", project="cli"))
    server.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # fast tests
    return server


def build_server(home: Path) -> Server:
    """Why a real Server: the pages and the e2e talk to the same app the painter runs."""
    server = fast_server(home)
    owner = server.accounts.create_user("painter", password=PASSWORD)
    pid = server.repo.ensure_project("art", owner.id)
    for name in ("commenter", "viewer"):
        user = server.accounts.create_user(name, password=PASSWORD)
        server.accounts.grant(pid, user.id, name)
    return server


def seed_work(server: Server, variants: int = 3, brief: str = "一幅抽象画，蓝色和金色") -> list[VersionRecord]:
    """A painting work made directly through the studio (no browser, no job): small and quick."""
    owner = server.accounts.user("painter")
    pid = server.repo.ensure_project("art", owner.id)
    studio = server.studio_for(owner.name, owner.id, pid)
    req = operations.NewRequest(brief=brief, variants=variants, seed=7, params={"width": 96, "height": 96})
    return operations.new(studio, req).versions


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = build_server(tmp_path / "studio")
    yield s
    s.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(server: Server) -> Iterator[str]:
    """The real app under uvicorn on a free port, in a thread (the job worker runs with it)."""
    port = _free_port()
    app = create_app(server.settings, server=server)
    web = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="auto"))
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not web.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    web.should_exit = True
    thread.join(10)


@pytest.fixture
def base_url(server: Server) -> Iterator[str]:
    with serving(server) as url:
        yield url


def _expected(msg: Any, allowed: list[str]) -> bool:
    """The one error the page cannot avoid: Chromium logs the 401 that says "not logged in yet";
    and the failed loads a test provokes on purpose."""
    url = (msg.location or {}).get("url", "")
    if "Failed to load resource" in msg.text and any(url.endswith(end) for end in allowed):
        return True
    return "status of 401" in msg.text and url.endswith("/api/me")


@pytest.fixture
def allowed_errors() -> list[str]:
    """URL endings whose failed load a test provokes on purpose (e.g. a bad setup token's 401)."""
    return []


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless chromium through playwright (skips the test when either is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install Debian's chromium (scripts/system-deps.sh)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'duetto[test]' for playwright")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@contextmanager
def watched_page(browser: Any, base_url: str, allowed_errors: list[str]) -> Iterator[Any]:
    """A page in a fresh context that fails the test on any console error or uncaught script error."""
    context = browser.new_context(viewport=LAPTOP, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a 2-core CI machine running the whole suite is slow
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text} @ {msg.location}")
            if msg.type == "error" and not _expected(msg, allowed_errors) else None)
    yield page
    context.close()
    assert not errors, f"errors in the page: {errors}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run (starting playwright's driver and the browser costs seconds);
    each test still gets a fresh context, so no cookie, storage or cache crosses tests."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Any, base_url: str, allowed_errors: list[str]) -> Iterator[Any]:
    with watched_page(browser, base_url, allowed_errors) as page:
        yield page


def log_in(page: Any, name: str) -> None:
    page.goto("/")
    page.locator("#login-form").wait_for()
    page.fill("#login-form input[name=name]", name)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.locator("#studio-view").wait_for()
    page.locator("#works li").first.wait_for()  # the project is chosen and its works listed


def ready_cards(page: Any) -> Any:
    return page.locator("#grid .variant:not(.pending)")


def shoot(page: Any, name: str) -> None:
    """Laptop and tablet widths, Chinese and English."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size, label in ((LAPTOP, "laptop"), (TABLET, "tablet")):
        page.set_viewport_size(size)
        for lang in ("zh", "en"):
            page.evaluate(f"localStorage.setItem('duetto.lang', '{lang}')")
            page.evaluate("import('/static/i18n.js').then(m => m.apply())")
            page.wait_for_function(f"document.documentElement.lang === '{lang}'")
            page.evaluate("window.scrollTo(0, 0)")  # the sticky bar would otherwise sit mid-page
            page.screenshot(path=str(ARTIFACTS / f"{name}-{label}-{lang}.png"), full_page=True)
    page.set_viewport_size(LAPTOP)


def csrf_headers(page: Any, base_url: str) -> dict[str, str]:
    """What a script forcing a request past the hidden controls would send."""
    token = page.request.get("/api/me").json()["csrf_token"]
    return {"X-CSRF-Token": token, "Origin": base_url}


# -- the act panels of the detail view ------------------------------------------------------------


# One server for a whole module of act tests (and the session's browser): each module defines a
# ``studio`` fixture (module scope) with what it needs, and asks for ``acts_page``, a fresh page
# logged in as the painter.


@pytest.fixture(scope="module")
def acts_url(studio: Server) -> Iterator[str]:
    with serving(studio) as url:
        yield url


@pytest.fixture(scope="module")
def acts_browser(browser: Any) -> Any:
    return browser


@pytest.fixture
def acts_page(acts_browser: Any, acts_url: str) -> Iterator[Any]:
    with watched_page(acts_browser, acts_url, []) as page:
        log_in(page, "painter")
        yield page


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


def open_version(page: Any, v: VersionRecord) -> None:
    page.goto(f"/works/{v.work_id}")
    page.locator(f'#grid .variant[data-version="{v.id}"]:not(.pending)').click()
    _expect()(page.locator("#detail-title")).to_contain_text(v.id[:10])


def open_panel(page: Any, box: str) -> None:
    page.click(f"#{box} > summary")
    _expect()(page.locator(f"#{box}")).to_have_attribute("open", "")


def made(page: Any, server: Server, parent: VersionRecord, operation: str, timeout: int = 60_000) -> VersionRecord:
    """The one new version an act made from ``parent``, once the page has opened it."""
    def found() -> list[VersionRecord]:
        return [v for v in server.repo.versions_of(parent.work_id) if v.operation == operation and parent.id in v.parents]

    _expect()(page.locator("#detail-title")).not_to_contain_text(parent.id[:10], timeout=timeout)
    (child,) = found()
    _expect()(page.locator("#detail-title")).to_contain_text(child.id[:10])
    _expect()(page.locator(f'#tree svg .node[data-version="{child.id}"]')).to_have_count(1)
    return child


def shoot_detail(page: Any, name: str) -> None:
    """The detail card at laptop width, in Chinese and in English."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(LAPTOP)
    for lang in ("zh", "en"):
        page.evaluate(f"localStorage.setItem('duetto.lang', '{lang}')")
        page.evaluate("import('/static/i18n.js').then(m => m.apply())")
        page.wait_for_function(f"document.documentElement.lang === '{lang}'")
        page.evaluate("window.scrollTo(0, 0)")  # so the sticky bar sits at the top, not over the card
        box = page.locator("#detail").bounding_box()
        page.screenshot(path=str(ARTIFACTS / f"acts-{name}-laptop-{lang}.png"), full_page=True, clip=box)
    page.evaluate("localStorage.setItem('duetto.lang', 'zh')")
    page.evaluate("import('/static/i18n.js').then(m => m.apply())")
