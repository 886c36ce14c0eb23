"""Trees and branches: recursive tapering limbs, crowned by the season.

A broadleaf tree forks two or three ways per level with shrinking, thinning limbs and carries
clusters of leaf dabs at its outer twigs (gold and red in autumn, fresh green in spring, none in
winter: bare twigs read as winter at a glance). A willow drops long swaying strands; a pine
holds flat tiers of needles; a blossom tree wears pink. Far trees are small and hazed.

The branches are the tree's line work (``Stage.lines``): fewer lines prunes the fine branches,
each with the leaves it holds, so the tree reads simpler; more lines adds bare sprigs off the
fine limbs. Crown leaves take the stage's ``mass``: bigger and fewer, or smaller and more.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.canvas import ribbon
from duetto.media.image.painter.motifs.leaves import foliage, leaf_shape
from duetto.media.image.painter.motifs.stage import Pen, Stage, rgba
from duetto.media.image.painter.palette import RGB, mix

FINE = 2  # the last levels of a tree that thinning takes from (the twigs and what holds them)
PRUNE_LINES = 0.85  # x sqrt(0.5 - line.amount): share of fine branches pruned ("fewer lines" 0.35: 33 %, 0.2: 47 %)
LINES_CURVE = 0.5
PRUNE_SIZE = 1.45  # x sqrt(shape_size - 0.5), at most BROADEST: bigger shapes prune a steep share first (0.65: 56 %)
BROADEST = 0.6  # the most of the fine branches bigger shapes prune: the bough stays a bough
GROW = 6.0  # share of twig tips that fork once more per unit of shape_size below 0.5 (0.35: 90 %): finer detail
GROW_LEN = (1.1, 1.4)  # length of the twigs a tip grows for smaller shapes, in tip lengths
SPRIGS = 5  # bare sprigs a fine limb can grow; "more lines" grows them, all at line.amount 1
SPRIG_LEN = (0.5, 1.0)  # their length, in lengths of the limb they grow from
CROWN_GROW = 0.5  # crown leaves scale by mass ** this (1.5 x mass: 1.22 x the leaf) ...
CROWN_FEW = 4.0  # ... and bigger shapes keep 1 / mass ** this of them (smaller ones add 1 / mass²)
CROWN_LEAST = 3  # leaves a cluster keeps however big the shapes
CROWN = 9  # leaves in a cluster at a twig tip


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
          depth: float, bend: float = 0.0, drawn: bool = True) -> np.ndarray:
    t = np.linspace(0, 1, 8)
    a = angle + bend * t
    steps = np.stack([np.cos(a), np.sin(a)], 1) * (length / 7)
    pts = p0 + np.concatenate([[[0, 0]], np.cumsum(steps[:-1], 0)])
    if drawn:
        pen.polygon(ribbon(pts, width * (1 - 0.35 * t)), rgba(bark(st, depth), 1.0))
    return pts[-1]


def _branch(st: Stage, pen: Pen, p0: np.ndarray, angle: float, length: float, width: float,
            level: int, levels: int, depth: float, leaves: bool, drawn: bool = True,
            rng: np.random.Generator | None = None) -> None:
    """One limb and, recursively, its forks. A branch left out (``drawn`` false: pruned for
    fewer lines or bigger shapes) still makes its random draws, so the branches and leaves
    after it stay where they were; twigs grown for smaller shapes draw from their own ``rng``."""
    grown = rng is not None
    rng = st.rng if rng is None else rng
    lean = 0.12 * st.wind * level / levels
    p1 = _limb(st, pen, p0, angle + lean, length, width, depth, rng.normal(0, 0.15), drawn)
    if level >= levels - 1:
        finer = st.marks_rng("growth").random() < GROW * (0.5 - st.spec.shape_size)
        if drawn and finer and not grown:  # smaller shapes: the tip forks once more, finer
            more = st.marks_rng("twigs")
            for off in (-0.4, 0.4):
                _branch(st, pen, p1, angle + off + more.normal(0, 0.15), length * more.uniform(*GROW_LEN),
                        width * 0.66, level + 1, levels + 1, depth, leaves, True, more)
        if drawn:
            _sprigs(st, pen, p0, p1, angle + lean, length, width, depth)
        if leaves:
            _crown(st, pen, p1, length * 1.3, depth, drawn, rng)
        return
    forks = 2 if rng.random() < 0.6 else 3
    spread = 0.45 + 0.25 * rng.random()
    simpler = PRUNE_LINES * max(0.0, 0.5 - st.lines) ** LINES_CURVE  # fewer lines: a simpler tree
    broader = min(BROADEST, PRUNE_SIZE * max(0.0, st.spec.shape_size - 0.5) ** 0.5)  # bigger shapes: broader masses
    for i in range(forks):
        off = (i / (forks - 1) - 0.5) * 2 * spread + rng.normal(0, 0.12)
        u = st.marks_rng("branches").random()
        pruned = level + 1 >= levels - FINE and u < max(simpler, broader)
        _branch(st, pen, p1, angle + off, length * rng.uniform(0.68, 0.82), width * 0.66,
                level + 1, levels, depth, leaves, drawn and not pruned, rng if grown else None)
    if drawn and level >= levels - 4:
        _sprigs(st, pen, p0, p1, angle + lean, length, width, depth)
    if leaves and level >= levels - 3:
        _crown(st, pen, p1, length * 0.9, depth, drawn, rng)


def _sprigs(st: Stage, pen: Pen, p0: np.ndarray, p1: np.ndarray, angle: float, length: float,
            width: float, depth: float) -> None:
    """More lines: bare sprigs off a limb, each forking once at its end. Every limb draws
    all ``SPRIGS`` from its own stream and paints those under the line amount, so more lines
    only ever adds sprigs to the ones already there."""
    rng = st.marks_rng("sprigs")
    grow = max(0.0, 2.0 * (st.lines - 0.5)) ** 0.75  # 0 at 0.5, 0.4 of them at 0.65, all at 1
    for _ in range(SPRIGS):
        u, f, side, off, ln, bend, fork = rng.random(7)
        if u >= grow:
            continue
        root = p0 + (p1 - p0) * (0.3 + 0.6 * f)
        a = angle + (1 if side < 0.5 else -1) * (0.5 + 0.6 * off)
        reach = length * (SPRIG_LEN[0] + (SPRIG_LEN[1] - SPRIG_LEN[0]) * ln)
        tip = _limb(st, pen, root, a, reach, max(width * 0.3, 0.6), depth, (bend - 0.5) * 0.6)
        for turn in (-0.45, 0.45):
            _limb(st, pen, tip, a + turn + (fork - 0.5) * 0.3, reach * 0.45, max(width * 0.2, 0.5), depth)


def _crown(st: Stage, pen: Pen, c: np.ndarray, r: float, depth: float, drawn: bool = True,
           rng: np.random.Generator | None = None) -> None:
    """A cluster of small leaves around a twig tip; the sunlit side lighter. Bigger shapes make
    the leaves bigger and fewer, smaller shapes smaller and more (drawn from their own stream)."""
    rng = st.rng if rng is None else rng
    lit, shade = _crown_colours(st, depth)
    pts = c + rng.normal(0, r * 0.5, (CROWN, 2))
    which = rng.integers(len(lit), size=CROWN)
    sizes = r * rng.uniform(0.28, 0.42, CROWN)
    turns = rng.uniform(0, np.pi, CROWN)
    if not drawn:
        return
    mass = st.mass
    want = max(CROWN_LEAST, round(CROWN / mass ** (CROWN_FEW if mass > 1 else 2.0)))  # bigger: fewer; smaller: more
    pts, which, sizes, turns = pts[:want], which[:want], sizes[:want] * mass**CROWN_GROW, turns[:want]
    if want > CROWN:  # the new ones from their own stream, so the first ones stay where they were
        more, extra = st.marks_rng("crowns"), want - CROWN
        pts = np.concatenate([pts, c + more.normal(0, r * 0.5, (extra, 2))])
        which = np.concatenate([which, more.integers(len(lit), size=extra)])
        sizes = np.concatenate([sizes, r * more.uniform(0.28, 0.42, extra) * mass**CROWN_GROW])
        turns = np.concatenate([turns, more.uniform(0, np.pi, extra)])
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
