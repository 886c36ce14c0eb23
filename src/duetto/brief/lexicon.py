"""The words the rule parser understands, in Chinese and English, and what each does to a spec.

Everything here is data. Each group lists its words as one ``|``-separated string so that a
synonym is a one-word edit, and a Chinese word and its English twin sit on the same line and can
never drift apart. Effects are *pushes*: signed amounts added to a numeric spec field at degree
1.0. The same push serves a brief (added to the default, then softly saturated) and feedback
(scaled by 更/一点/much and sent as a ``SpecDelta.shift``), so "warm" means one thing everywhere.

The tables are turned into two lookup maps (``zh_terms``, ``en_terms``) once, lazily, and those
maps are read-only afterwards.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Kind = Literal[
    "quality",  # a visual/musical quality: pushes numeric fields
    "colour",  # a named colour: a NamedColour plus a hue arc
    "mood",  # a mood word: a canonical mood name (valence/arousal in MOODS)
    "imagery",  # subject matter kept as a keyword, with optional pushes and an implied mood
    "style",  # an engine style name
    "form",  # a modern poem form (haiku, 十四行诗, 现代诗): the poem's style
    "style_hint",  # handling words (笔触, brushwork) that pick a style only if none is named
    "composition",  # a CreativeSpec.composition value
    "aspect",  # a noun that relative words attach to: 线条, shapes, colours
    "relative",  # more/less/bigger/smaller/thicker/thinner: meaning depends on the aspect
    "degree",  # 更, 一点, much, slightly: multiplies the next (or previous) effect
    "lacking",  # 不够, 缺少, lacks: the next (or previous) word is wanted *more*, never less
    "enough",  # 够, enough: "not … enough" = lacking; a lone "warm enough" asks for no change
    "negation",  # 不要, no, without: excludes colours, inverts qualities
    "too",  # 太, too: "too dark" asks for the opposite
    "conj",  # 和, and (key "and"); 或, or (key "or"): join a negated list
    "boundary",  # clause breaks: punctuation, 但是, but
    "medium",  # words naming a medium (画, 乐曲, poem): understood, no effect
    "stop",  # function words: understood, no effect
]

Push = tuple[tuple[str, float], ...]
"""(dotted numeric path, amount at degree 1.0) pairs; a tuple so terms stay immutable."""

Arc = tuple[float, float]

_PATHS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "energy": ("energy",),
        "rhythm": ("rhythm",),
        "density": ("density",),
        "size": ("shape_size",),
        "complexity": ("complexity",),
        "valence": ("mood.valence",),
        "arousal": ("mood.arousal",),
        "smooth": ("line.smoothness",),
        "lines": ("line.amount",),
        "weight": ("line.weight",),
        "warmth": ("palette.warmth",),
        "variety": ("palette.variety",),
        "sat": ("palette.saturation.lo", "palette.saturation.hi"),
        "light": ("palette.lightness.lo", "palette.lightness.hi"),
        "light_lo": ("palette.lightness.lo",),
        "light_hi": ("palette.lightness.hi",),
    }
)


def fx(**amounts: float) -> Push:
    """Short aliases → dotted paths; ``sat``/``light`` move both ends of their range."""
    out: dict[str, float] = {}
    for alias, amount in amounts.items():
        for path in _PATHS[alias]:
            out[path] = out.get(path, 0.0) + amount
    return tuple(out.items())


@dataclass(frozen=True, slots=True)
class Colour:
    """A colour as a value: canonical English key, hex, and the hue arc it stands for."""

    key: str
    hex: str
    arc: Arc | None  # None for black/white/grey: they have no hue to prefer or exclude
    push: Push = ()  # what naming it in a brief does to the palette (black darkens)


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry; which fields matter depends on ``kind``."""

    kind: Kind
    key: str = ""  # mood / style / composition / aspect / relative / medium name
    push: Push = ()
    factor: float = 1.0  # degree multiplier
    post: bool = False  # a degree word that may follow its head (暖一点, warmer a bit)
    mood: str | None = None  # mood implied by imagery or a quality (黄昏 → melancholic)
    mood_weight: float = 1.0
    colour: Colour | None = None  # a colour, or the colour an image implies (lavender fields)
    colours: tuple[Colour, ...] = ()  # a colour set: 三原色 is red, yellow and blue


@dataclass(frozen=True, slots=True)
class MoodDef:
    """Where a mood sits (valence -1..1, arousal 0..1) and what it does to form."""

    valence: float
    arousal: float
    push: Push


# ---------------------------------------------------------------------------------------------
# Moods: canonical English name → position and side effects.

MOODS: Mapping[str, MoodDef] = MappingProxyType(
    {
        "calm": MoodDef(0.35, 0.15, fx(energy=-0.3, smooth=0.15, density=-0.1)),
        "serene": MoodDef(0.5, 0.15, fx(energy=-0.3, smooth=0.2, density=-0.15)),
        "melancholic": MoodDef(-0.45, 0.3, fx(energy=-0.15, light=-0.1, sat=-0.05, warmth=-0.05)),
        "sad": MoodDef(-0.7, 0.25, fx(energy=-0.2, light=-0.15, sat=-0.15, warmth=-0.15)),
        "joyful": MoodDef(0.8, 0.7, fx(energy=0.2, light=0.1, sat=0.15, warmth=0.15)),
        "cheerful": MoodDef(0.7, 0.6, fx(energy=0.15, light=0.15, sat=0.1)),
        "energetic": MoodDef(0.45, 0.85, fx(energy=0.35, rhythm=0.1, complexity=0.1)),
        "passionate": MoodDef(0.5, 0.9, fx(energy=0.3, sat=0.2, warmth=0.25, weight=0.1)),
        "mysterious": MoodDef(-0.1, 0.4, fx(light=-0.15, warmth=-0.15, complexity=0.1)),
        "gentle": MoodDef(0.45, 0.25, fx(energy=-0.15, smooth=0.25, sat=-0.1, weight=-0.15)),
        "lonely": MoodDef(-0.5, 0.2, fx(density=-0.3, energy=-0.15, variety=-0.15)),
        "dreamy": MoodDef(0.35, 0.3, fx(smooth=0.25, sat=-0.1, light=0.1)),
        "dark": MoodDef(-0.55, 0.45, fx(light=-0.3, sat=-0.1)),
        "playful": MoodDef(0.7, 0.7, fx(energy=0.2, complexity=0.15, rhythm=0.1)),
        "nostalgic": MoodDef(0.0, 0.3, fx(warmth=0.15, sat=-0.1)),
        "tense": MoodDef(-0.4, 0.85, fx(smooth=-0.3, energy=0.25)),
        "romantic": MoodDef(0.6, 0.5, fx(warmth=0.2, smooth=0.2)),
        "hopeful": MoodDef(0.6, 0.5, fx(light=0.15)),
        "angry": MoodDef(-0.7, 0.95, fx(energy=0.4, smooth=-0.35, warmth=0.3, sat=0.2)),
        "solemn": MoodDef(-0.1, 0.25, fx(energy=-0.2, sat=-0.15, light=-0.1)),
    }
)

