"""Check an English poem against its form and say exactly which line breaks which rule.

The same validator judges a generated poem and a poem a human wrote::

    line 2 has 8 syllables, haiku wants 7
    line 4 'date' does not rhyme with 'temperate' (B)

Rules: ``line_count``, ``syllables`` (no reading of the line's words gives a count in the
form's range), ``feminine_ending`` (the extra syllable is stressed), ``rhyme`` (a line's last
word shares no rhyme key with its group's), ``repeated_rhyme`` (the same word rhyming twice).
A word with several pronunciations (every: 2 or 3 syllables) passes if any reading fits.

The group's rhyme is the key most of its lines share (ties: the earliest line's), so one stray
rhyme is reported at its own line and nowhere else. Soft results, never failures: ``metre`` (the
share of polysyllabic words' stresses that fall where iambic metre wants them; monosyllables can
go either way) and ``guessed`` (words the dictionary lacks, counted from their spelling).
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, computed_field

from duetto.media.text.english.forms import EnglishForm, get_english_form
from duetto.media.text.english.pronounce import (
    Dictionary,
    dictionary,
    line_syllables,
    normalise,
    words_of,
)

Rule = Literal["line_count", "syllables", "feminine_ending", "rhyme", "repeated_rhyme"]
_RULE_ORDER = {r: i for i, r in enumerate(Rule.__args__)}  # type: ignore[attr-defined]


class Issue(BaseModel):
    line: int | None  # 1-based; None for the poem as a whole
    word: str | None
    rule: Rule
    expected: str | None
    found: str | None
    message: str


class Report(BaseModel):
    form: str
    lines: list[str]
    syllables: list[int]  # per line: the reading that fits, else the one nearest the range
    rhyme_words: list[str | None]  # last word of each line
    scheme: str
    issues: list[Issue]
    metre: float | None  # iambic score 0..1 (sonnet only)
    guessed: list[str]  # words counted from their spelling

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.issues


def poem_lines(poem: str) -> list[str]:
    """Non-blank lines, stripped; stanza breaks do not count as lines."""
    return [line.strip() for line in poem.splitlines() if words_of(line)]


def fitting_count(counts: frozenset[int], lo: int, hi: int) -> int:
    """The count in [lo, hi] if one is possible, else the possible count nearest the range."""
    inside = [c for c in sorted(counts) if lo <= c <= hi]
    if inside:
        return inside[0]
    return min(counts, key=lambda c: (lo - c) if c < lo else (c - hi))


def _syllable_issues(n: int, line: str, form: EnglishForm, d: Dictionary) -> tuple[int, list[Issue]]:
    lo, hi = form.syllables[n - 1]
    counts = line_syllables(line, d)
    found = fitting_count(counts, lo, hi)
    if lo <= found <= hi:
        return found, []
    if form.feminine_ending and hi + 1 in counts:
        last = words_of(line)[-1]
        if any(s.endswith("0") for s in d.lookup(last).stresses):
            return hi + 1, []
        return hi + 1, [Issue(
            line=n, word=last, rule="feminine_ending", expected=form.wants(n), found=str(hi + 1),
            message=f"line {n} has {hi + 1} syllables but ends on a stressed syllable ('{last}'); "
                    f"{form.name} wants {form.wants(n)}",
        )]
    unit = "syllable" if found == 1 else "syllables"
    return found, [Issue(
        line=n, word=None, rule="syllables", expected=form.wants(n),
        found="/".join(map(str, sorted(counts))),
        message=f"line {n} has {found} {unit}, {form.name} wants {form.wants(n)}",
    )]


def _rhyme_issues(ends: list[str | None], form: EnglishForm, d: Dictionary) -> list[Issue]:
    issues: list[Issue] = []
    for letter in dict.fromkeys(c for c in form.scheme if c != "-"):
        members = [n for n, c in enumerate(form.scheme, start=1) if c == letter and n <= len(ends) and ends[n - 1]]
        keys = {n: d.lookup(ends[n - 1] or "").rhymes for n in members}
        counts = Counter(k for ks in keys.values() for k in ks)
        if not counts:
            continue
        best = max(counts.values())
        chosen = next(sorted(k for k in keys[n] if counts[k] == best)[0] for n in members
                      if any(counts[k] == best for k in keys[n]))
        anchor = next(n for n in members if chosen in keys[n])
        seen: dict[str, int] = {}
        for n in members:
            word = ends[n - 1] or ""
            if chosen not in keys[n]:
                issues.append(Issue(
                    line=n, word=word, rule="rhyme", expected=ends[anchor - 1], found=word,
                    message=f"line {n} '{word}' does not rhyme with '{ends[anchor - 1]}' ({letter})",
                ))
                continue
            w = normalise(word)
            first = seen.setdefault(w, n)
            if first != n and not (first == 1 and n == form.repeat_first_rhyme_at):
                issues.append(Issue(
                    line=n, word=word, rule="repeated_rhyme", expected=None, found=word,
                    message=f"line {n} repeats the rhyme word '{word}' of line {first} ({letter})",
                ))
    return issues


def iambic_score(line: str, d: Dictionary) -> tuple[int, int]:
    """(stresses where iambic metre wants them, stresses judged) over polysyllabic words."""
    pos, hits, judged = 0, 0, 0
    for w in words_of(line):
        p = d.lookup(w)
        n = p.count
        if n > 1 and p.stresses:
            pattern = next((s for s in p.stresses if len(s) == n), p.stresses[0])
            for i, s in enumerate(pattern):
                if s == "2":
                    continue
                judged += 1
                hits += (s == "1") == ((pos + i) % 2 == 1)
        pos += n
    return hits, judged


def validate(poem: str, form: str | EnglishForm, d: Dictionary | None = None) -> Report:
    """Check ``poem`` against ``form`` (an ``EnglishForm`` or any of its names)."""
    shape = get_english_form(form)
    d = d or dictionary()
    lines = poem_lines(poem)
    issues: list[Issue] = []
    if len(lines) != shape.lines:
        issues.append(Issue(
            line=None, word=None, rule="line_count", expected=str(shape.lines), found=str(len(lines)),
            message=f"a {shape.name} has {shape.lines} lines but this poem has {len(lines)}",
        ))
    counts: list[int] = []
    for n, line in enumerate(lines[: shape.lines], start=1):
        found, problems = _syllable_issues(n, line, shape, d)
        counts.append(found)
        issues += problems
    ends = [(words_of(line) or [None])[-1] for line in lines]
    issues += _rhyme_issues(ends, shape, d)
    metre = None
    if shape.iambic:
        scores = [iambic_score(line, d) for line in lines]
        judged = sum(j for _, j in scores)
        metre = round(sum(h for h, _ in scores) / judged, 3) if judged else None
    guessed = sorted({normalise(w) for line in lines for w in words_of(line) if d.lookup(w).guessed})
    issues.sort(key=lambda i: (i.line or 0, _RULE_ORDER[i.rule]))
    return Report(form=shape.name, lines=lines, syllables=counts, rhyme_words=ends, scheme=shape.scheme,
                  issues=issues, metre=metre, guessed=guessed)
