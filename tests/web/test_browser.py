"""End to end in real headless Chromium: a painter's loop through the web studio, then a viewer
who may look but not revise. Screenshots land in tests/web/artifacts/ for a human to look at."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from duetto.api.app import create_app
from duetto.api.server import Server
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
BRIEF = "一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感"
LAPTOP, TABLET = {"width": 1280, "height": 900}, {"width": 768, "height": 1024}

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: install Debian's chromium (scripts/system-deps.sh)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'duetto[test]' for playwright")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def base_url(server: Server) -> Iterator[str]:
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
def page(base_url: str) -> Iterator[sync_api.Page]:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport=LAPTOP, base_url=base_url)
        page = context.new_page()
        page.set_default_timeout(60_000)  # a 2-core CI machine running the whole suite is slow
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        assert not errors, f"script errors in the page: {errors}"
        context.close()
        browser.close()


def _log_in(page: sync_api.Page, name: str) -> None:
    page.goto("/")
    page.locator("#login-form").wait_for()
    page.fill("#login-form input[name=name]", name)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.locator("#studio-view").wait_for()


def _ready_cards(page: sync_api.Page) -> sync_api.Locator:
    return page.locator("#grid .variant:not(.pending)")


def _shoot(page: sync_api.Page, name: str) -> None:
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


def test_painter_creates_revises_compares_and_a_viewer_cannot_revise(page: sync_api.Page, server: Server) -> None:
    _log_in(page, "painter")
    sync_api.expect(page.locator("#project")).to_have_value("art")
    _shoot(page, "01-empty")

    page.fill("#brief-form textarea[name=brief]", BRIEF)
    page.fill("#brief-form input[name=variants]", "4")
    page.click("#brief-form summary")
    page.fill("#brief-form input[name=size]", "160")
    page.click("#brief-form button[type=submit]")
    page.locator("#grid .variant.pending").first.wait_for()  # a card per expected variant at once
    sync_api.expect(_ready_cards(page)).to_have_count(4, timeout=60_000)
    sync_api.expect(page.locator("#grid .variant.pending")).to_have_count(0)
    for img in _ready_cards(page).locator("img").all():  # real pictures, decoded by the browser
        page.wait_for_function("img => img.complete && img.naturalWidth === 160", arg=img.element_handle())
    assert page.locator("#works li a").count() == 1
    _shoot(page, "02-variants")

    _ready_cards(page).last.click()
    page.locator("#detail").wait_for()
    parent = page.locator("#grid .variant").last.get_attribute("data-version")
    page.fill("#revise-form textarea", "更温暖一些")
    page.click("#revise-form button[type=submit]")
    sync_api.expect(_ready_cards(page)).to_have_count(5, timeout=60_000)
    child = _ready_cards(page).first.get_attribute("data-version")
    assert child and child != parent
    sync_api.expect(page.locator("#tree svg .node")).to_have_count(5)
    assert page.locator("#tree svg .edge").count() == 1  # the child hangs off its parent: a visible branch
    assert server.repo.version(child).parents == [parent]

    page.locator(f'#grid .variant[data-version="{parent}"] input[type=checkbox]').check()
    page.locator(f'#grid .variant[data-version="{child}"] input[type=checkbox]').check()
    page.click("#compare")
    page.locator("#compare-card").wait_for()
    assert page.locator("#compare-a img").count() == 1 and page.locator("#compare-b img").count() == 1
    assert "palette" in page.locator("#compare-diff").inner_text()  # warmer moved the palette
    page.locator(f'#tree svg .node[data-version="{child}"]').click()
    sync_api.expect(page.locator("#detail-title")).to_contain_text(child[:10])
    assert page.locator("#credits").inner_text().count("更温暖一些") >= 1
    _shoot(page, "03-revised-compare")

    work_url = page.url
    page.click("#logout")
    page.locator("#login-form").wait_for()
    _log_in(page, "viewer")
    page.goto(work_url)
    sync_api.expect(_ready_cards(page)).to_have_count(5)
    _ready_cards(page).first.click()
    page.locator("#detail").wait_for()
    page.fill("#revise-form textarea", "更冷一些")
    page.click("#revise-form button[type=submit]")
    flash = page.locator("#flash.error")
    flash.wait_for()
    assert "403" in flash.inner_text() and "viewer" in flash.inner_text().lower()
    _shoot(page, "04-viewer-refused")
    assert _ready_cards(page).count() == 5
    assert len(server.repo.versions_of(server.repo.version(child).work_id)) == 5  # no new version


def test_music_work_shows_an_audio_player_and_its_score(page: sync_api.Page) -> None:
    _log_in(page, "painter")
    page.fill("#brief-form textarea[name=brief]", "一首欢快的小曲")
    page.uncheck("#brief-form input[value=painting]")
    page.check("#brief-form input[value=music]")
    page.fill("#brief-form input[name=variants]", "1")
    page.click("#brief-form button[type=submit]")
    sync_api.expect(_ready_cards(page)).to_have_count(1, timeout=60_000)
    _ready_cards(page).first.click()
    audio = page.locator("#detail-media audio")
    audio.wait_for()
    src = audio.get_attribute("src")
    assert src and src.endswith("/files/wav")
    body = page.request.get(src).body()
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"  # a real WAV, served to the browser's session
    score = page.locator("#detail-media img")
    assert (score.get_attribute("src") or "").endswith("/files/score.png")
    page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=score.element_handle())
    assert (_ready_cards(page).first.locator("img").get_attribute("src") or "").endswith("/files/roll.png")
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "05-music-laptop-zh.png"), full_page=True)
