"""Repetition stopped while the model writes, and prose that ends on a full stop.

Small models loop: a 300-word story said a fifth of its sentences twice and copied a sentence
from one section into the next. Penalties (frequency, presence) only lower the odds; they do not
stop a model that is sure of itself. ``Guard`` is a logits processor (llama-cpp-python calls it
with the tokens so far and the next token's scores before sampling) that makes three things
impossible instead of unlikely:

* **n-gram blocking**: no run of ``ngram`` tokens is written twice, counting the text already
  written in the work (``avoid``: the sections before this one) as well as this completion;
* **sentence blocking**: a sentence already written anywhere in the work (normalised: case,
  spaces and punctuation ignored) cannot be ended again: when the sentence being written equals
  a known one, every token that would end it is banned, so the model has to say something else;
* **ending at a sentence**: after ``wrap_up_after`` tokens, the first time the text stands at the
  end of a sentence (closing quotes included) the end-of-turn token is forced, so a section stops
  on a full stop instead of running into ``max_tokens`` mid-clause.

With a JSON grammar (a script's scenes) only the text inside string *values* is guarded, and a
token that closes the string without ending a sentence (``"``, ``",``) is never banned, so the
grammar can always close its string (a line said again without its full stop is left to the
script checks after generation).

It is pure Python over token ids and their text pieces: the same tokens give the same bans, so
a seeded completion replays to the same text. The pieces come from the model's vocabulary
(``Vocabulary``), which the embedded provider builds once per model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

TERMINALS = ".!?。！？…"
SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’」』）)]*\s*$")
SENTENCE = re.compile(r"[^.!?。！？…]+[.!?。！？…]+[\"'”’」』）)]*|[^.!?。！？…]+$")
OPEN_QUOTES = {"“": "”", "「": "」", "『": "』"}
MIN_SENTENCE = 4  # normalised characters: "Yes." and "嗯。" may be said again


def normalise(sentence: str) -> str:
    """What makes two sentences the same sentence: their letters and digits, lower-cased."""
    return re.sub(r"[\W_]+", "", sentence.lower())


def split_sentences(text: str) -> list[str]:
    """Whole sentences (and a trailing unfinished one), each with its end marks and quotes."""
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def known_sentences(texts: Sequence[str]) -> set[str]:
    return {k for t in texts for s in split_sentences(t) if len(k := normalise(s)) >= MIN_SENTENCE}


def ends_sentence(text: str) -> bool:
    """``text`` stands at the end of a sentence, with every quote it opened closed."""
    if not SENTENCE_END.search(text.rstrip()) and not SENTENCE_END.search(text):
        return False
    return text.count('"') % 2 == 0 and all(text.count(o) <= text.count(c) for o, c in OPEN_QUOTES.items())


@dataclass
class Vocabulary:
    """Each token's bytes, and which tokens end a sentence or hold a quote; built once per model."""

    pieces: list[bytes]
    eos: int

    ending: np.ndarray = field(init=False)  # token ids whose piece holds a sentence end mark
    closing: np.ndarray = field(init=False)  # bool mask: closes a JSON string and ends no sentence
    spellings: dict[int, list[int]] = field(init=False)  # token → every token of the same word

    def __post_init__(self) -> None:
        text = [p.decode("utf-8", errors="ignore") for p in self.pieces]
        ends = [any(c in p for c in TERMINALS) for p in text]
        self.ending = np.array([i for i, e in enumerate(ends) if e], dtype=np.int64)
        # '"', '",' and '"}' stay free so the grammar can always close a string; '."' can be banned
        self.closing = np.array([b'"' in p and not e for p, e in zip(self.pieces, ends, strict=True)], dtype=bool)
        # " stairs", "stairs" and " Stairs" are one word: a banned word is banned in every spelling,
        # or the model writes "thestairs" round the ban
        groups: dict[str, list[int]] = {}
        for i, piece in enumerate(text):
            key = piece.strip().lower()
            if len(key) >= 2:
                groups.setdefault(key, []).append(i)
        self.spellings = {i: ids for ids in groups.values() if len(ids) > 1 for i in ids}


VALUE = re.compile(r':\s*"((?:[^"\\]|\\.)*)("?)')


def json_values(text: str) -> list[tuple[str, bool]]:
    """The string values of (possibly unfinished) JSON text, each with whether it is closed."""
    return [(m.group(1), bool(m.group(2))) for m in VALUE.finditer(text)]


