"""Reading works and versions through the API: lists, search, show, files, diff, delete."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.conftest import World, error_of


def test_works_are_listed_per_project_and_searched_by_brief(client: TestClient, world: World) -> None:
    world.paint(variants=1)
    owner = world.server.accounts.user("owner")
    other = world.server.studio_for("owner", owner.id, world.project_id)
    other.repo.create_work(world.project_id, owner.id, "Red Autumn Leaves", "painting")
    r = client.get("/api/works", params={"project": "art", "q": "AUTUMN"}, headers=world.auth("viewer"))
    assert [w["brief"] for w in r.json()] == ["Red Autumn Leaves"]
    r = client.get("/api/works", params={"project": "art"}, headers=world.auth("viewer"))
    assert len(r.json()) == 2
    assert client.get("/api/works", params={"project": "elsewhere"}, headers=world.auth("admin")).json() == []


def test_show_gives_file_urls_that_stream_the_real_png(client: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    body = client.get(f"/api/versions/{v.id}", headers=world.auth("viewer")).json()
    assert body["version"]["id"] == v.id and body["recipe"]["seed"] == 7
    url = body["version"]["files"]["png"]
    r = client.get(url, headers=world.auth("viewer"))
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(r.content)).size == (128, 128)


def test_file_names_are_keys_never_paths(client: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    for name in ("..%2F..%2Fstudio.db", "db", "%2E%2E", "png.png", "%2Fetc%2Fpasswd"):
        r = client.get(f"/api/versions/{v.id}/files/{name}", headers=world.auth("owner"))
        assert r.status_code == 404, name
        assert b"SQLite" not in r.content


def test_work_tree_credits_and_diff(client: TestClient, world: World) -> None:
    result = world.paint(variants=2)
    a, b = (x.id for x in result.versions)
    work = client.get(f"/api/works/{result.work.id}", headers=world.auth("viewer")).json()
    assert [v["id"] for v in work["versions"]] == [a, b]
    tree = client.get(f"/api/works/{result.work.id}/tree", headers=world.auth("viewer")).json()
    assert {v["id"] for v in tree["versions"]} == {a, b}
    credits = client.get(f"/api/works/{result.work.id}/credits", headers=world.auth("viewer")).json()
    assert credits["people"] == ["user:owner"] and credits["engines"]
    diff = client.get(f"/api/versions/{a}/diff/{b}", headers=world.auth("viewer")).json()
    assert diff["relation"] == "same work, different branches" and diff["a"]["id"] == a


def test_soft_delete_and_restore(client: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    r = client.delete(f"/api/versions/{v.id}", headers=world.auth("editor"))
    assert r.status_code == 200 and r.json()["deleted"] is True
    r = client.post(f"/api/versions/{v.id}/revise", json={"feedback": "warmer"}, headers=world.auth("editor"))
    assert r.status_code == 202  # queued; the job itself refuses a deleted parent (see test_jobs)
    r = client.post(f"/api/versions/{v.id}/restore", headers=world.auth("editor"))
    assert r.json()["deleted"] is False

def test_ids_are_exact_so_prefixes_reveal_nothing(client: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    for ref in (v.id[:1], v.id[:8], v.id[:-1]):
        r = client.get(f"/api/versions/{ref}", headers=world.auth("editor"))
        assert r.status_code == 404 and error_of(r)["code"] == "not_found" and "hint" not in error_of(r)
    assert client.get(f"/api/versions/{v.id.upper()}", headers=world.auth("editor")).status_code == 200
