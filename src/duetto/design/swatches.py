"""Swatch cards: a palette as a PNG (CJK names in Noto Sans CJK) and as coloured blocks in a terminal.

One row per palette (a harmony, an extraction), one card per colour: the colour as a block with
its hex written on it in whichever of black or white reads better, and the zh/en names under it.
Extracted colours show their share of the picture.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from rich.table import Table
from rich.text import Text

from duetto.design.contrast import ratio
from duetto.design.palette import Swatch
from duetto.errors import InvalidInput

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SANS_SC = 2  # face of the collection with Simplified Chinese glyph forms
CARD_W, CARD_H, LABEL_H, GAP, PAD, ROW_LABEL = 150, 110, 54, 10, 28, 190
PAPER, INK, MUTED = (250, 249, 246), (34, 34, 38), (110, 110, 118)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = BOLD if bold and BOLD.exists() else FONT
    if not path.exists():
        raise InvalidInput(f"swatch images need the Noto CJK fonts; {path} is missing",
                           hint="run scripts/system-deps.sh (apt-get install fonts-noto-cjk)")
    return ImageFont.truetype(str(path), size, index=SANS_SC)


def on_colour(hex_: str) -> str:
    """Black or white, whichever has more contrast on ``hex_``."""
    return "#000000" if ratio(hex_, "#000000") >= ratio(hex_, "#ffffff") else "#ffffff"


def sheet(rows: list[tuple[str, list[Swatch]]], title: str) -> Image.Image:
    """Rows of (label, swatches) under a title, as an RGB image."""
    cols = max(len(s) for _, s in rows)
    width = PAD * 2 + ROW_LABEL + cols * (CARD_W + GAP) - GAP
    row_h = CARD_H + LABEL_H + GAP * 2
    height = PAD * 2 + 44 + len(rows) * row_h
    im = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(im)
    draw.text((PAD, PAD - 6), title, fill=INK, font=font(26, bold=True))
    hex_font, name_font, small = font(17, bold=True), font(16), font(14)
    for r, (label, swatches) in enumerate(rows):
        y = PAD + 44 + r * row_h
        for i, line in enumerate(label.split("\n")):
            draw.text((PAD, y + 8 + i * 24), line, fill=INK if i == 0 else MUTED, font=name_font if i == 0 else small)
        for c, sw in enumerate(swatches):
            x = PAD + ROW_LABEL + c * (CARD_W + GAP)
            draw.rounded_rectangle((x, y, x + CARD_W, y + CARD_H), radius=8, fill=sw.hex)
            draw.text((x + 10, y + CARD_H - 30), sw.hex, fill=on_colour(sw.hex), font=hex_font)
            if sw.share is not None:
                draw.text((x + 10, y + 8), f"{sw.share:.0%}", fill=on_colour(sw.hex), font=small)
            draw.text((x + 2, y + CARD_H + 6), sw.name_zh, fill=INK, font=name_font)
            draw.text((x + 2, y + CARD_H + 28), sw.name_en, fill=MUTED, font=small)
    return im


def table(rows: list[tuple[str, list[Swatch]]]) -> Table:
    """A rich table: one line per colour, a block of the colour, hex, names, HSL, share."""
    t = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("", "colour", "hex", "名称", "name", "HSL", "share"):
        t.add_column(col, no_wrap=True)
    for label, swatches in rows:
        for i, sw in enumerate(swatches):
            block = Text(" " * 8, style=f"on {sw.hex}")
            hsl = f"{sw.hue:3.0f}° {sw.saturation:.0%} {sw.lightness:.0%}"
            share = f"{sw.share:.0%}" if sw.share is not None else sw.role
            t.add_row(label.split("\n")[0] if i == 0 else "", block, sw.hex, sw.name_zh, sw.name_en, hsl, share)
    return t
