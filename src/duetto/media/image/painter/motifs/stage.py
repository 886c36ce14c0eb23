"""The stage a scene is painted on: light, season, wind, horizon, and two canvases.

Why two canvases: skies, mountains, water and mist are soft fields, cheapest and smoothest as
numpy arrays at output size (``Stage.rgb``, float RGB 0..255); trees, leaves, birds and rain are
crisp shapes that need antialiasing, so they are drawn afterwards with Pillow at ``supersample``
times the size (``Pen``) and box-reduced once.

Composition rules live here too, so every motif places itself the same way: the horizon sits on
a third line (moved by the sky motif's size: more sky, a lower horizon), subjects sit on thirds
intersections, ``depth`` runs 0 (nearest) .. 1 (horizon),
size shrinks with depth, and colour fades toward the horizon's haze with depth (atmospheric
perspective).

Two picture-wide qualities reach every motif through the stage, as a painter would read them of
a whole landscape: ``lines`` (the spec's line.amount) is how much line work there is (twigs,
veins, blades, streaks, strokes: fewer lines prunes and drops them, more lines adds bare twigs,
stems and veins), and ``mass`` (from shape_size) scales the small repeated shapes (leaves,
petals, flakes, birds), fewer of them when bigger so the coloured area stays. Marks that come
and go with these draw from ``marks_rng``, a stream of their own, so the rest of the picture
(every other random draw) stays where it was.
"""

from __future__ import annotations

import colorsys
import hashlib
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from duetto.media.image.painter.palette import RGB, Swatches, mix, rgb_to_hls
from duetto.spec import CreativeSpec, Motif

DENSITY_PULL = 1.6  # how far the picture's density moves each motif's amount: a feedback step of 0.3 is +0.5
COUNT_STEP = 1.3  # a motif's count x this per 0.15 of the picture's density (on top of DENSITY_PULL)
MASS_POW = 2.0  # shape_size 0.5 → 1 scales small shapes 2 x in count (1 / mass²) ("bigger shapes", +0.3: 1.5 x)
LINE_POW = 3.0  # line.amount 0.5 → 1 draws 2.8 x the line marks, "more lines" (+0.3) 1.9 x; 0.5 → 0 keeps 35 %
SKY_SHIFT = 0.4  # a sky motif's size 0.5 → 1 lowers the horizon by a fifth of the height (more sky), → 0 raises it

# Sky presets (zenith, middle, horizon, light source): plausible daylight before the spec tints
# them. The spec's palette and mood then pull these toward its own colours (``Light.of``).
SKIES: dict[str, tuple[RGB, RGB, RGB, RGB]] = {
    "dawn": ((74, 92, 156), (206, 156, 176), (255, 206, 160), (255, 236, 196)),
    "day": ((58, 118, 198), (124, 174, 226), (214, 228, 238), (255, 250, 232)),
    "dusk": ((38, 36, 86), (176, 78, 92), (255, 164, 66), (255, 214, 130)),
    "night": ((7, 10, 28), (18, 28, 60), (44, 56, 92), (246, 240, 214)),
}
SEASON_WORDS: dict[str, tuple[str, ...]] = {
    "autumn": ("秋", "autumn", "fall", "落叶", "枫", "maple", "dead leaves"),
    "winter": ("冬", "winter", "wintry", "雪", "snow"),
    "spring": ("春", "spring", "樱", "桃花", "blossom"),
    "summer": ("夏", "summer"),
}
FOLIAGE: dict[str, tuple[RGB, ...]] = {
    "autumn": ((214, 150, 40), (196, 96, 32), (168, 52, 30), (232, 186, 70), (140, 70, 30)),
    "spring": ((132, 186, 86), (170, 210, 110), (96, 160, 78)),
    "summer": ((46, 110, 52), (70, 140, 60), (34, 86, 44)),
    "winter": ((120, 110, 96),),
}
BLOSSOM: tuple[RGB, ...] = ((248, 196, 210), (255, 226, 232), (236, 160, 186))


def season_of(spec: CreativeSpec) -> str:
    text = " ".join([*spec.keywords, spec.brief]).lower()
    for season, words in SEASON_WORDS.items():
        if any(w in text for w in words):
            return season
    return "summer"


def _grade(rgb: RGB, sat: float, light: float) -> RGB:
    """Scale a colour's saturation and lightness (the spec's palette ranges act on presets)."""
    h, l, s = rgb_to_hls(rgb)
    r, g, b = colorsys.hls_to_rgb(h / 360, min(1.0, max(0.0, l * light)), min(1.0, s * sat))
    return round(r * 255), round(g * 255), round(b * 255)


