"""Setting words to a tune: one note per syllable, a line (a 句 in Chinese) to a phrase, Chinese
tones shaping the contour.

Chinese is sung by character; a melody that goes against a word's tone makes it sound like
another word (妈 mā sung falling is heard as 骂 mà), so tunes for Chinese words rise into
second-tone syllables and fall into fourth-tone ones, and first-tone syllables sit high. The
melody model proposes many tunes for each line in the line's own rhythm; the one whose
contour agrees best with the tones is kept. English gets one note per syllable (from the CMU
dictionary) with the word under its first note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from duetto.media.music.melody import MelodyModel, write_phrase
from duetto.media.music.score import Note
from duetto.media.music.theory import Chord

HAN = re.compile(r"[\u4e00-\u9fff]")
CANDIDATES = 24  # tunes proposed per line


@dataclass(frozen=True)
class Syllable:
    text: str  # what is printed under the note ("" continues the word before)
    tone: int  # Mandarin tone 1-4, 5 neutral; 0 for English


# What ends a 句 in Chinese verse: a 七绝 is often printed two 句 to a row, and each 句 is sung
# as its own phrase, so its first character opens the phrase instead of closing the last one.
JU_MARK = re.compile(r"[，。！？；、：,.!?;:…]+")


def syllables(text: str) -> list[list[Syllable]]:
    """The phrases of a poem as syllables: a Chinese row split at every 句 mark (，。！？；、),
    an English line as it is printed; titles, blank rows and phrases with nothing singable go."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "《")):
            continue
        phrases = [_chinese(ju) for ju in JU_MARK.split(line)] if HAN.search(line) else [_english(line)]
        out += [sung for sung in phrases if sung]
    return out


def _chinese(line: str) -> list[Syllable]:
    from pypinyin import Style, pinyin

    chars = HAN.findall(line)
    tones = [p[0][-1] for p in pinyin("".join(chars), style=Style.TONE3, neutral_tone_with_five=True)]
    return [Syllable(c, int(t) if t.isdigit() else 5) for c, t in zip(chars, tones, strict=True)]


def _english(line: str) -> list[Syllable]:
    from duetto.media.text.english.pronounce import guess_syllables, words_of

    try:
        from duetto.media.text.english.pronounce import dictionary

        book = dictionary()
        count = lambda w: min(book.lookup(w).syllables)  # noqa: E731
    except Exception:  # no CMU dictionary installed: spell it out
        count = guess_syllables
    out: list[Syllable] = []
    for word in words_of(line):
        n = max(1, count(word))
        out += [Syllable(word, 0)] + [Syllable("", 0) for _ in range(n - 1)]
    return out


def line_plan(n: int, bar_beats: float) -> tuple[int, list[list[float]]]:
    """Bars and bar-by-bar durations for a line of ``n`` syllables: a beat each (half a beat
    when a line is long), the last one held to the end of its bar (a line breathes at its
    end). Onsets fall on whole steps, so no note crosses a bar line."""
    step = 1.0 if n <= 3 * bar_beats else 0.5
    bars = int((n - 1) * step // bar_beats) + 1
    rhythm: list[list[float]] = [[] for _ in range(bars)]
    for k in range(n - 1):
        rhythm[int(k * step // bar_beats)].append(step)
    rhythm[-1].append(bars * bar_beats - (n - 1) * step)
    return bars, rhythm


def tone_agreement(notes: list[Note], sung: list[Syllable]) -> float:
    """How well a tune's contour follows the syllables' tones (1 = every step agrees): rising
    into tone 2, falling into tone 4, first-tone syllables at or above the line's middle."""
    if len(notes) != len(sung) or not sung or all(s.tone == 0 for s in sung):
        return 0.0
    mid = float(np.median([n.pitch for n in notes]))
    score = 0.0
    for k, (n, s) in enumerate(zip(notes, sung, strict=True)):
        move = n.pitch - notes[k - 1].pitch if k else 0
        if s.tone == 1:
            score += 1.0 if n.pitch >= mid else 0.0
        elif s.tone == 2:
            score += 1.0 if move > 0 else 0.3 if move == 0 and k else 0.0
        elif s.tone == 3:
            score += 1.0 if n.pitch <= mid else 0.0
        elif s.tone == 4:
            score += 1.0 if move < 0 else 0.3 if move == 0 and k else 0.0
        else:
            score += 0.5
    return score / len(sung)


def set_line(model: MelodyModel, sung: list[Syllable], chords: list[Chord], start: float, bar_beats: float,
             metre: str, tonic: int, mode: str, rng: np.random.Generator, *, low: int, high: int,
             start_pitch: int | None, cadence: str | None) -> tuple[list[Note], dict[float, str]]:
    """A tune for one line, one note per syllable, and the words at each note's start."""
    bars, rhythm = line_plan(len(sung), bar_beats)
    best: list[Note] | None = None
    best_score = -1.0
    for _ in range(CANDIDATES):
        notes = write_phrase(model, chords, start, bars, bar_beats, metre, tonic, mode, rng, low=low, high=high,
                             density=0.5, start_pitch=start_pitch, cadence=cadence, rhythm=rhythm)
        if len(notes) != len(sung):
            continue
        score = tone_agreement(notes, sung) if any(s.tone for s in sung) else 1.0
        if score > best_score:
            best, best_score = notes, score
        if best_score >= 0.999:
            break
    if best is None:
        raise ValueError(f"no tune of {len(sung)} notes fits {bars} bars")  # line_rhythm makes this impossible
    return best, {n.start: s.text for n, s in zip(best, sung, strict=True) if s.text}
