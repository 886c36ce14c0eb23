"""The film of a painting's making: styles report their steps, the film keeps a few of them.

Why a recorder instead of a second renderer per style: a style paints in one pass, and the
animation must end on exactly the still. So the style paints as usual and calls
``job.film.tick(...)`` after each step (a stroke, a shape, a soft layer); the film knows, from a
first counting pass, at which steps the frames fall and captures the canvas only there. Every
step has a ``weight`` (a soft layer such as a sky counts for many strokes); a frame that falls
*inside* a heavy step shows that step being brushed on: a soft-edged sweep from the previous
capture to the new one, top to bottom like a wash, never a cross-fade.

Captures are whatever the style's canvas is mid-way (an image, an array, a tuple); the style
says how to turn one into a picture with ``develop`` (its finishing pass: relief, paper, ink).
With no film attached (``job.film is None``) a style pays one ``if`` per step and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from duetto.media.image.painter.canvas import Scene
from duetto.media.image.painter.motifs.stage import Pen

Capture = Callable[[], Any]
SWEEP_EDGE = 0.12  # width of the sweep's soft edge, as a fraction of the canvas height


@dataclass
class _Frame:
    state: Any  # the capture this frame shows
    before: Any  # the capture it sweeps from (None: the blank ground)
    sweep: float  # 1.0: all of ``state``; less: the sweep is that far down the canvas


class Film:
    """Counts steps (``targets`` None) or captures the steps where frames fall."""

    def __init__(self, targets: list[float] | None = None, sweep_every_step: bool = False) -> None:
        self.total = 0.0  # weight of the steps so far
        self.steps = 0
        self.sweep_every_step = sweep_every_step  # few steps for many frames: brush each one on
        self.targets = targets or []
        self.counting = targets is None
        self.frames: list[_Frame] = []
        self._next = 0
        self._last: Any = None  # the latest capture, which the next sweep starts from
        self._watched: Image.Image | None = None
        self._develop: Callable[[Any], Image.Image] = lambda state: state

    def watch(self, canvas: Image.Image) -> None:
        """``tick()`` with no capture copies this canvas (styles that draw on one image)."""
        self._watched = canvas

    def begin(self, state: Any) -> None:
        """The capture the first sweep starts from (default: the blank ground)."""
        self._last = state

    def develop(self, fn: Callable[[Any], Image.Image]) -> None:
        """How a capture becomes a picture: the style's own finishing pass."""
        self._develop = fn

    def tick(self, capture: Capture | None = None, weight: float = 1.0) -> None:
        before, self.total = self.total, self.total + weight
        self.steps += 1
        if self.counting:
            return
        state = None
        while self._next < len(self.targets) and self.targets[self._next] <= self.total + 1e-9:
            if state is None:
                state = capture() if capture is not None else self._watched.copy()  # type: ignore[union-attr]
            swept = weight > 1 or self.sweep_every_step
            sweep = (self.targets[self._next] - before) / weight if swept and weight > 0 else 1.0
            self.frames.append(_Frame(state, self._last, min(1.0, sweep)))
            self._next += 1
        if state is not None:
            self._last = state

    def pictures(self, blank: Image.Image) -> list[Image.Image]:
        """The captured frames as pictures, each sweep laid over what came before."""
        developed: dict[int, Image.Image] = {}

        def picture(state: Any) -> Image.Image:
            if state is None:
                return blank
            key = id(state)
            if key not in developed:
                developed[key] = self._develop(state)
            return developed[key]

        out = []
        for frame in self.frames:
            new = picture(frame.state)
            if frame.sweep < 1.0:
                old = picture(frame.before)
                new = Image.composite(new, old, _sweep_mask(new.size, _changed(old, new), frame.sweep))
            out.append(new)
        return out


def _changed(old: Image.Image, new: Image.Image) -> tuple[int, int, int, int]:
    """Where a step painted: the sweep crosses that box, not the whole canvas."""
    return ImageChops.difference(old, new).getbbox() or (0, 0, *new.size)


def _sweep_mask(size: tuple[int, int], box: tuple[int, int, int, int], f: float) -> Image.Image:
    """Inside ``box``: white above a wavy line ``f`` of the way down (soft edge), black below."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    edge = y + 0.25 * x + 0.03 * np.sin(x * 19.0 + y * 7.0)  # brushed on in a slant, not a ruler line
    low, high = -0.03, 1.28  # the edge's range over the canvas
    reach = low + f * (high - low + SWEEP_EDGE)
    alpha = np.clip((reach - edge) / SWEEP_EDGE, 0.0, 1.0)
    mask = Image.new("L", size, 0)
    mask.paste(Image.fromarray((alpha * 255).astype(np.uint8), "L"), (x0, y0))
    return mask


def schedule(total: float, frames: int) -> list[float]:
    """Where frames fall along the steps: evenly by weight, the last at the very end."""
    return [total * (i + 1) / frames for i in range(frames)]


def render(scene: Scene, supersample: int, film: Film | None) -> Image.Image:
    """``scene.render`` that lets the film see each shape land (same pixels as the still)."""
    if film is None:
        return scene.render(supersample)
    k = max(1, supersample)
    img = Image.new("RGB", (scene.width * k, scene.height * k), scene.background)
    draw = ImageDraw.Draw(img, "RGBA")
    for shape in scene.shapes:
        shape.draw(draw, k)
        film.tick(lambda: img.reduce(k) if k > 1 else img.copy())
    return img.reduce(k) if k > 1 else img


class FilmedPen(Pen):
    """A ``Pen`` that tells the film after every mark (the scene style's crisp pass)."""

    def __init__(self, image: Image.Image, k: int, film: Film) -> None:
        super().__init__(image, k)
        self.film = film

    def _snap(self) -> None:
        self.film.tick(lambda: self.image.reduce(self.k) if self.k > 1 else self.image.copy())

    def polygon(self, pts: np.ndarray, rgba: tuple[int, int, int, int]) -> None:
        super().polygon(pts, rgba)
        self._snap()

    def line(self, pts: np.ndarray, rgba: tuple[int, int, int, int], width: float) -> None:
        super().line(pts, rgba, width)
        self._snap()

    def ellipse(self, cx: float, cy: float, rx: float, ry: float,
                rgba: tuple[int, int, int, int]) -> None:
        super().ellipse(cx, cy, rx, ry, rgba)
        self._snap()


def pen(image: Image.Image, k: int, film: Film | None) -> Pen:
    return Pen(image, k) if film is None else FilmedPen(image, k, film)
