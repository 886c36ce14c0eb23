"""Contact sheets: one PNG showing every variant of a batch with its id, for picking by eye."""

from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from duetto.store.records import VersionRecord, WorkRecord
from duetto.studio.studio import Studio

TILE = 320
PAD = 16
LABEL = 44
HEADER = 56
BACKGROUND = (246, 244, 239)
INK = (40, 38, 36)
MUTED = (120, 116, 110)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """A CJK-capable system font when one is installed (briefs are often Chinese), else Pillow's."""
    for candidate in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ):
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def contact_sheet(studio: Studio, work: WorkRecord, versions: list[VersionRecord], title: str) -> Path:
    cols = min(4, len(versions))
    rows = math.ceil(len(versions) / cols)
    width = PAD + cols * (TILE + PAD)
    height = HEADER + rows * (TILE + LABEL + PAD) + PAD
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    head, small = _font(22), _font(16)
    heading = title if len(title) <= 60 else title[:59] + "…"
    draw.text((PAD, PAD), heading, fill=INK, font=head)
    for i, version in enumerate(versions):
        x = PAD + (i % cols) * (TILE + PAD)
        y = HEADER + (i // cols) * (TILE + LABEL + PAD)
        with Image.open(io.BytesIO(studio.blobs.read(version.sha256, version.ext))) as im:
            thumb = im.convert("RGB")
            thumb.thumbnail((TILE, TILE), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x + (TILE - thumb.width) // 2, y + (TILE - thumb.height) // 2))
        draw.text((x, y + TILE + 6), version.short, fill=INK, font=small)
        style = version.spec.style or version.operation
        draw.text((x, y + TILE + 24), f"{version.operation} · {style}", fill=MUTED, font=small)
    out = studio.settings.sheet_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{work.id[:10]}-{versions[0].operation}-{versions[0].short}.png"
    buf = io.BytesIO()
    sheet.save(buf, format="PNG", optimize=False)
    temp = path.with_suffix(".part")
    temp.write_bytes(buf.getvalue())
    temp.replace(path)
    return path
