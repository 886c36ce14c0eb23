"""In real headless Chromium, on a work seeded without the browser: blend two picked variants,
breed three, and upload an edited PNG as a human version."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from duetto.api.server import Server
from tests.web.conftest import log_in, ready_cards, seed_work

pytestmark = pytest.mark.browser


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


def _pick(page: Any, ids: list[str]) -> None:
    for vid in ids:
        page.locator(f'#grid .variant[data-version="{vid}"] input.pick').check()


def test_blend_two_then_breed_three(page: Any, server: Server) -> None:
    seeded = seed_work(server, variants=3)
    ids = [v.id for v in seeded]
    log_in(page, "painter")
    page.goto(f"/works/{seeded[0].work_id}")
    _expect()(ready_cards(page)).to_have_count(3)

    _pick(page, ids[:2])
    _expect()(page.locator("#picked")).to_contain_text("2")
    page.click("#blend")
    _expect()(ready_cards(page)).to_have_count(4, timeout=60_000)
    blended = [v for v in server.repo.versions_of(seeded[0].work_id) if v.operation == "blend"]
    assert len(blended) == 1 and sorted(blended[0].parents) == sorted(ids[:2])

    _pick(page, ids[2:])  # the two stay picked (remembered per work), the third joins them
    _expect()(page.locator("#breed")).to_be_enabled()
    _expect()(page.locator("#blend")).to_be_disabled()  # blending takes exactly two
    page.click("#breed")
    _expect()(ready_cards(page)).to_have_count(8, timeout=60_000)
    bred = [v for v in server.repo.versions_of(seeded[0].work_id) if v.operation == "breed"]
    assert len(bred) == 4 and all(sorted(v.parents) == sorted(ids) for v in bred)
    _expect()(page.locator("#tree svg .node")).to_have_count(8)


def test_upload_an_edited_png_becomes_a_human_version(page: Any, server: Server, tmp_path: Path) -> None:
    (parent,) = seed_work(server, variants=1)
    edited = Image.new("RGB", (96, 96), (200, 40, 40))
    path = tmp_path / "edited.png"
    edited.save(path)
    log_in(page, "painter")
    page.goto(f"/works/{parent.work_id}")
    ready_cards(page).first.click()
    page.locator("#detail").wait_for()
    page.set_input_files("#upload", str(path))
    _expect()(ready_cards(page)).to_have_count(2, timeout=30_000)
    child = [v for v in server.repo.versions_of(parent.work_id) if v.id != parent.id]
    assert len(child) == 1 and child[0].parents == [parent.id] and child[0].author_kind == "human"
    _expect()(page.locator("#detail-title")).to_contain_text(child[0].id[:10])
    body = page.request.get(f"/api/versions/{child[0].id}/files/png").body()
    assert Image.open(io.BytesIO(body)).getpixel((10, 10))[:3] == (200, 40, 40)  # our pixels, kept
