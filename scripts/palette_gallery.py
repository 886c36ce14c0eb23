"""Regenerate docs/img/palettes.png from real outputs (python scripts/palette_gallery.py).

Three panels: harmonies of a few bases (a colour word, a hex, a mood), the colours extracted
from painter outputs beside the paintings, and a painting recoloured to two palettes.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from duetto.brief.rules import RuleParser
from duetto.design import palette, swatches
from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.recolour import Recolour, RecolourParams
from duetto.spec import CreativeSpec, NamedColour, Palette

OUT = Path(__file__).resolve().parent.parent / "docs" / "img" / "palettes.png"
THUMB = 220


def painting(brief: str, style: str, seed: int) -> tuple[Image.Image, object]:
    art = Painter().generate(RuleParser().brief(brief), PainterParams(width=512, height=512, style=style), seed)
    return Image.open(io.BytesIO(art.data)).convert("RGB"), art


def main() -> None:
    gold, navy = palette.parse_colour("金色"), palette.parse_colour("#1f2f5c")
    calm, calm_h = palette.mood_base("平静")
    joy, joy_h = palette.mood_base("欢快")
    rows = [("金色 triadic\n三角色", palette.harmony(gold, "triadic")),
            ("#1f2f5c split-comp.\n分裂互补", palette.harmony(navy, "split-complementary")),
            (f"平静 calm · {calm_h}\n情绪", palette.harmony(calm, calm_h)),
            (f"欢快 joyful · {joy_h}\n情绪", palette.harmony(joy, joy_h)),
            ("玫红 monochrome\n单色", palette.harmony(palette.parse_colour("玫红"), "monochrome"))]
    top = swatches.sheet(rows, "Harmonies · 配色")
    sources = [painting("一幅抽象画，色彩丰富，线条流畅，充满动感", "flow", 3),
               painting("秋日的黄昏，水墨", "ink", 4), painting("几何，明快，红色和蓝色", "geometric", 5)]
    found = [palette.extract(im, 6) for im, _ in sources]
    middle = swatches.sheet([(f"{s.resolved.get('style', '')}", f) for (_, s), f in zip(sources, found, strict=True)],  # type: ignore[attr-defined]
                            "Extracted from paintings · 提取 (k=6)")
    src_im, src_art = sources[0]
    recoloured = []
    for name, pal in (("金色 triadic", palette.harmony(gold, "triadic")), ("平静 analogous", palette.harmony(calm, calm_h))):
        spec = CreativeSpec(palette=Palette(colours=[NamedColour(name=s.name_en, hex=s.hex) for s in pal]))
        art = Recolour().transform([src_art], spec, RecolourParams(), 0)  # type: ignore[list-item]
        recoloured.append((name, Image.open(io.BytesIO(art.data)).convert("RGB")))
    width = max(top.width, middle.width)
    bottom_h = THUMB + 80
    sheet = Image.new("RGB", (width, top.height + middle.height + bottom_h), swatches.PAPER)
    sheet.paste(top, (0, 0))
    sheet.paste(middle, (0, top.height))
    for i, (im, _) in enumerate(sources):  # the paintings beside their extracted rows
        small = im.resize((110, 110))
        sheet.paste(small, (swatches.PAD, top.height + 44 + swatches.PAD + 52 + i * (swatches.CARD_H + swatches.LABEL_H + 20)))
    draw = ImageDraw.Draw(sheet)
    y = top.height + middle.height
    draw.text((swatches.PAD, y), "Recolour · 重新配色 (before → after)", fill=swatches.INK, font=swatches.font(26, bold=True))
    for i, (label, im) in enumerate([("before", src_im), *recoloured]):
        x = swatches.PAD + i * (THUMB + 40)
        sheet.paste(im.resize((THUMB, THUMB)), (x, y + 44))
        draw.text((x, y + 48 + THUMB), label, fill=swatches.MUTED, font=swatches.font(16))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(OUT, optimize=True)
    print(OUT, sheet.size)


if __name__ == "__main__":
    main()
