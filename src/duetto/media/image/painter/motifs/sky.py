"""Sky: the hour's gradient (dawn, day, dusk, night), clouds, stars.

The gradient runs zenith → middle → horizon with an eased split, so most of the colour change
happens low in the sky, as it does outdoors. Clouds are stretched value noise thresholded by
the motif's amount, lit from above (or from below at dawn and dusk, when the sun is low).
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import Stage
from duetto.media.image.painter.noise import smooth_noise, smoothstep, upscale
from duetto.media.image.painter.palette import mix


def paint_sky(st: Stage) -> None:
    light = st.light
    t = np.clip(st.ys / max(1.0, st.horizon), 0.0, 1.0) ** 1.6  # (H, 1): 0 zenith .. 1 horizon
    top, mid, hor = (np.asarray(c, np.float32) for c in (light.top, light.mid, light.horizon))
    lo = np.clip(t / 0.55, 0, 1)
    hi = np.clip((t - 0.55) / 0.45, 0, 1)
    col = np.where((t < 0.55)[..., None], top + (mid - top) * lo[..., None],
                   mid + (hor - mid) * hi[..., None])  # (H, 1, 3)
    st.rgb[:] = np.broadcast_to(col, st.rgb.shape)
    # a slow mottling so a big gradient never looks like a computer fill
    w8, h8 = max(8, st.width // 8), max(8, st.height // 8)
    mott = upscale(smooth_noise(st.rng, h8, w8, 30, 2), st.width, st.height)
    st.rgb *= (0.97 + 0.06 * mott)[..., None]


def paint_clouds(st: Stage) -> None:
    """Banks of cloud in the upper sky; rain makes them heavier, lower and darker."""
    rain = st.has("rain")
    cover = 0.25 + 0.5 * st.amount("clouds") + (0.25 if rain else 0.0)
    w4, h4 = max(16, st.width // 4), max(16, st.height // 4)
    feature = 40 + 60 * st.size("clouds")
    n = smooth_noise(st.rng, h4, w4, feature, 4, 0.5, stretch=(1.0, 3.2))
    n = upscale(n, st.width, st.height)
    band = smoothstep(st.horizon * 1.02, st.horizon * 0.55, st.ys)  # fade out near the horizon
    thr = 1.0 - cover * 0.75
    dens = smoothstep(thr, thr + 0.18, n) * band
    # light from above: the top of a cloud is where density grows downward
    shift = max(2, st.height // 90)
    grad = np.zeros_like(n)
    grad[shift:] = n[shift:] - n[:-shift]
    low_sun = st.light.time in ("dawn", "dusk")
    lit = np.clip(0.5 + grad * 14 * (-1 if low_sun else 1), 0, 1)
    light = st.light
    if rain:
        bright, dark = mix(light.mid, (200, 200, 205), 0.4), mix(light.top, (60, 62, 70), 0.5)
    elif light.time == "night":
        bright, dark = mix(light.mid, (200, 200, 220), 0.25), mix(light.top, light.mid, 0.4)
    elif low_sun:
        bright, dark = mix(light.horizon, light.source, 0.4), mix(light.mid, light.top, 0.5)
    else:
        bright, dark = (252, 252, 250), mix(light.mid, (150, 160, 178), 0.5)
    b, d = np.asarray(bright, np.float32), np.asarray(dark, np.float32)
    colour = d + (b - d) * lit[..., None]
    st.rgb += (colour - st.rgb) * (dens * 0.92)[..., None]


def paint_stars(st: Stage) -> None:
    """Points of light, denser and brighter high in the sky; a few large ones glow."""
    n = st.count("stars", 260 * st.scale + 40)
    rng = st.rng
    x = rng.uniform(0, st.width, n)
    y = st.horizon * rng.uniform(0, 1, n) ** 1.6 * 0.92
    mag = rng.uniform(0, 1, n) ** 3
    keep = np.ones(n, bool)
    if st.has("moon"):  # no star in front of the moon
        from duetto.media.image.painter.motifs.celestial import moon_place

        mx, my, mr = moon_place(st)
        keep = (x - mx) ** 2 + (y - my) ** 2 > (mr * 1.6) ** 2
    x, y, mag = x[keep], y[keep], mag[keep]
    for xi, yi, mi in zip(x.tolist(), y.tolist(), mag.tolist(), strict=True):
        r = (0.6 + 2.2 * mi) * max(1.0, st.scale)
        s = int(r * 3) + 2
        yy, xx = np.mgrid[-s : s + 1, -s : s + 1].astype(np.float32)
        a = np.exp(-((xx + (xi % 1)) ** 2 + (yy + (yi % 1)) ** 2) / (2 * (r * 0.6) ** 2))
        a *= (0.35 + 0.65 * mi) * (1.0 - 0.6 * yi / max(1.0, st.horizon))
        st.blend_box(int(xi) - s, int(yi) - s, np.clip(a, 0, 1), (250, 246, 230))
