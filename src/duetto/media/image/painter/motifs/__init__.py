"""Figurative motifs (sky, sun and moon, mountains, water, trees, leaves, flowers, birds, rain,
snow, mist, grass), one small file per family, painted on a shared ``Stage`` and composed by
``styles/scene.py``."""