_MOOD_WORDS: tuple[tuple[str, str], ...] = (
    ("平静|安静|沉静|放松|恬静|calm|peaceful|quiet|relaxed|relaxing|restful", "calm"),
    ("宁静|静谧|安详|祥和|禅意|serene|tranquil|tranquility|serenity|zen", "serene"),
    (("忧伤|忧郁|惆怅|伤感|感伤|哀愁|萧瑟|萧索|凄清|寥落|melancholic|melancholy"
      "|wistful|bittersweet|blue mood|forlorn|haunting"),
     "melancholic"),
    (("悲伤|哀伤|难过|悲凉|悲痛|凄凉|悲恸|哀悼|心碎|sad|sadness|sorrowful|mournful|tragic|grief"
      "|grieving|mourning|heartbroken|heartbreak"), "sad"),
    ("欢快|愉快|快乐|喜悦|欢乐|幸福|joyful|joyous|happy|happier|joy|delightful|festive", "joyful"),
    ("开心|明媚|轻松|阳光般|cheerful|sunny mood|upbeat|bright mood|merry", "cheerful"),
    (("动感|活力|有活力|充满活力|振奋|活跃|自豪|骄傲|豪迈|雄壮|昂扬|凯旋|energetic|lively|vibrant"
      "|energy|spirited|vigorous|proud|triumphant|triumphal|heroic|rousing|stirring"), "energetic"),
    ("激情|热烈|热情|激昂|澎湃|激烈|猛烈|passionate|passion|fiery|ardent|fervent|fierce", "passionate"),
    ("神秘|诡秘|悬疑|mysterious|mystery|enigmatic|mystical|eerie|uncanny", "mysterious"),
    (("温柔|柔美|轻柔|温和|温婉|温馨|舒适|惬意|gentle|tender|soothing|mild|cosy|cozy|snug"
      "|comforting"), "gentle"),
    ("孤独|寂寞|孤寂|孤单|落寞|lonely|lonesome|solitary|isolated|loneliness", "lonely"),
    ("梦幻|朦胧|如梦|dreamy|dreamlike|ethereal|hazy dream|surreal", "dreamy"),
    (("黑暗|阴暗|阴郁|阴沉|压抑|阴霾|沉郁|阴森|gloomy|sombre|somber|bleak|grim|ominous|moody"
      "|dark mood|brooding|foreboding|menacing|creepy|spooky|haunted"), "dark"),
    (("俏皮|活泼|顽皮|可爱|童趣|幽默|搞笑|滑稽|喜剧|荒诞|诙谐|playful|whimsical|fun|cute|cheeky"
      "|funny|humorous|humour|humor|comedy|comic|comedic|hilarious|slapstick|silly|absurd"), "playful"),
    (("怀旧|追忆|思念|思乡|乡愁|怀乡|nostalgic|nostalgia|longing|homesick|homesickness|lost time"
      "|bygone|sentimental"), "nostalgic"),
    (("紧张|不安|焦虑|恐怖|可怕|惊悚|争吵|吵架|争执|对峙|冲突|威胁|tense|anxious|uneasy|nervous"
      "|restless|scary|frightening|terrifying|horror|suspense|suspenseful|argue|argues|arguing"
      "|argument|quarrel|quarrelling|confrontation|standoff|threaten|threatens|threatening"),
     "tense"),
    ("浪漫|romantic|romance|loving", "romantic"),
    ("憧憬|期盼|hopeful|optimistic|hope", "hopeful"),
    ("愤怒|暴躁|angry|furious|rage|aggressive", "angry"),
    ("庄严|肃穆|庄重|solemn|grave|dignified|majestic", "solemn"),
)

# ---------------------------------------------------------------------------------------------
# Colours: named colours (a hex and a hue arc) and palette-wide effects.

_COLOURS: tuple[tuple[str, str, str, Arc | None, Push], ...] = (
    ("红|红色|大红|red", "red", "#d62828", (345.0, 15.0), ()),
    ("深红|绯红|暗红|crimson", "crimson", "#b0102f", (335.0, 355.0), ()),
    ("朱红|朱砂|朱红色|vermilion|vermillion|cinnabar", "vermilion", "#e34234", (0.0, 15.0), ()),
    ("猩红|scarlet", "scarlet", "#ff2400", (0.0, 12.0), ()),
    ("酒红|枣红|酒红色|burgundy|maroon|wine red", "burgundy", "#800020", (335.0, 355.0), ()),
    ("粉|粉色|粉红|粉红色|pink", "pink", "#f2a0bd", (320.0, 350.0), ()),
    ("玫红|玫瑰色|品红|洋红|magenta|fuchsia|rose", "magenta", "#c2187a", (300.0, 335.0), ()),
    ("橙|橙色|橘色|橘红|橘黄|orange", "orange", "#f07f13", (20.0, 40.0), ()),
    ("珊瑚色|珊瑚红|coral", "coral", "#ff7f50", (10.0, 25.0), ()),
    ("桃色|蜜桃色|peach", "peach", "#ffbe98", (18.0, 35.0), ()),
    ("金|金色|金黄|金黄色|金灿灿|gold|golden", "gold", "#d4a017", (38.0, 52.0), ()),
    ("黄|黄色|明黄|柠檬黄|yellow|lemon", "yellow", "#f2d024", (45.0, 65.0), ()),
    ("琥珀色|amber", "amber", "#ffbf00", (40.0, 50.0), ()),
    ("赭|赭石|赭色|土黄|ochre|ocher", "ochre", "#cc7722", (25.0, 45.0), ()),
    ("棕|棕色|褐|褐色|咖啡色|brown|umber|sepia", "brown", "#7b4a2a", (15.0, 35.0), ()),
    ("铜色|古铜|古铜色|bronze|copper", "bronze", "#b87333", (20.0, 35.0), ()),
    ("米色|米黄|奶油色|beige|cream", "beige", "#e8dcc0", None, fx(light=0.05, sat=-0.05)),
    ("绿|绿色|green", "green", "#2a9d4b", (95.0, 150.0), ()),
    ("翠绿|碧绿|祖母绿|emerald|jade", "emerald", "#1f8a5b", (140.0, 165.0), ()),
    ("墨绿|墨绿色|深绿|深绿色|暗绿|dark green|forest green|bottle green|hunter green", "dark green",
     "#1e4d36", (120.0, 160.0), fx(light=-0.1)),
    ("橄榄绿|橄榄色|olive", "olive", "#708238", (65.0, 90.0), ()),
    ("嫩绿|草绿|黄绿|lime|chartreuse", "lime", "#9acd32", (75.0, 100.0), ()),
    ("青绿|蓝绿|孔雀绿|teal", "teal", "#00807f", (170.0, 190.0), ()),
    ("绿松石色|松石绿|turquoise", "turquoise", "#30c5c0", (170.0, 185.0), ()),
    ("青|青色|cyan|aqua", "cyan", "#00b7c7", (180.0, 195.0), ()),
    ("天蓝|天蓝色|湛蓝|蔚蓝|sky blue|azure|cerulean", "sky blue", "#4fa8e0", (195.0, 215.0), ()),
    ("蓝|蓝色|blue", "blue", "#2563c9", (205.0, 240.0), ()),
    ("深蓝|藏青|藏蓝|海军蓝|navy|navy blue|dark blue", "navy", "#1f2f5c", (215.0, 235.0), ()),
    ("靛蓝|靛青|indigo", "indigo", "#3f3aa0", (235.0, 255.0), ()),
    ("群青|钴蓝|ultramarine|cobalt", "ultramarine", "#1f3fbf", (225.0, 245.0), ()),
    ("紫|紫色|purple|violet", "purple", "#7b3fa0", (265.0, 295.0), ()),
    ("淡紫|浅紫|薰衣草色|丁香色|lavender|lilac", "lavender", "#b8a2d9", (255.0, 280.0), ()),
    ("黑|黑色|black", "black", "#111111", None, fx(light=-0.15)),
    ("墨|墨色|墨黑|浓墨|ink black", "ink", "#1c1c1c", None, fx(light=-0.15, sat=-0.1)),
    ("白|白色|white", "white", "#f5f5f0", None, fx(light=0.15)),
    ("灰|灰色|grey|gray", "grey", "#8a8a8a", None, fx(sat=-0.2)),
    ("银|银色|银白|银白色|silver|silvery|silvery white|silver white", "silver", "#c0c0c8", None,
     fx(sat=-0.15)),
)

# Colour sets: one phrase, several named colours (keys from the table above) and a push.
_COLOUR_SETS: tuple[tuple[str, str, Push], ...] = (
    ("原色|三原色|primary colours|primary colors|primary colour|primary color|primaries",
     "red yellow blue", fx(sat=0.3, variety=0.2)),
    ("黑白灰|black white and grey|black white and gray|black white grey", "black white grey",
     fx(sat=-0.3)),
)

