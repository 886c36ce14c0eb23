"""Leaves, falling or scattered: pointed almond blades with a midrib, each turned in 3-D (its
width foreshortened by a random tilt), sized and hazed by depth and painted far → near so near
leaves overlap far ones. They drift downwind from where the tree (or bough) is.

The leaf's outline and the leaf colours live here; ``trees.py`` crowns its trees with them.

Line work (``Stage.lines``): a leaf big enough carries a midrib; fewer lines keeps it for the
biggest leaves only (none at all near 0), more lines gives smaller leaves theirs and adds the
stem and, on big leaves, side veins. Bigger shapes (``Stage.mass``): bigger leaves, fewer of them.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import BLOSSOM, FOLIAGE, Pen, Stage, rgba
from duetto.media.image.painter.palette import RGB, mix

LEAF_GROW = 0.5  # falling leaves scale by mass ** this (1.5 x mass: 1.22 x the leaf), 1 / mass² as many
RIB = 10.0  # leaf length (px) above which a leaf shows its midrib, at the default line amount

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


def _place(st: Stage, rng: np.random.Generator, n: int, source: tuple[float, float] | None,
           scattered: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Depth, x and y of ``n`` leaves."""
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
    return depth, x, y


def _size(st: Stage, depth: np.ndarray) -> np.ndarray:
    return st.m * (0.014 + 0.05 * (1 - depth) ** 1.5) * (0.6 + 0.8 * st.size("leaves")) * st.mass**LEAF_GROW


def paint_leaves(st: Stage, pen: Pen, source: tuple[float, float] | None) -> None:
    rng = st.rng
    n = st.count("leaves", 70)
    cols = foliage(st)
    scattered = st.variant("leaves") == "scattered"
    depth, x, y = _place(st, rng, n, source, scattered)
    size = _size(st, depth)
    order = np.argsort(-depth)
    looks = [(cols[int(rng.integers(len(cols)))], abs(np.cos(rng.uniform(0, np.pi))) * 0.8 + 0.2,
              rng.uniform(0, 2 * np.pi) if not scattered else rng.normal(0, 0.5)) for _ in order]
    want = round(n / st.mass**2)  # bigger shapes: fewer leaves, bigger; smaller: more, smaller
    leaves = [(float(depth[i]), float(x[i]), float(y[i]), float(size[i]), *looks[k])
              for k, i in enumerate(order.tolist()) if i < want]
    if want > n:  # the new ones from their own stream, so the first n stay where they were
        more = st.marks_rng("leaves")
        d2, x2, y2 = _place(st, more, want - n, source, scattered)
        for d, lx, ly, L in zip(d2.tolist(), x2.tolist(), y2.tolist(), _size(st, d2).tolist(), strict=True):
            leaves.append((d, lx, ly, L, cols[int(more.integers(len(cols)))],
                           abs(np.cos(more.uniform(0, np.pi))) * 0.8 + 0.2,
                           more.uniform(0, 2 * np.pi) if not scattered else more.normal(0, 0.5)))
        leaves.sort(key=lambda leaf: -leaf[0])
    rib_at = RIB / st.line_factor  # fewer lines: only the biggest leaves keep their rib
    grow = max(0.0, 2.0 * (st.lines - 0.5))  # more lines: stems, then side veins
    veins = st.marks_rng("veins")
    for d, lx, ly, L, col, tilt, angle in leaves:
        col = st.hazed(col, d, 0.6)
        if scattered:
            tilt *= 0.6
        Wd = L * 0.52 * tilt
        outline = leaf_shape(L, Wd, angle, lx, ly)
        pen.polygon(outline, rgba(col, 0.95))
        half = outline[:9]  # the lit half: a lighter wash on one side of the midrib
        pen.polygon(np.concatenate([half, [[lx, ly]]]), rgba(mix(col, (255, 246, 210), 0.25), 0.5))
        stem_u, vein_u = veins.random(2)
        if L > rib_at and st.lines > 0.05:
            c, s = np.cos(angle), np.sin(angle)
            ink = rgba(mix(col, (60, 30, 10), 0.45), 0.8)
            w = max(0.8, L * 0.04)
            back = 0.62 + (0.3 if stem_u < grow else 0.0)  # the stem runs on past the leaf's base
            pen.line(np.array([[lx - c * L * back, ly - s * L * back], [lx + c * L / 2, ly + s * L / 2]]), ink, w)
            if vein_u < grow and L > 2 * rib_at:
                for f in (-0.2, 0.1):  # two pairs of side veins, swept toward the tip
                    bx, by = lx + c * L * f, ly + s * L * f
                    for sgn in (-1, 1):
                        va = angle + sgn * 0.8
                        reach = Wd * 0.42
                        pen.line(np.array([[bx, by], [bx + np.cos(va) * reach, by + np.sin(va) * reach]]), ink, w * 0.8)
