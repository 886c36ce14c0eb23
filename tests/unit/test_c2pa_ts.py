"""Published files checked by a reader that shares no code with the signer: TrustNXT's pure
TypeScript c2pa-ts (npm @trustnxt/c2pa-ts 0.9.4, installed by ``make test``), run under node.

What it covers, as checked here: PNG and JPEG manifests read and their signature and hashes
validate (a changed byte of the pixels is a ``dataHash.mismatch``). It reads no WAV, WebP, GIF or sidecar, it
crashed on our MP3s, and it does not check the chain of trust (it reports any credential as
trusted), so trust is c2pa-rs's verdict alone (``test_publish``)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from duetto.rights import provenance
from duetto.studio import Studio
from duetto.studio.publish import PublishRequest, identity_of, publish
from tests.unit.test_publish import painting

MODULES = Path(os.environ.get("DUETTO_NPM_PREFIX", Path.home() / ".cache" / "duetto" / "npm")) / "node_modules"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "c2pa_ts_verify.mjs"


def c2pa_ts(path: Path) -> dict[str, object]:
    if shutil.which("node") is None or not (MODULES / "@trustnxt" / "c2pa-ts").is_dir():
        pytest.skip("node and @trustnxt/c2pa-ts are installed by `make test`")
    out = subprocess.run(["node", str(SCRIPT), str(MODULES), str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_an_independent_reader_validates_our_png_and_jpeg_and_catches_a_changed_pixel(studio: Studio,
                                                                                     tmp_path: Path) -> None:
    v = painting(studio).versions[0]
    f = next(f for f in publish(studio, PublishRequest(version=v.id)).publication.files if f.ext == "png")
    signed = tmp_path / "signed.png"
    signed.write_bytes(studio.blobs.read(f.signed_sha256, "png"))
    ok = c2pa_ts(signed)
    assert ok["format"] == "png" and ok["valid"] is True and "assertion.dataHash.match" in ok["codes"]  # type: ignore[operator]
    assert ok["actions"] == ["c2pa.created"]
    data = bytearray(signed.read_bytes())
    data[-20] ^= 0xFF  # one byte of the last image chunk
    tampered = tmp_path / "tampered.png"
    tampered.write_bytes(bytes(data))
    bad = c2pa_ts(tampered)
    assert bad["valid"] is False and "assertion.dataHash.mismatch" in bad["codes"]  # type: ignore[operator]

    chain, key, _ = identity_of(studio).signing_material()
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, "JPEG", quality=90)
    manifest = {"claim_generator_info": [{"name": "duetto-test", "version": "1"}], "title": "a.jpg",
                "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created",
                    "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/humanEdits"}]}}]}
    jpg = tmp_path / "signed.jpg"
    jpg.write_bytes(provenance.sign(manifest, buf.getvalue(), "jpg", chain=chain, key=key).data)
    read = c2pa_ts(jpg)
    assert read["format"] == "jpeg" and read["valid"] is True and read["actions"] == ["c2pa.created"]
