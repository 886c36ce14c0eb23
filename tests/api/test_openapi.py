"""The OpenAPI schema lists every route with its request and response models, and project
events reach the project's members only. (``duetto serve`` on a studio nobody can log in to
is in test_setup.py.)"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import World

EXPECTED = {
    ("post", "/api/login"), ("post", "/api/logout"), ("get", "/api/setup"), ("post", "/api/setup"), ("get", "/api/me"), ("get", "/api/projects"),
    ("get", "/api/works"), ("post", "/api/works"), ("get", "/api/works/{work_id}"),
    ("get", "/api/works/{work_id}/tree"), ("get", "/api/works/{work_id}/credits"),
    ("get", "/api/versions/{version_id}"), ("get", "/api/versions/{version_id}/files/{name}"),
    ("get", "/api/versions/{a}/diff/{b}"), ("delete", "/api/versions/{version_id}"),
    ("post", "/api/versions/{version_id}/restore"), ("post", "/api/versions/{version_id}/import"),
    *(("post", f"/api/versions/{{version_id}}/{op}") for op in ("revise", "vary", "derive", "write", "music", "replay")),
    ("post", "/api/blend"), ("post", "/api/breed"), ("get", "/api/jobs/{job_id}"),
    ("post", "/api/jobs/{job_id}/cancel"), ("post", "/api/jobs/{job_id}/retry"),
    ("get", "/api/versions/{version_id}/export"), ("get", "/api/tokens"), ("post", "/api/tokens"),
    ("delete", "/api/tokens/{token_id}"), ("get", "/api/projects/{project}/members"),
    ("put", "/api/projects/{project}/members/{user}"), ("delete", "/api/projects/{project}/members/{user}"),
    ("get", "/api/versions/{version_id}/comments"), ("post", "/api/versions/{version_id}/comments"),
    ("get", "/api/versions/{version_id}/star"), ("put", "/api/versions/{version_id}/star"),
    ("delete", "/api/versions/{version_id}/star"), ("get", "/api/works/{work_id}/stars"), ("post", "/api/votes"),
    ("get", "/api/works/{work_id}/votes"),
}
NO_JSON_BODY = {"/api/logout", "/api/versions/{version_id}/files/{name}", "/api/versions/{version_id}/export"}
NO_REQUEST = {"/api/logout", "/api/versions/{version_id}/replay", "/api/versions/{version_id}/restore",
              "/api/jobs/{job_id}/cancel", "/api/jobs/{job_id}/retry", "/api/versions/{version_id}/star"}


def test_schema_lists_every_route_with_models(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    listed = {(m, path) for path, ops in schema["paths"].items() for m in ops}
    assert listed == EXPECTED
    for method, path in EXPECTED:
        op = schema["paths"][path][method]
        ok = next(code for code in op["responses"] if code.startswith("2"))
        if path not in NO_JSON_BODY and ok != "204":  # a 204 has no body at all
            content = op["responses"][ok]["content"]["application/json"]["schema"]
            assert content.get("$ref") or content.get("items", {}).get("$ref"), (method, path)
        if method in ("post", "put") and path not in NO_REQUEST:
            body = next(iter(op["requestBody"]["content"].values()))["schema"]
            assert "$ref" in body, (method, path)
        assert {"400", "401", "403", "404", "422"} <= set(op["responses"]), (method, path)
    models = schema["components"]["schemas"]
    for name in ("NewWorkBody", "ReviseBody", "VaryBody", "BlendBody", "BreedBody", "EditBody", "JobAccepted",
                 "VersionShow", "SetupBody", "SetupState", "JobRecord", "ErrorBody", "Tree", "Credits", "Diff", "ImportOut",
                 "TokenOut", "NewTokenBody", "NewToken", "MemberBody", "MembershipRecord", "CommentBody",
                 "CommentRecord", "StarCount", "VoteBody", "VoteRecord", "VoteTally", "Standing"):
        assert name in models, name


def test_root_points_at_the_docs_when_no_web_studio(client: TestClient) -> None:
    try:
        from duetto.web import router  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        assert client.get("/").json()["docs"] == "/docs"
    else:
        assert client.get("/").status_code != 404


def test_project_events_reach_a_project_viewer(client: TestClient, world: World) -> None:
    from duetto.api.jobs import JobEvent

    with client.websocket_connect(f"/api/events?project=art&token={world.tokens['viewer']}") as ws:
        job = client.post("/api/works", headers=world.auth("editor"), json={"project": "art", "brief": "sea"}).json()
        record = world.server.jobs.get(job["job"])
        client.app.state.broker.publish(JobEvent.of(record))  # type: ignore[attr-defined]
        event = ws.receive_json()
        assert event["job"] == job["job"] and event["status"] == "queued"
    with client.websocket_connect(f"/api/events?project=art&token={world.tokens['outsider']}") as ws:
        assert ws.receive_json()["error"]["code"] == "not_found"
