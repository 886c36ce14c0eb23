"""Every endpoint × every role: allowed exactly as ``access.action_of`` says (an act's row in the
operations table, or ``OTHER_ACTIONS``); members without the right get 403, people outside the
project 404; a refused request stores nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from duetto.access import action_of, allowed
from duetto.store.models import CommentRow, Contribution, Star, Version, Vote
from duetto.store.records import JobError
from tests.api.conftest import World, error_of


@dataclass
class Call:
    operation: str  # the act (or other operation) that guards it
    method: str
    path: str
    json: dict[str, Any] | None = None
    upload: bool = False


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(buf, "PNG")
    return buf.getvalue()


def calls(world: World, work: str, v: str, v2: str, queued_job: str, failed_job: str) -> list[Call]:
    return [
        Call("works", "GET", "/api/works?project=art"),
        Call("new", "POST", "/api/works", {"project": "art", "brief": "sea", "params": {"width": 128, "height": 128}}),
        Call("show", "GET", f"/api/works/{work}"),
        Call("tree", "GET", f"/api/works/{work}/tree"),
        Call("credits", "GET", f"/api/works/{work}/credits"),
        Call("show", "GET", f"/api/versions/{v}"),
        Call("show", "GET", f"/api/versions/{v}/files/png"),
        Call("diff", "GET", f"/api/versions/{v}/diff/{v2}"),
        Call("revise", "POST", f"/api/versions/{v}/revise", {"feedback": "warmer"}),
        Call("vary", "POST", f"/api/versions/{v}/vary", {"variants": 2}),
        Call("derive", "POST", f"/api/versions/{v}/derive", {"medium": "poem"}),
        Call("write", "POST", f"/api/versions/{v}/write", {"edit": {"op": "continue"}}),
        Call("music", "POST", f"/api/versions/{v}/music", {"edit": {"op": "continue", "bars": 4}}),
        Call("replay", "POST", f"/api/versions/{v}/replay"),
        Call("recolour", "POST", f"/api/versions/{v}/recolour", {"palette": ["#aa3322", "#2233aa"]}),
        Call("restyle", "POST", f"/api/versions/{v}/restyle", {"style": "mosaic"}),
        Call("animate", "POST", f"/api/versions/{v}/animate", {"seconds": 1, "fps": 2}),
        Call("diffuse", "POST", f"/api/versions/{v}/diffuse", {"model": "tiny-model"}),
        Call("layout", "POST", f"/api/versions/{v}/layout", {"title": "sea", "format": "card"}),
        Call("palette", "POST", "/api/palette", {"version": v, "k": 3}),
        Call("palette", "POST", "/api/palette", {"project": "art", "source": "gold"}),
        Call("check", "POST", "/api/check", {"project": "art", "text": "床前明月光\n疑是地上霜\n举头望明月\n低头思故乡",
                                            "form": "五绝"}),
        Call("critique", "POST", f"/api/versions/{v}/critique", {}),
        Call("blend", "POST", "/api/blend", {"a": v, "b": v2}),
        Call("breed", "POST", "/api/breed", {"parents": [v, v2]}),
        Call("import", "POST", f"/api/versions/{v}/import", upload=True),
        Call("shares", "POST", f"/api/versions/{v}/shares"),
        Call("split", "POST", f"/api/versions/{v}/split", {"amount": "10.00", "currency": "EUR"}),
        Call("dossier", "POST", f"/api/versions/{v}/dossier"),
        Call("dossier", "GET", f"/api/versions/{v}/dossier.pdf"),
        Call("publish", "POST", f"/api/versions/{v}/publish", {"licence": "CC-BY-4.0", "training": "notAllowed"}),
        Call("verify", "POST", "/api/verify?project=art", upload=True),
        Call("rm", "DELETE", f"/api/versions/{v2}"),
        Call("restore", "POST", f"/api/versions/{v2}/restore"),
        Call("export", "GET", f"/api/versions/{v}/export?format=png,recipe"),
        Call("works", "GET", "/api/projects/art/members"),
        Call("members", "PUT", "/api/projects/art/members/outsider", {"role": "viewer"}),
        Call("members", "DELETE", "/api/projects/art/members/outsider"),
        # /api/tokens is left out: tokens belong to a person, not a project (test_tokens.py).
        Call("jobs", "GET", f"/api/jobs/{queued_job}"),
        Call("cancel_job", "POST", f"/api/jobs/{queued_job}/cancel"),
        Call("retry_job", "POST", f"/api/jobs/{failed_job}/retry"),
        Call("comments", "GET", f"/api/versions/{v}/comments"),
        Call("comment", "POST", f"/api/versions/{v}/comments", {"text": "the blue is lovely"}),
        Call("stars", "GET", f"/api/versions/{v}/star"),
        Call("star", "PUT", f"/api/versions/{v}/star"),
        Call("stars", "GET", f"/api/works/{work}/stars"),
        Call("star", "DELETE", f"/api/versions/{v}/star"),
        Call("vote", "POST", "/api/votes", {"winner": v, "loser": v2}),
        Call("votes", "GET", f"/api/works/{work}/votes"),
    ]


def stored(world: World) -> tuple[int, int, list[tuple[str, bool]], list[tuple[str, str]], list[int]]:
    with world.server.repo.session() as s:
        versions = s.scalar(select(func.count()).select_from(Version)) or 0
        deleted = sorted((r.id, r.deleted_at is not None) for r in s.scalars(select(Version)))
        marks = [s.scalar(select(func.count()).select_from(t)) or 0 for t in (CommentRow, Star, Vote, Contribution)]
    jobs = world.server.jobs.list_jobs(limit=10_000)
    members = [(m.user, m.role) for m in world.server.accounts.members(world.project_id)]
    return versions, len(jobs), [*deleted, *((j.id, j.status == "cancelled") for j in jobs)], members, marks


def send(client: TestClient, world: World, who: str, call: Call) -> Any:
    if call.upload:
        return client.post(call.path, headers=world.auth(who), files={"file": ("edit.png", png(), "image/png")})
    return client.request(call.method, call.path, json=call.json, headers=world.auth(who))


@pytest.mark.parametrize("who", ["admin", "owner", "editor", "commenter", "viewer", "outsider"])
def test_every_endpoint_checks_the_role(client: TestClient, world: World, who: str) -> None:
    result = world.paint(variants=2)
    work, (v, v2) = result.work.id, [x.id for x in result.versions]
    owner = world.server.accounts.user("owner")
    queued = world.server.jobs.enqueue(world.project_id, owner.id, "new", {"brief": "x"}).id
    failed = world.server.jobs.enqueue(world.project_id, owner.id, "new", {"brief": "y"}).id
    world.server.jobs.claim()
    world.server.jobs.claim()
    world.server.jobs.finish(failed, "failed", error=JobError(code="engine_failure", message="boom"))
    world.server.jobs.finish(queued, "failed", error=JobError(code="engine_failure", message="boom"))
    queued = world.server.jobs.enqueue(world.project_id, owner.id, "new", {"brief": "z"}).id
    role = {"admin": "owner", "outsider": None}.get(who, who)
    table = calls(world, work, v, v2, queued, failed)
    for c in table:
        action_of(c.operation)  # every guard is defined
    for call in table:
        before = stored(world)
        r = send(client, world, who, call)
        if role is not None and allowed(role, action_of(call.operation)):  # type: ignore[arg-type]
            assert r.status_code in (200, 201, 202, 204), (who, call, r.text)
        else:
            assert r.status_code == (404 if role is None else 403), (who, call, r.status_code, r.text)
            assert error_of(r)["code"] == ("not_found" if role is None else "forbidden")
            assert stored(world) == before, (who, call)


def test_outsider_sees_no_works_and_cannot_list_the_project(client: TestClient, world: World) -> None:
    world.paint(variants=1)
    assert client.get("/api/works", headers=world.auth("outsider")).json() == []
    assert client.get("/api/projects", headers=world.auth("outsider")).json() == []
    r = client.get("/api/works?project=art", headers=world.auth("outsider"))
    assert r.status_code == 404
    projects = client.get("/api/projects", headers=world.auth("viewer")).json()
    assert [(p["name"], p["role"]) for p in projects] == [("art", "viewer")]
    admin = {p["name"]: p["role"] for p in client.get("/api/projects", headers=world.auth("admin")).json()}
    assert admin["art"] == "owner" and "elsewhere" in admin