_PALETTE_WORDS: tuple[tuple[str, Push], ...] = (
    ("暖|温暖|暖和|暖色|暖色调|暖调|warm|warmth|warm colours|warm colors|warm tones",
     fx(warmth=0.35, valence=0.05)),
    ("冷|冷色|冷色调|冷调|清冷|冰冷|cool|cold|icy|cool colours|cool colors|cool tones",
     fx(warmth=-0.35)),
    ("亮|明亮|光亮|亮丽|bright|luminous|light|radiant", fx(light=0.2, valence=0.05)),
    ("暗|昏暗|幽暗|深沉|dark|dim|shadowy|murky", fx(light=-0.25, valence=-0.05)),
    ("深|深色|浓重|deep", fx(light=-0.15, sat=0.05)),
    ("浅|浅色|淡|淡色|pale|faded", fx(light=0.2, sat=-0.15)),
    ("淡雅|素雅|雅致|清雅|subtle|understated|elegant", fx(sat=-0.25, light=0.1, complexity=-0.1)),
    (("鲜艳|艳丽|鲜明|浓烈|饱和|vivid|saturated|saturate|intense colours|intense colors"
      "|punchy|pop"),
     fx(sat=0.3)),
    ("灰暗|暗淡|黯淡|muted|desaturated|desaturate|subdued|dull|washed out|dusty", fx(sat=-0.3)),
    (("彩色|多彩|缤纷|五彩|五彩缤纷|五颜六色|色彩丰富|色彩斑斓|斑斓|colourful|colorful|multicoloured"
      "|multicolored|rainbow|kaleidoscopic|polychrome"), fx(variety=0.4, sat=0.1)),
    ("单色|单一|单调|monotone|monochromatic|limited palette", fx(variety=-0.35, complexity=-0.1)),
    ("黑白|monochrome|black and white|greyscale|grayscale", fx(sat=-0.6, variety=-0.4)),
    ("荧光|霓虹|neon|fluorescent|electric", fx(sat=0.45, light=0.05, energy=0.1)),
    ("高饱和|高饱和度|high saturation|jewel tones|jewel toned|jewel-toned", fx(sat=0.3)),
    ("低饱和|低饱和度|低纯度|莫兰迪|莫兰迪色|高级灰|low saturation|morandi", fx(sat=-0.3, light=0.05)),
    ("粉彩|马卡龙|马卡龙色|pastel|pastels", fx(light=0.3, sat=-0.25, valence=0.1)),
    ("大地色|泥土色|土色|earthy|earth tones|earthy tones|natural tones",
     fx(warmth=0.2, sat=-0.15, light=-0.05)),
    ("复古|vintage|retro", fx(sat=-0.15, warmth=0.15)),
    ("通透|清透|透明|translucent|transparent|luminous glaze", fx(light=0.15, density=-0.1)),
    ("对比|对比强烈|高对比|contrast|contrasting|high contrast|contrasty",
     fx(sat=0.1, variety=0.15, light_lo=-0.1, light_hi=0.1)),
    ("和谐|协调|harmonious|cohesive|harmony", fx(smooth=0.1, valence=0.1, variety=-0.05)),
)

# ---------------------------------------------------------------------------------------------
# Visual (and musical) qualities.

_QUALITIES: tuple[tuple[str, Push, str | None, float], ...] = (
    ("流畅|线条流畅|顺畅|顺滑|圆润|fluid|flowing|flowy|smooth|sinuous|curvy|curved|graceful",
     fx(smooth=0.3, rhythm=0.05), None, 1.0),
    ("流动|流动感|动荡|flowing motion", fx(smooth=0.25, energy=0.1), None, 1.0),
    ("飘逸|潇洒|airy lines|wispy", fx(smooth=0.3, weight=-0.15), None, 1.0),
    ("锐利|尖锐|棱角|棱角分明|尖|sharp|jagged|angular|spiky|edgy|crisp|pointed",
     fx(smooth=-0.35, complexity=0.05), None, 1.0),
    ("粗糙|粗粝|破碎|断续|rough|broken|scratchy|gritty|raw|fragmented",
     fx(smooth=-0.3, weight=0.05), None, 1.0),
    ("柔和|柔软|柔|soft|mellow|softer edges", fx(smooth=0.2, sat=-0.1, energy=-0.1), None, 1.0),
    ("形态多变|多变|变化多端|千变万化|多样|多样化|丰富多变|varied|diverse|varying|variable|eclectic",
     fx(complexity=0.35, variety=0.05), None, 1.0),
    ("变化|变幻|changing|shifting|evolving", fx(complexity=0.2), None, 1.0),
    ("丰富|rich|lush", fx(variety=0.15, complexity=0.2), None, 1.0),
    ("层次|层次感|有层次|立体|立体感|depth|layered|layers|layering",
     fx(complexity=0.2, light_lo=-0.05, light_hi=0.05), None, 1.0),
    ("节奏感|有节奏|韵律|律动|韵律感|rhythmic|rhythmical|pulsing|pulse|groove",
     fx(rhythm=0.35, energy=0.05), None, 1.0),
    ("节奏明快|明快的节奏|upbeat rhythm|brisk rhythm",
     fx(rhythm=0.3, energy=0.25, valence=0.2, arousal=0.15), None, 1.0),
    ("密集|稠密|繁密|密|紧凑|饱满|dense|busy|crowded|packed|full|compact|teeming",
     fx(density=0.35), None, 1.0),
    ("稀疏|疏朗|疏|稀|空旷|留白|sparse|airy|spacious|empty|open|negative space|whitespace",
     fx(density=-0.35), None, 1.0),
    ("大块|大色块|块面|大面积|blocky|massive|broad|large areas|big shapes",
     fx(size=0.35, complexity=-0.05), None, 1.0),
    ("细腻|精细|细致|精致|delicate|fine|intricate|detailed|refined|finely",
     fx(size=-0.25, complexity=0.2, smooth=0.05), None, 1.0),
    ("粗犷|奔放|豪放|rugged|wild|unrestrained", fx(weight=0.3, smooth=-0.15, energy=0.2, size=0.1),
     None, 1.0),
    ("简洁|简约|简单|干净|clean|simple|plain|uncluttered|sleek", fx(complexity=-0.3, density=-0.15),
     None, 1.0),
    ("极简|极简主义|minimal|minimalist|minimalistic|bare", fx(complexity=-0.4, density=-0.3,
                                                      variety=-0.15), None, 1.0),
    ("复杂|繁复|繁杂|complex|complicated|elaborate|ornate", fx(complexity=0.35, density=0.1), None,
     1.0),
    ("混乱|杂乱|凌乱|无序|chaotic|messy|disordered|random|frenetic|chaos",
     fx(complexity=0.3, rhythm=-0.3, energy=0.15), None, 1.0),
    ("整齐|规则|有序|规整|工整|orderly|regular|structured|ordered|neat|tidy|repetitive",
     fx(rhythm=0.3, complexity=-0.1), None, 1.0),
    ("对称|symmetrical|symmetric|symmetry", fx(rhythm=0.2, complexity=-0.05), None, 1.0),
    ("跳跃|跳跃感|跳动|弹跳|jumpy|bouncy|bouncing|jumping|staccato|leaping",
     fx(energy=0.2, rhythm=0.15, smooth=-0.1), "playful", 0.6),
    ("明快|轻快|brisk|sprightly|crisp and bright", fx(energy=0.25, valence=0.25, arousal=0.15,
                                                    light=0.1), None, 1.0),
    ("动态|动|运动|motion|moving|movement|kinetic|dynamic|dynamism", fx(energy=0.3, arousal=0.1),
     None, 1.0),
    ("静|静态|静止|static|motionless|stillness", fx(energy=-0.3, arousal=-0.1), None, 1.0),
    ("快|快速|急促|fast|quick|rapid|swift|speedy", fx(energy=0.25, arousal=0.1), None, 1.0),
    ("慢|缓慢|舒缓|悠扬|slow|leisurely|languid|unhurried", fx(energy=-0.25, arousal=-0.1,
                                                           smooth=0.1), None, 1.0),
    ("有力|力量|力量感|强烈|强劲|powerful|strong|forceful|bold",
     fx(weight=0.3, energy=0.15, sat=0.1), None, 1.0),
    ("厚重|沉重|浑厚|heavy|weighty|solid", fx(weight=0.3, light=-0.1, density=0.1), None, 1.0),
    ("轻盈|轻巧|轻|weightless|feathery|floaty|floating", fx(weight=-0.25, density=-0.1, light=0.05),
     None, 1.0),
    ("优美|美丽|唯美|beautiful|lovely|pretty|exquisite", fx(valence=0.2, smooth=0.15), None, 1.0),
    ("旋转|漩涡|螺旋|swirl|swirling|swirly|spiral|twisting", fx(energy=0.15, smooth=0.2,
                                                              complexity=0.1), None, 1.0),
    ("爆发|炸裂|explosive|bursting|burst", fx(energy=0.4, arousal=0.2, complexity=0.1), None, 1.0),
    (("汹涌|翻滚|咆哮|奔腾|倾泻|湍急|拍岸|crashing|pounding|churning|rushing|raging|roaring|torrent"
      "|torrential|thundering"), fx(energy=0.35, arousal=0.15, smooth=-0.1), None, 1.0),
    ("热闹|喧闹|喧嚣|吵|吵闹|嘈杂|人来人往|熙熙攘攘|熙攘|人声鼎沸|川流不息|bustling|noisy|hectic",
     fx(energy=0.35, density=0.25, arousal=0.1), None, 1.0),
    ("古老|古旧|老旧|陈旧|破旧|旧时|昔日|往日|old|ancient|antique|old-fashioned", fx(sat=-0.05),
     "nostalgic", 0.3),
    ("失去|逝去|lost|loss", (), "sad", 0.5),
    ("最后一天|最后一夜|last day|final day|the end of an era", (), "melancholic", 0.5),
)

