"""Jobs through the API: progress over the websocket, polling, cancel, failure, restart."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from duetto.api.app import create_app
from duetto.api.jobs import Broker, JobRunner
from tests.api.conftest import SMALL, World, build_world


def wait_for(client: TestClient, world: World, job: str, timeout: float = 30.0) -> dict[str, object]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        body = client.get(f"/api/jobs/{job}", headers=world.auth("editor")).json()
        if body["status"] not in ("queued", "running"):
            return body  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"job {job} did not finish")


def test_new_work_job_streams_progress_and_makes_four_versions(client: TestClient, world: World) -> None:
    r = client.post("/api/works", headers=world.auth("editor"),
                    json={"project": "art", "brief": "calm blue sea", "variants": 4, "seed": 3, "params": SMALL})
    assert r.status_code == 202
    job = r.json()["job"]
    runner = JobRunner(world.server, client.app.state.broker)  # type: ignore[attr-defined]
    with client.websocket_connect(f"/api/jobs/{job}/events?token={world.tokens['viewer']}") as ws:
        events = [ws.receive_json()]
        assert events[0]["status"] == "queued"
        runner.start()
        try:
            while events[-1]["status"] not in ("done", "failed", "cancelled"):
                events.append(ws.receive_json())
        finally:
            runner.stop()
    assert events[-1]["status"] == "done", events[-1]
    assert len(events[-1]["versions"]) == 4
    progress = [e["progress"] for e in events if e["status"] == "running"]
    assert len(progress) >= 4 and progress == sorted(progress) and progress[-1] == 1.0
    polled = client.get(f"/api/jobs/{job}", headers=world.auth("viewer")).json()
    assert polled["status"] == "done" and polled["result"]["versions"] == events[-1]["versions"]
    for vid in polled["result"]["versions"]:
        v = world.server.repo.version(vid)
        assert Image.open(world.server.blobs.path(v.sha256, v.ext)).size == (128, 128)
    credits = client.get(f"/api/works/{polled['result']['work']}/credits", headers=world.auth("viewer")).json()
    assert credits["people"] == ["user:editor"]


def test_websocket_refuses_strangers(client: TestClient, world: World) -> None:
    job = client.post("/api/works", headers=world.auth("editor"), json={"project": "art", "brief": "sea"}).json()["job"]
    with client.websocket_connect(f"/api/jobs/{job}/events?token={world.tokens['outsider']}") as ws:
        assert ws.receive_json()["error"]["code"] == "not_found"
    with client.websocket_connect(f"/api/jobs/{job}/events") as ws:
        assert ws.receive_json()["error"]["code"] == "unauthorized"


def test_cancel_a_queued_job_and_a_running_one(client: TestClient, world: World) -> None:
    body = {"project": "art", "brief": "sea", "variants": 3, "params": SMALL}
    queued = client.post("/api/works", headers=world.auth("editor"), json=body).json()["job"]
    r = client.post(f"/api/jobs/{queued}/cancel", headers=world.auth("editor"))
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    running = client.post("/api/works", headers=world.auth("editor"), json=body).json()["job"]
    record = world.server.jobs.claim()
    assert record is not None and record.id == running  # the cancelled one is never claimed
    client.post(f"/api/jobs/{running}/cancel", headers=world.auth("editor"))
    JobRunner(world.server, Broker()).run(record)
    done = world.server.jobs.get(running)
    kept = done.result["versions"]  # type: ignore[index]
    assert done.status == "cancelled" and len(kept) < 3  # stopped at its first progress report
    stored = [v.id for w in world.server.repo.works(world.project_id) for v in world.server.repo.versions_of(w.id)]
    assert stored == kept  # every finished variant is kept and listed; nothing else was made
    r = client.post(f"/api/jobs/{running}/cancel", headers=world.auth("editor"))
    assert r.status_code == 200  # again: harmless


def test_a_failing_operation_fails_its_job_with_the_error_code(client: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    client.delete(f"/api/versions/{v.id}", headers=world.auth("editor"))
    job = client.post(f"/api/versions/{v.id}/revise", json={"feedback": "warmer"},
                      headers=world.auth("editor")).json()["job"]
    record = world.server.jobs.claim()
    assert record is not None
    JobRunner(world.server, Broker()).run(record)
    failed = client.get(f"/api/jobs/{job}", headers=world.auth("editor")).json()
    assert failed["status"] == "failed" and failed["error"]["code"] == "conflict"


def test_jobs_survive_a_restart(tmp_path: Path) -> None:
    world = build_world(tmp_path / "studio")
    editor = world.server.accounts.user("editor")
    request = {"brief": "calm sea", "variants": 1, "seed": 1, "params": SMALL}
    died = world.server.jobs.enqueue(world.project_id, editor.id, "new", request).id
    world.server.jobs.claim()  # it was running when the old process died
    waiting = world.server.jobs.enqueue(world.project_id, editor.id, "new", request).id
    with TestClient(create_app(world.server.settings, server=world.server)) as client:
        assert wait_for(client, world, waiting)["status"] == "done"
        lost = client.get(f"/api/jobs/{died}", headers=world.auth("editor")).json()
        assert lost["status"] == "interrupted" and lost["error"]["code"] == "interrupted"
        r = client.post(f"/api/jobs/{died}/retry", headers=world.auth("editor"))
        assert r.status_code == 202
        again = wait_for(client, world, r.json()["job"])
        assert again["status"] == "done" and len(again["result"]["versions"]) == 1  # type: ignore[index, arg-type]
    world.server.close()
