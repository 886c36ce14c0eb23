"""The registration dossier: a lineage of human and machine acts written up as JSON and a PDF
(read back with pypdf), over the CLI and HTTP."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from duetto.cli import app as cli
from duetto.studio import Studio, operations
from duetto.studio.dossier import DossierRequest, dossier, to_pdf
from duetto.studio.kernel import Upload
from duetto.studio.publish import PublishRequest, publish
from tests.api.conftest import World
from tests.unit.test_publish import painting
from tests.unit.test_registry import jpeg


def test_the_dossier_says_who_did_what_and_carries_the_hashes(studio: Studio) -> None:
    first = painting(studio).versions[0]
    warmer = operations.revise(studio, operations.ReviseRequest(version=first.id, feedback="更温暖一些")).versions[0]
    mine = operations.import_edit(studio, operations.ImportRequest(
        version=warmer.id, file=Upload(name="mine.jpg", data=jpeg(studio.blobs.read(warmer.sha256, "png"))))).versions[0]
    publish(studio, PublishRequest(version=mine.id, authors=["Ada Lin"], licence="CC-BY-NC-4.0"))
    d = dossier(studio, DossierRequest(version=mine.id))
    assert [s.operation for s in d.history] == ["new", "revise", "import"] and d.history[-1].kind == "human"
    assert d.people[0].name == "ada" and {"gave the brief", "gave feedback", "edited by hand"} <= set(d.people[0].roles)
    assert d.engines[0].name == "painter@1.0.0" and not d.engines[0].learned and d.engines[0].generations == 2
    assert "1 of the 3 versions are their own hand" in d.statement and "2 of the 3 versions were generated" in d.statement
    assert d.published and d.publication is not None and d.files[0]["signed_sha256"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(studio, d))).pages)
    text = "".join(text.replace("\x00", "").split())  # hashes wrap at the margin
    for needle in ("StatementofAIinvolvement", "AdaLin", "更温暖一些", mine.sha256, d.files[0]["signed_sha256"],
                   "c2pa.actions"):
        assert needle in text, needle


def test_dossier_from_the_cli_and_over_http(studio: Studio, tmp_path: Path, client: TestClient, world: World) -> None:
    v = painting(studio).versions[0]
    r = CliRunner().invoke(cli, ["dossier", v.short, "--out", str(tmp_path / "d"), "--home", str(studio.settings.home),
                                 "--json"], env={"DUETTO_USER": "ada", "DUETTO_PROJECT": "test"})
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert Path(got["files"]["pdf"]).read_bytes().startswith(b"%PDF")
    assert json.loads(Path(got["files"]["json"]).read_text())["published"] is False
    again = CliRunner().invoke(cli, ["dossier", v.short, "--out", str(tmp_path / "d"), "--home", str(studio.settings.home)],
                               env={"DUETTO_USER": "ada", "DUETTO_PROJECT": "test"})
    assert again.exit_code != 0 and "--force" in again.output
    w = world.paint("editor").versions[0]
    body = client.post(f"/api/versions/{w.id}/dossier", headers=world.auth("viewer")).json()
    assert body["history"][0]["operation"] == "new" and "Machine generation" in body["statement"]
    pdf = client.get(f"/api/versions/{w.id}/dossier.pdf", headers=world.auth("viewer"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert client.get(f"/api/versions/{w.id}/dossier.pdf", headers=world.auth("outsider")).status_code in (403, 404)
