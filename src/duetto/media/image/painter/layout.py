"""Where the mass of a painting sits: ``spec.composition`` turned into points and angles.

Every style asks the same two questions (where do marks cluster, which way do they lean), so the
answers live here once instead of drifting apart in each style file.
"""

from __future__ import annotations

import numpy as np

from duetto.spec import Composition


def anchor_points(
    composition: Composition, rng: np.random.Generator, n: int, width: int, height: int,
    spread: float = 1.0,
) -> np.ndarray:
    """``n`` points (n, 2) distributed the way the composition asks; ``spread`` widens clusters.

    balanced: a main mass on a third-line and a smaller counterweight opposite (asymmetric
    balance, as a painter would weigh it); centered: around the middle; diagonal: along one
    diagonal; horizontal/vertical: a band; scattered: uniform; grid: a jittered lattice.
    """
    w, h = float(width), float(height)
    m = min(w, h)
    if composition == "centered":
        pts = rng.normal([w / 2, h / 2], 0.17 * m * spread, (n, 2))
    elif composition == "diagonal":
        t = rng.uniform(-0.05, 1.05, n)
        rising = rng.random() < 0.5
        y = (1 - t) * h if rising else t * h
        off = rng.normal(0, 0.11 * m * spread, n)
        pts = np.stack([t * w + off * 0.7, y + off * 0.7], axis=1)
    elif composition == "horizontal":
        horizon = h * rng.uniform(0.4, 0.62)
        pts = np.stack([rng.uniform(0, w, n), rng.normal(horizon, 0.12 * h * spread, n)], axis=1)
    elif composition == "vertical":
        axis = w * rng.uniform(0.4, 0.6)
        pts = np.stack([rng.normal(axis, 0.12 * w * spread, n), rng.uniform(0, h, n)], axis=1)
    elif composition == "scattered":
        pts = rng.uniform([0, 0], [w, h], (n, 2))
    elif composition == "grid":
        pts = lattice(rng, n, width, height, jitter=0.15)
    else:  # balanced
        focus = np.array([w * rng.choice([1 / 3, 2 / 3]), h * rng.choice([1 / 3, 2 / 3])])
        counter = np.array([w, h]) - focus
        which = rng.random(n)
        centres = np.where((which < 0.6)[:, None], focus, counter)
        sigma = np.where(which < 0.6, 0.16, 0.1)[:, None] * m * spread
        pts = centres + rng.normal(0, 1, (n, 2)) * sigma
        loose = which > 0.88
        pts[loose] = rng.uniform([0, 0], [w, h], (int(loose.sum()), 2))
    return np.clip(pts, [-0.02 * w, -0.02 * h], [1.02 * w, 1.02 * h])


def lattice(rng: np.random.Generator, n: int, width: int, height: int, jitter: float) -> np.ndarray:
    """About ``n`` points on a grid matching the canvas aspect, each nudged by ``jitter`` cells."""
    cols = max(1, round(np.sqrt(n * width / height)))
    rows = max(1, -(-n // cols))
    gx, gy = np.meshgrid((np.arange(cols) + 0.5) / cols, (np.arange(rows) + 0.5) / rows)
    pts = np.stack([gx.ravel() * width, gy.ravel() * height], axis=1)
    pts += rng.normal(0, jitter, pts.shape) * [width / cols, height / rows]
    return pts[:n] if len(pts) >= n else pts


def lean(composition: Composition, energy: float, rng: np.random.Generator) -> float:
    """Dominant direction in radians: calm work lies flat, energetic work tilts toward diagonals."""
    if composition == "horizontal":
        return float(rng.normal(0, 0.05 + 0.15 * energy))
    if composition == "vertical":
        return float(np.pi / 2 + rng.normal(0, 0.05 + 0.15 * energy))
    if composition == "diagonal":
        return float(rng.choice([-1, 1]) * np.pi / 4 + rng.normal(0, 0.1))
    tilt = energy**1.5 * np.pi / 4
    return float(rng.choice([-1, 1]) * tilt + rng.normal(0, 0.05))
