"""A published work's public page and API: no login, only published works, drawn from the
signed manifest; and the page itself in real Chromium, as a visitor with no account sees it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from duetto.studio.publish import PublishRequest, publish
from tests.api.conftest import World, error_of


def _published(world: World) -> tuple[str, str]:
    owner = world.server.accounts.user("owner")
    studio = world.server.studio_for(owner.name, owner.id, world.project_id)
    v = world.paint("owner", variants=1).versions[0]
    pub = publish(studio, PublishRequest(version=v.id, title="Dawn", authors=["Ada"], licence="CC-BY-4.0",
                                         training="notAllowed")).publication
    return pub.id, v.id


def test_a_published_work_is_public_and_nothing_else_is(client: TestClient, world: World) -> None:
    pid, vid = _published(world)
    r = client.get(f"/api/public/{pid}")  # no credentials at all
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["title"] == "Dawn" and w["authors"] == ["Ada"] and w["licence"] == "CC-BY-4.0"
    assert w["licence_url"] == "https://creativecommons.org/licenses/by/4.0/" and w["training"] == "notAllowed"
    assert w["actions"][0]["action"] == "c2pa.created" and w["actions"][0]["source_type"] == "algorithmicMedia"
    assert w["people"][0]["name"] == "owner" and w["engines"][0]["name"] == "painter"
    png = client.get(w["main"]["url"])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    for missing in (f"/api/public/{vid}", "/api/public/0000", f"/api/public/{pid}/files/svg"):
        r = client.get(missing)
        assert r.status_code == 404 and error_of(r)["code"] == "not_found", missing
    assert client.get(f"/p/{pid}").status_code == 200  # the page shell


@pytest.mark.browser
def test_a_visitor_with_no_account_sees_the_work_its_licence_and_provenance(world: World) -> None:
    from tests.web.conftest import ARTIFACTS, chromium, serving, watched_page

    pid, _ = _published(world)
    with serving(world.server) as url, chromium() as browser, watched_page(browser, url, ["/api/public/nothing-here"]) as page:
        from playwright.sync_api import expect

        page.goto(f"/p/{pid}")
        expect(page.locator("#public-title")).to_have_text("Dawn")
        expect(page.locator("#public-licence a[rel=license]")).to_have_text("CC-BY-4.0")
        expect(page.locator("#public-actions li").first).to_contain_text("painter")
        page.wait_for_function("document.querySelector('#public-media img')?.naturalWidth > 0")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "public-work.png"), full_page=True)
        page.click("#lang")
        expect(page.locator("#public-training")).to_have_text("No AI training")
        page.goto("/p/nothing-here")
        expect(page.locator("#public-error")).to_be_visible()
