"""``Retouch``: feedback applied to a picture's own pixels, for pictures duetto did not paint.

Why this way: when a person imports their edit (a large orange disc painted over a draft) and
then says "更温暖一些", they mean *this* picture, warmer — not a fresh painting from the spec the
edit inherited, which would throw their disc away. So every move here is made on the pixels:

* structure first: ``smooth`` (fewer lines, bigger shapes, calmer, simpler) is an
  edge-keeping median filter that erases thin strokes and fine texture but leaves any shape
  wider than its window where it was; ``sharpen`` (more lines, more detail) an unsharp mask;
* then colour, as one smooth function of a pixel's colour (a 3D lookup table, like
  ``recolour``): lightness and contrast in L*, ``warmth`` as a shift of every a*b* toward
  orange (or blue), ``saturation`` as a chroma gain, ``hue`` as a small rotation (``vary``), and
  ``tint`` toward a colour asked for ("more blue"), which moves near-neutral pixels and pixels
  of neighbouring hues while a colour opposite it (the person's orange disc) stays itself;
* then colours ruled out ("不要红色") are turned out of their hue arc, as the painter does;
* last, motifs asked for ("加一轮月亮") are painted on top by the painter's own motif code,
  placed on the flatter side of the sky so they do not cover what the person drew.

What cannot be done on pixels (removing a motif, a new painter style, a motif that needs the
scene's ground) is refused by ``moves`` with an error that says what can be done instead:
nothing is silently repainted. The engine is pure: the same source bytes, params and seed give
the same bytes, so a retouched version replays.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from PIL import Image, ImageFilter, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.image.analyse import hex_rgb, lab_to_rgb, rgb_to_lab
from duetto.media.image.painter.canvas import encode_png
from duetto.media.image.painter.motifs import birds, celestial, leaves, sky, weather
from duetto.media.image.painter.motifs.stage import Light, Pen, Stage, season_of
from duetto.media.image.painter.palette import (
    Exclusions,
    build_palette,
    hls_to_rgb,
    to_hex,
)
from duetto.spec import CreativeSpec, HueRange, Motif, NamedColour, SpecDelta

LUT_SIZE = 33  # grid points per RGB axis of the colour table
WARMTH_DE = 36.0  # ΔE of a*b* shift toward orange per unit of warmth: "一些" (0.28) is 10 ΔE, 2.5 jnd
SATURATION_GAIN = 1.2  # chroma × (1 + gain × saturation)
LIGHT_L = 40.0  # L* per unit of lightness: "brighter" (0.2) lifts the picture 8 L*
CONTRAST_GAIN = 0.9  # L* spread × (1 + gain × contrast) around the picture's mean
TINT_DE = 16.0  # ΔE a near-neutral pixel moves toward a colour asked for
TINT_REACH = 100.0  # degrees of hue around the asked colour that still take some of the tint
SMOOTH_WINDOW = 48.0  # median window at smooth 1: the shorter side / this, in pixels
SHARPEN_PERCENT = 160  # unsharp-mask strength at sharpen 1
BEHIND_DE = 25.0  # ΔE from the sky above which a pixel is something drawn, which stars stay behind
ORANGE = np.array([np.cos(np.radians(60.0)), np.sin(np.radians(60.0))])  # the warm direction in a*b*
OVERLAY_MOTIFS = ("sun", "moon", "stars", "clouds", "birds", "leaves", "snow", "rain", "mist")
"""Motifs that can be painted over any picture: sky and weather. Trees, water, mountains,
grass and flowers belong to a scene's ground, which an imported picture does not have."""


class Tint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hex: str = Field(pattern=r"^#[0-9a-f]{6}$")
    amount: float = Field(1.0, ge=0.0, le=2.0)


