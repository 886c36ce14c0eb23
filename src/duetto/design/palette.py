"""Palettes a designer can use: harmonies from a base colour or a mood, or the colours of an image.

Why HSL for harmonies: the colour wheel artists learn (and the spec's hue arcs) is the HSL wheel,
so "triadic from gold" means gold's HSL hue +120° and +240°, exactly. Names come from the brief
lexicon (the words the parser understands, zh and en) and, for any colour, the nearest entry of
the analyser's named table. Extraction is ``analyse.dominant_colours`` (k-means in Lab).

* ``parse_colour("金色" | "gold" | "#d4a017" | "d4a017" | "#fa0")`` → a ``Swatch``; unknown words
  raise ``InvalidInput`` listing the nearest names.
* ``harmony(base, "triadic", n=5)``: the harmony's key hues first (at the base's saturation and
  lightness), then lighter and darker steps of them until there are ``n``.
* ``mood_base("平静")``: a mood word → a base colour and the harmony that suits it.
* ``extract(image, k)``: the image's dominant colours as swatches with shares.
"""

from __future__ import annotations

import colorsys
import difflib
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field

from duetto.brief.lexicon import lexicon
from duetto.errors import InvalidInput
from duetto.media.image.analyse import (
    NAMED_COLOURS,
    colour_name,
    dominant_colours,
    hex_rgb,
    load_rgb,
    rgb_to_lab,
)

HarmonyName = Literal["complementary", "analogous", "triadic", "split-complementary", "tetradic", "monochrome"]
Role = Literal["base", "harmony", "tint", "shade", "extracted"]

# Key hue offsets on the HSL wheel, degrees from the base. Tetradic is the square (two
# complementary pairs 90° apart); monochrome keeps the hue and steps lightness instead.
OFFSETS: dict[str, tuple[float, ...]] = {
    "complementary": (0.0, 180.0),
    "analogous": (0.0, -30.0, 30.0),
    "triadic": (0.0, 120.0, 240.0),
    "split-complementary": (0.0, 150.0, 210.0),
    "tetradic": (0.0, 90.0, 180.0, 270.0),
    "monochrome": (0.0,),
}
HARMONIES: tuple[str, ...] = tuple(OFFSETS)
ALIASES = {"complement": "complementary", "split": "split-complementary", "triad": "triadic",
           "square": "tetradic", "mono": "monochrome", "monochromatic": "monochrome",
           "互补": "complementary", "类似": "analogous", "邻近": "analogous", "三角": "triadic",
           "分裂互补": "split-complementary", "四角": "tetradic", "单色": "monochrome"}
EXTRACT_SIDE = 96  # k-means reads a box-filtered copy this big: ≤ 50 ms for any 1024² picture
MIN_SHARE = 0.01  # extracted colours covering less of the picture are dropped (anti-aliased edges)
STEP = 0.18  # lightness step of the tints and shades that fill a harmony up to n swatches


class MoodColour(BaseModel):
    """Where a mood sits on the wheel: a base colour and the harmony that keeps its feeling."""

    hue: float
    saturation: float
    lightness: float
    harmony: HarmonyName


# Canonical mood names (the brief lexicon's) → colour. Quiet moods are cool, pale and analogous;
# lively ones warm, saturated and spread round the wheel; sad ones dark and greyed.
MOOD_COLOURS: dict[str, MoodColour] = {
    "calm": MoodColour(hue=200, saturation=0.35, lightness=0.62, harmony="analogous"),
    "serene": MoodColour(hue=180, saturation=0.30, lightness=0.70, harmony="analogous"),
    "melancholic": MoodColour(hue=222, saturation=0.25, lightness=0.42, harmony="analogous"),
    "sad": MoodColour(hue=228, saturation=0.20, lightness=0.32, harmony="monochrome"),
    "joyful": MoodColour(hue=45, saturation=0.85, lightness=0.58, harmony="triadic"),
    "cheerful": MoodColour(hue=50, saturation=0.80, lightness=0.62, harmony="split-complementary"),
    "energetic": MoodColour(hue=15, saturation=0.90, lightness=0.52, harmony="tetradic"),
    "passionate": MoodColour(hue=350, saturation=0.80, lightness=0.45, harmony="complementary"),
    "mysterious": MoodColour(hue=270, saturation=0.45, lightness=0.30, harmony="split-complementary"),
    "gentle": MoodColour(hue=340, saturation=0.40, lightness=0.78, harmony="analogous"),
    "lonely": MoodColour(hue=210, saturation=0.18, lightness=0.45, harmony="monochrome"),
    "dreamy": MoodColour(hue=280, saturation=0.40, lightness=0.75, harmony="analogous"),
    "dark": MoodColour(hue=240, saturation=0.30, lightness=0.18, harmony="monochrome"),
    "playful": MoodColour(hue=320, saturation=0.75, lightness=0.60, harmony="triadic"),
    "nostalgic": MoodColour(hue=30, saturation=0.40, lightness=0.55, harmony="analogous"),
    "tense": MoodColour(hue=0, saturation=0.70, lightness=0.40, harmony="complementary"),
    "romantic": MoodColour(hue=345, saturation=0.60, lightness=0.65, harmony="analogous"),
    "hopeful": MoodColour(hue=95, saturation=0.55, lightness=0.60, harmony="split-complementary"),
    "angry": MoodColour(hue=2, saturation=0.85, lightness=0.42, harmony="complementary"),
    "solemn": MoodColour(hue=25, saturation=0.30, lightness=0.28, harmony="monochrome"),
}


