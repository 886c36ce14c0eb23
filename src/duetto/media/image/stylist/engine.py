"""``Stylist``: restyle a stored picture — after one of 26 built-in styles, a blend of them, any
painting, or without a model (colour transfer, histogram matching, a palette gradient map).

It is a ``Transformer``: the studio hands it the stored source picture (and, for a painting used
as a style, that painting's stored bytes as a second input), so replay reads the same bytes.

What the spec says, and how it is read:

- ``spec.style``: the style string (``styles.py``): ``starry_night``, ``19``,
  ``starry_night:0.6,mosaic:0.4`` or ``image:<version>``; feedback such as "更像梵高一些" moves it.
- ``spec.stylisation`` (0..1): the strength; "less stylised" lowers it. With a built-in style it
  mixes the result with the source; with a painting it moves the style vector from the source's
  own style toward the painting's (which reads better than a fade).
- ``spec.shape_size``: the brush-stroke scale. The network draws strokes of a fixed size in
  pixels, so the picture is restyled at ``size / 2**(2·(shape_size−0.5))`` and resized to
  ``size``: 0.5 is 1:1, "bigger strokes" (0.75) works at 0.7× and upscales, 0.25 works at 1.4×.
  Restyling once at a working size (never in tiles) is what keeps 2048² free of seams.
- ``spec.palette``: the inks of the ``palette`` method.

The seed is recorded but unused: the networks are deterministic (fixed threads, one pass), and
variations come from the spec (``duetto vary`` jitters strength and stroke scale).
"""

from __future__ import annotations

import io
import time
from typing import Any, ClassVar, Literal

import numpy as np
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.image.painter.canvas import encode_png
from duetto.media.image.stylist import classical, neural
from duetto.media.image.stylist.styles import IMAGE_PREFIX, canonical, weights_of
from duetto.spec import CreativeSpec

Method = Literal["neural", "colour", "histogram", "palette"]
MAX_SIDE = 2048
MIN_SIDE = 64
NEEDS_REFERENCE = ("colour", "histogram")


class StylistParams(BaseModel):
    """How to restyle (the spec says *which* style and how strongly)."""

    model_config = ConfigDict(extra="forbid")

    method: Method = Field("neural", description="neural (a network), colour (Reinhard Lab statistics), "
                                                 "histogram (Lab histogram matching) or palette (gradient map).")
    keep_colours: bool = Field(False, description="Neural only: the style's brushwork, the source's colours.")
    size: int | None = Field(None, ge=MIN_SIDE, le=MAX_SIDE,
                             description="Long side of the result in pixels; default: the source's (at most 2048).")


def decode(artefact: Artefact, what: str) -> Image.Image:
    try:
        with Image.open(io.BytesIO(artefact.data)) as im:
            return im.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(f"the {what} is not a picture the stylist can read ({exc})",
                           hint="restyle works on PNG, JPEG, WebP … images") from None


