"""The colourist's pass: colour feedback applied to a finished picture (``spec.grade``).

Why a grade and not a new palette: "更温暖一些" on a painting the artist liked is a request about
its colour, not its drawing. Repainting from a warmer palette moved the strokes' lightness
against each other, so edges, density and the felt size of shapes changed with it while the
warmth itself barely showed. A grade is a smooth function of each pixel's colour alone, done in
CIELAB so that L* (which carries every edge) is left alone by the colour moves:

* ``warmth``: a cast of ``WARM_DE`` ΔE along the orange direction (hue 60°) at ±1;
* ``light``: L* lifted (or lowered) by ``LIGHT_DL`` at ±1, easing off toward white (or black)
  so that highlights keep their separation instead of clipping into one flat white;
* ``saturation``: chroma scaled by ``1 ± SATURATION_GAIN``;
* ``contrast``: L* spread around the picture's own mean by ``1 ± CONTRAST_GAIN``;
* ``tints``: named colours washed in, strongest on greys (paper, mist) and on hues already
  near the tint, so "more blue" adds blue where a painter would glaze it;
* ``match`` (a blend): last, the colours move part of the way toward another picture's Lab
  statistics, measured on this picture as the rest of the grade leaves it.

Computed once on a ``LUT_SIZE``³ RGB grid and applied with Pillow's 3D LUT (one C pass), so a
1024² picture costs milliseconds, and the same spec gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter

from duetto.media.image.analyse import hex_rgb, lab_to_rgb, load_rgb, rgb_to_lab
from duetto.spec import Grade

LUT_SIZE = 33
WARM_DE = 22.0  # ΔE of cast at warmth ±1: feedback steps of 0.25..0.6 give 5..13 ΔE
WARM_HUE = 60.0  # Lab hue angle of "warm" (orange-gold); cool is the opposite direction
LIGHT_DL = 28.0  # L* lift at light ±1: feedback steps of 0.22..0.4 give 6..11
KNEE = 92.0  # above this L* (below 100 - KNEE when darkening) a lift eases into white
SATURATION_GAIN = 0.6
CONTRAST_GAIN = 0.6
TINT_CHROMA = 45.0  # a tint's target chroma: blue at full strength is a glaze, not paint
TINT_REACH = 70.0  # degrees of hue around a tint whose pixels turn toward it
TINT_GREY = 35.0  # chroma under which a pixel counts as grey ground and takes the tint fully
TINT_STRENGTH = 0.75  # share of the way a pixel moves toward a tint of weight 1


def apply(image: Image.Image, grade: Grade) -> Image.Image:
    """``image`` graded; the same image back when the grade is neutral."""
    if grade.is_neutral():
        return image
    small = rgb_to_lab(load_rgb(image)).reshape(-1, 3)  # the picture's own statistics, at 128 px
    pivot = float(small[:, 0].mean())
    stats = None
    if grade.match:  # the match starts from the picture as the rest of the grade leaves it
        done = grade_lab(small, grade.model_copy(update={"match": None}), pivot)
        stats = (done.mean(0), done.std(0))
    return per_colour(image, lambda rgb: in_gamut(grade_lab(rgb_to_lab(rgb), grade, pivot, stats)))


def stats_of(image: Image.Image) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """CIELAB mean and standard deviation of a picture (what ``ColourMatch`` stores)."""
    lab = rgb_to_lab(load_rgb(image)).reshape(-1, 3)
    mean, std = lab.mean(0), lab.std(0)
    return (tuple(round(float(v), 3) for v in mean), tuple(round(float(v), 3) for v in std))  # type: ignore[return-value]


def in_gamut(lab: np.ndarray, steps: int = 8) -> np.ndarray:
    """(N, 3) Lab → sRGB, pulling out-of-gamut colours toward grey at their own L* (bisection on
    chroma) instead of clipping channels, which would change their lightness and so the edges."""
    lo, hi = np.zeros(len(lab)), np.ones(len(lab))
    ok = _fits(lab)
    hi[ok] = lo[ok] = 1.0
    for _ in range(steps):
        mid = (lo + hi) / 2
        fits = _fits(lab * np.stack([np.ones_like(mid), mid, mid], -1))
        lo, hi = np.where(fits, mid, lo), np.where(fits, hi, mid)
    return lab_to_rgb(lab * np.stack([np.ones_like(lo), lo, lo], -1))


def _fits(lab: np.ndarray) -> np.ndarray:
    """Whether each Lab colour survives the round trip through clipped sRGB."""
    back = rgb_to_lab(lab_to_rgb(lab))
    return np.abs(back - lab).max(-1) < 0.5


def per_colour(image: Image.Image, move: Callable[[np.ndarray], np.ndarray]) -> Image.Image:
    """Apply a function of colour alone, (N, 3) sRGB 0..1 → (N, 3), through a 3D LUT: it is
    evaluated on the ``LUT_SIZE``³ grid once instead of on every pixel."""
    axis = np.linspace(0.0, 1.0, LUT_SIZE)
    b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")  # Pillow's table order: red fastest
    table = move(np.stack([r, g, b], -1).reshape(-1, 3))  # (S³, 3)
    return image.filter(ImageFilter.Color3DLUT(LUT_SIZE, np.clip(table, 0, 1).astype(np.float32).ravel()))


def grade_lab(lab: np.ndarray, grade: Grade, pivot: float = 50.0,
              stats: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(N, 3) Lab colours → graded (N, 3) Lab; ``pivot`` is the L* contrast turns around and
    ``stats`` the picture's own Lab mean and spread (for a blend's ``match``)."""
    L, a, b = lab[:, 0].copy(), lab[:, 1].copy(), lab[:, 2].copy()
    if grade.contrast:
        L = pivot + (L - pivot) * (1.0 + CONTRAST_GAIN * grade.contrast)
    if grade.light:
        L = _lift(L, LIGHT_DL * grade.light)
    if grade.saturation:
        gain = max(0.0, 1.0 + SATURATION_GAIN * grade.saturation)
        a, b = a * gain, b * gain
    for tint in grade.tints:
        a, b = _tint(a, b, tint.hex, min(1.0, tint.weight))
    if grade.warmth:
        a = a + WARM_DE * grade.warmth * np.cos(np.radians(WARM_HUE))
        b = b + WARM_DE * grade.warmth * np.sin(np.radians(WARM_HUE))
    out = np.stack([np.clip(L, 0.0, 100.0), a, b], -1)
    if grade.match is not None and stats is not None:
        out = _match(out, grade.match.mean, grade.match.std, grade.match.amount, stats)
    return out


