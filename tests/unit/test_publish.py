"""Publishing signs real files that c2pa's own Reader validates against the studio's anchors;
without them they read as untrusted, and one changed pixel, sample or line reads as invalid."""

from __future__ import annotations

import io
import json
import os
import stat
import wave

import c2pa
import pytest
from PIL import Image

from duetto.errors import Conflict, InvalidInput
from duetto.rights.identity import Identity
from duetto.spec import CreativeSpec
from duetto.store.publications import Publications, PublishedVersion
from duetto.studio import Studio, kernel, operations
from duetto.studio.kernel import Upload
from duetto.studio.publish import (
    PublishRequest,
    VerifyRequest,
    anchors_of,
    identity_of,
    publish,
    verify,
)

SMALL = {"width": 96, "height": 96}


def painting(studio: Studio) -> operations.Result:
    return operations.new(studio, operations.NewRequest(brief="calm blue sea at dawn", variants=1, seed=5, params=SMALL))


def poem_file(studio: Studio, text: str = "# 秋夜\n\n月落乌啼霜满天\n江枫渔火对愁眠\n") -> str:
    """A text work written by hand (no language model): one human version, Markdown."""
    work = studio.repo.create_work(studio.project_id, studio.user_id, "秋夜", "poem")
    v = kernel.human_version(studio, work_id=work.id, parents=[], operation="import", spec=CreativeSpec(brief="秋夜"),
                             data=text.encode("utf-8"), ext="md", mime="text/markdown", info={},
                             detail="wrote the poem by hand", brief="秋夜")
    return v.id


def reader(data: bytes, mime: str, anchors: str | None, sidecar: bytes | None = None) -> c2pa.Reader:
    settings = {"trust": {"user_anchors": anchors}} if anchors else {}
    return c2pa.Reader(mime, io.BytesIO(data), sidecar, context=c2pa.Context.from_dict(settings))


def signed(studio: Studio, result: object, ext: str) -> tuple[bytes, bytes | None]:
    f = next(f for f in result.publication.files if f.ext == ext)  # type: ignore[attr-defined]
    data = studio.blobs.read(f.signed_sha256, f.ext)
    side = studio.blobs.read(f.sidecar_sha256, f"{f.ext}.c2pa") if f.sidecar_sha256 else None
    return data, side


