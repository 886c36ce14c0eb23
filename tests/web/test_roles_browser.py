"""In real headless Chromium: each role sees only the controls it can use, and the server still
refuses what the page hides. A commenter comments, stars and votes; a viewer only looks."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from duetto.api.server import Server
from duetto.store.marks import Marks
from tests.web.conftest import (
    LAPTOP,
    TABLET,
    csrf_headers,
    log_in,
    ready_cards,
    seed_work,
    shoot,
)

pytestmark = pytest.mark.browser

MAKING = ["#brief-form", "#revise-form", "#vary", "#blend", "#breed", "label.upload"]


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


def _open_first(page: Any, work_id: str) -> str:
    page.goto(f"/works/{work_id}")
    _expect()(ready_cards(page)).to_have_count(2)
    ready_cards(page).last.click()
    page.locator("#detail").wait_for()
    return str(ready_cards(page).last.get_attribute("data-version"))


def _flash_covers_no_heading(page: Any) -> None:
    """At tablet width the message sits clear of the bar and the "Works" heading, inside the screen."""
    page.set_viewport_size(TABLET)
    page.evaluate("window.scrollTo(0, 0)")
    flash = page.locator("#flash").bounding_box()
    assert flash, "a message should be showing"
    for heading in page.locator(".bar, .side h2, #work-card h2").all():
        box = heading.bounding_box()
        if box is None:  # hidden for this role
            continue
        apart = (flash["y"] >= box["y"] + box["height"] or box["y"] >= flash["y"] + flash["height"]
                 or flash["x"] >= box["x"] + box["width"] or box["x"] >= flash["x"] + flash["width"])
        assert apart, (flash, box)
    assert flash["y"] + flash["height"] <= TABLET["height"] and flash["x"] + flash["width"] <= TABLET["width"]
    page.set_viewport_size(LAPTOP)


def test_commenter_comments_stars_and_votes_but_cannot_revise(page: Any, server: Server, base_url: str) -> None:
    a, b = seed_work(server, variants=2)
    log_in(page, "commenter")
    opened = _open_first(page, a.work_id)
    for selector in MAKING:
        _expect()(page.locator(selector)).to_be_hidden()  # hidden, not merely disabled
    _expect()(page.locator("#comment-form")).to_be_visible()

    page.fill("#comment-form textarea", "天空的蓝色很好")
    page.click("#comment-form button[type=submit]")
    _expect()(page.locator("#comment-list li")).to_contain_text("天空的蓝色很好")
    assert [c.text for c in Marks(server.repo).comments(opened)] == ["天空的蓝色很好"]

    page.click("#star")
    _expect()(page.locator("#star")).to_contain_text("1")
    _expect()(page.locator("#star")).to_have_attribute("aria-pressed", "true")
    assert Marks(server.repo).stars(opened, server.accounts.user("commenter").id).count == 1

    for card in ready_cards(page).all():
        card.locator("input.pick").check()
    page.click("#compare")
    page.locator("#compare-card").wait_for()
    _expect()(page.locator("#vote-tally")).to_contain_text("共 0 票")
    page.click("#prefer-a")
    _expect()(page.locator("#vote-tally")).to_contain_text("共 1 票")  # zh: the page's default language
    tally = Marks(server.repo).tally(a.work_id)
    assert tally.votes == 1 and tally.ranking[0].wins == 1
    page.click("#prefer-b")  # a second vote, for a fresh message to measure
    page.locator("#flash.info").wait_for()
    _flash_covers_no_heading(page)
    shoot(page, "06-commenter")

    forced = page.request.post(f"/api/versions/{opened}/revise", data={"feedback": "更暖"},
                               headers=csrf_headers(page, base_url))
    assert forced.status == 403, forced.text()
    assert "commenter" in forced.json()["error"]["message"]
    assert len(server.repo.versions_of(a.work_id)) == 2  # no new version


def test_viewer_sees_no_brief_box_and_no_marks_controls(page: Any, server: Server, base_url: str) -> None:
    a, _ = seed_work(server, variants=2)
    log_in(page, "viewer")
    _expect()(page.locator("#brief-form")).to_be_hidden()
    opened = _open_first(page, a.work_id)
    for selector in [*MAKING, "#star", "#comment-form", "#compare-card .votes"]:
        _expect()(page.locator(selector)).to_be_hidden()
    _expect()(page.locator("#star-count")).to_have_text("★ 0")  # a viewer still reads the count
    _expect()(page.locator("#comment-list")).to_be_visible()
    with page.expect_download() as download:  # the audience may take the picture home
        page.locator("#download").click()
    path = download.value.path()
    with Image.open(path) as img:
        assert img.format == "PNG" and img.size[0] > 0
    assert download.value.suggested_filename.endswith(f"{opened[:10]}.png")
    _expect()(page.locator("#download-rendered")).to_be_hidden()  # a picture has no PDF/WAV
    shoot(page, "04-viewer")
    forced = page.request.put(f"/api/versions/{opened}/star", headers=csrf_headers(page, base_url))
    assert forced.status == 403, forced.text()
