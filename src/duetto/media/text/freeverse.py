"""Free verse (自由诗, 现代诗) in Chinese or English: drafted whole, repaired lightly, re-ranked.

Free verse has no fixed shape, so nothing is constrained slot by slot. The model drafts a few
whole poems from one evaluated prompt (only text of the poem's language can be sampled: no
Latin in a Chinese poem, no digits or code anywhere), each draft is tidied (a repeated line
dropped, a prose-long line split at its punctuation, the unfinished tail of a draft cut off at
the token limit dropped), and the drafts are ranked: valid first, then the model's mean
log-probability + the brief's imagery − repetition.

The validator is light on purpose, since free verse is free; it catches what is not a poem:

* ``line_count``: 3 to 40 lines (generation aims at 4-10);
* ``repeated_line``: the same line twice (a refrain is a choice, a loop is a defect);
* ``prose_line``: a line longer than 30 characters (Chinese) or 20 words (English) reads as
  a paragraph, not a line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, computed_field

from duetto.media.text.decode import is_cjk, last_logits, log_softmax
from duetto.media.text.english.pronounce import words_of
from duetto.media.text.pieces import STOP_ENDS, TokenPieces

Language = Literal["zh", "en"]
NAMES = ("free verse", "freeverse", "自由诗", "现代诗", "新诗", "vers libre", "modern poem", "modern poetry")
MIN_LINES, MAX_LINES = 3, 40
GEN_MIN_LINES, GEN_MAX_LINES = 4, 10
MAX_CHARS_ZH, MAX_WORDS_EN = 30, 20
KEYWORD_BIAS = 0.7
FREQUENCY_PENALTY = 0.5  # per earlier use of the same token in the draft: small models loop
MAX_TOKENS = {"zh": 120, "en": 150}
Progress = Callable[[float, str], None]


def is_free_verse(name: str | None) -> bool:
    return bool(name) and re.sub(r"[\s\-_]+", " ", name.strip().lower()) in NAMES  # type: ignore[union-attr]


class FreeIssue(BaseModel):
    line: int | None
    rule: Literal["line_count", "repeated_line", "prose_line"]
    message: str


class FreeReport(BaseModel):
    form: str
    language: Language
    lines: list[str]
    issues: list[FreeIssue]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.issues


def language_of(text: str) -> Language:
    cjk = sum(1 for c in text if is_cjk(c))
    return "zh" if cjk >= len(re.findall(r"[A-Za-z]+", text)) and cjk else "en"


def length_of(line: str, language: Language) -> int:
    return sum(1 for c in line if is_cjk(c)) if language == "zh" else len(words_of(line))


def verse_lines(poem: str) -> list[str]:
    return [line.strip() for line in poem.splitlines() if line.strip()]


def validate_free(poem: str, language: Language | None = None) -> FreeReport:
    """Check a free-verse poem (anyone's); the language is read from the text when not given."""
    lang = language or language_of(poem)
    lines = verse_lines(poem)
    issues: list[FreeIssue] = []
    if not MIN_LINES <= len(lines) <= MAX_LINES:
        issues.append(FreeIssue(line=None, rule="line_count",
                                message=f"free verse here has {MIN_LINES}-{MAX_LINES} lines but this poem has {len(lines)}"))
    seen: dict[str, int] = {}
    limit, unit = (MAX_CHARS_ZH, "characters") if lang == "zh" else (MAX_WORDS_EN, "words")
    for n, line in enumerate(lines, start=1):
        key = re.sub(r"\W+", "", line.lower())
        if key in seen:
            issues.append(FreeIssue(line=n, rule="repeated_line", message=f"line {n} repeats line {seen[key]}: '{line}'"))
        seen.setdefault(key, n)
        size = length_of(line, lang)
        if size > limit:
            issues.append(FreeIssue(line=n, rule="prose_line",
                                    message=f"line {n} has {size} {unit}, prose rather than a line (at most {limit})"))
    return FreeReport(form="自由诗" if lang == "zh" else "free verse", language=lang, lines=lines, issues=issues)


# --- repair -------------------------------------------------------------------------------------

_BREAK = {"zh": re.compile(r"(?<=[，。；！？、])"), "en": re.compile(r"(?<=[,;.!?])\s+")}


def tidy(text: str, language: Language, complete: bool) -> str:
    """Drop an unfinished last line, split prose-long lines at punctuation, drop repeats, cap."""
    raw = text.split("\n")
    if not complete and len(raw) > 1:
        raw = raw[:-1]
    limit = MAX_CHARS_ZH if language == "zh" else MAX_WORDS_EN
    out: list[str] = []
    seen: set[str] = set()
    for line in raw:
        parts = [line]
        if length_of(line, language) > limit:
            parts = [p for p in _BREAK[language].split(line) if p.strip()]
        for part in parts:
            part = part.strip()
            key = re.sub(r"\W+", "", part.lower())
            if not key:
                if out and out[-1] != "":
                    out.append("")  # a stanza break, once
                continue
            if key in seen or length_of(part, language) > limit:
                continue
            seen.add(key)
            out.append(part)
    kept = 0
    final: list[str] = []
    for line in out:
        if line and kept == GEN_MAX_LINES:
            break
        kept += bool(line)
        final.append(line)
    poem = "\n".join(final).strip()
    if language == "zh" and poem[-1:] in "，、；：":
        poem = poem[:-1] + "。"  # a poem does not stop on a comma
    return poem


# --- drafting -----------------------------------------------------------------------------------


@dataclass
class Draft:
    text: str
    mean_logprob: float
    complete: bool
    report: FreeReport
    relevance: float = 0.0
    repeats: int = 0
    score: float = 0.0


def draft(llm: object, prompt_len: int, prompt_logits: np.ndarray, pieces: TokenPieces, language: Language,
          rng: np.random.Generator, temperature: float, keyword_bias: np.ndarray) -> Draft:
    llm.n_tokens = prompt_len  # type: ignore[attr-defined]
    logits = prompt_logits
    base = pieces.chinese if language == "zh" else pieces.english
    text, total, n = "", 0.0, 0
    counts: Counter[int] = Counter()
    complete = False
    for _ in range(MAX_TOKENS[language]):
        natural = log_softmax(logits)
        allowed = base.copy()
        lines_done = len(verse_lines(text))
        if text and not text.endswith("\n\n"):
            allowed[pieces.newline] = True  # a line break; two make a stanza break
        if lines_done >= GEN_MIN_LINES and text.endswith("\n"):
            allowed[pieces.end] = True
        bias = keyword_bias.copy()
        for tok, c in counts.items():
            bias[tok] -= FREQUENCY_PENALTY * c
        scores = np.where(allowed, logits + bias, -np.inf)
        probs = np.exp(log_softmax(scores / max(temperature, 1e-3)))
        probs[~np.isfinite(probs)] = 0.0
        tok = int(rng.choice(len(probs), p=probs / probs.sum()))
        total += float(natural[tok])
        n += 1
        if tok == pieces.end:
            complete = True
            break
        piece = pieces.pieces[tok]
        if piece.strip() and not re.fullmatch(r"\W+", piece):
            counts[tok] += 1
        text += piece
        if lines_done >= GEN_MAX_LINES:
            complete = True
            break
        llm.eval([tok])  # type: ignore[attr-defined]
        logits = last_logits(llm)
    poem = tidy(text, language, complete)
    return Draft(poem, total / max(1, n), complete, validate_free(poem, language))


def score(d: Draft, language: Language, keywords: list[str]) -> Draft:
    """Fluency + imagery − repetition, the same recipe as the classical re-ranker."""
    if language == "zh":
        wanted = {c for k in keywords for c in k if is_cjk(c)}
        chars = [c for c in d.text if is_cjk(c)]
        d.relevance = len(wanted & set(chars)) / max(1, min(len(wanted), len(chars)))
        grams = Counter("".join(chars[i:i + 2]) for i in range(len(chars) - 1))
        d.repeats = sum(c - 1 for c in grams.values() if c > 1)
    else:
        wanted = {w.lower()[:5] for k in keywords for w in words_of(k)}
        words = [w.lower() for w in words_of(d.text)]
        content = [w for w in words if w not in STOP_ENDS and len(w) > 2]
        d.relevance = len(wanted & {w[:5] for w in content}) / max(1, len(wanted))
        d.repeats = len(content) - len(set(content))
    d.score = d.mean_logprob + 1.5 * d.relevance - 0.1 * d.repeats
    return d


def write(llm: object, prompt: list[int], pieces: TokenPieces, language: Language, rng: np.random.Generator, *,
          candidates: int, temperature: float, keywords: list[str],
          progress: Progress | None = None) -> list[Draft]:
    """``candidates`` drafts, best first (valid ones before any that failed the validator)."""
    llm.reset()  # type: ignore[attr-defined]
    llm.eval(prompt)  # type: ignore[attr-defined]
    logits = last_logits(llm)
    bias = np.zeros(pieces.n_vocab, dtype=np.float32)
    for k in keywords:
        forms = [k] if language == "zh" else words_of(k)
        for w in forms:
            bias[pieces.tokens_for(w)] += KEYWORD_BIAS
    drafts = []
    for i in range(candidates):
        drafts.append(score(draft(llm, len(prompt), logits, pieces, language, rng, temperature, bias), language, keywords))
        if progress is not None:
            progress((i + 1) / candidates, f"draft {i + 1}/{candidates}")
    return sorted(drafts, key=lambda d: (not d.report.ok, -d.score))
