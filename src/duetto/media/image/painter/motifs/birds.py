"""Birds: a loose flock of gull-wing strokes (the two-arc "m" that reads as a bird at any
size), gathered near a thirds point of the sky, smaller as they fly farther off.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import Pen, Stage, rgba
from duetto.media.image.painter.palette import mix


def paint_birds(st: Stage, pen: Pen, avoid: tuple[float, float] | None) -> None:
    rng = st.rng
    n = st.count("birds", 7)
    cx = st.position_x("birds", st.third_x(toward_subject=True))
    cy = st.horizon * rng.uniform(0.3, 0.5)
    if avoid is not None and abs(cx - avoid[0]) < st.width * 0.15:
        cx = st.width - cx
    ink = mix(st.light.shadow, (20, 20, 28), 0.5)
    for _ in range(n):
        depth = rng.uniform(0.1, 1.0)
        x = cx + rng.normal(0, st.width * 0.09) * (1 + depth)
        y = cy + rng.normal(0, st.height * 0.05) + depth * st.height * 0.03
        span = st.m * (0.012 + 0.05 * (1 - depth) ** 2) * (0.6 + 0.8 * st.size("birds"))
        flap = rng.uniform(-0.3, 0.6)
        t = np.linspace(-1, 1, 13)
        wing = np.abs(t) ** 0.8
        pts = np.stack([x + t * span, y - span * (0.42 * np.sin(np.abs(t) * np.pi) * (1 - flap)
                                               - 0.25 * wing * flap)], 1)
        pen.line(pts, rgba(st.hazed(ink, depth, 0.6), 0.9), max(1.0, span * 0.09))
