"""A swatch sheet: every built-in style on one picture, labelled with its index and names, so a
person can pick by eye (``duetto styles --sheet styles.png``; docs/img/styles.png)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from duetto.errors import InvalidInput
from duetto.media.image.stylist import neural
from duetto.media.image.stylist.styles import STYLES, weights_of
from duetto.media.text.export import REGULAR

SEED_BRIEF = "sunny harbour with red boats, blue sea, colourful"
SEED = 11
TILE = 256
WORK = 512  # restyled at 512 (the strokes people will see on a 1024 picture at half size)
COLUMNS = 7
LABEL = 24
GAP = 6


def seed_picture() -> Image.Image:
    """The default picture: a geometric painter work (shapes, lines and flat colours show what a
    style does to edges and fills)."""
    from duetto.brief.rules import RuleParser
    from duetto.media.image.painter import Painter
    from duetto.media.image.painter.engine import PainterParams

    spec = RuleParser().brief(SEED_BRIEF, medium="painting")
    art = Painter().generate(spec, PainterParams(width=WORK, height=WORK, style="geometric", svg=False), SEED)
    import io

    return Image.open(io.BytesIO(art.data)).convert("RGB")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(REGULAR), size) if Path(REGULAR).is_file() else ImageFont.load_default()


def swatch_sheet(image: Path | None = None) -> Image.Image:
    if image is not None:
        try:
            picture = Image.open(image).convert("RGB")
        except (FileNotFoundError, OSError) as exc:
            raise InvalidInput(f"cannot read {image} as a picture ({exc})") from None
    else:
        picture = seed_picture()
    picture.thumbnail((WORK, WORK), Image.Resampling.LANCZOS)
    tiles = [("original", picture)]
    tiles += [(f"{s.index} {s.name} {s.zh}", neural.to_image(neural.builtin(picture, weights_of(s.name))))
              for s in STYLES]
    tw, th = TILE, round(TILE * picture.height / picture.width)
    rows = -(-len(tiles) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * (tw + GAP) + GAP, rows * (th + LABEL + GAP) + GAP), (250, 248, 244))
    draw, font = ImageDraw.Draw(sheet), _font(15)
    for n, (label, tile) in enumerate(tiles):
        r, c = divmod(n, COLUMNS)
        x, y = GAP + c * (tw + GAP), GAP + r * (th + LABEL + GAP)
        draw.text((x + 2, y + 2), label, fill=(30, 30, 30), font=font)
        sheet.paste(tile.resize((tw, th), Image.Resampling.LANCZOS), (x, y + LABEL))
    return sheet
