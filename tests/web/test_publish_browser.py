"""Publishing from the page's dialog and verifying a dropped file, in real headless Chromium:
the painter publishes a painting under CC BY-NC, the published files download, and the verify
area reads the signed PNG back as trusted with its licence and a tampered one as invalid."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from duetto.api.server import Server
from duetto.store.publications import Publications
from tests.web.conftest import build_server, open_panel, open_version, seed_work

pytestmark = pytest.mark.browser


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = build_server(tmp_path_factory.mktemp("publish") / "studio")
    yield s
    s.close()


def test_publish_dialog_then_verify_a_dropped_file(acts_page: Any, studio: Server, tmp_path: Path) -> None:
    page, expect = acts_page, _expect()
    v = seed_work(studio, variants=1, brief="晨光里的蓝色海面")[0]
    open_version(page, v)
    open_panel(page, "publish-box")
    page.click("#publish-open")
    expect(page.locator("#publish-dialog")).to_be_visible()
    page.fill("#publish-form input[name=title]", "Dawn sea")
    page.fill("#publish-form input[name=authors]", "Ada, 李")
    page.select_option("#publish-form select[name=licence]", "CC-BY-NC-4.0")
    page.select_option("#publish-form select[name=training]", "constrained")
    page.click("#publish-go")
    expect(page.locator("#publish-out .ok")).to_contain_text("Dawn sea", timeout=60_000)
    expect(page.locator("#publish-open")).to_be_hidden()
    pub = Publications(studio.repo).of_version(v.id)
    assert pub is not None and pub.licence == "CC-BY-NC-4.0" and pub.authors == ["Ada", "李"]
    assert pub.training == "constrained"

    signed = page.request.get(f"/api/versions/{v.id}/published/png").body()
    good, bad = tmp_path / "dawn.png", tmp_path / "changed.png"
    good.write_bytes(signed)
    changed = bytearray(signed)
    changed[-20] ^= 0xFF
    bad.write_bytes(bytes(changed))
    page.set_input_files("#verify-file", str(good))
    expect(page.locator('#verify-out [data-status="trusted"]')).to_be_visible()
    expect(page.locator("#verify-out")).to_contain_text("CC-BY-NC-4.0")
    page.set_input_files("#verify-file", str(bad))
    expect(page.locator('#verify-out [data-status="invalid"]')).to_be_visible()
