"""Read the metadata header of a GGUF file, in plain Python.

Why not a library: we only need a handful of keys (``general.name``, the architecture, the chat
template) to check that a joined file is the model it claims to be, and the format is small:

    magic "GGUF" | u32 version | u64 tensor_count | u64 kv_count | kv_count × (key, type, value)

with little-endian numbers, strings as ``u64 length + UTF-8 bytes`` and arrays as ``u32 item type +
u64 count + items``. (Version 1 used u32 for the counts and lengths; we read only 2 and 3, which
is every file llama.cpp has written since 2023.)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from duetto.llm.errors import ModelCorrupt

MAGIC = b"GGUF"

# value type -> struct format of one item (strings and arrays are handled apart)
_SCALARS: dict[int, str] = {
    0: "<B",  # uint8
    1: "<b",  # int8
    2: "<H",  # uint16
    3: "<h",  # int16
    4: "<I",  # uint32
    5: "<i",  # int32
    6: "<f",  # float32
    7: "<?",  # bool
    10: "<Q",  # uint64
    11: "<q",  # int64
    12: "<d",  # float64
}
STRING = 8
ARRAY = 9

MAX_SMALL_ARRAY = 64
"""Arrays longer than this (the 150k-entry vocabulary) are summarised, not returned."""


@dataclass(frozen=True)
class ArraySummary:
    """Stands in for a long array: its item type and length, which is all a check needs."""

    item_type: int
    count: int


@dataclass(frozen=True)
class GGUFHeader:
    version: int
    tensor_count: int
    metadata: dict[str, Any]

    @property
    def name(self) -> str | None:
        value = self.metadata.get("general.name")
        return value if isinstance(value, str) else None

    @property
    def architecture(self) -> str | None:
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else None


class _NeedMore(Exception):
    """The buffer ended inside the header: read a bigger prefix of the file and start again."""


class _Reader:
    def __init__(self, buf: bytes, at_eof: bool) -> None:
        self.buf = buf
        self.pos = 0
        self.at_eof = at_eof

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.buf):
            if self.at_eof:
                raise ValueError("file ends inside the GGUF header (truncated?)")
            raise _NeedMore
        out = self.buf[self.pos : end]
        self.pos = end
        return out

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > 1 << 28:
            raise ValueError(f"implausible string length {n}")
        return self.take(n).decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        self.take(self.unpack("<Q"))

    def value(self, vtype: int) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == STRING:
            return self.string()
        if vtype == ARRAY:
            item_type = self.unpack("<I")
            count = self.unpack("<Q")
            if item_type == ARRAY:
                raise ValueError("nested arrays are not supported")
            if count <= MAX_SMALL_ARRAY:
                return [self.value(item_type) for _ in range(count)]
            if item_type in _SCALARS:
                self.take(count * struct.calcsize(_SCALARS[item_type]))
            elif item_type == STRING:
                for _ in range(count):
                    self.skip_string()
            else:
                raise ValueError(f"unknown array item type {item_type}")
            return ArraySummary(item_type, count)
        raise ValueError(f"unknown value type {vtype}")


def _parse(buf: bytes, at_eof: bool) -> GGUFHeader:
    r = _Reader(buf, at_eof)
    if r.take(4) != MAGIC:
        raise ValueError("not a GGUF file (bad magic)")
    version = r.unpack("<I")
    if version not in (2, 3):
        raise ValueError(f"unsupported GGUF version {version}")
    tensor_count = r.unpack("<Q")
    kv_count = r.unpack("<Q")
    if kv_count > 1 << 20:
        raise ValueError(f"implausible metadata count {kv_count}")
    metadata: dict[str, Any] = {}
    for _ in range(kv_count):
        key = r.string()
        metadata[key] = r.value(r.unpack("<I"))
    return GGUFHeader(version=version, tensor_count=tensor_count, metadata=metadata)


def read_header(path: Path, *, max_bytes: int = 256 << 20) -> GGUFHeader:
    """The version, tensor count and metadata of a GGUF file; ``ModelCorrupt`` if it is not one.

    Reads a prefix of the file (the header of a 1.5B model is ~6 MB, mostly vocabulary) and
    doubles it when the header runs on, up to ``max_bytes``.
    """
    size = path.stat().st_size
    chunk = 8 << 20
    with path.open("rb") as f:
        while True:
            f.seek(0)
            buf = f.read(min(chunk, size))
            try:
                return _parse(buf, at_eof=len(buf) >= size)
            except _NeedMore:
                if chunk >= max_bytes:
                    raise ModelCorrupt(
                        f"{path}: GGUF header is larger than {max_bytes} bytes", hint="is it a GGUF file?"
                    ) from None
                chunk *= 2
            except (ValueError, struct.error) as exc:
                raise ModelCorrupt(f"{path}: {exc}") from None
