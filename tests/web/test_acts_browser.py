"""The act panels of a picture, in real headless Chromium over one server for the module: restyle
from the style sheet, revise a drawn region (rectangle and brush mask), palettes and recolouring,
a poster, a painting film, a critique whose suggestion applies in one click, derive, replay,
delete and restore, and a brief whose medium is read by the server ("auto"). Each test asserts on
what came back: the new version in the work and the tree, its decoded pixels, the request sent."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from duetto.api.server import Server
from duetto.store.records import VersionRecord
from tests.web.conftest import (
    build_server,
    log_in,
    made,
    open_panel,
    open_version,
    seed_work,
    shoot_detail,
    watched_page,
)

pytestmark = pytest.mark.browser


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = build_server(tmp_path_factory.mktemp("acts") / "studio")
    yield s
    s.close()


@pytest.fixture
def page(acts_page: Any) -> Any:
    return acts_page


# -- helpers --------------------------------------------------------------------------------------


def pixels(page: Any, v: VersionRecord, key: str = "png") -> np.ndarray:
    """The version's file as the browser's session downloads it, decoded."""
    body = page.request.get(f"/api/versions/{v.id}/files/{key}").body()
    return np.asarray(Image.open(io.BytesIO(body)).convert("RGB")).astype(int)


def bodies(page: Any, ending: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.method == "POST" and r.url.endswith(ending) else None)
    return sent


def drag(page: Any, frm: tuple[float, float], to: tuple[float, float]) -> None:
    """A drag across the region canvas, in fractions of its size."""
    box = page.locator("#detail-media canvas.region-canvas").bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + frm[0] * w, y + frm[1] * h)
    page.mouse.down()
    page.mouse.move(x + to[0] * w, y + to[1] * h, steps=8)
    page.mouse.up()


# -- pictures -------------------------------------------------------------------------------------


def test_restyle_after_a_style_from_the_sheet_repaints_the_picture(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "restyle-box")
    styles = page.locator("#styles .style")
    _expect()(styles).to_have_count(26)
    assert page.request.get("/static/styles.svg").headers["content-type"].startswith("image/svg+xml")
    thumb = page.locator('#styles [data-style="starry_night"] .thumb')
    assert "styles.svg" in thumb.evaluate("el => getComputedStyle(el).backgroundImage")
    assert thumb.evaluate("el => getComputedStyle(el).backgroundPosition") == "-336px -56px"  # cell 19: row 1, column 6
    _expect()(page.locator('#styles [data-style="starry_night"] .name')).to_have_text("星夜")
    _expect()(page.locator("#restyle-go")).to_be_disabled()  # no style picked yet
    page.click('#styles [data-style="starry_night"]')
    page.eval_on_selector("#restyle-strength", "el => { el.value = '0.9'; el.dispatchEvent(new Event('input')); }")
    _expect()(page.locator("#restyle-strength-out")).to_have_text("0.90")
    shoot_detail(page, "restyle")
    sent = bodies(page, "/restyle")
    page.click("#restyle-go")
    child = made(page, studio, v, "restyle")
    assert sent == [{"style": "starry_night", "strength": 0.9}]
    assert child.spec.style == "starry_night" and child.spec.stylisation == pytest.approx(0.9)
    before, after = pixels(page, v), pixels(page, child)
    assert np.abs(before - after).mean() > 20  # a different picture, not a tint


def test_region_revise_by_rectangle_then_by_brush_changes_only_inside(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "region-box")
    canvas = page.locator("#detail-media canvas.region-canvas")
    _expect()(canvas).to_have_attribute("width", "96")  # the picture's own pixels
    sent = bodies(page, "/revise")
    page.fill("#region-form textarea", "更红一些")
    page.click("#region-form button[type=submit]")  # nothing drawn yet: told, nothing sent
    _expect()(page.locator("#flash-text")).to_have_text("先在画上画出要修改的范围")
    drag(page, (0.02, 0.02), (0.5, 0.5))
    page.fill("#region-form textarea", "加一轮月亮")
    shoot_detail(page, "region")
    page.click("#region-form button[type=submit]")
    rect = made(page, studio, v, "revise")
    x, y, w, h = sent[0]["rect"]
    assert sent[0]["feedback"] == "加一轮月亮" and x == pytest.approx(0.02, abs=0.02) and w == pytest.approx(0.48, abs=0.03)
    before, after = pixels(page, v), pixels(page, rect)
    inside = (np.abs(before[10:40, 10:40] - after[10:40, 10:40]).sum(2) > 30).mean()
    outside = np.abs(before[60:, 60:] - after[60:, 60:]).max()
    assert inside > 0.1 and outside == 0  # a moon inside; the bottom right is the parent's pixels exactly

    # the result is open, with the panel and a fresh canvas on it: paint a stroke down the right side
    _expect()(page.locator("#detail-media canvas.region-canvas")).to_have_count(1)
    page.check('#region-form input[value="brush"]')
    drag(page, (0.8, 0.1), (0.8, 0.9))
    page.fill("#region-form textarea", "more blue")
    page.click("#region-form button[type=submit]")
    brushed = made(page, studio, rect, "revise")
    mask = np.asarray(Image.open(io.BytesIO(base64.b64decode(sent[1]["mask"]["data"]))).convert("L"))
    assert mask.shape == (96, 96)
    assert mask[48, 77] == 255 and mask[48, 10] == 0  # white on the stroke, black elsewhere
    a, b = pixels(page, rect), pixels(page, brushed)
    assert np.abs(a[:, :40] - b[:, :40]).max() == 0 and np.abs(a[20:80, 72:82] - b[20:80, 72:82]).mean() > 1
    masks = [m for m in studio.repo.versions_of(v.work_id) if m.info.get("role") == "mask"]
    assert len(masks) == 1 and masks[0].author_kind == "human"  # the drawn mask is kept as the person's own


def test_palette_rows_recolour_the_picture_in_one_click(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "colour-box")
    page.click("#palette-from-colour")  # gold, all six harmonies
    rows = page.locator("#palette-rows .palette-row")
    _expect()(rows).to_have_count(6)
    _expect()(rows.nth(0).locator(".label")).to_have_text("互补色")
    assert rows.nth(0).locator(".chip").first.get_attribute("data-hex") == "#d4a017"
    page.click("#palette-from-picture")
    _expect()(rows).to_have_count(1)
    _expect()(rows.first.locator(".label")).to_have_text("画中的颜色")
    page.select_option("#palette-harmony", "triadic")
    page.click("#palette-from-colour")
    _expect()(rows).to_have_count(1)
    _expect()(rows.first).to_have_attribute("data-harmony", "triadic")
    shoot_detail(page, "palette")
    hexes = [c.get_attribute("data-hex") for c in rows.first.locator(".chip").all()]
    rows.first.locator("button.use").click()
    child = made(page, studio, v, "recolour")
    assert [c.hex for c in child.spec.palette.colours] == hexes
    assert np.abs(pixels(page, v) - pixels(page, child)).mean() > 10


def test_poster_layout_sets_the_title_over_the_picture(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "layout-box")
    page.select_option("#layout-form select[name=format]", "card")
    page.fill("#layout-form input[name=title]", "秋日黄昏")
    page.click("#layout-form button[type=submit]")
    child = made(page, studio, v, "layout")
    card = pixels(page, child)
    assert card.shape[:2] == (630, 1200)  # the social card's size
    assert "pdf" in child.extras and child.info.get("contrast")


def test_animate_shows_the_film_playing_in_the_detail(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "animate-box")
    page.fill("#animate-form input[name=seconds]", "1")
    page.fill("#animate-form input[name=fps]", "6")
    page.click("#animate-go")
    film = made(page, studio, v, "animate")
    img = page.locator("#detail-media img")
    assert (img.get_attribute("src") or "").endswith(f"/api/versions/{film.id}/files/gif")
    page.wait_for_function("img => img.complete && img.naturalWidth === 96", arg=img.element_handle())
    gif = Image.open(io.BytesIO(page.request.get(img.get_attribute("src")).body()))
    assert gif.format == "GIF" and gif.n_frames >= 4
    gif.seek(gif.n_frames - 1)
    last = np.asarray(gif.convert("RGB")).astype(int)
    assert np.abs(last - pixels(page, v)).mean() < 12  # it ends on the painting (GIF colours are quantised)
    _expect()(page.locator("#animate-go")).to_be_enabled()  # a film of a film films the painting again


def test_critique_panel_suggestion_revises_in_one_click(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "critique-box")
    page.click("#critique-go")
    apply = page.locator("#critique-out .suggestion button.apply")
    _expect()(apply.first).to_be_visible()
    _expect()(page.locator("#critique-out")).to_have_attribute("data-lang", "zh")
    feedback = apply.first.get_attribute("data-feedback")
    assert feedback and feedback in apply.first.inner_text()
    shoot_detail(page, "critique")  # the English shot asks again, in English
    _expect()(page.locator("#critique-out")).to_have_attribute("data-lang", "zh")
    feedback = apply.first.get_attribute("data-feedback")
    sent = bodies(page, "/revise")
    apply.first.click()
    child = made(page, studio, v, "revise")
    assert sent == [{"feedback": feedback}]
    (credited,) = [cs for version, cs in studio.repo.contributions(v.work_id) if version.id == child.id]
    assert any(c.contributor_kind == "human" and feedback in c.detail for c in credited)


def test_derive_replay_delete_and_restore(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "keep-box")
    page.click("#replay")
    _expect()(page.locator("#replay-out")).to_contain_text(v.sha256[:12])
    assert "ok" in (page.locator("#replay-out").get_attribute("class") or "")
    page.click("#remove")
    _expect()(page.locator(f'#grid .variant[data-version="{v.id}"]')).to_have_class("variant deleted")
    _expect()(page.locator("#restore")).to_be_visible()
    _expect()(page.locator("#deleted-note")).to_be_visible()
    assert studio.repo.version(v.id).deleted
    shoot_detail(page, "keeping")
    page.click("#restore")
    _expect()(page.locator("#remove")).to_be_visible()
    assert not studio.repo.version(v.id).deleted

    open_panel(page, "derive-box")
    medium = page.locator("#derive-form select[name=medium]")
    assert medium.locator('option[value="painting"]').is_disabled()  # not into its own medium
    medium.select_option("music")
    page.click("#derive-form button[type=submit]")
    music = made(page, studio, v, "derive")
    assert music.spec.medium == "music" and music.work_id == v.work_id
    _expect()(page.locator("#detail-media audio")).to_have_count(1)
    _expect()(page.locator("#music-box")).to_be_visible()  # the panels follow the medium
    _expect()(page.locator("#restyle-box")).to_be_hidden()


def test_auto_medium_is_read_from_the_brief_and_said(page: Any, studio: Server) -> None:
    _expect()(page.locator('#brief-form input[value="auto"]')).to_be_checked()
    sent = bodies(page, "/api/works")
    page.fill("#brief-form textarea[name=brief]", "一段平静的钢琴曲")
    page.fill("#brief-form input[name=variants]", "1")
    page.click("#brief-form button[type=submit]")
    _expect()(page.locator("#brief-note")).to_have_text("按简述里的“钢琴曲”，做成了：音乐", timeout=60_000)
    assert "media" not in sent[0]
    _expect()(page.locator("#grid audio")).to_have_count(1)
    page.click("#lang")
    _expect()(page.locator("#brief-note")).to_have_text("Made as Music, from “钢琴曲” in the brief")
    page.click("#lang")
    page.check('#brief-form input[value="poem"]')  # a medium unticks auto; none ticks it again
    _expect()(page.locator('#brief-form input[value="auto"]')).not_to_be_checked()
    page.uncheck('#brief-form input[value="poem"]')
    _expect()(page.locator('#brief-form input[value="auto"]')).to_be_checked()


def test_viewer_sees_looking_acts_but_no_making_ones(acts_browser: Any, acts_url: str, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    with watched_page(acts_browser, acts_url, []) as page:
        log_in(page, "viewer")
        open_version(page, v)
        for box in ("colour-box", "critique-box", "keep-box"):
            _expect()(page.locator(f"#{box}")).to_be_visible()
        for box in ("restyle-box", "region-box", "layout-box", "animate-box", "derive-box"):
            _expect()(page.locator(f"#{box}")).to_be_hidden()
        open_panel(page, "colour-box")
        page.click("#palette-from-colour")
        _expect()(page.locator("#palette-rows .palette-row")).to_have_count(6)
        assert page.locator("#palette-rows button.use").count() == 0 and page.locator("#recolour-harmony").is_hidden()
        open_panel(page, "keep-box")
        _expect()(page.locator("#replay")).to_be_visible()
        _expect()(page.locator("#remove")).to_be_hidden()


def test_the_style_sheet_matches_the_stylist() -> None:
    """restyle.js lists the styles in the stylist's index order, each named in both languages."""
    import re

    from duetto.media.image.stylist.styles import STYLES
    from duetto.web import STATIC

    source = (STATIC / "restyle.js").read_text(encoding="utf-8")
    names = re.findall(r'"(\w+)"', re.search(r"STYLES = \[(.*?)\];", source, re.S).group(1))
    assert names == [s.name for s in STYLES]
    i18n = (STATIC / "i18n.js").read_text(encoding="utf-8")
    for s in STYLES:
        assert f'"look.{s.name}": "{s.zh}"' in i18n
    assert i18n.count('"look.') == 2 * len(STYLES)
    sheet = (STATIC / "styles.svg").read_text(encoding="utf-8")
    assert 'width="832" height="128"' in sheet  # 13 × 2 cells of 64 px, as studio.css slices it
    data = base64.b64decode(re.search(r"base64,([^\"]+)", sheet).group(1))
    assert Image.open(io.BytesIO(data)).size == (832, 128)
    assert Path(STATIC / "styles.svg").stat().st_size < 90_000


