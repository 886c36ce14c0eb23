"""Change only this part: a region of a picture, its feathered alpha, and the ``region`` engine.

Why this way: an artist who says "add a moon up here" wants everything else left exactly as it
is. So the region engine never edits outside the region: it asks an inner engine (the painter,
or any engine that can paint the revised spec) for a picture, and composites it into the parent
through an alpha that is 0 outside the region — those pixels are the parent's own, bit for bit —
and ramps up to 1 over a feather band *inside* the region, so the seam does not show.

A ``Region`` is kept in fractions of the width and height, so it means the same place at any
size; an uploaded mask is a stored picture referenced by its sha256 (white or opaque = change).
Inner engines that can inpaint (a diffusion model) implement ``Inpainter``: they get the parent
and the feathered mask instead of painting the whole picture, and the result is composited the
same way, so "outside stays identical" holds for every engine.

The engine's parents are ``[picture, mask (kind "mask" only), *inner sources]``: the stored
bytes the studio (and replay) hand to ``transform``.
"""

from __future__ import annotations

import inspect
import io
import re
from importlib.metadata import entry_points
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

import numpy as np
from PIL import Image, ImageFilter, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from duetto.engine import Artefact, Engine, Progress, Transformer, parse_params
from duetto.errors import InvalidInput
from duetto.media.image.painter.canvas import encode_png
from duetto.settings import Settings
from duetto.spec import CreativeSpec

