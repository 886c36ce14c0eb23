"""What an editor checks in a story once it is written, and the cuts that mend it.

The storyteller runs these after generation (the decoding guard stops most repetition, but not
all of it, and a model can still skip the event its brief asked for):

* **repeated sentences**: a sentence that says an earlier one again, anywhere in the story
  (normalised as ``duetto.llm.guard`` does: case, spaces and punctuation ignored); the share is
  the critique's measure (``analyse.prose_facts``) of the same thing;
* **unfinished sections**: a section that stops mid-sentence;
* **the brief's event**: the brief's own content words (English words of four letters or more
  that are not function words; Chinese phrases between function characters) that the story never
  uses; a phrase counts as used when any two-character piece of it appears.

``drop_repeats`` and ``trim_unfinished`` are the pure repairs; the storyteller adds the one that
needs the model (rewriting the section where the event belongs).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from duetto.llm.guard import MIN_SENTENCE, SENTENCE_END, normalise, split_sentences
from duetto.media.text.prose import CJK, LATIN_WORD

EN_FUNCTION = set("""
a an the and or but if then than of in on at to for from by with without into onto over under
about after before during while when where who whom whose which what that this these those there
here his her hers their theirs its our ours your yours my mine some any every each all both one
two three is are was were be been being has have had do does did will would shall should can
could may might must not no nor very just only also too so such own same other another more most
less few many much again once story short tale write about someone something
""".split())
ZH_FUNCTION = re.compile(
    r"[，。！？、；：“”‘’（）《》\s]|一个|一位|一只|一张|一封|一棵|一家人|一家|两个|三个|他们|她们|我们|"
    r"之后|之前|的时候|时候|以后|为了|因为|所以|但是|然后|终于|最后一次|[在的了和与把被给从向对于里中时上下又也都就还要会能是]"
)


class ProseCheck(BaseModel):
    """The facts a repair acts on; positions are (section, sentence) indices."""

    sentences: int
    repeated: list[tuple[int, int]] = Field(description="Sentences that repeat an earlier one.")
    unfinished: list[int] = Field(description="Sections that stop mid-sentence.")
    event_words: list[str] = Field(description="The brief's content words.")
    event_missing: list[str] = Field(description="Those the story never uses.")

    @property
    def repetition_share(self) -> float:
        return round(len(self.repeated) / self.sentences, 4) if self.sentences else 0.0

    @property
    def event_delivered(self) -> bool:
        """Most of the brief's words are there (a story may say 'the note' for 'the message')."""
        return len(self.event_missing) <= len(self.event_words) // 3

    @property
    def ok(self) -> bool:
        return not self.repeated and not self.unfinished and self.event_delivered

    def summary(self) -> dict[str, object]:
        return {"repetition_share": self.repetition_share, "repeated": len(self.repeated),
                "unfinished_sections": self.unfinished, "event_missing": self.event_missing,
                "event_delivered": self.event_delivered}


def event_words(brief: str) -> list[str]:
    """The brief's content words: what a reader would look for to see the brief delivered."""
    latin = [w for w in LATIN_WORD.findall(brief) if len(w) >= 4 and w.lower() not in EN_FUNCTION]
    han = [p for p in ZH_FUNCTION.split(brief) if len(CJK.findall(p)) >= 2]
    return list(dict.fromkeys([w.lower() for w in latin] + han))


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    for suffix in ("ing", "ed", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def uses(text: str, word: str) -> bool:
    """``word`` (an event word) appears in ``text``: a Latin word by its stem, a Chinese phrase
    by any two-character piece of it."""
    if CJK.search(word):
        chars = "".join(CJK.findall(word))
        return any(chars[i:i + 2] in text for i in range(len(chars) - 1))
    stem = _stem(word)
    return any(_stem(w).startswith(stem) for w in LATIN_WORD.findall(text))


def check_sections(sections: list[str], brief: str) -> ProseCheck:
    seen: set[str] = set()
    repeated: list[tuple[int, int]] = []
    total = 0
    for i, section in enumerate(sections):
        for j, sentence in enumerate(split_sentences(section)):
            key = normalise(sentence)
            if len(key) < MIN_SENTENCE:
                continue
            total += 1
            if key in seen:
                repeated.append((i, j))
            seen.add(key)
    unfinished = [i for i, s in enumerate(sections) if s.strip() and not SENTENCE_END.search(s.rstrip())]
    words = event_words(brief)
    text = "\n".join(sections)
    return ProseCheck(sentences=total, repeated=repeated, unfinished=unfinished, event_words=words,
                      event_missing=[w for w in words if not uses(text, w)])


def drop_repeats(sections: list[str], check: ProseCheck) -> list[str]:
    """The sections without the sentences that repeat an earlier one (paragraphs kept; a
    paragraph left empty goes)."""
    drop = set(check.repeated)
    out = []
    for i, section in enumerate(sections):
        k = 0
        paras = []
        for para in re.split(r"\n\s*\n", section):
            kept = []
            for sentence in split_sentences(para):
                if (i, k) not in drop:
                    kept.append(sentence)
                k += 1
            if kept:
                paras.append(_join(kept))
        out.append("\n\n".join(paras) if paras else section)
    return out


def _join(sentences: list[str]) -> str:
    out = ""
    for s in sentences:
        if out and not CJK.search(out[-1:] + s[:1]):
            out += " "
        out += s
    return out


def trim_unfinished(section: str) -> str:
    """A section cut back to its last full sentence; one with no full sentence is left alone
    (nothing would remain)."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", section.rstrip()) if p.strip()]
    while paras:
        last = split_sentences(paras[-1])
        if last and SENTENCE_END.search(last[-1]):
            return "\n\n".join(paras)
        if len(last) > 1:
            paras[-1] = _join(last[:-1])
        else:
            paras.pop()
    return section.rstrip()
