"""Shares and splits over HTTP: the table's generated routes, their 4xx on bad input, who may
read them, and the same split run as a queued job."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import World, error_of
from tests.api.test_jobs import wait_for


def test_shares_and_split_answer_from_the_lineage(client: TestClient, world: World) -> None:
    (v, _) = world.paint("editor").versions
    r = client.post(f"/api/versions/{v.id}/shares", headers=world.auth("viewer"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["payee"] for s in body["shares"]] == ["user:editor"] and body["shares"][0]["share"] == 1.0
    assert {e["kind"] for e in body["ledger"]} == {"brief", "generation"} and body["total_points"] == 7
    r = client.post(f"/api/versions/{v.id}/split", headers=world.auth("viewer"), json={"amount": "0.01", "currency": "usd"})
    assert r.status_code == 200 and r.json()["rows"] == [
        {"payee": "user:editor", "share": 1.0, "amount": "0.01", "minor_units": 1}]
    for bad in ({"amount": "1.001"}, {"amount": -1}, {"amount": "1", "currency": "EURO"}, {"amount": "1", "x": 1}):
        r = client.post(f"/api/versions/{v.id}/split", headers=world.auth("viewer"), json=bad)
        assert 400 <= r.status_code < 500 and error_of(r)["message"], (bad, r.text)
    assert client.post(f"/api/versions/{v.id}/shares", headers=world.auth("outsider")).status_code in (403, 404)


def test_a_split_runs_as_a_job_too(live: TestClient, world: World) -> None:
    (v, _) = world.paint("editor").versions
    editor = world.server.accounts.user("editor")
    job = world.server.jobs.enqueue(world.project_id, editor.id, "split",
                                    {"version": v.id, "amount": "99.99", "currency": "EUR"}).id
    live.app.state.runner.wake()
    done = wait_for(live, world, job)
    assert done["status"] == "done", done
    assert done["result"]["amount"] == "99.99" and done["result"]["rows"][0]["amount"] == "99.99"  # type: ignore[index]
