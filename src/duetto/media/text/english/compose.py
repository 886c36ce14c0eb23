"""Write an English haiku, limerick or sonnet line by line, so that its form holds by construction.

For each line the embedded model continues the poem so far several times (candidates branch from
the evaluated context by rewinding ``n_tokens``). While a candidate is sampled its words are
counted; every word boundary is a place where the line could end:

* **cut** — the words so far fit the line's syllable range (and, on a rhyme line, the last word
  rhymes): end the line here. The model's own newline is the natural cut.
* **built** — the words so far leave room for 1-3 more syllables: end with the single-token word
  the model scores highest *at this point* among words of the right syllable count (and on a
  rhyme line, of the group's rhyme key). That is how a line that overshoots, or never rhymes by
  itself, is repaired.

Every ending of every candidate is scored by the model's mean log-probability, plus the brief's
imagery, minus words repeated from earlier lines; the best is kept and evaluated into the
context. A line that opens a rhyme group must end on a word with enough rhyme partners in the
vocabulary, so the group can always be closed. When no candidate offers any ending (rare), more
are drawn. Everything is seeded: same model file, build, threads and seed, same poem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from duetto.errors import EngineFailure
from duetto.media.text.decode import last_logits, log_softmax
from duetto.media.text.english.forms import EnglishForm
from duetto.media.text.english.pronounce import (
    Dictionary,
    line_syllables,
    normalise,
    words_of,
)
from duetto.media.text.pieces import STOP_ENDS, TokenPieces

MAX_BUILT = 3  # a built ending adds a word of at most this many syllables
PARTNERS = 4  # a rhyme group's first word needs this many rhyme partners in the vocabulary
KEYWORD_BIAS = 1.0  # nudge towards the brief's imagery words while sampling
REPEAT_BIAS = 2.0  # and away from content words the poem already used
ROUNDS = 4  # draws of candidates before giving up on a line
CHECKED = 8  # best endings checked for an unfinished last word, per draw
UNFINISHED = 0.5  # a word is a fragment when the model gives its continuation this much probability
INLINE_REPEAT = 1.5  # "to fall, to fall, to fall": a word used in this line is discouraged
Progress = Callable[[float, str], None]
PROMPT_WORDS = ["AABBA", "ABAB", "CDCD", "EFEF", "GG", "syllable", "syllables", "rhyme", "rhyming", "rhymes",
                "Mood", "limerick", "haiku", "sonnet", "couplet", "bouncy", "stanza", "verse", "poem", "lines"]


@dataclass
class Ending:
    """One way to finish a line: its tokens (without the newline), text and model score."""

    tokens: list[int]
    text: str
    logprob: float
    built: bool
    score: float = 0.0


@dataclass
class LineRule:
    lo: int
    hi: int
    rhyme: frozenset[str] | None  # keys the last word must share; None: free
    opens: bool  # first line of a rhyme group
    used_ends: set[str] = field(default_factory=set)


class RhymeBook:
    """The vocabulary's single-token words by syllable count and by rhyme key."""

    def __init__(self, pieces: TokenPieces, d: Dictionary) -> None:
        self.words = {t: w for t, w in pieces.words(d).items() if w not in STOP_ENDS}
        self.n_vocab = pieces.n_vocab
        self.syllables = {t: d.lookup(w).syllables for t, w in self.words.items()}
        self.keys = {t: d.lookup(w).rhymes for t, w in self.words.items()}
        by_key: dict[str, set[str]] = {}  # partners short enough to be placed by construction
        for t, ks in self.keys.items():
            if min(self.syllables[t]) <= MAX_BUILT:
                for k in ks:
                    by_key.setdefault(k, set()).add(self.words[t])
        self.partners = {k: len(v) for k, v in by_key.items()}
        self.by_syllables = {s: self._mask(t for t, c in self.syllables.items() if s in c) for s in range(1, MAX_BUILT + 1)}
        self.rhymable = self._mask(t for t, ks in self.keys.items() if any(self.partners.get(k, 0) > PARTNERS for k in ks))
        self._key_masks: dict[frozenset[str], np.ndarray] = {}

    def _mask(self, ids: object) -> np.ndarray:
        out = np.zeros(self.n_vocab, dtype=bool)
        out[list(ids)] = True  # type: ignore[call-overload]
        return out

    def rhyming(self, keys: frozenset[str]) -> np.ndarray:
        if keys not in self._key_masks:
            self._key_masks[keys] = self._mask(t for t, ks in self.keys.items() if ks & keys)
        return self._key_masks[keys]

    def end_mask(self, rule: LineRule, used_tokens: np.ndarray) -> np.ndarray:
        """Which words may be placed at the end of this line by construction."""
        if rule.rhyme is not None:
            return self.rhyming(rule.rhyme) & ~used_tokens
        if rule.opens:
            return self.rhymable & ~used_tokens
        return np.ones(self.n_vocab, dtype=bool) & ~used_tokens


