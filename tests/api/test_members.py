"""Project members over the API: any member may look, only an owner changes them, and a
project never loses its last owner."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, World, error_of

MEMBERS = "/api/projects/art/members"


def roles(client: TestClient, world: World, who: str = "viewer") -> list[tuple[str, str]]:
    r = client.get(MEMBERS, headers=world.auth(who))
    assert r.status_code == 200, r.text
    return [(m["user"], m["role"]) for m in r.json()]


def test_members_are_listed_owners_first(client: TestClient, world: World) -> None:
    assert roles(client, world) == [("owner", "owner"), ("editor", "editor"), ("commenter", "commenter"),
                                    ("viewer", "viewer")]
    assert roles(client, world, "admin") == roles(client, world)  # admins see every project
    r = client.get(MEMBERS, headers=world.auth("outsider"))
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"


def test_owner_adds_changes_and_removes_a_member(client: TestClient, world: World) -> None:
    assert client.get("/api/works?project=art", headers=world.auth("outsider")).status_code == 404
    r = client.put(f"{MEMBERS}/outsider", json={"role": "viewer"}, headers=world.auth("owner"))
    assert r.status_code == 200, r.text
    assert (r.json()["user"], r.json()["role"], r.json()["project"]) == ("outsider", "viewer", "art")
    assert client.get("/api/works?project=art", headers=world.auth("outsider")).status_code == 200
    client.put(f"{MEMBERS}/outsider", json={"role": "editor"}, headers=world.auth("owner"))
    assert ("outsider", "editor") in roles(client, world)
    assert client.delete(f"{MEMBERS}/outsider", headers=world.auth("owner")).status_code == 204
    assert "outsider" not in dict(roles(client, world))
    assert client.get("/api/works?project=art", headers=world.auth("outsider")).status_code == 404


def test_the_last_owner_can_neither_leave_nor_step_down(client: TestClient, world: World) -> None:
    r = client.put(f"{MEMBERS}/owner", json={"role": "editor"}, headers=world.auth("owner"))
    assert r.status_code == 409 and "owner" in error_of(r)["message"]
    r = client.delete(f"{MEMBERS}/owner", headers=world.auth("owner"))
    assert r.status_code == 409 and error_of(r)["code"] == "conflict"
    assert roles(client, world)[0] == ("owner", "owner")  # the refused writes were rolled back
    client.put(f"{MEMBERS}/editor", json={"role": "owner"}, headers=world.auth("owner"))
    assert client.delete(f"{MEMBERS}/owner", headers=world.auth("owner")).status_code == 204
    assert roles(client, world)[0] == ("editor", "owner")


def test_only_an_owner_changes_members(client: TestClient, world: World) -> None:
    before = roles(client, world)
    for who in ("editor", "commenter", "viewer"):
        r = client.put(f"{MEMBERS}/{who}", json={"role": "owner"}, headers=world.auth(who))
        assert r.status_code == 403 and error_of(r)["code"] == "forbidden", who
        r = client.delete(f"{MEMBERS}/owner", headers=world.auth(who))
        assert r.status_code == 403, who
    r = client.put(f"{MEMBERS}/outsider", json={"role": "owner"}, headers=world.auth("outsider"))
    assert r.status_code == 404
    assert roles(client, world) == before


def test_bad_roles_unknown_people_and_non_members(client: TestClient, world: World) -> None:
    r = client.put(f"{MEMBERS}/outsider", json={"role": "god"}, headers=world.auth("owner"))
    assert r.status_code == 422 and "role" in error_of(r)["message"]
    r = client.put(f"{MEMBERS}/nobody", json={"role": "viewer"}, headers=world.auth("owner"))
    assert r.status_code == 404 and "nobody" in error_of(r)["message"]
    r = client.delete(f"{MEMBERS}/outsider", headers=world.auth("owner"))
    assert r.status_code == 404 and "not a member" in error_of(r)["message"]


def test_cookie_changes_need_the_csrf_header(client: TestClient, world: World) -> None:
    csrf = client.post("/api/login", json={"name": "owner", "password": PASSWORD}).json()["csrf_token"]
    r = client.put(f"{MEMBERS}/outsider", json={"role": "viewer"})
    assert r.status_code == 403 and error_of(r)["code"] == "csrf"
    assert "outsider" not in dict(roles(client, world))
    r = client.put(f"{MEMBERS}/outsider", json={"role": "viewer"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200


def test_an_unknown_project_names_no_other_project(client: TestClient, world: World) -> None:
    """A wrong name must not answer with a list of the projects that do exist."""
    for path in ("/api/works?project=nope", "/api/projects/nope/members"):
        r = client.get(path, headers=world.auth("outsider"))
        assert r.status_code == 404, r.text
        body = r.text
        assert "art" not in body and "elsewhere" not in body, body
    by_id = client.get(f"/api/projects/{world.project_id}/members", headers=world.auth("viewer"))
    assert by_id.status_code == 200 and len(by_id.json()) == 4
