"""Smooth noise in numpy: the raw material for flow fields, washes and paper grain.

Value noise made by upscaling a small random grid with Pillow's bicubic filter (C code), summed
over octaves. It is not Perlin's gradient noise, but at the scales we paint with the two are
indistinguishable, and this costs a few milliseconds instead of a per-pixel Python loop.
Every function takes the caller's ``numpy.random.Generator`` so results follow the seed.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def upscale(grid: np.ndarray, width: int, height: int) -> np.ndarray:
    """Bicubic resize of a float field to ``(height, width)``."""
    image = Image.fromarray(np.ascontiguousarray(grid, dtype=np.float32))
    return np.asarray(image.resize((width, height), Image.Resampling.BICUBIC), dtype=np.float32)


def smooth_noise(
    rng: np.random.Generator,
    height: int,
    width: int,
    feature: float,
    octaves: int = 1,
    persistence: float = 0.5,
    stretch: tuple[float, float] = (1.0, 1.0),
) -> np.ndarray:
    """Fractal value noise normalised to 0..1, shape ``(height, width)``.

    ``feature`` is the size in pixels of the coarsest blobs; each further octave halves it and
    weighs ``persistence`` times less. ``stretch=(sy, sx)`` elongates blobs (e.g. ``(1, 8)``
    gives horizontal streaks, as a loaded brush leaves).
    """
    out = np.zeros((height, width), np.float32)
    amplitude = 1.0
    for octave in range(max(1, octaves)):
        cell = max(1.5, feature / 2**octave)
        gh = int(np.ceil(height / (cell * stretch[0]))) + 2
        gw = int(np.ceil(width / (cell * stretch[1]))) + 2
        out += amplitude * upscale(rng.random((gh, gw), dtype=np.float32), width, height)
        amplitude *= persistence
    lo, hi = float(out.min()), float(out.max())
    return (out - lo) / max(hi - lo, 1e-6)


def noise_1d(rng: np.random.Generator, n: int, feature: float, octaves: int = 3) -> np.ndarray:
    """Smooth 1-D noise of length ``n`` in 0..1 (ridge lines, wave envelopes)."""
    return smooth_noise(rng, 1, n, feature, octaves)[0]


def sample(field: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bilinear lookup of ``field`` at float pixel coordinates (vectorised, clamped)."""
    h, w = field.shape
    x = np.clip(x, 0.0, w - 1.001)
    y = np.clip(y, 0.0, h - 1.001)
    x0 = x.astype(np.intp)
    y0 = y.astype(np.intp)
    fx = x - x0
    fy = y - y0
    top = field[y0, x0] * (1 - fx) + field[y0, x0 + 1] * fx
    bottom = field[y0 + 1, x0] * (1 - fx) + field[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3 - 2 * t)