class LineWriter:
    """Samples candidate lines from the current context and picks the best ending."""

    def __init__(self, llm: object, pieces: TokenPieces, book: RhymeBook, d: Dictionary,
                 rng: np.random.Generator, temperature: float, keywords: list[str]) -> None:
        self.llm, self.pieces, self.book, self.d = llm, pieces, book, d
        self.rng, self.temperature = rng, temperature
        self.keywords = [k.lower() for k in keywords]
        self.bias = np.zeros(pieces.n_vocab, dtype=np.float32)
        for word in self.keywords:
            for w in words_of(word):
                self.bias[pieces.tokens_for(w)] += KEYWORD_BIAS
        self.used: dict[str, int] = {}  # content words of the lines written so far
        self.openings: list[int] = []  # first token of each line written so far

    def avoid(self, words: list[str]) -> None:
        """Never sample these words (the prompt's own instructions: a small model echoes them)."""
        for w in words:
            self.bias[self.pieces.tokens_for(w)] = -np.inf

    def end_ok(self, word: str, rule: LineRule) -> bool:
        w = normalise(word)
        if w in STOP_ENDS or w in rule.used_ends or "'" in w:  # it's, that's: no line ends there
            return False
        keys = self.d.lookup(w).rhymes
        if rule.rhyme is not None:
            return bool(keys & rule.rhyme)
        if rule.opens:
            return not self.d.lookup(w).guessed and any(self.book.partners.get(k, 0) > PARTNERS for k in keys)
        return True

    def draw(self, base: int, base_logits: np.ndarray, rule: LineRule, max_tokens: int) -> list[Ending]:
        """One sampled continuation of the line, and every ending it offers."""
        llm, p = self.llm, self.pieces
        llm.n_tokens = base  # type: ignore[attr-defined]  # rewind to the poem so far
        logits = base_logits
        tokens: list[int] = []
        lps: list[float] = []
        text = ""
        endings: list[Ending] = []
        used_mask = np.zeros(p.n_vocab, dtype=bool)
        for w in rule.used_ends:
            used_mask[p.tokens_for(w)] = True
        bias = self.bias.copy()
        for w, n in self.used.items():
            bias[p.tokens_for(w)] -= REPEAT_BIAS * n
        for t in self.openings[-2:]:  # "The … / The … / The …": vary how lines open
            bias[t] -= REPEAT_BIAS
        for step in range(max_tokens):
            natural = log_softmax(logits)
            counts = line_syllables(text, self.d) if text else frozenset({0})
            words = words_of(text)
            fits = any(rule.lo <= c <= rule.hi for c in counts)
            at_end_ok = bool(words) and fits and self.end_ok(words[-1], rule)
            allowed = p.line_start if step == 0 else p.english.copy()
            if step and at_end_ok:
                allowed = allowed.copy()
                allowed[p.newline] = True
            scores = np.where(allowed, logits + bias, -np.inf)
            probs = np.exp(log_softmax(scores / max(self.temperature, 1e-3)))
            probs[~np.isfinite(probs)] = 0.0
            tok = int(self.rng.choice(len(probs), p=probs / probs.sum()))
            boundary = step > 0 and (tok == p.newline or p.word_start[tok] or p.punctuation[tok])
            if boundary and words:
                if at_end_ok:  # cut here: the words so far are a whole line
                    endings.append(Ending(list(tokens), text, sum(lps) + float(natural[p.newline]), False))
                endings += self._built(tokens, text, lps, natural, counts, rule, used_mask)
                if tok == p.newline or min(counts) >= rule.hi:
                    break
            lps.append(float(natural[tok]))
            tokens.append(tok)
            if p.word_start[tok] or step == 0:
                bias[tok] -= INLINE_REPEAT
            text += p.pieces[tok]
            llm.eval([tok])  # type: ignore[attr-defined]
            logits = last_logits(llm)
        return endings

    def _built(self, tokens: list[int], text: str, lps: list[float], natural: np.ndarray,
               counts: frozenset[int], rule: LineRule, used_mask: np.ndarray) -> list[Ending]:
        out = []
        allowed = self.book.end_mask(rule, used_mask)
        for s in range(1, MAX_BUILT + 1):
            if not any(rule.lo <= c + s <= rule.hi for c in counts):
                continue
            cand = allowed & self.book.by_syllables[s]
            if not cand.any():
                continue
            scored = np.where(cand, natural, -np.inf)
            tok = int(np.argmax(scored))
            if not np.isfinite(scored[tok]):
                continue
            out.append(Ending(tokens + [tok], text + " " + self.book.words[tok], sum(lps) + float(scored[tok]), True))
        return out

    def score(self, e: Ending) -> float:
        """Mean log-probability + imagery − repeated words − a small premium on built ends."""
        words = [normalise(w) for w in words_of(e.text)]
        content = [w for w in words if w not in STOP_ENDS and len(w) > 2]
        hits = sum(1 for w in content if any(w.startswith(k[:4]) or k.startswith(w[:4]) for k in self.keywords))
        repeats = sum(self.used.get(w, 0) for w in content) + len(content) - len(set(content))
        mean = e.logprob / (len(e.tokens) + 1)
        return mean + 0.4 * min(hits, 2) - 0.5 * repeats - (0.3 if e.built else 0.0)

    def finished(self, base: int, e: Ending) -> bool:
        """Does the model take the last word as whole? After " sym" or " un" it wants to go on
        ("symphony", "unfurl"): such a fragment may not end a line."""
        self.llm.n_tokens = base  # type: ignore[attr-defined]
        self.llm.eval(e.tokens)  # type: ignore[attr-defined]
        probs = np.exp(log_softmax(last_logits(self.llm)))
        return float(probs[self.pieces.line_start].sum()) < UNFINISHED

    def write(self, base: int, base_logits: np.ndarray, rule: LineRule, n: int, previous: list[str]) -> Ending:
        max_tokens = 2 * rule.hi + 8
        for _ in range(ROUNDS):
            endings = [e for _ in range(n) for e in self.draw(base, base_logits, rule, max_tokens)]
            for e in endings:
                e.score = self.score(e)
            seen = {x.strip().lower() for x in previous}
            ranked = sorted((e for e in endings if _tidy(e.text).lower() not in seen), key=lambda e: -e.score)
            for e in ranked[:CHECKED]:
                if self.finished(base, e):
                    return e
        rhyme = f" rhyming on {sorted(rule.rhyme)}" if rule.rhyme is not None else ""
        raise EngineFailure(f"no line of {rule.lo}-{rule.hi} syllables{rhyme} could be written after {ROUNDS * n} tries "
                            f"(previous lines: {previous})")

    def commit(self, base: int, e: Ending) -> tuple[int, np.ndarray]:
        """Evaluate the chosen line (and its newline) into the context."""
        self.llm.n_tokens = base  # type: ignore[attr-defined]
        self.llm.eval(e.tokens + [self.pieces.newline])  # type: ignore[attr-defined]
        self.openings.append(e.tokens[0])
        for w in words_of(e.text):
            w = normalise(w)
            if w not in STOP_ENDS and len(w) > 2:
                self.used[w] = self.used.get(w, 0) + 1
        return self.llm.n_tokens, last_logits(self.llm)  # type: ignore[attr-defined]


