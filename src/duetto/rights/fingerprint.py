"""What a work is, in a form that survives re-encoding: the registry's keys for near duplicates.

A signed manifest can be stripped and a PNG re-saved as JPEG, so the registry keeps, besides the
exact SHA-256 of every published file, one perceptual key per work:

* **pictures**: a 64-bit DCT perceptual hash (pHash, ``imagehash.phash``: the 8×8 lowest
  frequencies of a 32×32 grey thumbnail, each bit above or below their median). It survives JPEG
  re-compression and resizing (0–6 bits move, see ``nearest``); a crop of 5 % moves 6–16, and
  rotation or mirroring make another picture. Distance: differing bits (Hamming), 0..64.
* **texts**: a 128-permutation MinHash (``datasketch``) of the text's 3-token shingles, where a
  token is one CJK character or one Latin word after NFKC, lower case and punctuation removed. Two
  texts' MinHashes agree in a share of positions that estimates the Jaccard similarity of their
  shingle sets (±0.09 at 128 permutations, one standard deviation at J = 0.5).
* **music**: the same MinHash over 4-grams of the melody's pitch intervals (the highest note at
  each onset, every track), so a transposed copy is the same tune.

MinHash is seeded with one fixed seed: every studio computes the same signature for the same text,
so registries can be compared.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from duetto.errors import InvalidInput

Kind = Literal["image", "text", "music"]
NUM_PERM = 128
SEED = 20261207  # fixed forever: signatures are compared across studios and years
TEXT_SHINGLE, MUSIC_SHINGLE = 3, 4
TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\d_]+|\d+", re.UNICODE)


class Fingerprint(BaseModel):
    kind: Kind
    phash: int | None = Field(default=None, description="pictures: 64-bit pHash as an unsigned integer")
    minhash: list[int] | None = Field(default=None, description=f"texts and music: {NUM_PERM} MinHash values")
    size: int = Field(default=0, description="how many shingles (texts, music) the signature was made from")


def kind_of(ext: str) -> Kind:
    ext = ext.lower().lstrip(".")
    if ext in ("png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"):
        return "image"
    if ext in ("mid", "midi"):
        return "music"
    if ext in ("md", "txt", "fountain", "text"):
        return "text"
    raise InvalidInput(f"no perceptual key for .{ext} files", hint="pictures, texts and MIDI have one")


def of_bytes(data: bytes, ext: str) -> Fingerprint:
    kind = kind_of(ext)
    if kind == "image":
        return image(data)
    if kind == "music":
        return music(data)
    try:
        return text(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput(f"this .{ext} file is not UTF-8 text") from None


def image(data: bytes) -> Fingerprint:
    import imagehash
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            bits = imagehash.phash(im.convert("RGB")).hash.flatten()  # (64,) bool, row-major
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(f"not a readable picture: {exc}") from None
    return Fingerprint(kind="image", phash=int("".join("1" if b else "0" for b in bits), 2))


def tokens(content: str) -> list[str]:
    """CJK characters one by one, Latin words whole; case, width and punctuation folded away."""
    return TOKEN.findall(unicodedata.normalize("NFKC", content).lower())


def _minhash(shingles: set[bytes], kind: Kind) -> Fingerprint:
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch(sorted(shingles))
    values = [int(v) for v in m.hashvalues]
    assert max(values) < 2**32  # datasketch's hash range; the index keeps them as uint32
    return Fingerprint(kind=kind, minhash=values, size=len(shingles))


def text(content: str) -> Fingerprint:
    toks = tokens(content)
    if not toks:
        raise InvalidInput("this text has no words to fingerprint")
    n = min(TEXT_SHINGLE, len(toks))
    return _minhash({" ".join(toks[i:i + n]).encode() for i in range(len(toks) - n + 1)}, "text")


def melody(data: bytes) -> list[int]:
    """The highest pitch sounding at each onset, in time order, over every track of a MIDI file."""
    import mido

    try:
        midi = mido.MidiFile(file=io.BytesIO(data))
    except (OSError, EOFError, ValueError, KeyError, IndexError) as exc:
        raise InvalidInput(f"not a readable MIDI file: {exc}") from None
    top: dict[int, int] = {}
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0 and getattr(msg, "channel", 0) != 9:  # not drums
                top[tick] = max(top.get(tick, 0), msg.note)
    return [top[t] for t in sorted(top)]


def music(data: bytes) -> Fingerprint:
    pitches = melody(data)
    steps = [b - a for a, b in zip(pitches, pitches[1:], strict=False)]
    if len(steps) < MUSIC_SHINGLE:
        raise InvalidInput("this MIDI file has too few notes to fingerprint", hint=f"it needs {MUSIC_SHINGLE + 1}")
    n = MUSIC_SHINGLE
    return _minhash({",".join(map(str, steps[i:i + n])).encode() for i in range(len(steps) - n + 1)}, "music")


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def jaccard(a: list[int], b: list[int]) -> float:
    """MinHash estimate of the Jaccard similarity of two signatures' shingle sets."""
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))
