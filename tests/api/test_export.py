"""Exporting a version as a download: the real bytes per format, a ZIP for several, safe file
names for Chinese titles, clear 400s, the role checks, and no files left on the server."""

from __future__ import annotations

import io
import json
import re
import tempfile
import wave
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from duetto.spec import CreativeSpec
from duetto.store.records import NewVersion
from duetto.store.repository import new_id
from duetto.studio import operations
from tests.api.conftest import World, error_of

POEM = "月落乌啼霜满天\n江枫渔火对愁眠\n"


def poem(world: World, title: str = "秋月/../夜思") -> str:
    """A poem version stored directly (the poet engine needs a language model, too slow here)."""
    owner = world.server.accounts.user("owner")
    work = world.server.repo.create_work(world.project_id, owner.id, title, "poem")
    sha, _ = world.server.blobs.put(POEM.encode(), "txt")
    vid = new_id()
    world.server.repo.add_version(NewVersion(
        id=vid, work_id=work.id, parents=[], operation="import", author="user:owner", author_kind="human",
        spec=CreativeSpec(medium="poem"), sha256=sha, ext="txt", mime="text/plain; charset=utf-8"))
    return vid


def disposition(header: str) -> tuple[str, str]:
    """(ASCII ``filename``, decoded ``filename*``) of an attachment header."""
    assert header.startswith("attachment; ")
    plain = re.search(r'filename="([^"]*)"', header)
    star = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert plain and star, header
    return plain.group(1), unquote(star.group(1), errors="strict")


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the export's temporary folders go, so a test can see that none is left."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_png_export_is_the_painting_itself(client: TestClient, world: World, temp_root: Path) -> None:
    v = world.paint(variants=1).versions[0]
    r = client.get(f"/api/versions/{v.id}/export?format=png", headers=world.auth("editor"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png" and r.headers["x-content-type-options"] == "nosniff"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(r.content)).size == (128, 128)
    plain, name = disposition(r.headers["content-disposition"])
    assert (plain, name) == (f"calm-blue-sea-at-dawn-{v.short}.png", f"calm blue sea at dawn-{v.short}.png")
    assert list(temp_root.iterdir()) == []


def test_pdf_of_a_chinese_poem_has_a_utf8_file_name_without_path_parts(client: TestClient, world: World,
                                                                       temp_root: Path) -> None:
    vid = poem(world)
    r = client.get(f"/api/versions/{vid}/export?format=PDF", headers=world.auth("editor"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and r.content.rstrip().endswith(b"%%EOF")
    plain, name = disposition(r.headers["content-disposition"])
    short = vid[:10]
    assert name == f"秋月 夜思-{short}.pdf"
    assert plain == f"{short}.pdf" and plain.isascii()
    assert "/" not in name and ".." not in name and "\\" not in name
    assert list(temp_root.iterdir()) == []


def test_several_formats_come_as_one_zip(client: TestClient, world: World) -> None:
    vid = poem(world, "秋月")
    r = client.get(f"/api/versions/{vid}/export?format=md,txt,recipe,md", headers=world.auth("owner"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert disposition(r.headers["content-disposition"])[1] == f"秋月-{vid[:10]}.zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert z.testzip() is None
        stem = f"秋月-{vid[:10]}"
        assert z.namelist() == [f"{stem}.md", f"{stem}.txt", f"{stem}.recipe.json"]
        assert z.read(f"{stem}.md").decode() == "# 秋月\n\n月落乌啼霜满天\n\n江枫渔火对愁眠\n"
        assert z.read(f"{stem}.txt").decode() == POEM
        record = json.loads(z.read(f"{stem}.recipe.json"))
        assert record["version"]["id"] == vid


def test_music_exports_as_a_wav_that_plays(client: TestClient, world: World) -> None:
    owner = world.server.accounts.user("owner")
    studio = world.server.studio_for(owner.name, owner.id, world.project_id)
    v = operations.new(studio, operations.NewRequest(brief="a calm waltz in G", media=["music"], variants=1,
                                                     seed=5, params={"audio": "none", "score": False})).versions[0]
    r = client.get(f"/api/versions/{v.id}/export?format=wav", headers=world.auth("editor"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(r.content)) as w:
        assert w.getnframes() / w.getframerate() > 2.0  # seconds of sound, not an empty file


@pytest.mark.parametrize(("fmt", "words"), [
    ("pdf", "has no 'pdf' rendering"),  # a painting has no PDF form: the studio says so
    ("svg", "has no 'svg' rendering"),  # nor an svg when its engine drew none
    ("png,../../etc/passwd", "is not a format name"),
    (",", "name at least one format"),
])
def test_impossible_formats_are_400_and_leave_nothing(client: TestClient, world: World, temp_root: Path,
                                                      fmt: str, words: str) -> None:
    v = world.paint(variants=1).versions[0]
    r = client.get(f"/api/versions/{v.id}/export", params={"format": fmt}, headers=world.auth("editor"))
    assert r.status_code == 400, r.text
    err = error_of(r)
    assert err["code"] == "invalid_input" and words in err["message"]
    assert list(temp_root.iterdir()) == []


def test_unknown_text_format_names_the_choices(client: TestClient, world: World, temp_root: Path) -> None:
    r = client.get(f"/api/versions/{poem(world)}/export?format=docx", headers=world.auth("editor"))
    assert r.status_code == 400
    err = error_of(r)
    assert "docx" in err["message"] and "pdf, md, txt, fountain" in err["hint"]
    assert list(temp_root.iterdir()) == []


def test_viewer_downloads_and_outsider_sees_nothing(client: TestClient, world: World) -> None:
    """A viewer (the audience) may download what they can see; someone outside may not."""
    v = world.paint(variants=1).versions[0]
    r = client.get(f"/api/versions/{v.id}/export?format=png", headers=world.auth("viewer"))
    assert r.status_code == 200 and Image.open(io.BytesIO(r.content)).size == (128, 128)
    r = client.get(f"/api/versions/{v.id}/export?format=png", headers=world.auth("outsider"))
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"
    assert client.get(f"/api/versions/{v.id}/export?format=png").status_code == 401