def test_published_png_is_trusted_by_c2pa_with_the_studio_anchors_and_untrusted_without(studio: Studio) -> None:
    v = painting(studio).versions[0]
    result = publish(studio, PublishRequest(version=v.id, licence="CC-BY-4.0", authors=["Ada Lovelace"]))
    data, side = signed(studio, result, "png")
    assert side is None and data != studio.path_of(v).read_bytes()
    assert Image.open(io.BytesIO(data)).convert("RGB").tobytes() == Image.open(studio.path_of(v)).convert("RGB").tobytes()
    trusted = reader(data, "image/png", anchors_of(studio))
    assert trusted.get_validation_state() == "Trusted"
    m = trusted.get_active_manifest()
    labels = {a["label"]: a["data"] for a in m["assertions"]}
    actions = labels["c2pa.actions.v2"]["actions"]
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["softwareAgent"]["name"] == "painter"
    assert actions[0]["digitalSourceType"].endswith("/algorithmicMedia")
    assert labels["stds.schema-org.CreativeWork"]["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert labels["stds.schema-org.CreativeWork"]["author"] == [{"@type": "Person", "name": "Ada Lovelace"}]
    assert labels["c2pa.training-mining"]["entries"]["c2pa.ai_training"]["use"] == "notAllowed"
    people = labels["org.duetto.contributions"]["people"]
    assert [p["name"] for p in people] == ["ada"] and labels["org.duetto.contributions"]["engines"][0]["name"] == "painter"
    assert m["signature_info"]["cert_serial_number"] == result.signer.serial
    untrusted = reader(data, "image/png", None)
    assert untrusted.get_validation_state() == "Valid"
    assert [f["code"] for f in untrusted.get_validation_results()["activeManifest"]["failure"]] == ["signingCredential.untrusted"]


def test_one_changed_pixel_makes_the_png_invalid(studio: Studio) -> None:
    v = painting(studio).versions[0]
    data, _ = signed(studio, publish(studio, PublishRequest(version=v.id)), "png")
    im = Image.open(io.BytesIO(data))
    # Rewrite the image data with one pixel changed, keeping every chunk (the manifest) as it was.
    pixels = im.convert("RGB")
    r, g, b = pixels.getpixel((10, 10))
    pixels.putpixel((10, 10), ((r + 1) % 256, g, b))
    out = _replace_png_pixels(data, pixels)
    assert reader(out, "image/png", anchors_of(studio)).get_validation_state() == "Invalid"
    verdict = verify(studio, VerifyRequest(file=Upload(name="x.png", data=out)))
    assert verdict.status == "invalid" and verdict.exit_code == 11
    assert any("mismatch" in f["code"] for f in verdict.failures)


def _replace_png_pixels(signed_png: bytes, image: Image.Image) -> bytes:
    """The signed PNG with its IDAT chunks replaced by those of ``image`` (same size and mode)."""
    import struct
    import zlib

    def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
        out, i = [], 8
        while i < len(data):
            n = struct.unpack(">I", data[i:i + 4])[0]
            out.append((data[i + 4:i + 8], data[i + 8:i + 8 + n]))
            i += 12 + n
        return out

    buf = io.BytesIO()
    image.save(buf, "PNG")
    new_idat = b"".join(body for kind, body in chunks(buf.getvalue()) if kind == b"IDAT")
    parts, done = [signed_png[:8]], False
    for kind, body in chunks(signed_png):
        if kind == b"IDAT":
            if done:
                continue
            body, done = new_idat, True
        parts.append(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    assert zlib.decompress(new_idat)  # a real image, not garbage
    return b"".join(parts)


def test_markdown_gets_a_sidecar_that_c2pa_validates_and_an_edited_line_breaks(studio: Studio) -> None:
    vid = poem_file(studio)
    result = publish(studio, PublishRequest(version=vid, licence="CC0-1.0", training="allowed"))
    data, side = signed(studio, result, "md")
    assert side is not None and data == studio.path_of(studio.version(vid)).read_bytes()  # the text is untouched
    assert reader(data, "application/octet-stream", anchors_of(studio), side).get_validation_state() == "Trusted"
    assert reader(data, "application/octet-stream", None, side).get_validation_state() == "Valid"
    edited = data.replace("江枫渔火".encode(), "江枫灯火".encode())
    assert reader(edited, "application/octet-stream", anchors_of(studio), side).get_validation_state() == "Invalid"
    ok = verify(studio, VerifyRequest(file=Upload(name="p.md", data=data), sidecar=Upload(name="p.md.c2pa", data=side)))
    assert ok.status == "trusted" and ok.exit_code == 0 and ok.publication is not None
    assert ok.actions[0].action == "c2pa.created" and ok.actions[0].source_type == "digitalCreation"
    assert ok.licence is not None and ok.licence["usageInfo"] == "CC0-1.0"
    bad = verify(studio, VerifyRequest(file=Upload(name="p.md", data=edited), sidecar=Upload(name="p.md.c2pa", data=side)))
    assert bad.status == "invalid"
    alone = verify(studio, VerifyRequest(file=Upload(name="p.md", data=data)))  # its sidecar left behind
    assert alone.status == "registered" and alone.exit_code == 14 and alone.publication is not None


def test_music_publishes_a_midi_sidecar_and_an_embedded_wav_whose_changed_sample_is_caught(studio: Studio) -> None:
    v = operations.new(studio, operations.NewRequest(brief="a calm folk tune", media=["music"], variants=1, seed=3)).versions[0]
    result = publish(studio, PublishRequest(version=v.id, licence="CC-BY-NC-SA-4.0"))
    names = {f.ext: f.embedded for f in result.publication.files}
    assert names["mid"] is False and names["musicxml"] is False and names["wav"] is True
    wav, side = signed(studio, result, "wav")
    assert side is None
    state = reader(wav, "audio/wav", anchors_of(studio))
    assert state.get_validation_state() == "Trusted"
    with wave.open(io.BytesIO(wav)) as w:  # still a WAV a player reads
        assert w.getnframes() > 0
    data_at = wav.index(b"data") + 8
    tampered = bytearray(wav)
    tampered[data_at + 1000] ^= 0x01
    assert reader(bytes(tampered), "audio/wav", anchors_of(studio)).get_validation_state() == "Invalid"
    mid, mside = signed(studio, result, "mid")
    assert reader(mid, "application/octet-stream", anchors_of(studio), mside).get_validation_state() == "Trusted"
    acts = verify(studio, VerifyRequest(file=Upload(name="x.wav", data=wav))).actions
    assert acts[0].by.startswith("composer") and acts[0].source_type == "algorithmicMedia"


def test_lineage_actions_ingredients_and_human_edits(studio: Studio) -> None:
    v = painting(studio).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=v.id, feedback="warmer")).versions[0]
    buf = io.BytesIO()
    Image.new("RGB", (96, 96), (200, 120, 40)).save(buf, "PNG")
    edit = operations.import_edit(studio, operations.ImportRequest(
        version=child.id, file=Upload(name="mine.png", data=buf.getvalue()))).versions[0]
    result = publish(studio, PublishRequest(version=edit.id))
    data, _ = signed(studio, result, "png")
    m = reader(data, "image/png", anchors_of(studio)).get_active_manifest()
    actions = next(a["data"]["actions"] for a in m["assertions"] if a["label"] == "c2pa.actions.v2")
    assert [a["action"] for a in actions] == ["c2pa.created", "c2pa.edited", "c2pa.edited"]
    assert [a["parameters"]["org.duetto.operation"] for a in actions] == ["new", "revise", "import"]
    assert actions[-1]["digitalSourceType"].endswith("/humanEdits")
    assert actions[1]["parameters"]["description"] == "warmer"
    assert [(i["title"], i["relationship"]) for i in m["ingredients"]] == [(f"{child.short}.png", "parentOf")]


