"""Check a poem against a classical form and say exactly which position breaks which rule.

``validate`` tries every variant of the form and keeps the one with the fewest issues. Each
``Issue`` names its line and position (1-based), the character, the rule, what was expected and
what was found, and a message in Chinese and English:

    第3句第2字'春'应为仄声，实为平声 / line 3 char 2 '春' should be oblique (仄) but is level (平)

Rules: ``line_count``, ``line_length``, ``tone``, ``unknown_char`` (no table knows the
character), ``rhyme`` (a rhyme position outside the poem's rhyme group), ``rhyme_tone`` (a rhyme
on the wrong tone), ``gu_ping`` (孤平), ``san_ping_wei`` (三平尾), ``repeated_rhyme`` (重韵),
``refrain`` (a 叠句 that does not repeat its line), ``neighbour_rhyme`` (首句借邻韵: a 近体诗's
first line rhyming in a neighbouring group, which tradition tolerates — reported, so a caller may
choose to accept it), ``ao_jiu`` (a 拗 that only a rescue the line or its couplet lacks would
license). 孤平, 三平尾 and 拗救 apply to 近体诗 only.

The accepted 拗句 and 拗救 of the rhyme manuals (特殊形式 平平仄平仄, 孤平 rescued in its own line,
a 出句's 拗 rescued by its 对句) raise no issue; each is listed in ``Report.licences`` with its
line, position and a message, so a reader sees why an irregular-looking line passed:

    第1句'移舟泊烟渚'（平平仄平仄）用特殊形式平平仄平仄代平平平仄仄（第3、4字平仄互换，第1字平声），合律

The poem's rhyme group is the one most of its rhyme positions share (ties go to the group of the
earliest rhyme), so a single stray rhyme is reported at its own line and nowhere else.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from duetto.media.text.classical.forms import Form, Variant, get_form
from duetto.media.text.classical.tones import (
    EITHER,
    LEVEL,
    OBLIQUE,
    RhymeSystem,
    check_system,
    cilin_sections,
    readings,
    tone_classes,
)

Rule = Literal[
    "line_count",
    "line_length",
    "tone",
    "unknown_char",
    "rhyme",
    "neighbour_rhyme",
    "rhyme_tone",
    "gu_ping",
    "san_ping_wei",
    "ao_jiu",
    "repeated_rhyme",
    "refrain",
]
_RULE_ORDER = {r: i for i, r in enumerate(Rule.__args__)}  # type: ignore[attr-defined]

_TONE_ZH = {LEVEL: "平声", OBLIQUE: "仄声"}
_TONE_EN = {LEVEL: "level (平)", OBLIQUE: "oblique (仄)"}


class Issue(BaseModel):
    """One broken rule at one place in the poem."""

    line: int | None  # 1-based; None for the poem as a whole
    position: (
        int | None
    )  # 1-based character within the line; None for the line as a whole
    char: str | None
    rule: Rule
    expected: str | None
    found: str | None
    message: str  # Chinese / English


LicenceKind = Literal["te_shu", "ben_ju_zi_jiu", "dui_ju_xiang_jiu"]


class Licence(BaseModel):
    """A line that departs from its pattern in a way the rhyme manuals accept (拗句 or 拗救).

    ``kind``: ``te_shu`` (特殊形式 平平仄平仄), ``ben_ju_zi_jiu`` (孤平 rescued in the same line),
    ``dui_ju_xiang_jiu`` (a 出句's 拗 and the 对句 character that rescues it: one entry on each
    line).
    """

    line: int  # 1-based
    position: int  # 1-based: the 拗 character, or the character that rescues it
    char: str
    kind: LicenceKind
    tones: str  # the line as read: 平/仄 per character (中 for a polyphonic one no rule fixes)
    message: str  # Chinese / English


class Report(BaseModel):
    """The verdict on one poem: which variant it fits best, and every issue against it."""

    form: str
    form_zh: str
    variant: str | None  # name of the best-fitting variant
    pattern: list[str]  # that variant's per-line 平/仄/中 pattern
    rhyme_system: str
    rhyme_group: str | None  # the group (or 词林正韵 section) the poem rhymes in
    lines: list[str]  # the poem as parsed, one entry per line
    issues: list[Issue]
    modern_readings: list[
        str
    ]  # characters outside 平水韵 whose tone came from Mandarin
    licences: list[Licence] = Field(
        default_factory=list
    )  # 拗句 / 拗救 accepted without an issue, in line order

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.issues


# --- parsing ----------------------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SEGMENT = re.compile(f"[{_HAN}]+")


def split_lines(poem: str, form: Form | None = None) -> list[str]:
    """The poem's lines: runs of Chinese characters between punctuation, spaces or newlines.

    With a ``form``, runs that hold several whole lines (a couplet written without its comma, or
    the whole poem on one line) are cut at the form's line boundaries.
    """
    segments = _SEGMENT.findall(poem)
    if form is None or sum(map(len, segments)) != form.chars:
        return segments
    bounds, total = set(), 0
    for n in form.line_lengths:
        total += n
        bounds.add(total)
    seg_ends, total = [], 0
    for s in segments:
        total += len(s)
        seg_ends.append(total)
    if not set(seg_ends) <= bounds:
        return segments
    text, out, start = "".join(segments), [], 0
    for n in form.line_lengths:
        out.append(text[start : start + n])
        start += n
    return out


# --- messages ---------------------------------------------------------------------------------


def _tones_text(classes: frozenset[str], lang: str) -> str:
    names = _TONE_ZH if lang == "zh" else _TONE_EN
    return "/".join(names[t] for t in (LEVEL, OBLIQUE) if t in classes)


def _issue(
    rule: Rule,
    zh: str,
    en: str,
    *,
    line: int | None = None,
    position: int | None = None,
    char: str | None = None,
    expected: str | None = None,
    found: str | None = None,
) -> Issue:
    return Issue(
        line=line,
        position=position,
        char=char,
        rule=rule,
        expected=expected,
        found=found,
        message=f"{zh} / {en}",
    )


def _where(line: int, position: int, char: str) -> tuple[str, str]:
    return f"第{line}句第{position}字'{char}'", f"line {line} char {position} '{char}'"


# --- rhyme keys -------------------------------------------------------------------------------


def _rhyme_keys(ch: str, form: Form, system: RhymeSystem) -> frozenset[str]:
    """What ``ch`` can rhyme as, in the form's rhyme tone: 平水韵 groups for 近体诗, 词林正韵
    sections for 词 under 平水韵, 新韵 groups under 新韵."""
    groups = {
        r.group for r in readings(ch, system) if r.tone == form.rhyme_tone and r.group
    }
    if system == "pingshui" and form.kind == "ci":
        return frozenset(s for g in groups for s in cilin_sections(g))
    return frozenset(groups)


def _all_keys(ch: str, form: Form, system: RhymeSystem) -> frozenset[str]:
    """Every group ``ch`` belongs to, any tone (for messages)."""
    groups = {r.group for r in readings(ch, system) if r.group}
    if system == "pingshui" and form.kind == "ci":
        return frozenset(s for g in groups for s in cilin_sections(g))
    return frozenset(groups)


def _neighbours(
    keys: frozenset[str], chosen: str, form: Form, system: RhymeSystem
) -> bool:
    """邻韵: 平水韵 groups of a 近体诗 that 词林正韵 puts in one section (東/冬, 真/文/元 …)."""
    if system != "pingshui" or form.kind != "shi":
        return False
    return any(cilin_sections(k) & cilin_sections(chosen) for k in keys)


# --- checks -----------------------------------------------------------------------------------


def _check_variant(
    lines: list[str], form: Form, variant: Variant, system: RhymeSystem
) -> tuple[list[Issue], str | None, list[Licence]]:
    issues: list[Issue] = []
    tone_issues: dict[tuple[int, int], Issue] = {}  # (line, position) → its tone issue
    verses: dict[int, _Verse] = {}
    usable = {
        i + 1
        for i, text in enumerate(lines[: form.lines])
        if len(text) == form.line_lengths[i]
    }
    rhyme_lines = [n for n in variant.rhyme_lines if n <= len(lines)]
    rhyme_set = set(rhyme_lines)

    for n in sorted(usable):
        text, pattern = lines[n - 1], variant.pattern[n - 1]
        classes = [tone_classes(ch, system) for ch in text]
        verses[n] = _Verse(n, text, pattern, classes)
        for pos, (ch, want, cls) in enumerate(
            zip(text, pattern, classes, strict=True), start=1
        ):
            at_zh, at_en = _where(n, pos, ch)
            if not cls:
                issues.append(
                    _issue(
                        "unknown_char",
                        f"{at_zh}不在字表中，无法判断平仄",
                        f"{at_en} is in no table, its tone is unknown",
                        line=n,
                        position=pos,
                        char=ch,
                        expected=want,
                        found=None,
                    )
                )
                continue
            if pos == len(text) and n in rhyme_set:
                continue  # the rhyme checks below judge this position
            if want != EITHER and want not in cls:
                tone_issues[(n, pos)] = _issue(
                    "tone",
                    f"{at_zh}应为{_TONE_ZH[want]}，实为{_tones_text(cls, 'zh')}",
                    f"{at_en} should be {_TONE_EN[want]} but is {_tones_text(cls, 'en')}",
                    line=n,
                    position=pos,
                    char=ch,
                    expected=want,
                    found="/".join(sorted(cls)),
                )
        if form.kind == "shi" and pattern[-1] == LEVEL:
            issues.extend(_gu_ping(n, text, classes, pattern))
            issues.extend(_san_ping_wei(n, text, classes))

    licences: list[Licence] = []
    if form.kind == "shi":
        licences, changes = _ao_jiu(verses, tone_issues)
        for key, replacement in changes.items():
            if replacement is None:
                del tone_issues[key]
            else:
                tone_issues[key] = replacement
    issues.extend(tone_issues.values())

    # Rhymes: find the group most rhyme positions share, then report the others.
    keys = {
        n: _rhyme_keys(lines[n - 1][-1], form, system)
        for n in rhyme_lines
        if lines[n - 1]
    }
    counts = Counter(k for ks in keys.values() for k in ks)
    chosen: str | None = None
    if counts:
        best = max(counts.values())
        for n in rhyme_lines:  # ties: the group of the earliest rhyme
            tied = sorted(k for k in keys.get(n, ()) if counts[k] == best)
            if tied:
                chosen = tied[0]
                break
    tone = form.rhyme_tone
    for n in rhyme_lines:
        text = lines[n - 1]
        if not text:
            continue
        ch, pos = text[-1], len(text)
        at_zh, at_en = _where(n, pos, ch)
        cls = tone_classes(ch, system)
        if not cls:
            if n not in usable:  # usable lines already reported it as unknown_char
                issues.append(
                    _issue(
                        "unknown_char",
                        f"{at_zh}不在字表中，无法判断韵部",
                        f"{at_en} is in no table, its rhyme is unknown",
                        line=n,
                        position=pos,
                        char=ch,
                        expected=chosen,
                        found=None,
                    )
                )
            continue
        if tone not in cls:
            issues.append(
                _issue(
                    "rhyme_tone",
                    f"{at_zh}是韵脚，应押{_TONE_ZH[tone]}韵，实为{_tones_text(cls, 'zh')}",
                    f"{at_en} is a rhyme and should rhyme on the {_TONE_EN[tone]} tone but is "
                    f"{_tones_text(cls, 'en')}",
                    line=n,
                    position=pos,
                    char=ch,
                    expected=tone,
                    found="/".join(sorted(cls)),
                )
            )
            continue
        if chosen is not None and chosen not in keys[n]:
            if n == 1 and _neighbours(keys[n], chosen, form, system):
                issues.append(
                    _issue(
                        "neighbour_rhyme",
                        f"{at_zh}（{'、'.join(sorted(keys[n]))}）借邻韵，不在本诗韵部{chosen}"
                        "（首句借邻韵，传统所容）",
                        f"{at_en} ({', '.join(sorted(keys[n]))}) borrows a neighbouring group, not "
                        f"the poem's {chosen} (tolerated in the first line by tradition)",
                        line=n,
                        position=pos,
                        char=ch,
                        expected=chosen,
                        found=", ".join(sorted(keys[n])),
                    )
                )
                continue
            groups = "、".join(sorted(_all_keys(ch, form, system))) or "不在韵书中"
            groups_en = (
                ", ".join(sorted(_all_keys(ch, form, system)))
                or "not in the rhyme book"
            )
            issues.append(
                _issue(
                    "rhyme",
                    f"{at_zh}（{groups}）不押本诗韵部{chosen}",
                    f"{at_en} ({groups_en}) does not rhyme with the poem's rhyme group {chosen}",
                    line=n,
                    position=pos,
                    char=ch,
                    expected=chosen,
                    found=groups_en,
                )
            )

    # 重韵: the same character rhyming twice, except where a 叠句 repeats it by design.
    copies = {line for line, _ in form.refrains}
    seen: dict[str, int] = {}
    for n in rhyme_lines:
        text = lines[n - 1]
        if not text or n in copies:
            continue
        ch = text[-1]
        if ch in seen:
            at_zh, at_en = _where(n, len(text), ch)
            issues.append(
                _issue(
                    "repeated_rhyme",
                    f"{at_zh}与第{seen[ch]}句韵脚重复（重韵）",
                    f"{at_en} repeats the rhyme of line {seen[ch]} (重韵)",
                    line=n,
                    position=len(text),
                    char=ch,
                    expected=None,
                    found=ch,
                )
            )
        else:
            seen[ch] = n

    for line, source in form.refrains:
        if (
            line <= len(lines)
            and source <= len(lines)
            and lines[line - 1] != lines[source - 1]
        ):
            issues.append(
                _issue(
                    "refrain",
                    f"第{line}句应重复第{source}句'{lines[source - 1]}'（叠句），实为'{lines[line - 1]}'",
                    f"line {line} should repeat line {source} '{lines[source - 1]}' (叠句) but is "
                    f"'{lines[line - 1]}'",
                    line=line,
                    position=None,
                    char=None,
                    expected=lines[source - 1],
                    found=lines[line - 1],
                )
            )
    return issues, chosen, licences


def _gu_ping(
    n: int, text: str, classes: list[frozenset[str]], pattern: str
) -> list[Issue]:
    """孤平: in a line ending on a level rhyme, the only other level character stands alone
    between oblique ones (仄平仄仄平, 仄仄仄平仄仄平). Flagged only when certain: a polyphonic
    character counts as level.

    A 七言 line in the 仄仄平平仄仄平 slot is also 孤平 when its third and fifth characters are both
    oblique, whatever its first one is (平仄仄平仄仄平): 王力《诗词格律》 (律诗的平仄, 孤平) states
    the 七言 rule on the third character alone, as the 五言 one is on the first. A level fifth
    character rescues it (本句自救, see ``_ben_ju_zi_jiu``).
    """
    body = range(len(text) - 1)
    level = [i for i in body if LEVEL in classes[i]]
    if len(level) != 1:
        if len(text) == 7 and _slot(pattern) == "B" and _lone_fourth(classes):
            ch = text[3]
            return [
                _issue(
                    "gu_ping",
                    f"第{n}句犯孤平：第4字'{ch}'前后第3字'{text[2]}'、第5字'{text[4]}'皆仄"
                    "（七言第三字用仄，须第五字用平声自救）",
                    f"line {n} has an isolated level tone (孤平): '{ch}' at char 4 stands between "
                    f"oblique '{text[2]}' and '{text[4]}' (an oblique char 3 needs a level char 5 to "
                    "rescue it)",
                    line=n,
                    position=4,
                    char=ch,
                    expected="第三字或第五字平声",
                    found=text,
                )
            ]
        return []
    p = level[0]
    if (
        p + 1 == len(text) - 1
    ):  # next to the rhyme: 仄仄仄平平 is a standard line, not 孤平
        return []
    if not (classes[p + 1] == {OBLIQUE} and (p == 0 or classes[p - 1] == {OBLIQUE})):
        return []
    ch = text[p]
    return [
        _issue(
            "gu_ping",
            f"第{n}句犯孤平：除韵脚外只有'{ch}'一个平声字",
            f"line {n} has an isolated level tone (孤平): apart from the rhyme only '{ch}' is level",
            line=n,
            position=p + 1,
            char=ch,
            expected="韵脚外至少两个相连平声",
            found=text,
        )
    ]


def _san_ping_wei(n: int, text: str, classes: list[frozenset[str]]) -> list[Issue]:
    """三平尾: the last three characters all level (only when none of them can be read 仄)."""
    if len(text) < 3 or any(c != {LEVEL} for c in classes[-3:]):
        return []
    tail = text[-3:]
    return [
        _issue(
            "san_ping_wei",
            f"第{n}句犯三平尾：末三字'{tail}'皆为平声",
            f"line {n} ends in three level tones (三平尾): '{tail}'",
            line=n,
            position=len(text) - 2,
            char=tail,
            expected="末三字不可全平",
            found="平平平",
        )
    ]


# --- 拗句 and 拗救 ------------------------------------------------------------------------------
#
# The rules below are the ones 王力 sets out in 《诗词格律》 (律诗的平仄: 孤平, 拗救, 特定的平仄格式)
# and at length in 《汉语诗律学》 (第一章 近体诗, 拗救), systematising 清 赵执信《声调谱》. They are
# stated on the 五言 line; a 七言 line puts two characters in front, so its position is the 五言
# one plus two (``_Verse.at``). A rule applies only where the variant's pattern asks for the 律句
# it names: A 仄仄平平仄, B 平平仄仄平, C 平平平仄仄, D 仄仄仄平平 (七言 with two more in front).


@dataclass(frozen=True)
class _Verse:
    """One line of the poem with its slot's pattern and each character's tone classes."""

    n: int
    text: str
    pattern: str
    classes: list[frozenset[str]]

    def at(self, five: int) -> int:
        """The 1-based position in this line of 五言 position ``five``."""
        return five + len(self.text) - 5

    def tone(self, five: int) -> frozenset[str]:
        return self.classes[self.at(five) - 1]

    def char(self, five: int) -> str:
        return self.text[self.at(five) - 1]

    def read(self, wish: dict[int, str]) -> str:
        """The line's tones as read: a polyphonic character takes the tone ``wish`` (五言
        positions) or the pattern asks for, 中 where neither fixes it."""
        want = list(self.pattern)
        for five, tone in wish.items():
            want[self.at(five) - 1] = tone
        out = []
        for cls, w in zip(self.classes, want, strict=True):
            if len(cls) == 1:
                out.append(next(iter(cls)))
            else:
                out.append(w if w in cls else EITHER if cls else "?")
        return "".join(out)


def _slot(pattern: str) -> str | None:
    """The 律句 a 近体诗 pattern stands for, told by its last two tones: A, B, C or D."""
    if len(pattern) not in (5, 7):
        return None
    return {
        (LEVEL, OBLIQUE): "A",
        (OBLIQUE, LEVEL): "B",
        (OBLIQUE, OBLIQUE): "C",
        (LEVEL, LEVEL): "D",
    }.get((pattern[-2], pattern[-1]))


def _lone_fourth(classes: list[frozenset[str]]) -> bool:
    """七言: the fourth character level between a certainly oblique third and fifth."""
    return classes[2] == {OBLIQUE} and classes[4] == {OBLIQUE} and LEVEL in classes[3]


def _licence(
    verse: _Verse, five: int, kind: LicenceKind, wish: dict[int, str], zh: str, en: str
) -> Licence:
    return Licence(
        line=verse.n,
        position=verse.at(five),
        char=verse.char(five),
        kind=kind,
        tones=verse.read(wish),
        message=f"{zh} / {en}",
    )


def _te_shu(verse: _Verse) -> Licence | Issue | None:
    """特殊形式: 平平仄平仄 in the place of 平平平仄仄 (七言 仄仄平平仄平仄 for 仄仄平平平仄仄).

    王力《诗词格律》 (律诗的平仄, 特定的平仄格式) and 《汉语诗律学》 (近体诗, 子类特殊形式): the
    third and fourth characters of the 平平平仄仄 line swap tones. It is accepted because it is
    not a lapse but a line shape of its own, common in 唐 律诗 and above all in the seventh line
    (王力 finds it in about half the seventh lines of the 仄起 五律 in 《唐诗三百首》), and it
    needs no rescue in the 对句. On one condition, which 王力 states: the first character (七言
    the third) must then be level, no longer free, or each of the line's two level tones would
    stand alone between oblique ones (仄平仄平仄).

    Returns the licence, an ``ao_jiu`` issue at the fourth position when only that condition
    fails (仄平仄平仄), or None when the line is not this shape.
    """
    if _slot(verse.pattern) != "C" or not verse.tone(4) or OBLIQUE in verse.tone(4):
        return None
    if OBLIQUE not in verse.tone(3):
        return None
    five = len(verse.text) == 5
    shape, base = (
        ("平平仄平仄", "平平平仄仄") if five else ("仄仄平平仄平仄", "仄仄平平平仄仄")
    )
    p1, p3, p4 = verse.at(1), verse.at(3), verse.at(4)
    if LEVEL not in verse.tone(1):
        at_zh, at_en = _where(verse.n, p4, verse.char(4))
        return _issue(
            "ao_jiu",
            f"{at_zh}应为仄声，实为平声；特殊形式{shape}可容此拗，但须第{p1}字用平声，"
            f"'{verse.char(1)}'为仄声",
            f"{at_en} should be oblique (仄) but is level (平); the special form {shape} would "
            f"accept it, but only with a level char {p1}, and '{verse.char(1)}' is oblique",
            line=verse.n,
            position=p4,
            char=verse.char(4),
            expected=OBLIQUE,
            found="/".join(sorted(verse.tone(4))),
        )
    wish = {1: LEVEL, 3: OBLIQUE, 4: LEVEL}
    tones = verse.read(wish)
    return _licence(
        verse,
        4,
        "te_shu",
        wish,
        f"第{verse.n}句'{verse.text}'（{tones}）用特殊形式{shape}代{base}"
        f"（第{p3}、{p4}字平仄互换，第{p1}字平声），合律",
        f"line {verse.n} '{verse.text}' ({tones}) uses the special form {shape} in place of "
        f"{base} (chars {p3} and {p4} swap tones, char {p1} is level): accepted",
    )


def _ben_ju_zi_jiu(verse: _Verse) -> Licence | None:
    """本句自救 of 孤平: 仄平平仄平 for 平平仄仄平 (七言 仄仄仄平平仄平 for 仄仄平平仄仄平).

    王力《诗词格律》 (律诗的平仄, 孤平; 拗救) and 《汉语诗律学》 (近体诗, 孤平拗救): when the first
    character of 平平仄仄平 (七言 the third) is oblique, the second would be the only level tone
    apart from the rhyme, 孤平, which 唐 poets shunned. Making the third character (七言 the
    fifth) level gives the line two level tones side by side again, so the line rescues itself
    and the manuals accept it. Noted only when the first character is certainly oblique.
    """
    if _slot(verse.pattern) != "B" or verse.tone(1) != {OBLIQUE}:
        return None
    if (
        LEVEL not in verse.tone(2)
        or LEVEL not in verse.tone(3)
        or OBLIQUE not in verse.tone(4)
    ):
        return None
    p1, p3 = verse.at(1), verse.at(3)
    wish = {1: OBLIQUE, 2: LEVEL, 3: LEVEL, 4: OBLIQUE}
    tones = verse.read(wish)
    c1, c3 = verse.char(1), verse.char(3)
    return _licence(
        verse,
        3,
        "ben_ju_zi_jiu",
        wish,
        f"第{verse.n}句'{verse.text}'（{tones}）第{p1}字'{c1}'仄声本犯孤平，"
        f"第{p3}字'{c3}'用平声自救（本句自救），合律",
        f"line {verse.n} '{verse.text}' ({tones}): the oblique '{c1}' at char {p1} would leave a "
        f"lone level tone (孤平), and the level '{c3}' at char {p3} rescues it in the same line "
        "(本句自救): accepted",
    )


def _dui_ju_xiang_jiu(
    out: _Verse, answer: _Verse | None
) -> list[Licence] | Issue | None:
    """对句相救: a 出句 仄仄平平仄 whose fourth character is oblique (仄仄平仄仄), or whose third
    and fourth both are (仄仄仄仄仄), rescued by making the third character of its 对句
    平平仄仄平 level (平平平仄平, or 仄平平仄平 when the 对句 also rescues its own 孤平). 七言:
    the sixth (or fifth and sixth) of 平平仄仄平平仄, rescued by the fifth of 仄仄平平仄仄平.

    王力《诗词格律》 (律诗的平仄, 拗救) and 《汉语诗律学》 (近体诗, 拗救): a 出句 that loses a level
    tone at its fourth character, a place 二四六分明 fixes, gives the level tone back in the
    对句, so the couplet keeps its balance of level and oblique. 李商隐《登乐游原》 "向晚意不适，
    驱车登古原" is the textbook case (in these tables 不 also has a 尤韵 level reading, so that
    poem passes without needing the rule; 孟浩然 "人事有代谢，往来成古今" shows it). An oblique
    third character alone (仄仄仄平仄) is only a half 拗 that 一三五不论 already allows, so it is
    not this rule's business.

    Returns a licence for each line, an ``ao_jiu`` issue at the 出句's fourth position when the
    对句 does not rescue it, or None when the couplet is not this shape (or has no 对句 to judge).
    """
    if _slot(out.pattern) != "A" or LEVEL in out.tone(4) or not out.tone(4):
        return None
    if answer is None or _slot(answer.pattern) != "B" or not answer.tone(3):
        return None
    p3, p4, q3 = out.at(3), out.at(4), answer.at(3)
    c4, d3 = out.char(4), answer.char(3)
    if LEVEL not in answer.tone(3):
        at_zh, at_en = _where(out.n, p4, c4)
        return _issue(
            "ao_jiu",
            f"{at_zh}应为平声，实为仄声（拗），第{answer.n}句第{q3}字'{d3}'亦为仄声，"
            "未以平声相救（对句相救）",
            f"{at_en} should be level (平) but is oblique (仄), a 拗 that line {answer.n} char "
            f"{q3} '{d3}' would rescue by being level (对句相救), but it is oblique",
            line=out.n,
            position=p4,
            char=c4,
            expected=LEVEL,
            found="/".join(sorted(out.tone(4))),
        )
    both = out.tone(3) == {OBLIQUE}
    out_tones = out.read({4: OBLIQUE})
    answer_tones = answer.read({3: LEVEL})
    also_zh = f"，第{p3}字'{out.char(3)}'亦仄" if both else ""
    also_en = f", and char {p3} '{out.char(3)}' too" if both else ""
    return [
        _licence(
            out,
            4,
            "dui_ju_xiang_jiu",
            {4: OBLIQUE},
            f"第{out.n}句'{out.text}'（{out_tones}）第{p4}字'{c4}'拗（应平而仄{also_zh}），"
            f"第{answer.n}句第{q3}字'{d3}'用平声相救（对句相救），合律",
            f"line {out.n} '{out.text}' ({out_tones}) has '{c4}' oblique at char {p4} where level "
            f"is due (拗{also_en}); line {answer.n} char {q3} '{d3}' is level and rescues it "
            "(对句相救): accepted",
        ),
        _licence(
            answer,
            3,
            "dui_ju_xiang_jiu",
            {3: LEVEL},
            f"第{answer.n}句'{answer.text}'（{answer_tones}）第{q3}字'{d3}'用平声，"
            f"救第{out.n}句第{p4}字'{c4}'之拗（对句相救）",
            f"line {answer.n} '{answer.text}' ({answer_tones}) makes char {q3} '{d3}' level to "
            f"rescue the 拗 at line {out.n} char {p4} '{c4}' (对句相救)",
        ),
    ]


def _ao_jiu(
    verses: dict[int, _Verse], tone_issues: dict[tuple[int, int], Issue]
) -> tuple[list[Licence], dict[tuple[int, int], Issue | None]]:
    """Apply the 拗救 rules to every line: the licences granted, and for each (line, position)
    whose tone issue a rule settles, None (accepted) or the ``ao_jiu`` issue that replaces it."""
    licences: list[Licence] = []
    changes: dict[tuple[int, int], Issue | None] = {}

    def settle(verse: _Verse, found: Licence | list[Licence] | Issue | None) -> None:
        if found is None:
            return
        key = (verse.n, verse.at(4))
        if key not in tone_issues:  # only a position the pattern rejected is settled
            return
        if isinstance(found, Issue):
            changes[key] = found
            return
        changes[key] = None
        licences.extend(found if isinstance(found, list) else [found])

    for n, verse in sorted(verses.items()):
        settle(verse, _te_shu(verse))
        if n % 2 == 1:  # a 出句: its 对句 is the next line
            settle(verse, _dui_ju_xiang_jiu(verse, verses.get(n + 1)))
        found = _ben_ju_zi_jiu(verse)
        if found is not None:
            licences.append(found)
    return licences, changes


def _shape_issues(lines: list[str], form: Form) -> list[Issue]:
    issues = []
    if len(lines) != form.lines:
        issues.append(
            _issue(
                "line_count",
                f"{form.zh_name}应为{form.lines}句，实为{len(lines)}句",
                f"a {form.en_name} has {form.lines} lines but this poem has {len(lines)}",
                expected=str(form.lines),
                found=str(len(lines)),
            )
        )
    for n, (text, want) in enumerate(
        zip(lines, form.line_lengths, strict=False), start=1
    ):
        if len(text) != want:
            issues.append(
                _issue(
                    "line_length",
                    f"第{n}句应为{want}字，实为{len(text)}字（'{text}'）",
                    f"line {n} should have {want} characters but has {len(text)} ('{text}')",
                    line=n,
                    expected=str(want),
                    found=str(len(text)),
                )
            )
    return issues


def _sort_key(issue: Issue) -> tuple[int, int, int]:
    return (issue.line or 0, issue.position or 0, _RULE_ORDER[issue.rule])


def validate(poem: str, form: str | Form, rhyme: RhymeSystem = "pingshui") -> Report:
    """Check ``poem`` against ``form`` (a ``Form`` or any of its names) under ``rhyme``."""
    check_system(rhyme)
    shape = get_form(form)
    lines = split_lines(poem, shape)
    base = _shape_issues(lines, shape)
    best: tuple[list[Issue], str | None, list[Licence], Variant] | None = None
    for variant in shape.variants:
        issues, group, licences = _check_variant(lines, shape, variant, rhyme)
        if best is None or len(issues) < len(best[0]):
            best = (issues, group, licences, variant)
    assert best is not None  # every form has at least one variant
    issues, group, licences, variant = best
    modern = (
        sorted(
            {
                ch
                for text in lines
                for ch in text
                if any(r.source == "modern" for r in readings(ch, rhyme))
            }
        )
        if rhyme == "pingshui"
        else []
    )
    return Report(
        form=shape.name,
        form_zh=shape.zh_name,
        variant=variant.name,
        pattern=list(variant.pattern),
        rhyme_system=rhyme,
        rhyme_group=group,
        lines=lines,
        issues=sorted(base + issues, key=_sort_key),
        modern_readings=modern,
        licences=sorted(licences, key=lambda lc: (lc.line, lc.position)),
    )
