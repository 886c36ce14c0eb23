"""End to end in real headless Chromium: a painter's loop through the web studio, with hand-picked
colours and sliders sent as structured choices; a music work. Screenshots land in tests/web/artifacts/ for a human to look at."""

from __future__ import annotations

from typing import Any

import pytest

from duetto.api.server import Server
from tests.web.conftest import ARTIFACTS, log_in, ready_cards, shoot

pytestmark = pytest.mark.browser

BRIEF = "一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感"


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


def test_painter_creates_with_choices_revises_and_compares(page: Any, server: Server) -> None:
    log_in(page, "painter")
    _expect()(page.locator("#project")).to_have_value("art")
    shoot(page, "01-empty")

    page.fill("#brief-form textarea[name=brief]", BRIEF)
    page.fill("#brief-form input[name=variants]", "4")
    page.click("#brief-form summary")
    page.fill("#brief-form input[name=size]", "160")
    page.locator('#swatches [data-hex="#2563c9"]').click()
    page.locator('#swatches [data-hex="#d4a017"]').click()
    page.eval_on_selector("#energy", "el => { el.value = '0.9'; el.dispatchEvent(new Event('input')); }")
    _expect()(page.locator("[data-slider=energy] output")).to_have_text("0.90")
    _expect()(page.locator("[data-slider=density] output")).to_have_text("—")  # untouched: not set
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/works") and r.method == "POST" else None)
    page.click("#brief-form button[type=submit]")
    page.locator("#grid .variant.pending").first.wait_for()  # a card per expected variant at once
    _expect()(ready_cards(page)).to_have_count(4, timeout=60_000)
    _expect()(page.locator("#grid .variant.pending")).to_have_count(0)
    for img in ready_cards(page).locator("img").all():  # real pictures, decoded by the browser
        page.wait_for_function("img => img.complete && img.naturalWidth === 160", arg=img.element_handle())
    _expect()(page.locator("#works li a")).to_have_count(1)  # the list refreshes from the socket, debounced
    assert sent[0]["choices"] == {"colours": ["#2563c9", "#d4a017"], "energy": 0.9}  # no density: untouched
    assert "蓝" not in sent[0]["brief"] and sent[0]["brief"] == BRIEF  # the brief text stays the painter's own
    made = server.repo.version(ready_cards(page).first.get_attribute("data-version"))
    assert made.spec.energy == pytest.approx(0.9)
    assert [c.hex for c in made.spec.palette.colours] == ["#2563c9", "#d4a017"]
    shoot(page, "02-variants")

    ready_cards(page).last.click()
    page.locator("#detail").wait_for()
    parent = page.locator("#grid .variant").last.get_attribute("data-version")
    page.fill("#revise-form textarea", "更温暖一些")
    page.click("#revise-form button[type=submit]")
    _expect()(ready_cards(page)).to_have_count(5, timeout=60_000)
    child = ready_cards(page).first.get_attribute("data-version")
    assert child and child != parent
    _expect()(page.locator("#detail")).to_be_visible()  # the detail stays open, on the revision
    _expect()(page.locator("#detail-title")).to_contain_text(child[:10])
    _expect()(page.locator("#tree svg .node")).to_have_count(5)
    assert page.locator("#tree svg .edge").count() == 1  # the child hangs off its parent: a visible branch
    assert server.repo.version(child).parents == [parent]

    page.locator(f'#grid .variant[data-version="{parent}"] input[type=checkbox]').check()
    page.locator(f'#grid .variant[data-version="{child}"] input[type=checkbox]').check()
    page.click("#compare")
    page.locator("#compare-card").wait_for()
    assert page.locator("#compare-a img").count() == 1 and page.locator("#compare-b img").count() == 1
    assert "grade.warmth" in page.locator("#compare-diff").inner_text()  # warmer graded the picture
    page.locator(f'#tree svg .node[data-version="{child}"]').click()
    _expect()(page.locator("#detail-title")).to_contain_text(child[:10])
    assert page.locator("#credits").inner_text().count("更温暖一些") >= 1
    shoot(page, "03-revised-compare")



def test_music_work_shows_an_audio_player_and_its_score(page: Any) -> None:
    log_in(page, "painter")
    page.fill("#brief-form textarea[name=brief]", "一首欢快的小曲")
    page.uncheck("#brief-form input[value=painting]")
    page.check("#brief-form input[value=music]")
    page.fill("#brief-form input[name=variants]", "1")
    page.click("#brief-form button[type=submit]")
    _expect()(ready_cards(page)).to_have_count(1, timeout=60_000)
    ready_cards(page).first.click()
    audio = page.locator("#detail-media audio")
    audio.wait_for()
    src = audio.get_attribute("src")
    assert src and src.endswith("/files/wav")
    body = page.request.get(src).body()
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"  # a real WAV, served to the browser's session
    score = page.locator("#detail-media img")
    assert (score.get_attribute("src") or "").endswith("/files/score.png")
    page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=score.element_handle())
    assert (ready_cards(page).first.locator("img").get_attribute("src") or "").endswith("/files/roll.png")
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "05-music-laptop-zh.png"), full_page=True)
    music_card = ready_cards(page).first.get_attribute("data-version")

    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.url.endswith("/api/works") and r.method == "POST" else None)
    page.fill("#brief-form textarea[name=brief]", "   ")  # spaces pass the textarea's "required"
    page.click("#brief-form button[type=submit]")
    _expect()(page.locator("#flash-text")).to_have_text("先写一段简述：想要一件什么样的作品？")
    assert posted == []  # nothing was sent, so no raw validation message either

    # a new work while the music work is open: its pending card sits in its own grid
    page.fill("#brief-form textarea[name=brief]", "一幅小画，蓝色的海")
    page.uncheck("#brief-form input[value=music]")
    page.check("#brief-form input[value=painting]")
    page.click("#brief-form summary")
    page.fill("#brief-form input[name=size]", "64")
    page.click("#brief-form button[type=submit]")
    page.locator("#grid .variant.pending").first.wait_for()
    _expect()(page.locator(f'#grid .variant[data-version="{music_card}"]')).to_have_count(0)
    _expect()(page.locator("#work-title")).to_have_text("一幅小画，蓝色的海")
    _expect()(ready_cards(page)).to_have_count(1, timeout=60_000)
    assert ready_cards(page).first.locator("img").count() == 1  # the painting, alone in its grid
    _expect()(page.locator("#flash")).to_be_hidden(timeout=1_500)  # "job started" goes when the job ends
    _expect()(page.locator("#works li a")).to_have_count(2)