class Swatch(BaseModel):
    """One colour of a palette, with everything a designer reads off a swatch card."""

    hex: str
    name_zh: str
    name_en: str
    hue: float = Field(description="HSL hue in degrees (the designed hue, before rounding to hex).")
    saturation: float = Field(description="HSL saturation 0..1.")
    lightness: float = Field(description="HSL lightness 0..1.")
    lab: tuple[float, float, float]
    role: Role = "harmony"
    share: float | None = Field(None, description="For extracted colours: fraction of the image.")

    @property
    def rgb(self) -> tuple[int, int, int]:
        return int(self.hex[1:3], 16), int(self.hex[3:5], 16), int(self.hex[5:7], 16)


def swatch_from_hls(hue: float, lightness: float, saturation: float, role: Role = "harmony",
                    name: tuple[str, str] | None = None, share: float | None = None) -> Swatch:
    """A swatch from HSL; named after the nearest colour of the named table unless told."""
    hue %= 360.0
    l, s = min(max(lightness, 0.0), 1.0), min(max(saturation, 0.0), 1.0)
    rgb = np.array(colorsys.hls_to_rgb(hue / 360.0, l, s))
    hex_ = "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
    lab = rgb_to_lab(hex_rgb(hex_))
    zh, en = name or colour_name(lab)
    return Swatch(hex=hex_, name_zh=zh, name_en=en, hue=round(hue, 3), saturation=round(s, 4),
                  lightness=round(l, 4), lab=tuple(round(float(v), 2) for v in lab),  # type: ignore[arg-type]
                  role=role, share=share)


def swatch_from_hex(hex_: str, role: Role = "base", name: tuple[str, str] | None = None,
                    share: float | None = None) -> Swatch:
    rgb = hex_rgb(hex_)
    h, l, s = colorsys.rgb_to_hls(*rgb)
    lab = rgb_to_lab(np.array(rgb))
    zh, en = name or colour_name(lab)
    return Swatch(hex=hex_, name_zh=zh, name_en=en, hue=round(h * 360.0, 3), saturation=round(s, 4),
                  lightness=round(l, 4), lab=tuple(round(float(v), 2) for v in lab),  # type: ignore[arg-type]
                  role=role, share=share)


# -- reading colours and moods from words ------------------------------------------------------


def _hex_or_none(text: str) -> str | None:
    """``#aabbcc``/``aabbcc``/``#abc`` → ``#aabbcc``; anything else → None (a bare three-letter
    word such as "bad" is a word, not hex). Raises on a string that starts with ``#`` but is not
    hex, so "#12345g" is a bad hex code rather than an unknown colour name."""
    t = text.strip().lower()
    body = t[1:] if t.startswith("#") else t
    if t.startswith("#") or (len(body) == 6 and all(c in "0123456789abcdef" for c in body)):
        if len(body) not in (3, 6) or any(c not in "0123456789abcdef" for c in body):
            raise InvalidInput(f"{text!r} is not a hex colour", hint="write #rrggbb or #rgb, e.g. #d4a017 or #fa0")
        return "#" + (body if len(body) == 6 else "".join(c * 2 for c in body))
    return None


def _named() -> dict[str, tuple[str, str, str]]:
    """Every colour word the studio knows → (hex, zh, en): the brief lexicon first, then the
    analyser's naming table (which names extracted colours)."""
    table: dict[str, tuple[str, str, str]] = {}
    lex = lexicon()
    for words in (lex.zh, lex.en):
        for word, term in words.items():
            if term.kind == "colour" and term.colour is not None:
                hex_ = term.colour.hex
                zh, en = colour_name(rgb_to_lab(hex_rgb(hex_)))
                table[word] = (hex_, word if words is lex.zh else zh, word if words is lex.en else en)
    for hex_, zh, en in NAMED_COLOURS:
        table.setdefault(zh, (hex_, zh, en))
        table.setdefault(en, (hex_, zh, en))
    return table


