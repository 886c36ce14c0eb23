"""Lines a person keeps: checking them and fitting the form's pattern and rhyme around them.

When an artist keeps line 2 of a 七绝 and asks the AI to rewrite the rest, the other lines must
rhyme with line 2 (when it is a rhyme line) and follow the variant that line 2 already fits. A
kept line is the person's choice and is never altered, even when it breaks a rule; the
validator then says exactly where, as it would for any human poem.
"""

from __future__ import annotations

from collections import Counter

from duetto.errors import InvalidInput
from duetto.media.text.classical.constraints import (
    char_table,
    choose_rhyme_groups,
    slots,
)
from duetto.media.text.classical.forms import Form, Variant
from duetto.media.text.classical.tones import RhymeSystem
from duetto.media.text.classical.validate import split_lines


def check_kept(form: Form, keep: dict[int, str]) -> dict[int, str]:
    """Kept lines as bare characters, each of the right length for its place in ``form``."""
    out: dict[int, str] = {}
    for n, line in sorted(keep.items()):
        if not 1 <= n <= form.lines:
            raise InvalidInput(f"{form.zh_name} has {form.lines} lines; there is no line {n}")
        chars = "".join(split_lines(line))
        want = form.line_lengths[n - 1]
        if len(chars) != want:
            raise InvalidInput(f"line {n} of a {form.zh_name} has {want} characters; {chars!r} has {len(chars)}",
                               hint="write the line without punctuation, one character per position")
        out[n] = chars
    return out


def lines_of(text: str, form: Form) -> list[str]:
    """The lines of a stored poem in ``form``; a clear error when it does not have the form's shape."""
    lines = split_lines(text, form)
    if len(lines) != form.lines or any(len(a) != b for a, b in zip(lines, form.line_lengths, strict=False)):
        raise InvalidInput(f"this text does not have the shape of a {form.zh_name} "
                           f"({form.lines} lines of {'/'.join(map(str, form.line_lengths))})",
                           hint="duetto check <version> says where it differs")
    return lines


def fit(form: Form, variant: Variant, keep: dict[int, str], system: RhymeSystem = "pingshui") -> int:
    """How many kept characters the variant's tone pattern accepts (rhyme ignored)."""
    table = char_table(system)
    return sum(
        table.allows(keep[s.line][s.position - 1], s.model_copy(update={"rhyme_groups": None}))
        for s in slots(form, variant, system=system) if s.line in keep
    )


def best_variant(form: Form, keep: dict[int, str], system: RhymeSystem = "pingshui") -> Variant:
    """The variant that the kept lines fit best (ties: the form's first)."""
    return max(form.variants, key=lambda v: fit(form, v, keep, system))


def kept_rhyme_group(form: Form, variant: Variant, keep: dict[int, str],
                     system: RhymeSystem = "pingshui") -> str | None:
    """The rhyme group that kept rhyme lines already commit the poem to, or None when no kept
    line ends on a rhyme position (or its last character rhymes in no group of the right tone)."""
    table = char_table(system)
    votes: Counter[str] = Counter()
    for n in variant.rhyme_lines:
        if n in keep:
            votes.update(table.groups_of(keep[n][-1], form.rhyme_tone if system == "pingshui" else None))
    if not votes:
        return None
    best = max(votes.values())
    tied = [g for g, c in votes.items() if c == best]
    # several groups fit (a character with two readings): prefer the wider group
    order = {g: i for i, g in enumerate(choose_rhyme_groups((), system=system, tone=form.rhyme_tone))}
    return min(tied, key=lambda g: order.get(g, len(order)))