# ---------------------------------------------------------------------------------------------
# Imagery: kept as keywords; may nudge the palette and imply a mood at a lower weight.

_IMAGERY: tuple[tuple[str, Push, str | None, float], ...] = (
    ("秋|秋天|秋日|秋季|深秋|金秋|autumn|autumnal|fall", fx(warmth=0.2), "nostalgic", 0.5),
    ("春|春天|春日|春季|spring|springtime", fx(valence=0.15, light=0.1, variety=0.1),
     "hopeful", 0.4),
    ("夏|夏天|夏日|夏季|summer", fx(warmth=0.2, light=0.1, sat=0.1, energy=0.1), "joyful", 0.3),
    ("冬|冬天|冬日|冬季|winter|wintry", fx(warmth=-0.25, light=0.05, sat=-0.15), "lonely", 0.3),
    ("黄昏|傍晚|日落|夕阳|晚霞|落日|dusk|sunset|twilight|evening|sundown",
     fx(warmth=0.2, light=-0.05), "melancholic", 0.5),
    ("清晨|早晨|黎明|日出|晨曦|朝阳|dawn|sunrise|morning|daybreak", fx(light=0.15, warmth=0.05),
     "hopeful", 0.4),
    ("夜|夜晚|夜空|深夜|午夜|黑夜|夜色|night|midnight|nighttime|nocturne",
     fx(light=-0.2, warmth=-0.15), "mysterious", 0.4),
    ("星|星星|星空|银河|繁星|star|stars|starry|galaxy|milky way", fx(light=-0.15, complexity=0.1),
     "dreamy", 0.4),
    ("月|月亮|月光|明月|moon|moonlight|moonlit", fx(light=-0.1, warmth=-0.1), "serene", 0.4),
    ("落叶|枯叶|fallen leaves|falling leaves|dead leaves", fx(warmth=0.1), "melancholic", 0.4),
    ("叶|叶子|树叶|枫叶|leaf|leaves|foliage|maple", fx(warmth=0.05), None, 1.0),
    ("树|树木|森林|树林|tree|trees|forest|woods", (), None, 1.0),
    ("花|花朵|鲜花|樱花|梅花|桃花|flower|flowers|blossom|blossoms|petals|bloom",
     fx(variety=0.1, valence=0.1), None, 1.0),
    ("竹|竹子|竹林|bamboo|bamboo grove", (), "serene", 0.3),
    ("风|微风|清风|寒风|秋风|wind|breeze|gust|windy", fx(energy=0.1, smooth=0.1), None, 1.0),
    ("雨|细雨|下雨|雨滴|rain|rainy|drizzle|raindrops", fx(light=-0.1, sat=-0.1),
     "melancholic", 0.3),
    ("雪|白雪|雪花|snow|snowy|snowflakes", fx(light=0.2, sat=-0.2, warmth=-0.2), "serene", 0.3),
    ("雾|云雾|烟雨|薄雾|fog|foggy|mist|misty|haze|hazy", fx(sat=-0.2, light=0.05, smooth=0.15),
     "dreamy", 0.4),
    ("云|云朵|白云|cloud|clouds|cloudy", fx(smooth=0.15), None, 1.0),
    ("海|大海|海洋|海浪|海边|海面|海滩|沙滩|海景|sea|ocean|seaside|shore|beach|seascape|seascapes",
     fx(warmth=-0.2), None, 1.0),
    ("湖|湖泊|湖面|池塘|水塘|lake|pond|lakes|ponds", fx(warmth=-0.1, energy=-0.1), "calm", 0.3),
    ("河|江|河流|小溪|溪流|溪水|river|stream|creek|brook", fx(smooth=0.15), None, 1.0),
    ("水|water", fx(smooth=0.1, warmth=-0.05), None, 1.0),
    ("山|山峦|群山|高山|远山|mountain|mountains|hills|peaks", fx(size=0.1), None, 1.0),
    ("城市|都市|街道|街头|city|urban|street|streets|cityscape", fx(complexity=0.15, density=0.1),
     None, 1.0),
    ("天空|sky|skies", (), None, 1.0),
    ("阳光|太阳|日光|sunlight|sunshine|sun|sunny", fx(light=0.15, warmth=0.2, valence=0.1), None,
     1.0),
    ("光|光影|光芒|glow|rays|glowing", fx(light=0.1), None, 1.0),
    ("火|火焰|烈火|fire|flame|flames|blaze", fx(warmth=0.4, energy=0.2, sat=0.15), "passionate",
     0.3),
    ("沙漠|desert|dunes", fx(warmth=0.25, sat=-0.1), "lonely", 0.3),
    ("鸟|飞鸟|鸟儿|bird|birds", (), None, 1.0),
    (("麻雀|鹭|白鹭|鹤|仙鹤|乌鸦|鸽子|鸽|老鹰|孔雀|天鹅|野鸭|喜鹊|猫头鹰|heron|herons|egret|egrets"
      "|crane|cranes|crow|crows|raven|ravens|pigeon|pigeons|dove|doves|eagle|hawk|peacock|peacocks"
      "|swan|swans|duck|ducks|sparrow|sparrows|magpie|magpies|owl|owls"), (), None, 1.0),
    ("鱼|fish", (), None, 1.0),
    ("蝴蝶|butterfly|butterflies", fx(variety=0.1), "playful", 0.2),
    ("飘舞|飞舞|飘|飘落|飘荡|飞扬|fluttering|drifting|falling|swaying|dancing in the wind",
     fx(energy=0.2, rhythm=0.15, smooth=0.25), "gentle", 0.3),
    ("舞|舞蹈|跳舞|dance|dancing|dancer", fx(energy=0.2, rhythm=0.2, smooth=0.15), "joyful", 0.3),
    ("梦|梦境|dream|dreams", fx(smooth=0.1), "dreamy", 0.5),
    ("回忆|记忆|往事|memory|memories|remembrance", fx(sat=-0.1), "nostalgic", 0.5),
    ("故乡|家乡|hometown|homeland", fx(warmth=0.1), "nostalgic", 0.4),
    ("草|草地|草原|青草|芳草|grass|grassy|meadow|meadows|lawn|prairie", fx(valence=0.05), None, 1.0),
    ("柳|柳树|杨柳|垂柳|柳枝|willow|willows", fx(smooth=0.15), "gentle", 0.3),
    ("松树|松林|青松|pine|pines|pine tree", (), "solemn", 0.2),
    ("枝|树枝|枝头|枝条|branch|branches|twigs", (), None, 1.0),
    ("江南|jiangnan", fx(sat=-0.1, smooth=0.1), "gentle", 0.3),
    # Scenes the painter can draw (see MOTIF_WORDS): fields, flowers, trees, water, hills, sky.
    ("荷花|荷叶|莲|莲花|睡莲|lotus|lotuses|water lily|water lilies|lily pads", fx(valence=0.05),
     "serene", 0.3),
    ("荷塘|莲塘|荷池|lotus pond", fx(warmth=-0.05), "serene", 0.3),
    ("麦田|麦浪|麦子|wheat|wheat field|wheat fields|wheatfield|cornfield|cornfields",
     fx(warmth=0.15), None, 1.0),
    (("田野|田园|农田|稻田|梯田|fields|farmland|paddy|paddies|rice paddy|rice paddies"
      "|rice terraces"), fx(valence=0.05), None, 1.0),
    (("向日葵|葵花|郁金香|玫瑰花|野花|菊花|牡丹|兰花|油菜花|sunflower|sunflowers|tulip|tulips|roses"
      "|wildflowers|wildflower|chrysanthemum|daisy|daisies|poppy|poppies|peony|peonies|orchid"
      "|orchids|rapeseed"), fx(variety=0.1, valence=0.1), None, 1.0),
    ("落花|落红|残花|飞花|fallen petals|falling petals|fallen blossoms", fx(sat=-0.05),
     "melancholic", 0.4),
    ("暮春|春末|晚春|late spring|end of spring", fx(light=0.05), "melancholic", 0.4),
    ("惜春|伤春", fx(light=0.05, valence=0.05), "melancholic", 1.0),  # the season stays a keyword
    ("悲秋", fx(warmth=0.2), "melancholic", 1.0),
    (("白桦|桦树|橡树|梧桐|柏树|杉树|银杏|榕树|椰树|棕榈|果园|birch|birches|oak|oaks|aspen|aspens"
      "|cypress|cypresses|poplar|poplars|elm|elms|ginkgo|palm tree|palm trees|orchard|orchards"),
     (), None, 1.0),
    ("深山|老林|深山老林|丛林|原始森林|jungle|rainforest", fx(light=-0.1),
     "mysterious", 0.3),
    ("瀑布|waterfall|waterfalls|cascade", fx(energy=0.15), None, 1.0),
    ("港口|港湾|码头|渔港|harbour|harbor|harbours|harbors|pier|dock|docks|quay|wharf",
     fx(warmth=-0.1), None, 1.0),
    ("船|小船|帆船|渔船|舟|小舟|扁舟|boat|boats|sailboat|sailboats|ship|ships|canoe|raft", (), None,
     1.0),
    ("孤舟|孤帆|一叶扁舟|lone boat", (), "lonely", 0.5),
    ("冰|冰封|结冰|冰面|frozen|ice", fx(warmth=-0.25, light=0.1, sat=-0.1), None, 1.0),
    ("废弃|荒废|abandoned|deserted", fx(sat=-0.05), "lonely", 0.5),
    (("悬崖|峭壁|山谷|峡谷|山坡|丘陵|hill|hillside|hilltop|cliff|cliffs|valley|valleys|gorge"
      "|canyon|ravine"), fx(size=0.1), None, 1.0),
    ("荒原|旷野|moor|moors|moorland|heath|heathland|steppe|savanna|savannah", fx(sat=-0.05),
     "lonely", 0.2),
    ("芦苇|芦花|芦荡|reed|reeds|rushes|cattails|bulrushes", fx(smooth=0.1), None, 1.0),
    ("蓝天|晴空|青天|碧空|blue sky|blue skies|clear sky", fx(light=0.1, valence=0.1), None, 1.0),
    ("暴风雨|风暴|雷雨|暴雨|狂风暴雨|storm|stormy|storms|thunderstorm|tempest|rainstorm",
     fx(energy=0.3, light=-0.15), "tense", 0.6),
    ("乌云|dark clouds|storm clouds|thunderclouds", fx(light=-0.15), "dark", 0.3),
    # Places, people and things: kept as keywords (the subject), a few with a mood.
    ("村|村庄|山村|乡村|小镇|村落|渔村|village|villages|town|hamlet|fishing village", (), None, 1.0),
    ("花园|庭院|园子|院子|公园|garden|gardens|courtyard|park", fx(valence=0.05), None, 1.0),
    ("图书馆|书店|茶馆|咖啡馆|library|bookshop|bookstore|teahouse|cafe|café|coffee shop", (),
     "calm", 0.3),
    ("寺|寺庙|古寺|temple|shrine", (), "serene", 0.3),
    ("灯塔|lighthouse", (), "lonely", 0.3),
    ("老屋|老房子|老宅|老街|old house|old street", (), "nostalgic", 0.4),
    (("屋|房子|小屋|厨房|窗|窗户|窗台|宫殿|城堡|桥|小桥|夜市|市场|集市|菜市场|高楼|摩天楼|天台|屋顶"
      "|地下室|火车站|车站|站台|月台|house|cottage|cabin|hut|kitchen|window|windows|palace|castle"
      "|bridge|market|bazaar|night market|skyscraper|skyscrapers|rooftop|basement|cellar|station"
      "|train station|platform|train"), (), None, 1.0),
    (("灯|灯光|灯火|路灯|街灯|台灯|灯笼|lamp|lamps|lamplight|lantern|lanterns|streetlight|streetlights"
      "|streetlamp|streetlamps"), fx(light=0.05, warmth=0.1), None, 1.0),
    ("篝火|营火|壁炉|campfire|bonfire|fireplace|hearth", fx(warmth=0.3, light=0.05), "gentle", 0.4),
    ("孩子|孩子们|小孩|儿童|children|child|kids|kid", fx(energy=0.1), "playful", 0.3),
    ("游乐场|操场|playground", fx(energy=0.15), "playful", 0.5),
    ("运动会|sports day", fx(energy=0.25), "energetic", 0.5),
    ("婚礼|新郎|新娘|wedding|bride|groom", (), "joyful", 0.3),
    ("告别|离别|送别|别离|道别|farewell|farewells|goodbye|goodbyes|parting", (), "melancholic", 0.6),
    ("奶奶|外婆|祖母|爷爷|外公|祖父|grandmother|grandma|granny|grandfather|grandpa", (),
     "nostalgic", 0.4),
    ("婴儿|宝宝|母亲|妈妈|baby|newborn|mother|mom|mum", (), "gentle", 0.3),
    ("摇篮曲|催眠曲|lullaby|lullabies|cradle song", fx(energy=-0.25), "gentle", 0.6),
    ("鬼|幽灵|ghost|ghosts", (), "mysterious", 0.4),
    ("废墟|ruins|ruined", fx(sat=-0.1), "melancholic", 0.3),
    (("老人|牧羊人|渔夫|女孩|少女|男孩|父亲|父女|猫|小猫|熊猫|刺猬|狗|小狗|蜻蜓|萤火虫|青蛙|狐狸|兔子|鹿"
      "|石榴|苔藓|石头|雨伞|伞|花瓶|瓷器|青花|青花瓷|静物|甜品|钟表|钟表匠|家书|书信|shepherd"
      "|fisherman|girl|boy|father|cat|cats|kitten|panda|hedgehog|dog|dogs|puppy|dragonfly|dragonflies"
      "|firefly|fireflies|frog|frogs|fox|rabbit|deer|pomegranate|moss|stone|stones|rock|rocks"
      "|umbrella|umbrellas|vase|vases|porcelain|still life|dessert|clock|clocks|letter|letters"
      "|musician|painter|poet|robot|astronaut|astronauts|冰淇淋|ice cream|娃娃|玩偶|玩具|doll|dolls"
      "|toy|toys"), (), None, 1.0),
    ("大雁|雁|海鸥|燕子|geese|goose|gull|gulls|swallows", (), None, 1.0),
    ("波涛|浪花|breakers|surf|billows", fx(energy=0.15), None, 1.0),
)