def compose(llm: object, prompt: list[int], form: EnglishForm, pieces: TokenPieces, book: RhymeBook,
            d: Dictionary, rng: np.random.Generator, *, candidates: int, temperature: float,
            keywords: list[str], progress: Progress | None = None,
            lean: np.ndarray | None = None) -> tuple[list[str], list[dict[str, object]]]:
    """The poem's lines and, per line, what was chosen among how many endings. ``lean`` is
    added to every step's logits: a set of variants pushes each poem away from the words of
    the poems drawn before it (and toward a word the brief requires)."""
    llm.reset()  # type: ignore[attr-defined]
    llm.eval(prompt)  # type: ignore[attr-defined]
    base, logits = len(prompt), last_logits(llm)
    writer = LineWriter(llm, pieces, book, d, rng, temperature, keywords)
    if lean is not None:
        writer.bias += lean
    writer.avoid(PROMPT_WORDS)
    lines: list[str] = []
    notes: list[dict[str, object]] = []
    keys: dict[str, frozenset[str]] = {}
    ends: set[str] = set()
    for i, ((lo, hi), letter) in enumerate(zip(form.syllables, form.scheme, strict=True)):
        rhymed = letter != "-"
        rule = LineRule(lo, hi, keys.get(letter) if rhymed else None, rhymed and letter not in keys,
                        ends if rhymed else set())  # no rhyme word twice in the poem
        best = writer.write(base, logits, rule, candidates, lines)
        base, logits = writer.commit(base, best)
        line = _tidy(best.text)
        lines.append(line)
        if rhymed:
            last = normalise(words_of(line)[-1])
            # narrow to the keys every line so far shares (fire: AY R or AY ER)
            keys[letter] = keys[letter] & d.lookup(last).rhymes if letter in keys else d.lookup(last).rhymes
            ends.add(last)
        notes.append({"line": line, "built": best.built, "score": round(best.score, 3)})
        if progress is not None:
            progress((i + 1) / form.lines, f"line {i + 1}/{form.lines}")
    return lines, notes


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1].upper() + text[1:]
