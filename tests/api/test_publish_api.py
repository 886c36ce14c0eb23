"""Publishing and verifying over HTTP: publish is a job with progress, the signed files download,
verify takes an upload; viewers verify but cannot publish; a published version is not deleted."""

from __future__ import annotations

import io
import time

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.conftest import World, error_of


def _wait(client: TestClient, world: World, job: str, who: str = "editor") -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        record = client.get(f"/api/jobs/{job}", headers=world.auth(who)).json()
        if record["status"] in ("done", "failed", "cancelled", "interrupted"):
            return record
        time.sleep(0.1)
    raise AssertionError("the publish job did not finish")


def test_publish_job_then_download_and_verify_end_to_end(live: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0].id
    r = live.post(f"/api/versions/{v}/publish", headers=world.auth("editor"),
                  json={"title": "Dawn", "authors": ["Ada", "Li"], "licence": "CC-BY-SA-4.0", "training": "constrained"})
    assert r.status_code == 202, r.text
    job = _wait(live, world, r.json()["job"])
    assert job["status"] == "done", job
    assert job["progress"] == 1.0 and job["result"]["publication"]["licence"] == "CC-BY-SA-4.0"
    pub = live.get(f"/api/versions/{v}/publication", headers=world.auth("viewer")).json()["publication"]
    assert pub["title"] == "Dawn" and pub["authors"] == ["Ada", "Li"] and pub["training"] == "constrained"
    png = live.get(f"/api/versions/{v}/published/png", headers=world.auth("viewer"))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    verdict = live.post("/api/verify?project=art", headers=world.auth("viewer"),
                        files={"file": ("dawn.png", png.content, "image/png")}).json()
    assert verdict["status"] == "trusted" and verdict["exit_code"] == 0
    assert verdict["licence"]["usageInfo"] == "CC-BY-SA-4.0" and verdict["publication"]["version_id"] == v
    assert verdict["registry_match"] is None  # part 4 fills it for stripped files
    assert verdict["actions"][0]["by"].startswith("painter")

    gone = live.delete(f"/api/versions/{v}", headers=world.auth("owner"))
    assert gone.status_code == 409 and error_of(gone)["code"] == "published"
    assert live.get(f"/api/versions/{v}", headers=world.auth("owner")).json()["version"]["deleted"] is False
    again = live.post(f"/api/versions/{v}/publish", headers=world.auth("owner"), json={})
    assert _wait(live, world, again.json()["job"], "owner")["error"]["code"] == "conflict"
    missing = live.get(f"/api/versions/{v}/published/svg", headers=world.auth("viewer"))
    assert missing.status_code == 404 and "png" in error_of(missing)["hint"]


def test_viewer_cannot_publish_but_can_verify(client: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0].id
    r = client.post(f"/api/versions/{v}/publish", headers=world.auth("viewer"), json={"licence": "CC0-1.0"})
    assert r.status_code == 403 and error_of(r)["code"] == "forbidden"
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG")
    ok = client.post("/api/verify?project=art", headers=world.auth("viewer"), files={"file": ("x.png", buf.getvalue())})
    assert ok.status_code == 200 and ok.json()["status"] == "no_manifest" and ok.json()["exit_code"] == 13
    outsider = client.post("/api/verify?project=art", headers=world.auth("outsider"), files={"file": ("x.png", b"x")})
    assert outsider.status_code == 404


def test_bad_publish_and_verify_requests_are_one_json_error(client: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0].id
    for body in ({"licence": "GPL"}, {"licence": "custom"}, {"training": "maybe"}, {"licence": "CC0-1.0", "colour": 1}):
        r = client.post(f"/api/versions/{v}/publish", headers=world.auth("editor"), json=body)
        assert 400 <= r.status_code < 500, (body, r.text)
        assert error_of(r)["code"] == "invalid_input", body
    assert client.get(f"/api/versions/{v}/publication", headers=world.auth("viewer")).json() == {
        "published": False, "publication": None}
    empty = client.post("/api/verify?project=art", headers=world.auth("viewer"), files={"file": ("x.png", b"")})
    assert empty.status_code == 400 and "empty" in error_of(empty)["message"]
    none = client.post("/api/verify?project=art", headers=world.auth("viewer"))
    assert 400 <= none.status_code < 500
