"""Render docs/img/region.png: before and after strips of region revises, region outlined.

    python benchmarks/render_region.py [--size 512] [--out docs/img/region.png]

Each row is ``duetto new`` then ``duetto revise <v> "<feedback>" --rect/--ellipse …`` run
through the studio in a temporary home (fixed seeds), so the sheet shows what the command does.
The third tile is the after picture with the region's outline and its feather band drawn on it.
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from duetto.media.image.region import Region, alpha
from duetto.settings import Settings
from duetto.studio import Studio, operations
from duetto.studio.operations import ReviseRequest
from duetto.studio.region import region_revise

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LABEL = 30
EXAMPLES: list[tuple[str, str | None, str, dict[str, tuple[float, float, float, float]], float]] = [
    ("秋日的黄昏，一片金色的落叶", "scene", "加一轮月亮", {"rect": (0.45, 0.0, 0.55, 0.42)}, 0.12),
    ("秋日的黄昏，一片金色的落叶", "scene", "more red", {"rect": (0.0, 0.0, 0.5, 0.5)}, 0.02),
    ("流动的抽象线条，温暖的午后", "flow", "更冷一些", {"ellipse": (0.5, 0.5, 0.3, 0.3)}, 0.06),
]


def picture(studio: Studio, version_id: str) -> Image.Image:
    v = studio.repo.version(version_id)
    return Image.open(io.BytesIO(studio.blobs.read(v.sha256, v.ext))).convert("RGB")


def outlined(image: Image.Image, region: Region) -> Image.Image:
    """The feather band tinted and the region's edge drawn: where the change may show."""
    a = alpha(region, image.size)
    band = (a > 0) & (a < 1)
    edge = (a > 0) & ~np.pad(a > 0, 1)[2:, 1:-1] | (a > 0) & ~np.pad(a > 0, 1)[:-2, 1:-1] \
        | (a > 0) & ~np.pad(a > 0, 1)[1:-1, 2:] | (a > 0) & ~np.pad(a > 0, 1)[1:-1, :-2]
    rgb = np.asarray(image).astype(np.float32)
    rgb[band] = rgb[band] * 0.7 + np.array([255, 255, 255]) * 0.3
    rgb[edge] = (255, 255, 255)
    return Image.fromarray(rgb.astype(np.uint8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--out", type=Path, default=Path("docs/img/region.png"))
    args = parser.parse_args()
    s, gap = args.size, 8
    sheet = Image.new("RGB", (3 * (s + gap) + gap, len(EXAMPLES) * (s + LABEL + gap) + gap), (250, 248, 244))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(FONT, 16)
    with tempfile.TemporaryDirectory() as home:
        studio = Studio(Settings(home=Path(home), user="ada", project="gallery"))
        for row, (brief, style, feedback, where, feather) in enumerate(EXAMPLES):
            made = operations.new(studio, operations.NewRequest(
                brief=brief, style=style, variants=1, seed=7, params={"width": s, "height": s}))
            parent = made.versions[0]
            result = region_revise(studio, ReviseRequest(version=parent.id, feedback=feedback, feather=feather, **where))
            child = result.versions[0]
            region = Region.model_validate(studio.repo.recipe(child.id)["params"]["region"])  # type: ignore[index]
            after = picture(studio, child.id)
            y = gap + row * (s + LABEL + gap)
            for col, tile in enumerate([picture(studio, parent.id), after, outlined(after, region)]):
                sheet.paste(tile, (gap + col * (s + gap), y))
            kind = next(iter(where))
            text = f"{brief} ({style})  →  revise “{feedback}” --{kind} {','.join(f'{v:g}' for v in where[kind])} --feather {feather:g}"
            draw.text((gap, y + s + 5), text, fill=(40, 40, 40), font=font)
        studio.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, optimize=True)
    print(f"wrote {args.out} ({len(EXAMPLES)} region revises: before, after, after with the region drawn)")


if __name__ == "__main__":
    main()
