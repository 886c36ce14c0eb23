"""Render docs/img/painter-styles.png: one labelled tile per painter style.

    python benchmarks/render_gallery.py [--tile 320] [--out docs/img/painter-styles.png]

Each style gets a spec that shows it at its best; seeds are fixed so the gallery is
reproducible and only changes when a style does.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image, ImageDraw

from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.painter.styles import STYLES
from duetto.spec import CreativeSpec

SHOWCASE: dict[str, tuple[int, dict[str, object]]] = {
    "flow": (3, {"energy": 0.55, "palette": {"warmth": -0.5, "hues": [{"start": 170, "end": 250}]}}),
    "geometric": (2, {"complexity": 0.75, "palette": {"colours": [
        {"name": "navy", "hex": "#1d3557", "weight": 2}, {"name": "vermilion", "hex": "#e63946"},
        {"name": "ochre", "hex": "#e9b949"}]}}),
    "colorfield": (5, {"energy": 0.15, "mood": {"valence": -0.1}, "palette": {"colours": [
        {"name": "maroon", "hex": "#6d1a1f", "weight": 3}, {"name": "orange", "hex": "#e87a2e"},
        {"name": "gold", "hex": "#f2c14e"}]}}),
    "ink": (4, {"keywords": ["水墨"], "palette": {"variety": 0.7}, "mood": {"valence": 0.4}}),
    "brush": (1, {"energy": 0.6, "density": 0.7, "palette": {"variety": 0.6, "colours": [
        {"name": "cobalt", "hex": "#2e5fa8", "weight": 2}, {"name": "wheat", "hex": "#e8c872"}]}}),
    "wave": (6, {"rhythm": 0.9, "energy": 0.45, "palette": {"colours": [
        {"name": "terracotta", "hex": "#c8553d", "weight": 2}, {"name": "teal", "hex": "#28666e"},
        {"name": "sand", "hex": "#e0b880"}]}}),
}


def tile(style: str, size: int) -> Image.Image:
    seed, spec = SHOWCASE.get(style, (1, {}))
    params = PainterParams(width=size, height=size, style=style, svg=False, grain=0.5)
    art = Painter().generate(CreativeSpec.model_validate(spec), params, seed)
    image = Image.open(io.BytesIO(art.data)).convert("RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle((0, size - 22, size, size), fill=(0, 0, 0, 150))
    draw.text((8, size - 17), style, fill=(255, 255, 255))
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tile", type=int, default=320)
    parser.add_argument("--out", type=Path, default=Path("docs/img/painter-styles.png"))
    args = parser.parse_args()
    names = list(STYLES)
    cols = 3
    rows = -(-len(names) // cols)
    gap = 6
    sheet = Image.new("RGB", (cols * args.tile + (cols + 1) * gap, rows * args.tile + (rows + 1) * gap), (250, 248, 244))
    for i, name in enumerate(names):
        x = gap + (i % cols) * (args.tile + gap)
        y = gap + (i // cols) * (args.tile + gap)
        sheet.paste(tile(name, args.tile), (x, y))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, optimize=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
