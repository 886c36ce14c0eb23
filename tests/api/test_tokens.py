"""Personal API tokens over the API: made from a password login (with CSRF), shown once,
listed without the secret, revoked by their owner only, and refused at once after that."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, World, error_of

LISTED = {"id", "name", "prefix", "created_at", "last_used_at"}


def login(client: TestClient, name: str = "editor") -> str:
    r = client.post("/api/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]  # type: ignore[no-any-return]


def test_create_use_list_and_revoke_a_token(client: TestClient, world: World) -> None:
    csrf = login(client)
    r = client.post("/api/tokens", json={"name": "my script"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    secret, record = r.json()["token"], r.json()["record"]
    assert secret.startswith("dt_") and len(secret) > 40 and secret.startswith(record["prefix"])
    assert set(record) == LISTED and record["name"] == "my script"
    client.cookies.clear()  # from here on, only the token speaks
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/me", headers=bearer).json()["user"]["name"] == "editor"
    listed = client.get("/api/tokens", headers=bearer)
    assert listed.status_code == 200
    mine = {t["id"]: t for t in listed.json()}
    assert set(mine) == {record["id"], *(t.id for t in world.server.accounts.tokens(world.server.accounts.user("editor").id))}
    assert all(set(t) == LISTED for t in mine.values())
    assert mine[record["id"]]["last_used_at"] is not None  # it was just used
    assert secret not in listed.text and "hash" not in listed.text
    assert client.delete(f"/api/tokens/{record['id']}", headers=bearer).status_code == 204
    r = client.get("/api/me", headers=bearer)
    assert r.status_code == 401 and error_of(r)["code"] == "unauthorized"
    ids = [t["id"] for t in client.get("/api/tokens", headers=world.auth("editor")).json()]
    assert record["id"] not in ids and len(ids) == 1


def test_cookie_requests_need_the_csrf_header(client: TestClient, world: World) -> None:
    csrf = login(client)
    r = client.post("/api/tokens", json={"name": "x"})
    assert r.status_code == 403 and error_of(r)["code"] == "csrf"
    assert client.get("/api/tokens").json() == [t.model_dump(mode="json", include=LISTED) for t in
                                               world.server.accounts.tokens(world.server.accounts.user("editor").id)]
    (mine,) = client.get("/api/tokens").json()
    r = client.delete(f"/api/tokens/{mine['id']}")
    assert r.status_code == 403 and error_of(r)["code"] == "csrf"
    assert client.get("/api/me", headers=world.auth("editor")).status_code == 200  # still alive
    assert client.delete(f"/api/tokens/{mine['id']}", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/me", headers=world.auth("editor")).status_code == 401


def test_a_token_cannot_make_another_token(client: TestClient, world: World) -> None:
    r = client.post("/api/tokens", json={"name": "successor"}, headers=world.auth("editor"))
    assert r.status_code == 403 and error_of(r)["code"] == "forbidden"
    assert "password" in error_of(r)["hint"]
    assert [t.name for t in world.server.accounts.tokens(world.server.accounts.user("editor").id)] == ["tests"]


def test_someone_elses_token_is_not_found_and_keeps_working(client: TestClient, world: World) -> None:
    (theirs,) = client.get("/api/tokens", headers=world.auth("owner")).json()
    r = client.delete(f"/api/tokens/{theirs['id']}", headers=world.auth("editor"))
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"
    assert client.delete("/api/tokens/no-such-token", headers=world.auth("editor")).status_code == 404
    assert client.get("/api/me", headers=world.auth("owner")).status_code == 200
    assert client.get("/api/tokens").status_code == 401


def test_a_token_name_is_limited(client: TestClient) -> None:
    csrf = login(client)
    r = client.post("/api/tokens", json={"name": "x" * 101}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "name" in error_of(r)["message"]
