"""Prose measured and cut the way an editor does it, shared by every prose writer here (the
storyteller, the screenwriter, co-writing on a draft) and by the text analysis.

Which language a text is in; words as a reader counts them (each CJK character is one word, each
Latin word is one, as Chinese editors count 字数); sentences and paragraphs; cutting a reply back
to a word budget or to its last complete sentence; removing what a small model adds around prose
(headings, code fences, bullets); what a word costs in tokens; and the seed of each completion
step of a version, so that a recipe replays.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np

Language = Literal["zh", "en"]
TOKENS_PER_WORD = {"en": 1.4, "zh": 0.8}  # Qwen's tokenizer: English words, Chinese characters
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")
SENTENCE = re.compile(r"[^.!?。！？…]*(?:[.!?。！？…]+[\"'”’」』）)]*|$)\s*", re.S)


def text_language(text: str) -> Language:
    """zh when Chinese characters outnumber Latin words, else en (for text with no spec: an
    import, a draft being edited, a work being critiqued)."""
    return "zh" if len(CJK.findall(text)) >= max(1, len(LATIN_WORD.findall(text))) else "en"


def step_seed(seed: int, step: int) -> int:
    """A 31-bit seed for completion ``step`` of the version with ``seed`` (llama.cpp seeds are 32-bit)."""
    return int(np.random.SeedSequence([seed, step]).generate_state(1)[0]) & 0x7FFFFFFF


def count_words(text: str) -> int:
    """Words as a reader counts them: each CJK character is one, each Latin word is one."""
    return len(CJK.findall(text)) + len(LATIN_WORD.findall(text))


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.findall(text) if s.strip()]


def trim_to_words(text: str, limit: int) -> str:
    """The longest run of whole paragraphs and sentences from the start within ``limit`` words
    (at least one sentence, so nothing is ever emptied)."""
    out: list[str] = []
    total = 0
    for para in paragraphs(text):
        kept: list[str] = []
        full = False
        for s in sentences(para):
            n = count_words(s)
            if total + n > limit and (out or kept):
                full = True
                break
            kept.append(s)
            total += n
        if kept:
            out.append("".join(kept).strip())
        if full:
            break
    return "\n\n".join(out)


def drop_unfinished(text: str) -> str:
    """Cut a reply that hit ``max_tokens`` back to its last complete sentence."""
    stripped = text.rstrip()
    if not stripped or re.search(r"[.!?。！？…][\"'”’」』）)]*$", stripped):
        return stripped
    whole = sentences(stripped)
    if len(whole) > 1:
        return "".join(whole[:-1]).rstrip()
    return stripped


HEADING_LINE = re.compile(
    r"^\s*(#+\s|\*\*[^*]+\*\*\s*$|(scene|chapter|part|beat)\s*\d+\b|第[一二三四五六七八九十\d]+[章幕场节]|场景\s*\d)",
    re.I,
)


def clean_prose(text: str) -> str:
    """Remove what a small model adds around prose: heading lines, code fences, list bullets."""
    lines = [ln for ln in text.replace("\r", "").split("\n")
             if not HEADING_LINE.match(ln) and not ln.strip().startswith("```")]
    text = "\n".join(re.sub(r"^\s*[-*]\s+", "", ln) for ln in lines)
    return "\n\n".join(paragraphs(text))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n(?=\s*[“\"「])", text) if p.strip()]