class RetouchParams(BaseModel):
    """The moves to make on the source's pixels (``moves`` reads them from feedback, ``variation``
    draws small ones for ``vary``); every field at its default leaves the picture as it is."""

    model_config = ConfigDict(extra="forbid")

    warmth: float = Field(0.0, ge=-2.0, le=2.0, description="Toward orange (+) or blue (−), spec warmth units.")
    saturation: float = Field(0.0, ge=-0.8, le=2.0, description="Chroma gain.")
    lightness: float = Field(0.0, ge=-1.0, le=1.0, description="L* lift, spec lightness units.")
    contrast: float = Field(0.0, ge=-0.9, le=2.0, description="L* spread gain around the mean.")
    hue: float = Field(0.0, ge=-45.0, le=45.0, description="Hue rotation in degrees (Lab).")
    tint: list[Tint] = Field(default_factory=list, max_length=8, description="Colours asked for.")
    exclude_colours: list[NamedColour] = Field(default_factory=list, max_length=16)
    exclude_hues: list[HueRange] = Field(default_factory=list, max_length=16)
    smooth: float = Field(0.0, ge=0.0, le=1.0, description="Fewer lines, bigger shapes: median filter.")
    sharpen: float = Field(0.0, ge=0.0, le=1.0, description="More lines, more detail: unsharp mask.")
    motifs: list[Motif] = Field(default_factory=list, max_length=8, description="Sky and weather motifs to paint on.")

    def is_identity(self) -> bool:
        return self == RetouchParams()


class Reading(BaseModel):
    """What ``moves`` made of a feedback: the moves, and what it heard and let pass."""

    params: RetouchParams
    heard: list[str]
    ignored: list[str]


# -- feedback → moves -------------------------------------------------------------------------


def _mean_shift(shift: dict[str, float], base: str) -> float:
    vals = [shift[k] for k in (f"{base}.lo", f"{base}.hi") if k in shift]
    return float(np.mean(vals)) if vals else 0.0


STRUCTURE = (("line.amount", -2.0), ("line.smoothness", 1.0), ("shape_size", 1.5), ("density", -1.0),
             ("complexity", -1.0))
"""Spec shifts that smooth (+) or sharpen (−) the picture, with their weight."""
GRADE = {"warmth": "grade.warmth", "saturation": "grade.saturation", "lightness": "grade.light",
         "contrast": "grade.contrast"}
"""A colourist's grade of the spec, when the parser says colour feedback that way: the same moves."""
HANDLED = {"palette.warmth", "palette.saturation.lo", "palette.saturation.hi", "palette.variety",
           "palette.lightness.lo", "palette.lightness.hi", "energy", *GRADE.values(), *(k for k, _ in STRUCTURE)}
LIMITS = {"warmth": (-2.0, 2.0), "saturation": (-0.8, 2.0), "lightness": (-1.0, 1.0), "contrast": (-0.9, 2.0),
          "hue": (-45.0, 45.0), "smooth": (0.0, 1.0), "sharpen": (0.0, 1.0)}


