"""Signing and reading C2PA manifests with c2pa-python (the c2pa-rs library in its wheel; offline).

Formats, as checked with c2pa-python 0.38.1 (c2pa-rs 0.91.3): the manifest is embedded in PNG,
JPEG, WebP, GIF, SVG, WAV and MP3, and a tampered pixel, sample or SVG attribute reads as
invalid. Every other file (Markdown, plain text, Fountain, PDF, MIDI, MusicXML) gets a sidecar:
the manifest store as its own ``.c2pa`` file, whose hard binding is a SHA-256 over the file's
bytes, so an edited line reads as invalid too. Sidecars are signed and read as
``application/octet-stream``: the bytes are hashed whole, whatever their container.

Signing uses the studio's leaf + root chain and its PKCS8 key, ES256, with no timestamp
authority (offline). Reading validates against the anchors it is given (``trust.user_anchors``);
a valid signature by a certificate outside them reads as ``Valid``, not ``Trusted``.
"""

from __future__ import annotations

import io
import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from duetto.errors import EngineFailure, InvalidInput

EMBEDDED: dict[str, str] = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp", "gif": "image/gif",
    "svg": "image/svg+xml", "wav": "audio/wav", "mp3": "audio/mpeg",
}
SIDECAR_FORMAT = "application/octet-stream"
SIDECAR_EXT = "c2pa"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"

State = Literal["trusted", "untrusted", "invalid", "no_manifest"]


class Ingredient(BaseModel):
    """A file the work was made from: its definition (title, relationship, label) and bytes."""

    definition: dict[str, Any]
    data: bytes
    ext: str


class Signed(BaseModel):
    data: bytes = Field(description="The file: with the manifest inside, or unchanged beside a sidecar.")
    sidecar: bytes | None = Field(None, description="The manifest store, for formats that cannot embed one.")

    @property
    def embedded(self) -> bool:
        return self.sidecar is None


class Reading(BaseModel):
    state: State
    embedded: bool = False
    manifest: dict[str, Any] | None = None
    results: dict[str, Any] | None = None
    failures: list[dict[str, str]] = Field(default_factory=list)
    note: str = ""


def embeds(ext: str) -> bool:
    return ext.lower() in EMBEDDED


def sniff(data: bytes) -> str | None:
    """The MIME type of an embeddable format from its first bytes, or None."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    text = data[:2048].lstrip().lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "image/svg+xml"
    return None


def _context(anchors: str = "", thumbnail: bool = False) -> Any:
    import c2pa

    settings: dict[str, Any] = {"builder": {"thumbnail": {"enabled": thumbnail}}}
    if anchors.strip():
        settings["trust"] = {"user_anchors": anchors}
    return c2pa.Context.from_dict(settings)


def sign(definition: dict[str, Any], data: bytes, ext: str, *, chain: str, key: str,
         ingredients: list[Ingredient] = (), thumbnail: bool = False) -> Signed:  # type: ignore[assignment]
    """``data`` signed with ``definition`` (claim_generator_info, title, assertions …), each
    ingredient added first; embedded where the format allows, else a sidecar."""
    import c2pa

    embed = embeds(ext)
    fmt = EMBEDDED[ext.lower()] if embed else SIDECAR_FORMAT
    try:
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain.encode("ascii"),
                                                           key.encode("ascii"), None))
        builder = c2pa.Builder.from_json(definition, context=_context(thumbnail=thumbnail))
        for ing in ingredients:
            builder.add_ingredient(ing.definition, EMBEDDED.get(ing.ext.lower(), SIDECAR_FORMAT), io.BytesIO(ing.data))
        if not embed:
            builder.set_no_embed()
        out = io.BytesIO()
        manifest = builder.sign(signer, fmt, io.BytesIO(data), out)
    except c2pa.C2paError as exc:
        raise EngineFailure(f"c2pa could not sign the {ext} file: {exc}") from None
    if embed:
        return Signed(data=out.getvalue())
    return Signed(data=data, sidecar=bytes(manifest))


def read(data: bytes, *, sidecar: bytes | None = None, anchors: str = "", mime: str | None = None) -> Reading:
    """The manifest of ``data`` (embedded, or in ``sidecar``) validated against ``anchors``."""
    import c2pa

    if not data:
        raise InvalidInput("the file is empty")
    fmt = SIDECAR_FORMAT if sidecar is not None else (mime or sniff(data))
    if fmt is None:
        return Reading(state="no_manifest", note="this format carries no embedded manifest: give its .c2pa sidecar")
    try:
        reader = c2pa.Reader(fmt, io.BytesIO(data), sidecar, context=_context(anchors))
        store = json.loads(reader.json())
    except c2pa.C2paError.ManifestNotFound:
        return Reading(state="no_manifest", note="no C2PA manifest in the file")
    except c2pa.C2paError.NotSupported:
        return Reading(state="no_manifest", note="this format carries no embedded manifest: give its .c2pa sidecar")
    except c2pa.C2paError as exc:  # a manifest is there but cannot be read: damaged or forged
        what = "sidecar" if sidecar is not None else "manifest"
        return Reading(state="invalid", embedded=sidecar is None,
                       failures=[{"code": "manifest.unreadable", "explanation": f"the {what} cannot be read: {exc}"}])
    active = store.get("active_manifest")
    manifest = store.get("manifests", {}).get(active) if active else None
    results = store.get("validation_results") or {}
    failures = [{"code": f.get("code", ""), "explanation": f.get("explanation", "")}
                for f in (results.get("activeManifest") or {}).get("failure", [])]
    state = {"Trusted": "trusted", "Valid": "untrusted"}.get(store.get("validation_state", ""), "invalid")
    if state == "untrusted" and any(f["code"] != "signingCredential.untrusted" for f in failures):
        state = "invalid"
    return Reading(state=state, embedded=sidecar is None, manifest=manifest, results=results,  # type: ignore[arg-type]
                   failures=failures)
