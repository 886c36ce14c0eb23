"""The OpenAPI schema lists every route with its request and response models, and project
events reach the project's members only. (``duetto serve`` on a studio nobody can log in to
is in test_setup.py.)"""

from __future__ import annotations

from fastapi.testclient import TestClient

from duetto.table import OPERATIONS
from tests.api.conftest import World

# Routes that are not acts of the operations table: logging in, setup, lists, jobs, tokens,
# members, marks, and reading a version's files.
OTHER = {
    ("post", "/api/login"), ("post", "/api/logout"), ("get", "/api/setup"), ("post", "/api/setup"), ("get", "/api/me"),
    ("get", "/api/projects"), ("get", "/api/works"), ("get", "/api/works/{work_id}"),
    ("get", "/api/versions/{version_id}/files/{name}"), ("get", "/api/jobs/{job_id}"),
    ("post", "/api/jobs/{job_id}/cancel"), ("post", "/api/jobs/{job_id}/retry"),
    ("get", "/api/tokens"), ("post", "/api/tokens"),
    ("delete", "/api/tokens/{token_id}"), ("get", "/api/projects/{project}/members"),
    ("put", "/api/projects/{project}/members/{user}"), ("delete", "/api/projects/{project}/members/{user}"),
    ("get", "/api/versions/{version_id}/comments"), ("post", "/api/versions/{version_id}/comments"),
    ("get", "/api/versions/{version_id}/star"), ("put", "/api/versions/{version_id}/star"),
    ("delete", "/api/versions/{version_id}/star"), ("get", "/api/works/{work_id}/stars"), ("post", "/api/votes"),
    ("get", "/api/works/{work_id}/votes"),
    ("get", "/api/versions/{version_id}/publication"), ("get", "/api/versions/{version_id}/published/{name}"),
    ("get", "/api/versions/{version_id}/dossier.pdf"),
    ("get", "/api/public/{publication_id}"), ("get", "/api/public/{publication_id}/files/{name}"),
}
ACTS = {(op.http[0].lower(), op.http[1]) for op in OPERATIONS.values()}
EXPECTED = OTHER | ACTS
NO_JSON_BODY = {"/api/logout", "/api/versions/{version_id}/files/{name}", "/api/versions/{version_id}/export",
                "/api/versions/{version_id}/published/{name}", "/api/versions/{version_id}/dossier.pdf",
                "/api/public/{publication_id}/files/{name}"}
# Bodies that may be left out (every field has a default) are documented without a $ref wrapper.
NO_REQUEST = {"/api/logout", "/api/versions/{version_id}/restore", "/api/jobs/{job_id}/cancel",
              "/api/jobs/{job_id}/retry", "/api/versions/{version_id}/star"}


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
            assert "$ref" in body or any("$ref" in alt for alt in body.get("anyOf", [])), (method, path)
        assert {"400", "401", "403", "404", "422"} <= set(op["responses"]), (method, path)
    models = schema["components"]["schemas"]
    for name in ("NewBody", "ReviseBody", "VaryBody", "BlendBody", "BreedBody", "WriteBody", "MusicBody",
                 "RestyleBody", "RecolourBody", "LayoutBody", "AnimateBody", "PaletteBody", "CheckBody",
                 "CritiqueBody", "Upload", "JobAccepted",
                 "VersionShow", "SetupBody", "SetupState", "JobRecord", "ErrorBody", "Tree", "Credits", "Diff", "ImportOut",
                 "TokenOut", "NewTokenBody", "NewToken", "MemberBody", "MembershipRecord", "CommentBody",
                 "CommentRecord", "StarCount", "VoteBody", "VoteRecord", "VoteTally", "Standing"):
        assert name in models, name


def test_an_acts_body_carries_the_tables_limits(client: TestClient) -> None:
    """The API documents the request model's own limits: one definition, read by both."""
    models = client.get("/openapi.json").json()["components"]["schemas"]
    brief = models["NewBody"]["properties"]["brief"]
    assert brief["maxLength"] == 5000 and brief["minLength"] == 1
    parents = models["BreedBody"]["properties"]["parents"]
    assert parents["minItems"] == 2 and parents["maxItems"] == 16
    assert "version" not in models["ReviseBody"]["properties"]  # the path gives it
    assert "project" in models["NewBody"]["required"]


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