def _match(lab: np.ndarray, mean: tuple[float, float, float], std: tuple[float, float, float], amount: float,
           stats: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Move colours ``amount`` of the way toward another picture's statistics (a colour transfer
    in the manner of Reinhard et al.): a*, b* mean and spread, and the L* mean; the L* spread is
    kept, since it is this picture's drawing."""
    src_mean, src_std = stats
    goal = np.array(mean) + (lab - src_mean) * (np.array(std) / np.maximum(src_std, 1e-3))
    goal[:, 0] = lab[:, 0] + (mean[0] - src_mean[0])
    return lab + amount * (goal - lab)


def _lift(L: np.ndarray, d: float) -> np.ndarray:
    """L* moved by ``d`` where there is room; near white (or black) a soft knee eases into the
    end instead of clipping, so the mid-tones, where the drawing is, keep every step."""
    if d < 0:
        return 100.0 - _lift(100.0 - L, -d)
    moved = L + d
    over = moved > KNEE
    room = 100.0 - KNEE
    return np.where(over, KNEE + room * np.tanh((moved - KNEE) / room), moved)


def _tint(a: np.ndarray, b: np.ndarray, hex_: str, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Move each colour toward the tint: greys all the way of ``TINT_STRENGTH``, chromatic
    colours by how near their hue already is (a red does not turn blue; a violet does)."""
    t = rgb_to_lab(hex_rgb(hex_))
    t_chroma = float(np.hypot(t[1], t[2]))
    if t_chroma < 1e-6:  # a grey "tint" (more white) only greys colours a little
        ta, tb = 0.0, 0.0
    else:
        scale = min(1.0, TINT_CHROMA / t_chroma)
        ta, tb = t[1] * scale, t[2] * scale
    chroma = np.hypot(a, b)
    hue = np.degrees(np.arctan2(b, a))
    t_hue = float(np.degrees(np.arctan2(tb, ta)))
    apart = np.abs((hue - t_hue + 180.0) % 360.0 - 180.0)
    near = np.clip(1.0 - apart / TINT_REACH, 0.0, 1.0)
    grey = np.clip(1.0 - chroma / TINT_GREY, 0.0, 1.0)
    k = TINT_STRENGTH * weight * np.maximum(grey, near)
    return a + k * (ta - a), b + k * (tb - b)
