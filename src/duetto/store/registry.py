"""The registry of published works, on one studio's ``Repository``: every published file by its
hashes and its perceptual key, so a file is found again when its manifest was stripped or it was
re-encoded (``rights.nearest`` searches the keys; ``rights.fingerprint`` makes them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import BaseModel
from sqlalchemy import or_, select

from duetto.rights.fingerprint import NUM_PERM, Fingerprint
from duetto.rights.nearest import Entry, Index
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

    def index(self, leave_out: set[str] = frozenset()) -> Index:  # type: ignore[assignment]
        """Every perceptual key, one per publication and kind (its first file of that kind), as
        a searchable ``Index``; publications of the versions in ``leave_out`` are not in it.
        Keys go from the rows' bytes to numpy blocks without an object per row, so a registry of
        100,000 works loads in well under a second (``benchmarks/bench_registry.py``)."""
        with self.repo.session() as s:
            rows = s.execute(
                select(RegistryRow.publication_id, RegistryRow.kind, RegistryRow.phash, RegistryRow.minhash,
                       PublicationRow.version_id, PublicationRow.title)
                .join(PublicationRow, PublicationRow.id == RegistryRow.publication_id)
                .where(RegistryRow.kind.is_not(None)).order_by(RegistryRow.id)).all()
        index = Index()
        seen: set[tuple[str, str]] = set()
        by_kind: dict[str, tuple[list[Entry], list[Any]]] = {"image": ([], []), "text": ([], []), "music": ([], [])}
        for pub, kind, phash, minhash, version, title in rows:
            if (pub, kind) in seen or version in leave_out or kind not in by_kind:
                continue
            seen.add((pub, kind))
            entries, keys = by_kind[kind]
            entries.append(Entry.model_construct(id=pub, title=title, source="registry", version=version))
            keys.append(int(phash or "0", 16) if kind == "image" else minhash)
        for kind, (entries, keys) in by_kind.items():
            if not entries:
                continue
            if kind == "image":
                packed = np.array(keys, dtype=np.uint64)
            else:
                packed = np.frombuffer(b"".join(keys), dtype="<u4").reshape(-1, NUM_PERM)
            index.extend(kind, entries, packed)  # type: ignore[arg-type]
        return index
