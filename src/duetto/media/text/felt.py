"""What a reader notices change in a poem or story, measured from its text (see ``studio.felt``).

"更明快一些" is a promise about the next poem's words, not about the spec's valence. Each feature
is counted in the stored text alone (a person's own poem is measured the same way), with the
just-noticeable difference (``jnd``) a reader would notice:

* ``valence``: net tone words (bright minus dark: 笑 暖 晴 / 愁 泪 寒, "laugh warm golden" /
  "tears cold grief") per four lines. One more bright (or one fewer dark) word in a quatrain is
  a tone a reader hears, so the jnd is 1.0; "much brighter" asks for two.
* one count per image kind (``moon``, ``rain``, ``leaves`` …): how often the text names it
  (月 蟾 婵娟 / moon moonlight). Naming it once more or once less is noticed: jnd 1.
* ``kinds``: how many image kinds the text names at all; a new or a lost image is noticed (1).
* ``length``: natural log of the text's size (CJK characters plus Latin words), so the jnd is a
  ratio: ln 1.15, the Weber fraction of number sense (a 15 % longer or shorter text). A 七绝
  turned 五绝 (28 → 20 characters) is 0.34; "much shorter" asks for 2 jnds (0.28).
* ``lines``: non-empty lines (1).

The tone and image lexicons are also what the poet's revise (``retouch``) leans on: the words
that show a thing are the words that make a reader see it.
"""

from __future__ import annotations

import math
import re

from duetto.studio.felt import Family, Feature

# Image kinds: (Chinese characters or words, English word pattern). A Chinese word listed in
# NOT_IMAGES is masked out first (岁月 is time, not the moon; 风景 is a view, not wind).
IMAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "moon": (("月", "蟾", "婵娟", "玉兔"), ("moon", "moons", "moonlight", "moonlit", "moonrise", "lunar")),
    "sun": (("阳", "晖", "曦", "落日", "白日", "红日", "旭日", "斜日", "夕日", "丽日"),
            ("sun", "suns", "sunlight", "sunlit", "sunset", "sunsets", "sunrise", "sunny", "sunshine")),
    "stars": (("星", "银河", "银汉"), ("star", "stars", "starlight", "starlit")),
    "clouds": (("云",), ("cloud", "clouds", "cloudy")),
    "rain": (("雨",), ("rain", "rains", "rainy", "raining", "rained", "raindrops", "rainfall", "drizzle", "showers")),
    "snow": (("雪",), ("snow", "snows", "snowy", "snowing", "snowfall", "snowflakes", "snowflake")),
    "mist": (("烟", "雾", "霭"), ("mist", "mists", "misty", "fog", "foggy", "haze", "hazy")),
    "wind": (("风",), ("wind", "winds", "windy", "breeze", "breezes", "gust", "gusts")),
    "leaves": (("叶", "枫"), ("leaf", "leaves", "foliage")),
    "flowers": (("花", "梅", "桃", "荷", "菊", "兰", "蕊"),
                ("flower", "flowers", "blossom", "blossoms", "petal", "petals", "bloom", "blooms", "roses", "lily",
                 "lilies")),
    "trees": (("树", "柳", "松", "竹", "林"),
              ("tree", "trees", "willow", "willows", "pine", "pines", "forest", "forests", "wood", "woods",
               "branch", "branches", "oak", "oaks", "maple", "maples")),
    "birds": (("鸟", "雁", "鹤", "燕", "莺", "鸦", "鸥", "鹊", "鸿", "禽"),
              ("bird", "birds", "geese", "goose", "crow", "crows", "swallow", "swallows", "gull", "gulls",
               "sparrow", "sparrows", "wren", "wrens", "lark", "larks", "owl", "owls")),
    "water": (("水", "江", "河", "湖", "溪", "泉", "波", "浪", "潮", "海"),
              ("river", "rivers", "stream", "streams", "lake", "lakes", "sea", "seas", "water", "waters", "wave",
               "waves", "tide", "tides", "pond", "ponds", "creek")),
    "mountains": (("山", "峰", "岭", "峦"), ("mountain", "mountains", "hill", "hills", "peak", "peaks", "ridge")),
    "boat": (("舟", "船", "帆"), ("boat", "boats", "sail", "sails", "ship", "ships", "oar", "oars")),
}
NOT_IMAGES = ("岁月", "年月", "月份", "风景", "风光", "风流", "风格", "风俗", "作风", "阳台", "花费")

# Tone words. Characters for Chinese (the classical poet writes one character per slot). Left
# out on purpose: 落 (落叶, 落日), 明 and 光 (明月, 月光), 红 (红叶): they come with images.
BRIGHT_ZH = "欢喜笑乐晴暖艳歌舞朗芳香新欣悦畅春翠媚娇甜笙"
DARK_ZH = "愁悲泪伤哀恨怨苦凄怅憔悴残衰凋零断寒冷孤寂独泣啼暗哭叹病死萧瑟惨咽"
BRIGHT_EN = ("bright", "brighter", "brightly", "brightness", "warm", "warmer", "warmth", "laugh", "laughs",
             "laughing", "laughter", "joy", "joyful", "joys", "smile", "smiles", "smiling", "gold", "golden",
             "sing", "sings", "singing", "song", "songs", "dance", "dances", "dancing", "shine", "shines",
             "shining", "glow", "glows", "glowing", "hope", "hopes", "hopeful", "sweet", "sweetly", "happy",
             "happily", "glad", "gladly", "delight", "delights", "cheer", "cheerful", "merry", "light", "lights",
             "radiant", "gleam", "gleams", "gleaming", "sparkle", "sparkles", "sparkling", "play", "plays",
             "playing", "dawn", "morning", "bloom")