def output_size(source: Image.Image, size: int | None) -> tuple[int, int]:
    """The result's (w, h): the source's aspect ratio, long side ``size`` (default the source's)."""
    long_side = min(MAX_SIDE, size or max(source.size))
    scale = long_side / max(source.size)
    return max(MIN_SIDE // 4, round(source.width * scale)), max(MIN_SIDE // 4, round(source.height * scale))


def stroke_scale(spec: CreativeSpec) -> float:
    return float(2.0 ** (2.0 * (spec.shape_size - 0.5)))


def palette_inks(spec: CreativeSpec) -> np.ndarray:
    """(k, 3) 0..1: the spec's named colours, or (none named) the painter's colours for it."""
    if len(spec.palette.colours) >= 2:
        return np.array([c.rgb for c in spec.palette.colours], np.float64) / 255.0
    from duetto.media.image.painter.engine import STREAM_PALETTE, rng_for
    from duetto.media.image.painter.palette import build_palette

    swatches = build_palette(spec, rng_for(0, STREAM_PALETTE))
    inks = np.asarray([*swatches.colours, swatches.ink, swatches.paper], np.float64)
    return inks / 255.0 if inks.max() > 1.0 else inks


class Stylist:
    name: ClassVar[str] = "stylist"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = StylistParams

    def check(self, spec: CreativeSpec, params: BaseModel) -> None:
        """Fail before anything is stored: an unknown style name lists the known ones."""
        p = StylistParams.model_validate(params.model_dump())
        if p.method == "neural":
            if not spec.style:
                raise InvalidInput("which style? pass --style", hint="duetto styles lists the 26 built-in ones")
            if not spec.style.startswith(IMAGE_PREFIX):
                weights_of(spec.style)
        if p.keep_colours and p.method != "neural":
            raise InvalidInput(f"--keep-colours keeps the source's colours; the {p.method} method only changes colours",
                               hint="use it with --method neural")

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None) -> Artefact:
        raise InvalidInput("the stylist restyles a picture; it makes nothing from a brief alone",
                           hint="duetto restyle <version or image file> --style starry_night")

    def transform(self, parents: list[Artefact], spec: CreativeSpec, params: BaseModel, seed: int,
                  progress: Progress | None = None) -> Artefact:
        p = StylistParams.model_validate(params.model_dump())
        self.check(spec, p)
        t0 = time.perf_counter()
        source = decode(parents[0], "source")
        reference = decode(parents[1], "style painting") if len(parents) > 1 else None
        size = output_size(source, p.size)
        content = source.resize(size, Image.Resampling.LANCZOS) if source.size != size else source
        strength = spec.stylisation
        info: dict[str, Any] = {"method": p.method, "style": spec.style, "strength": round(strength, 3),
                                "width": size[0], "height": size[1]}
        if p.method == "neural":
            styled, working = self._neural(source, content, spec, reference)
            info.update(working=list(working), backend=neural.backend_version())
        elif p.method == "palette":
            styled = classical.gradient_map(neural.to_array(content), palette_inks(spec))
        else:
            if reference is None:
                raise InvalidInput(f"the {p.method} method needs a painting to take colours from",
                                   hint="--style path/to/painting.jpg")
            ref = neural.to_array(_thumbnail(reference, 512))
            match = classical.colour_transfer if p.method == "colour" else classical.histogram_match
            styled = match(neural.to_array(content), ref)
        base = neural.to_array(content)
        if p.keep_colours:
            styled = classical.keep_colours(styled, base)
        if p.method != "neural" or not (spec.style or "").startswith(IMAGE_PREFIX):
            styled = strength * styled + (1.0 - strength) * base  # a painting's strength is in its vector
        info["seconds"] = round(time.perf_counter() - t0, 4)
        resolved = {"style": _canonical_style(spec.style)} if p.method == "neural" else {}
        return Artefact(data=encode_png(neural.to_image(styled)), ext="png", mime="image/png",
                        resolved=resolved, info=info)

    def _neural(self, source: Image.Image, content: Image.Image, spec: CreativeSpec,
                reference: Image.Image | None) -> tuple[np.ndarray, tuple[int, int]]:
        style = spec.style or ""
        if style.startswith(IMAGE_PREFIX):
            if reference is None:
                raise InvalidInput(f"style {style!r} names a painting, but none was given to read")
            vector = neural.style_vector(reference)
            if spec.stylisation < 1.0:  # from the picture's own style toward the painting's
                vector = spec.stylisation * vector + (1.0 - spec.stylisation) * neural.style_vector(source)
            out = neural.arbitrary(source, vector)
        else:
            scale = stroke_scale(spec)
            w, h = content.size
            work = (max(MIN_SIDE // 4, min(MAX_SIDE, round(w / scale))), max(MIN_SIDE // 4, min(MAX_SIDE, round(h / scale))))
            out = neural.builtin(source.resize(work, Image.Resampling.LANCZOS), weights_of(style))
        working = (out.shape[1], out.shape[0])
        if working != content.size:
            out = neural.to_array(neural.to_image(out).resize(content.size, Image.Resampling.LANCZOS))
        return out, working


def _canonical_style(style: str | None) -> str | None:
    if style is None or style.startswith(IMAGE_PREFIX):
        return style
    return canonical(weights_of(style))


def _thumbnail(image: Image.Image, side: int) -> Image.Image:
    """Statistics need no more than ``side`` pixels; a smaller copy makes them fast."""
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy
