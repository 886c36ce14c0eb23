"""Restyling without a model: colour transfer, histogram matching and a palette gradient map.

All three work in CIELAB (``analyse.rgb_to_lab``) because it separates light from colour the way
eyes do, so moving a* b* recolours without flattening the drawing.

- ``colour_transfer`` (Reinhard et al. 2001): shift and scale each Lab channel so its mean and
  spread match the reference painting's. Keeps every local contrast; fast; gentle.
- ``histogram_match``: each Lab channel's whole distribution made the reference's (quantile
  mapping). Stronger than Reinhard: it also copies how light or dark the painting is overall.
- ``gradient_map``: a palette (a spec's colours, darkest to lightest) laid along the picture's
  lightness, like a print made with a few inks: shapes kept, colours only the palette's.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.analyse import lab_to_rgb, rgb_to_lab

QUANTILES = 256  # points of the quantile map: enough for smooth gradients, small to interpolate
EPS = 1e-6
SMOOTH = 3  # px radius of the smoothing of a histogram match's change


def colour_transfer(content: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """(H, W, 3) 0..1 content, (h, w, 3) reference → content with the reference's Lab statistics."""
    src, ref = rgb_to_lab(content), rgb_to_lab(reference).reshape(-1, 3)
    flat = src.reshape(-1, 3)
    mean, std = flat.mean(0), flat.std(0)
    out = (src - mean) / (std + EPS) * ref.std(0) + ref.mean(0)
    return lab_to_rgb(out)


def histogram_match(content: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Each Lab channel of the content remapped so its distribution is the reference's."""
    src, ref = rgb_to_lab(content), rgb_to_lab(reference).reshape(-1, 3)
    qs = np.linspace(0.0, 1.0, QUANTILES)
    out = np.empty_like(src)
    for c in range(3):
        s_q = np.quantile(src[..., c], qs)
        r_q = np.quantile(ref[:, c], qs)
        s_q = np.maximum.accumulate(s_q + np.arange(QUANTILES) * EPS)  # strictly increasing for interp
        out[..., c] = np.interp(src[..., c], s_q, r_q)
    # A flat area (a painted ground with film grain) has a steep map: its grain would be spread
    # over a wide range and turn to speckle. The *change* is smoothed instead, so edges keep their
    # place and grain keeps its size.
    return lab_to_rgb(src + _box_blur(out - src, SMOOTH))


def _box_blur(a: np.ndarray, radius: int) -> np.ndarray:
    """(H, W, C) mean over a (2r+1)² window, twice (close to a Gaussian); edges replicated."""
    for _ in range(2):
        for axis in (0, 1):
            pad = [(0, 0)] * a.ndim
            pad[axis] = (radius + 1, radius)
            c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis)
            n = a.shape[axis]
            a = (np.take(c, range(2 * radius + 1, 2 * radius + 1 + n), axis=axis)
                 - np.take(c, range(0, n), axis=axis)) / (2 * radius + 1)
    return a


def gradient_map(content: np.ndarray, palette_rgb: np.ndarray) -> np.ndarray:
    """The palette (k, 3) in 0..1, sorted dark to light, laid along the content's lightness.

    The content's L* is stretched between its 2nd and 98th percentiles so that a low-contrast
    picture still uses every ink; between stops colours are interpolated in Lab."""
    lab = rgb_to_lab(content)
    stops = rgb_to_lab(np.asarray(palette_rgb, np.float64))
    stops = stops[np.argsort(stops[:, 0], kind="stable")]
    lo, hi = np.percentile(lab[..., 0], [2, 98])
    t = np.clip((lab[..., 0] - lo) / max(hi - lo, EPS), 0.0, 1.0)
    at = np.linspace(0.0, 1.0, len(stops))
    out = np.stack([np.interp(t, at, stops[:, c]) for c in range(3)], -1)
    return lab_to_rgb(out)


def keep_colours(stylised: np.ndarray, content: np.ndarray) -> np.ndarray:
    """The stylised picture's lightness with the content's a* b*: brushwork, original colours."""
    lab_s, lab_c = rgb_to_lab(stylised), rgb_to_lab(content)
    return lab_to_rgb(np.concatenate([lab_s[..., :1], lab_c[..., 1:]], -1))