DARK_EN = ("dark", "darker", "darkness", "darkened", "cold", "colder", "tear", "tears", "weep", "weeps",
           "weeping", "wept", "grief", "grieve", "grieving", "sorrow", "sorrows", "sad", "sadly", "sadness",
           "lonely", "loneliness", "alone", "lost", "lose", "losing", "die", "dies", "dying", "dead", "death",
           "grey", "gray", "ache", "aches", "aching", "pain", "pains", "mourn", "mourning", "empty", "hollow",
           "fade", "fades", "fading", "faded", "bleak", "gloom", "gloomy", "shadow", "shadows", "cry", "cries",
           "crying", "wither", "withered", "withering", "chill", "chilly", "bitter", "despair", "sigh", "sighs",
           "broken", "frost", "frozen")

FEATURES: dict[str, Feature] = {f.name: f for f in (
    Feature(name="valence", jnd=1.0, what="bright minus dark tone words per four lines"),
    Feature(name="length", jnd=round(math.log(1.15), 4), what="ln(CJK characters + Latin words)"),
    Feature(name="lines", jnd=1.0, what="non-empty lines"),
    Feature(name="kinds", jnd=1.0, what="image kinds named at all"),
    *(Feature(name=kind, jnd=1.0, what=f"times the text names {kind}") for kind in IMAGES),
)}

FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family(name="tone", feature="valence"),
    # a longer text names its images more often; which images it names must not change
    Family(name="length", feature="length", allowed=("lines", *IMAGES)),
    *(Family(name=f"imagery:{kind}", feature=kind, allowed=("kinds",)) for kind in IMAGES),
)}

QUIET: dict = {}
BASES: list[dict] = [
    {"brief": "秋夜，明月，落叶"},
    {"brief": "an autumn night: the moon and falling leaves"},
]
"""The works the benchmark revises: a 七言绝句 and an English free-verse poem, both naming the
moon and leaves (so that "without the moon" has something to take away)."""


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE)


_ZH_IMAGE = {kind: tuple(sorted(zh, key=len, reverse=True)) for kind, (zh, _) in IMAGES.items()}
_EN_IMAGE = {kind: _words(en) for kind, (_, en) in IMAGES.items()}
_BRIGHT_EN = _words(BRIGHT_EN)
_DARK_EN = _words(DARK_EN)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def features(data: bytes) -> dict[str, float]:
    """Every feature of a text file (UTF-8; see the module docstring)."""
    return measure(data.decode("utf-8", errors="replace"))


def measure(text: str) -> dict[str, float]:
    """The features of a text in memory."""
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    body = "\n".join(rows)
    lines = verse_lines(body)
    counts = image_counts(body)
    size = len(_HAN.findall(body)) + len(_WORD.findall(body))
    out: dict[str, float] = {
        "valence": tone_score(body) * 4 / max(4, len(lines)),
        "length": math.log(max(1, size)),
        "lines": float(len(lines)),
        "kinds": float(sum(1 for n in counts.values() if n)),
        **{k: float(n) for k, n in counts.items()},
    }
    return {k: round(v, 4) for k, v in out.items()}


def verse_lines(text: str) -> list[str]:
    """A Chinese text's lines are its 句 (a 七绝 printed as two rows is four lines); an English
    one's are its rows."""
    if len(_HAN.findall(text)) > len(_WORD.findall(text)):
        return [p for p in re.split(r"[，,。！？；!?;\n]+", text) if _HAN.search(p)]
    return [ln for ln in text.splitlines() if ln.strip()]


def image_counts(text: str) -> dict[str, int]:
    """How often each image kind is named (Chinese words longest first, English as words)."""
    rest = text
    for word in NOT_IMAGES:
        rest = rest.replace(word, "　")
    out: dict[str, int] = {}
    for kind in IMAGES:
        n = 0
        for word in _ZH_IMAGE[kind]:
            n += rest.count(word)
            rest = rest.replace(word, "　")
        n += len(_EN_IMAGE[kind].findall(rest))
        out[kind] = n
    return out


def tone_words(text: str) -> tuple[int, int]:
    """(bright, dark) tone words in the text."""
    bright = sum(text.count(c) for c in set(BRIGHT_ZH)) + len(_BRIGHT_EN.findall(text))
    dark = sum(text.count(c) for c in set(DARK_ZH)) + len(_DARK_EN.findall(text))
    return bright, dark


def tone_score(text: str) -> int:
    bright, dark = tone_words(text)
    return bright - dark
