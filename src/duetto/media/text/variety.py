"""Variety among poems: what a brief requires in every variant, how alike two drafts are, and
how to choose several drafts that differ.

Four variants of one brief should be four poems, not one poem four times: a different leading
image, a different closing image, different wording, and each one still the brief's poem (its
落叶 and 金色 are in all four). The poet draws one pool of candidates for the whole set and
chooses by maximal marginal relevance (MMR): each next pick maximises

    quality − λ · max(similarity to the poems already chosen)

where similarity mixes character bigrams (wording), the imagery both use beyond what the brief
requires (what they look at) and whether they close on the same image (how they end). The same
measure keeps line alternatives apart from the poem's other lines and from each other.

Clichés a small model closes every autumn poem with (泪, 孤舟 …) are penalised on their own, so a
set does not converge on them even when every candidate reaches for them.

Everything here is plain text arithmetic (no model), so it is unit-tested directly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from duetto.media.text.analyse import (
    CLASSICAL_IMAGERY,
    ECHOES,
    brief_imagery,
    imagery_in,
)

T = TypeVar("T")

LAMBDA = 1.5
"""Weight of similarity against quality. Qualities are mean log-probs plus bonuses (spread about
±0.5 within one pool), so a near-copy (similarity ≈ 0.7) loses to a somewhat less fluent poem
and, among fluent ones, the more different wins."""

NEAR_COPY = 0.5
"""Char similarity (difflib ratio) at which a new line counts as a copy of another line."""

CLICHES_ZH: dict[str, float] = {"泪": 0.6, "孤舟": 0.5, "断肠": 0.5, "天涯": 0.3, "惆怅": 0.3}
"""Stock images a small model over-uses; the weight is the score lost when one closes the poem
(half of it anywhere else)."""

CLICHES_EN: dict[str, float] = {"tears": 0.6, "tear": 0.6, "soul": 0.3, "whisper": 0.3, "whispers": 0.3,
                                "embrace": 0.3}

COLOUR = re.compile(r"[金银红黄绿青白黑紫蓝碧翠朱丹赤苍]色")
HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[\s，。、！？；：,.!?;:\"'“”‘’()（）—\-]+")
_EN_SKIP = frozenset("a an the of on in at over under by to and or with from into its his her their my our "
                     "your this that these those is are was were".split())


# -- what the brief requires -------------------------------------------------------------------


@dataclass(frozen=True)
class Want:
    """An image every variant must hold: the word itself or one of its echoes (黄昏 as 暮)."""

    word: str
    echoes: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.word, *self.echoes)


def required_imagery(brief: str, keywords: Sequence[str], limit: int = 3) -> list[Want]:
    """The images a Chinese brief names, most concrete first: colours (金色, which the parser
    files under the palette, not the keywords) and the image each colours (金色的落叶), then the
    brief's two-character images (黄昏, 渔火: the parser may keep only 火) in the brief's order,
    then its other keywords; ``limit`` of them (a 28-character poem cannot hold six)."""
    vocabulary = [w for w in (*CLASSICAL_IMAGERY, *ECHOES) if len(w) > 1 and w in brief]
    named = sorted(dict.fromkeys(vocabulary), key=lambda w: (brief.index(w), -len(w)))
    named = [w for w in named if not any(w != o and w in o for o in named)]  # 秋日 inside nothing, 落叶 kept whole
    words: list[str] = []
    for m in COLOUR.finditer(brief):
        words.append(m.group())
        coloured = [w for w in named if m.end() <= brief.index(w) <= m.end() + 2]  # 金色的落叶
        words += coloured[:1]
    classical = [w for w in named if w in CLASSICAL_IMAGERY]
    words += classical + [w for w in named if w not in classical]
    words += [k for k in keywords if HAN.search(k)]
    words = list(dict.fromkeys(words))
    # a keyword inside a longer chosen word (风 in 西风, 火 in 渔火) is already required
    words = [w for w in words if not any(w != o and w in o for o in words)]
    return [Want(w, tuple(ECHOES.get(w, ()))) for w in words[:limit]]


def required_english(brief: str, keywords: Sequence[str], limit: int = 3) -> list[Want]:
    """An English brief's images: its keyword nouns (``limit`` of them) and the first modifier
    the brief puts before one of them (the *first* of "first snow", the *old* of "old
    lighthouse") as a word of its own, since a haiku about snow is not a haiku about first snow."""
    words = re.findall(r"[a-z]+", brief.lower())
    nouns = [k.lower().strip() for k in keywords if k.isascii() and k.strip()]
    modifiers = []
    for k in nouns:
        head = k.split()[0]
        if head in words:
            i = words.index(head)
            before = words[i - 1] if i > 0 else ""
            if before and before not in _EN_SKIP and len(before) > 2 and before not in nouns:
                modifiers.append(before)
    chosen = list(dict.fromkeys(nouns))[:limit] + modifiers[:1]
    return [Want(w) for w in chosen]


def holds(text: str, want: Want) -> bool:
    """Does ``text`` hold the image, whole or as an echo? (English: the word or its plural.)"""
    if HAN.search(want.word):
        if any(f in text for f in want.forms):
            return True
        return brief_imagery(text, [want.word])[0].found in ("whole", "echo")
    words = set(re.findall(r"[a-z]+", text.lower()))

    def has(stem: str) -> bool:  # the word or its plural (blossom, blossoms; cherry, cherries)
        return any(w == stem or w.rstrip("s") == stem.rstrip("s") or (stem.endswith("y") and w == stem[:-1] + "ies")
                   for w in words)

    parts = [p for p in re.findall(r"[a-z]+", want.word.lower()) if p not in _EN_SKIP] or [want.word.lower()]
    return all(has(p) for p in parts)  # "end of spring": end and spring


def coverage(text: str, wants: Sequence[Want]) -> float:
    return sum(holds(text, w) for w in wants) / len(wants) if wants else 1.0


# -- placing required words into slots ------------------------------------------------------------


@dataclass(frozen=True)
class SlotView:
    """What placement needs to know about one slot of a form: where it is and whether a
    character may stand there (the tone and rhyme rules, already evaluated)."""

    line: int
    position: int
    free: bool  # not a rhyme slot, not a refrain copy, not kept by a person


def place(slots: Sequence[SlotView], wants: Sequence[Want], fits: Callable[[int, str], bool],
          rng: np.random.Generator, whole_first: float = 0.75) -> dict[int, str]:
    """Characters forced into slots so that each wanted image is in the poem: slot index → char.

    Each image goes into a line no other image took, at a start that keeps the 二二三 rhythm
    (odd positions for two-character words), in a form whose every character ``fits`` its slot
    (tone, rhyme). The whole word is preferred (``whole_first``), else an echo; the spot is
    drawn by ``rng``, so the candidates of a pool put 落叶 in different lines. An image that
    fits nowhere is left to the model."""
    by_line: dict[int, list[int]] = {}
    for i, s in enumerate(slots):
        by_line.setdefault(s.line, []).append(i)
    out: dict[int, str] = {}
    used_lines: set[int] = set()
    for want in wants:
        forms = [f for f in want.forms if HAN.search(f)]
        options: list[tuple[str, list[int]]] = []
        for form in forms:
            for line, idx in by_line.items():
                if line in used_lines:
                    continue
                for start in range(len(idx) - len(form) + 1):
                    spot = idx[start:start + len(form)]
                    if len(form) > 1 and slots[spot[0]].position % 2 == 0:
                        continue  # 落叶 on positions 2-3 breaks the rhythm
                    if all(slots[j].free and j not in out and fits(j, ch) for j, ch in zip(spot, form, strict=True)):
                        options.append((form, spot))
        if not options:
            continue
        whole = [o for o in options if o[0] == want.word]
        pool = whole if whole and (len(whole) == len(options) or rng.random() < whole_first) else \
            [o for o in options if o[0] != want.word] or options
        form, spot = pool[int(rng.integers(len(pool)))]
        for j, ch in zip(spot, form, strict=True):
            out[j] = ch
        used_lines.add(slots[spot[0]].line)
    return out


# -- similarity ------------------------------------------------------------------------------------


def plain(text: str) -> str:
    """The text without spaces and punctuation: what similarity compares."""
    return _PUNCT.sub("", text.lower())


def char_similarity(a: str, b: str) -> float:
    """difflib's ratio on the bare characters: 1.0 is the same text, 0.0 nothing in common."""
    pa, pb = plain(a), plain(b)
    if not pa or not pb:
        return 0.0
    return difflib.SequenceMatcher(None, pa, pb, autojunk=False).ratio()


def grams(text: str) -> set[str]:
    """Character bigrams for Chinese, words for English: the units wording is compared in."""
    if HAN.search(text):
        p = plain(text)
        return {p[i:i + 2] for i in range(len(p) - 1)} or ({p} if p else set())
    return {w for w in re.findall(r"[a-z']+", text.lower()) if w not in _EN_SKIP}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def last_line(text: str) -> str:
    parts = [p for p in re.split(r"[\n。，！？；.!?;,]", text) if p.strip()]
    return parts[-1] if parts else ""


def images(text: str) -> set[str]:
    """The classical images a text uses (月, 落叶 …) or, for Latin text, its longer words."""
    if HAN.search(text):
        return set(imagery_in(text))
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in _EN_SKIP}


