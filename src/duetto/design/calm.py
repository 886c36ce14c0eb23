"""Where a picture is calm: a busyness map for placing text.

Why this measure: text reads where the ground behind it is quiet — few edges, little texture,
one lightness. So busyness is local edge energy (the L* step to the neighbours, plus half the
chroma step, so a red leaf on an orange sky counts), averaged over a window about one line of
text high. It is in absolute units (ΔL* per analysis pixel), not normalised per picture, so a
picture that is calm everywhere stays calm and a busy one stays busy. A region's score adds
the spread of its lightness, because one text colour cannot read over both a bright sun and a
dark hill even when neither has edges.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from duetto.media.image.analyse import load_rgb, rgb_to_lab

MAP_SIDE = 192  # analysis long side: text blocks are tens of these pixels
WINDOW = 0.03  # averaging window, as a share of the long side (about one line of text)
SPREAD_WEIGHT = 0.08  # how much one unit of L* standard deviation counts against a region


def _box_blur(a: np.ndarray, r: int) -> np.ndarray:
    """Mean over a (2r+1)² window, edges clamped; summed-area table, O(pixels)."""
    if r <= 0:
        return a
    p = np.pad(a, r + 1, mode="edge")
    s = p.cumsum(0).cumsum(1)
    k = 2 * r + 1
    out = s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]
    return out[: a.shape[0], : a.shape[1]] / (k * k)


class CalmMap:
    """Busyness and lightness of a picture, read once, asked about many boxes."""

    def __init__(self, image: Image.Image | np.ndarray) -> None:
        lab = rgb_to_lab(load_rgb(image, side=MAP_SIDE))  # (H, W, 3)
        lum = lab[..., 0]
        chroma = np.linalg.norm(lab[..., 1:], axis=-1)
        edge = np.zeros_like(lum)
        for axis in (0, 1):
            d_l = np.abs(np.diff(lum, axis=axis))
            d_c = np.abs(np.diff(chroma, axis=axis))
            step = d_l + 0.5 * d_c
            if axis == 0:
                edge[:-1] = np.maximum(edge[:-1], step)
            else:
                edge[:, :-1] = np.maximum(edge[:, :-1], step)
        r = max(1, round(WINDOW * max(lum.shape)))
        self.busy = _box_blur(edge, r)  # (H, W) ΔL* per pixel
        self.lum = lum
        self.h, self.w = lum.shape

    def _cut(self, a: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
        x0, y0, x1, y1 = box
        i0, i1 = int(y0 * self.h), max(int(y0 * self.h) + 1, round(y1 * self.h))
        j0, j1 = int(x0 * self.w), max(int(x0 * self.w) + 1, round(x1 * self.w))
        return a[i0:i1, j0:j1]

    def score(self, box: tuple[float, float, float, float]) -> float:
        """How unsuitable a box (fractions x0, y0, x1, y1) is for text: 0 is a flat field.
        The mean busyness plus the 90th percentile (a calm box with one busy corner is still
        busy where the text is), plus the spread of lightness."""
        busy = self._cut(self.busy, box)
        lum = self._cut(self.lum, box)
        return float(busy.mean() + 0.5 * np.percentile(busy, 90) + SPREAD_WEIGHT * lum.std())

    def centre_of_interest(self) -> tuple[float, float]:
        """The busyness-weighted centre (fractions): where the picture's subject is."""
        w = self.busy + 1e-6
        ys, xs = np.mgrid[0:self.h, 0:self.w]
        return float((w * (xs + 0.5)).sum() / w.sum() / self.w), float((w * (ys + 0.5)).sum() / w.sum() / self.h)
