"""Trees and branches: recursive tapering limbs, crowned by the season.

A broadleaf tree forks two or three ways per level with shrinking, thinning limbs and carries
clusters of leaf dabs at its outer twigs (gold and red in autumn, fresh green in spring, none in
winter: bare twigs read as winter at a glance). A willow drops long swaying strands; a pine
holds flat tiers of needles; a blossom tree wears pink. Far trees are small and hazed.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.canvas import ribbon
from duetto.media.image.painter.motifs.leaves import foliage, leaf_shape
from duetto.media.image.painter.motifs.stage import Pen, Stage, rgba
from duetto.media.image.painter.palette import RGB, mix


def bark(st: Stage, depth: float) -> RGB:
    base = mix((70, 50, 38), st.light.shadow, 0.65 if st.light.time in ("night", "dusk") else 0.3)
    return st.hazed(base, depth)


def paint_tree(st: Stage, pen: Pen, x: float, y: float, height: float, depth: float,
               kind: str = "") -> None:
    kind = kind if kind not in ("", "forest") else ("bare" if st.season == "winter" else "broadleaf")
    if kind == "willow":
        _willow(st, pen, x, y, height, depth)
    elif kind == "pine":
        _pine(st, pen, x, y, height, depth)
    else:
        leaves = kind != "bare"
        rel = height / st.height  # small far trees need fewer forks to read as trees
        levels = (6 if rel > 0.3 else 5 if rel > 0.12 else 4) + (0 if leaves else 1)
        _branch(st, pen, np.array([x, y]), -np.pi / 2 + st.rng.normal(0, 0.05), height * 0.34,
                height * 0.06, 0, levels, depth, leaves)


def _limb(st: Stage, pen: Pen, p0: np.ndarray, angle: float, length: float, width: float,
          depth: float, bend: float = 0.0) -> np.ndarray:
    t = np.linspace(0, 1, 8)
    a = angle + bend * t
    steps = np.stack([np.cos(a), np.sin(a)], 1) * (length / 7)
    pts = p0 + np.concatenate([[[0, 0]], np.cumsum(steps[:-1], 0)])
    pen.polygon(ribbon(pts, width * (1 - 0.35 * t)), rgba(bark(st, depth), 1.0))
    return pts[-1]


def _branch(st: Stage, pen: Pen, p0: np.ndarray, angle: float, length: float, width: float,
            level: int, levels: int, depth: float, leaves: bool) -> None:
    rng = st.rng
    lean = 0.12 * st.wind * level / levels
    p1 = _limb(st, pen, p0, angle + lean, length, width, depth, rng.normal(0, 0.15))
    if level >= levels - 1:
        if leaves:
            _crown(st, pen, p1, length * 1.3, depth)
        return
    forks = 2 if rng.random() < 0.6 else 3
    spread = 0.45 + 0.25 * rng.random()
    for i in range(forks):
        off = (i / (forks - 1) - 0.5) * 2 * spread + rng.normal(0, 0.12)
        _branch(st, pen, p1, angle + off, length * rng.uniform(0.68, 0.82), width * 0.66,
                level + 1, levels, depth, leaves)
    if leaves and level >= levels - 3:
        _crown(st, pen, p1, length * 0.9, depth)


def _crown(st: Stage, pen: Pen, c: np.ndarray, r: float, depth: float) -> None:
    """A cluster of small leaves around a twig tip; the sunlit side lighter."""
    rng = st.rng
    lit, shade = _crown_colours(st, depth)
    n = 9
    pts = c + rng.normal(0, r * 0.5, (n, 2))
    which = rng.integers(len(lit), size=n)
    sizes = r * rng.uniform(0.28, 0.42, n)
    turns = rng.uniform(0, np.pi, n)
    for (x, y), i, s, a in zip(pts.tolist(), which.tolist(), sizes.tolist(), turns.tolist(), strict=True):
        col = lit[i] if (x - c[0]) * -st.side > 0 else shade[i]
        pen.polygon(leaf_shape(s, s * 0.5, a, x, y), col)


def _crown_colours(st: Stage, depth: float) -> tuple[list[tuple[int, int, int, int]], ...]:
    """Sunlit and shaded versions of the foliage colours at a depth (computed once per depth)."""
    key = round(depth, 2)
    cache = st.__dict__.setdefault("_crown_cache", {})
    if key not in cache:
        cols = foliage(st)
        cache[key] = (
            [rgba(st.hazed(mix(c, (255, 240, 200), 0.22), depth), 0.92) for c in cols],
            [rgba(st.hazed(mix(c, (30, 20, 20), 0.18), depth), 0.92) for c in cols],
        )
    return cache[key]


def _willow(st: Stage, pen: Pen, x: float, y: float, height: float, depth: float) -> None:
    """Trunk, a few limbs arching up and out, and a curtain of strands hanging from a dome."""
    rng = st.rng
    top = _limb(st, pen, np.array([x, y]), -np.pi / 2 + rng.normal(0, 0.08), height * 0.42,
                height * 0.07, depth, rng.normal(0, 0.2))
    green = mix((150, 176, 70), st.light.shadow, 0.5 if st.light.time in ("night", "dusk") else 0.15)
    tips = [_limb(st, pen, top, a + rng.normal(0, 0.1), height * rng.uniform(0.16, 0.24),
                  height * 0.018, depth, rng.normal(0, 0.3)) for a in (-2.7, -2.2, -0.95, -0.45)]
    crown_w, crown_h = height * 0.42, height * 0.2
    n = int((230 if depth < 0.5 else 40) * (0.6 + st.amount("trees")))
    for _ in range(n):
        u = rng.uniform(-1, 1)
        hx = top[0] + u * crown_w
        hy = top[1] - crown_h * np.sqrt(max(0.0, 1 - u * u)) * rng.uniform(0.6, 1.1)
        if rng.random() < 0.5:  # half the strands hang from the limbs, hiding them
            tip = tips[int(rng.integers(len(tips)))]
            f = rng.uniform(0.3, 1.0)
            hx, hy = top[0] + (tip[0] - top[0]) * f, top[1] + (tip[1] - top[1]) * f
            u = (hx - top[0]) / crown_w
        drop = height * rng.uniform(0.3, 0.7) * (1 - 0.4 * abs(u))
        t = np.linspace(0, 1, 12)
        arc = np.stack([hx + u * crown_w * 0.25 * t + st.wind * height * 0.14 * t**2,
                        hy - height * 0.04 * np.sin(t * np.pi) + drop * t], 1)
        col = mix(green, (214, 222, 120), rng.uniform(0, 0.45))
        pen.line(arc, rgba(st.hazed(col, depth), 0.7), max(1.0, height * 0.005))


def _pine(st: Stage, pen: Pen, x: float, y: float, height: float, depth: float) -> None:
    rng = st.rng
    top = _limb(st, pen, np.array([x, y]), -np.pi / 2, height, height * 0.04, depth,
                rng.normal(0, 0.15))
    green = mix((34, 72, 52), st.light.shadow, 0.4)
    snowy = st.has("snow") or st.season == "winter"
    tiers = 7
    for k in range(tiers):
        f = k / (tiers - 1)  # 0 bottom .. 1 top
        cy = y - height * (0.28 + 0.7 * f)
        cx = x + (top[0] - x) * (0.28 + 0.7 * f)
        w = height * (0.3 - 0.25 * f) * rng.uniform(0.8, 1.15)
        for _ in range(12):  # a drooping pad of needles, wider on the windward side
            u = rng.uniform(-1, 1)
            px = cx + u * w + st.wind * w * 0.3
            py = cy + abs(u) * height * 0.02 + rng.normal(0, height * 0.006)
            pen.ellipse(px, py, w * rng.uniform(0.2, 0.35), height * 0.018,
                        rgba(st.hazed(green, depth), 0.92))
        if snowy:
            pen.ellipse(cx, cy - height * 0.012, w * 0.8, height * 0.007,
                        rgba(st.hazed((245, 248, 252), depth * 0.5), 0.9))


def paint_bough(st: Stage, pen: Pen) -> None:
    """A branch reaching in from the top corner on the subject's side: where falling leaves or
    petals come from, and a frame for the sky."""
    rng = st.rng
    x0 = st.width * (1.02 if st.side > 0 else -0.02)
    p0 = np.array([x0, st.height * rng.uniform(0.04, 0.12)])
    angle = np.pi - 0.25 if st.side > 0 else 0.25
    _branch(st, pen, p0, angle, st.m * 0.16, st.m * 0.028, 2, 6, 0.0,
            st.season != "winter" or st.has("leaves"))
