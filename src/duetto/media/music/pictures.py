"""Pictures of a piece: the engraved score (verovio → SVG → PNG) and a piano roll.

The score is for musicians; the piano roll is for everyone else: time runs left to right, pitch
bottom to top, one colour per part, with bars, sections and chord symbols marked, so a person
can see the shape of a tune and where the parts sit without reading notation.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cairosvg
from PIL import Image, ImageDraw, ImageFont

from duetto.errors import InvalidInput
from duetto.media.music.score import Note, Piece, Track

# verovio: one tall page (pageHeight is its maximum; adjustPageHeight shrinks it to the music)
SCORE_OPTIONS = {"pageWidth": 2100, "pageHeight": 60000, "adjustPageHeight": True, "scale": 45,
                 "breaks": "auto", "footer": "none", "header": "auto", "xmlIdSeed": 1,
                 "pageMarginLeft": 60, "pageMarginRight": 60, "pageMarginTop": 60, "pageMarginBottom": 60}

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Chinese part names, if installed
PAPER, INK, MUTED, GRID, BLACK_KEY = (252, 251, 248), (34, 34, 38), (120, 120, 128), (214, 212, 206), (240, 238, 233)
COLOURS = ((228, 87, 46), (46, 134, 171), (243, 167, 18), (41, 160, 18), (162, 59, 114), (61, 52, 139),
           (0, 150, 150), (140, 98, 57))
DRUM_COLOUR = (90, 90, 96)
MAX_PNG_HEIGHT = 20_000  # cairo refuses 32,768; a PNG this tall is already hard to use
SVG_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)px" height="([\d.]+)px"')

# In text (chord symbols, metronome marks) verovio writes SMuFL glyphs from its embedded web font,
# which cairosvg cannot load; the PNG gets the Unicode music symbols from a text font instead.
SMUFL_TEXT = re.compile(r'<tspan font-family="Leipzig" font-size="(\d+(?:\.\d+)?)px">([^<]*)</tspan>')
SMUFL_TO_UNICODE = {
    "\ue260": "\u266d", "\ue261": "\u266e", "\ue262": "\u266f",  # accidentals
    "\uea64": "\u266d", "\uea65": "\u266e", "\uea66": "\u266f",  # figured-bass accidentals (chord symbols)
    "\ued60": "\u266d", "\ued61": "\u266e", "\ued62": "\u266f",  # chord-symbol accidentals
    "\ueca5": "\u2669", "\ueca7": "\u266a", "\uecb7": ".", " ": "",  # metronome: quarter, eighth, dot
}
CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")


# verovio loads its fonts for the thread that imported it and fails in any other ("Leipzig font
# could not be loaded"): a server's job threads, a test's worker. So it lives on one thread of its
# own, imported there, and every score is engraved there.
_ENGRAVER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="duetto-verovio")


def score_svg(musicxml: bytes) -> str:
    """The score engraved by verovio as one SVG page, tall enough for the whole piece (its
    height follows the music; a very long piece is cut at verovio's maximum page height)."""
    return _ENGRAVER.submit(_engrave, musicxml).result()


def _engrave(musicxml: bytes) -> str:
    import verovio

    verovio.enableLog(verovio.LOG_OFF)  # its warnings about MusicXML details would reach the person's terminal
    tk = verovio.toolkit()
    tk.setOptions(SCORE_OPTIONS)
    if not tk.loadData(musicxml.decode("utf-8")):
        raise InvalidInput("verovio could not read this MusicXML")
    return str(tk.renderToSVG(1))


def svg_to_png(svg: str, width: int) -> bytes:
    """An SVG as a PNG ``width`` pixels wide on white (verovio leaves the page transparent);
    narrower when the page is so tall that it would pass MAX_PNG_HEIGHT (a long orchestral score)."""
    if not 16 <= width <= 8000:
        raise InvalidInput(f"a picture {width} px wide is not sensible", hint="choose 16..8000")
    size = SVG_SIZE.search(svg)
    if size and float(size.group(1)) > 0:
        width = min(width, int(MAX_PNG_HEIGHT * float(size.group(1)) / max(1.0, float(size.group(2)))))
    svg = SMUFL_TEXT.sub(_plain_symbols, svg)
    if CJK.search(svg):  # cairo's simple text API does not fall back per glyph: pick a font with both
        svg = svg.replace('font-family="Times, serif"', 'font-family="Noto Serif CJK SC, Times, serif"')
    return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width, background_color="white"))


