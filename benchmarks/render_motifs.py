"""Render docs/img/motifs.png: the three seed briefs and ten more, one labelled tile each.

    python benchmarks/render_motifs.py [--tile 360] [--seed 1] [--out docs/img/motifs.png]

Every tile is ``duetto new "<brief>"`` as the painter makes it (rule parser → spec → painter),
with a fixed seed so the sheet only changes when the painter does.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from motif_briefs import OWN_BRIEFS, SEED_BRIEFS
from PIL import Image, ImageDraw, ImageFont

from duetto.brief import parse_brief
from duetto.media.image.painter import Painter, PainterParams

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
COLUMNS = 4
LABEL = 46


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tile", type=int, default=360)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("docs/img/motifs.png"))
    args = parser.parse_args()
    briefs = SEED_BRIEFS + OWN_BRIEFS
    t = args.tile
    rows = -(-len(briefs) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * (t + 8) + 8, rows * (t + LABEL + 8) + 8), (250, 248, 244))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(FONT, 15)
    small = ImageFont.truetype(FONT, 12)
    for i, brief in enumerate(briefs):
        spec = parse_brief(brief)
        art = Painter().generate(spec, PainterParams(width=t, height=t), args.seed)
        x, y = 8 + (i % COLUMNS) * (t + 8), 8 + (i // COLUMNS) * (t + LABEL + 8)
        sheet.paste(Image.open(io.BytesIO(art.data)), (x, y))
        text = brief if draw.textlength(brief, font=font) <= t else brief[: t // 16 - 1] + "…"
        draw.text((x, y + t + 4), text, fill=(40, 40, 40), font=font)
        motifs = " ".join(f"{m.kind}{':' + m.variant if m.variant else ''}" for m in spec.motifs)
        draw.text((x, y + t + 24), f"{art.info['style']}: {motifs}"[:60], fill=(110, 110, 110), font=small)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, optimize=True)
    print(f"wrote {args.out} ({len(briefs)} briefs)")


if __name__ == "__main__":
    main()
