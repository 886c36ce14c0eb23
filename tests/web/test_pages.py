"""The studio's pages and assets: served locally, with the right types, in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from duetto.api.app import create_app
from duetto.api.server import Server
from duetto.web import STATIC

URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.I)
ALLOWED = {"http://www.w3.org/2000/svg"}  # an XML namespace name, never fetched


@pytest.fixture
def client(server: Server) -> Iterator[TestClient]:
    with TestClient(create_app(server.settings, start_worker=False, server=server)) as c:
        yield c


@pytest.mark.parametrize("path", ["/", "/login", "/works/abc123"])
def test_page_routes_return_the_studio_shell(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/studio.js">' in r.text
    assert 'href="/static/studio.css"' in r.text


def test_pages_reference_only_local_assets(client: TestClient) -> None:
    html = client.get("/").text
    refs = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert refs and all(ref.startswith("/") and not ref.startswith("//") for ref in refs), refs
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        for allowed in ALLOWED:
            text = text.replace(allowed, "")
        stray = {m.group(0) for m in URL.finditer(text)}
        assert not stray, f"{path.name} links elsewhere: {stray}"


def test_every_module_import_is_a_local_file() -> None:
    for path in STATIC.glob("*.js"):
        for target in re.findall(r"""from\s+"([^"]+)\"""", path.read_text(encoding="utf-8")):
            assert target.startswith("./"), (path.name, target)
            assert (STATIC / target[2:]).is_file(), (path.name, target)


@pytest.mark.parametrize(("name", "kind"), [("studio.js", "text/javascript"), ("api.js", "text/javascript"),
                                            ("studio.css", "text/css"), ("index.html", "text/html")])
def test_static_files_are_served_with_their_type(client: TestClient, name: str, kind: str) -> None:
    r = client.get(f"/static/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(kind)
    assert r.content == (STATIC / name).read_bytes()


@pytest.mark.parametrize("name", ["../__init__.py", "..%2F__init__.py", ".hidden", "nope.js"])
def test_static_refuses_anything_outside_its_folder(client: TestClient, name: str) -> None:
    r = client.get(f"/static/{name}")
    assert r.status_code == 404
    assert "import" not in r.text


def _dictionary(lang: str) -> set[str]:
    source = (STATIC / "i18n.js").read_text(encoding="utf-8")
    block = re.search(rf"\n  {lang}: \{{(.*?)\n  \}},", source, re.S)
    assert block, f"no {lang} dictionary in i18n.js"
    return set(re.findall(r'"([\w.]+)":', block.group(1)))


def _keys_used() -> set[str]:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n(?:-placeholder)?="([\w.]+)"', html))
    for path in STATIC.glob("*.js"):
        used |= set(re.findall(r"""\bt\("([\w.]+)"\)""", path.read_text(encoding="utf-8")))
    return used


def test_every_ui_string_exists_in_chinese_and_english() -> None:
    zh, en = _dictionary("zh"), _dictionary("en")
    assert zh == en, f"only zh: {zh - en}; only en: {en - zh}"
    used = _keys_used()
    assert len(used) > 30
    assert used <= zh, f"missing: {used - zh}"
    for status in ("queued", "running", "done", "failed", "cancelled", "interrupted"):
        assert f"job.{status}" in zh  # built as t("job." + status)