@dataclass
class Guard:
    """The logits processor; one per completion (it keeps the completion's state)."""

    vocab: Vocabulary
    tokenize: Callable[[str], list[int]]
    avoid: Sequence[str] = ()
    ngram: int = 0
    block_sentences: bool = False
    wrap_up_after: int | None = None
    json_mode: bool = False

    prompt_len: int | None = field(default=None, init=False)
    bans: int = field(default=0, init=False)  # how often a ban changed the model's first choice
    forced_end: bool = field(default=False, init=False)
    _seen: dict[tuple[int, ...], set[int]] = field(default_factory=dict, init=False)
    _avoided: set[str] = field(default_factory=set, init=False)
    _bytes: bytes = field(default=b"", init=False)
    _tokens: list[int] = field(default_factory=list, init=False)
    _segment_start: int = field(default=0, init=False)  # JSON: first token of the current string

    def __post_init__(self) -> None:
        # JSON mode: the string values of earlier replies (plain text, a Fountain script, is taken whole)
        segments = [v for t in self.avoid for v in ([v for v, _ in json_values(t)] or [t])] if self.json_mode \
            else list(self.avoid)
        if self.ngram > 1:
            for segment in segments:
                self._remember_all(self.tokenize(segment))
        if self.block_sentences:
            self._avoided = known_sentences(segments)

    @property
    def text(self) -> str:
        return self._bytes.decode("utf-8", errors="ignore")

    def _remember_all(self, tokens: Sequence[int]) -> None:
        n = self.ngram
        for i in range(len(tokens) - n + 1):
            self._seen.setdefault(tuple(tokens[i:i + n - 1]), set()).add(tokens[i + n - 1])

    def _advance(self, input_ids: Sequence[int]) -> None:
        """Take in the tokens sampled since the last call."""
        if self.prompt_len is None:
            self.prompt_len = len(input_ids)
        for tok in (int(t) for t in input_ids[self.prompt_len + len(self._tokens):]):
            self._tokens.append(tok)
            piece = self.vocab.pieces[tok] if 0 <= tok < len(self.vocab.pieces) else b""
            self._bytes += piece
            if self.json_mode and b'"' in piece:
                self._segment_start = len(self._tokens)
            elif self.ngram > 1 and (not self.json_mode or self.in_value()):
                own = self._tokens[self._segment_start:]
                if len(own) >= self.ngram:
                    self._remember_all(own[-self.ngram:])

    def segments(self) -> list[tuple[str, bool]]:
        """The guarded texts written so far, each with whether it is finished."""
        return json_values(self.text) if self.json_mode else [(self.text, False)]

    def in_value(self) -> bool:
        """JSON mode: inside a string value (after ``": "``), where the prose is."""
        values = json_values(self.text)
        return bool(values) and not values[-1][1] and self.text.endswith(values[-1][0]) \
            and self.text[: len(self.text) - len(values[-1][0])].rstrip().endswith('"')

    def known(self) -> tuple[set[str], str]:
        """Sentences already written (the work's and this completion's), and the one being written."""
        known = set(self._avoided)
        current = ""
        for k, (segment, closed) in enumerate(self.segments()):
            parts = split_sentences(segment)
            last_open = not closed and k == len(self.segments()) - 1
            if last_open and parts and not SENTENCE_END.search(segment):
                current = parts.pop()
            elif last_open and segment and not parts:
                current = segment
            known |= {n for s in parts if len(n := normalise(s)) >= MIN_SENTENCE}
        return known, current

    # -- the processor ----------------------------------------------------------------------------

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        self._advance(input_ids)
        text = self.text
        if self.wrap_up_after is not None and not self.json_mode and len(self._tokens) >= self.wrap_up_after \
                and text.strip() and ends_sentence(text):
            self.forced_end = True
            forced = np.full_like(scores, -np.inf)
            forced[self.vocab.eos] = 0.0
            return forced
        if self.json_mode and not self.in_value():
            return scores
        banned: list[int] = []
        if self.ngram > 1:
            own = self._tokens[self._segment_start:]
            if len(own) >= self.ngram - 1:
                for tok in self._seen.get(tuple(own[-(self.ngram - 1):]), ()):
                    banned += self.vocab.spellings.get(tok, [tok])
        if self.block_sentences:
            known, current = self.known()
            if current and normalise(current) in known:
                banned += self.vocab.ending.tolist()
        if not banned:
            return scores
        ids = np.unique(np.array(banned, dtype=np.int64))
        ids = ids[(ids >= 0) & (ids < len(scores)) & (ids != self.vocab.eos)]
        if self.json_mode:
            ids = ids[~self.vocab.closing[ids]]
        if ids.size == 0:
            return scores
        out = scores.copy()
        top = int(np.argmax(scores))
        out[ids] = -np.inf
        if not np.isfinite(out).any():  # never leave the sampler nothing to choose
            return scores
        if top in ids:
            self.bans += 1
        return out
