"""The painter's styles, one file each. ``STYLES`` maps name -> ``Style`` in a fixed order."""

from __future__ import annotations

from duetto.media.image.painter.styles import (
    brush,
    colorfield,
    flow,
    geometric,
    ink,
    scene,
    wave,
)
from duetto.media.image.painter.styles.base import Job, Painting, Style

STYLES: dict[str, Style] = {m.STYLE.name: m.STYLE for m in (flow, geometric, colorfield, ink, brush, wave, scene)}

__all__ = ["STYLES", "Job", "Painting", "Style"]
