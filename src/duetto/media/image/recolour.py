"""``Recolour``: repaint a picture in a palette, keeping its light and dark.

Why this way: a designer who recolours a painting wants the same picture in other colours — the
shapes, the value structure, the texture all kept. So the picture's own colours are found first
(k-means in Lab, ``analyse.dominant_colours``), each is matched to a palette colour by lightness
rank (the darkest source colour takes the darkest palette colour), and every pixel moves by a
soft mix of its nearby source colours' moves: its a*b* goes to the targets' (with a share of its
own variation kept as texture), its L* moves only part of the way (``lightness``), so lights stay
light and darks dark. Pure numpy in Lab; same source, spec, params and seed → same bytes.

The palette is the spec's (``spec.palette.colours``), so feedback works on it like on any work:
"more blue" adds blue, "不要红色" removes red, "warmer" turns every target toward orange. Seed 0
is the plain lightness-rank match; other seeds (``duetto vary``) jitter the ranks so colours of
similar value trade places.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar

import numpy as np
from PIL import Image, ImageFilter, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.image.analyse import dominant_colours, lab_to_rgb, rgb_to_lab
from duetto.media.image.painter.canvas import encode_png
from duetto.media.image.painter.palette import hls_to_rgb, rgb_to_hls, to_hex, warm
from duetto.spec import CreativeSpec

SOURCE_SEED = 0  # the source colours are always found the same way: the seed only varies matching
RANK_JITTER = 18.0  # L* noise added to the palette's ranks for seeds other than 0
LUT_SIZE = 33  # grid points per RGB axis of the colour lookup table
WARMTH_PULL = 0.4  # how far spec.palette.warmth ±1 turns the targets toward orange / blue


class RecolourParams(BaseModel):
    """How strongly to recolour; the palette itself is the spec's."""

    model_config = ConfigDict(extra="forbid")

    strength: float = Field(1.0, ge=0.0, le=1.0, description="0 keeps the picture, 1 is fully recoloured.")
    lightness: float = Field(0.35, ge=0.0, le=1.0,
                             description="How far L* moves toward the target's (0 keeps the light exactly).")
    texture: float = Field(0.5, ge=0.0, le=1.0, description="Share of the pixel's own colour variation kept.")
    k: int = Field(6, ge=2, le=16, description="How many source colours to find.")
    softness: float = Field(10.0, ge=2.0, le=60.0, description="ΔE width of the soft match between colours.")


def decode(data: bytes) -> Image.Image:
    """The RGB image in a raster file's bytes."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            return im.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(f"recolour works on raster images; this one cannot be read ({exc})") from None


def targets(spec: CreativeSpec) -> np.ndarray:
    """(n, 3) Lab of the spec's palette colours, turned by its warmth."""
    if not spec.palette.colours:
        raise InvalidInput("the spec has no palette colours to recolour to",
                           hint='duetto recolour <version> --palette "#aabbcc,#112233" or --harmony triadic --base 金色')
    rgb = []
    for c in spec.palette.colours:
        h, l, s = rgb_to_hls(c.rgb)
        rgb.append(hls_to_rgb(warm(h, spec.palette.warmth, WARMTH_PULL), l, s))
    return rgb_to_lab(np.asarray(rgb, np.float64) / 255.0)


def match(source_l: np.ndarray, target_l: np.ndarray, seed: int) -> np.ndarray:
    """Index of the target each source colour takes: equal lightness quantiles.

    (m,) source L*, (n,) target L* → (m,) target indices. The i-th darkest of m source colours
    takes the target at the same rank fraction among n; seeds other than 0 add L* noise to the
    targets first, so close values may swap."""
    order_t = np.argsort(target_l + (0.0 if seed == 0 else np.random.default_rng(seed).normal(0, RANK_JITTER, len(target_l))),
                         kind="stable")
    ranks = np.argsort(np.argsort(source_l, kind="stable"), kind="stable")  # 0 = darkest
    m, n = len(source_l), len(target_l)
    pos = np.round(ranks * (n - 1) / max(m - 1, 1)).astype(int)
    return order_t[pos]


def recolour(image: Image.Image, palette_lab: np.ndarray, p: RecolourParams, seed: int) -> tuple[Image.Image, list[dict[str, Any]]]:
    """Recolour an RGB image; returns it and the colour mapping used.

    The move is a smooth function of a pixel's colour alone, so it is computed once on a
    ``LUT_SIZE``³ grid of RGB colours and applied with Pillow's trilinear 3D LUT (C, one pass):
    a 1024² picture costs the grid's 36k colours, not its million pixels."""
    found = dominant_colours(image, p.k, SOURCE_SEED)
    src = np.array([c.lab for c in found])  # (m, 3)
    pick = match(src[:, 0], palette_lab[:, 0], seed)
    dst = palette_lab[pick]  # (m, 3)
    axis = np.linspace(0.0, 1.0, LUT_SIZE)
    b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")  # Pillow's table order: red fastest
    grid = np.stack([r, g, b], -1).reshape(-1, 3)  # (S³, 3)
    lab = rgb_to_lab(grid)
    d2 = ((lab[:, None, :] - src[None]) ** 2).sum(-1)  # (S³, m)
    w = np.exp(-(d2 - d2.min(1, keepdims=True)) / (2 * p.softness**2))  # shifted: no underflow
    w /= w.sum(1, keepdims=True)
    centre = w @ src  # (S³, 3) the soft source colour of each grid colour
    goal = w @ dst  # (S³, 3) where that colour goes
    out = np.empty_like(lab)
    out[:, 0] = lab[:, 0] + p.lightness * (goal[:, 0] - centre[:, 0])
    out[:, 1:] = goal[:, 1:] + p.texture * (lab[:, 1:] - centre[:, 1:])
    out = lab + p.strength * (out - lab)
    table = lab_to_rgb(out)  # (S³, 3)
    lut = ImageFilter.Color3DLUT(LUT_SIZE, table.astype(np.float32).ravel())
    mapping = [{"from": c.hex, "to": to_hex(tuple(int(v) for v in (lab_to_rgb(dst[i]) * 255).round())),  # type: ignore[arg-type]
                "share": c.share} for i, c in enumerate(found)]
    return image.filter(lut), mapping


class Recolour:
    name: ClassVar[str] = "recolour"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = RecolourParams

    def check(self, spec: CreativeSpec, params: BaseModel) -> None:
        targets(spec)

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None) -> Artefact:
        raise InvalidInput("recolour needs a picture to recolour", hint="duetto recolour <version> --palette …")

    def transform(self, parents: list[Artefact], spec: CreativeSpec, params: BaseModel, seed: int,
                  progress: Progress | None = None) -> Artefact:
        p = params if isinstance(params, RecolourParams) else RecolourParams.model_validate(params or {})
        if not parents:
            return self.generate(spec, p, seed, progress)
        source = parents[0]
        if not source.mime.startswith("image/") or source.ext == "svg":
            raise InvalidInput(f"recolour works on raster images, not {source.mime}")
        image, mapping = recolour(decode(source.data), targets(spec), p, seed)
        return Artefact(data=encode_png(image), ext="png", mime="image/png",
                        info={"width": image.width, "height": image.height, "mapping": mapping,
                              "palette": [c.hex for c in spec.palette.colours]})