def moves(delta: SpecDelta, spec: CreativeSpec, source: str) -> Reading:
    """The pixel moves a feedback asks for. ``spec`` is the revised spec (motifs take its
    words and sizes); ``source`` names the picture in errors ("your picture 3f2a…").

    Refuses, with what to do instead, feedback that pixels cannot honour: a new style, removing
    a motif, a motif that needs a scene's ground."""
    sh = delta.shift
    heard: list[str] = []
    ignored: list[str] = []
    style = delta.set.get("style")
    if style is not None:
        raise InvalidInput(
            f"a new style ({style}) would repaint {source} and lose your edit",
            hint="`duetto restyle <version> --style <name>` restyles your pixels; or revise the painting "
                 "you edited to repaint it from its spec")
    for key in sorted(delta.set):
        ignored.append(f"{key} = {delta.set[key]}")
    p: dict[str, Any] = {}
    smooth = sharpen = 0.0
    warmth = sh.get("palette.warmth", 0.0) + sh.get(GRADE["warmth"], 0.0)
    if warmth:
        p["warmth"] = warmth
        heard.append(f"warmth {warmth:+.2f}")
    sat = _mean_shift(sh, "palette.saturation") + 0.5 * sh.get("palette.variety", 0.0) + sh.get(GRADE["saturation"], 0.0)
    light = _mean_shift(sh, "palette.lightness") + sh.get(GRADE["lightness"], 0.0)
    energy = sh.get("energy", 0.0)
    contrast = 0.8 * energy + sh.get(GRADE["contrast"], 0.0)
    sat += 0.4 * energy
    if energy:
        heard.append(f"energy {energy:+.2f}")
    if light:
        p["lightness"] = light
        heard.append(f"lightness {light:+.2f}")
    if sat:
        p["saturation"] = sat
        heard.append(f"saturation {sat:+.2f}")
    if contrast:
        p["contrast"] = contrast
        if GRADE["contrast"] in sh:
            heard.append(f"contrast {sh[GRADE['contrast']]:+.2f}")
    for key, gain in STRUCTURE:
        v = sh.get(key, 0.0) * gain
        if v:
            heard.append(f"{key} {sh[key]:+.2f}")
        smooth, sharpen = smooth + max(v, 0.0), sharpen + max(-v, 0.0)
    smooth += max(0.0, -energy) * 0.5
    if smooth > sharpen:
        p["smooth"] = min(1.0, smooth - sharpen)
    elif sharpen > smooth:
        p["sharpen"] = min(1.0, sharpen - smooth)
    tints = [Tint(hex=c.hex) for c in delta.add_colours]
    if not tints:  # a hue arc alone ("偏红"): its middle at a clear chroma
        for arc in delta.add_hues:
            mid = (arc.start + ((arc.end - arc.start) % 360.0) / 2) % 360.0
            tints.append(Tint(hex=to_hex(hls_to_rgb(mid, 0.5, 0.7))))
    if tints:
        p["tint"] = tints
        heard.append("more " + (", ".join(c.name for c in delta.add_colours) or "of a hue"))
    if delta.exclude_colours or delta.exclude_hues:
        p["exclude_colours"], p["exclude_hues"] = delta.exclude_colours, delta.exclude_hues
        heard.append("no " + (", ".join(c.name for c in delta.exclude_colours) or "hue"))
    painted: list[Motif] = []
    for edit in delta.motifs:
        if edit.remove:
            raise InvalidInput(
                f"duetto cannot take the {edit.kind} out of {source}: it is in your pixels",
                hint="paint it out and import the picture again, or mark the part with --rect/--mask and ask "
                     "for a colour or a calmer look there")
        if edit.kind not in OVERLAY_MOTIFS:
            raise InvalidInput(
                f"cannot paint {edit.kind} on {source}: they stand on a scene's ground (horizon, land, water) "
                "that duetto did not paint",
                hint=f"on your picture duetto can add {', '.join(OVERLAY_MOTIFS)}; or revise the painting you "
                     "edited to repaint it with the change")
        motif = next((m for m in spec.motifs if m.kind == edit.kind), Motif(kind=edit.kind))
        painted.append(motif)
        heard.append(f"add {edit.kind}")
    if painted:
        p["motifs"] = painted
    ignored += [k for k in sorted(sh) if k not in HANDLED and not k.startswith("mood.")]  # mood: read as colour
    params = RetouchParams.model_validate(_clamped(p))
    if params.is_identity():
        raise InvalidInput(
            f"nothing in {delta.feedback!r} can act on the pixels of {source}",
            hint="on your own picture try warmer, cooler, brighter, calmer, more blue, 不要红色, 线条少一点, "
                 "bigger shapes, 加一轮月亮")
    return Reading(params=params, heard=heard, ignored=ignored)


def _clamped(p: dict[str, Any]) -> dict[str, Any]:
    """Moves kept inside the params' bounds: a strong feedback goes as far as allowed."""
    return {k: (min(LIMITS[k][1], max(LIMITS[k][0], round(v, 4))) if k in LIMITS else v) for k, v in p.items()}


def variation(amount: float, seed: int) -> RetouchParams:
    """Small moves for ``vary`` of a person's picture: a little warmer or cooler, a hue turn,
    a touch of light and colour — never a change of shape. ``amount`` is vary's spec step
    (0.06 by default); the seed draws the moves, so each variant is its own and replays."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    k = amount / 0.06
    return RetouchParams.model_validate(_clamped({
        "warmth": float(rng.normal(0.0, 0.22 * k)),
        "hue": float(rng.normal(0.0, 9.0 * k)),
        "saturation": float(rng.normal(0.0, 0.15 * k)),
        "lightness": float(rng.normal(0.0, 0.08 * k)),
        "contrast": float(rng.normal(0.0, 0.1 * k)),
    }))


# -- the moves on pixels ----------------------------------------------------------------------


def decode(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as im:
            return im.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(f"retouch works on raster pictures; this one cannot be read ({exc})") from None


def structure(image: Image.Image, p: RetouchParams) -> Image.Image:
    """Median smoothing or unsharp masking, scaled to the picture's size."""
    side = min(image.size)
    if p.smooth > 0:
        size = 1 + 2 * max(1, round(p.smooth * side / SMOOTH_WINDOW / 2))
        image = image.filter(ImageFilter.MedianFilter(size))
    if p.sharpen > 0:
        radius = max(1.0, side / 256)
        image = image.filter(ImageFilter.UnsharpMask(radius=radius, percent=round(SHARPEN_PERCENT * p.sharpen),
                                                     threshold=2))
    return image


