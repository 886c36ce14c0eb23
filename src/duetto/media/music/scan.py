"""Reading feedback words in place: matches that do not overlap, and the clause around each.

Both readers of music feedback (``words`` for tempo, band and key; ``feel`` for mood) need the
same three things: a word already read is not read again ("太忧伤" is not also "忧伤"), the size
words next to a match ("一些", "much") belong to its own clause, and a negation just before it
flips it. Positions index ``text`` itself, so a match can be quoted back as the person wrote it.
"""

from __future__ import annotations

import re

CLAUSE_END = re.compile(r"[，。,.;；!！?？\n]|\bbut\b|但是?|不过")


class Scan:
    """Matches over the lower-cased text that do not overlap the ones already taken."""

    def __init__(self, text: str, negations: tuple[re.Pattern[str], ...] = ()) -> None:
        self.text = text
        self.low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        self.negations = negations
        self.taken: list[tuple[int, int]] = []
        self.masked: list[tuple[int, int]] = []

    def mask(self, pattern: str) -> None:
        """Take words out of play without reading them (快 inside 欢快 is a mood, not a tempo)."""
        for m in self.find(pattern):
            self.masked.append(m.span())

    def find(self, pattern: str, flags: int = re.I, original: bool = False) -> list[re.Match[str]]:
        out = []
        for m in re.finditer(pattern, self.text if original else self.low, flags):
            if m.end() > m.start() and not any(m.start() < e and s < m.end() for s, e in self.taken):
                out.append(m)
                self.taken.append(m.span())
        return out

    def before(self, pos: int, chars: int = 16) -> str:
        """The clause's text just before ``pos`` (never across punctuation or "but")."""
        head = self.low[max(0, pos - chars):pos]
        ends = list(CLAUSE_END.finditer(head))
        return head[ends[-1].end():] if ends else head

    def after(self, pos: int, chars: int = 12) -> str:
        tail = self.low[pos:pos + chars]
        end = CLAUSE_END.search(tail)
        return tail[:end.start()] if end else tail

    def negated(self, pos: int) -> bool:
        """Does one of this reader's negations end the clause just before ``pos``?"""
        head = self.before(pos)
        return any(n.search(head) for n in self.negations)
