"""The English forms a poem can be written and checked in: haiku, limerick, Shakespearean sonnet.

A form fixes the number of lines, a syllable range per line and a rhyme scheme (one letter per
line, ``-`` for a line that need not rhyme). The ranges, and why:

* **haiku** 5-7-5, exactly: the English convention, easy to count and to check.
* **limerick** lines 1, 2, 5: 7-10 syllables; lines 3, 4: 4-7. A limerick line is three
  (long lines) or two (short lines) anapestic feet, "da-da-DUM": 9 and 6 syllables in full,
  one fewer with the usual headless first foot, one more with a feminine ending. Lear's "There
  was an Old Man with a beard" is 8; "Two Owls and a Hen" is 5. Rhymes AABBA; Lear's habit of
  ending line 5 on line 1's word is allowed.
* **sonnet** (Shakespearean): 14 lines of 10 syllables, 11 allowed when the last syllable is
  unstressed (a feminine ending), rhymes ABAB CDCD EFEF GG. Iambic stress is reported as a
  soft score, never a failure: English stress depends on the sentence, not only the word.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from duetto.errors import InvalidInput


class EnglishForm(BaseModel):
    """One fixed English form: lines, syllables per line, rhyme scheme."""

    model_config = ConfigDict(frozen=True)

    name: str  # stable id: "haiku"
    title: str  # what people call it: "Shakespearean sonnet"
    aliases: tuple[str, ...] = ()
    syllables: tuple[tuple[int, int], ...]  # (fewest, most) per line
    scheme: str  # one letter per line; "-" for a line with no rhyme duty
    feminine_ending: bool = False  # one more, unstressed, syllable allowed at a line's end
    iambic: bool = False  # report a metre score
    repeat_first_rhyme_at: int | None = None  # 1-based line that may reuse line 1's rhyme word
    notes: str = ""

    @property
    def lines(self) -> int:
        return len(self.syllables)

    def wants(self, line: int) -> str:
        """'7', '7-10' or '10 (11 with a feminine ending)' for 1-based ``line``."""
        lo, hi = self.syllables[line - 1]
        text = str(lo) if lo == hi else f"{lo}-{hi}"
        return f"{text} (or {hi + 1} with a feminine ending)" if self.feminine_ending else text


HAIKU = EnglishForm(
    name="haiku", title="haiku", aliases=("俳句", "hokku", "english haiku"),
    syllables=((5, 5), (7, 7), (5, 5)), scheme="---",
    notes="5-7-5 syllables, no rhyme.",
)
LIMERICK = EnglishForm(
    name="limerick", title="limerick", aliases=("五行打油诗", "五行诗", "limericks"),
    syllables=((7, 10), (7, 10), (4, 7), (4, 7), (7, 10)), scheme="AABBA", repeat_first_rhyme_at=5,
    notes="AABBA; lines 1, 2, 5 of 7-10 syllables, lines 3, 4 of 4-7.",
)
SONNET = EnglishForm(
    name="sonnet", title="Shakespearean sonnet",
    aliases=("shakespearean sonnet", "english sonnet", "elizabethan sonnet", "十四行诗", "十四行",
             "莎士比亚十四行诗", "商籁", "商籁体"),
    syllables=((10, 10),) * 14, scheme="ABABCDCDEFEFGG", feminine_ending=True, iambic=True,
    notes="14 lines of 10 syllables (11 with a feminine ending), ABAB CDCD EFEF GG, iambic "
          "stress scored softly.",
)
FORMS: dict[str, EnglishForm] = {f.name: f for f in (HAIKU, LIMERICK, SONNET)}


def _key(name: str) -> str:
    return re.sub(r"[\s\-_·《》]+", " ", name.strip().lower()).strip()


_ALIASES = {_key(a): f for f in FORMS.values() for a in (f.name, f.title, *f.aliases)}


def find_english_form(name: str | None) -> EnglishForm | None:
    """The form ``name`` names, or None when it is not an English form (maybe a classical one)."""
    return _ALIASES.get(_key(name)) if name else None


def get_english_form(name: str | EnglishForm) -> EnglishForm:
    if isinstance(name, EnglishForm):
        return name
    form = find_english_form(name)
    if form is None:
        raise InvalidInput(f"unknown English form {name!r}", hint=f"known: {', '.join(FORMS)}")
    return form


def list_english_forms() -> list[EnglishForm]:
    return list(FORMS.values())
