"""docs/img/restyle.png: one painter picture restyled every way `duetto restyle` can.

Run: .venv/bin/python scripts/restyle_gallery.py  (about 10 s on 2 cores)"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from duetto.brief.rules import RuleParser
from duetto.engine import Artefact
from duetto.media.image.painter import Painter
from duetto.media.image.painter.engine import PainterParams
from duetto.media.image.stylist import Stylist, StylistParams
from duetto.media.image.stylist.sheet import _font, seed_picture
from duetto.spec import CreativeSpec

OUT = Path(__file__).resolve().parents[1] / "docs" / "img" / "restyle.png"
TILE = 300


def png(image: Image.Image) -> Artefact:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return Artefact(data=buf.getvalue(), ext="png", mime="image/png")


def main() -> None:
    source = png(seed_picture())
    spec0 = RuleParser().brief("秋日的黄昏，一片金色的落叶", medium="painting")
    painting = Painter().generate(spec0, PainterParams(width=512, height=512, style="flow", svg=False), 7)
    base = CreativeSpec(style="starry_night", stylisation=0.8)
    inks = RuleParser().brief("深蓝, 金色, 米白", medium="painting").palette
    cases = [
        ("source (painter)", None, None, [source]),
        ("starry_night 0.8", base, StylistParams(), [source]),
        ("+ keep colours", base, StylistParams(keep_colours=True), [source]),
        ("starry_night:0.6,mosaic:0.4", base.model_copy(update={"style": "starry_night:0.6,mosaic:0.4"}), StylistParams(), [source]),
        ("bigger strokes (shape 0.8)", base.model_copy(update={"shape_size": 0.8}), StylistParams(), [source]),
        ("style painting (right)", base.model_copy(update={"style": "image:flow", "stylisation": 1.0}), StylistParams(), [source, painting]),
        ("colour transfer", base.model_copy(update={"stylisation": 1.0}), StylistParams(method="colour"), [source, painting]),
        ("histogram match", base.model_copy(update={"stylisation": 1.0}), StylistParams(method="histogram"), [source, painting]),
        ("palette 深蓝 金色 米白", base.model_copy(update={"palette": inks, "stylisation": 1.0}), StylistParams(method="palette"), [source]),
        ("the style painting", None, None, [painting]),
    ]
    sheet = Image.new("RGB", (5 * (TILE + 6) + 6, 2 * (TILE + 30) + 6), (250, 248, 244))
    draw, font = ImageDraw.Draw(sheet), _font(16)
    for n, (label, spec, params, parents) in enumerate(cases):
        art = parents[0] if spec is None else Stylist().transform(parents, spec, params, 0)
        tile = Image.open(io.BytesIO(art.data)).convert("RGB").resize((TILE, TILE), Image.Resampling.LANCZOS)
        r, c = divmod(n, 5)
        x, y = 6 + c * (TILE + 6), 6 + r * (TILE + 30)
        draw.text((x + 2, y + 3), label, fill=(30, 30, 30), font=font)
        sheet.paste(tile, (x, y + 26))
    sheet.save(OUT, optimize=True)
    print(OUT)


if __name__ == "__main__":
    main()
