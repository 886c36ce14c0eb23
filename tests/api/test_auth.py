"""Logging in, cookies with CSRF, tokens, and the error shapes every refusal shares."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, World, error_of


def login(client: TestClient, name: str = "editor") -> str:
    r = client.post("/api/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]  # type: ignore[no-any-return]


def test_login_sets_an_httponly_lax_cookie_and_me_shows_roles(client: TestClient) -> None:
    r = client.post("/api/login", json={"name": "editor", "password": PASSWORD})
    cookie = r.headers["set-cookie"].lower()
    assert "duetto_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    me = client.get("/api/me").json()
    assert me["user"]["name"] == "editor"
    assert me["csrf_token"] == r.json()["csrf_token"]
    assert [(p["project"], p["role"]) for p in me["projects"]] == [("art", "editor")]
    assert PASSWORD not in r.text and "argon2" not in r.text and "password_hash" not in r.text


def test_wrong_password_and_no_credentials_are_401(client: TestClient) -> None:
    r = client.post("/api/login", json={"name": "editor", "password": "wrong password!"})
    assert r.status_code == 401 and error_of(r)["code"] == "unauthorized"
    r = client.post("/api/login", json={"name": "nobody", "password": "wrong password!"})
    assert r.status_code == 401 and error_of(r)["message"] == "wrong name or password"
    assert error_of(client.get("/api/me"))["code"] == "unauthorized"
    r = client.get("/api/me", headers={"Authorization": "Bearer dt_forged"})
    assert r.status_code == 401
    r = client.get("/api/me", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_cookie_post_needs_the_csrf_header(client: TestClient, world: World) -> None:
    csrf = login(client)
    body = {"project": "art", "brief": "calm sea", "params": {"width": 128, "height": 128}}
    r = client.post("/api/works", json=body)
    assert r.status_code == 403 and error_of(r)["code"] == "csrf"
    r = client.post("/api/works", json=body, headers={"X-CSRF-Token": "not-it"})
    assert r.status_code == 403 and error_of(r)["code"] == "csrf"
    assert world.server.jobs.list_jobs() == []  # refused requests stored nothing
    r = client.post("/api/works", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202, r.text
    assert client.get("/api/works?project=art").status_code == 200  # safe methods need no header


def test_tokens_need_no_csrf_and_logout_ends_the_session(client: TestClient, world: World) -> None:
    r = client.post("/api/works", json={"project": "art", "brief": "sea"}, headers=world.auth("editor"))
    assert r.status_code == 202
    csrf = login(client)
    assert client.post("/api/logout").status_code == 403  # logout is a POST: CSRF too
    assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/me").status_code == 401


def test_error_shapes_for_unknown_routes_methods_and_bad_bodies(client: TestClient, world: World) -> None:
    r = client.get("/api/nothing-here", headers=world.auth("owner"))
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"
    r = client.put("/api/works", headers=world.auth("owner"))
    assert r.status_code == 405 and error_of(r)["code"] == "method_not_allowed"
    r = client.post("/api/works", json={"project": "art", "brief": "sea", "variants": 0}, headers=world.auth("owner"))
    assert r.status_code == 422
    err = error_of(r)
    assert err["code"] == "invalid_input" and "variants" in err["message"]
    r = client.post("/api/works", json={"project": "art"}, headers=world.auth("owner"))
    assert r.status_code == 422 and error_of(r)["message"] == "brief: is required"
    for blank in ("", "   \n"):  # refused with the request in words, not queued as a job that fails
        r = client.post("/api/works", json={"project": "art", "brief": blank}, headers=world.auth("owner"))
        assert r.status_code == 422, r.text
        message = error_of(r)["message"]
        assert message.startswith("brief: is empty; say what you want") and "String should" not in message
    r = client.get("/api/versions/zzzz", headers=world.auth("owner"))
    assert r.status_code == 404 and "Traceback" not in r.text