@dataclass(frozen=True)
class Likeness:
    """How alike two poems are, with the images every variant must share left out of the
    imagery term (four poems of 落叶 are not alike for holding 落叶)."""

    shared: frozenset[str] = field(default_factory=frozenset)

    def __call__(self, a: str, b: str) -> float:
        wording = jaccard(grams(a), grams(b))  # whole texts: a line that differs only in 落叶 is still a copy
        imagery = jaccard(images(a) - self.shared, images(b) - self.shared)
        ca, cb = images(last_line(a)), images(last_line(b))
        closing = jaccard(ca, cb) if ca and cb else 0.0
        return 0.5 * wording + 0.3 * imagery + 0.2 * closing


def shared_images(wants: Sequence[Want]) -> frozenset[str]:
    """The image words a brief requires, their echoes and the images ``images`` names in them
    (叶 in 落叶): what every variant holds, so no evidence of likeness."""
    out: set[str] = set()
    for w in wants:
        for f in w.forms:
            out |= ({f} | set(imagery_in(f))) if HAN.search(f) else {f.lower()}
    return frozenset(out)


similarity = Likeness()
"""Likeness with nothing shared: the plain measure."""


def cliche_penalty(text: str) -> float:
    """Score lost to stock images: the full weight in the closing line, half elsewhere."""
    zh = bool(HAN.search(text))
    table = CLICHES_ZH if zh else CLICHES_EN
    end = last_line(text).lower()
    body = text.lower()
    words = set(re.findall(r"[a-z]+", body))
    end_words = set(re.findall(r"[a-z]+", end))
    out = 0.0
    for word, weight in table.items():
        in_end = word in end if zh else word in end_words
        in_body = word in body if zh else word in words
        out += weight if in_end else 0.5 * weight if in_body else 0.0
    return out