# Imagery that brings its colour with it (implied: half the weight of a named colour).
_COLOURED_IMAGERY: tuple[tuple[str, str, Push, str | None, float], ...] = (
    ("薰衣草|薰衣草田|lavender field|lavender fields", "lavender", fx(valence=0.1), "serene", 0.2),
)
IMPLIED_COLOUR = 0.5
"""Weight of the colour an image implies (薰衣草田), next to 1.0 for a colour named outright."""

# ---------------------------------------------------------------------------------------------
# Motifs: imagery words that the painter can draw as figures (a dusk sky, a moon, leaves).
# Each word must also be an imagery word above (``test_motif_words_are_lexicon_words``).
# Values are ``kind[:variant]`` separated by spaces; a variant ending in "?" is only implied
# (月 suggests a night sky, but 黄昏的月亮 is a moon in a dusk sky).

MOTIF_WORDS: tuple[tuple[str, str], ...] = (
    ("黄昏|傍晚|日落|夕阳|晚霞|落日|dusk|sunset|twilight|evening|sundown", "sky:dusk sun"),
    ("清晨|早晨|黎明|日出|晨曦|朝阳|dawn|sunrise|morning|daybreak", "sky:dawn sun"),
    ("夜|夜晚|夜空|深夜|午夜|黑夜|夜色|night|midnight|nighttime|nocturne", "sky:night"),
    ("星|星星|星空|银河|繁星|star|stars|starry|galaxy|milky way", "sky:night? stars"),
    ("月|月亮|月光|明月|moon|moonlight|moonlit", "sky:night? moon"),
    ("阳光|太阳|日光|sunlight|sunshine|sun|sunny", "sky:day? sun"),
    ("天空|sky|skies", "sky"),
    ("蓝天|晴空|青天|碧空|blue sky|blue skies|clear sky", "sky:day"),
    ("夜市|night market", "sky:night"),
    (("云|云朵|白云|cloud|clouds|cloudy|乌云|dark clouds|storm clouds|thunderclouds|风暴|storm"
      "|stormy|storms|tempest"), "clouds"),
    ("暴风雨|雷雨|暴雨|狂风暴雨|thunderstorm|rainstorm", "clouds rain"),
    ("落叶|枯叶|fallen leaves|falling leaves|dead leaves", "leaves:falling"),
    ("叶|叶子|树叶|枫叶|leaf|leaves|foliage|maple", "leaves"),
    ("树|树木|tree|trees|枝|树枝|枝头|枝条|branch|branches|twigs", "trees"),
    (("森林|树林|forest|woods|竹林|bamboo grove|丛林|原始森林|jungle|rainforest|果园|orchard"
      "|orchards"), "trees:forest"),
    ("深山|老林|深山老林", "trees:forest mountains"),
    (("竹|竹子|bamboo|白桦|桦树|橡树|梧桐|柏树|杉树|银杏|榕树|椰树|棕榈|birch|birches|oak|oaks|aspen"
      "|aspens|cypress|cypresses|poplar|poplars|elm|elms|ginkgo|palm tree|palm trees"), "trees"),
    ("柳|柳树|杨柳|垂柳|柳枝|willow|willows", "trees:willow"),
    ("松树|松林|青松|pine|pines|pine tree", "trees:pine"),
    ("樱花|桃花|梅花|blossom|blossoms", "trees:blossom flowers:petals"),
    ("落花|落红|残花|飞花|fallen petals|falling petals|fallen blossoms", "flowers:petals"),
    (("花|花朵|鲜花|flower|flowers|petals|bloom|向日葵|葵花|郁金香|玫瑰花|野花|菊花|牡丹|兰花|油菜花"
      "|sunflower|sunflowers|tulip|tulips|roses|wildflowers|wildflower|chrysanthemum|daisy|daisies"
      "|poppy|poppies|peony|peonies|orchid|orchids|rapeseed"), "flowers"),
    (("荷花|荷叶|莲|莲花|睡莲|lotus|lotuses|water lily|water lilies|lily pads|荷塘|莲塘|荷池"
      "|lotus pond"), "water:calm flowers"),
    ("薰衣草|薰衣草田|lavender field|lavender fields", "flowers"),
    (("山|山峦|群山|高山|远山|mountain|mountains|hills|peaks|悬崖|峭壁|山谷|峡谷|山坡|丘陵|hill"
      "|hillside|hilltop|cliff|cliffs|valley|valleys|gorge|canyon|ravine"), "mountains"),
    (("海|大海|海洋|海浪|海边|海面|海滩|沙滩|波涛|浪花|sea|ocean|seaside|shore|beach|breakers|surf"
      "|billows"),
     "water:waves"),
    ("海景|seascape|seascapes", "water:waves sky"),
    (("湖|湖泊|湖面|池塘|水塘|lake|pond|lakes|ponds|河|江|河流|小溪|溪流|溪水|river|stream|creek"
      "|brook|港口|港湾|码头|渔港|harbour|harbor|harbours|harbors|pier|dock|docks|quay|wharf"),
     "water:calm"),
    (("水|water|瀑布|waterfall|waterfalls|cascade|船|小船|帆船|渔船|舟|小舟|扁舟|boat|boats|sailboat"
      "|sailboats|ship|ships|canoe|raft|孤舟|孤帆|一叶扁舟|lone boat|渔村|fishing village"), "water"),
    ("江南|jiangnan", "water:calm trees:willow"),
    (("鸟|飞鸟|鸟儿|bird|birds|大雁|雁|海鸥|燕子|geese|goose|gull|gulls|swallows|麻雀|鹭|白鹭|鹤"
      "|仙鹤|乌鸦|鸽子|鸽|老鹰|孔雀|天鹅|野鸭|喜鹊|猫头鹰|heron|herons|egret|egrets|crane|cranes|crow"
      "|crows|raven|ravens|pigeon|pigeons|dove|doves|eagle|hawk|peacock|peacocks|swan|swans|duck"
      "|ducks|sparrow|sparrows|magpie|magpies|owl|owls"), "birds"),
    ("雨|细雨|下雨|雨滴|rain|rainy|drizzle|raindrops", "rain clouds"),
    ("烟雨", "rain mist"),
    ("雪|白雪|雪花|snow|snowy|snowflakes", "snow"),
    ("雾|云雾|薄雾|fog|foggy|mist|misty|haze|hazy", "mist"),
    (("草|草地|草原|青草|芳草|grass|grassy|meadow|meadows|lawn|prairie|麦田|麦浪|麦子|wheat"
      "|wheat field|wheat fields|wheatfield|cornfield|cornfields|田野|田园|农田|稻田|梯田|fields"
      "|farmland|paddy|paddies|rice paddy|rice paddies|rice terraces|荒原|旷野|moor|moors|moorland"
      "|heath|heathland|steppe|savanna|savannah|芦苇|芦花|芦荡|reed|reeds|rushes|cattails|bulrushes"),
     "grass"),
)


