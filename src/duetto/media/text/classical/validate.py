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
choose to accept it). 孤平 and 三平尾 apply to 近体诗 only.

The poem's rhyme group is the one most of its rhyme positions share (ties go to the group of the
earliest rhyme), so a single stray rhyme is reported at its own line and nowhere else.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, computed_field

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
) -> tuple[list[Issue], str | None]:
    issues: list[Issue] = []
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
                issues.append(
                    _issue(
                        "tone",
                        f"{at_zh}应为{_TONE_ZH[want]}，实为{_tones_text(cls, 'zh')}",
                        f"{at_en} should be {_TONE_EN[want]} but is {_tones_text(cls, 'en')}",
                        line=n,
                        position=pos,
                        char=ch,
                        expected=want,
                        found="/".join(sorted(cls)),
                    )
                )
        if form.kind == "shi" and pattern[-1] == LEVEL:
            issues.extend(_gu_ping(n, text, classes))
            issues.extend(_san_ping_wei(n, text, classes))

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
    return issues, chosen


def _gu_ping(n: int, text: str, classes: list[frozenset[str]]) -> list[Issue]:
    """孤平: in a line ending on a level rhyme, the only other level character stands alone
    between oblique ones (仄平仄仄平, 仄仄仄平仄仄平). Flagged only when certain: a polyphonic
    character counts as level."""
    body = range(len(text) - 1)
    level = [i for i in body if LEVEL in classes[i]]
    if len(level) != 1:
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
    best: tuple[list[Issue], str | None, Variant] | None = None
    for variant in shape.variants:
        issues, group = _check_variant(lines, shape, variant, rhyme)
        if best is None or len(issues) < len(best[0]):
            best = (issues, group, variant)
    assert best is not None  # every form has at least one variant
    issues, group, variant = best
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
    )
