"""Comments, stars and votes through the API: who made them, counts per caller, the tally, the
rules (one work per vote, nothing new on a deleted version) and the credits naming people."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from tests.api.conftest import World, error_of


def _two(world: World) -> tuple[str, str, str]:
    result = world.paint(variants=2)
    a, b = (v.id for v in result.versions)
    return result.work.id, a, b


def test_two_people_star_and_each_sees_their_own_mark(client: TestClient, world: World) -> None:
    work, a, b = _two(world)
    before = world.server.repo.version(a)
    for who in ("commenter", "editor"):
        r = client.put(f"/api/versions/{a}/star", headers=world.auth(who))
        assert r.status_code == 200, r.text
    again = client.put(f"/api/versions/{a}/star", headers=world.auth("editor")).json()
    assert again == {"version_id": a, "count": 2, "mine": True}  # starring twice counts once
    assert client.get(f"/api/versions/{a}/star", headers=world.auth("viewer")).json() == {
        "version_id": a, "count": 2, "mine": False}
    client.put(f"/api/versions/{b}/star", headers=world.auth("owner"))
    listed = client.get(f"/api/works/{work}/stars", headers=world.auth("commenter")).json()
    assert listed == [{"version_id": a, "count": 2, "mine": True}, {"version_id": b, "count": 1, "mine": False}]

    gone = client.delete(f"/api/versions/{a}/star", headers=world.auth("commenter")).json()
    assert gone == {"version_id": a, "count": 1, "mine": False}
    assert client.delete(f"/api/versions/{a}/star", headers=world.auth("commenter")).json()["count"] == 1
    after = world.server.repo.version(a)
    assert (after.sha256, after.spec, after.info) == (before.sha256, before.spec, before.info)


def test_comments_are_listed_oldest_first_with_names(client: TestClient, world: World) -> None:
    _, a, _ = _two(world)
    first = client.post(f"/api/versions/{a}/comments", json={"text": "  the blue is lovely  "},
                        headers=world.auth("commenter"))
    assert first.status_code == 201, first.text
    made = first.json()
    assert set(made) == {"id", "version_id", "user", "text", "created_at"}
    assert (made["user"], made["text"], made["version_id"]) == ("commenter", "the blue is lovely", a)
    datetime.fromisoformat(made["created_at"])
    client.post(f"/api/versions/{a}/comments", json={"text": "更温暖一些"}, headers=world.auth("owner"))
    listed = client.get(f"/api/versions/{a}/comments", headers=world.auth("viewer")).json()
    assert [(c["user"], c["text"]) for c in listed] == [("commenter", "the blue is lovely"), ("owner", "更温暖一些")]
    assert listed[0]["id"] == made["id"] and isinstance(made["id"], str)

    for text in ("   ", "", "x" * 2001):
        r = client.post(f"/api/versions/{a}/comments", json={"text": text}, headers=world.auth("owner"))
        assert r.status_code == 422 and error_of(r)["code"] == "invalid_input", r.text
    assert len(client.get(f"/api/versions/{a}/comments", headers=world.auth("owner")).json()) == 2


def test_votes_are_tallied_by_share_of_wins(client: TestClient, world: World) -> None:
    result = world.paint(variants=3)
    work, (a, b, c) = result.work.id, [v.id for v in result.versions]
    for who, winner, loser in [("commenter", a, b), ("editor", a, c), ("owner", b, c), ("commenter", c, a)]:
        r = client.post("/api/votes", json={"winner": winner, "loser": loser}, headers=world.auth(who))
        assert r.status_code == 201, r.text
    vote = r.json()
    assert set(vote) == {"id", "work_id", "winner", "loser", "user", "created_at"}
    assert (vote["work_id"], vote["winner"], vote["loser"], vote["user"]) == (work, c, a, "commenter")

    tally = client.get(f"/api/works/{work}/votes", headers=world.auth("viewer")).json()
    assert tally["votes"] == 4
    assert tally["ranking"] == [
        {"version_id": a, "wins": 2, "losses": 1, "score": 2 / 3},
        {"version_id": b, "wins": 1, "losses": 1, "score": 0.5},
        {"version_id": c, "wins": 1, "losses": 2, "score": 1 / 3},
    ]


def test_a_vote_compares_two_versions_of_one_work(client: TestClient, world: World) -> None:
    _, a, b = _two(world)
    _, other, _ = _two(world)
    r = client.post("/api/votes", json={"winner": a, "loser": other}, headers=world.auth("commenter"))
    assert r.status_code == 400 and "different works" in error_of(r)["message"]
    r = client.post("/api/votes", json={"winner": a, "loser": a}, headers=world.auth("commenter"))
    assert r.status_code == 400 and "two different versions" in error_of(r)["message"]
    r = client.post("/api/votes", json={"winner": a, "loser": "f" * 32}, headers=world.auth("commenter"))
    assert r.status_code == 404
    assert client.get(f"/api/works/{world.server.repo.version(a).work_id}/votes",
                      headers=world.auth("commenter")).json() == {"votes": 0, "ranking": []}


def test_no_new_marks_on_a_deleted_version_but_reading_and_unstarring_work(client: TestClient, world: World) -> None:
    _, a, b = _two(world)
    client.put(f"/api/versions/{a}/star", headers=world.auth("commenter"))
    client.post(f"/api/versions/{a}/comments", json={"text": "keep"}, headers=world.auth("commenter"))
    assert client.delete(f"/api/versions/{a}", headers=world.auth("editor")).status_code == 200
    for method, path, body in [("PUT", f"/api/versions/{a}/star", None),
                               ("POST", f"/api/versions/{a}/comments", {"text": "late"}),
                               ("POST", "/api/votes", {"winner": b, "loser": a})]:
        r = client.request(method, path, json=body, headers=world.auth("owner"))
        assert r.status_code == 409 and error_of(r)["code"] == "conflict", (path, r.text)
        assert "deleted" in error_of(r)["message"]
    assert [c["text"] for c in client.get(f"/api/versions/{a}/comments", headers=world.auth("viewer")).json()] == [
        "keep"]
    assert client.get(f"/api/versions/{a}/star", headers=world.auth("viewer")).json()["count"] == 1
    assert client.delete(f"/api/versions/{a}/star", headers=world.auth("commenter")).json()["count"] == 0


def test_credits_name_the_commenter_and_voter(client: TestClient, world: World) -> None:
    work, a, b = _two(world)
    client.post(f"/api/versions/{a}/comments", json={"text": "more waves"}, headers=world.auth("commenter"))
    client.post("/api/votes", json={"winner": b, "loser": a}, headers=world.auth("viewer"))  # refused: 403
    client.post("/api/votes", json={"winner": b, "loser": a}, headers=world.auth("commenter"))
    client.put(f"/api/versions/{b}/star", headers=world.auth("editor"))
    credits = client.get(f"/api/works/{work}/credits", headers=world.auth("viewer")).json()
    assert {"user:commenter", "user:editor"} <= set(credits["people"])
    assert "user:viewer" not in credits["people"]
    rows = {row["version"]: row["human"] for row in credits["versions"]}
    assert "feedback: more waves" in rows[a]
    assert f"selection: preferred to {a[:10]}" in rows[b] and "selection: starred" in rows[b]
    assert credits["human_operations"]["feedback"] >= 1

    client.delete(f"/api/versions/{b}/star", headers=world.auth("editor"))  # a withdrawn star credits no one
    credits = client.get(f"/api/works/{work}/credits", headers=world.auth("viewer")).json()
    assert "selection: starred" not in {row["version"]: row["human"] for row in credits["versions"]}[b]
