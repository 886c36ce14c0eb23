"""Content-addressed files on disk: a blob's name is the sha256 of its bytes.

Writes go to a temp file in the same directory tree, are fsynced, then renamed into place, so a
crash (or kill -9) can leave a stray temp file but never a half-written blob under a real name.
Existing blobs are never rewritten: identical bytes are already there.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path

from duetto.errors import NotFound, StudioUnavailable

_STALE_TEMP_SECONDS = 3600


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def prepare(self) -> None:
        try:
            self.tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudioUnavailable(f"cannot create blob store at {self.root}: {exc.strerror}") from exc
        self._sweep_stale_temps()

    def path(self, sha256: str, ext: str) -> Path:
        return (self.root / sha256[:2] / f"{sha256}.{ext}").resolve()

    def put(self, data: bytes, ext: str) -> tuple[str, Path]:
        sha = hashlib.sha256(data).hexdigest()
        final = self.path(sha, ext)
        if final.exists() and final.stat().st_size == len(data):
            return sha, final
        temp = self.tmp / f"{sha[:16]}.{secrets.token_hex(6)}.part"
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, final)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise StudioUnavailable(
                f"cannot write to the studio at {self.root}: {exc.strerror or exc}",
                hint="is the directory read-only or the disk full?",
            ) from exc
        return sha, final

    def read(self, sha256: str, ext: str) -> bytes:
        path = self.path(sha256, ext)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"blob {sha256[:12]} is missing from {self.root}") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StudioUnavailable(f"blob {path} does not match its hash: the file was altered")
        return data

    def _sweep_stale_temps(self) -> None:
        """Temps older than an hour are leftovers of a killed write; young ones may be live."""
        cutoff = time.time() - _STALE_TEMP_SECONDS
        try:
            for temp in self.tmp.glob("*.part"):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink(missing_ok=True)
        except OSError:
            pass  # sweeping is housekeeping; a read-only studio still reads
