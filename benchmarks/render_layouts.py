"""Render docs/img/layouts.png: real `duetto layout` versions over the seed autumn painting.

    python benchmarks/render_layouts.py --home /tmp/layouts-studio [--poem <poem-version>]

It paints the seed brief (style "scene", seed 7) in that studio, then lays out: a poster with a
七言绝句 set vertically (the poem version given, else the first poem version in the studio), the
same poem horizontally, an English book cover, a 1200×630 card and a square post — each through
the studio operation, so each is a stored, replayable version — and pastes them into one sheet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from duetto.design.layout import font
from duetto.settings import Settings
from duetto.studio import Studio, operations
from duetto.studio.layout import LayoutRequest, layout

BRIEF = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
OUT = Path("docs/img/layouts.png")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--poem", help="A poem version id in that studio.")
    args = ap.parse_args()
    studio = Studio(Settings(home=args.home))
    painting = operations.new(studio, operations.NewRequest(brief=BRIEF, style="scene", variants=1, seed=7)).versions[0]
    poem = args.poem
    requests = [
        ("poster · 七绝 竖排", LayoutRequest(image=painting.id, poem=poem, format="poster", title="秋日黄昏",
                                          subtitle="七言绝句", seed=0)),
        ("poster · horizontal", LayoutRequest(image=painting.id, poem=poem, format="poster", title="秋日黄昏",
                                              subtitle="七言绝句 · duetto", vertical=False, seed=0)),
        ("cover · 6×9 in", LayoutRequest(image=painting.id, format="cover", title="The Last Golden Leaf",
                                         subtitle="A NOVEL BY LIN QIU",
                                         text="An autumn evening, a wind that will not settle, and a leaf "
                                              "that refuses to fall.", seed=1)),
        ("card · 1200×630", LayoutRequest(image=painting.id, format="card", title="Autumn at Dusk",
                                          subtitle="duetto · paintings and poems",
                                          text="New work: a painting and a poem made together.", seed=0)),
        ("square · 1080²", LayoutRequest(image=painting.id, poem=poem, format="square", title="秋日黄昏",
                                         subtitle="七言绝句", seed=0)),
    ]
    tiles = []
    for label, req in requests:
        v = layout(studio, req).versions[0]
        print(f"{label:22s} {v.short} {v.info['placement']:12s} text {v.info['text_colour']} "
              f"{v.info['contrast']}:1 scrim={bool(v.info['scrim'])}")
        with Image.open(studio.path_of(v)) as im:
            tiles.append((label, v.short, im.convert("RGB")))
    studio.close()
    gap, label_h, width = 18, 46, 1700
    rows = [tiles[:3], tiles[3:]]
    scaled = []
    for row in rows:  # each row scaled to the same width
        aspect = sum(im.width / im.height for _, _, im in row)
        h = round((width - gap * (len(row) + 1)) / aspect)
        scaled.append([(lab, short, im.resize((round(im.width * h / im.height), h), Image.Resampling.LANCZOS))
                       for lab, short, im in row])
    height = sum(r[0][2].height + label_h + gap for r in scaled) + gap
    sheet = Image.new("RGB", (width, height), "#f4f1ea")
    d = ImageDraw.Draw(sheet)
    y = gap
    for row in scaled:
        x = gap
        for lab, short, im in row:
            sheet.paste(im, (x, y))
            d.text((x, y + im.height + 12), f"{lab}   {short}", font=font("sans", 20), fill="#3a342c")
            x += im.width + gap
        y += row[0][2].height + label_h + gap
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(OUT, optimize=True)
    print(f"wrote {OUT} {sheet.size}")


if __name__ == "__main__":
    main()
