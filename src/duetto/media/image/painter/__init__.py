"""The generative painter: procedural abstract paintings driven by a ``CreativeSpec``."""

from duetto.media.image.painter.engine import Painter, PainterParams

__all__ = ["Painter", "PainterParams"]
