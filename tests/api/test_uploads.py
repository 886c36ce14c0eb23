"""Uploading a human edit: limits, type sniffing, bombs and file names."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.conftest import World, error_of
from tests.api.test_roles import png


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG header claiming a huge canvas, with a tiny compressed body."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


def upload(client: TestClient, world: World, version: str, name: str, data: bytes) -> object:
    return client.post(f"/api/versions/{version}/import", headers=world.auth("editor"),
                       files={"file": (name, data, "application/octet-stream")})


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_an_image_edit_becomes_a_human_child_with_a_stripped_label(client: TestClient, world: World,
                                                                 tmp_path: Path) -> None:
    parent = world.paint(variants=1).versions[0]
    home = world.server.settings.home.resolve()
    outside_before = files_under(tmp_path) - files_under(home)
    r = upload(client, world, parent.id, "../../x.png", png())
    assert r.status_code == 201, r.text  # type: ignore[attr-defined]
    v = r.json()["version"]  # type: ignore[attr-defined]
    assert v["parents"] == [parent.id] and v["author"] == "user:editor" and v["author_kind"] == "human"
    assert v["info"]["source"] == "x.png" and (v["info"]["width"], v["info"]["height"]) == (32, 32)
    assert files_under(tmp_path) - files_under(home) == outside_before  # nothing written outside the studio
    assert not (home.parent / "x.png").exists() and not list((home / "blobs" / "tmp").iterdir())
    got = client.get(v["files"]["png"], headers=world.auth("viewer")).content
    assert Image.open(io.BytesIO(got)).size == (32, 32)


def test_oversized_upload_is_413_and_stores_nothing(client: TestClient, world: World) -> None:
    parent = world.paint(variants=1).versions[0]
    world.server.settings.upload_max_bytes = 1000
    before = len(world.server.repo.versions_of(parent.work_id))
    r = upload(client, world, parent.id, "big.png", png() + b"\0" * 2000)
    assert r.status_code == 413 and error_of(r)["code"] == "too_large"  # type: ignore[attr-defined]
    assert len(world.server.repo.versions_of(parent.work_id)) == before


def test_text_named_png_and_a_pixel_bomb_are_refused(client: TestClient, world: World) -> None:
    parent = world.paint(variants=1).versions[0]
    r = upload(client, world, parent.id, "edit.png", b"just some words, not a picture\n")
    assert r.status_code == 400 and error_of(r)["code"] == "invalid_input"  # type: ignore[attr-defined]
    bomb = bomb_png(50_000, 50_000)
    assert len(bomb) < 2000
    r = upload(client, world, parent.id, "bomb.png", bomb)
    assert r.status_code == 400 and error_of(r)["code"] == "invalid_input"  # type: ignore[attr-defined]
    r = upload(client, world, parent.id, "wide.png", bomb_png(8000, 6000))  # 48 MP > 40 MP limit
    assert r.status_code == 400 and "pixels" in error_of(r)["message"]  # type: ignore[attr-defined]
    assert len(world.server.repo.versions_of(parent.work_id)) == 1