def colour_table(p: RetouchParams, mean_l: float) -> np.ndarray:
    """(S³, 3) sRGB 0..1: where each grid colour goes (Pillow's order: red fastest)."""
    axis = np.linspace(0.0, 1.0, LUT_SIZE)
    b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")
    lab = rgb_to_lab(np.stack([r, g, b], -1).reshape(-1, 3))
    L, ab = lab[:, 0], lab[:, 1:]
    L = mean_l + (L - mean_l) * (1.0 + CONTRAST_GAIN * p.contrast) + LIGHT_L * p.lightness
    ab = ab * max(0.0, 1.0 + SATURATION_GAIN * p.saturation)
    if p.hue:
        c, s = np.cos(np.radians(p.hue)), np.sin(np.radians(p.hue))
        ab = ab @ np.array([[c, s], [-s, c]])
    # the warm shift is fullest in the mid-tones: a black stays black, a white stays white
    mid = np.clip(np.sin(np.pi * np.clip(L, 0, 100) / 100.0), 0.0, 1.0) ** 0.5
    ab = ab + (WARMTH_DE * p.warmth * mid)[:, None] * ORANGE
    for t in p.tint:
        goal = rgb_to_lab(hex_rgb(t.hex) / 255.0)
        aim = goal[1:] / max(1e-6, float(np.hypot(*goal[1:])))
        chroma = np.hypot(ab[:, 0], ab[:, 1])
        apart = np.degrees(np.abs(np.angle(np.exp(1j * (np.arctan2(ab[:, 1], ab[:, 0]) - np.arctan2(aim[1], aim[0]))))))
        near = np.clip(1.0 - apart / TINT_REACH, 0.0, 1.0)
        neutral = np.clip(1.0 - chroma / 25.0, 0.0, 1.0)
        w = np.maximum(near, neutral) * mid * t.amount
        ab = ab + (TINT_DE * w)[:, None] * aim
    return lab_to_rgb(np.concatenate([L[:, None], ab], 1))


def recolour(image: Image.Image, p: RetouchParams) -> Image.Image:
    plain = RetouchParams(smooth=p.smooth, sharpen=p.sharpen, motifs=p.motifs,
                          exclude_colours=p.exclude_colours, exclude_hues=p.exclude_hues)
    if p == plain:
        return image
    small = np.asarray(image.resize((64, 64), Image.Resampling.BOX), np.float64) / 255.0
    mean_l = float(rgb_to_lab(small)[..., 0].mean())
    table = colour_table(p, mean_l)
    return image.filter(ImageFilter.Color3DLUT(LUT_SIZE, table.astype(np.float32).ravel()))


