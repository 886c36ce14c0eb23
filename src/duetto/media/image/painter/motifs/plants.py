"""Grass and flowers: the foreground band that says "ground, near you".

Blades are thin tapering strokes leaning with the wind, taller in front; flowers are five-petal
rosettes on stems, in the artist's colours (or the season's), smaller toward the horizon.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import BLOSSOM, Pen, Stage, rgba
from duetto.media.image.painter.palette import RGB, mix

GRASS: dict[str, tuple[RGB, ...]] = {
    "autumn": ((176, 140, 60), (150, 110, 50), (196, 164, 84)),
    "winter": ((170, 160, 130), (140, 130, 110)),
    "spring": ((110, 170, 70), (140, 196, 90), (84, 140, 60)),
    "summer": ((60, 120, 50), (84, 146, 60), (40, 96, 44)),
}


def _grass_colours(st: Stage) -> tuple[RGB, ...]:
    cols = GRASS[st.season]
    if st.light.time in ("night", "dusk"):
        cols = tuple(mix(c, st.light.shadow, 0.55 if st.light.time == "night" else 0.35) for c in cols)
    return cols


def paint_grass(st: Stage, pen: Pen, top: float) -> None:
    """Blades are line marks: fewer lines leaves some out (their draws still made, so the rest
    stay put), more lines adds blades from their own stream, sorted in among the others."""
    rng = st.rng
    n = st.count("grass", 900 * st.scale + 100)
    cols = _grass_colours(st)
    keep, extra = st.line_marks("grass", n)
    more = st.marks_rng("grass")
    y = top + (st.height - top) * rng.uniform(0, 1, n) ** 0.6
    blades = sorted([(yi, k) for yi, k in zip(y.tolist(), keep.tolist(), strict=True)]
                    + [(yi, None) for yi in (top + (st.height - top) * more.uniform(0, 1, extra) ** 0.6).tolist()],
                    key=lambda b: b[0])
    for yi, kept in blades:
        r = rng if kept is not None else more
        near = (yi - top) / max(1.0, st.height - top)
        h = st.m * (0.02 + 0.12 * near ** 1.5) * r.uniform(0.5, 1.2)
        x = r.uniform(-10, st.width + 10)
        bend = (st.wind * 0.5 + r.normal(0, 0.25)) * h
        col = cols[int(r.integers(len(cols)))]
        if kept is False:
            continue
        t = np.linspace(0, 1, 6)[:, None]
        spine = np.concatenate([x + bend * t**2, yi - h * t], 1)
        w = (1.0 + 4.0 * near) * st.scale
        left = spine + np.array([-w / 2, 0]) * (1 - t)
        right = spine[::-1] + np.array([w / 2, 0]) * (1 - t[::-1])
        pen.polygon(np.concatenate([left, right]), rgba(st.hazed(col, 1 - near, 0.5), 0.9))


def flower_colours(st: Stage) -> tuple[RGB, ...]:
    named = tuple(c.rgb for c in st.spec.palette.colours)
    base = named or (BLOSSOM + ((250, 250, 245), (240, 200, 60), (200, 90, 140)))
    if st.light.time == "night":
        base = tuple(mix(c, st.light.top, 0.5) for c in base)
    return base


def paint_flowers(st: Stage, pen: Pen, top: float) -> None:
    rng = st.rng
    if st.variant("flowers") == "petals":  # blossom petals drift like leaves, small and pink
        n = st.count("flowers", 60)
        for _ in range(n):
            d = rng.uniform(0, 1)
            r = st.m * (0.004 + 0.01 * (1 - d))
            pen.ellipse(rng.uniform(0, st.width), rng.uniform(0, st.height), r, r * 0.6,
                        rgba(st.hazed(BLOSSOM[int(rng.integers(3))], d, 0.5), 0.85))
        return
    n = st.count("flowers", 40)
    cols = flower_colours(st)
    stem = mix((60, 110, 50), st.light.shadow, 0.3)
    ys = np.sort(top + (st.height - top) * rng.uniform(0.05, 1, n) ** 0.7)
    for yi in ys.tolist():
        near = (yi - top) / max(1.0, st.height - top)
        r = st.m * (0.004 + 0.022 * near ** 1.3) * (0.6 + 0.8 * st.size("flowers"))
        x = rng.uniform(0, st.width)
        h = r * rng.uniform(2.5, 5)
        fy = yi - h
        pen.line(np.array([[x, yi], [x + st.wind * r, fy]]), rgba(stem, 0.9), max(1.0, r * 0.18))
        col = cols[int(rng.integers(len(cols)))]
        rot = rng.uniform(0, np.pi)
        for k in range(5):
            a = rot + k * 2 * np.pi / 5
            pen.ellipse(x + st.wind * r + np.cos(a) * r * 0.6, fy + np.sin(a) * r * 0.5,
                        r * 0.55, r * 0.42, rgba(st.hazed(col, 1 - near, 0.4), 0.95))
        pen.ellipse(x + st.wind * r, fy, r * 0.3, r * 0.28, rgba((240, 200, 70), 1.0))
