"""From a spec's palette words to concrete colours: anchors, harmonious companions, a ground.

Why this shape: the artist names a few colours (or none); a painting needs 2..8 that sit well
together plus a ground, a dark "ink" and a light "paper". Named colours are kept as anchors and
companions are derived from them along a classic harmony (analogous, complementary, split,
triad) picked by ``variety``. Lightness is spread across the allowed range so that colours differ
in value as well as hue (same-value palettes read as mud). Warmth pulls hues toward orange (+) or
blue (-). Exclusions win over everything: a colour the artist said no to is pushed out of its
hue arc, or greyed if nowhere is left.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np
from PIL import Image

from duetto.media.image.analyse import rgb_to_lab
from duetto.media.image.grade import in_gamut
from duetto.spec import CreativeSpec, HueRange, NamedColour

RGB = tuple[int, int, int]
WARM_HUE = 30.0  # orange: where warmth +1 pulls
COOL_HUE = 215.0  # blue: where warmth -1 pulls
EXCLUDE_HALF_ARC = 30.0  # "no red" removes red's hue +-30 degrees
HARMONIES: dict[str, tuple[float, ...]] = {
    "analogous": (0, 28, -28, 54, -54, 14, -14, 80),
    "complementary": (0, 180, 24, 204, -24, 156, 12, 192),
    "split": (0, 150, 210, 30, 180, -30, 120, 240),
    "triad": (0, 120, 240, 30, 150, 270, 60, 180),
}


@dataclass(frozen=True)
class Swatches:
    """The concrete colours one painting uses; styles draw only from these."""

    colours: tuple[RGB, ...]
    weights: tuple[float, ...]  # sums to 1: how much of the canvas each colour should get
    background: RGB
    ink: RGB  # darkest: lines, ink wash
    paper: RGB  # lightest near-neutral: rice paper, highlights
    accent: RGB  # the most saturated colour: a small spot of attention
    dark_ground: bool

    @property
    def array(self) -> np.ndarray:
        return np.asarray(self.colours, dtype=np.float32)  # (n, 3)

    @property
    def line(self) -> RGB:
        """A colour that reads against the ground."""
        return self.paper if self.dark_ground else self.ink

    def pick(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Weighted random colour indices."""
        return rng.choice(len(self.colours), size=size, p=np.asarray(self.weights))

    def by_quantile(self, u: np.ndarray) -> np.ndarray:
        """Map values in 0..1 to colour indices so each colour gets its weight's share."""
        edges = np.cumsum(self.weights)[:-1]
        return np.searchsorted(edges, np.clip(u, 0.0, 1.0))

    def hex(self) -> list[str]:
        return [to_hex(c) for c in self.colours]


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def hls_to_rgb(h: float, l: float, s: float) -> RGB:
    r, g, b = colorsys.hls_to_rgb((h % 360.0) / 360.0, min(max(l, 0.0), 1.0), min(max(s, 0.0), 1.0))
    return round(r * 255), round(g * 255), round(b * 255)


def rgb_to_hls(rgb: RGB) -> tuple[float, float, float]:
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    return h * 360.0, l, s


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def hue_delta(src: float, dst: float) -> float:
    """Signed shortest turn from ``src`` to ``dst`` in degrees (-180..180)."""
    return (dst - src + 180.0) % 360.0 - 180.0


def warm(hue: float, warmth: float, strength: float) -> float:
    """Pull a hue toward orange (warmth > 0) or blue (warmth < 0)."""
    if warmth == 0:
        return hue % 360.0
    target = WARM_HUE if warmth > 0 else COOL_HUE
    return (hue + hue_delta(hue, target) * abs(warmth) * strength) % 360.0


class Exclusions:
    """Hue arcs and lightness bands the artist ruled out."""

    def __init__(self, colours: list[NamedColour], arcs: list[HueRange]) -> None:
        self.arcs: list[tuple[float, float]] = [(a.start, a.end) for a in arcs]
        self.greys: list[float] = []
        for c in colours:
            h, l, s = c.hls
            if s >= 0.15 and 0.08 < l < 0.92:
                self.arcs.append(((h - EXCLUDE_HALF_ARC) % 360, (h + EXCLUDE_HALF_ARC) % 360))
            else:
                self.greys.append(l)

    @staticmethod
    def _inside(hue: float, arc: tuple[float, float]) -> bool:
        return HueRange(start=arc[0], end=arc[1]).contains(hue)

    def repair(self, h: float, l: float, s: float) -> tuple[float, float, float]:
        """Move a colour out of every excluded region, or grey it if the wheel is full."""
        if s > 0.1:
            for _ in range(8):
                arc = next((a for a in self.arcs if self._inside(h, a)), None)
                if arc is None:
                    break
                to_start = abs(hue_delta(h, arc[0]))
                to_end = abs(hue_delta(h, arc[1]))
                h = (arc[0] - 6.0) % 360 if to_start < to_end else (arc[1] + 6.0) % 360
            else:
                s = 0.08
            if any(self._inside(h, a) for a in self.arcs):
                s = 0.08
        for grey in self.greys:
            if abs(l - grey) < 0.14 and s < 0.3:
                l = grey + 0.16 if grey < 0.5 else grey - 0.16
        return h, l, s

    def guard(self, image: Image.Image) -> Image.Image:
        """Turn any pixel that blending or texture pushed into an excluded arc back out of it.

        Two allowed colours can mix into a forbidden one (orange over magenta makes red), so the
        palette alone cannot promise "no red"; this final pass can. Greys are left alone.
        """
        if not self.arcs:
            return image
        hsv = np.asarray(image.convert("HSV"), np.float32)
        hue = hsv[..., 0] * (360.0 / 256.0)
        chromatic = hsv[..., 1] > 0.1 * 255
        moved = np.zeros(hue.shape, bool)
        for start, end in self.arcs:
            span = (end - start) % 360.0
            into = (hue - start) % 360.0
            inside = chromatic & (into <= span)
            out = np.where(into < span / 2, start - 6.0, end + 6.0) % 360.0
            hue = np.where(inside, out, hue)
            moved |= inside
        if not moved.any():
            return image
        hsv[..., 0] = hue * (256.0 / 360.0)
        turned = np.asarray(Image.fromarray(np.clip(hsv + 0.5, 0, 255).astype(np.uint8), "HSV").convert("RGB"))
        rgb = np.asarray(image.convert("RGB"))
        # Only the hue may change: each turned pixel keeps its own L*, so edges and light stay put.
        lab_new = rgb_to_lab(turned[moved] / 255.0)
        lab_new[:, 0] = rgb_to_lab(rgb[moved] / 255.0)[:, 0]
        out_rgb = rgb.copy()
        out_rgb[moved] = np.round(in_gamut(lab_new, steps=5) * 255.0).astype(np.uint8)
        return Image.fromarray(out_rgb)


