"""The classical forms a poem can be written in: 近体诗 (绝句, 律诗) and a few 词牌.

A ``Form`` fixes the number of lines and their lengths; each of its ``Variant``s fixes the tone
of every position (平 level, 仄 oblique, 中 either) and which lines end in a rhyme.

近体诗 patterns are built from the four regulated line types (律句) and the two rules of
粘 (a couplet's first line copies the tone of the previous line's second character) and 对 (a
couplet's lines oppose each other). "一三五不论" marks positions 1 and 3 (五言) or 1, 3 and 5 (七言)
as 中; the two traps that rule lets through — 孤平 and 三平尾 — are checked separately by
``validate``, which also accepts the standard 拗句 and 拗救 (特殊形式, 本句自救, 对句相救) that
depart from these patterns. 词 patterns are the 正体 of 《钦定词谱》, with 中 where the 谱 allows
either tone (each checked against its classic example poem in ``tests/unit/test_classical.py``).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from duetto.errors import InvalidInput
from duetto.media.text.classical.tones import EITHER, LEVEL, OBLIQUE

Kind = Literal["shi", "ci"]


class Variant(BaseModel):
    """One standard pattern of a form (平起/仄起 × 首句入韵/不入韵 for 近体诗; 正体 for a 词牌)."""

    model_config = ConfigDict(frozen=True)

    name: str  # "仄起首句不入韵"
    en_name: str  # "oblique start, first line unrhymed"
    pattern: tuple[str, ...]  # one string of 平/仄/中 per line
    rhyme_lines: tuple[int, ...]  # 1-based lines whose last character rhymes

    def tone_at(self, line: int, position: int) -> str:
        """The tone asked for at 1-based ``line`` and ``position``: 平, 仄 or 中."""
        return self.pattern[line - 1][position - 1]


class Form(BaseModel):
    """A classical form: how many lines, how long, and the patterns that may fill them."""

    model_config = ConfigDict(frozen=True)

    name: str  # stable id: "qijue"
    zh_name: str  # "七言绝句"
    en_name: str  # "seven-character quatrain"
    kind: Kind  # "shi" (近体诗: 孤平/三平尾 apply, strict 平水韵 groups) or "ci" (词: 词林正韵 sections)
    aliases: tuple[str, ...] = ()
    line_lengths: tuple[int, ...]
    rhyme_tone: str = LEVEL  # 平 for every 近体诗; a 词牌 may rhyme on 仄
    refrains: tuple[tuple[int, int], ...] = ()  # (line, line it repeats): 如梦令's 叠句
    variants: tuple[Variant, ...]
    notes: str = ""

    @property
    def lines(self) -> int:
        return len(self.line_lengths)

    @property
    def chars(self) -> int:
        return sum(self.line_lengths)

    def variant(self, name: str | int | None = None) -> Variant:
        """A variant by name or index; the first (the most common) when ``name`` is None."""
        if name is None:
            return self.variants[0]
        if isinstance(name, int):
            if 0 <= name < len(self.variants):
                return self.variants[name]
        else:
            for v in self.variants:
                if name in (v.name, v.en_name):
                    return v
        known = ", ".join(v.name for v in self.variants)
        raise InvalidInput(
            f"{self.zh_name} has no variant {name!r}", hint=f"known variants: {known}"
        )

    @model_validator(mode="after")
    def _patterns_fit(self) -> Form:
        if self.rhyme_tone not in (LEVEL, OBLIQUE):
            raise ValueError(f"rhyme_tone must be 平 or 仄, not {self.rhyme_tone!r}")
        for v in self.variants:
            if tuple(len(p) for p in v.pattern) != self.line_lengths:
                raise ValueError(
                    f"{self.name}/{v.name}: pattern lengths do not match line_lengths"
                )
            if any(t not in (LEVEL, OBLIQUE, EITHER) for p in v.pattern for t in p):
                raise ValueError(
                    f"{self.name}/{v.name}: patterns may only hold 平, 仄 and 中"
                )
            if any(not 1 <= n <= self.lines for n in v.rhyme_lines):
                raise ValueError(f"{self.name}/{v.name}: rhyme line out of range")
            for n in v.rhyme_lines:
                if v.pattern[n - 1][-1] not in (self.rhyme_tone, EITHER):
                    raise ValueError(
                        f"{self.name}/{v.name}: rhyme on line {n} contradicts rhyme_tone"
                    )
        return self


# --- 近体诗 -----------------------------------------------------------------------------------

# The four 五言 律句; a 七言 line puts two characters of the opposite tone in front.
_LINE_TYPES_5 = {
    "A": "仄仄平平仄",
    "B": "平平仄仄平",
    "C": "平平平仄仄",
    "D": "仄仄仄平平",
}
# Quatrain line-type sequences (粘 and 对 make each one follow from its first line):
# first line unrhymed: ABCD or CDAB; first line rhymed: DBCD or BDAB.
_QUATRAINS = {
    ("A", False): "ABCD",
    ("D", True): "DBCD",
    ("C", False): "CDAB",
    ("B", True): "BDAB",
}
_UNRHYMED_OPENING = {"A": "A", "D": "A", "C": "C", "B": "C"}  # lines 5-8 of a 律诗


def _line(kind: str, length: int) -> str:
    five = _LINE_TYPES_5[kind]
    full = five if length == 5 else {"平": "仄", "仄": "平"}[five[0]] * 2 + five
    # 一三五不论: odd positions except the last may take either tone.
    return "".join(
        EITHER if i % 2 == 0 and i < length - 1 else t for i, t in enumerate(full)
    )


def _shi_variants(
    length: int, lines: int, order: list[tuple[str, bool]]
) -> tuple[Variant, ...]:
    out = []
    for first, rhymed in order:
        seq = _QUATRAINS[(first, rhymed)]
        if lines == 8:
            seq += _QUATRAINS[(_UNRHYMED_OPENING[first], False)]
        pattern = tuple(_line(k, length) for k in seq)
        start = "平起" if pattern[0][1] == LEVEL else "仄起"
        rhyme_lines = tuple(([1] if rhymed else []) + list(range(2, lines + 1, 2)))
        out.append(
            Variant(
                name=f"{start}首句{'入韵' if rhymed else '不入韵'}",
                en_name=f"{'level' if start == '平起' else 'oblique'} start, first line "
                f"{'rhymed' if rhymed else 'unrhymed'}",
                pattern=pattern,
                rhyme_lines=rhyme_lines,
            )
        )
    return tuple(out)


# 五言 poems mostly open unrhymed and 仄起; 七言 mostly open rhymed.
_ORDER_5 = [("A", False), ("C", False), ("D", True), ("B", True)]
_ORDER_7 = [("D", True), ("B", True), ("A", False), ("C", False)]

_SHI_NOTES = (
    "近体诗 on 平水韵 level-tone rhymes, one group throughout. 一三五不论 is applied (those "
    "positions are 中); 孤平 and 三平尾 are checked separately. The standard 拗句 and 拗救 are "
    "accepted and named in the report (特殊形式 平平仄平仄, 孤平 rescued in its own line, a 出句's "
    "拗 rescued by its 对句). 对仗 is not checked."
)

WUJUE = Form(
    name="wujue",
    zh_name="五言绝句",
    en_name="five-character quatrain",
    kind="shi",
    aliases=(
        "五绝",
        "五言绝句",
        "wujue",
        "wuyan jueju",
        "jueju5",
        "five-character quatrain",
        "5-character quatrain",
        "five character quatrain",
    ),
    line_lengths=(5,) * 4,
    variants=_shi_variants(5, 4, _ORDER_5),
    notes=_SHI_NOTES,
)
QIJUE = Form(
    name="qijue",
    zh_name="七言绝句",
    en_name="seven-character quatrain",
    kind="shi",
    aliases=(
        "七绝",
        "七言绝句",
        "qijue",
        "qiyan jueju",
        "jueju7",
        "seven-character quatrain",
        "7-character quatrain",
        "seven character quatrain",
    ),
    line_lengths=(7,) * 4,
    variants=_shi_variants(7, 4, _ORDER_7),
    notes=_SHI_NOTES,
)
WULV = Form(
    name="wulv",
    zh_name="五言律诗",
    en_name="five-character regulated verse",
    kind="shi",
    aliases=(
        "五律",
        "五言律诗",
        "wulv",
        "wulü",
        "wuyan lushi",
        "wuyan lvshi",
        "lushi5",
        "five-character regulated verse",
        "five character regulated verse",
    ),
    line_lengths=(5,) * 8,
    variants=_shi_variants(5, 8, _ORDER_5),
    notes=_SHI_NOTES + " The middle two couplets should be parallel (对仗).",
)
QILV = Form(
    name="qilv",
    zh_name="七言律诗",
    en_name="seven-character regulated verse",
    kind="shi",
    aliases=(
        "七律",
        "七言律诗",
        "qilv",
        "qilü",
        "qiyan lushi",
        "qiyan lvshi",
        "lushi7",
        "seven-character regulated verse",
        "seven character regulated verse",
    ),
    line_lengths=(7,) * 8,
    variants=_shi_variants(7, 8, _ORDER_7),
    notes=_SHI_NOTES + " The middle two couplets should be parallel (对仗).",
)

# --- 词牌 -------------------------------------------------------------------------------------


def _ci(
    name: str, en_name: str, pattern: str, rhyme_lines: tuple[int, ...]
) -> tuple[Variant, ...]:
    lines = tuple(re.split(r"[，。、/\s]+", pattern.strip("，。 ")))
    return (
        Variant(name=name, en_name=en_name, pattern=lines, rhyme_lines=rhyme_lines),
    )


_CI_NOTES = (
    "词 rhymes are judged by 词林正韵 sections (上去 rhyme together) when using 平水韵."
)

RUMENGLING = Form(
    name="rumengling",
    zh_name="如梦令",
    en_name="Like a Dream",
    kind="ci",
    aliases=(
        "如梦令",
        "忆仙姿",
        "宴桃源",
        "rumengling",
        "ru meng ling",
        "like a dream",
    ),
    line_lengths=(6, 6, 5, 6, 2, 2, 6),
    rhyme_tone=OBLIQUE,
    refrains=((6, 5),),
    variants=_ci(
        "正体",
        "standard form",
        "中仄中平中仄，中仄中平平仄。中仄仄平平，中仄中平平仄。平仄，平仄，中仄中平平仄。",
        (1, 2, 4, 5, 6, 7),
    ),
    notes="单调三十三字，七句五仄韵，一叠韵 (line 6 repeats line 5). 正体: 李存勖「曾宴桃源深洞」. "
    + _CI_NOTES,
)
YIJIANGNAN = Form(
    name="yijiangnan",
    zh_name="忆江南",
    en_name="Remembering the South",
    kind="ci",
    aliases=(
        "忆江南",
        "望江南",
        "梦江南",
        "江南好",
        "谢秋娘",
        "yijiangnan",
        "yi jiang nan",
        "wangjiangnan",
        "remembering the south",
        "dreaming of the south",
    ),
    line_lengths=(3, 5, 7, 7, 5),
    variants=_ci(
        "正体",
        "standard form",
        "平中仄，中仄仄平平。中仄中平平仄仄，中平中仄仄平平。中仄仄平平。",
        (2, 4, 5),
    ),
    notes="单调二十七字，五句三平韵; the two 七言 lines are usually parallel. 正体: 白居易「江南好」. "
    + _CI_NOTES,
)
HUANXISHA = Form(
    name="huanxisha",
    zh_name="浣溪沙",
    en_name="Silk-Washing Stream",
    kind="ci",
    aliases=(
        "浣溪沙",
        "浣沙溪",
        "huanxisha",
        "huan xi sha",
        "silk-washing stream",
        "silk washing stream",
        "sand of silk-washing stream",
    ),
    line_lengths=(7,) * 6,
    variants=_ci(
        "正体",
        "standard form",
        "中仄中平仄仄平，中平中仄仄平平。中平中仄仄平平。"
        "中仄中平平仄仄，中平中仄仄平平。中平中仄仄平平。",
        (1, 2, 3, 5, 6),
    ),
    notes="双调四十二字，前段三句三平韵，后段三句两平韵; the first two lines of the second "
    "stanza are usually parallel. 例: 晏殊「一曲新词酒一杯」. " + _CI_NOTES,
)
DIANJIANGCHUN = Form(
    name="dianjiangchun",
    zh_name="点绛唇",
    en_name="Rouged Lips",
    kind="ci",
    aliases=(
        "点绛唇",
        "点樱桃",
        "南浦月",
        "dianjiangchun",
        "dian jiang chun",
        "rouged lips",
        "touch of red lips",
    ),
    line_lengths=(4, 7, 4, 5, 4, 5, 3, 4, 5),
    rhyme_tone=OBLIQUE,
    variants=_ci(
        "正体",
        "standard form",
        "中仄平平，中平中仄平平仄。中平中仄，中仄平平仄。"
        "中仄中平，中仄平平仄。中中仄，中平中仄，中仄平平仄。",
        (2, 3, 4, 6, 7, 8, 9),
    ),
    notes="双调四十一字，前段四句三仄韵，后段五句四仄韵. 例: 李清照「蹴罢秋千」. "
    + _CI_NOTES,
)

FORMS: dict[str, Form] = {
    f.name: f
    for f in (
        WUJUE,
        QIJUE,
        WULV,
        QILV,
        RUMENGLING,
        YIJIANGNAN,
        HUANXISHA,
        DIANJIANGCHUN,
    )
}


def _key(name: str) -> str:
    return re.sub(r"[\s\-_·・《》〈〉]+", "", name.strip().lower()).replace("ü", "v")


def _simplified(text: str) -> str:
    try:
        import opencc
    except ImportError:  # pragma: no cover - depends on the install
        return text
    return opencc.OpenCC("t2s").convert(text)


_ALIASES: dict[str, Form] = {
    _key(alias): form
    for form in FORMS.values()
    for alias in (form.name, form.zh_name, form.en_name, *form.aliases)
}


def get_form(name: str | Form) -> Form:
    """Look a form up by id, Chinese name (simplified or traditional), English name or alias."""
    if isinstance(name, Form):
        return name
    form = _ALIASES.get(_key(name)) or _ALIASES.get(_key(_simplified(name)))
    if form is None:
        known = "; ".join(
            f"{f.name} ({f.zh_name}, {f.en_name})" for f in FORMS.values()
        )
        raise InvalidInput(
            f"unknown classical form {name!r}", hint=f"known forms: {known}"
        )
    return form


def list_forms() -> list[Form]:
    """Every form in the catalogue, 近体诗 first."""
    return list(FORMS.values())
