"""Bring-your-own-model diffusion: Stable Diffusion folders on disk, offline (see engine.py).

Importing this package needs no torch: the studio lists the engine everywhere, and making a
picture without ``duetto[diffusion]`` installed is an error that says how to install it."""

from duetto.media.image.diffusion.engine import Diffusion, DiffusionParams

__all__ = ["Diffusion", "DiffusionParams"]
