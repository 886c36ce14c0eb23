"""Water: a mirror of the sky broken by ripples, a path of light under the sun or moon, and
for the sea, rows of wave crests that grow and spread apart toward the viewer (scale by
distance). The crests are line marks: fewer lines leaves some out, more lines adds some.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import Pen, Stage, rgba
from duetto.media.image.painter.noise import smooth_noise, upscale
from duetto.media.image.painter.palette import mix


def paint_water(st: Stage, light_x: float | None, bottom: float) -> None:
    """Reflect what is above the horizon into rows horizon..bottom (call after the sky)."""
    H, W = st.height, st.width
    y0, y1 = int(round(st.horizon)), int(round(bottom))
    if y1 <= y0 + 1:
        return
    rows = np.arange(y0, y1)
    w2, h2 = max(8, W // 2), max(8, (y1 - y0) // 2)
    rip = upscale(smooth_noise(st.rng, h2, w2, 6, 3, stretch=(1, 10)), W, y1 - y0)  # (h, W)
    d = (rows - y0)[:, None] / max(1, H - y0)
    offset = ((rip - 0.5) * (4 + 60 * d)).astype(np.int32)  # ripples grow toward the viewer
    src = np.clip(2 * y0 - rows[:, None] - 1 + offset, 0, y0 - 1)
    refl = st.rgb[src, np.arange(W)[None, :]]
    waves = st.variant("water") == "waves"
    deep = np.asarray(mix(st.light.top, (20, 60, 80) if waves else (30, 50, 70), 0.5), np.float32)
    dark = 0.35 + (0.35 if waves else 0.2) * d[..., None]
    out = refl * (1 - dark) + deep * dark
    out *= (0.9 + 0.22 * (rip - 0.5))[..., None]
    if light_x is not None:  # glitter path under the light source
        path = np.exp(-np.abs(np.arange(W)[None, :] - light_x) / (W * (0.03 + 0.12 * d)))
        sparkle = np.clip((rip - 0.55) * 4, 0, 1) * path
        out += (np.asarray(st.light.source, np.float32) - out) * (sparkle * 0.8)[..., None]
    st.rgb[y0:y1] = out
    # a soft bright line where water meets the sky: the far water catches the horizon light
    band = np.exp(-np.arange(y1 - y0) / max(1.0, H * 0.006))[:, None, None]
    st.rgb[y0:y1] += (np.asarray(st.light.horizon, np.float32) - st.rgb[y0:y1]) * band * 0.5


def paint_crests(st: Stage, pen: Pen, bottom: float) -> None:
    """Sea: foam-lit wave crests, small and close-packed far, long and spaced near."""
    rng = st.rng
    y = st.horizon + 4
    gap = (st.height - st.horizon) * 0.015
    foam = mix((240, 244, 240), st.light.source, 0.3)
    while y < bottom:
        depth = float(st.depth_at(y))
        n = max(1, round(6 + 10 * depth))
        keep, extra = st.line_marks("crests", n)  # crests are line marks: fewer or more lines
        for k in range(n + extra):
            r = rng if k < n else st.marks_rng("crests")
            length = st.width * (0.05 + 0.2 * (1 - depth)) * r.uniform(0.5, 1.4)
            x0 = r.uniform(-length, st.width)
            xs = np.linspace(x0, x0 + length, 14)
            u = np.linspace(0, 1, 14)
            arch = np.sin(u * np.pi) ** 0.7 * (1 + 0.6 * u) * gap * 0.12
            pts = np.stack([xs, y - arch + r.normal(0, 0.5)], 1)
            if k < n and not keep[k]:
                continue
            pen.line(pts, rgba(st.hazed(foam, depth, 0.6), 0.35 + 0.4 * (1 - depth)),
                     (0.8 + 3.2 * (1 - depth)) * st.scale)
        gap *= 1.35
        y += gap
