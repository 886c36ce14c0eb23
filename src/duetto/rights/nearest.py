"""Nearest works by perceptual key, over a whole registry at once.

The keys of every registered work sit in numpy arrays: pictures' pHashes in one ``uint64``
vector, texts' and music's MinHash signatures in one ``(n, 128)`` ``uint32`` matrix per kind.

* Pictures: one vectorised pass of XOR and popcount over every work: the true nearest, always.
* Texts and music: a first pass compares only the first 16 MinHash values of every work (an
  eighth of the bytes) and keeps the works that share at least 2 of them; the full 128 are then
  compared on those alone. A work at Jaccard 0.5 shares fewer than 2 of 16 with probability
  17/65536, one at 0.3 with 0.026, so near duplicates are found; a work sharing almost nothing
  (J < 0.1, an unrelated text) is usually not returned at all, which is what a near-duplicate
  check wants. ``benchmarks/bench_registry.py`` times both at 100,000 works.

Near-duplicate thresholds, and why:

* pictures: at most 10 of 64 bits apart. Measured on 12 paintings of 4 briefs at 512²: a JPEG at
  quality 80, a 50 % resize, or both at quality 60 moved 0–6 bits; cutting 5 % off two edges moved
  6–16 (so a crop is caught only sometimes); siblings of one brief were 22–36 apart, and no two of
  the 12 came closer than 22.
* texts and music: estimated Jaccard ≥ 0.5 of shingles: half the 3-token runs shared. A 七绝 with
  its last line rewritten kept 0.59, an English sentence with its last clause changed 0.70; two
  different poems on the same season shared 0.0.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from duetto.rights.fingerprint import NUM_PERM, Fingerprint, Kind

IMAGE_NEAR_BITS = 10
HEAD, HEAD_AGREE = 16, 2  # the texts' first pass: 2 of the first 16 MinHash values
SHINGLE_NEAR = 0.5
Source = Literal["registry", "poetry corpus", "import"]


class Entry(BaseModel):
    id: str  # a publication id, a corpus id, a version id
    title: str
    source: Source
    version: str | None = None


class Match(BaseModel):
    id: str
    title: str
    source: Source
    version: str | None
    kind: Kind
    distance: float = Field(description="0 = the same work; pictures: differing bits / 64, texts and music: "
                                        "1 - estimated Jaccard of shingles")
    near: bool = Field(description="within the near-duplicate threshold of its kind")


_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def popcount64(x: np.ndarray) -> np.ndarray:
    """Set bits of each uint64, by a byte lookup (numpy 2.x's bitwise_count where it exists)."""
    counter = getattr(np, "bitwise_count", None)
    if counter is not None:
        return counter(x).astype(np.int64)
    return _POPCOUNT[x.view(np.uint8).reshape(-1, 8)].sum(axis=1).astype(np.int64)


class Index:
    """An append-only set of works and their keys, searched by kind. Keys are kept packed
    (``uint64`` pHashes, ``(n, 128)`` ``uint32`` MinHashes) in chunks that are stacked on the
    first search after an addition: adding n works one by one and then searching costs one stack.
    ``extend`` takes a whole packed block, which is how the registry loads its rows."""

    def __init__(self) -> None:
        self._entries: dict[Kind, list[Entry]] = {"image": [], "text": [], "music": []}
        self._chunks: dict[Kind, list[np.ndarray]] = {"image": [], "text": [], "music": []}
        self._arrays: dict[Kind, np.ndarray | None] = {"image": None, "text": None, "music": None}
        self._heads: dict[Kind, np.ndarray] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._entries.values())

    def count(self, kind: Kind) -> int:
        return len(self._entries[kind])

    def add(self, entry: Entry, key: Fingerprint) -> None:
        if key.kind == "image":
            packed = np.array([key.phash or 0], dtype=np.uint64)
        else:
            packed = np.asarray(key.minhash, dtype=np.uint32).reshape(1, NUM_PERM)
        self.extend(key.kind, [entry], packed)

    def extend(self, kind: Kind, entries: list[Entry], keys: np.ndarray) -> None:
        shape = (len(entries),) if kind == "image" else (len(entries), NUM_PERM)
        if keys.shape != shape:
            raise ValueError(f"{len(entries)} {kind} entries need keys of shape {shape}, not {keys.shape}")
        self._entries[kind].extend(entries)
        self._chunks[kind].append(keys.astype(np.uint64 if kind == "image" else np.uint32, copy=False))
        self._arrays[kind] = None

    def keys(self, kind: Kind) -> np.ndarray:
        """Every key of ``kind``, stacked (built once after additions)."""
        arr = self._arrays[kind]
        if arr is None:
            chunks = self._chunks[kind]
            empty = np.empty((0,) if kind == "image" else (0, NUM_PERM), dtype=np.uint64 if kind == "image" else np.uint32)
            arr = np.concatenate(chunks) if chunks else empty
            self._chunks[kind] = [arr]
            if kind != "image":
                self._heads[kind] = np.ascontiguousarray(arr[:, :HEAD])
            self._arrays[kind] = arr
        return arr

    def distances(self, fp: Fingerprint) -> tuple[np.ndarray, np.ndarray]:
        """(rows, distances): every picture, or the texts / music that pass the first pass."""
        arr = self.keys(fp.kind)
        if fp.kind == "image":
            return np.arange(len(arr)), popcount64(arr ^ np.uint64(fp.phash or 0)) / 64.0
        query = np.asarray(fp.minhash, dtype=np.uint32)  # MinHash values are below 2**32
        rows = np.flatnonzero(np.count_nonzero(self._heads[fp.kind] == query[:HEAD], axis=1) >= HEAD_AGREE)
        return rows, 1.0 - np.count_nonzero(arr[rows] == query, axis=1) / NUM_PERM

    def nearest(self, fp: Fingerprint, k: int = 3) -> list[Match]:
        """The ``k`` closest works of the same kind, closest first (ties: the earlier entry)."""
        entries = self._entries[fp.kind]
        if not entries:
            return []
        rows, d = self.distances(fp)
        if not len(rows):
            return []
        k = min(k, len(d))
        top = np.argpartition(d, k - 1)[:k] if k < len(d) else np.arange(len(d))
        top = top[np.lexsort((rows[top], d[top]))]
        limit = IMAGE_NEAR_BITS / 64 if fp.kind == "image" else 1 - SHINGLE_NEAR
        out = []
        for j in top:
            e = entries[rows[j]]
            out.append(Match(id=e.id, title=e.title, source=e.source, version=e.version, kind=fp.kind,
                             distance=round(float(d[j]), 4), near=bool(d[j] <= limit + 1e-9)))
        return out
