"""Sun and moon: a disc on a thirds point of the sky, a glow that lights the air around it.

At dawn and dusk the sun sits low, just above the horizon, and its glow is wide and warm; by
day it is small and high. The moon is a full disc with faint maria (mottled grey seas) and a
cool halo: the shape people read as "moon" fastest.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import Stage
from duetto.media.image.painter.noise import smooth_noise, smoothstep, upscale
from duetto.media.image.painter.palette import RGB, mix


def sun_place(st: Stage) -> tuple[float, float, float]:
    """(cx, cy, radius): low over the horizon at dawn/dusk, on the upper third by day."""
    r = st.m * (0.035 + 0.05 * st.size("sun"))
    cx = st.position_x("sun", st.third_x(toward_subject=False))
    if st.light.time in ("dawn", "dusk") and st.has("mountains"):
        cy = st.horizon * 0.42  # above the peaks, not hidden behind them
    elif st.light.time in ("dawn", "dusk"):
        cy = st.horizon - r * 1.6 - st.horizon * 0.06
    else:
        cy = st.height / 3 * 0.7
    return cx, cy, r


def moon_place(st: Stage) -> tuple[float, float, float]:
    r = st.m * (0.045 + 0.06 * st.size("moon"))
    cx = st.position_x("moon", st.third_x(toward_subject=False))
    if st.has("sun"):  # both (a moon at dusk): high above the low sun, clear of the bough
        return cx, st.height * 0.14 + r, r
    return cx, min(st.height / 3 * 0.75, st.horizon * 0.5), r


def _glow(st: Stage, cx: float, cy: float, reach: float, colour: RGB, strength: float) -> None:
    d = np.sqrt((st.xs - cx) ** 2 + ((st.ys - cy) * 1.15) ** 2)
    st.blend(np.clip(strength * np.exp(-d / reach), 0, 1), colour)


def paint_sun(st: Stage) -> None:
    cx, cy, r = sun_place(st)
    low = st.light.time in ("dawn", "dusk")
    src = st.light.source
    _glow(st, cx, cy, r * (7 if low else 4), mix(src, st.light.horizon, 0.3), 0.75 if low else 0.5)
    _disc(st, cx, cy, r, mix(src, (255, 255, 245), 0.5), 1.0)


def paint_moon(st: Stage) -> None:
    cx, cy, r = moon_place(st)
    halo = (220, 226, 240) if st.light.time == "night" else st.light.source
    _glow(st, cx, cy, r * 2.6, halo, 0.42)
    s = int(r) + 3
    size = 2 * s + 1
    maria = upscale(smooth_noise(st.rng, 12, 12, 5, 3), size, size)
    yy, xx = np.mgrid[-s : s + 1, -s : s + 1].astype(np.float32)
    disc = smoothstep(r + 1.2, r - 1.2, np.sqrt(xx**2 + yy**2))
    limb = 1 - 0.18 * (np.sqrt(xx**2 + yy**2) / r).clip(0, 1) ** 3  # darker toward the rim
    face = np.asarray((250, 246, 226), np.float32) * (limb * (1 - 0.09 * smoothstep(0.5, 0.85, maria)))[..., None]
    x0, y0 = int(cx) - s, int(cy) - s
    patch_alpha = disc
    # blend the shaded face: do it per channel through blend_box's colour broadcasting
    ya, xa = max(0, y0), max(0, x0)
    yb, xb = min(st.height, y0 + size), min(st.width, x0 + size)
    if ya < yb and xa < xb:
        a = patch_alpha[ya - y0 : yb - y0, xa - x0 : xb - x0, None]
        f = face[ya - y0 : yb - y0, xa - x0 : xb - x0]
        st.rgb[ya:yb, xa:xb] += (f - st.rgb[ya:yb, xa:xb]) * a


def _disc(st: Stage, cx: float, cy: float, r: float, colour: RGB, alpha: float) -> None:
    s = int(r) + 3
    yy, xx = np.mgrid[-s : s + 1, -s : s + 1].astype(np.float32)
    d = np.sqrt((xx - (cx % 1)) ** 2 + (yy - (cy % 1)) ** 2)
    st.blend_box(int(cx) - s, int(cy) - s, smoothstep(r + 1.2, r - 1.2, d) * alpha, colour)
