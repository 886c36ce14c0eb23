"""A tiny shape scene drawn twice: by Pillow's C rasteriser (PNG) and as SVG text.

Why a scene instead of drawing straight onto an image: vector styles promise an SVG that matches
the PNG, so both come from one list of shapes. Raster-only styles skip the scene and paint
numpy arrays directly. Antialiasing is done by drawing at ``supersample`` times the size and
box-reducing, which is cheap and exact for integer factors.

Coordinates are output pixels (floats); colours are ``(r, g, b, a)`` with ``a`` 0..255.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from PIL import Image, ImageDraw

RGBA = tuple[int, int, int, int]
COMPRESS_LEVEL = 3  # grain-textured paintings barely shrink past 3, and 6 is 3x slower


def _n(x: float) -> str:
    """Fixed, short number text so SVG bytes are stable and small."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _colour_attr(name: str, colour: RGBA) -> str:
    """``fill="#rrggbb"`` plus ``fill-opacity`` when translucent (same for ``stroke``)."""
    text = '{}="#{:02x}{:02x}{:02x}"'.format(name, *colour[:3])
    return text if colour[3] >= 255 else f'{text} {name}-opacity="{colour[3] / 255:.3f}"'


class Shape(Protocol):
    def draw(self, draw: ImageDraw.ImageDraw, k: float) -> None: ...
    def svg(self) -> str: ...


@dataclass(frozen=True)
class Polygon:
    points: np.ndarray  # (n, 2)
    fill: RGBA

    def draw(self, draw: ImageDraw.ImageDraw, k: float) -> None:
        draw.polygon([tuple(p) for p in (self.points * k).tolist()], fill=self.fill)

    def svg(self) -> str:
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in self.points.tolist())
        return f'<polygon points="{pts}" {_colour_attr("fill", self.fill)}/>'


@dataclass(frozen=True)
class Ellipse:
    cx: float
    cy: float
    rx: float
    ry: float
    fill: RGBA | None
    outline: RGBA | None = None
    width: float = 0.0  # outline width, centred on the rim as in SVG

    def draw(self, draw: ImageDraw.ImageDraw, k: float) -> None:
        if self.fill is not None:
            draw.ellipse(_box(self.cx, self.cy, self.rx, self.ry, k), fill=self.fill)
        if self.outline is not None and self.width > 0:  # Pillow strokes inward: grow the box
            half = self.width / 2
            box = _box(self.cx, self.cy, self.rx + half, self.ry + half, k)
            draw.ellipse(box, outline=self.outline, width=max(1, round(self.width * k)))

    def svg(self) -> str:
        fill = _colour_attr("fill", self.fill) if self.fill is not None else 'fill="none"'
        stroke = (
            f' {_colour_attr("stroke", self.outline)} stroke-width="{_n(self.width)}"'
            if self.outline is not None and self.width > 0
            else ""
        )
        return (
            f'<ellipse cx="{_n(self.cx)}" cy="{_n(self.cy)}" rx="{_n(self.rx)}" '
            f'ry="{_n(self.ry)}" {fill}{stroke}/>'
        )


@dataclass(frozen=True)
class Line:
    """An open polyline of constant width with round joints (and round caps)."""

    points: np.ndarray  # (n, 2)
    colour: RGBA
    width: float

    def draw(self, draw: ImageDraw.ImageDraw, k: float) -> None:
        w = max(1, round(self.width * k))
        pts = [tuple(p) for p in (self.points * k).tolist()]
        draw.line(pts, fill=self.colour, width=w, joint="curve" if w > 2 else None)
        if w > 3:
            r = self.width * k / 2
            for x, y in (pts[0], pts[-1]):
                draw.ellipse((x - r, y - r, x + r, y + r), fill=self.colour)

    def svg(self) -> str:
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in self.points.tolist())
        return (
            f'<polyline points="{pts}" fill="none" {_colour_attr("stroke", self.colour)} '
            f'stroke-width="{_n(self.width)}" stroke-linecap="round" stroke-linejoin="round"/>'
        )


@dataclass(frozen=True)
class Arc:
    """Part of a circle's rim; angles in degrees, clockwise from 3 o'clock (y points down)."""

    cx: float
    cy: float
    r: float
    start: float
    end: float
    colour: RGBA
    width: float

    def draw(self, draw: ImageDraw.ImageDraw, k: float) -> None:
        box = _box(self.cx, self.cy, self.r + self.width / 2, self.r + self.width / 2, k)
        draw.arc(box, self.start, self.end, fill=self.colour, width=max(1, round(self.width * k)))

    def svg(self) -> str:
        a0, a1 = np.radians(self.start), np.radians(self.end)
        x0, y0 = self.cx + self.r * np.cos(a0), self.cy + self.r * np.sin(a0)
        x1, y1 = self.cx + self.r * np.cos(a1), self.cy + self.r * np.sin(a1)
        large = 1 if (self.end - self.start) % 360 > 180 else 0
        return (
            f'<path d="M{_n(x0)},{_n(y0)} A{_n(self.r)},{_n(self.r)} 0 {large} 1 {_n(x1)},{_n(y1)}" '
            f'fill="none" {_colour_attr("stroke", self.colour)} stroke-width="{_n(self.width)}"/>'
        )


def _box(cx: float, cy: float, rx: float, ry: float, k: float) -> tuple[float, float, float, float]:
    return ((cx - rx) * k, (cy - ry) * k, (cx + rx) * k, (cy + ry) * k)


def ribbon(points: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Outline of a stroke whose width varies along ``points``: a closed polygon (2n, 2).

    One filled polygon per stroke blends its alpha once (a polyline of segments would darken
    every joint) and lets a stroke taper like a real brush.
    """
    d = np.gradient(points, axis=0)
    d /= np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-9)
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) * (widths[:, None] / 2)
    return np.concatenate([points + normal, (points - normal)[::-1]])


@dataclass
class Scene:
    """An ordered list of shapes over a flat background."""

    width: int
    height: int
    background: tuple[int, int, int]
    shapes: list[Shape] = field(default_factory=list)

    def add(self, shape: Shape) -> None:
        self.shapes.append(shape)

    def render(self, supersample: int = 2) -> Image.Image:
        k = max(1, supersample)
        img = Image.new("RGB", (self.width * k, self.height * k), self.background)
        draw = ImageDraw.Draw(img, "RGBA")
        for shape in self.shapes:
            shape.draw(draw, k)
        return img.reduce(k) if k > 1 else img

    def to_svg(self) -> str:
        w, h = self.width, self.height
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}">'
        )
        bg = "#{:02x}{:02x}{:02x}".format(*self.background)
        body = "\n".join(s.svg() for s in self.shapes)
        return f'{head}\n<rect width="{w}" height="{h}" fill="{bg}"/>\n{body}\n</svg>\n'


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes with no timestamp or other varying metadata."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=COMPRESS_LEVEL)
    return buf.getvalue()