@dataclass(frozen=True)
class Light:
    """Colours of the hour: sky gradient, the light source, the haze distance fades into."""

    time: str
    top: RGB
    mid: RGB
    horizon: RGB
    source: RGB
    haze: RGB
    shadow: RGB  # silhouettes against the light (near trees at dusk, hills at night)

    @classmethod
    def of(cls, time: str, spec: CreativeSpec, sw: Swatches) -> Light:
        top, mid, hor, src = SKIES[time]
        pal = spec.palette
        tint = sw.colours[0]  # the spec's leading colour colours the light a little
        pull = 0.18 + 0.12 * pal.variety + (0.3 if pal.colours or pal.hues else 0.0)  # asked-for colours show
        mid, hor = mix(mid, tint, pull), mix(hor, tint, pull * 0.8)
        if pal.warmth:
            toward = (255, 150, 60) if pal.warmth > 0 else (90, 140, 220)
            k = 0.22 * abs(pal.warmth)
            top, mid, hor = mix(top, toward, k * 0.4), mix(mid, toward, k), mix(hor, toward, k)
        sat = 0.55 + 0.7 * pal.saturation.mid
        lit = 0.8 + 0.4 * pal.lightness.mid + 0.12 * spec.mood.valence
        top, mid, hor = (_grade(c, sat, lit) for c in (top, mid, hor))
        haze = mix(hor, mid, 0.35)
        shadow = mix(sw.ink, top, 0.35 if time == "night" else 0.2)
        return cls(time, top, mid, hor, src, haze, shadow)


class Pen:
    """Pillow drawing at ``k`` times the canvas: callers give output-pixel coordinates."""

    def __init__(self, image: Image.Image, k: int) -> None:
        self.image, self.k = image, k
        self.draw = ImageDraw.Draw(image, "RGBA")

    def polygon(self, pts: np.ndarray, rgba: tuple[int, int, int, int]) -> None:
        self.draw.polygon([tuple(p) for p in (pts * self.k).tolist()], fill=rgba)

    def line(self, pts: np.ndarray, rgba: tuple[int, int, int, int], width: float) -> None:
        w = max(1, round(width * self.k))
        self.draw.line([tuple(p) for p in (pts * self.k).tolist()], fill=rgba, width=w,
                       joint="curve" if w > 2 else None)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float,
                rgba: tuple[int, int, int, int]) -> None:
        k = self.k
        self.draw.ellipse(((cx - rx) * k, (cy - ry) * k, (cx + rx) * k, (cy + ry) * k), fill=rgba)


