"""The acts the HTTP API reaches through the operations table, run for real by the job worker:
a region revise with a drawn mask, a restyle, a layout, a palette, a critique, a form check, a
new work whose medium is read from the brief. Each asserts on what came back."""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image

from tests.api.conftest import World, error_of


def wait(client: TestClient, world: World, job: str, timeout: float = 90.0) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        body = client.get(f"/api/jobs/{job}", headers=world.auth("editor")).json()
        if body["status"] not in ("queued", "running"):
            assert body["status"] == "done", body
            return body  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"job {job} did not finish")


def pixels(world: World, vid: str) -> np.ndarray:
    v = world.server.repo.version(vid)
    return np.asarray(Image.open(world.server.blobs.path(v.sha256, v.ext)).convert("RGB")).astype(int)


def post(client: TestClient, world: World, path: str, body: dict[str, Any], who: str = "editor") -> Any:
    return client.post(path, headers=world.auth(who), json=body)


def test_region_revise_with_a_drawn_mask_changes_only_the_region(live: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    mask = Image.new("L", (128, 128), 0)
    mask.paste(255, (0, 0, 64, 128))  # the left half
    buf = io.BytesIO()
    mask.save(buf, "PNG")
    upload = {"name": "mask.png", "data": base64.b64encode(buf.getvalue()).decode()}
    r = post(live, world, f"/api/versions/{v.id}/revise", {"feedback": "much warmer, more red", "mask": upload,
                                                           "feather": 0.0})
    assert r.status_code == 202, r.text
    child = wait(live, world, r.json()["job"])["result"]["versions"][0]
    a, b = pixels(world, v.id), pixels(world, child)
    assert (a[:, 70:] == b[:, 70:]).all()  # the right half is the parent's, exactly
    assert (b[:, :60, 0] - b[:, :60, 2]).mean() > (a[:, :60, 0] - a[:, :60, 2]).mean() + 5  # warmer where drawn
    bad = post(live, world, f"/api/versions/{v.id}/revise", {"feedback": "warmer", "mask": {"name": "m", "data": "%%"}})
    assert bad.status_code == 422 and error_of(bad)["code"] == "invalid_input"


def test_restyle_layout_and_palette_of_a_version(live: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    r = post(live, world, f"/api/versions/{v.id}/restyle", {"style": "mosaic", "strength": 0.9, "seed": 1})
    styled = wait(live, world, r.json()["job"])["result"]["versions"][0]
    assert np.abs(pixels(world, styled) - pixels(world, v.id)).mean() > 5
    r = post(live, world, f"/api/versions/{v.id}/layout", {"title": "海", "format": "card"})
    card = world.server.repo.version(wait(live, world, r.json()["job"])["result"]["versions"][0])
    assert card.operation == "layout" and Image.open(world.server.blobs.path(card.sha256, card.ext)).size == (1200, 630)
    r = post(live, world, f"/api/versions/{v.id}/recolour", {"harmony": "triadic"})
    recoloured = world.server.repo.version(wait(live, world, r.json()["job"])["result"]["versions"][0])
    chroma = [max(c.rgb) - min(c.rgb) for c in recoloured.spec.palette.colours]
    assert len(chroma) >= 3 and max(chroma) > 60, recoloured.spec.palette.colours  # not the pale ground's tints
    pal = post(live, world, "/api/palette", {"version": v.id, "k": 3}).json()
    assert pal["kind"] == "version" and len(pal["rows"][0]["swatches"]) == 3
    gold = post(live, world, "/api/palette", {"project": "art", "source": "gold", "harmony": "triadic"}, who="viewer")
    assert gold.status_code == 200 and [r["harmony"] for r in gold.json()["rows"]] == ["triadic"]
    nowhere = post(live, world, "/api/palette", {"source": "gold"})
    assert nowhere.status_code == 400 and "project" in error_of(nowhere)["message"]


def test_critique_and_form_check_answer_at_once(live: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    c = post(live, world, f"/api/versions/{v.id}/critique", {"lang": "en"}, who="viewer").json()
    assert c["medium"] == "painting" and c["suggestions"] and all(s["feedback"] for s in c["suggestions"][:1])
    ok = post(live, world, "/api/check", {"project": "art", "form": "五绝",
                                          "text": "移舟泊烟渚\n日暮客愁新\n野旷天低树\n江清月近人"}).json()
    assert ok["ok"] and ok["licences"][0]["kind"] == "te_shu" and ok["licences"][0]["line"] == 1
    broken = post(live, world, "/api/check", {"project": "art", "form": "五绝",
                                              "text": "系舟泊烟渚\n日暮客愁新\n野旷天低树\n江清月近人"}).json()
    assert not broken["ok"] and (broken["issues"][0]["line"], broken["issues"][0]["position"]) == (1, 4)


def test_a_new_work_reads_its_medium_from_the_brief(live: TestClient, world: World) -> None:
    r = post(live, world, "/api/works", {"project": "art", "brief": "an upbeat waltz for strings", "variants": 1,
                                         "seed": 4})
    done = wait(live, world, r.json()["job"], timeout=180)
    v = world.server.repo.version(done["result"]["versions"][0])
    assert v.spec.medium == "music" and v.ext == "mid" and v.info["metre"] == "3/4"
    assert any(n.startswith("medium: music") and "waltz" in n for n in done["result"]["notes"])
    refused = post(live, world, f"/api/versions/{v.id}/critique", {})
    assert refused.status_code == 400 and "music" in error_of(refused)["message"]


def test_a_web_request_names_a_diffusion_model_never_a_folder_of_the_server(live: TestClient, world: World) -> None:
    v = world.paint(variants=1).versions[0]
    job = post(live, world, f"/api/versions/{v.id}/diffuse", {"model": "/etc", "steps": 1}).json()["job"]
    end = time.monotonic() + 60
    while (body := live.get(f"/api/jobs/{job}", headers=world.auth("editor")).json())["status"] in ("queued", "running"):
        assert time.monotonic() < end
        time.sleep(0.05)
    assert body["status"] == "failed" and body["error"]["code"] == "invalid_input", body
    assert "not given as a folder" in body["error"]["message"]
    assert len(world.server.repo.versions_of(v.work_id)) == 1  # nothing stored