# -- choosing ----------------------------------------------------------------------------------------


def mmr(items: Sequence[T], quality: Callable[[T], float], text: Callable[[T], str], k: int,
        lam: float = LAMBDA, alike: Callable[[str, str], float] = similarity) -> list[T]:
    """``k`` items chosen one at a time for quality minus ``lam`` × their greatest likeness to
    those already chosen; the first is simply the best. Ties keep the items' order, so the
    choice is deterministic."""
    left = list(range(len(items)))
    chosen: list[int] = []
    while left and len(chosen) < k:
        def gain(i: int) -> float:
            near = max((alike(text(items[i]), text(items[j])) for j in chosen), default=0.0)
            return quality(items[i]) - lam * near
        best = max(left, key=lambda i: (gain(i), -i))
        chosen.append(best)
        left.remove(best)
    return [items[i] for i in chosen]


def pick(items: Sequence[T], quality: Callable[[T], float], text: Callable[[T], str], index: int,
         lam: float = LAMBDA, alike: Callable[[str, str], float] = similarity) -> T:
    """The ``index``-th MMR choice of a pool (0 is the best): variant ``index`` of a set. Each
    variant computes the same order, so it replays alone and the set still differs."""
    order = mmr(items, quality, text, index + 1, lam, alike)
    return order[min(index, len(order) - 1)]


def too_close(line: str, others: Sequence[str], threshold: float = NEAR_COPY) -> bool:
    """Is ``line`` a near-copy of any of ``others`` (char similarity at or above ``threshold``)?"""
    return any(char_similarity(line, o) >= threshold for o in others if o.strip())
