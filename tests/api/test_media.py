"""Music and text through the API: a music work, a music edit, and MIDI/text uploads sniffed
by their bytes."""

from __future__ import annotations

import io

import mido
from fastapi.testclient import TestClient

from duetto.api.jobs import Broker, JobRunner
from duetto.spec import CreativeSpec
from duetto.store.records import NewVersion
from duetto.store.repository import new_id
from tests.api.conftest import World, error_of

MUSIC = {"audio": "none", "score": False}


def run_next(world: World) -> None:
    record = world.server.jobs.claim()
    assert record is not None
    JobRunner(world.server, Broker()).run(record)


def finished(client: TestClient, world: World, job: str) -> dict[str, object]:
    body = client.get(f"/api/jobs/{job}", headers=world.auth("editor")).json()
    assert body["status"] == "done", body
    return body["result"]  # type: ignore[no-any-return]


def test_music_work_edit_and_midi_upload(client: TestClient, world: World) -> None:
    job = client.post("/api/works", headers=world.auth("editor"), json={
        "project": "art", "brief": "a calm waltz in G", "media": ["music"], "variants": 1, "seed": 5,
        "params": MUSIC}).json()["job"]
    run_next(world)
    (vid,) = finished(client, world, job)["versions"]  # type: ignore[misc]
    show = client.get(f"/api/versions/{vid}", headers=world.auth("viewer")).json()
    r = client.get(show["version"]["files"]["mid"], headers=world.auth("viewer"))
    assert r.headers["content-type"] == "audio/midi"
    bars_before = mido.MidiFile(file=io.BytesIO(r.content)).length
    job = client.post(f"/api/versions/{vid}/music", headers=world.auth("editor"),
                      json={"edit": {"op": "continue", "bars": 4}, "seed": 1}).json()["job"]
    run_next(world)
    (child,) = finished(client, world, job)["versions"]  # type: ignore[misc]
    got = client.get(f"/api/versions/{child}/files/mid", headers=world.auth("viewer")).content
    assert mido.MidiFile(file=io.BytesIO(got)).length > bars_before  # four more bars
    assert world.server.repo.version(child).parents == [vid]
    r = client.post(f"/api/versions/{vid}/import", headers=world.auth("editor"),
                    files={"file": ("mine.mid", b"RIFF not midi at all", "audio/midi")})
    assert r.status_code == 400 and "MIDI" in error_of(r)["message"]
    r = client.post(f"/api/versions/{vid}/import", headers=world.auth("editor"),
                    files={"file": ("../mine.mid", got, "application/octet-stream")})
    assert r.status_code == 201, r.text
    assert r.json()["version"]["info"]["source"] == "mine.mid" and r.json()["version"]["ext"] == "mid"


def test_text_upload_must_be_utf8(client: TestClient, world: World) -> None:
    """A poem version stored directly (the poet engine needs a language model, too slow here)."""
    owner = world.server.accounts.user("owner")
    work = world.server.repo.create_work(world.project_id, owner.id, "autumn moon", "poem")
    sha, _ = world.server.blobs.put("月落乌啼\n".encode(), "txt")
    vid = new_id()
    world.server.repo.add_version(NewVersion(
        id=vid, work_id=work.id, parents=[], operation="import", author="user:owner", author_kind="human",
        spec=CreativeSpec(medium="poem"), sha256=sha, ext="txt", mime="text/plain; charset=utf-8"))
    r = client.post(f"/api/versions/{vid}/import", headers=world.auth("editor"),
                    files={"file": ("poem.txt", "月光\n".encode("utf-16"), "text/plain")})
    assert r.status_code == 400 and "UTF-8" in error_of(r)["message"]
    r = client.post(f"/api/versions/{vid}/import", headers=world.auth("editor"),
                    files={"file": ("poem.png", "秋月照窗前\n清风入梦来\n".encode(), "image/png")})
    assert r.status_code == 201, r.text
    text = client.get(r.json()["version"]["files"]["txt"], headers=world.auth("viewer")).content.decode()
    assert text.startswith("秋月照窗前")