def test_shares_panel_splits_an_amount_and_the_dossier_link_opens_the_pdf(page: Any, studio: Server) -> None:
    (v,) = seed_work(studio, variants=1)
    open_version(page, v)
    open_panel(page, "shares-box")
    page.click("#shares-go")
    _expect()(page.locator("#shares-out table.shares tbody tr")).to_have_count(1)
    _expect()(page.locator("#shares-out tbody tr")).to_contain_text("user:painter")
    _expect()(page.locator("#shares-out tbody tr")).to_contain_text("100.0%")
    page.fill("#split-form input[name=amount]", "12.35")
    page.select_option("#split-form select[name=currency]", "CNY")
    sent = bodies(page, "/split")
    page.click("#split-form button[type=submit]")
    _expect()(page.locator("#split-out tr.total")).to_contain_text("12.35")
    assert sent == [{"amount": "12.35", "currency": "CNY"}]
    link = page.locator("#split-out a[download]")
    assert link.get_attribute("download") == f"split-{v.id[:10]}.csv"
    csv_text = page.evaluate("async (href) => await (await fetch(href)).text()", link.get_attribute("href"))
    assert csv_text.splitlines()[1].endswith(",1.000000,12.35,CNY")
    shoot_detail(page, "shares")
    open_panel(page, "publish-box")
    dossier = page.locator("#dossier-link")
    _expect()(dossier).to_have_attribute("href", f"/api/versions/{v.id}/dossier.pdf")
    got = page.request.get(dossier.get_attribute("href"))
    assert got.status == 200 and got.body()[:4] == b"%PDF"  # the registration dossier, as the link opens it
