"""``Layout``: a poster, book cover or social card composed from a picture plus words.

How a designer would do it, step by step:

1. The picture fills the page (cover crop), the crop window centred on its subject
   (``CalmMap.centre_of_interest``) so the busy part stays in and the quiet part is kept for text.
2. Text is one block — title, subtitle/author, a short rule, then a poem and/or body text — set
   at sizes in a fixed ratio to the page (clear hierarchy), with margins of 7 % of the short side.
   Chinese breaks between any two characters but never puts ，。、 at the start of a line
   (避头尾) and prefers to break after punctuation; Latin breaks at spaces. A classical Chinese
   poem can be set vertically (竖排): columns from right to left, title first.
3. Candidate places for the block come from the grid: bands and corners on the thirds lines
   for portrait pages, halves for landscape ones. Each is scored by how busy the picture is
   under the block (``CalmMap.score``); the seed picks among the placements close to the best,
   so ``duetto vary`` gives real alternatives and never a bad one.
4. The text colour is a tint of the region's own hue, light or dark, whichever contrasts more;
   it must reach WCAG AA (4.5) against 95 % of the pixels behind the block. If neither does, a
   soft translucent scrim is laid under the block, just opaque enough to pass, and ``info``
   says so.
5. The same placement is drawn twice: PNG with Pillow, and PDF with fpdf2 (the picture as the
   page background, the words as real, searchable text in embedded Noto CJK subsets; the
   creation date pinned, so the bytes replay).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field

from duetto.design.calm import CalmMap
from duetto.design.contrast import AA, text_on_image
from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.image.analyse import lab_to_rgb, load_rgb, rgb_to_lab
from duetto.media.image.painter.canvas import encode_png
from duetto.spec import CreativeSpec

FormatName = Literal["poster", "cover", "card", "square"]


@dataclass(frozen=True)
class PageFormat:
    px: tuple[int, int]  # PNG size
    pt: tuple[float, float]  # PDF page size in points
    what: str


FORMATS: dict[str, PageFormat] = {
    "poster": PageFormat((1240, 1754), (841.89, 1190.55), "A3 poster (A-series 1:√2)"),
    "cover": PageFormat((1200, 1800), (432.0, 648.0), "book cover, 6 × 9 in"),
    "card": PageFormat((1200, 630), (600.0, 315.0), "social card 1200 × 630 (Open Graph)"),
    "square": PageFormat((1080, 1080), (540.0, 540.0), "square social post 1080 × 1080"),
}

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONTS = {  # key -> (file, face in the collection: 2 is Simplified Chinese)
    "title": ("NotoSerifCJK-Bold.ttc", 2),
    "serif": ("NotoSerifCJK-Regular.ttc", 2),
    "sans": ("NotoSansCJK-Regular.ttc", 2),
}
MARGIN = 0.07  # of the short side
PAD = 0.022  # padding around the text block (scrim and contrast region), of the short side
# sizes as shares of the page's short side: title : subtitle : poem : body ≈ 3.2 : 1.1 : 1.5 : 1
SIZES = {"title": 0.085, "subtitle": 0.03, "poem": 0.042, "body": 0.027}
WIDE_BASIS = 0.72  # a landscape card sizes its type from 72 % of its width, not its short side
TITLE_SQUEEZE = 0.72  # a title needing less shrinking than this to fit one line keeps one line
NEAR_BEST = 2.0  # placements scoring under NEAR_BEST × best + NEAR_SLACK are "good" for the seed to pick
NEAR_SLACK = 1.0  # (busyness units: a flat field scores 0, the seed painting 1.5–20)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
NO_START = set("，。、；：！？）」』》〉’”,.;:!?)…—")  # never at the start of a line (避头)
NO_END = set("（「『《〈‘“(")  # never at the end of a line (避尾)
BREAK_AFTER = set("，。、；：！？,.;:!?")
UPRIGHT_CHAR = re.compile(r"[\u3000-\u9fff\uff00-\uffef·]")
UPRIGHT = re.compile(r"[\u3000-\u9fff\uff00-\uffef·]|[^\u3000-\u9fff\uff00-\uffef·]+")


class LayoutParams(BaseModel):
    """What to compose; the picture (and the poem) are the sources, not params."""

    model_config = ConfigDict(extra="forbid")

    format: FormatName = Field("poster", description="poster (A3), cover (6×9 in), card (1200×630), square (1080²).")
    title: str = Field("", max_length=120)
    subtitle: str = Field("", max_length=200, description="Subtitle or author line.")
    text: str = Field("", max_length=2000, description="Body text (a blurb, a caption).")
    vertical: bool | None = Field(None, description="Set a Chinese poem vertically (竖排); default: when all is Chinese.")
    title_scale: float = Field(1.0, ge=0.4, le=2.0, description="Title size hint (× the format's default).")
    text_scale: float = Field(1.0, ge=0.5, le=2.0, description="Body and poem size hint.")
    choices: int = Field(3, ge=1, le=8, description="How many good placements the seed picks among.")


@lru_cache(maxsize=64)
def font(key: str, size: int) -> ImageFont.FreeTypeFont:
    name, face = FONTS[key]
    path = FONT_DIR / name
    if not path.is_file():
        raise InvalidInput(f"layout needs the Noto CJK fonts; {path} is missing",
                           hint="run scripts/system-deps.sh (apt-get install fonts-noto-cjk)")
    return ImageFont.truetype(str(path), size, index=face)


# -- setting words ----------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Units a line may break between: each CJK character, each Latin word with its space."""
    return re.findall(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+", text)


def _greedy(tokens: list[str], f: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaking with 避头尾: a closing mark hangs on its line, an opening one moves on."""
    lines: list[str] = []
    line: list[str] = []
    for tok in tokens:
        if line and f.getlength("".join(line) + tok.rstrip()) > width and tok[0] not in NO_START:
            cut = len(line)
            while cut > 1 and line[cut - 1] and line[cut - 1][-1] in NO_END:
                cut -= 1
            lines.append("".join(line[:cut]).rstrip())
            line = line[cut:]
            while line and not line[0].strip():
                line.pop(0)
        if tok.strip() or line:
            line.append(tok)
    lines.append("".join(line).rstrip())
    return lines


def wrap(text: str, f: ImageFont.FreeTypeFont, width: float, clauses: bool = False) -> list[str]:
    """Lines of at most ``width`` px. ``clauses`` (poems): a line that does not fit breaks
    between its 句 (after ，。；), packing whole clauses, and only a clause too long for a line
    breaks inside it — so a couplet never splits as 却如秋叶临 / 风飘。"""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        para = para.strip()
        if clauses and f.getlength(para) > width:
            parts = [c for c in re.findall(r"[^，。；！？,.;!?]+[，。；！？,.;!?]*", para) if c]
            line = ""
            for part in parts:
                if line and f.getlength(line + part) > width:
                    lines.append(line)
                    line = ""
                if f.getlength(part) > width:
                    lines.extend(_greedy(_tokens(part), f, width))
                else:
                    line += part
            if line:
                lines.append(line)
        else:
            lines.extend(_greedy(_tokens(para), f, width))
    return [ln for ln in lines if ln]


@dataclass
class Run:
    """One line (or one vertical character) at a baseline position inside the block."""

    text: str
    x: float
    y: float  # baseline
    font: str
    size: int
    turned: bool = False  # Latin in a vertical column: turned 90° clockwise, (x, y) = baseline start


@dataclass
class Block:
    runs: list[Run] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1
    w: float = 0.0
    h: float = 0.0


@dataclass(frozen=True)
class Words:
    title: str
    subtitle: str
    poem: list[str]  # lines
    body: str


def _is_cjk(text: str) -> bool:
    letters = [c for c in text if not c.isspace() and c not in BREAK_AFTER]
    return bool(letters) and sum(bool(CJK.match(c)) for c in letters) / len(letters) > 0.8


def horizontal(words: Words, sizes: dict[str, int], width: float, align: str) -> Block:
    """The block as lines, each aligned left/centre/right inside the block's own width."""
    b = Block()
    y = 0.0

    def add(text: str, key: str, lead: float, size_key: str) -> None:
        nonlocal y
        size = sizes[size_key]
        f = font(key, size)
        for line in wrap(text, f, width, clauses=size_key == "poem"):
            asc = size * (0.88 if key != "sans" else 0.9)
            y += asc if not b.runs else size * lead
            b.runs.append(Run(line, 0.0, y, key, size))
            b.w = max(b.w, f.getlength(line))

    if words.title:
        f = font("title", sizes["title"])
        fit = width / max(1.0, f.getlength(words.title))
        last = (wrap(words.title, f, width) or [""])[-1]
        widow = len(last.split()) == 1 and (not _is_cjk(last) or len(last) <= 2)
        if widow and TITLE_SQUEEZE <= fit < 1:  # not "Autumn at / Dusk": a little smaller, one line
            sizes = {**sizes, "title": int(sizes["title"] * fit)}
        add(words.title, "title", 1.18, "title")
    if words.subtitle:
        if b.runs:
            y += sizes["subtitle"] * 0.35
        add(words.subtitle, "sans", 1.45, "subtitle")
    if words.poem or words.body:
        if b.runs:
            y += sizes["body"] * 0.9
            b.rules.append((0.0, y, 0.0, y + max(2.0, sizes["body"] * 0.08)))
            y += sizes["body"] * 0.5
        for line in words.poem:
            add(line, "serif", 1.75, "poem")
        if words.body:
            if words.poem:
                y += sizes["body"] * 0.6
            add(words.body, "serif" if _is_cjk(words.body) else "sans", 1.7 if _is_cjk(words.body) else 1.5, "body")
    b.h = y + max(r.size for r in b.runs) * 0.25 if b.runs else 0.0
    for r in b.runs:
        lw = font(r.font, r.size).getlength(r.text)
        r.x = {"left": 0.0, "center": (b.w - lw) / 2, "right": b.w - lw}[align]
    rule_w = min(b.w, sizes["body"] * 4.0)
    rx = {"left": 0.0, "center": (b.w - rule_w) / 2, "right": b.w - rule_w}[align]
    b.rules = [(rx, y0, rx + rule_w, y1) for _, y0, _, y1 in b.rules]
    return b


def vertical(words: Words, sizes: dict[str, int]) -> Block:
    """竖排: columns right to left — title (bold), author a little lower, then one 句 per column
    with punctuation dropped, as classical poems are printed."""
    b = Block()
    columns: list[tuple[str, str, int, float]] = []  # text, font key, size, top offset
    if words.title:
        columns.append((words.title, "title", sizes["title"], 0.0))
    if words.subtitle:
        columns.append((words.subtitle, "sans", sizes["subtitle"], sizes["title"] * 1.6 if words.title else 0.0))
    for line in words.poem:
        for ju in re.split(r"[，。、；！？,.;!?]+", line):
            if ju.strip():
                columns.append((ju.strip(), "serif", sizes["poem"], sizes["poem"] * 0.8))
    if not columns:
        return b
    x = 0.0
    placed: list[tuple[float, str, str, int, float]] = []
    for i, (text, key, size, top) in enumerate(columns):
        gap = size * 0.75 if i else 0.0
        if i and columns[i - 1][1] != "serif" and key == "serif":
            gap = size * 1.6  # air between the title and the poem
        x += gap
        placed.append((x, text, key, size, top))
        x += size
    b.w = x
    for x0, text, key, size, top in placed:
        f = font(key, size)
        cx = b.w - x0 - size / 2  # right to left
        y = top
        for seg in UPRIGHT.findall(text):
            if UPRIGHT_CHAR.match(seg):  # a Chinese character or a middle dot stands upright
                b.runs.append(Run(seg, cx - f.getlength(seg) / 2, y + size * 0.88, key, size))
                y += size * 1.18
            elif seg.strip():  # Latin reads turned, its x-height centred on the column
                b.runs.append(Run(seg.strip(), cx - size * 0.33, y + size * 0.1, key, size, turned=True))
                y += f.getlength(seg.strip()) + size * 0.3
        b.h = max(b.h, y)
    return b


# -- placing the block -------------------------------------------------------------------------


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Slot:
    """A grid region (fractions of the area inside the margins), where the block sits in it and
    how its lines align."""

    name: str
    region: Box
    anchor: tuple[float, float]  # 0 left/top .. 1 right/bottom
    align: str


PORTRAIT = [
    Slot("top", (0, 0, 1, 1 / 3), (0.5, 0.0), "center"),
    Slot("bottom", (0, 2 / 3, 1, 1), (0.5, 1.0), "center"),
    Slot("top-left", (0, 0, 2 / 3, 0.45), (0.0, 0.0), "left"),
    Slot("top-right", (1 / 3, 0, 1, 0.45), (1.0, 0.0), "right"),
    Slot("bottom-left", (0, 0.55, 2 / 3, 1), (0.0, 1.0), "left"),
    Slot("bottom-right", (1 / 3, 0.55, 1, 1), (1.0, 1.0), "right"),
]
LANDSCAPE = [
    Slot("left", (0, 0, 0.5, 1), (0.0, 0.5), "left"),
    Slot("right", (0.5, 0, 1, 1), (1.0, 0.5), "right"),
    Slot("top-left", (0, 0, 0.5, 0.6), (0.0, 0.0), "left"),
    Slot("bottom-left", (0, 0.4, 0.5, 1), (0.0, 1.0), "left"),
    Slot("top-right", (0.5, 0, 1, 0.6), (1.0, 0.0), "right"),
    Slot("bottom-right", (0.5, 0.4, 1, 1), (1.0, 1.0), "right"),
]
SQUARE = PORTRAIT[:2] + LANDSCAPE[:2] + PORTRAIT[2:]
TALL = [  # a vertical poem: a column on either third, from the top
    Slot("right", (0.5, 0, 1, 1), (1.0, 0.0), "right"),
    Slot("left", (0, 0, 0.5, 1), (0.0, 0.0), "left"),
    Slot("right-low", (0.5, 0, 1, 1), (1.0, 1.0), "right"),
    Slot("left-low", (0, 0, 0.5, 1), (0.0, 1.0), "left"),
]


@dataclass
class Placement:
    slot: Slot
    block: Block
    x: float  # block's top-left on the page, px
    y: float
    score: float
    pad: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The padded block in px."""
        return (self.x - self.pad, self.y - self.pad, self.x + self.block.w + self.pad, self.y + self.block.h + self.pad)


def _sizes(fmt: str, p: LayoutParams, shrink: float) -> dict[str, int]:
    w, h = FORMATS[fmt].px
    short = WIDE_BASIS * w if w > h * 1.2 else min(w, h)  # a 630 px-high card must not get 15 px text
    scale = {"title": p.title_scale, "subtitle": p.text_scale, "poem": p.text_scale, "body": p.text_scale}
    return {k: max(12, round(v * short * scale[k] * shrink)) for k, v in SIZES.items()}


def candidates(words: Words, p: LayoutParams, calm: CalmMap, upright: bool) -> list[Placement]:
    """Every slot with the block set to fit it (shrinking type down to 60 % when needed), scored."""
    w, h = FORMATS[p.format].px
    m = MARGIN * min(w, h)
    pad = PAD * min(w, h)
    inner = (m, m, w - m, h - m)
    slots = TALL if upright else (LANDSCAPE if w > h * 1.2 else SQUARE if w == h else PORTRAIT)
    out: list[Placement] = []
    for slot in slots:
        rx0 = inner[0] + slot.region[0] * (inner[2] - inner[0])
        ry0 = inner[1] + slot.region[1] * (inner[3] - inner[1])
        rw = (slot.region[2] - slot.region[0]) * (inner[2] - inner[0])
        rh = (slot.region[3] - slot.region[1]) * (inner[3] - inner[1])
        measure = rw if slot.region[2] - slot.region[0] < 0.9 else min(rw, 0.78 * (inner[2] - inner[0]))
        for shrink in (1.0, 0.9, 0.8, 0.7, 0.6):
            sizes = _sizes(p.format, p, shrink)
            block = vertical(words, sizes) if upright else horizontal(words, sizes, measure, slot.align)
            fits = block.w <= rw + 0.5 and block.h <= (rh if not upright else inner[3] - inner[1])
            if fits:
                break
        else:
            continue
        x = rx0 + slot.anchor[0] * (rw - block.w)
        y = ry0 + slot.anchor[1] * (rh - block.h) if not upright else inner[1] + slot.anchor[1] * (inner[3] - inner[1] - block.h)
        place = Placement(slot, block, x, y, 0.0, pad)
        x0, y0, x1, y1 = place.box
        place.score = calm.score((max(0, x0 / w), max(0, y0 / h), min(1, x1 / w), min(1, y1 / h)))
        out.append(place)
    return sorted(out, key=lambda c: c.score)


def pick(found: list[Placement], choices: int, seed: int) -> Placement:
    """The seed's choice among the placements close to the best one: seed 0 the best, and
    consecutive seeds (``--variants`` with ``--seed``) cycle through the others, so variants differ."""
    if not found:
        raise InvalidInput("the text does not fit on this format even at 60 % size",
                           hint="shorten the text, lower --param text_scale, or use a larger format")
    best = found[0].score
    good = [c for c in found if c.score <= best * NEAR_BEST + NEAR_SLACK][:choices]
    return good[seed % len(good)]


# -- colour --------------------------------------------------------------------------------------


def _tints(canvas: Image.Image, box: Box) -> list[str]:
    """A light and a dark tint of the region's own hue (paper and ink), then white and black."""
    rgb = load_rgb(canvas.crop(tuple(round(v) for v in box)), side=64).reshape(-1, 3)  # type: ignore[arg-type]
    lab = rgb_to_lab(rgb).mean(0)
    chroma = np.hypot(lab[1], lab[2]) + 1e-9
    ab = lab[1:] / chroma * min(chroma, 30.0)
    out = []
    for lightness, keep in ((97.0, 0.22), (14.0, 0.35)):
        c = lab_to_rgb(np.array([lightness, ab[0] * keep, ab[1] * keep]))
        out.append("#" + "".join(f"{int(round(float(v) * 255)):02x}" for v in np.clip(c, 0, 1)))
    return out + ["#ffffff", "#000000"]


def _hex_rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


def scrim_mask(size: tuple[int, int], box: Box, band: str | None, alpha: float) -> Image.Image:
    """Where the scrim lies: for a top or bottom band a full-width gradient that fades toward the
    picture (how posters darken a sky under a title), elsewhere a soft glow around the block
    that is at full strength under the text and fades out well beyond it."""
    w, h = size
    short = min(w, h)
    if band in ("top", "bottom"):
        fade = 0.12 * short
        y = np.arange(h, dtype=np.float64)
        ramp = (y - (box[1] - fade)) / fade if band == "bottom" else ((box[3] + fade) - y) / fade
        ramp = np.clip(ramp, 0.0, 1.0)
        ramp = ramp * ramp * (3 - 2 * ramp)  # smoothstep: no visible edge
        col = (ramp * alpha * 255).round().astype(np.uint8)
        return Image.fromarray(np.repeat(col[:, None], w, axis=1), "L")
    feather = max(0.035 * short, 0.12 * min(box[2] - box[0], box[3] - box[1]))  # soft enough to read as light
    grow, reach = 1.6 * feather, (MARGIN + PAD) * short * 1.2
    x0, y0, x1, y1 = box[0] - grow, box[1] - grow, box[2] + grow, box[3] + grow
    # a glow that comes near a page edge runs off it, so the only edges left face the picture
    x0, y0 = (-3 * feather if box[0] < reach else x0), (-3 * feather if box[1] < reach else y0)
    x1, y1 = (w + 3 * feather if w - box[2] < reach else x1), (h + 3 * feather if h - box[3] < reach else y1)
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((x0, y0, x1, y1), radius=2 * feather, fill=round(alpha * 255))
    return mask.filter(ImageFilter.GaussianBlur(0.8 * feather))


def colour_and_scrim(canvas: Image.Image, box: Box, band: str | None = None) -> tuple[Image.Image, str, dict[str, Any]]:
    """The text colour for the block, and the canvas with a scrim under it when one is needed.

    A tint of the region's hue is preferred (it belongs to the picture); plain white or black
    when only they pass; when nothing reaches AA a scrim of the opposite tint is laid under the
    block, the lightest that makes the tint pass."""
    w, h = canvas.size
    frac = (max(0.0, box[0] / w), max(0.0, box[1] / h), min(1.0, box[2] / w), min(1.0, box[3] / h))
    checks = {c: text_on_image(canvas, c, frac) for c in _tints(canvas, box)}
    light, dark = list(checks)[:2]
    tint = max((light, dark), key=lambda c: checks[c].p05.ratio)
    best = tint if checks[tint].p05.aa else max(checks, key=lambda c: checks[c].p05.ratio)
    if checks[best].p05.aa:
        return canvas, best, {"scrim": None, "contrast": checks[best].p05.ratio}
    scrim = dark if tint == light else light
    why = f"no text colour reached AA on the picture alone (best {checks[best].p05.ratio}:1)"
    for alpha in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        out = Image.composite(Image.new("RGB", canvas.size, _hex_rgb(scrim)), canvas, scrim_mask(canvas.size, box, band, alpha))
        check = text_on_image(out, tint, frac)
        if check.p05.aa:
            break
    return out, tint, {"scrim": {"colour": scrim, "alpha": alpha, "shape": "band" if band in ("top", "bottom") else "glow",
                                 "why": why}, "contrast": check.p05.ratio}


# -- drawing ------------------------------------------------------------------------------------


def cover_crop(image: Image.Image, size: tuple[int, int], centre: tuple[float, float]) -> tuple[Image.Image, Box]:
    """Scale to cover ``size`` and crop, the window centred on ``centre`` (fractions) as far as
    the picture allows; returns the page-sized picture and the crop box (fractions)."""
    tw, th = size
    scale = max(tw / image.width, th / image.height)
    cw, ch = tw / scale, th / scale  # crop window in source px
    x0 = min(max(centre[0] * image.width - cw / 2, 0.0), image.width - cw)
    y0 = min(max(centre[1] * image.height - ch / 2, 0.0), image.height - ch)
    box = (x0, y0, x0 + cw, y0 + ch)
    page = image.resize(size, Image.Resampling.LANCZOS, box=box)
    return page, (x0 / image.width, y0 / image.height, box[2] / image.width, box[3] / image.height)


def _turned(out: Image.Image, r: Run, bx: float, top: float, rgb: tuple[int, int, int]) -> None:
    """Latin turned 90° clockwise so it reads down the column; its baseline starts at (bx, top)."""
    f = font(r.font, r.size)
    height, base = round(r.size * 1.4), round(r.size * 1.1)
    strip = Image.new("L", (int(f.getlength(r.text)) + 2, height), 0)
    ImageDraw.Draw(strip).text((0, base), r.text, font=f, fill=255, anchor="ls")
    turned = strip.rotate(-90, expand=True)  # clockwise: (x, y) -> (height - 1 - y, x)
    out.paste(Image.new("RGB", turned.size, rgb), (round(bx) - (height - 1 - base), round(top)), turned)


def draw_png(page: Image.Image, place: Placement, colour: str) -> Image.Image:
    out = page.copy()
    d = ImageDraw.Draw(out)
    rgb = _hex_rgb(colour)
    for r in place.block.runs:
        if r.turned:
            _turned(out, r, place.x + r.x, place.y + r.y, rgb)
        else:
            d.text((place.x + r.x, place.y + r.y), r.text, font=font(r.font, r.size), fill=rgb, anchor="ls")
    for x0, y0, x1, y1 in place.block.rules:
        d.rectangle((place.x + x0, place.y + y0, place.x + x1, place.y + y1), fill=rgb)
    return out


def draw_pdf(page: Image.Image, place: Placement, colour: str, fmt: str, title: str) -> bytes:
    """The same page as PDF: the picture (with any scrim) as background, the words as text."""
    import fpdf

    pw, ph = FORMATS[fmt].pt
    k = pw / page.width  # pt per px
    pdf = fpdf.FPDF(unit="pt", format=(pw, ph))
    pdf.set_creation_date(EPOCH)
    pdf.set_creator("duetto")
    pdf.set_title(title or "duetto layout")
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    for key in sorted({r.font for r in place.block.runs}):  # embedding costs ~0.5 s a font
        name, face = FONTS[key]
        pdf.add_font(key, "", str(FONT_DIR / name), collection_font_number=face)
    pdf.add_page()
    buf = io.BytesIO()
    page.save(buf, format="JPEG", quality=90, optimize=False)
    pdf.image(io.BytesIO(buf.getvalue()), x=0, y=0, w=pw, h=ph)
    pdf.set_text_color(*_hex_rgb(colour))
    pdf.set_fill_color(*_hex_rgb(colour))
    for r in place.block.runs:
        pdf.set_font(r.font, "", r.size * k)
        x, y = (place.x + r.x) * k, (place.y + r.y) * k
        if r.turned:
            with pdf.rotation(-90, x=x, y=y):
                pdf.text(x, y, r.text)
        else:
            pdf.text(x, y, r.text)
    for x0, y0, x1, y1 in place.block.rules:
        pdf.rect((place.x + x0) * k, (place.y + y0) * k, (x1 - x0) * k, (y1 - y0) * k, style="F")
    return bytes(pdf.output())


# -- the engine ---------------------------------------------------------------------------------


def _picture(a: Artefact) -> Image.Image:
    if not a.mime.startswith("image/") or a.ext == "svg":
        raise InvalidInput(f"layout needs a raster picture as its first source, not {a.mime}",
                           hint="duetto layout <painting-version> --poem <poem-version>")
    try:
        with Image.open(io.BytesIO(a.data)) as im:
            return im.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(f"the picture cannot be read ({exc})") from None


def poem_lines(a: Artefact) -> list[str]:
    if not a.mime.startswith("text/"):
        raise InvalidInput(f"the poem source must be a text version, not {a.mime}")
    text = a.data.decode("utf-8").strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise InvalidInput("the poem version is empty")
    return lines


def compose(picture: Image.Image, poem: list[str], p: LayoutParams, seed: int) -> tuple[Image.Image, bytes, dict[str, Any]]:
    """The whole layout: PNG image, PDF bytes and a report of the choices made."""
    if not (p.title or p.subtitle or p.text or poem):
        raise InvalidInput("nothing to set: give a title, text or a poem", hint='--title "秋日" or --poem <version>')
    words = Words(p.title.strip(), p.subtitle.strip(), poem, p.text.strip())
    all_words = words.title + words.subtitle + words.body + "".join(poem)
    upright = p.vertical if p.vertical is not None else bool(poem) and _is_cjk(all_words) and max(map(len, poem)) <= 40
    fmt = FORMATS[p.format]
    page, crop = cover_crop(picture, fmt.px, CalmMap(picture).centre_of_interest())
    found = candidates(words, p, CalmMap(page), upright)
    place = pick(found, p.choices, seed)
    page, colour, report = colour_and_scrim(page, place.box, place.slot.name)
    image = draw_png(page, place, colour)
    pdf = draw_pdf(page, place, colour, p.format, words.title)
    w, h = fmt.px
    info = {
        "format": p.format, "page": fmt.what, "width": w, "height": h, "crop": [round(v, 4) for v in crop],
        "vertical": upright, "placement": place.slot.name, "text_colour": colour,
        "block": [round(v / s, 4) for v, s in zip(place.box, (w, h, w, h), strict=True)],
        "contrast": report["contrast"], "contrast_aa": report["contrast"] >= AA, "scrim": report["scrim"],
        "sizes_px": sorted({r.size for r in place.block.runs}, reverse=True),
        "candidates": [{"slot": c.slot.name, "busy": round(c.score, 3)} for c in found],
    }
    return image, pdf, info


class Layout:
    """Poster, cover and card layouts over a stored picture (and poem): a Transformer."""

    name: ClassVar[str] = "layout"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "design"
    Params: ClassVar[type[BaseModel]] = LayoutParams

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None) -> Artefact:
        raise InvalidInput("a layout is made from a picture", hint="duetto layout <painting-version> --title …")

    def transform(self, parents: list[Artefact], spec: CreativeSpec, params: BaseModel, seed: int,
                  progress: Progress | None = None) -> Artefact:
        p = params if isinstance(params, LayoutParams) else LayoutParams.model_validate(params or {})
        if not parents:
            return self.generate(spec, p, seed, progress)
        picture = _picture(parents[0])
        poem = poem_lines(parents[1]) if len(parents) > 1 else []
        image, pdf, info = compose(picture, poem, p, seed)
        return Artefact(data=encode_png(image), ext="png", mime="image/png", extras={"pdf": pdf}, info=info)
