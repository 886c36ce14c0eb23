"""`duetto publish`, `duetto verify` and `duetto identity` as a person runs them: real files out,
verify's exit status per verdict, one error line and exit 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from duetto.cli import app

runner = CliRunner()


def run(*args: str, home: Path, code: int = 0) -> dict:
    result = runner.invoke(app, [*args, "--home", str(home), "--json"], env={"DUETTO_IDENTITY_PASSPHRASE": ""})
    assert result.exit_code == code, (args, result.output)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_publish_verify_rotate_revoke_end_to_end(tmp_path: Path) -> None:
    home, out = tmp_path / "studio", tmp_path / "out"
    made = run("new", "calm blue sea at dawn", "-n", "1", "--seed", "4", "--size", "96", home=home)
    v = made["versions"][0]["id"][:10]
    pub = run("publish", v, "--licence", "CC-BY-4.0", "--author", "Ada", "--training", "notAllowed", "--out", str(out),
              home=home)
    png = Path(pub["copied"]["png"])
    assert png.is_file() and pub["publication"]["licence"] == "CC-BY-4.0"
    assert (home / "identity" / "identity.json").is_file()

    ok = run("verify", str(png), home=home)
    assert ok["status"] == "trusted" and ok["actions"][0]["by"].startswith("painter")
    human = runner.invoke(app, ["verify", str(png), "--home", str(home)])
    assert human.exit_code == 0 and human.output.startswith("trusted:")

    tampered = tmp_path / "tampered.png"
    data = bytearray(png.read_bytes())
    data[-20] ^= 0xFF  # inside the last image data chunk or its checksum
    tampered.write_bytes(bytes(data))
    assert run("verify", str(tampered), home=home, code=11)["status"] == "invalid"

    plain = tmp_path / "plain.txt"
    plain.write_text("no manifest here\n", encoding="utf-8")
    assert run("verify", str(plain), home=home, code=13)["status"] == "no_manifest"

    other = tmp_path / "other"
    run("new", "a red square", "-n", "1", "--seed", "1", "--size", "64", home=other)
    assert run("verify", str(png), home=other, code=10)["status"] == "untrusted"  # another studio's anchors
    anchors = tmp_path / "anchors.pem"
    run("identity", "export", str(anchors), home=home)
    assert anchors.read_text(encoding="ascii").count("BEGIN CERTIFICATE") == 1

    refused = runner.invoke(app, ["rm", v, "--home", str(home)])
    assert refused.exit_code == 2 and "cannot be deleted" in refused.output

    shown = run("identity", "show", home=home)
    old = shown["current"]
    run("identity", "rotate", home=home)
    assert run("identity", "show", home=home)["current"] != old
    assert run("verify", str(png), home=home)["status"] == "trusted"  # rotated: old works still verify
    run("identity", "revoke", old[:12], "--reason", "key leaked", home=home)
    revoked = run("verify", str(png), home=home, code=12)
    assert revoked["status"] == "revoked" and revoked["signer"]["revoked_reason"] == "key leaked"


def test_text_publishes_with_a_sidecar_that_verify_finds_beside_it(tmp_path: Path) -> None:
    from duetto.settings import Settings
    from duetto.spec import CreativeSpec
    from duetto.studio import Studio, kernel

    home, out = tmp_path / "studio", tmp_path / "out"
    with Studio(Settings(home=home, user="ada", project="p")) as studio:
        work = studio.repo.create_work(studio.project_id, studio.user_id, "haiku", "poem")
        v = kernel.human_version(studio, work_id=work.id, parents=[], operation="import", spec=CreativeSpec(brief="x"),
                                 data=b"an old silent pond\na frog jumps into the pond\nsplash! silence again\n",
                                 ext="md", mime="text/markdown", info={}, detail="wrote it", brief="haiku")
    pub = run("publish", v.short, "--licence", "custom", "--licence-text", "Share with friends only.",
              "--format", "pdf", "--out", str(out), home=home)
    md, side = Path(pub["copied"]["md"]), Path(pub["copied"]["md.c2pa"])
    assert side.is_file() and "pdf.c2pa" in pub["copied"]
    ok = run("verify", str(md), home=home)  # the sidecar beside it is found
    assert ok["status"] == "trusted" and ok["sidecar"] == str(side)
    assert ok["licence"]["license"] == "Share with friends only."
    md.write_text(md.read_text(encoding="utf-8").replace("frog", "toad"), encoding="utf-8")
    assert run("verify", str(md), "--sidecar", str(side), home=home, code=11)["status"] == "invalid"


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    made = run("new", "calm sea", "-n", "1", "--seed", "4", "--size", "64", home=home)
    v = made["versions"][0]["id"][:10]
    for args in (["publish", v, "--licence", "GPL-3.0"], ["publish", v, "--licence", "custom"],
                 ["publish", v, "--training", "sometimes"], ["verify", str(tmp_path / "missing.png")],
                 ["identity", "revoke", "12"]):
        result = runner.invoke(app, [*args, "--home", str(home)])
        assert result.exit_code == 2 if args[0] != "identity" else result.exit_code in (2, 3), (args, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), (args, result.output)
