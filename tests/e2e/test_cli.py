"""The CLI driven the way a person (or a script) would: real subprocesses, JSON parsed, files opened."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

pytestmark = pytest.mark.e2e

SEED_BRIEF = "一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感"
VERSION_KEYS = {"id", "path", "parents", "operation", "author", "spec", "timings"}


def duetto(home: Path, *args: str, check: bool = True, prefix: list[str] | None = None,
           timeout: float = 180) -> subprocess.CompletedProcess[str]:
    cmd = (prefix or []) + [sys.executable, "-m", "duetto", *args, "--home", str(home)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "DUETTO_USER": "ada"})
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}: {proc.stderr}")
    return proc


def as_json(home: Path, *args: str) -> dict[str, Any]:
    proc = duetto(home, *args, "--json")
    payload = json.loads(proc.stdout)  # exactly one JSON object
    for v in payload["versions"]:
        assert VERSION_KEYS <= set(v), f"{args}: version lacks {VERSION_KEYS - set(v)}"
        assert Path(v["path"]).is_absolute() and Path(v["path"]).exists()
    return payload


def fails(home: Path, *args: str, code: int | None = None, prefix: list[str] | None = None) -> str:
    proc = duetto(home, *args, check=False, prefix=prefix)
    assert proc.returncode != 0, f"{args} should fail: {proc.stdout}"
    if code is not None:
        assert proc.returncode == code, proc.stderr
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_the_whole_loop_through_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    made = as_json(home, "new", SEED_BRIEF, "--variants", "3", "--size", "160", "--seed", "3")
    drafts = made["versions"]
    assert len(drafts) == 3 and all(v["operation"] == "new" and v["parents"] == [] for v in drafts)
    with Image.open(made["contact_sheet"]) as sheet:
        assert sheet.format == "PNG"
    a, b, c = (v["id"] for v in drafts)

    warmer = as_json(home, "revise", a[:8], "更温暖一些，线条少一点")["versions"][0]
    # colour feedback on a painting is a grade of the picture: the palette the brief chose stays
    assert warmer["parents"] == [a] and warmer["spec"]["grade"]["warmth"] > 0
    assert warmer["spec"]["palette"] == drafts[0]["spec"]["palette"]
    assert warmer["spec"]["line"]["amount"] < drafts[0]["spec"]["line"]["amount"]
    calmer = as_json(home, "revise", b, "calmer, more blue, bigger shapes")["versions"][0]
    assert calmer["spec"]["energy"] < drafts[1]["spec"]["energy"]
    assert calmer["spec"]["shape_size"] > drafts[1]["spec"]["shape_size"]
    assert any(col["name"] == "blue" for col in calmer["spec"]["grade"]["tints"])

    varied = as_json(home, "vary", warmer["id"], "--variants", "2")
    assert [v["parents"] for v in varied["versions"]] == [[warmer["id"]]] * 2
    blended = as_json(home, "blend", warmer["id"], calmer["id"], "--t", "0.3")["versions"][0]
    assert blended["parents"] == [warmer["id"], calmer["id"]]
    bred = as_json(home, "breed", a, b, c, "--variants", "2")
    assert all(v["parents"] == [a, b, c] for v in bred["versions"])

    edit = tmp_path / "my_edit.png"
    with Image.open(warmer["path"]) as im:
        im.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(edit)
    imported = as_json(home, "import", warmer["id"], str(edit))["versions"][0]
    assert imported["author"] == "user:ada" and imported["operation"] == "import"

    tree = as_json(home, "tree", a)
    assert len(tree["versions"]) == 3 + 2 + 2 + 1 + 2 + 1
    shown = as_json(home, "show", warmer["id"])
    assert shown["recipe"]["engine"] == "painter" and shown["feedback"] == []
    diff = as_json(home, "diff", a, warmer["id"])
    assert "grade.warmth" in diff["spec_diff"] and "ancestor" in diff["relation"]
    replay = as_json(home, "replay", blended["id"])
    assert replay["identical"] is True
    credits = as_json(home, "credits", a)
    assert credits["human_operations"]["feedback"] == 2 and credits["human_operations"]["edit"] == 1
    out = tmp_path / "out"
    exported = as_json(home, "export", warmer["id"], str(out))["exported"]
    assert Path(exported["png"]).read_bytes() == Path(warmer["path"]).read_bytes()

    assert as_json(home, "rm", c)["versions"][0]["deleted"] is True
    human_tree = duetto(home, "tree", a).stdout
    assert "deleted" in human_tree and "更温暖一些" in human_tree
    assert as_json(home, "restore", c)["versions"][0]["deleted"] is False


def test_unknown_ambiguous_and_malformed_ids_fail_clearly(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    made = as_json(home, "new", "small test", "--variants", "17", "--size", "64")
    ids = [v["id"] for v in made["versions"]]
    firsts = [i[0] for i in ids]
    shared = next(ch for ch in firsts if firsts.count(ch) > 1)  # 17 ids, 16 hex digits
    assert "ambiguous" in fails(home, "show", shared, code=3)
    wrong = ids[0][:6] + ("0" if ids[0][6] != "0" else "1")
    line = fails(home, "show", wrong, code=3)
    assert "no version" in line and "did you mean" in line
    assert "hexadecimal" in fails(home, "revise", "not-an-id", "warmer")


def test_bad_input_is_refused_and_nothing_stored_is_lost(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    v = as_json(home, "new", "calm sea", "--variants", "1", "--size", "64")["versions"][0]
    other = as_json(home, "new", "storm", "--variants", "1", "--size", "64")["versions"][0]
    before = Path(v["path"]).read_bytes()

    assert "empty" in fails(home, "new", "  ", code=2)
    junk = tmp_path / "junk.png"
    junk.write_text("hello")
    assert "not an image" in fails(home, "import", v["id"], str(junk), code=2)
    assert "different works" in fails(home, "blend", v["id"], other["id"], code=2)
    assert "width" in fails(home, "new", "x", "--size", "5000", "--variants", "1")

    nonsense = as_json(home, "new", "xyzzy plugh", "--variants", "1", "--size", "64")
    assert nonsense["notes"]

    tree = as_json(home, "tree", v["id"])
    assert len(tree["versions"]) == 1
    assert Path(v["path"]).read_bytes() == before


def test_truncated_image_import_names_the_problem(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    v = as_json(home, "new", "calm sea", "--variants", "1", "--size", "128")["versions"][0]
    data = Path(v["path"]).read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(data[: len(data) * 2 // 3])
    line = fails(home, "import", v["id"], str(cut), code=2)
    assert "truncated" in line or "damaged" in line


def test_corrupt_database_fails_with_one_line_and_blobs_survive(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    v = as_json(home, "new", "calm sea", "--variants", "1", "--size", "64")["versions"][0]
    blob = Path(v["path"]).read_bytes()
    for side in ("studio.db-wal", "studio.db-shm"):
        (home / side).unlink(missing_ok=True)
    (home / "studio.db").write_bytes(b"this is not a database at all" * 100)
    line = fails(home, "tree", v["id"], code=5)
    assert "corrupt" in line
    assert Path(v["path"]).read_bytes() == blob


def _read_only_prefix(path: Path) -> list[str] | None:
    """Run as root, chmod does not stop writes: use a read-only bind mount in a private
    mount namespace instead. Returns the command prefix, or None where neither works."""
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        return None
    script = f'mount --bind "{path}" "{path}" && mount -o remount,ro,bind "{path}" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, "sh"]


def test_read_only_studio_fails_clearly_and_keeps_its_versions(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    v = as_json(home, "new", "calm sea", "--variants", "1", "--size", "64")["versions"][0]
    prefix = _read_only_prefix(home)
    if prefix is None:
        pytest.skip("cannot make a directory read-only for root here (no mount namespace)")
    if prefix == []:
        for p in [home, *home.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        line = fails(home, "new", "another", "--variants", "1", "--size", "64", prefix=prefix)
        assert "read-only" in line or "readonly" in line or "cannot" in line
    finally:
        for p in [home, *home.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    tree = as_json(home, "tree", v["id"])
    assert [x["id"] for x in tree["versions"]] == [v["id"]]


def _count_versions(db: Path) -> int:
    """Stored versions, read while the writer works (0 while the database is busy or new)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM versions").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_generation_keeps_finished_variants_whole(tmp_path: Path, sig: signal.Signals) -> None:
    home = tmp_path / "studio"
    as_json(home, "new", "first work", "--variants", "1", "--size", "64")  # create the studio
    proc = subprocess.Popen(
        [sys.executable, "-m", "duetto", "new", SEED_BRIEF, "--variants", "60", "--size", "1024",
         "--home", str(home)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell without job control starts background jobs with SIGINT ignored, and an ignored
        # signal survives exec: restore the default so Ctrl-C reaches duetto as it would at a prompt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 180
    while _count_versions(home / "studio.db") < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the generation finished before it could be interrupted"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    if sig == signal.SIGINT:
        assert "interrupted" in err and proc.returncode == 130

    with sqlite3.connect(home / "studio.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    works = as_json(home, "works")["works"]
    second = next(w for w in works if w["title"] != "first work")
    stored = as_json(home, "tree", second["id"])["versions"]
    assert 2 <= len(stored) < 60
    for v in stored:  # every stored variant is a whole, decodable picture
        with Image.open(v["path"]) as im:
            im.load()
            assert im.size == (1024, 1024)
    strays = [p for p in (home / "blobs").rglob("*") if p.is_file() and p.parent.name != "tmp"
              and p.suffix not in (".png", ".svg")]
    assert strays == []
    shutil.rmtree(home / "blobs" / "tmp", ignore_errors=True)
    assert as_json(home, "replay", stored[0]["id"])["identical"] is True


def test_check_explains_what_breaks_a_human_poem(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    good = tmp_path / "good.txt"
    good.write_text("白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。\n", encoding="utf-8")
    report = as_json(home, "check", str(good), "--form", "五绝")["report"]
    assert report["ok"] is True and report["issues"] == []
    bad = tmp_path / "bad.txt"
    bad.write_text("白日依山尽，黄河入海流。\n欲穷千里目，更上一层高。\n", encoding="utf-8")
    proc = duetto(home, "check", str(bad), "--form", "五绝", "--json", check=False)
    assert proc.returncode == 1
    issue = json.loads(proc.stdout)["report"]["issues"][0]
    assert (issue["line"], issue["position"], issue["char"]) == (4, 5, "高")
    assert "八绝" in fails(home, "check", str(good), "--form", "八绝", code=2)
    forms = json.loads(duetto(home, "forms", "--json").stdout)["forms"]
    assert {"七言绝句", "五言律诗", "如梦令"} <= {f["zh_name"] for f in forms}
