"""What a viewer sees change in a painting, measured from its PNG bytes (see ``studio.felt``).

"更温暖一些，线条少一点" is a promise about the next picture: its colours visibly warmer, fewer
lines on the canvas. Each feature is read off the pixels alone (an imported human edit measures
the same), on the 128 px copy ``analyse`` uses, with the just-noticeable difference (``jnd``) a
viewer would see side by side:

* ``warmth``: mean projection of each pixel's Lab (a*, b*) on the orange direction (hue 60°),
  in ΔE units, greys counting zero. A blue picture reads about -30, a golden one +30; 4 ΔE is a
  shift of the whole picture a viewer notices at a glance.
* ``edges``: share of pixels whose L* steps by more than ``analyse.EDGE_STEP`` to a neighbour
  (``analyse``'s busyness), in percent; 1 point (of a typical 5-10) is a tenth of the lines,
  and on a busy picture a tenth of what is there (Weber: lines are compared by ratio). Under
  half a point there are no lines to take away: "fewer lines" there is already kept.
* ``blue``, ``red``, ``green``, ``yellow``: share of the canvas (percent) whose colour lies in
  that hue family with some chroma; "more blue" must add 3 points of blue.
* ``density``: share of 8 px blocks (percent) that carry marks, not quiet ground
  (100 - ``analyse.empty_space``). At 99 every block carries marks: "denser" there is already
  kept, as "fewer lines" is on a bare field. Denser or sparser changes how much ground shows, so
  the mean lightness and chroma follow the ground's share (a sparser picture on white paper is
  lighter): density may move them; the colour mix it may not (see below).
* ``size``: how much of the picture's lightness variation lives at low spatial frequency
  (variance of 8 px block means over the variance), percent: big masses score high, fine
  texture low. Near its ends the 4 points are capped at a quarter of the room left: a colour
  field at 90 % keeps a tenth of its variance in fine brushing, and bigger masses that smooth a
  quarter of it away are seen (texture contrast is compared by ratio, as lines are), though
  that is only 2.5 points; the same for "smaller" on fine flow lines at 11 %.
* ``energy``: felt agitation: contrast (L* std), colourfulness (mean chroma) and busyness
  together, one point per ΔE-ish unit.
* ``lightness``: mean L*; ``saturation``: mean Lab chroma.
* ``coloured``: share of the canvas (percent) with chroma enough for its hue to count (not a
  feature a phrase moves: the whole that ``MIX`` judges hue shares against).

Density, size and energy feedback change how much of the canvas carries colour: denser or bigger
shapes cover more ground, calmer mutes some colours under the chroma a hue needs to count. A
viewer asked for "denser" who gets more marks in the same colours sees the same colours, though
blue's share of the canvas grew with the marks; so for those families (``mix=True``) a hue share
spills only when it moved a jnd away from the same mix on the new coloured part: the colour mix
changed. Warmth (a mean of a*, b*) grows with chroma the same way: the same golden hues made
more vivid (energy may move saturation) are not a warmer cast, so it is judged against the
saturation's change.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from duetto.media.image.analyse import (
    EDGE_STEP,
    empty_space_of,
    gradient,
    load_rgb,
    rgb_to_lab,
)
from duetto.studio.felt import Family, Feature

HUE_CHROMA = 15.0  # Lab chroma a pixel needs before its hue counts toward a colour family
SIZE_BLOCK = 8  # block side, in analysis pixels (128 px side): detail finer than this is "small"
HUE_FAMILIES: dict[str, tuple[float, float]] = {  # Lab hue angle arcs (degrees), start..end
    "red": (350.0, 50.0),
    "yellow": (60.0, 105.0),
    "green": (110.0, 200.0),
    "blue": (210.0, 300.0),
}

FEATURES: dict[str, Feature] = {f.name: f for f in (
    Feature(name="warmth", jnd=4.0, what="mean Lab projection on orange (ΔE)"),
    Feature(name="edges", jnd=1.0, weber=0.1, floor=0.5, what="edge pixels, percent"),
    Feature(name="blue", jnd=3.0, floor=0.5, what="blue share of the canvas, percent"),
    Feature(name="red", jnd=3.0, floor=0.5, what="red share of the canvas, percent"),
    Feature(name="green", jnd=3.0, floor=0.5, what="green share of the canvas, percent"),
    Feature(name="yellow", jnd=3.0, floor=0.5, what="yellow/gold share of the canvas, percent"),
    Feature(name="density", jnd=5.0, ceiling=99.0, what="blocks carrying marks, percent"),
    Feature(name="size", jnd=4.0, headroom=0.25, what="low-frequency share of lightness variance, percent"),
    Feature(name="energy", jnd=3.0, what="contrast + colourfulness + busyness"),
    Feature(name="lightness", jnd=4.0, what="mean L*"),
    Feature(name="saturation", jnd=4.0, what="mean Lab chroma"),
)}

_HUES = ("blue", "red", "green", "yellow")
MIX: dict[str, str] = {**{hue: "coloured" for hue in _HUES}, "warmth": "saturation"}
"""What grows with what, for the families that change how much colour there is (see above)."""
_COLOUR_ALLOWED = ("warmth", "saturation", "lightness", "energy", *_HUES)
FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family(name="warmth", feature="warmth", allowed=("saturation", "energy", *_HUES)),
    Family(name="blue", feature="blue", allowed=_COLOUR_ALLOWED),
    Family(name="red", feature="red", allowed=_COLOUR_ALLOWED),
    Family(name="green", feature="green", allowed=_COLOUR_ALLOWED),
    Family(name="lines", feature="edges", allowed=("energy", "density", "size")),
    Family(name="density", feature="density", allowed=("edges", "energy", "size", "lightness", "saturation"),
           mix=True),
    Family(name="size", feature="size", allowed=("edges", "energy", "density"), mix=True),
    Family(name="energy", feature="energy", allowed=("edges", "saturation", "lightness", "density", "size"), mix=True),
    Family(name="light", feature="lightness", allowed=("saturation", "energy", "warmth")),
)}

_SMALL = {"params": {"width": 384, "height": 384, "svg": False}}
BASES: list[dict] = [
    {"brief": "在秋日的黄昏，一片金色的落叶，在风中飘舞", **_SMALL},
    {"brief": "a deep blue night sea, cold and quiet", "style": "colorfield", **_SMALL},
    {"brief": "flowing lines of wind", "style": "flow", **_SMALL},
    {"brief": "几何构成，红黄蓝", "style": "geometric", **_SMALL},
    {"brief": "水墨山水，留白", "style": "ink", **_SMALL},
    {"brief": "calm colour fields at dusk", "style": "colorfield", **_SMALL},
    {"brief": "energetic brush strokes, spring garden", "style": "brush", **_SMALL},
    {"brief": "蓝色的海浪", "style": "wave", **_SMALL},
]
"""The works the benchmark revises: the seed brief (figurative), a blue one, then one per style."""


def features(data: bytes) -> dict[str, float]:
    """Every feature of a PNG (see the module docstring)."""
    with Image.open(io.BytesIO(data)) as im:
        return measure(np.asarray(im.convert("RGB")))


def measure(rgb: np.ndarray) -> dict[str, float]:
    """The features of an (H, W, 3) uint8 image in memory."""
    lab = rgb_to_lab(load_rgb(rgb))
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    chroma = np.hypot(a, b)
    hue = np.degrees(np.arctan2(b, a)) % 360.0
    step = gradient(L)
    edges = float((step > EDGE_STEP).mean())
    out = {
        "warmth": float((a * np.cos(np.radians(60.0)) + b * np.sin(np.radians(60.0))).mean()),
        "edges": 100.0 * edges,
        "density": 100.0 * (1.0 - empty_space_of(L)),
        "size": 100.0 * _low_share(L),
        "energy": 0.5 * float(L.std()) + 0.5 * float(chroma.mean()) + 100.0 * edges,
        "lightness": float(L.mean()),
        "saturation": float(chroma.mean()),
    }
    coloured = chroma > HUE_CHROMA
    out["coloured"] = 100.0 * float(coloured.mean())
    for name, (start, end) in HUE_FAMILIES.items():
        inside = (hue - start) % 360.0 <= (end - start) % 360.0
        out[name] = 100.0 * float((coloured & inside).mean())
    return {k: round(v, 4) for k, v in out.items()}


def _low_share(L: np.ndarray) -> float:
    var = float(L.var())
    if var < 1e-6:
        return 1.0
    h, w = (L.shape[0] // SIZE_BLOCK) * SIZE_BLOCK, (L.shape[1] // SIZE_BLOCK) * SIZE_BLOCK
    blocks = L[:h, :w].reshape(h // SIZE_BLOCK, SIZE_BLOCK, w // SIZE_BLOCK, SIZE_BLOCK).mean(axis=(1, 3))
    return min(1.0, float(blocks.var()) / var)