def test_a_published_version_cannot_be_deleted_or_published_twice(studio: Studio) -> None:
    v = painting(studio).versions[0]
    publish(studio, PublishRequest(version=v.id))
    with pytest.raises(PublishedVersion, match="cannot be deleted") as caught:
        operations.remove(studio, operations.VersionRequest(version=v.id))
    assert caught.value.exit_code == 2 and caught.value.http_status == 409
    assert not studio.version(v.id).deleted
    with pytest.raises(Conflict, match="already published"):
        publish(studio, PublishRequest(version=v.id))
    assert len(Publications(studio.repo).of_version(v.id).files) == 1  # type: ignore[union-attr]


def test_bad_publish_requests_are_refused_before_anything_is_signed(studio: Studio) -> None:
    from pydantic import ValidationError

    v = painting(studio).versions[0]
    with pytest.raises(ValidationError, match="custom licence needs"):
        PublishRequest(version=v.id, licence="custom")
    with pytest.raises(ValidationError):
        PublishRequest(version=v.id, licence="GPL-3.0")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        PublishRequest(version=v.id, training="sometimes")  # type: ignore[arg-type]
    operations.remove(studio, operations.VersionRequest(version=v.id))
    with pytest.raises(Conflict, match="deleted"):
        publish(studio, PublishRequest(version=v.id))
    assert not identity_of(studio).exists() and Publications(studio.repo).of_version(v.id) is None
    with pytest.raises(InvalidInput, match="empty"):
        verify(studio, VerifyRequest(file=Upload(name="e.png", data=b"")))