@functools.cache
def motif_words() -> Mapping[str, tuple[tuple[str, str], ...]]:
    """Word → ((kind, variant), ...) for every motif word; read-only like the lexicon."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for group, motifs in MOTIF_WORDS:
        pairs = tuple((m.partition(":")[0], m.partition(":")[2]) for m in motifs.split())
        for word in _words(group):
            out.setdefault(word, pairs)
    return MappingProxyType(out)

# ---------------------------------------------------------------------------------------------
# Styles (the painter's style names) and compositions.

_STYLES: tuple[tuple[str, str], ...] = (
    (("水墨|水墨画|水墨风|国画|写意|泼墨|ink|ink wash|ink painting|sumi e|sumi|chinese ink"
      "|brush and ink"), "ink"),
    (("几何|几何形|几何图形|几何抽象|构成主义|包豪斯|蒙德里安|geometric|geometry|bauhaus|mondrian"
      "|hard edge|constructivist|constructivism"), "geometric"),
    ("色域|色域绘画|罗斯科|color field|colour field|colorfield|colourfield|rothko", "colorfield"),
    ("油画|厚涂|印象派|表现主义|impasto|oil painting|impressionist|impressionism|expressionist",
     "brush"),
    ("波浪|波纹|水波|涟漪|wave|waves|wavy|ripples|ripple|rhythmic lines", "wave"),
    ("流线|流线型|流体|flow|flow field|streamlines|currents|flowfield", "flow"),
)

# Words that describe handling rather than name a style: they pick a style only when the text
# names no style outright ("水墨，狂放的笔触" is ink with bold strokes, not an oil painting).
_STYLE_HINTS: tuple[tuple[str, str], ...] = (
    ("笔触|笔法|brush|brushstrokes|brush strokes|brushwork|painterly", "brush"),
)

# Poem forms (the poet's style names): haiku, limerick, sonnet, free verse here; the classical
# forms (七绝, 五言律诗, 如梦令 …) come from media/text/classical/forms.py (``_classical_forms``).
_POEM_FORMS: tuple[tuple[str, str], ...] = (
    ("俳句|haiku|haikus|hokku", "haiku"),
    ("五行打油诗|limerick|limericks", "limerick"),
    ("十四行诗|十四行|商籁|商籁体|sonnet|sonnets", "sonnet"),
    ("自由诗|现代诗|新诗", "自由诗"),
    ("free verse|free-verse|vers libre", "free verse"),
)
_FORM_MOODS: Mapping[str, tuple[str, float]] = MappingProxyType({"limerick": ("playful", 0.6)})
"""Moods a form implies (a limerick is comic), weighted like imagery's."""


