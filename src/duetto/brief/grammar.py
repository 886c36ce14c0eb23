"""Tokens → hits: each content word with the degree and polarity its clause gives it.

The grammar is deliberately small, because briefs and feedback are short and mostly fragments:

* clauses end at punctuation and at 但是/but; nothing carries across a clause;
* a relative word (多, 少, bigger, fewer) next to an aspect noun (线条, shapes) becomes one
  effect from ``PAIRS``: 线条少 lowers line.amount, "bigger shapes" raises shape_size;
* a degree word multiplies the next content word, or the previous one when it can follow its
  head (暖一点, 更温暖一些 = 更 × 一些); with nothing to the right it falls back to the left;
* 太/too and an unpaired less/少 invert the next (else previous) content word: "too dark" asks
  for lighter;
* a lacking word (不够, 缺少, lacks) asks for more of its word, and "not … enough" is read as one
  (不够亮, "not warm enough", "not enough blue" all push *toward* the quality); a lone "enough"
  ("warm enough") settles its word: feedback then leaves it alone;
* a negation (不要, no, without) covers its head (the first content word after it) and a list
  joined to it (不要红色和蓝色, "no red or blue"); a new positive request ends it: a more/less or
  lacking word ("no red more blue", 不要红色 蓝色多一点: the 多 after 蓝色 frees 蓝色 too), a
  size phrase ("no red and bigger shapes"), or "and"/和 followed by a degree word ("without
  yellow and much greener"). "or" keeps the list going.
"""

from __future__ import annotations

from dataclasses import dataclass

from duetto.brief.lexicon import PAIRS, UNPAIRED, Term
from duetto.brief.tokens import Token

CONTENT_KINDS = frozenset({"quality", "colour", "mood", "imagery", "style", "style_hint", "form", "composition"})
_SKIPPABLE = frozenset({"stop", "degree", "conj"})
_LACKING = Term("lacking")


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
    relative: str = ""  # the relative word it was made from ("bigger shapes": "big")
    settled: bool = False  # "warm enough", 够亮了: understood, but feedback asks no change there


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
    _enough(slots)
    content = [i for i, s in enumerate(slots) if isinstance(s, Hit)]
    negating = False
    head: Hit | None = None  # the first hit the current negation covers
    joined = ""  # conjunction ("and"/"or") since the last negated hit
    for i, slot in enumerate(slots):
        if isinstance(slot, Hit):
            if negating and head is not None and (
                slot.fresh or (slot.relative and joined != "or")
            ):
                negating = False  # "no red and bigger shapes": a new, positive request
            slot.negated = negating
            if negating:
                head = head or slot
                joined = ""
            continue
        if slot is None:
            continue
        term = slot.term
        assert term is not None
        listed = negating and head is not None  # a negation that already covers something
        if term.kind == "negation":
            negating, head, joined = True, None, ""
        elif term.kind == "conj":
            joined = term.key if listed else joined
        elif term.kind == "degree":
            target = _degree_target(i, slot, slots, content)
            if target is not None:
                target.factor *= term.factor
            if listed and joined == "and":  # "without yellow and much greener"
                negating = False
        elif term.kind == "lacking":
            if listed:  # 不要红色 蓝色不够: 蓝色 is wanted, not refused
                negating = False
                _release(i, slots, head)
        elif term.kind == "too" or (term.kind == "relative" and term.key == "less"):
            target = _next_or_previous(i, slots, content)
            if target is not None:
                target.inverted = not target.inverted
            if listed and term.kind == "relative":  # 不要红色 蓝色少一点
                negating = False
                _release(i, slots, head)
        elif term.kind == "relative" and term.key == "more" and listed:
            negating = False  # "no red and more blue": a new, positive request
            _release(i, slots, head)  # 不要红色 蓝色多一点
    return [slots[i] for i in content]  # type: ignore[misc]


def _release(i: int, slots: list[Hit | Token | None], head: Hit | None) -> None:
    """A more/less/lacking word right after a listed (not head) hit frees it from the negation:
    in 不要红色 蓝色多一点 the 多 says 蓝色 is wanted."""
    for j in range(i - 1, -1, -1):
        slot = slots[j]
        if _slot_kind(slot) in ("", "degree"):
            continue
        if isinstance(slot, Hit) and slot.negated and slot is not head:
            slot.negated = False
        return


