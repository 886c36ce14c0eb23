"""Leaves, falling or scattered: pointed almond blades with a midrib, each turned in 3-D (its
width foreshortened by a random tilt), sized and hazed by depth and painted far → near so near
leaves overlap far ones. They drift downwind from where the tree (or bough) is.

The leaf's outline and the leaf colours live here; ``trees.py`` crowns its trees with them.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import BLOSSOM, FOLIAGE, Pen, Stage, rgba
from duetto.media.image.painter.palette import RGB, mix

_T = np.linspace(0, np.pi, 9)
_X = np.concatenate([np.cos(_T), np.cos(_T[::-1])[1:-1]])
UNIT = np.stack([_X, np.concatenate([np.sin(_T), -np.sin(_T[::-1])[1:-1]]) * (1 - 0.35 * _X**2)], 1)
"""A leaf of length 2 and width 2 (16, 2): two arcs meeting at a pointed tip and stem."""


def leaf_shape(length: float, width: float, angle: float, cx: float, cy: float) -> np.ndarray:
    """The unit leaf scaled to ``length`` x ``width``, turned by ``angle``, centred at (cx, cy)."""
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c * length / 2, s * length / 2], [-s * width / 2, c * width / 2]])
    return UNIT @ rot + (cx, cy)


def foliage(st: Stage) -> tuple[RGB, ...]:
    """Leaf colours: the colours the artist named (金色 → gold leaves) lead the season's own."""
    if st.variant("trees") == "blossom":
        return BLOSSOM
    named = tuple(c.rgb for c in st.spec.palette.colours)
    season = FOLIAGE["autumn" if st.has("leaves") and st.season == "summer" and named else st.season]
    out = named * 3 + season if named else season  # the named colour leads
    if st.light.time == "night":
        out = tuple(mix(c, st.light.top, 0.6) for c in out)
    elif st.light.time == "dusk":
        out = tuple(mix(c, (150, 60, 40), 0.2) for c in out)
    return out


def paint_leaves(st: Stage, pen: Pen, source: tuple[float, float] | None) -> None:
    rng = st.rng
    n = st.count("leaves", 70)
    cols = foliage(st)
    scattered = st.variant("leaves") == "scattered"
    depth = rng.uniform(0, 1, n) ** 0.8
    if scattered:  # lying on the ground: low in the picture, flattened by perspective
        y = st.horizon + (st.height - st.horizon) * (1 - depth) ** 0.7 * rng.uniform(0.85, 1.0, n)
        x = rng.uniform(0, st.width, n)
    elif source is not None:  # a plume drifting downwind and down from the crown
        t = rng.uniform(0, 1, n)
        x = source[0] + (st.wind * 0.55 - 0.1 * st.side) * st.width * t + rng.normal(0, st.width * 0.12, n)
        y = source[1] + (st.height - source[1]) * t + rng.normal(0, st.height * 0.06, n)
    else:
        x = rng.uniform(0.05, 0.95, n) * st.width
        y = rng.uniform(0.05, 0.92, n) * st.height
    size = st.m * (0.014 + 0.05 * (1 - depth) ** 1.5) * (0.6 + 0.8 * st.size("leaves"))
    order = np.argsort(-depth)
    for i in order.tolist():
        col = cols[int(rng.integers(len(cols)))]
        col = st.hazed(col, float(depth[i]), 0.6)
        tilt = abs(np.cos(rng.uniform(0, np.pi))) * 0.8 + 0.2
        if scattered:
            tilt *= 0.6
        angle = rng.uniform(0, 2 * np.pi) if not scattered else rng.normal(0, 0.5)
        L, Wd = size[i], size[i] * 0.52 * tilt
        outline = leaf_shape(L, Wd, angle, float(x[i]), float(y[i]))
        pen.polygon(outline, rgba(col, 0.95))
        half = outline[:9]  # the lit half: a lighter wash on one side of the midrib
        pen.polygon(np.concatenate([half, [[x[i], y[i]]]]), rgba(mix(col, (255, 246, 210), 0.25), 0.5))
        if L > 10:
            c, s = np.cos(angle), np.sin(angle)
            rib = np.array([[x[i] - c * L * 0.62, y[i] - s * L * 0.62], [x[i] + c * L / 2, y[i] + s * L / 2]])
            pen.line(rib, rgba(mix(col, (60, 30, 10), 0.45), 0.8), max(0.8, L * 0.04))