def poem_form_groups() -> tuple[tuple[str, str], ...]:
    """Every poem form's name group (modern and classical) as the lexicon reads them: shared with
    ``brief.medium``, which must call a brief that names a form a poem by the very same words."""
    return _POEM_FORMS + _classical_forms()


def _classical_forms() -> tuple[tuple[str, str], ...]:
    """Names of the classical forms as lexicon groups: the Chinese name, the short names of 近体诗
    (七绝, 五律), the English ones that say what they are ("seven-character quatrain",
    "five-character regulated verse") and the one-word pinyin (qilv, rumengling). A 词牌's other
    names are left out: 望江南 or 江南好 in a brief is far more often scenery than a form, and
    "like a dream" far more often a simile."""
    from duetto.media.text.classical.forms import list_forms

    out = []
    for form in list_forms():
        names = [form.zh_name] + [a for a in form.aliases if len(a) == 2 and a[-1] in "绝律"]
        for alias in (a.lower() for a in form.aliases):
            if re.fullmatch(r"[a-z]+", alias) or re.fullmatch(r"[a-z -]*(quatrain|regulated verse)", alias):
                names += [alias, alias.replace("-", " ")]  # the tokenizer reads "-" as a space
        out.append(("|".join(dict.fromkeys(names)), form.zh_name))
    return tuple(out)


_COMPOSITIONS: tuple[tuple[str, str], ...] = (
    ("居中|中心|中央|正中|centered|centred|central|centre|center|in the middle", "centered"),
    ("对角|对角线|斜线|倾斜|diagonal|diagonally|slanted|tilted", "diagonal"),
    ("水平|横向|地平线|horizon|horizontal|horizontally|horizon line", "horizontal"),
    ("垂直|竖直|纵向|vertical|vertically|upright", "vertical"),
    ("散落|分散|散布|零散|星星点点|scattered|dispersed|spread out|all over|sprinkled", "scattered"),
    ("网格|格子|方格|栅格|棋盘|grid|tiled|tiles|checkerboard|mosaic", "grid"),
    ("平衡|均衡|balanced|balance", "balanced"),
)

# ---------------------------------------------------------------------------------------------
# Aspects, relative words, and what each pairing means.

_ASPECTS: tuple[tuple[str, str], ...] = (
    ("线条|线|笔画|笔线|轮廓|line|lines|stroke|strokes|edge|edges|contour|contours|outlines",
     "line"),
    (("形状|形态|形|形体|图形|块|色块|shape|shapes|form|forms|block|blocks|element|elements|object"
      "|objects|figures"), "shape"),
    ("颜色|色彩|色调|配色|色|colour|colours|color|colors|hue|hues|palette", "colour"),
    ("节奏|rhythm|tempo", "rhythm"),
    ("细节|detail|details", "detail"),
    ("空间|空白|space|room|gaps", "space"),
)

_RELATIVES: tuple[tuple[str, str], ...] = (
    ("多|更多|多些|增加|添加|加|more|add|extra|additional|increase", "more"),
    ("少|更少|少些|减少|减|less|fewer|reduce|decrease", "less"),
    ("大|更大|放大|big|bigger|large|larger|huge|giant|enlarge", "big"),
    ("小|更小|缩小|small|smaller|tiny|little", "small"),
    ("粗|更粗|加粗|thick|thicker|wide|wider", "thick"),
    ("细|更细|thin|thinner|narrow|narrower|skinny", "thin"),
)

PAIRS: Mapping[tuple[str, str], Push] = MappingProxyType(
    {
        ("line", "more"): fx(lines=0.3),
        ("line", "less"): fx(lines=-0.3),
        ("line", "big"): fx(weight=0.3),
        ("line", "thick"): fx(weight=0.3),
        ("line", "small"): fx(weight=-0.3),
        ("line", "thin"): fx(weight=-0.3),
        ("shape", "more"): fx(density=0.25, complexity=0.1),
        ("shape", "less"): fx(density=-0.25, complexity=-0.1),
        ("shape", "big"): fx(size=0.3),
        ("shape", "small"): fx(size=-0.3),
        ("colour", "more"): fx(variety=0.3),
        ("colour", "less"): fx(variety=-0.3),
        ("rhythm", "more"): fx(rhythm=0.3),
        ("rhythm", "less"): fx(rhythm=-0.3),
        ("detail", "more"): fx(complexity=0.25, size=-0.2),
        ("detail", "less"): fx(complexity=-0.25, size=0.15),
        ("space", "more"): fx(density=-0.3),
        ("space", "less"): fx(density=0.3),
    }
)
"""(aspect, relative) → push: "线条少" lowers line.amount, "bigger shapes" raises shape_size."""

UNPAIRED: Mapping[str, Push] = MappingProxyType(
    {
        "big": fx(size=0.3),
        "small": fx(size=-0.3),
        "thick": fx(weight=0.3),
        "thin": fx(weight=-0.3),
    }
)
"""What a size word means with no aspect beside it ("bigger" alone: bigger shapes)."""

# ---------------------------------------------------------------------------------------------
# Degree, negation and clause words.

_DEGREES: tuple[tuple[str, float, bool], ...] = (
    ("更|再|更为|还要|even", 1.0, False),
    ("偏|偏向|稍偏|leaning", 0.8, False),
    ("更加|愈发|越发|越来越", 1.2, False),
    ("很|挺|蛮|相当|颇|very|really|quite|so", 1.3, False),
    ("充满|富有|满满|充分|full of|filled with|rich in", 1.3, False),
    (("非常|十分|特别|格外|超|超级|尤其|much|far|way|lots|greatly|significantly|considerably|super"
      "|highly"), 1.6, False),
    ("极|极其|极为|极度|无比|最|extremely|incredibly|intensely|utterly|hugely", 1.8, False),
    ("稍|稍微|稍稍|略|略微|轻微|微微|微|slightly|somewhat|mildly|marginally|subtly", 0.5, False),
    ("有点|有些|有一点|有点儿|kind of|sort of", 0.6, False),
    ("一点|一点儿|点|点儿|一丢丢|a bit|a little|a touch|a tad|a little bit|bit", 0.5, True),
    ("一点点|a tiny bit", 0.3, True),
    ("一些|些", 0.8, True),
    ("很多|得多|许多|不少|好多|a lot|a great deal|plenty", 1.6, True),
)

