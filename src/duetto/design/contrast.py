"""WCAG contrast of a text colour against colours and against an image.

WCAG 2.x defines contrast between two flat colours: (L1 + 0.05) / (L2 + 0.05) with L the relative
luminance; AA asks 4.5 for body text and 3 for large text (≥ 24 px, or 18.7 px bold), AAA 7 and
4.5. A picture is not one colour, so text on an image is judged on the ratio that 95 % of the
region's pixels reach (``p05``): a few stray bright pixels do not fail white text, a bright cloud
behind a third of it does. The worst pixel and the ratio to the region's mean colour are reported
beside it, and a failing check says which of black or white would pass.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field

from duetto.errors import InvalidInput
from duetto.media.image.analyse import (
    contrast_ratio,
    hex_rgb,
    load_rgb,
    relative_luminance,
)

AA, AA_LARGE, AAA, AAA_LARGE = 4.5, 3.0, 7.0, 4.5
CHECK_SIDE = 256  # the region is read at this long side: enough for text-sized detail
WORST_SHARE = 5.0  # percentile of pixels allowed to fall below the verdict's ratio


class Verdict(BaseModel):
    """Which WCAG levels a ratio meets."""

    ratio: float
    aa: bool = Field(description="≥ 4.5: body text, level AA.")
    aa_large: bool = Field(description="≥ 3: large text, level AA.")
    aaa: bool = Field(description="≥ 7: body text, level AAA.")
    aaa_large: bool = Field(description="≥ 4.5: large text, level AAA.")

    @property
    def level(self) -> str:
        """The best level met, in the words designers use."""
        if self.aaa:
            return "AAA"
        if self.aa:
            return "AA"
        if self.aa_large:
            return "AA large"
        return "fail"


def verdict(ratio: float) -> Verdict:
    return Verdict(ratio=round(ratio, 2), aa=ratio >= AA, aa_large=ratio >= AA_LARGE,
                   aaa=ratio >= AAA, aaa_large=ratio >= AAA_LARGE)


def ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex colours (1..21)."""
    return contrast_ratio(hex_rgb(a), hex_rgb(b))


class TextOnImage(BaseModel):
    """How a text colour reads over a region of an image."""

    text: str
    region: tuple[float, float, float, float] = Field(description="x0, y0, x1, y1 as fractions of the image.")
    p05: Verdict = Field(description="The ratio 95 % of the region's pixels reach, and its levels.")
    worst: float = Field(description="Ratio against the region's worst pixel.")
    mean: float = Field(description="Ratio against the region's mean colour.")
    better: str | None = Field(None, description="Black or white, when the text colour fails AA and it passes more.")


def text_on_image(image: Image.Image | Path | str | np.ndarray, text_hex: str,
                  region: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)) -> TextOnImage:
    """Contrast of ``text_hex`` over ``region`` (fractions) of an image."""
    x0, y0, x1, y1 = region
    if not (0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1):
        raise InvalidInput(f"bad region {region}", hint="x0,y0,x1,y1 as fractions, x0<x1, y0<y1, e.g. 0,0.7,1,1")
    rgb = load_rgb(image, side=CHECK_SIDE)  # (H, W, 3)
    h, w, _ = rgb.shape
    box = rgb[int(y0 * h): max(int(y0 * h) + 1, round(y1 * h)), int(x0 * w): max(int(x0 * w) + 1, round(x1 * w))]
    lum = relative_luminance(box.reshape(-1, 3))  # (n,)

    def ratios(text_lum: float) -> np.ndarray:
        return (np.maximum(lum, text_lum) + 0.05) / (np.minimum(lum, text_lum) + 0.05)

    t = float(relative_luminance(hex_rgb(text_hex)))
    r = ratios(t)
    p05 = float(np.percentile(r, WORST_SHARE))
    better = None
    if p05 < AA:
        options = {c: float(np.percentile(ratios(float(relative_luminance(hex_rgb(c)))), WORST_SHARE))
                   for c in ("#000000", "#ffffff")}
        best = max(options, key=lambda c: options[c])
        better = best if options[best] > p05 else None
    return TextOnImage(text=text_hex, region=region, p05=verdict(p05), worst=round(float(r.min()), 2),
                       mean=round(contrast_ratio(hex_rgb(text_hex), box.reshape(-1, 3).mean(0)), 2),
                       better=better)