@dataclass
class Stage:
    spec: CreativeSpec
    swatches: Swatches
    width: int
    height: int
    rng: np.random.Generator
    motifs: dict[str, Motif]
    light: Light
    season: str
    wind: float  # -1..1: which way and how hard things lean and drift
    horizon: float  # y of the horizon line in pixels
    side: int  # +1: the main subject on the right third, light on the left; -1 the mirror
    rgb: np.ndarray = field(init=False)
    ys: np.ndarray = field(init=False)  # (H, 1) row coordinates
    xs: np.ndarray = field(init=False)  # (1, W)
    _marks: dict[str, np.random.Generator] = field(init=False, repr=False)
    _marks_seed: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rgb = np.zeros((self.height, self.width, 3), np.float32)
        self.ys = np.arange(self.height, dtype=np.float32)[:, None]
        self.xs = np.arange(self.width, dtype=np.float32)[None, :]
        self._marks = {}
        sky = self.motifs.get("sky")
        if sky is not None and sky.size != 0.5:  # how much sky: the set's variants move the horizon so
            # water mirrors the sky above it, so it may not reach further down than the sky goes up
            top = 0.55 if "water" in self.motifs else 0.3
            self.horizon = float(np.clip(self.horizon + (sky.size - 0.5) * SKY_SHIFT * self.height,
                                         top * self.height, 0.8 * self.height))
        state = repr(self.rng.bit_generator.state).encode()  # read, not drawn: ``rng`` is untouched
        self._marks_seed = int.from_bytes(hashlib.sha256(state).digest()[:8], "big")

    @property
    def lines(self) -> float:
        """How much line work: the spec's line.amount, 0.5 as a picture is painted by default."""
        return self.spec.line.amount

    @property
    def line_factor(self) -> float:
        """Line marks drawn per default one: 1 at lines 0.5, 2.8 at 1, 0.35 at 0."""
        return 2.0 ** (LINE_POW * (self.lines - 0.5))

    @property
    def mass(self) -> float:
        """Scale of the small repeated shapes (leaves, petals, flakes, birds) from shape_size:
        1 at 0.5, 1.5 x at 1, 0.66 x at 0. Callers draw 1 / mass² as many, so the area stays."""
        return 2.0 ** (MASS_POW * (self.spec.shape_size - 0.5))

    def marks_rng(self, name: str) -> np.random.Generator:
        """A random stream of its own for the marks that feedback adds or takes away (``name``
        keeps one motif's from another's): drawing more or fewer of them leaves ``rng``, and so
        every other mark, where it was. Deterministic: it follows the stage's seed."""
        if name not in self._marks:
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
            self._marks[name] = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self._marks_seed, key])))
        return self._marks[name]

    def line_marks(self, name: str, n: int) -> tuple[np.ndarray, int]:
        """Of ``n`` line marks drawn from ``rng`` as by default: which to paint (a bool mask, all
        of them from lines 0.5 up) and how many more to add from ``marks_rng(name)`` (none up to
        0.5). The mask is nested: a mark dropped at 0.3 is dropped at 0.2 too."""
        f = self.line_factor
        keep = self.marks_rng(name + ":keep").random(n) < f if f < 1.0 else np.ones(n, bool)
        return keep, max(0, round(n * (f - 1.0)))

    @property
    def m(self) -> float:
        return float(min(self.width, self.height))

    @property
    def scale(self) -> float:
        return self.m / 1024.0

    def has(self, kind: str) -> bool:
        return kind in self.motifs

    def amount(self, kind: str, default: float = 0.5) -> float:
        """The motif's amount, moved by the picture's density: "更密一些" said of a whole landscape
        means more leaves, flowers and stars, not a new kind of thing."""
        m = self.motifs.get(kind)
        return default if m is None else _unit(m.amount + DENSITY_PULL * (self.spec.density - 0.5))

    def size(self, kind: str, default: float = 0.5) -> float:
        m = self.motifs.get(kind)
        return default if m is None else m.size

    def variant(self, kind: str) -> str:
        m = self.motifs.get(kind)
        return "" if m is None else m.variant

    def count(self, kind: str, base: float) -> int:
        """How many of a motif: an exact ``count`` when given, else ``base`` scaled by amount
        (0.5 → base, 1 → 2.5 x base, 0 → a few) and by the picture's density, x COUNT_STEP a
        step of feedback: the amount alone saturates, and small marks (leaves, stars, blades)
        fall where others already are, so "a bit denser" needs more than a fifth more."""
        m = self.motifs.get(kind)
        if m is not None and m.count is not None:
            return m.count
        a = 0.5 if m is None else self.amount(kind)
        steps = (self.spec.density - 0.5) / 0.15
        return max(1, round(base * (0.2 + 1.6 * a + 0.9 * max(0.0, a - 0.5) * 2) * COUNT_STEP**steps))

    def third_x(self, toward_subject: bool) -> float:
        """x of a vertical third line: the subject's side or the light's side."""
        right = (self.side > 0) == toward_subject
        return self.width * (2 / 3 if right else 1 / 3)

    def position_x(self, kind: str, default: float) -> float:
        pos = self.motifs[kind].position if kind in self.motifs else "auto"
        return {"left": self.width / 3, "right": self.width * 2 / 3, "center": self.width / 2}.get(
            pos, default)

    def depth_at(self, y: np.ndarray | float) -> np.ndarray | float:
        """Ground-plane depth of a row below the horizon: 1 at the horizon, 0 at the bottom."""
        t = (np.asarray(y) - self.horizon) / max(1.0, self.height - self.horizon)
        return np.clip(1.0 - t, 0.0, 1.0) ** 2.2

    def hazed(self, rgb: RGB, depth: float, strength: float = 0.85) -> RGB:
        """Atmospheric perspective: far things take on the haze colour and lose contrast."""
        return mix(rgb, self.light.haze, min(1.0, strength * depth))

    def blend(self, alpha: np.ndarray, colour: RGB | np.ndarray) -> None:
        """Paint ``colour`` over the whole canvas with per-pixel ``alpha`` (H, W) in 0..1."""
        c = np.asarray(colour, np.float32)
        self.rgb += (c - self.rgb) * alpha[..., None]

    def blend_box(self, x0: int, y0: int, alpha: np.ndarray, colour: RGB | np.ndarray) -> None:
        """Blend a small (h, w) alpha patch whose top-left is (x0, y0), clipped to the canvas."""
        h, w = alpha.shape
        xa, ya, xb, yb = max(0, x0), max(0, y0), min(self.width, x0 + w), min(self.height, y0 + h)
        if xa >= xb or ya >= yb:
            return
        a = alpha[ya - y0 : yb - y0, xa - x0 : xb - x0, None]
        patch = self.rgb[ya:yb, xa:xb]
        c = np.asarray(colour, np.float32)
        self.rgb[ya:yb, xa:xb] = patch + (c - patch) * a


def rgba(rgb: RGB | tuple[float, ...], alpha: float) -> tuple[int, int, int, int]:
    return (int(rgb[0]), int(rgb[1]), int(rgb[2]), int(round(255 * min(1.0, max(0.0, alpha)))))


def _unit(x: float) -> float:
    return min(1.0, max(0.0, x))
