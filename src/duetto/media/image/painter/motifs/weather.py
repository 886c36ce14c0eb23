"""Weather: mist bands, rain, snow. Each touches the whole picture a little (rain greys the
light, snow whitens the ground), so they are painted near the end, over the motifs they veil.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import Pen, Stage, rgba
from duetto.media.image.painter.noise import smooth_noise, upscale
from duetto.media.image.painter.palette import mix


def paint_mist(st: Stage, levels: list[float]) -> None:
    """Soft horizontal veils at ``levels`` (y), thickest at the horizon, broken by noise."""
    w4, h4 = max(8, st.width // 4), max(8, st.height // 4)
    n = upscale(smooth_noise(st.rng, h4, w4, 40, 3, stretch=(1, 5)), st.width, st.height)
    colour = mix(st.light.haze, (236, 238, 240), 0.35 if st.light.time != "night" else 0.0)
    strength = 0.35 + 0.5 * st.amount("mist")
    a = np.zeros((st.height, st.width), np.float32)
    for y in levels:
        a = np.maximum(a, np.exp(-(((st.ys - y) / (st.height * 0.07)) ** 2)) * np.ones_like(st.xs))
    st.blend(np.clip(a * (0.45 + 0.7 * n) * strength, 0, 0.9), colour)


def rain_veil(st: Stage) -> None:
    """Rain lowers contrast: a grey veil over everything already painted."""
    grey = np.asarray(mix(st.light.haze, (150, 156, 164), 0.5), np.float32)
    st.rgb += (grey - st.rgb) * (0.18 + 0.15 * st.amount("rain"))


def paint_rain(st: Stage, pen: Pen) -> None:
    """Streaks are line marks: fewer lines leaves some out, more lines adds some (``line_marks``);
    the rain is painted last, so they come from and go to no other motif's draws."""
    rng = st.rng
    n = st.count("rain", 700 * st.scale + 80)
    slant = 0.15 + 0.35 * st.wind
    keep, extra = st.line_marks("rain", n)
    more = st.marks_rng("rain")
    x = np.concatenate([rng.uniform(-0.2 * st.width, 1.2 * st.width, n)[keep],
                        more.uniform(-0.2 * st.width, 1.2 * st.width, extra)])
    y = np.concatenate([rng.uniform(-0.05 * st.height, st.height, n)[keep], more.uniform(-0.05 * st.height, st.height, extra)])
    length = np.concatenate([st.m * rng.uniform(0.02, 0.07, n)[keep], st.m * more.uniform(0.02, 0.07, extra)])
    colour = mix(st.light.haze, (235, 238, 242), 0.6)
    for xi, yi, li in zip(x.tolist(), y.tolist(), length.tolist(), strict=True):
        near = li / (st.m * 0.07)
        pts = np.array([[xi, yi], [xi + slant * li, yi + li]])
        pen.line(pts, rgba(colour, 0.18 + 0.35 * near), (0.6 + 1.2 * near) * st.scale)


def paint_snow(st: Stage, pen: Pen) -> None:
    """Flakes at three depths: far ones small and faint, near ones large and soft."""
    rng = st.rng
    n = st.count("snow", 420 * st.scale + 60)
    depth = rng.uniform(0, 1, n) ** 0.7
    x = rng.uniform(0, st.width, n)
    y = rng.uniform(0, st.height, n)
    for xi, yi, di in sorted(zip(x.tolist(), y.tolist(), depth.tolist(), strict=True),
                             key=lambda t: -t[2]):
        r = st.m * (0.0015 + 0.007 * (1 - di)) * (0.6 + 0.8 * st.size("snow"))
        pen.ellipse(xi, yi, r * 1.8, r * 1.8, rgba((255, 255, 255), 0.12 * (1 - di)))
        pen.ellipse(xi, yi, r, r, rgba((252, 252, 255), 0.55 + 0.4 * (1 - di)))
