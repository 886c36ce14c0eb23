"""Constrained decoding, one character per slot: form by construction.

A classical poem is a grid of slots (line × position), each allowing only characters of one tone
class, and at rhyme positions only characters of one rhyme group. Instead of a generic grammar
matcher (which costs seconds per poem), we precompute which vocabulary tokens decode to exactly
one CJK character, turn each slot's rule into a boolean mask over the vocabulary, and sample from
the masked logits ourselves with a seeded numpy generator. Candidates branch from the evaluated
prompt by rewinding ``n_tokens`` (llama.cpp drops the KV cache past it), so the prompt is paid once.

Everything here is deterministic for a fixed model file, build, thread count and seed.
"""

from __future__ import annotations

import ctypes
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MaskFor = Callable[[int, list[str]], np.ndarray]
"""``mask_for(slot_index, chars_so_far) -> bool[n_vocab]``: which tokens may fill this slot."""


def is_cjk(ch: str) -> bool:
    return len(ch) == 1 and unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


@dataclass
class CharVocab:
    """The model's single-character CJK tokens: ``char → token id`` and back.

    Building it walks the whole vocabulary (~150k tokens), so it is cached as JSON next to the
    model file, keyed by the model's identity."""

    n_vocab: int
    char_to_token: dict[str, int]

    @property
    def token_to_char(self) -> dict[int, str]:
        return {t: c for c, t in self.char_to_token.items()}

    def mask(self, chars: set[str] | frozenset[str]) -> np.ndarray:
        out = np.zeros(self.n_vocab, dtype=bool)
        ids = [self.char_to_token[c] for c in chars if c in self.char_to_token]
        out[ids] = True
        return out

    @classmethod
    def build(cls, llm: object, cache: Path | None = None) -> CharVocab:
        if cache is not None and cache.exists():
            data = json.loads(cache.read_text(encoding="utf-8"))
            return cls(n_vocab=data["n_vocab"], char_to_token=data["chars"])
        n_vocab = llm.n_vocab()  # type: ignore[attr-defined]
        chars: dict[str, int] = {}
        for tid in range(n_vocab):
            piece = llm.detokenize([tid])  # type: ignore[attr-defined]
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError:
                continue  # a byte fragment of a longer character
            if is_cjk(text) and text not in chars:
                chars[text] = tid
        vocab = cls(n_vocab=n_vocab, char_to_token=chars)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".part")
            tmp.write_text(json.dumps({"n_vocab": n_vocab, "chars": chars}, ensure_ascii=False), encoding="utf-8")
            tmp.replace(cache)
        return vocab


@dataclass
class Candidate:
    text: str
    chars: list[str]
    logprob: float  # model log-probability of the chosen characters (unmasked): naturalness
    slots: int
    info: dict[str, float] = field(default_factory=dict)

    @property
    def mean_logprob(self) -> float:
        return self.logprob / max(1, self.slots)


def last_logits(llm: object) -> np.ndarray:
    """Logits of the last evaluated token, read straight from llama.cpp (copied)."""
    import llama_cpp

    n_vocab = llm.n_vocab()  # type: ignore[attr-defined]
    ptr = llama_cpp.llama_get_logits_ith(llm.ctx, -1)  # type: ignore[attr-defined]
    return np.ctypeslib.as_array(ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float)), shape=(n_vocab,)).copy()


def log_softmax(x: np.ndarray) -> np.ndarray:
    m = np.max(x[np.isfinite(x)])
    z = x - m
    return z - np.log(np.sum(np.exp(z[np.isfinite(z)])))


def decode_slots(
    llm: object,
    prompt: list[int],
    vocab: CharVocab,
    n_slots: int,
    mask_for: MaskFor,
    after: Callable[[int], str],
    rng: np.random.Generator,
    temperature: float = 0.8,
    repeat_penalty: float = 2.0,
    bias: np.ndarray | None = None,
    fixed: Callable[[int], str | None] | None = None,
    slot_bias: dict[int, np.ndarray] | None = None,
    prompt_logits: np.ndarray | None = None,
) -> Candidate:
    """Fill ``n_slots`` characters; ``after(i)`` is text forced after slot i (punctuation, newline).

    ``fixed(i)`` names a character a person chose for slot i (a kept line): it is fed to the
    model as written, even when it is no single token, and left out of the log-probability,
    which scores only what the model chose. Repeated characters are penalised in the logits
    (classical poems avoid them) and ``bias`` is added to every step (-inf bans a token); both
    shape sampling only (``slot_bias`` adds a bias at one slot), the reported log-probability is
    the model's own.

    ``prompt_logits`` are the logits after the prompt (``last_logits`` right after evaluating it):
    rewinding ``n_tokens`` does not restore llama.cpp's logits buffer, which still holds the last
    token of the previous candidate, so every candidate after the first needs them."""
    llm.n_tokens = len(prompt)  # type: ignore[attr-defined]  # rewind to the shared prompt
    pending = prompt_logits  # logits not yet in llama.cpp's buffer
    t2c = vocab.token_to_char
    chars: list[str] = []
    text = ""
    total = 0.0
    free = 0
    # characters of kept lines count as used from the start: a new line should not echo them
    kept_chars = {c for j in range(n_slots) if (c := fixed(j)) is not None} if fixed is not None else set()
    for i in range(n_slots):
        kept = fixed(i) if fixed is not None else None
        if kept is not None:
            chars.append(kept)
            text += kept + after(i)
            llm.eval(llm.tokenize((kept + after(i)).encode("utf-8"), add_bos=False, special=False))  # type: ignore[attr-defined]
            pending = None
            continue
        free += 1
        logits = pending.copy() if pending is not None else last_logits(llm)
        pending = None
        natural = log_softmax(logits)
        allowed = mask_for(i, chars)
        if not allowed.any():
            raise RuntimeError(f"no character of the model's vocabulary fits slot {i}")
        shaped = logits if bias is None else logits + bias
        if slot_bias and i in slot_bias:
            shaped = shaped + slot_bias[i]
        scores = np.where(allowed, shaped, -np.inf)
        if not np.isfinite(scores).any():  # the bias banned every allowed token: ignore it here
            scores = np.where(allowed, logits, -np.inf)
        for c in set(chars) | kept_chars:
            tid = vocab.char_to_token.get(c)
            if tid is not None and allowed[tid]:
                scores[tid] -= repeat_penalty
        probs = np.exp(log_softmax(scores / max(temperature, 1e-3)))
        probs[~np.isfinite(probs)] = 0.0
        tok = int(rng.choice(len(probs), p=probs / probs.sum()))
        total += float(natural[tok])
        ch = t2c[tok]
        chars.append(ch)
        text += ch
        forced = after(i)
        llm.eval([tok])  # type: ignore[attr-defined]
        if forced:
            text += forced
            llm.eval(llm.tokenize(forced.encode("utf-8"), add_bos=False, special=False))  # type: ignore[attr-defined]
    return Candidate(text=text, chars=chars, logprob=total, slots=free)


def chatml(system: str, user: str, prefix: str = "") -> str:
    """Qwen's chat format; ``prefix`` starts the assistant's answer (e.g. a title line)."""
    return (
        f"<|im_start|>system\n{system}<|im_end|>\n"
        f"<|im_start|>user\n{user}<|im_end|>\n"
        f"<|im_start|>assistant\n{prefix}"
    )