def _flatter_side(rgb: np.ndarray) -> int:
    """+1 when the upper left is the quieter part of the sky (motifs go to the light's side,
    which ``Stage`` puts opposite the subject), −1 when the upper right is."""
    h, w = rgb.shape[:2]
    grey = rgb.mean(-1)
    top = grey[: h // 2]
    left, right = top[:, : w // 2], top[:, w // 2 :]
    return 1 if left.std() <= right.std() else -1


def _salience(rgb: np.ndarray) -> np.ndarray:
    """(H, W) how much each pixel stands out from the sky: ΔE from the upper half's median
    colour. What the person drew there (a disc, a figure) scores high; plain sky low."""
    lab = rgb_to_lab(rgb / 255.0)
    sky = np.median(lab[: lab.shape[0] // 2].reshape(-1, 3), axis=0)
    return np.sqrt(((lab - sky) ** 2).sum(-1))


def _birds_place(st: Stage) -> tuple[float, float, float]:
    """Where the painter gathers a flock (``birds.paint_birds``): its centre and spread."""
    return st.position_x("birds", st.third_x(toward_subject=True)), st.horizon * 0.4, st.width * 0.12


PLACES: dict[str, Callable[[Stage], tuple[float, float, float]]] = {
    "sun": celestial.sun_place, "moon": celestial.moon_place, "birds": _birds_place}
"""The painter's placement of the motifs that are one thing in one place: (x, y, radius)."""


def _clear_place(st: Stage, rgb: np.ndarray, kind: str) -> None:
    """Put the sun, the moon or the flock where it covers least of what is already there:
    each thirds position (or the one a region asked for) at three heights (the painter's
    placement reads the horizon), scored by the salience under it and its glow. Leaves
    ``st.horizon`` at the chosen height; the caller puts it back."""
    place = PLACES[kind]
    asked = st.motifs[kind]
    spots = [asked.position] if asked.position in ("left", "right", "center") else ["right", "left", "center"]
    heights = [st.horizon, st.height / 3, st.height / 4]
    salient = _salience(rgb)
    best: tuple[float, str, float] | None = None
    for where in spots:
        for horizon in heights:
            st.motifs[kind], st.horizon = asked.model_copy(update={"position": where}), horizon
            cx, cy, r = place(st)
            near = (st.xs - cx) ** 2 + (st.ys - cy) ** 2 <= (2.2 * r) ** 2
            score = float(salient[near].mean()) if near.any() else 0.0
            if best is None or score < best[0] - 1e-6:
                best = (score, where, horizon)
    assert best is not None
    st.motifs[kind], st.horizon = asked.model_copy(update={"position": best[1]}), best[2]


def paint_motifs(image: Image.Image, p: RetouchParams, spec: CreativeSpec, seed: int) -> Image.Image:
    """The painter's sky and weather motifs, painted over the picture."""
    if not p.motifs:
        return image
    rgb = np.asarray(image, np.float32)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 11])))
    motifs = {m.kind: m for m in p.motifs}
    lum = float(rgb.mean()) / 255.0
    time = "night" if lum < 0.3 or "moon" in motifs or "stars" in motifs else "day"
    swatches = build_palette(spec, np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 12]))))
    w, h = image.size
    st = Stage(spec=spec, swatches=swatches, width=w, height=h, rng=rng, motifs=motifs,
               light=Light.of(time, spec, swatches), season=season_of(spec), wind=0.2 * spec.energy,
               horizon=h * 2 / 3, side=_flatter_side(rgb))
    st.rgb = rgb.copy()
    if "stars" in motifs:  # first, and only in open sky: stars are behind the moon and what the person drew
        before = st.rgb.copy()
        sky.paint_stars(st)
        st.rgb = np.where((_salience(rgb) > BEHIND_DE)[..., None], before, st.rgb)
    ground = st.horizon
    for kind, paint in (("sun", celestial.paint_sun), ("moon", celestial.paint_moon)):
        if kind in motifs:
            _clear_place(st, rgb, kind)
            paint(st)
    st.horizon = ground
    if "clouds" in motifs:
        sky.paint_clouds(st)
    if "mist" in motifs:
        weather.paint_mist(st, [st.horizon])
    if "rain" in motifs:
        weather.rain_veil(st)
    k = 2
    big = Image.fromarray(np.clip(st.rgb, 0, 255).astype(np.uint8)).resize((w * k, h * k), Image.Resampling.BILINEAR)
    pen = Pen(big, k)
    if "birds" in motifs:
        _clear_place(st, rgb, "birds")
        birds.paint_birds(st, pen, None)
        st.horizon = ground
    if "leaves" in motifs:
        leaves.paint_leaves(st, pen, None)
    if "snow" in motifs:
        weather.paint_snow(st, pen)
    if "rain" in motifs:
        weather.paint_rain(st, pen)
    return big.reduce(k)


def retouch(image: Image.Image, p: RetouchParams, spec: CreativeSpec, seed: int) -> Image.Image:
    image = recolour(structure(image, p), p)
    if p.exclude_colours or p.exclude_hues:
        image = Exclusions(p.exclude_colours, p.exclude_hues).guard(image)
    return paint_motifs(image, p, spec, seed)


class Retouch:
    """A Transformer: its parent's pixels, moved as the params say."""

    name: ClassVar[str] = "retouch"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = RetouchParams

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None) -> Artefact:
        raise InvalidInput("retouch works on a picture that exists", hint='duetto revise <your version> "warmer"')

    def transform(self, parents: list[Artefact], spec: CreativeSpec, params: BaseModel, seed: int,
                  progress: Progress | None = None) -> Artefact:
        p = params if isinstance(params, RetouchParams) else RetouchParams.model_validate(params or {})
        if not parents:
            return self.generate(spec, p, seed, progress)
        source = parents[0]
        if not source.mime.startswith("image/") or source.ext == "svg":
            raise InvalidInput(f"retouch works on raster pictures, not {source.mime}")
        if progress:
            progress(0.1, "retouching")
        image = retouch(decode(source.data), p, spec, seed)
        if progress:
            progress(1.0, "done")
        return Artefact(data=encode_png(image), ext="png", mime="image/png",
                        info={"width": image.width, "height": image.height,
                              "retouched": p.model_dump(mode="json", exclude_defaults=True)})