def colour_words() -> list[str]:
    return sorted(_named())


def parse_colour(text: str) -> Swatch:
    """A colour from a hex code or a colour word in Chinese or English."""
    if not text.strip():
        raise InvalidInput("empty colour", hint="a hex code like #d4a017 or a name like 金色, gold")
    hex_ = _hex_or_none(text)
    if hex_ is not None:
        return swatch_from_hex(hex_)
    table = _named()
    key = text.strip().lower()
    if key in table:
        hex_, zh, en = table[key]
        return swatch_from_hex(hex_, name=(zh, en))
    raise InvalidInput(f"unknown colour {text!r}", hint="did you mean: " + ", ".join(suggest(key, list(table))))


def suggest(word: str, known: list[str], n: int = 5) -> list[str]:
    """Nearest known words: spelling for English, shared characters for Chinese."""
    close = difflib.get_close_matches(word, known, n=n, cutoff=0.5)
    if len(close) < n:
        shared = sorted((k for k in known if k not in close and set(k) & set(word) and not k.isascii()),
                        key=lambda k: (-len(set(k) & set(word)), len(k)))
        close += shared[: n - len(close)]
    return close or known[:n]


def mood_of(text: str) -> str | None:
    """The canonical mood a word names ("平静" → "calm"), or None."""
    key = text.strip().lower()
    if key in MOOD_COLOURS:
        return key
    lex = lexicon()
    term = lex.zh.get(key) or lex.en.get(key)
    return term.key if term is not None and term.kind == "mood" else None


def mood_base(text: str) -> tuple[Swatch, HarmonyName]:
    mood = mood_of(text)
    if mood is None:
        raise InvalidInput(f"unknown mood {text!r}", hint="moods: " + ", ".join(MOOD_COLOURS))
    m = MOOD_COLOURS[mood]
    return swatch_from_hls(m.hue, m.lightness, m.saturation, role="base"), m.harmony


def harmony_name(text: str) -> HarmonyName:
    key = text.strip().lower()
    key = ALIASES.get(key, key)
    if key not in OFFSETS:
        raise InvalidInput(f"unknown harmony {text!r}", hint="harmonies: " + ", ".join(HARMONIES))
    return key  # type: ignore[return-value]


# -- harmonies and extraction --------------------------------------------------------------------


def harmony(base: Swatch, name: str, n: int = 5) -> list[Swatch]:
    """The harmony's key colours (exact hue offsets from the base), then tints and shades.

    Key colours keep the base's saturation and lightness so the harmony is in hue alone; the
    fill-ins alternate lighter and darker steps of the key colours, in order, so that every
    palette also has a value range to work with. Monochrome is the base in lightness steps.
    """
    key = harmony_name(name)
    if n < 1:
        raise InvalidInput(f"a palette needs at least one colour, got {n}")
    h, l, s = base.hue, base.lightness, base.saturation
    out = [base.model_copy(update={"role": "base"})]
    if key == "monochrome":
        steps = [d for i in range(1, n) for d in (i * STEP, -i * STEP)]
        for d in steps:
            if len(out) >= n:
                break
            if 0.06 <= l + d <= 0.95:
                out.append(swatch_from_hls(h, l + d, s * (1 - 0.25 * abs(d)), "tint" if d > 0 else "shade"))
        return out
    out += [swatch_from_hls(h + off, l, s) for off in OFFSETS[key][1:]]
    keys = list(out)
    step = 1
    while len(out) < n and step < 6:
        for sw in keys:
            for d in (STEP * step, -STEP * step):
                if len(out) < n and 0.06 <= l + d <= 0.95:
                    out.append(swatch_from_hls(sw.hue, l + d, s * 0.85, "tint" if d > 0 else "shade"))
        step += 1
    return out[:n]


def extract(image: Image.Image | Path | str | np.ndarray, k: int = 6, seed: int = 0) -> list[Swatch]:
    """The image's dominant colours (k-means in Lab, near-duplicates merged), largest first;
    specks under ``MIN_SHARE`` (the blend along an edge) are left out."""
    if not 1 <= k <= 16:
        raise InvalidInput(f"--k must be 1..16, got {k}")
    found = dominant_colours(load_rgb(image, side=EXTRACT_SIDE), k, seed)
    kept = [c for c in found if c.share >= MIN_SHARE] or found[:1]  # edge blends are not colours
    return [swatch_from_hex(c.hex, role="extracted", name=(c.name_zh, c.name_en), share=c.share) for c in kept]