def test_identity_keys_are_private_files_encrypted_with_the_passphrase(tmp_path: object) -> None:
    home = tmp_path / "s"  # type: ignore[operator]
    identity = Identity(home, passphrase="correct horse")
    state = identity.ensure()
    assert state.encrypted and len(state.certificates) == 2
    for c in state.certificates:
        key = identity.dir / c.key_file  # type: ignore[operator]
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        assert b"ENCRYPTED PRIVATE KEY" in key.read_bytes()
    assert stat.S_IMODE(os.stat(identity.dir).st_mode) == 0o700
    with pytest.raises(InvalidInput, match="wrong passphrase"):
        Identity(home, passphrase="wrong").signing_material()
    with pytest.raises(InvalidInput, match="no passphrase"):
        Identity(home).signing_material()
    chain, key, signer = identity.signing_material()
    assert chain.count("BEGIN CERTIFICATE") == 2 and "BEGIN PRIVATE KEY" in key


def test_rotation_keeps_old_works_verifying_and_revocation_is_reported(studio: Studio) -> None:
    first = painting(studio).versions[0]
    old = publish(studio, PublishRequest(version=first.id))
    old_png, _ = signed(studio, old, "png")
    identity = identity_of(studio)
    new = identity.rotate(root=True)
    assert new.serial != old.signer.serial and identity.state().cert(old.signer.serial).key_file is None
    assert verify(studio, VerifyRequest(file=Upload(name="a.png", data=old_png))).status == "trusted"
    second = operations.vary(studio, operations.VaryRequest(version=first.id, variants=1)).versions[0]
    fresh = publish(studio, PublishRequest(version=second.id))
    assert fresh.signer.serial == new.serial
    identity.revoke(old.signer.serial[:12], "laptop stolen")
    verdict = verify(studio, VerifyRequest(file=Upload(name="a.png", data=old_png)))
    assert verdict.status == "revoked" and verdict.exit_code == 12
    assert verdict.signer is not None and verdict.signer.revoked_reason == "laptop stolen" and verdict.signer.ours
    fresh_png, _ = signed(studio, fresh, "png")
    assert verify(studio, VerifyRequest(file=Upload(name="b.png", data=fresh_png))).status == "trusted"
    json.dumps(verdict.model_dump(mode="json"))  # the CLI's and the API's answer


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "GIF", "SVG", "MP3"])
def test_other_embedding_formats_sign_verify_and_catch_a_changed_byte(studio: Studio, fmt: str) -> None:
    from duetto.rights import provenance

    if fmt == "SVG":
        data, ext = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="red"/></svg>', "svg"
    elif fmt == "MP3":
        from duetto.media.music.audio import encode

        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
            w.writeframes(bytes((i * 37) % 256 for i in range(44100)))
        data, ext = encode(buf.getvalue(), "mp3"), "mp3"
    else:
        buf = io.BytesIO()
        Image.new("RGB", (32, 32), (30, 90, 160)).save(buf, fmt)
        data, ext = buf.getvalue(), {"JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}[fmt]
    identity = identity_of(studio)
    identity.ensure()
    chain, key, _ = identity.signing_material()
    definition = {"claim_generator_info": [{"name": "duetto", "version": "test"}], "title": f"x.{ext}",
                  "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [
                      {"action": "c2pa.created", "digitalSourceType": provenance.IPTC + "algorithmicMedia"}]}}]}
    out = provenance.sign(definition, data, ext, chain=chain, key=key)
    assert out.embedded
    assert provenance.read(out.data, anchors=anchors_of(studio)).state == "trusted"
    # a byte of the picture or sound itself, not of the manifest (WebP keeps its manifest after the image)
    at = {"SVG": out.data.find(b"fill="), "WEBP": out.data.find(b"VP8") + 30}.get(fmt, len(out.data) - 100)
    changed = bytearray(out.data)
    changed[at] ^= 0x01
    assert provenance.read(bytes(changed), anchors=anchors_of(studio)).state == "invalid"
