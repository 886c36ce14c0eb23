"""An invisible watermark in a published picture: a second layer under the signed manifest.

A C2PA manifest is metadata: a re-save, a screenshot or a platform's upload pipeline drops it.
The watermark lives in the pixels: 64 bits (the first 16 hex digits of the version id) spread
over the picture's DWT–DCT coefficients and their singular values (invisible-watermark's
``dwtDctSvd``, MIT; it needs OpenCV and torch, so it is the optional ``duetto[watermark]``).

What it survives, measured here on painter pictures (``tests/unit/test_watermark.py``): a JPEG
re-encode at quality 80 reads back all 64 bits or all but one or two (``studio.registry`` matches
within 4 bits of a published id); a 50 % resize does not (the bits are tied to the
block grid), nor do crops or rotation. The registry's perceptual hash catches those, so the two
layers cover each other. Pictures smaller than 256 × 256 are not marked: too few blocks carry
64 bits reliably.
"""

from __future__ import annotations

import numpy as np

from duetto.errors import InvalidInput, Unavailable

METHOD = "dwtDctSvd"
BITS = 64
MIN_SIDE = 256


class WatermarkUnavailable(Unavailable):
    code = "watermark_unavailable"


def available() -> bool:
    try:
        import cv2  # noqa: F401
        import imwatermark  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """Refuse, with the install hint, when the watermark extra is missing."""
    if not available():
        raise WatermarkUnavailable("the invisible watermark needs the watermark extra",
                                   hint="pip install 'duetto[watermark]' (invisible-watermark, OpenCV, torch)")


def _bgr(data: bytes) -> np.ndarray:
    import cv2

    img = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        raise InvalidInput("not a picture the watermark can read")
    return img


def payload_of(version_id: str) -> bytes:
    return bytes.fromhex(version_id[:16])


def embed(data: bytes, ext: str, payload: bytes) -> bytes:
    """``data`` (a PNG, JPEG or WebP) with ``payload`` (8 bytes) in its pixels, same format."""
    require()
    import cv2
    from imwatermark import WatermarkEncoder

    if len(payload) * 8 != BITS:
        raise InvalidInput(f"a watermark carries {BITS // 8} bytes, not {len(payload)}")
    img = _bgr(data)
    if min(img.shape[:2]) < MIN_SIDE:
        raise InvalidInput(f"pictures under {MIN_SIDE}×{MIN_SIDE} are too small to carry a watermark")
    encoder = WatermarkEncoder()
    encoder.set_watermark("bytes", payload)
    marked = encoder.encode(img, METHOD)
    fmt = {"png": ".png", "jpg": ".jpg", "jpeg": ".jpg", "webp": ".webp"}.get(ext.lower())
    if fmt is None:
        raise InvalidInput(f"no watermark for .{ext} files", hint="pictures: png, jpg, webp")
    params = [cv2.IMWRITE_JPEG_QUALITY, 95] if fmt == ".jpg" else []
    ok, out = cv2.imencode(fmt, marked, params)
    if not ok:
        raise InvalidInput(f"could not write the watermarked {ext}")
    return bytes(out.tobytes())


def read(data: bytes) -> bytes | None:
    """The 8 bytes in a picture's pixels, or None when the picture is too small to hold them.
    Every picture decodes to *some* bits: whether they mean anything is for the caller to check
    (a version id the studio published)."""
    require()
    from imwatermark import WatermarkDecoder

    img = _bgr(data)
    if min(img.shape[:2]) < MIN_SIDE:
        return None
    return bytes(WatermarkDecoder("bytes", BITS).decode(img, METHOD))
