"""A text prompt from a CreativeSpec, in English (what CLIP text encoders were trained on).

Chinese briefs still reach the model: the parser has already turned 黄昏 and 落叶 into motifs
(sky/dusk, leaves/falling) and 金色 into a colour value, so the prompt is built from those
structured fields — subject words only when they are English — never from a translation guess.
"""

from __future__ import annotations

import re

import numpy as np

from duetto.media.image.analyse import colour_name, rgb_to_lab
from duetto.spec import CreativeSpec

ASCII_WORD = re.compile(r"^[A-Za-z][A-Za-z '\-]*$")
MOTIF_WORDS = {
    ("sky", "dawn"): "dawn sky", ("sky", "dusk"): "dusk sky at sunset", ("sky", "night"): "night sky",
    ("sky", "day"): "clear sky", ("sun", ""): "sun", ("moon", ""): "moon", ("mountains", ""): "mountains",
    ("water", "calm"): "calm water", ("water", "waves"): "sea waves", ("trees", "willow"): "willow trees",
    ("trees", "pine"): "pine trees", ("trees", "bare"): "bare trees", ("trees", "blossom"): "blossoming trees",
    ("trees", "forest"): "forest", ("leaves", "falling"): "falling leaves", ("leaves", "scattered"): "scattered leaves",
}
STYLE_WORDS = {"ink": "chinese ink wash painting", "flow": "flowing abstract painting", "brush": "brushstroke painting",
               "geometric": "geometric abstract art", "colorfield": "colour field painting", "wave": "wave pattern art",
               "scene": "landscape painting"}
QUALITY = "painting, detailed, high quality"


def _english(word: str) -> str | None:
    word = word.strip()
    return word if ASCII_WORD.match(word) else None


def colour_words(spec: CreativeSpec) -> list[str]:
    """English names of the spec's colours ("gold" for 金色, read from the colour value)."""
    out: list[str] = []
    for c in spec.palette.colours:
        name = _english(c.name) or colour_name(rgb_to_lab(np.array(c.rgb, np.float64) / 255.0))[1]
        if name not in out:
            out.append(name)
    return out


def excluded_words(spec: CreativeSpec) -> list[str]:
    return [_english(c.name) or colour_name(rgb_to_lab(np.array(c.rgb, np.float64) / 255.0))[1]
            for c in spec.palette.excluded]


def prompt_for(spec: CreativeSpec) -> str:
    """"dusk sky at sunset, sun, falling leaves, gold tones, serene, melancholic mood, painting …"."""
    parts: list[str] = []
    for m in spec.motifs:
        word = MOTIF_WORDS.get((m.kind, m.variant)) or " ".join(w for w in (m.variant, m.kind) if w)
        if word not in parts:
            parts.append(word)
    for word in [*spec.subject.replace("、", ",").split(","), *spec.keywords]:
        english = _english(word)
        if english and english.lower() not in " ".join(parts).lower():
            parts.append(english)
    colours = colour_words(spec)
    if colours:
        parts.append(" and ".join(colours[:4]) + " tones")
    if spec.mood.named:
        parts.append(", ".join(spec.mood.named[:3]) + " mood")
    if spec.style and spec.style in STYLE_WORDS:
        parts.append(STYLE_WORDS[spec.style])
    elif spec.style and _english(spec.style):
        parts.append(spec.style)
    parts.append(QUALITY)
    return ", ".join(p for p in parts if p)


def negative_for(spec: CreativeSpec) -> str:
    """Colours the artist excluded ("不要红色") plus the usual failure words."""
    return ", ".join([*excluded_words(spec), "blurry", "low quality", "watermark", "text"])
