"""Tokens → hits: each content word with the degree and polarity its clause gives it.

The grammar is deliberately small, because briefs and feedback are short and mostly fragments:

* clauses end at punctuation and at 但是/but; nothing carries across a clause;
* a relative word (多, 少, bigger, fewer) next to an aspect noun (线条, shapes) becomes one
  effect from ``PAIRS``: 线条少 lowers line.amount, "bigger shapes" raises shape_size;
* a degree word multiplies the next content word, or the previous one when it can follow its
  head (暖一点, 更温暖一些 = 更 × 一些); with nothing to the right it falls back to the left;
* 太/too and an unpaired less/少 invert the next (else previous) content word: "too dark" asks
  for lighter;
* a negation (不要, no, without) covers every content word after it in the clause until a
  "more" word starts a new request ("no red and more blue").
"""

from __future__ import annotations

from dataclasses import dataclass

from duetto.brief.lexicon import PAIRS, UNPAIRED, Term
from duetto.brief.tokens import Token

CONTENT_KINDS = frozenset({"quality", "colour", "mood", "imagery", "style", "composition"})
_SKIPPABLE = frozenset({"stop", "degree"})


@dataclass(slots=True)
class Hit:
    """A content word in context: ``factor`` from degree words; ``negated`` by 不要/no;
    ``inverted`` by 太/too/less (ask for the opposite, or for less of a colour)."""

    text: str
    term: Term
    lang: str
    factor: float = 1.0
    negated: bool = False
    inverted: bool = False
    fresh: bool = False  # made from a "more" word: ends an earlier negation


def clauses(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.term is not None and tok.term.kind == "boundary":
            out.append([])
        else:
            out[-1].append(tok)
    return [c for c in out if c]


def resolve(clause: list[Token]) -> list[Hit]:
    """Hits of one clause, in order. Unknown tokens are skipped (the caller reports them)."""
    slots = _pair(clause)
    content = [i for i, s in enumerate(slots) if isinstance(s, Hit)]
    negating = False
    for i, slot in enumerate(slots):
        if isinstance(slot, Hit):
            negating = negating and not slot.fresh
            slot.negated = negating
            continue
        if slot is None:
            continue
        term = slot.term
        assert term is not None
        if term.kind == "negation":
            negating = True
        elif term.kind == "degree":
            target = _degree_target(i, slot, slots, content)
            if target is not None:
                target.factor *= term.factor
        elif term.kind == "too" or (term.kind == "relative" and term.key == "less"):
            target = _next_or_previous(i, slots, content)
            if target is not None:
                target.inverted = not target.inverted
        elif term.kind == "relative" and term.key == "more":
            negating = False  # "no red and more blue": a new, positive request
    return [slots[i] for i in content]  # type: ignore[misc]


def _pair(clause: list[Token]) -> list[Hit | Token | None]:
    """Content tokens become Hits, function words None; a relative next to an aspect fuses
    into one Hit at the relative's place; unpaired size words and negated aspects become Hits;
    other modifiers stay Tokens for ``resolve``."""
    slots: list[Hit | Token | None] = []
    for tok in clause:
        if tok.term is not None and tok.term.kind in CONTENT_KINDS:
            slots.append(Hit(tok.text, tok.term, tok.lang))
        elif tok.term is None or tok.term.kind in ("stop", "medium"):
            slots.append(None)
        else:
            slots.append(tok)
    claimed: set[int] = set()
    for i, slot in enumerate(slots):
        if not isinstance(slot, Token) or slot.term is None or slot.term.kind != "relative":
            continue
        at = _adjacent_aspect(i, slots, clause, prefer_left=slot.lang == "zh")
        push = PAIRS.get((_key(clause[at]), slot.term.key)) if at is not None else None
        if at is not None and push is not None:
            claimed.add(at)
            text = f"{clause[at].text}{'' if slot.lang == 'zh' else ' '}{slot.text}"
            fresh = slot.term.key == "more"
            slots[i] = Hit(text, Term("quality", push=push), slot.lang, fresh=fresh)
        elif slot.term.key in UNPAIRED:
            slots[i] = Hit(slot.text, Term("quality", push=UNPAIRED[slot.term.key]), slot.lang)
    for i, tok in enumerate(clause):  # "no more lines", 不要线条: a negated aspect means fewer
        push = PAIRS.get((_key(tok), "more"))
        aspect = tok.term is not None and tok.term.kind == "aspect" and i not in claimed
        if aspect and push and _after_negation(i, clause):
            slots[i] = Hit(tok.text, Term("quality", push=push), tok.lang)
    return slots


def _key(tok: Token) -> str:
    return tok.term.key if tok.term is not None else ""


def _after_negation(i: int, clause: list[Token]) -> bool:
    """A negation stands before position i with only stop and degree words between."""
    for tok in reversed(clause[:i]):
        if tok.term is not None and tok.term.kind == "negation":
            return True
        if tok.term is None or tok.term.kind not in _SKIPPABLE:
            return False
    return False


def _adjacent_aspect(
    i: int, slots: list[Hit | Token | None], clause: list[Token], *, prefer_left: bool
) -> int | None:
    """Index of an aspect next to position i, skipping only stop and degree words."""

    def walk(step: int) -> int | None:
        j = i + step
        while 0 <= j < len(clause):
            term = clause[j].term
            if term is not None and term.kind == "aspect":
                return j
            if term is None or term.kind not in _SKIPPABLE or isinstance(slots[j], Hit):
                return None
            j += step
        return None

    first, second = (-1, 1) if prefer_left else (1, -1)
    found = walk(first)
    return found if found is not None else walk(second)


def _degree_target(
    i: int, tok: Token, slots: list[Hit | Token | None], content: list[int]
) -> Hit | None:
    assert tok.term is not None
    if tok.term.post:
        before = [j for j in range(i - 1, -1, -1) if slots[j] is not None]
        after = [j for j in content if j > i]
        if before and isinstance(slots[before[0]], Hit) and (tok.lang == "zh" or not after):
            return slots[before[0]]  # type: ignore[return-value]
    return _next_or_previous(i, slots, content)


def _next_or_previous(i: int, slots: list[Hit | Token | None], content: list[int]) -> Hit | None:
    after = [j for j in content if j > i]
    if after:
        return slots[after[0]]  # type: ignore[return-value]
    before = [j for j in content if j < i]
    return slots[before[-1]] if before else None  # type: ignore[return-value]
