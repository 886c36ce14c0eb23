"""duetto: a human artist and generative models make art together, offline."""

__version__ = "0.1.0"