def _plain_symbols(match: re.Match[str]) -> str:
    size, glyphs = float(match.group(1)), match.group(2)
    if not glyphs or any(g not in SMUFL_TO_UNICODE for g in glyphs):
        return match.group(0)
    text = "".join(SMUFL_TO_UNICODE[g] for g in glyphs)
    return f'<tspan font-family="DejaVu Serif, serif" font-size="{size * 0.6:.0f}px">{text}</tspan>'


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if FONT.exists():
        return ImageFont.truetype(str(FONT), size, index=2)  # face 2: Simplified Chinese forms
    return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class _Roll:
    """Where things go on the piano roll: beats → x, pitches → y (the top of the pitch's row)."""

    width: int
    beats: float
    lo: int  # lowest pitch shown
    hi: int
    row: int  # pixels a semitone
    left: int = 46
    right: int = 14
    top: int = 74  # under the title, the section band and the chord symbols
    drum_h: int = 0

    def x(self, beat: float) -> float:
        return self.left + (self.width - self.left - self.right) * beat / self.beats

    def y(self, pitch: int) -> int:
        return self.top + (self.hi - pitch) * self.row

    @property
    def roll_bottom(self) -> int:
        return self.top + (self.hi - self.lo + 1) * self.row

    @property
    def bottom(self) -> int:
        return self.roll_bottom + (self.drum_h + 6 if self.drum_h else 0)