EDGE = 1e-6  # rounding slack for "inside the canvas"
PHI2 = 0.97725  # Φ(2): a Gaussian-blurred straight edge 2σ inside the region
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Region(BaseModel):
    """Where to change: a rectangle, an ellipse or a mask picture, in fractions of the canvas.

    ``box`` is ``(x, y, w, h)`` for a rectangle (top-left corner and size) and ``(cx, cy, rx,
    ry)`` for an ellipse (centre and radii; ``rx`` a fraction of the width, ``ry`` of the
    height). ``mask`` is the sha256 of a stored mask picture. ``feather`` is the width of the
    soft band inside the edge, a fraction of the shorter side (0 = a hard edge)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["rect", "ellipse", "mask"]
    box: tuple[float, float, float, float] | None = None
    mask: str | None = Field(None, description="sha256 of the stored mask picture (kind 'mask').")
    feather: float = Field(0.02, ge=0.0, le=0.25)

    @model_validator(mode="after")
    def _fits(self) -> Region:
        if self.kind == "mask":
            if self.mask is None or not SHA256.match(self.mask) or self.box is not None:
                raise ValueError("a mask region names its mask by sha256 and has no box")
            return self
        if self.box is None or self.mask is not None:
            raise ValueError(f"a {self.kind} region needs a box and no mask")
        a, b, c, d = self.box
        if c <= 0 or d <= 0:
            raise ValueError(f"the {self.kind} has zero size ({c:g} × {d:g})")
        if self.kind == "rect" and (a < -EDGE or b < -EDGE or a + c > 1 + EDGE or b + d > 1 + EDGE):
            raise ValueError(f"the rectangle x={a:g} y={b:g} w={c:g} h={d:g} leaves the canvas "
                             "(fractions 0..1: x+w and y+h at most 1)")
        if self.kind == "ellipse" and not (-EDGE <= a <= 1 + EDGE and -EDGE <= b <= 1 + EDGE and c <= 1 and d <= 1):
            raise ValueError(f"the ellipse centre ({a:g}, {b:g}) must lie on the canvas and its radii be at most 1")
        return self

    def describe(self) -> str:
        """For credits and history: "rect x 0–0.45, y 0–0.4, feather 0.02"."""
        if self.kind == "mask":
            return f"mask {self.mask[:12] if self.mask else ''}, feather {self.feather:g}"
        a, b, c, d = self.box or (0, 0, 0, 0)
        where = (f"rect x {a:g}–{a + c:g}, y {b:g}–{b + d:g}" if self.kind == "rect"
                 else f"ellipse at ({a:g}, {b:g}) radii {c:g} × {d:g}")
        return f"{where}, feather {self.feather:g}"

    def centre_x(self) -> float:
        """Where the region sits across the canvas (0 left .. 1 right); for a mask, 0.5 (the
        studio reads the mask picture's own centre)."""
        if self.box is None:
            return 0.5
        return self.box[0] + self.box[2] / 2 if self.kind == "rect" else self.box[0]


# -- the mask ---------------------------------------------------------------------------------


def read_mask(data: bytes) -> Image.Image:
    """A mask picture as "L" (255 = change): its alpha when it has a varying one (a brush
    stroke on a transparent layer), else its lightness. Anything but a readable image is an
    error that says so."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                alpha = im.convert("RGBA").getchannel("A")
                lo, hi = alpha.getextrema()
                if lo != hi:
                    return alpha
            return im.convert("L")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"the mask is not a picture duetto can read ({exc})",
                           hint="a PNG with white where to change and black where to keep") from None


def inside(region: Region, size: tuple[int, int], mask: Image.Image | None = None) -> np.ndarray:
    """(H, W) bool: pixels whose centre lies in the region (a mask is resized to the canvas
    and read at half grey)."""
    w, h = size
    if region.kind == "mask":
        if mask is None:
            raise InvalidInput("a mask region needs its mask picture")
        return np.asarray(mask.convert("L").resize((w, h), Image.Resampling.BILINEAR)) >= 128
    a, b, c, d = region.box  # type: ignore[misc]
    if region.kind == "rect":
        out = np.zeros((h, w), bool)
        out[round(b * h):round((b + d) * h), round(a * w):round((a + c) * w)] = True
        return out
    xs = ((np.arange(w) + 0.5) / w - a) / c  # (W,)
    ys = ((np.arange(h) + 0.5) / h - b) / d  # (H,)
    return ys[:, None] ** 2 + xs[None, :] ** 2 <= 1.0


def ramp(hard: np.ndarray, px: float) -> np.ndarray:
    """(H, W) float32: 0 outside ``hard``, rising smoothly to 1 at ``px`` inside its edge.

    The hard region is blurred with σ = px/2 and the part above half grey is stretched to 0..1:
    on a straight edge that is 0 at the edge and 1 at 2σ = px inside; then a smoothstep, so the
    ramp has no kink where it meets the untouched picture."""
    if px < 1.0:
        return hard.astype(np.float32)
    blurred = Image.fromarray(hard.astype(np.uint8) * 255).filter(ImageFilter.GaussianBlur(px / 2))
    t = np.clip((np.asarray(blurred, np.float32) / 255.0 - 0.5) / (PHI2 - 0.5), 0.0, 1.0)
    a = t * t * (3.0 - 2.0 * t)
    a[~hard] = 0.0
    return a


def alpha(region: Region, size: tuple[int, int], mask: Image.Image | None = None) -> np.ndarray:
    """(H, W) float32 in 0..1: 0 outside the region, 1 a feather's width inside its edge."""
    hard = inside(region, size, mask)
    if not hard.any():
        raise InvalidInput(f"the region ({region.describe()}) covers no pixel of the {size[0]}×{size[1]} picture",
                           hint="make it larger")
    return ramp(hard, region.feather * min(size))


def composite(picture: Image.Image, painted: Image.Image, a: np.ndarray) -> Image.Image:
    """``picture`` with ``painted`` laid in through ``a``; where ``a`` is 0 the pixels are the
    picture's own, untouched (not re-rounded)."""
    mode = picture.mode if picture.mode in ("RGB", "RGBA", "L") else "RGB"
    base = picture if picture.mode == mode else picture.convert(mode)
    top = painted.convert(mode)
    if top.size != base.size:
        top = top.resize(base.size, Image.Resampling.LANCZOS)
    p = np.asarray(base)
    k = a if p.ndim == 2 else a[..., None]
    mixed = np.rint(p + k * (np.asarray(top).astype(np.float32) - p)).astype(np.uint8)
    return Image.fromarray(np.where(k > 0, mixed, p), mode)


# -- the engine -------------------------------------------------------------------------------


@runtime_checkable
class Inpainter(Protocol):
    """Optional, for inner engines: repaint only where ``mask`` ("L", 255 = repaint, soft
    feathered edges, the picture's size) says, e.g. a diffusion inpainting pipeline. The region
    engine still composites the result through the same mask."""

    def inpaint(self, picture: Artefact, mask: Image.Image, spec: CreativeSpec, params: BaseModel,
                seed: int, progress: Progress | None = None) -> Artefact: ...


def region_from(rect: Any, ellipse: Any, mask_sha: str | None, feather: float, *, what: str, hint: str) -> Region:
    """The region a request names with exactly one of rect, ellipse or a mask (by sha256),
    with one readable error for every way it can be wrong (``what``: "inpaint", "change")."""
    given = {"rect": rect, "ellipse": ellipse, "mask": mask_sha}
    named = [k for k, v in given.items() if v is not None]
    if len(named) != 1:
        raise InvalidInput(f"say which part to {what} with one of --rect, --ellipse or --mask", hint=hint)
    kind = named[0]
    try:
        return Region(kind=kind, box=None if kind == "mask" else given[kind], mask=mask_sha,  # type: ignore[arg-type]
                      feather=feather)
    except ValidationError as exc:
        raise InvalidInput("bad region: " + "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors()),
                           hint="fractions of the picture: --rect 0,0,0.5,0.5 is the upper-left quarter") from None


class RegionParams(BaseModel):
    """The region and the engine that paints inside it (with that engine's own params)."""

    model_config = ConfigDict(extra="forbid")

    region: Region
    inner: str = Field("painter", description="The engine that paints the revised spec.")
    inner_params: dict[str, Any] = Field(default_factory=dict)


def decode(artefact: Artefact, what: str) -> Image.Image:
    if not artefact.mime.startswith("image/") or artefact.ext == "svg":
        raise InvalidInput(f"region revise works on raster pictures; the {what} is {artefact.mime}")
    try:
        with Image.open(io.BytesIO(artefact.data)) as im:
            im.load()
            return im.copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(f"the {what} cannot be read ({exc})") from None


class RegionPainter:
    """Repaint one region of a picture with an inner engine's render of the revised spec."""

    name: ClassVar[str] = "region"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = RegionParams

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self._inner: dict[str, Engine] = {}

    def engine(self, name: str) -> Engine:
        """An installed engine by its ``name`` (not its entry point's, which may differ: the
        diffusion engine registers as ``stable-diffusion`` so that it never sorts before the
        painter), built like the studio builds it."""
        if name == self.name:
            raise InvalidInput("a region cannot be painted by the region engine itself")
        if name not in self._inner:
            found = [f for f in (ep.load() for ep in entry_points(group="duetto.engines"))
                     if getattr(f, "name", None) == name]
            if not found:
                raise InvalidInput(f"no engine named {name!r} to paint the region")
            factory = found[0]
            wants = "settings" in inspect.signature(factory).parameters
            self._inner[name] = factory(settings=self.settings) if wants and self.settings else factory()
        return self._inner[name]

    def check(self, spec: CreativeSpec, params: BaseModel) -> None:
        p = params if isinstance(params, RegionParams) else RegionParams.model_validate(params)
        inner = self.engine(p.inner)
        inner_params = parse_params(inner, p.inner_params)
        if hasattr(inner, "check"):
            inner.check(spec, inner_params)

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None) -> Artefact:
        raise InvalidInput("a region revise needs the picture to change",
                           hint='duetto revise <version> "加一轮月亮" --rect 0,0,0.5,0.4')

    def transform(self, parents: list[Artefact], spec: CreativeSpec, params: BaseModel, seed: int,
                  progress: Progress | None = None) -> Artefact:
        p = params if isinstance(params, RegionParams) else RegionParams.model_validate(params)
        if not parents:
            return self.generate(spec, p, seed, progress)
        picture = decode(parents[0], "picture")
        rest = parents[1:]
        mask = None
        if p.region.kind == "mask":
            if not rest or rest[0].sha256 != p.region.mask:
                raise InvalidInput("the mask picture of this region is missing or not the one recorded")
            mask, rest = read_mask(rest[0].data), rest[1:]
        a = alpha(p.region, picture.size, mask)
        inner = self.engine(p.inner)
        inner_params = parse_params(inner, p.inner_params)
        if isinstance(inner, Inpainter):
            soft = Image.fromarray(np.rint(a * 255).astype(np.uint8))
            painted = inner.inpaint(parents[0], soft, spec, inner_params, seed, progress)
        elif rest and isinstance(inner, Transformer):
            painted = inner.transform(rest, spec, inner_params, seed, progress)
        else:
            painted = inner.generate(spec, inner_params, seed, progress)
        out = composite(picture, decode(painted, f"{p.inner} render"), a)
        info = {
            "region": p.region.describe(),
            "painted_by": p.inner,
            "changed": round(float((a > 0).mean()), 4),
            "width": out.width,
            "height": out.height,
            **{k: painted.info[k] for k in ("style", "palette") if k in painted.info},
        }
        return Artefact(data=encode_png(out), ext="png", mime="image/png", resolved=painted.resolved, info=info)