_NEGATIONS = (
    "不要|别|不|没有|没|去掉|去除|删掉|删除|拿掉|无|不用|避免|免去|禁止|不能|不想|不需要|不必|不带"
    "|no|not|without|don't|dont|do not|isn't|isnt|aren't|arent|doesn't|doesnt|wasn't|didn't"
    "|avoid|never|remove|drop|lose|get rid of|none|exclude"
    "|minus|no more|nothing|stop"
)
_LACKING = "不够|不足|缺少|缺乏|欠缺|lack|lacks|lacking|missing|insufficient"
"""Insufficiency: "蓝色不够", "还不够温暖", "lacks warmth" ask for more of the word beside them."""
_ENOUGH = "够|足够|enough|sufficient|sufficiently"
_CONJ_AND = "和|与|及|以及|并|并且|and"
_CONJ_OR = "或|或者|或是|or|nor"
_TOO = "太|过于|过|过分|太过|too|overly|excessively|too much"
_BOUNDARIES = "但|但是|不过|然而|可是|而是|but|however|though|although|yet"

_MEDIA: tuple[tuple[str, str], ...] = (
    (("画|绘画|画作|画面|图|图画|图像|抽象|抽象画|抽象艺术|作品|艺术|painting|picture|image|artwork"
      "|art|abstract|abstraction|canvas|drawing|illustration"), "painting"),
    ("诗|诗歌|诗句|古诗|poem|poetry|verse|haiku|sonnet", "poem"),
    ("故事|小说|story|tale|narrative", "story"),
    ("剧本|脚本|场景|script|screenplay|scene", "script"),
    ("乐曲|音乐|曲子|歌|歌曲|旋律|乐章|music|song|melody|tune|track|piece of music", "music"),
)

_STOPS = (
    # Chinese function words and brief boilerplate
    "的|地|得|了|着|在|而|且|也|又|还|已经|仍然|依然|度|就|都|把|被|让|使|给|用|以|从|向"
    "|对|中|里|上|下|之|其|是|有|这|那|这个|那个|这种|一|个|一个|一幅|一片|一段|一首|一张|一种"
    "|一群|一只|一朵|一棵|一轮|具有|带有|拥有|整体|整个|感觉|感|觉得|希望|想|想要|要|需要|能"
    "|可以|请|一下|我|你|它|他|她|们|我们|风格|样式|方式|变得|变|变成|使用|采用|呈现|表现|营造"
    "|带|带着|像|似|如|般|一般|一样|吗|呢|吧|啊|呀|哦|来|做|弄|改|调|调整|改成|换成|换|保持"
    "|效果|氛围|气氛|感受|不错|不同|不断|不仅|无限|无尽|之中|之间|里面|当中|其中|点缀|表达"
    "|描绘|描写|关于|主题|元素|那么|这么|那样|这样|构图|布局|画幅|背景|前景|喜欢"
    # English function words and boilerplate
    "|a|an|the|of|in|on|at|to|for|from|by|with|as|is|are|was|were|be|been|being|it|its|it's"
    "|this|that|these|those|then|still|already|need|needs|needed|make|makes|made|making|let"
    "|lets|let's|please|i|i'd|i'm"
    "|we|you|me|my|our|some|any|just|can|could|would|should|will|like|love|want|wanted|feel"
    "|feels|feeling|look|looks|looking|give|use|using|style|styled|into|onto|over|under|up"
    "|there|here|what|how|overall|whole|kind|sort|type|keep|have|has|also|something|everything"
    "|tone|tones|mood|vibe|atmosphere|about|theme|one|where|which|while|through|across|within"
    "|around|amount|bunch|composition|poster|design|background|foreground|their|them|they|he"
    "|she|his|her"
)


# ---------------------------------------------------------------------------------------------
# Building the lookup maps.

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Read-only lookup maps: surface form → Term, one map per script."""

    zh: Mapping[str, Term]
    en: Mapping[str, Term]
    zh_longest: int  # longest Chinese key, bounds the dictionary scan


def _words(group: str) -> list[str]:
    return [w.strip().lower() for w in group.split("|") if w.strip()]


def _entries() -> list[tuple[str, Term]]:
    """Every (word, term) in priority order: a later table never overrides an earlier word."""
    out: list[tuple[str, Term]] = []

    def add(group: str, term: Term) -> None:
        out.extend((w, term) for w in _words(group))

    for group, mood in _MOOD_WORDS:
        add(group, Term("mood", key=mood))
    colours: dict[str, Colour] = {}
    for group, key, hex_, arc, push in _COLOURS:
        colours[key] = Colour(key, hex_, arc, push + _hue_warmth(arc))
        add(group, Term("colour", key=key, colour=colours[key]))
    for group, keys, push in _COLOUR_SETS:
        add(group, Term("colour", key=keys, push=push, colours=tuple(colours[k] for k in keys.split())))
    for group, push in _PALETTE_WORDS:
        add(group, Term("quality", push=push))
    for group, key in _STYLES:
        add(group, Term("style", key=key))
    for group, key in _STYLE_HINTS:
        add(group, Term("style_hint", key=key))
    for group, key in _POEM_FORMS + _classical_forms():
        implied, weight = _FORM_MOODS.get(key, (None, 1.0))
        add(group, Term("form", key=key, mood=implied, mood_weight=weight))
    for group, key in _COMPOSITIONS:
        add(group, Term("composition", key=key))
    for group, push, implied, weight in _QUALITIES:
        add(group, Term("quality", push=push, mood=implied, mood_weight=weight))
    for group, key, push, implied, weight in _COLOURED_IMAGERY:
        add(group, Term("imagery", push=push, mood=implied, mood_weight=weight, colour=colours[key]))
    for group, push, implied, weight in _IMAGERY:
        add(group, Term("imagery", push=push, mood=implied, mood_weight=weight))
    for group, key in _ASPECTS:
        add(group, Term("aspect", key=key))
    for group, key in _RELATIVES:
        add(group, Term("relative", key=key))
    for group, factor, post in _DEGREES:
        add(group, Term("degree", factor=factor, post=post))
    add(_LACKING, Term("lacking"))
    add(_ENOUGH, Term("enough"))
    add(_CONJ_AND, Term("conj", key="and"))
    add(_CONJ_OR, Term("conj", key="or"))
    add(_NEGATIONS, Term("negation"))
    add(_TOO, Term("too"))
    add(_BOUNDARIES, Term("boundary"))
    for group, key in _MEDIA:
        add(group, Term("medium", key=key))
    add(_STOPS, Term("stop"))
    return out


HUE_WARMTH = 0.16
"""What naming one warm (cool) hue does to warmth: enough that, after the soft saturation, one
named blue reads as a cool palette (evaluate's threshold is 0.15)."""


def _hue_warmth(arc: Arc | None) -> Push:
    """Naming reds, oranges and golds warms a brief's palette; blues cool it."""
    if arc is None:
        return ()
    centre = (arc[0] + ((arc[1] - arc[0]) % 360.0) / 2) % 360.0
    if centre <= 70.0 or centre >= 330.0:
        return fx(warmth=HUE_WARMTH)
    if 160.0 <= centre <= 260.0:
        return fx(warmth=-HUE_WARMTH)
    return ()


@functools.cache
def lexicon() -> Lexicon:
    """Build the maps on first use; callers share one read-only instance."""
    zh: dict[str, Term] = {}
    en: dict[str, Term] = {}
    for word, term in _entries():
        table = zh if _CJK.search(word) else en
        table.setdefault(word, term)
    return Lexicon(
        zh=MappingProxyType(zh),
        en=MappingProxyType(en),
        zh_longest=max(len(w) for w in zh),
    )
