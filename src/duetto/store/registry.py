"""The registry of published works, on one studio's ``Repository``: every published file by its
hashes and its perceptual key, so a file is found again when its manifest was stripped or it was
re-encoded (``rights.nearest`` searches the keys; ``rights.fingerprint`` makes them)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from pydantic import BaseModel
from sqlalchemy import or_, select

from duetto.rights.fingerprint import NUM_PERM, Fingerprint
from duetto.rights.nearest import Entry
from duetto.store.models import PublicationRow, RegistryRow
from duetto.store.repository import Repository


class RegisteredFile(BaseModel):
    ext: str
    sha256: str
    signed_sha256: str
    sidecar_sha256: str | None = None
    fingerprint: Fingerprint | None = None


class HashHit(BaseModel):
    publication: str
    version: str
    title: str
    ext: str
    layer: str  # "original" (the version's own bytes), "signed" or "sidecar"


def _pack(fp: Fingerprint | None) -> tuple[str | None, str | None, bytes | None, int]:
    if fp is None:
        return None, None, None, 0
    if fp.kind == "image":
        return fp.kind, f"{fp.phash or 0:016x}", None, 0
    return fp.kind, None, np.asarray(fp.minhash, dtype="<u4").tobytes(), fp.size


def _unpack(kind: str, phash: str | None, minhash: bytes | None, size: int) -> Fingerprint:
    if kind == "image":
        return Fingerprint(kind="image", phash=int(phash or "0", 16))
    values = np.frombuffer(minhash or b"", dtype="<u4")
    if len(values) != NUM_PERM:
        raise ValueError(f"a stored MinHash has {len(values)} values, not {NUM_PERM}")
    return Fingerprint(kind=kind, minhash=values.astype(int).tolist(), size=size)  # type: ignore[arg-type]


class Registry:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def add(self, publication_id: str, files: Iterable[RegisteredFile]) -> None:
        with self.repo.session() as s:
            for f in files:
                kind, phash, minhash, size = _pack(f.fingerprint)
                s.add(RegistryRow(publication_id=publication_id, ext=f.ext, sha256=f.sha256,
                                  signed_sha256=f.signed_sha256, sidecar_sha256=f.sidecar_sha256, kind=kind,
                                  phash=phash, minhash=minhash, shingles=size))

    def registered(self, publication_id: str) -> bool:
        with self.repo.session() as s:
            return s.scalar(select(RegistryRow.id).where(RegistryRow.publication_id == publication_id).limit(1)) is not None

    def by_hash(self, sha256: str) -> HashHit | None:
        """The published file with exactly these bytes, at whichever layer."""
        with self.repo.session() as s:
            found = s.execute(
                select(RegistryRow, PublicationRow.version_id, PublicationRow.title)
                .join(PublicationRow, PublicationRow.id == RegistryRow.publication_id)
                .where(or_(RegistryRow.sha256 == sha256, RegistryRow.signed_sha256 == sha256,
                           RegistryRow.sidecar_sha256 == sha256))
                .order_by(RegistryRow.id).limit(1)).first()
        if found is None:
            return None
        row, version, title = found
        layer = "signed" if row.signed_sha256 == sha256 else "sidecar" if row.sidecar_sha256 == sha256 else "original"
        return HashHit(publication=row.publication_id, version=version, title=title, ext=row.ext, layer=layer)

    def entries(self) -> list[Entry]:
        """Every perceptual key, one per publication and kind (its first file of that kind), for
        ``rights.nearest.Index``."""
        out: list[Entry] = []
        seen: set[tuple[str, str]] = set()
        with self.repo.session() as s:
            rows = s.execute(
                select(RegistryRow.publication_id, RegistryRow.kind, RegistryRow.phash, RegistryRow.minhash,
                       RegistryRow.shingles, PublicationRow.version_id, PublicationRow.title)
                .join(PublicationRow, PublicationRow.id == RegistryRow.publication_id)
                .where(RegistryRow.kind.is_not(None)).order_by(RegistryRow.id)).all()
        for pub, kind, phash, minhash, size, version, title in rows:
            if (pub, kind) in seen:
                continue
            seen.add((pub, kind))
            out.append(Entry(id=pub, title=title, source="registry", version=version,
                             fingerprint=_unpack(kind, phash, minhash, size)))
        return out
