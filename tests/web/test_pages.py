"""The studio's pages and assets: served locally, with the right types, in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

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


def _code(path: Path) -> str:
    """A script without its comment lines (comments quote examples, not UI text)."""
    return re.sub(r"^\s*//.*$", "", path.read_text(encoding="utf-8"), flags=re.M)


def _keys_used() -> set[str]:
    """Keys named in the markup (text, placeholder, title) and in scripts: t("key"…), and any
    string literal shaped like a key of a known namespace ("star.add" in a ternary)."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n(?:-placeholder|-title)?="([\w.]+)"', html))
    namespaces = {key.split(".")[0] for key in _dictionary("en") if "." in key}
    for path in STATIC.glob("*.js"):
        source = _code(path)
        used |= set(re.findall(r'\bt\("([\w.]+)"\s*[,)]', source))
        used |= {k for k in re.findall(r'"([a-z]+\.[A-Za-z0-9]+)"', source) if k.split(".")[0] in namespaces}
        used |= set(re.findall(r'"data-i18n(?:-title)?": "([\w.]+)"', source))
    return used


def test_every_ui_string_exists_in_chinese_and_english() -> None:
    zh, en = _dictionary("zh"), _dictionary("en")
    assert zh == en, f"only zh: {zh - en}; only en: {en - zh}"
    used = _keys_used()
    assert len(used) > 60
    assert {"act.picked", "star.add", "star.remove", "setup.mismatch", "vote.prefer"} <= used  # the scan sees them
    assert used <= zh, f"missing: {used - zh}"
    for status in ("queued", "running", "done", "failed", "cancelled", "interrupted"):
        assert f"job.{status}" in zh  # built as t("job." + status)
    for role in ("owner", "editor", "commenter", "viewer"):
        assert f"role.{role}" in zh  # built as t("role." + role)


def test_every_swatch_has_a_name_in_both_languages() -> None:
    source = (STATIC / "spec-form.js").read_text(encoding="utf-8")
    swatches = re.findall(r'\["(\w+)", "#[0-9a-f]{6}"\]', source)
    assert len(swatches) >= 8
    assert {f"colour.{k}" for k in swatches} <= _dictionary("zh") & _dictionary("en")


class _TextNodes(HTMLParser):
    """Words written straight into the page, outside <title>: each should be a data-i18n key."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("title", "script", "style")
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label") and value and re.search(r"[^\W\d_]", value):
                self.words.append(f"{name}={value}")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("title", "script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip and re.search(r"[^\W\d_]", data):
            self.words.append(data.strip())


def test_the_page_has_no_words_outside_the_dictionary() -> None:
    parser = _TextNodes()
    parser.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    assert set(parser.words) <= {"duetto"}, parser.words  # the brand is the same in both languages
    for path in STATIC.glob("*.js"):
        if path.name != "i18n.js":
            # quoted text only: media.js reads Chinese line numbers in a regex, which shows nothing
            quoted = re.findall(r"""(["'`])([^"'`\n]*[\u4e00-\u9fff][^"'`\n]*)\1""", _code(path))
            assert not quoted, f"{path.name} writes Chinese outside i18n.js: {quoted}"