def build_palette(spec: CreativeSpec, rng: np.random.Generator, harmony: str | None = None) -> Swatches:
    """Deterministic colours for a spec; ``rng`` only picks the harmony and fine jitter.
    ``harmony`` names the scheme instead (one variant of a set, painter/variety.py); the pick is
    still drawn, so every other draw stays where it was."""
    pal = spec.palette
    excl = Exclusions(pal.excluded, pal.excluded_hues)
    n = 2 + round(pal.variety * 6)
    arousal = spec.mood.arousal

    anchors = [(rgb_to_hls(c.rgb), c.weight) for c in pal.colours][:n]
    hls: list[tuple[float, float, float]] = []
    weights: list[float] = []
    for (h, l, s), w in anchors:  # named colours: honoured, warmth only nudges them
        hls.append((warm(h, pal.warmth, 0.15), l, s))
        weights.append(w)

    base = _base_hues(spec, rng, anchors)
    picked = _pick_harmony(pal.variety, rng)
    scheme = HARMONIES[harmony or picked]
    derived = n - len(hls)
    lights = np.linspace(pal.lightness.lo, pal.lightness.hi, max(derived, 1))
    rng.shuffle(lights)
    # companions support the named colours, never outweigh them
    lead_w = 0.7 * min(weights) if weights else 1.0
    for i in range(derived):
        if pal.hues:
            arc = pal.hues[i % len(pal.hues)]
            span = (arc.end - arc.start) % 360.0
            frac = ((i // len(pal.hues)) + rng.uniform(0.2, 0.8)) / max(1, -(-derived // len(pal.hues)))
            hue = warm(arc.start + span * frac, pal.warmth, 0.3)
        else:
            # with anchors, offset 0 would repeat the anchor itself, so start one step on
            step = i // len(base) + (1 if anchors else 0)
            hue = warm(base[i % len(base)] + scheme[step % len(scheme)], pal.warmth, 0.7)
        far = abs(hue_delta(hue, base[0])) / 180.0  # 0 = the root hue, 1 = its complement
        sat = _saturation(spec, rng, i, hue, far)
        hls.append((hue + rng.uniform(-6, 6), float(lights[i]), sat))
        weights.append(lead_w * (0.9 ** i))

    hls = [excl.repair(*c) for c in hls]
    colours = tuple(hls_to_rgb(*c) for c in hls)
    wsum = float(sum(weights))
    norm = tuple(w / wsum for w in weights)

    primary = max(range(len(hls)), key=lambda i: weights[i])
    base_h = hls[primary][0]
    return Swatches(
        colours=colours,
        weights=norm,
        background=hls_to_rgb(*excl.repair(*_ground(spec, base_h))),
        ink=hls_to_rgb(*excl.repair(base_h, 0.09 + 0.04 * (1 - arousal), 0.22)),
        paper=hls_to_rgb(*excl.repair(warm(48.0, pal.warmth, 0.6), 0.92, 0.32)),
        accent=max(colours, key=lambda c: rgb_to_hls(c)[2] * (0.5 - abs(rgb_to_hls(c)[1] - 0.5))),
        dark_ground=spec.mood.valence < -0.15,
    )


def _base_hues(
    spec: CreativeSpec, rng: np.random.Generator, anchors: list[tuple[tuple[float, float, float], float]]
) -> list[float]:
    """Roots for derived colours: the anchors' hues, else the preferred arcs, else a seeded hue."""
    if anchors:
        return [a[0][0] for a in sorted(anchors, key=lambda a: -a[1])]
    if spec.palette.hues:
        return [h.centre for h in spec.palette.hues]
    return [rng.uniform(0.0, 360.0)]


def _saturation(
    spec: CreativeSpec, rng: np.random.Generator, i: int, hue: float, far: float
) -> float:
    """Companions lean muted so the primary sings; every third is a quiet near-neutral, and
    colours far round the wheel from the root are softened (a loud complement fights).

    Yellow-greens are damped: at equal HLS saturation they glare far more than blues or reds.
    Always inside the spec's range.
    """
    lo, hi = spec.palette.saturation.lo, spec.palette.saturation.hi
    if i == 0:
        t = rng.uniform(0.6, 1.0)
    elif i % 3 == 2:
        t = rng.uniform(0.0, 0.2)
    else:
        t = rng.beta(2.0, 2.6)
    t += (1 - t) * 0.35 * (spec.mood.arousal - 0.5)
    t *= 1.0 - 0.45 * far
    if 55.0 <= hue % 360 <= 170.0:
        t *= 0.6
    return lo + (hi - lo) * min(max(t, 0.0), 1.0)


def _pick_harmony(variety: float, rng: np.random.Generator) -> str:
    names = ("analogous", "complementary", "split", "triad")
    w = np.array([1.6 - 1.5 * variety, 0.6, 0.3 + 0.9 * variety, 1.2 * variety]) + 0.02
    return names[int(rng.choice(4, p=w / w.sum()))]


def _ground(spec: CreativeSpec, base_h: float) -> tuple[float, float, float]:
    """Background from mood: joy gives a light warm paper, sadness a deep tinted dark."""
    v, a, warmth = spec.mood.valence, spec.mood.arousal, spec.palette.warmth
    if v < -0.15:  # dark ground: deeper when sadder, a little more colour when aroused
        return warm(base_h, warmth, 0.4), 0.07 + 0.1 * (1 + v), 0.18 + 0.2 * a
    paper_h = warm(base_h + hue_delta(base_h, 45.0) * 0.6, warmth, 0.6)
    return paper_h, 0.86 + 0.08 * v, 0.16 + 0.22 * a
