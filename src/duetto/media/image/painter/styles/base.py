"""What a style receives and returns, and how it says which briefs it suits.

Each style is one file exposing ``STYLE = Style(...)``: a name, whether it is vector (and so
can emit SVG), the words that call for it, an ``affinity(spec)`` score used when the artist did
not name a style, and ``paint(job) -> Painting``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from duetto.media.image.painter.palette import Swatches
from duetto.spec import CreativeSpec

if TYPE_CHECKING:
    from duetto.media.image.painter.film import Film


@dataclass(frozen=True)
class Job:
    """One painting to make: the spec, its concrete colours, the canvas and the drawing RNG."""

    spec: CreativeSpec
    swatches: Swatches
    width: int
    height: int
    supersample: int
    rng: np.random.Generator
    want_svg: bool
    film: Film | None = None  # set only when animating: the style reports its steps to it

    @property
    def scale(self) -> float:
        """Size factor relative to a 1024 px canvas: keeps marks proportional at any size."""
        return min(self.width, self.height) / 1024.0


@dataclass(frozen=True)
class Painting:
    image: Image.Image  # RGB, exactly (width, height)
    svg: str | None = None
    marks: int = 0  # strokes/shapes drawn: reported in info, handy for tests and critique


@dataclass(frozen=True)
class Style:
    name: str
    vector: bool
    keywords: tuple[str, ...]
    affinity: Callable[[CreativeSpec], float]
    paint: Callable[[Job], Painting]
    summary: str
