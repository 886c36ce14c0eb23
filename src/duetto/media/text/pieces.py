"""The model's vocabulary as text, for verse decoded token by token (English forms, free verse).

``CharVocab`` (decode.py) keeps only single CJK characters; modern verse needs whole words,
spaces, punctuation and newlines. ``TokenPieces`` decodes every token once (~150k, a few
seconds), keeps the ones that are whole UTF-8 text, and caches them as JSON next to the model,
keyed by the model's identity. The masks the writers need are derived from it in memory.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from duetto.media.text.decode import is_cjk
from duetto.media.text.english.pronounce import Dictionary

ENGLISH_PIECE = re.compile(r"^ ?[A-Za-z]+(?:'[A-Za-z]+)?$|^'[a-z]{1,2}$|^ ?[,.;:!?]$|^ ?—$|^-$")
"""Pieces an English line may use: a word or part of one (with an optional leading space), a
contraction's tail, or one punctuation mark. Digits, symbols and code never fit a poem."""
ZH_PUNCT = set("，。、！？；：…—“”")
STOP_ENDS = frozenset(
    "a an the and or but nor of in on at to for from by with as into onto upon than that which who "
    "whose whom my your his her its our their this these those is are was were be been am do does "
    "did has have had not no so if then when where while i we you he she they it me us them "
    "o oh thy thine thou through across over under beneath above below around like unlike till until "
    "about against toward towards without within among between behind along very just every each "
    "some any such".split()
)
"""Words a line should not end on, and that a constructed rhyme may not be."""


@dataclass
class TokenPieces:
    n_vocab: int
    pieces: dict[int, str]
    newline: int
    end: int  # <|im_end|>: the model's end of answer

    @classmethod
    def build(cls, llm: object, cache: Path | None = None) -> TokenPieces:
        newline = llm.tokenize(b"\n", add_bos=False, special=False)[0]  # type: ignore[attr-defined]
        end = llm.tokenize(b"<|im_end|>", add_bos=False, special=True)[0]  # type: ignore[attr-defined]
        if cache is not None and cache.exists():
            data = json.loads(cache.read_text(encoding="utf-8"))
            return cls(data["n_vocab"], {int(k): v for k, v in data["pieces"].items()}, newline, end)
        n_vocab = llm.n_vocab()  # type: ignore[attr-defined]
        pieces: dict[int, str] = {}
        for tid in range(n_vocab):
            try:
                text = llm.detokenize([tid]).decode("utf-8")  # type: ignore[attr-defined]
            except UnicodeDecodeError:
                continue  # a byte fragment of a longer character
            if text and ("\n" not in text or text == "\n"):
                pieces[tid] = text
        out = cls(n_vocab, pieces, newline, end)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".part")
            tmp.write_text(json.dumps({"n_vocab": n_vocab, "pieces": pieces}, ensure_ascii=False), encoding="utf-8")
            tmp.replace(cache)
        return out

    def mask(self, ids: list[int] | set[int]) -> np.ndarray:
        out = np.zeros(self.n_vocab, dtype=bool)
        out[list(ids)] = True
        return out

    # -- English -------------------------------------------------------------------------------

    @functools.cached_property
    def english(self) -> np.ndarray:
        return self.mask({t for t, p in self.pieces.items() if ENGLISH_PIECE.match(p)})

    @functools.cached_property
    def word_start(self) -> np.ndarray:
        """Pieces that begin a new word mid-line (" leaves")."""
        return self.english & self.mask({t for t, p in self.pieces.items() if p[:1] == " " and p[1:2].isalpha()})

    @functools.cached_property
    def line_start(self) -> np.ndarray:
        """Pieces a line may open with: a word without its leading space ("Golden")."""
        return self.english & self.mask({t for t, p in self.pieces.items() if p[:1].isalpha()})

    @functools.cached_property
    def punctuation(self) -> np.ndarray:
        return self.english & self.mask({t for t, p in self.pieces.items() if not any(c.isalpha() for c in p)})

    def words(self, d: Dictionary) -> dict[int, str]:
        """Single-token lower-case dictionary words (" leaves" → "leaves"): the words a rhyme
        can be built from. Being one token also makes them common words."""
        return {t: p[1:] for t, p in self.pieces.items()
                if p[:1] == " " and p[1:].isalpha() and p[1:].islower() and len(p) > 2 and p[1:] in d}

    def tokens_for(self, word: str) -> list[int]:
        """Single tokens spelling ``word`` with or without a leading space, any capitalisation."""
        forms = {word, word.lower(), word.capitalize()}
        wanted = forms | {" " + f for f in forms}
        return [t for t, p in self.pieces.items() if p in wanted]

    # -- Chinese -------------------------------------------------------------------------------

    @functools.cached_property
    def chinese(self) -> np.ndarray:
        """Pieces of CJK characters and Chinese punctuation only (no Latin, no digits)."""
        return self.mask({t for t, p in self.pieces.items()
                          if all(is_cjk(c) or c in ZH_PUNCT for c in p)})