def piano_roll(piece: Piece, width: int = 1200) -> bytes:
    """A PNG: notes as bars of colour against time (x) and pitch (y), a drum lane under them,
    bar lines, section labels and chord symbols on top, and a legend of the parts."""
    if not 300 <= width <= 8000:
        raise InvalidInput(f"a piano roll {width} px wide is not sensible", hint="choose 300..8000")
    pitched = [n for t in piece.tracks if not t.drum for n in t.notes]
    lo = min((n.pitch for n in pitched), default=60) - 2
    hi = max((n.pitch for n in pitched), default=72) + 2
    roll = _Roll(width=width, beats=max([piece.beats] + [n.start + n.dur for t in piece.tracks for n in t.notes]),
                 lo=lo, hi=hi, row=max(3, min(12, 420 // (hi - lo + 1))),
                 drum_h=36 if any(t.drum and t.notes for t in piece.tracks) else 0)
    legend_h = 40
    img = Image.new("RGB", (width, roll.bottom + legend_h), PAPER)
    d = ImageDraw.Draw(img)
    small = _font(12)
    d.text((roll.left, 6), piece.title or "untitled", fill=INK, font=_font(14))
    _keyboard(d, roll, small)
    _bars_and_sections(d, roll, piece, small)
    _chord_symbols(d, roll, piece, small)
    colours = {id(t): COLOURS[i % len(COLOURS)] for i, t in enumerate(t for t in piece.tracks if not t.drum)}
    for t in sorted((t for t in piece.tracks if not t.drum), key=lambda t: t.role == "melody"):  # melody on top
        _notes(d, roll, t, colours[id(t)])
    if roll.drum_h:
        _drums(d, roll, [n for t in piece.tracks if t.drum for n in t.notes], small)
    x, y = roll.left, roll.bottom + 10
    for t in piece.tracks:  # the legend
        d.rectangle([x, y + 4, x + 14, y + 18], fill=DRUM_COLOUR if t.drum else colours[id(t)])
        text = f"{t.name} ({t.role})"
        d.text((x + 20, y + 11), text, fill=INK, font=small, anchor="lm")
        x += int(20 + d.textlength(text, font=small) + 18)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _keyboard(d: ImageDraw.ImageDraw, roll: _Roll, font: Font) -> None:
    """Shaded rows for the black keys, a line and a name at each C."""
    for p in range(roll.lo, roll.hi + 1):
        y = roll.y(p)
        if p % 12 in (1, 3, 6, 8, 10):
            d.rectangle([roll.left, y, roll.width - roll.right, y + roll.row - 1], fill=BLACK_KEY)
        if p % 12 == 0:
            d.line([roll.left, y + roll.row - 1, roll.width - roll.right, y + roll.row - 1], fill=GRID)
            d.text((4, y + roll.row / 2), f"C{p // 12 - 1}", fill=MUTED, font=font, anchor="lm")


def _bars_and_sections(d: ImageDraw.ImageDraw, roll: _Roll, piece: Piece, font: Font) -> None:
    """A line at every bar (darker every fourth); each section a tinted band with its label."""
    bar = 0
    while bar * piece.bar_beats <= roll.beats + 1e-9:
        x = roll.x(bar * piece.bar_beats)
        d.line([x, roll.top, x, roll.bottom], fill=GRID if bar % 4 else MUTED)
        bar += 1
    for i, s in enumerate(piece.sections):
        x0, x1 = roll.x(s.start_bar * piece.bar_beats), roll.x((s.start_bar + s.bars) * piece.bar_beats)
        d.rectangle([x0, 28, x1, 48], fill=(236, 232, 222) if i % 2 == 0 else (226, 232, 236))
        d.text((x0 + 4, 38), s.label, fill=INK, font=font, anchor="lm")
        d.line([x0, 28, x0, roll.bottom], fill=INK)


def _chord_symbols(d: ImageDraw.ImageDraw, roll: _Roll, piece: Piece, font: Font) -> None:
    """A symbol where the harmony changes, skipped when it would run into the one before."""
    free_from, previous = -1e9, None
    for c in sorted(piece.chords, key=lambda c: c.start):
        x = roll.x(c.start)
        if c.symbol == previous or x < free_from:
            continue
        d.text((x + 2, 60), c.symbol, fill=INK, font=font, anchor="lm")
        free_from, previous = x + d.textlength(c.symbol, font=font) + 6, c.symbol


def _notes(d: ImageDraw.ImageDraw, roll: _Roll, track: Track, fill: tuple[int, int, int]) -> None:
    edge = tuple(int(v * 0.6) for v in fill)
    for n in track.notes:
        x0 = roll.x(n.start)
        x1 = max(x0 + 2, roll.x(n.start + n.dur) - 1)  # a gap between repeated notes; never invisible
        y0 = roll.y(n.pitch)
        d.rectangle([x0, y0, x1, y0 + max(2, roll.row - 1)], fill=fill, outline=edge if roll.row >= 5 else None)


def _drums(d: ImageDraw.ImageDraw, roll: _Roll, hits: list[Note], font: Font) -> None:
    """One lane under the roll: kicks low, snares and claps in the middle, hats and cymbals high."""
    y0 = roll.roll_bottom + 6
    d.rectangle([roll.left, y0, roll.width - roll.right, y0 + roll.drum_h], outline=GRID)
    d.text((4, y0 + roll.drum_h / 2), "drums", fill=MUTED, font=font, anchor="lm")
    third = (roll.drum_h - 6) / 3
    for n in hits:
        lane = 2 if n.pitch in (35, 36) else 1 if n.pitch in (37, 38, 39, 40) else 0
        x, y = roll.x(n.start), y0 + 3 + lane * third
        d.rectangle([x, y, x + 2, y + third - 2], fill=DRUM_COLOUR)
