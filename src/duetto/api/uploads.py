"""Reading an upload safely: bounded size, the type told by the bytes (never the name), no
decompression bombs, and a client file name that is only ever a label."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import PurePosixPath

from fastapi import UploadFile
from PIL import Image, UnidentifiedImageError

from duetto.api.errors import TooLarge
from duetto.errors import InvalidInput

CHUNK = 64 * 1024
_UNSAFE = re.compile(r"[^\w .()+-]", re.UNICODE)


def label(filename: str | None) -> str:
    """The last component of the client's name, with odd characters replaced: a label, never a
    path (``../../x.png`` → ``x.png``)."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")[:100]
    return name or "upload"


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """At most ``limit`` bytes; one more and the upload is refused without reading the rest."""
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the upload is larger than {limit:,} bytes", hint="upload_max_bytes in the settings")
        parts.append(chunk)
    return b"".join(parts)


def check_image(data: bytes, max_pixels: int) -> None:
    """Pillow reads the header only here: the pixel count is checked before anything is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                width, height = im.size
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):
        raise InvalidInput("the upload is not an image duetto can read", hint="upload a PNG, JPEG or WebP") from None
    if width * height > max_pixels:
        raise InvalidInput(f"the image is {width}×{height} pixels; uploads are limited to {max_pixels:,} pixels")


def check_kind(data: bytes, parent_mime: str, parent_ext: str, max_pixels: int) -> None:
    """The upload must be what the parent is: text for text, MIDI for music, else an image."""
    if parent_mime.startswith("text/"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("the upload is not UTF-8 text") from None
    elif parent_ext in ("mid", "midi"):
        if not data.startswith(b"MThd"):
            raise InvalidInput("the upload is not a MIDI file (no MThd header)")
    else:
        check_image(data, max_pixels)