def _enough(slots: list[Hit | Token | None]) -> None:
    """"not warm enough", "not enough blue", 不太够: the negation becomes a lacking word (ask for
    more); a lone "enough" settles the hit beside it ("warm enough now")."""
    for k, slot in enumerate(slots):
        if not isinstance(slot, Token) or _kind(slot) != "enough":
            continue
        slots[k] = None
        n = _negation_before(k, slots)
        if n is not None:
            neg = slots[n]
            assert isinstance(neg, Token)
            slots[n] = Token(neg.text, _LACKING, neg.lang)
            for j in range(n + 1, k):  # 不太够: "not quite enough" is still "more"
                if _slot_kind(slots[j]) == "too":
                    slots[j] = None
            continue
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(slots) and _slot_kind(slots[j]) in ("", "degree"):
                j += step
            beside = slots[j] if 0 <= j < len(slots) else None
            if isinstance(beside, Hit):
                beside.settled = True
                break


def _negation_before(k: int, slots: list[Hit | Token | None]) -> int | None:
    """The negation an "enough" at k answers: at most one content word and only function words
    between ("not warm enough", "not enough", "isn't quite bright enough")."""
    hits = 0
    for j in range(k - 1, -1, -1):
        slot = slots[j]
        if slot is None:
            continue
        if isinstance(slot, Hit):
            hits += 1
            if hits > 1:
                return None
            continue
        kind = _kind(slot)
        if kind == "negation":
            return j
        if kind not in ("degree", "too"):
            return None
    return None


def _kind(tok: Token) -> str:
    return tok.term.kind if tok.term is not None else ""


def _slot_kind(slot: Hit | Token | None) -> str:
    """"hit", a function word's kind, or "" for an empty slot."""
    if isinstance(slot, Hit):
        return "hit"
    return _kind(slot) if slot is not None else ""


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
            key = slot.term.key
            slots[i] = Hit(text, Term("quality", push=push), slot.lang, fresh=key == "more",
                           relative=key)
        elif slot.term.key in UNPAIRED:
            key = slot.term.key
            slots[i] = Hit(slot.text, Term("quality", push=UNPAIRED[key]), slot.lang, relative=key)
    for i, tok in enumerate(clause):
        push = PAIRS.get((_key(tok), "more"))
        aspect = tok.term is not None and tok.term.kind == "aspect" and i not in claimed
        if not (aspect and push):
            continue
        # 线条不够, 缺少细节, "not enough lines": more of them; "no more lines", 不要线条: a negated
        # aspect, fewer (the negation inverts it)
        if _wants_more(i, clause) or _after_negation(i, clause):
            slots[i] = Hit(tok.text, Term("quality", push=push), tok.lang)
    return slots


def _key(tok: Token) -> str:
    return tok.term.key if tok.term is not None else ""


def _wants_more(i: int, clause: list[Token]) -> bool:
    """An aspect next to a lacking word or inside "not … enough": 线条不够, 缺少细节,
    "lacks detail", "not enough lines", "lines aren't enough"."""
    prev, nxt = _neighbour(i, clause, -1), _neighbour(i, clause, 1)
    if prev is not None:
        kind = _kind(clause[prev])
        if kind == "lacking":
            return True
        before = _neighbour(prev, clause, -1)
        if kind == "enough" and before is not None and _kind(clause[before]) == "negation":
            return True
    if nxt is None:
        return False
    after = _neighbour(nxt, clause, 1)
    after_kind = _kind(clause[after]) if after is not None else ""
    if _kind(clause[nxt]) == "lacking":  # but 颜色不够丰富: 不够 is about 丰富
        return after_kind not in CONTENT_KINDS
    return _kind(clause[nxt]) == "negation" and after_kind == "enough"


def _neighbour(i: int, clause: list[Token], step: int) -> int | None:
    """The nearest token from i in direction step that is not a stop or degree word."""
    j = i + step
    while 0 <= j < len(clause):
        if _kind(clause[j]) not in _SKIPPABLE:
            return j
        j += step
    return None


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
            if term is None or isinstance(slots[j], Hit):
                return None
            if term.kind not in _SKIPPABLE and term.kind != "lacking":  # 线条不够多
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
