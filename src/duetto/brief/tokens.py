"""Text → a flat list of tokens, each tagged with its lexicon term (or ``None``: not understood).

Chinese runs go through jieba, which knows every lexicon word (``add_word``) so that 线条流畅
or 色彩丰富 stay whole; a jieba word the lexicon does not know is then scanned for lexicon words
inside it (更暗 → 更 + 暗, 风中 → 风 + 中), because jieba's dictionary is much larger than ours and
often glues a degree word to its head. English is matched as lower-case words, longest phrase
first, with light stemming for comparatives and plurals (warmer, bigger, lines).

jieba is imported only when a text contains Chinese, and its tokenizer is built once per process:
loading its dictionary takes about half a second, parsing afterwards takes well under a
millisecond. After construction the tokenizer is only read, like the lexicon maps.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from duetto.brief.lexicon import Lexicon, Term, lexicon

if TYPE_CHECKING:
    import jieba

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECE = re.compile(
    rf"(?P<zh>[{_CJK}]+)"
    r"|(?P<en>[A-Za-z]+(?:'[A-Za-z]+)?)"
    r"|(?P<join>[\s\-_、&/]+)"
    r"|(?P<cut>[，。,.;；!！?？:：\n\r…()（）\[\]【】「」『』\"“”]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_BOUNDARY = Term("boundary")
_MAX_PHRASE = 4  # longest English phrase in the lexicon, in words


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written (English lower-cased)
    term: Term | None  # None: not understood
    lang: Literal["zh", "en", "none"]


def detect_language(text: str) -> Literal["zh", "en", "mixed", "none"]:
    """By script, not by vocabulary: a brief in words we do not know is still Chinese."""
    zh = len(re.findall(rf"[{_CJK}]", text))
    en = len(re.findall(r"[A-Za-z]", text))
    if zh and en >= 2:
        return "mixed"
    if zh:
        return "zh"
    return "en" if en else "none"


def has_chinese(text: str) -> bool:
    return re.search(rf"[{_CJK}]", text) is not None


@functools.cache
def _jieba() -> jieba.Tokenizer:
    """A private jieba tokenizer that knows the lexicon (the global ``jieba.dt`` is left alone)."""
    import jieba  # lazy: English-only use must not pay for it

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for word in lexicon().zh:
        if len(word) > 1:
            tok.add_word(word)
    return tok


def tokenize(text: str) -> list[Token]:
    """Tokens in text order; clause punctuation becomes ``boundary`` tokens."""
    lex = lexicon()
    out: list[Token] = []
    words: list[str] = []  # pending English words, matched as phrases when the run ends
    for m in _PIECE.finditer(text.replace("\u2019", "'")):  # isn’t → isn't
        kind = m.lastgroup
        if kind == "en":
            words.append(m.group().lower())
            continue
        if kind == "join":
            continue
        out.extend(_english(words, lex))
        words = []
        if kind == "zh":
            out.extend(_chinese(m.group(), lex))
        elif kind == "cut":
            out.append(Token(m.group(), _BOUNDARY, "none"))
    out.extend(_english(words, lex))
    return out


# ---------------------------------------------------------------------------------------------
# English


def _english(words: list[str], lex: Lexicon) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            found = (phrase, lex.en.get(phrase)) if n > 1 else _lookup_word(phrase, lex)
            if found[1] is not None:
                out.append(Token(found[0], found[1], "en"))
                i += n
                break
        else:
            out.append(Token(words[i], None, "en"))
            i += 1
    return out


def _lookup_word(word: str, lex: Lexicon) -> tuple[str, Term | None]:
    """Exact word, then comparative/plural stems (warmer, bigger, happier, reds, bluer);
    returns the form found so that "reds" is recorded as the colour "red"."""
    term = lex.en.get(word)
    if term is not None:
        return word, term
    for stem in _stems(word):
        term = lex.en.get(stem)
        if term is not None and term.kind not in ("stop", "degree", "negation", "conj", "enough"):
            return stem, term
    return word, None


def _stems(word: str) -> list[str]:
    stems: list[str] = []
    if word.endswith(("ier", "ies")):
        stems.append(word[:-3] + "y")
    if word.endswith(("er", "est")):
        cut = 2 if word.endswith("er") else 3
        base = word[:-cut]
        stems += [base, base + "e"]
        if len(base) > 2 and base[-1] == base[-2]:  # bigger → big, redder → red
            stems.append(base[:-1])
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        stems.append(word[:-1])
    return [s for s in stems if len(s) > 1]


# ---------------------------------------------------------------------------------------------
# Chinese


def _chinese(run: str, lex: Lexicon) -> list[Token]:
    pieces = _jieba().lcut(run)
    out: list[Token] = []
    i = 0
    while i < len(pieces):
        for n in (3, 2, 1):  # rejoin what jieba split: 线条+流畅 when the lexicon has 线条流畅
            joined = "".join(pieces[i : i + n])
            if i + n <= len(pieces) and joined in lex.zh:
                out.append(Token(joined, lex.zh[joined], "zh"))
                i += n
                break
        else:
            out.extend(_scan(pieces[i], lex))
            i += 1
    return out


_BOUND_KINDS = frozenset({"negation", "too", "degree", "lacking", "enough", "conj"})
"""One-character function words that, after unknown characters inside one jieba word, are part
of that word: 穿过 and 经过 are not 太, 淹没 is not 没有, 分别 is not 别."""


def _scan(word: str, lex: Lexicon) -> list[Token]:
    """Forward maximum matching inside a word jieba kept whole but the lexicon does not know."""
    out: list[Token] = []
    unknown = ""
    j = 0
    while j < len(word):
        for n in range(min(lex.zh_longest, len(word) - j), 0, -1):
            piece = word[j : j + n]
            if piece in lex.zh and not (n == 1 and unknown and lex.zh[piece].kind in _BOUND_KINDS):
                if unknown:
                    out.append(Token(unknown, None, "zh"))
                    unknown = ""
                out.append(Token(piece, lex.zh[piece], "zh"))
                j += n
                break
        else:
            unknown += word[j]
            j += 1
    if unknown:
        out.append(Token(unknown, None, "zh"))
    return out
