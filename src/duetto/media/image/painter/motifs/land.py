"""Mountains in ink-wash layers and the ground plane.

Mountains are ridges of 1-D noise stacked far → near. Each layer is a wash: dense at the ridge
and thinning downward into mist, as in 山水 painting; far layers are smaller, paler and bluer
(atmospheric perspective), near ones darker. Snow (or winter) whitens the peaks.
The ground below the horizon goes from a hazed far colour to the season's near colour.
More lines (``Stage.lines`` above 0.5) draws the ridges' contours, broken as a brush line is:
a little of each ridge at first, all of it at line.amount 1.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter.motifs.stage import Stage
from duetto.media.image.painter.noise import noise_1d, smooth_noise, smoothstep, upscale
from duetto.media.image.painter.palette import RGB, mix

GROUND: dict[str, RGB] = {
    "autumn": (150, 104, 50), "winter": (232, 236, 240), "spring": (120, 168, 80),
    "summer": (74, 128, 60),
}


def mountain_colour(st: Stage) -> RGB:
    base = {"night": (30, 38, 64), "dusk": (92, 62, 96), "dawn": (110, 104, 140)}.get(
        st.light.time, (78, 98, 112))
    pal = st.spec.palette
    asked = 0.45 if pal.colours or pal.hues else 0.0  # the artist's colours tint the hills
    return mix(mix(base, st.swatches.ink, 0.25), st.swatches.colours[0], asked)


def paint_mountains(st: Stage) -> list[np.ndarray]:
    """Returns the ridge lines (W,) far → near, for mist and trees to sit on."""
    rng, W = st.rng, st.width
    layers = 2 + round(2 * st.amount("mountains"))
    height = st.height * (0.16 + 0.22 * st.size("mountains"))
    colour = mountain_colour(st)
    snowy = st.has("snow") or st.season == "winter"
    ridges = []
    rows = min(st.height, int(st.horizon + st.height * 0.03) + 1)  # below is ground or water
    ys = st.ys[:rows]
    canvas = st.rgb[:rows]
    grain = upscale(smooth_noise(rng, max(8, rows // 4), max(8, W // 4), 10, 3, 0.55), W, rows)
    for k in range(layers):
        f = k / max(1, layers - 1)  # 0 far .. 1 near
        depth = 1.0 - f
        amp = height * (0.55 + 0.45 * f) * (1 - 0.3 * depth)
        profile = noise_1d(rng, W, W * (0.22 + 0.18 * rng.random()), 5) ** 1.4
        ridge = st.horizon - amp * (0.25 + 0.75 * profile) + st.height * 0.02 * f
        ridges.append(ridge)
        line_colour = mix(st.hazed(colour, depth, 0.8), st.light.shadow, 0.5)
        below = ys - ridge[None, :]
        mist = st.height * (0.05 + 0.1 * f)
        wash = smoothstep(-1.0, 1.0, below) * (0.55 + 0.45 * np.exp(-np.maximum(below, 0) / mist))
        wash *= 0.85 + 0.3 * grain
        tone = np.asarray(st.hazed(colour, depth, 0.8), np.float32)
        canvas += (tone - canvas) * np.clip(wash * (0.55 + 0.4 * f), 0, 1)[..., None]
        if snowy:
            cap = smoothstep(amp * 0.18, 0.0, below) * smoothstep(-1.0, 1.0, below)
            peak = smoothstep(0.45, 0.85, profile)[None, :]
            white = np.asarray(mix((240, 244, 250), st.light.haze, depth * 0.4), np.float32)
            canvas += (white - canvas) * np.clip(cap * peak * 0.85, 0, 1)[..., None]
        contour(st, ridge, line_colour, rows)
    return ridges


def paint_hills(st: Stage) -> None:
    """A low far shore of hills on the horizon: depth for scenes without mountains."""
    ridge = st.horizon - st.height * (0.012 + 0.035 * noise_1d(st.rng, st.width, st.width * 0.3, 3))
    a = smoothstep(-1.0, 1.0, st.ys - ridge[None, :])
    colour = st.hazed(mountain_colour(st), 0.75)
    st.blend(a * 0.75, colour)
    contour(st, ridge, mix(colour, st.light.shadow, 0.45))


def contour(st: Stage, ridge: np.ndarray, colour: RGB, rows: int | None = None) -> None:
    """More lines: an ink line along a ridge (W,), drawn where a slow noise is under the line
    amount's share, so more lines draws more of it (nested: what 0.7 draws, 0.9 keeps)."""
    share = min(1.0, 2.0 * (st.lines - 0.5))
    gaps = noise_1d(st.marks_rng("contour"), st.width, st.width * 0.15, 2)  # drawn always: same stream
    if share <= 0:
        return
    rank = np.argsort(np.argsort(gaps)) / max(1, st.width - 1)  # 0..1, uniform along the ridge
    along = smoothstep(share, share - 0.04, rank)  # (W,): 1 where the line is drawn
    w = max(0.7, st.m * 0.0025)
    rows = st.height if rows is None else rows
    band = np.exp(-(((st.ys[:rows] - ridge[None, :] - w * 0.5) / w) ** 2)) * along[None, :]
    canvas = st.rgb[:rows]
    canvas += (np.asarray(colour, np.float32) - canvas) * (band * 0.85)[..., None]


def ground_colour(st: Stage) -> RGB:
    c = GROUND[st.season]
    if st.has("snow"):
        c = GROUND["winter"]
    if st.light.time == "night":
        c = mix(c, st.light.top, 0.7)
    elif st.light.time == "dusk":
        c = mix(c, (90, 50, 50), 0.4)
    return mix(c, st.swatches.colours[-1], 0.12)


def paint_ground(st: Stage, top: float | None = None) -> None:
    """Fill from ``top`` (default the horizon) down: hazed far, the season's colour near."""
    y0 = st.horizon if top is None else top
    near = np.asarray(ground_colour(st), np.float32)
    far = np.asarray(st.hazed(ground_colour(st), 0.8), np.float32)
    t = np.clip((st.ys - y0) / max(1.0, st.height - y0), 0, 1) ** 0.6
    colour = far + (near - far) * t[..., None]
    w4, h4 = max(8, st.width // 4), max(8, st.height // 4)
    tex = upscale(smooth_noise(st.rng, h4, w4, 12, 3, stretch=(1, 4)), st.width, st.height)
    colour = colour * (0.9 + 0.2 * tex)[..., None]
    a = smoothstep(y0 - 1.0, y0 + 1.0, st.ys) * np.ones_like(st.xs)
    st.rgb += (colour - st.rgb) * a[..., None]
