"""What people say about music, in Chinese and English: tempo, metre, key, mode, style, form,
length, instruments, loudness, busyness and touch.

``read_music_words`` turns a brief or a piece of feedback into ``MusicWords`` (everything it did
not hear stays ``None``); ``music_feedback`` applies feedback words to the stored plan
(``CreativeSpec.music``) as a ``SpecDelta``. The brief parser's lexicon knows moods and colours,
not 二胡 or "72 bpm", so this module reads those with its own regexes and tables, scanning
phrase by phrase (a clause ends at punctuation) so that "不要鼓" removes drums and "加入二胡般的
音色" adds a part named 二胡 on the nearest General MIDI sound, saying so.

Mood words (欢快, sadder, calmer) are read by ``feel``, which moves every cue of the mood by a
step a listener hears (mode, key, tempo, busyness, touch, loudness); a mood it has no words for
is left to the rule parser's mood and ``styles.follow_mood``. Explicit words here win over both.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from duetto.media.music.feel import feel_plan, read_feel
from duetto.media.music.scan import CLAUSE_END, Scan
from duetto.media.music.styles import BAND, TEMPO_RANGE, band, follow_mood
from duetto.spec import CreativeSpec, Instrument, MusicSpec, SpecDelta, apply_delta

Kind = Literal["poly", "mono", "pad", "bass"]
Action = Literal["feature", "add", "replace", "remove", "solo"]
MAX_PARTS = 6  # MusicSpec.instruments holds at most this many
MIN_BPM_STEP = 7  # the least a tempo word moves the tempo: about the JND at 150 bpm (media.music.felt)

# ---------------------------------------------------------------------------------------------
# Tables

# (pattern, GM program, kind, GM sound name when the instrument has no GM sound of its own).
# Longer names come first: 电钢琴 before 钢琴, 大提琴 before 提琴.
INSTRUMENTS: tuple[tuple[str, int, Kind, str], ...] = (
    (r"电钢琴|electric piano|e-piano|rhodes", 4, "poly", ""),
    (r"钢片琴|celesta", 8, "mono", ""),
    (r"钢琴|piano", 0, "poly", ""),
    (r"八音盒|音乐盒|music ?box", 10, "mono", ""),
    (r"颤音琴|vibraphone|vibes", 11, "mono", ""),
    (r"马林巴|marimba", 12, "mono", ""),
    (r"木琴|xylophone", 13, "mono", ""),
    (r"钟琴|glockenspiel", 9, "mono", ""),
    (r"大键琴|羽管键琴|harpsichord", 6, "poly", ""),
    (r"管风琴|风琴|organ", 19, "poly", ""),
    (r"手风琴|accordion", 21, "poly", ""),
    (r"口琴|harmonica", 22, "mono", ""),
    (r"电吉他|electric guitar", 27, "poly", ""),
    (r"古典吉他|尼龙弦吉他|nylon guitar|classical guitar", 24, "poly", ""),
    (r"木吉他|民谣吉他|acoustic guitar", 25, "poly", ""),
    (r"吉他|guitar", 24, "poly", ""),
    (r"电贝斯|电贝司|electric bass|bass guitar", 33, "bass", ""),
    (r"低音提琴|double bass|contrabass|upright bass", 43, "bass", ""),
    (r"贝斯|贝司|\bbass\b(?! drum)", 33, "bass", ""),
    (r"大提琴|cello", 42, "bass", ""),
    (r"中提琴|viola", 41, "mono", ""),
    (r"小提琴|violin|提琴", 40, "mono", ""),
    (r"fiddle", 110, "mono", ""),
    (r"竖琴|\bharp\b", 46, "poly", ""),
    (r"弦乐|弦乐队|strings|string section|string ensemble", 48, "pad", ""),
    (r"合唱|人声|choir|voices", 52, "pad", ""),
    (r"小号|trumpet", 56, "mono", ""),
    (r"长号|trombone", 57, "mono", ""),
    (r"大号|tuba", 58, "bass", ""),
    (r"圆号|french horn", 60, "mono", ""),
    (r"铜管|brass", 61, "pad", ""),
    (r"萨克斯|saxophone|\bsax\b", 65, "mono", ""),
    (r"双簧管|oboe", 68, "mono", ""),
    (r"大管|巴松|bassoon", 70, "bass", ""),
    (r"单簧管|黑管|clarinet", 71, "mono", ""),
    (r"短笛|piccolo", 72, "mono", ""),
    (r"长笛|flute", 73, "mono", ""),
    (r"排箫|pan ?flute|panpipes?", 75, "mono", ""),
    (r"合成器|synth ?pad|\bpad\b", 88, "pad", ""),
    (r"synth lead|\bsynth\b", 80, "mono", ""),
    # Chinese instruments: the nearest General MIDI sound, and the person is told.
    (r"二胡|胡琴|erhu", 110, "mono", "Fiddle"),
    (r"古筝|筝|guzheng", 107, "poly", "Koto"),
    (r"古琴|guqin", 107, "poly", "Koto"),
    (r"琵琶|pipa", 106, "mono", "Shamisen"),
    (r"笛子|竹笛|dizi", 73, "mono", "Flute"),
    (r"洞箫|箫|xiao", 77, "mono", "Shakuhachi"),
    (r"扬琴|yangqin", 15, "poly", "Dulcimer"),
    (r"唢呐|suona", 111, "mono", "Shanai"),
    (r"编钟|bianzhong", 14, "mono", "Tubular Bells"),
    (r"葫芦丝|hulusi", 71, "mono", "Clarinet"),
    (r"笙|sheng\b", 22, "mono", "Harmonica"),
)
INSTRUMENT_SUFFIX = r"(?:般|似|一样|那样|式)?的?(?:音色|声音|音|sound|tone|timbre|part)?"
DRUMS = r"架子鼓|打击乐|鼓点|鼓(?![舞励掌起动])|drum ?kit|drums?\b|percussion|beats\b"

STYLES: tuple[tuple[str, str], ...] = (
    (r"圆舞曲|华尔兹|waltz", "waltz"),
    (r"进行曲|march\b", "march"),
    (r"圣咏|赞美诗|众赞歌|chorale|hymn", "chorale"),
    (r"叙事曲|抒情曲|抒情|ballad", "ballad"),
    (r"氛围音乐|氛围乐|氛围感|冥想|ambient|meditat\w*", "ambient"),
    (r"舞曲|电子音乐|电子乐|电音|迪斯科|disco|dance|edm|techno|electronic", "dance"),
    (r"民谣|民歌|folk", "folk"),
    (r"中国风|古风|国风|五声音阶|五声调式|五声|pentatonic", "pentatonic"),
)
STYLE_METRE = {"waltz": "3/4", "march": "2/4"}
MODES_EN: tuple[tuple[str, str], ...] = (
    (r"mixolydian|混合利底亚", "mixolydian"), (r"dorian|多利亚", "dorian"), (r"lydian|利底亚", "lydian"),
    (r"phrygian|弗里几亚", "phrygian"),
)
ZH_MODES = {"大调": "major", "小调": "minor", "宫": "gong", "商": "shang", "角": "jue", "徵": "zhi", "羽": "yu"}
PENTATONIC_OF = {"major": "gong", "lydian": "gong", "mixolydian": "zhi", "dorian": "shang", "minor": "yu",
                 "phrygian": "jue"}
FORMS: tuple[tuple[str, str, str], ...] = (  # (pattern, form, note when approximated)
    (r"\bAABA\b", "AABA", ""), (r"\bABA\b|三部曲式|单三部|三段式", "ABA", ""), (r"\bAB\b|二部曲式|单二部|两段式", "AB", ""),
    (r"主歌副歌|主副歌|verse[- ](?:and[- ])?chorus", "verse-chorus", ""),
    (r"通谱|through[- ]composed", "through", ""),
    (r"回旋曲?|rondo", "ABA", "a rondo is not a form duetto writes yet; using ABA"),
)
TEMPO_NAMES: tuple[tuple[str, int], ...] = (
    (r"小快板|allegretto", 116), (r"快板|allegro", 132), (r"急板|presto", 176), (r"vivace|活板", 160),
    (r"中板|moderato", 108), (r"行板|andante", 84), (r"柔板|adagio", 66), (r"慢板|lento", 60), (r"广板|largo", 50),
)
NOTE_PCS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}

# Relative words: (pattern, field, sign). A "too …" phrase asks for the opposite.
STEPS: tuple[tuple[str, str, int], ...] = (
    (r"太快|过快|too fast|too quick|not so fast|(?:不要|别|没)那么快", "tempo", -1),
    (r"太慢|过慢|too slow|not so slow|(?:不要|别|没)那么慢", "tempo", 1),
    (r"faster|quicker|speed (?:it )?up|up-?tempo|\bfast\b|\bquick\b|brisk|加快|快一点|快一些|快些|快点|更快|再快|"
     r"速度快|快速|快节奏|节奏快|节奏明快|节奏轻快|轻快|明快|快很多|快得多|快了很多", "tempo", 1),
    (r"slower|slow (?:it )?down|\bslow\b|more slowly|放慢|慢一点|慢一些|慢些|慢点|更慢|再慢|速度慢|慢速|慢节奏|"
     r"节奏慢|缓慢|舒缓|慢很多|慢得多", "tempo", -1),
    (r"太响|太吵|太大声|too loud|too noisy", "dynamics", -1),
    (r"太轻|太小声|太弱|too soft|too quiet", "dynamics", 1),
    (r"louder|\bloud\b|fortissimo|forte|more powerful|响亮|响一点|响一些|更响|大声|力度大|强一点|强一些", "dynamics", 1),
    (r"softer|quieter|\bsoft\b|\bquiet\b|gentler|pianissimo|轻柔|轻一点|轻一些|小声|更轻|柔和|弱一点|力度小", "dynamics", -1),
    (r"太密|太复杂|太乱|太花|too busy|too many notes|too complex", "density", -1),
    (r"太简单|太单调|太空|too simple|too sparse|too plain", "density", 1),
    (r"more notes|busier|denser|more complex|richer|更多(?:的)?音符|多一些音符|多一点音符|音符多|更密|密集|密一点|丰富一点|更丰富|丰富很多|丰富得多|繁复|复杂一点", "density", 1),
    (r"fewer notes|less busy|simpler|sparser|sparse|更少(?:的)?音符|音符少|少一些音符|少一点音符|\bsimple\b|简单一点|简单一些|简单些|更简单|简洁|稀疏|疏一点|朴素|简单",
     "density", -1),
    (r"staccato|bouncy|bouncier|detached|punchy|跳音|跳跃感?|断奏|顿音|颗粒感", "articulation", 1),
    (r"legato|smooth(?:er)?|flowing|连贯|连奏|流畅|圆滑|绵长", "articulation", -1),
    (r"longer|更长|长一点|长一些|加长|延长", "length", 1),
    (r"shorter|更短|短一点|短一些|缩短", "length", -1),
)
MUCH = re.compile(r"(much|a lot|far|way|很多|得多|多了|大幅|非常|很)\s*$|^(得多|很多|多了|a lot)")
LITTLE = re.compile(r"(slightly|a (?:little|bit|touch)|稍微?|略微?|有点)\s*$|^(一点点)")
LITTLE_AFTER = re.compile(r"^\s*(一点|一些|些)")  # 跳音多一点: the size after the word

NEGATION_ZH = re.compile(r"(不要|不用|不需要|不想要|不加|别加|别|去掉|去除|拿掉|删掉|删除|没有|无需|无)[^，。,.;；!！?？]{0,4}$")
NEGATION_EN = re.compile(r"\b(no|not|without|remove|drop|lose|minus|get rid of|don'?t (?:want|need|use|add)|take out|cut)"
                         r"(?:\s+(?:the|any|all|more|of|those|that|so|too|as))*\s*$")
MOOD_WORDS = r"欢快|愉快|畅快|痛快|爽快|凉快|快乐|快活|快意"  # 快 in a mood word is not tempo: the mood path reads these
REMOVED_AFTER = re.compile(r"^\s*(?:都|也|就)?(去掉|拿掉|删掉|不要了?|out\b|removed)")
ADD_WORDS = re.compile(r"(加入|加上|加点|加个|加一[个点段些]?|再加|添加|增加|配上|配|加|add(?:ed)?|with|plus|include|"
                       r"bring in|and)\s*(?:an?|the|some|一[个把段点些])?\s*$")
SOLO_WORDS = re.compile(r"solo|独奏|只要|只用|只留|只有|\bonly\b|\bjust\b|纯")
REPLACE_WORDS = re.compile(r"换成|改成|改用|换为|改为|换用|替换|代替|替代|取代|instead|switch(?:ed)? to|change(?:d)? to|"
                           r"swap|replace|(?<![不别])用\s*$|\buse(?:\s+(?:a|an|the|some))?\s*$")

ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10, "twelve": 12,
              "sixteen": 16, "twenty": 20, "twenty-four": 24, "thirty": 30, "thirty-two": 32, "forty": 40,
              "forty-five": 45, "sixty": 60, "ninety": 90, "a": 1, "an": 1}
NUM = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十百]+)"

# ---------------------------------------------------------------------------------------------
# What was heard


class InstrumentWord(BaseModel):
    """One instrument named in the text, and what the person wants done with it."""

    model_config = ConfigDict(extra="forbid")

    word: str = Field(description="As written: 二胡, violin.")
    program: int = Field(ge=0, le=127)
    kind: Kind = Field(description="poly plays chords, mono a line, pad sustains, bass the bass.")
    action: Action = "feature"
    replaces: str | None = Field(None, description="The part it takes over: 把钢琴换成吉他 → 钢琴.")
    gm_note: str = ""


class MusicWords(BaseModel):
    """Everything a text says about music; ``None``: not said."""

    model_config = ConfigDict(extra="forbid")

    tempo: int | None = Field(None, description="Quarter notes per minute said outright (72 bpm, adagio).")
    tempo_factor: float | None = Field(None, description="faster 1.15, much slower 0.77.")
    metre: str | None = None
    tonic: int | None = None
    mode: str | None = None
    style: str | None = None
    form: str | None = None
    seconds: float | None = None
    bars: int | None = None
    length_factor: float | None = Field(None, description="longer 1.5, shorter 0.67.")
    instruments: list[InstrumentWord] = Field(default_factory=list)
    solo: bool = Field(False, description="Only the named instrument(s) play.")
    drums: bool = False
    no_drums: bool = False
    dynamics_step: float | None = None
    density_step: float | None = None
    articulation_step: float | None = None
    dynamics: float | None = Field(None, description="For a brief: 0 pianissimo .. 1 fortissimo.")
    density: float | None = Field(None, description="For a brief: 0 long notes .. 1 running notes.")
    articulation: float | None = Field(None, description="For a brief: 0 legato .. 1 staccato.")
    notes: list[str] = Field(default_factory=list)
    heard: list[str] = Field(default_factory=list, description="The phrases that were read.")

    def is_empty(self) -> bool:
        return not self.heard

    def apply_band(self, band: list[Instrument]) -> list[Instrument]:
        """The band after the instrument words (see ``band_edit``)."""
        return self.band_edit(band)[0]

    def band_edit(self, band: list[Instrument]) -> tuple[list[Instrument], list[str]]:
        """Solo, replace, add, remove and drums words applied to ``band``, with notes for what
        could not be done (a seventh part, nothing to replace)."""
        out = [i.model_copy() for i in band]
        notes: list[str] = []
        solos = [w for w in self.instruments if w.action == "solo"]
        if solos:
            out = _solo_band(solos)
        melody_named = False  # a brief's first instrument for a line (一首二胡曲) takes the melody
        for w in self.instruments:
            if w.action == "remove":
                kept = [i for i in out if not _same_instrument(i, w)]
                if len(kept) == len(out):
                    notes.append(f"there is no {w.word} to remove")
                out = kept
            elif w.action == "replace":
                out = _replace(out, w, notes)
            elif w.action in ("add", "feature"):
                first = w.action == "feature" and not melody_named
                out = _add(out, w, first=first, notes=notes)
                melody_named = melody_named or any(i.role == "melody" and i.name == w.word[:60] for i in out)
        if self.no_drums:
            out = [i for i in out if i.role != "drums"]
        elif self.drums and not any(i.role == "drums" for i in out):
            if len(out) >= MAX_PARTS:
                notes.append(f"the band already has {MAX_PARTS} parts; drums not added")
            else:
                out.append(Instrument(role="drums", program=0, name="drums"))
        return out, notes


def _same_instrument(part: Instrument, w: InstrumentWord) -> bool:
    """The part plays this instrument: same GM sound or the same word (drums have no program)."""
    if part.role == "drums":
        return False
    return part.program == w.program or (bool(part.name) and (w.word in part.name or part.name in w.word))


def _instrument(w: InstrumentWord, role: str) -> Instrument:
    return Instrument(role=role, program=w.program, name=w.word[:60])  # type: ignore[arg-type]


def _solo_band(solos: list[InstrumentWord]) -> list[Instrument]:
    """Only these: the first takes the melody (and the chords too when it can play them)."""
    lead = solos[0]
    out = [_instrument(lead, "melody")]
    if lead.kind == "poly" and len(solos) == 1:
        out.append(_instrument(lead, "chords"))
    for w in solos[1:]:
        out.append(_instrument(w, _ROLE_OF[w.kind]))
    return out[:MAX_PARTS]


_ROLE_OF: dict[str, str] = {"poly": "chords", "mono": "counter", "pad": "pad", "bass": "bass"}


def _replace(out: list[Instrument], w: InstrumentWord, notes: list[str]) -> list[Instrument]:
    if w.replaces:
        pitched = [i for i in out if i.role != "drums"]
        old = [i for i in pitched if i.name and (w.replaces in i.name or i.name in w.replaces)]
        old = old or [i for i in pitched if _program_named(w.replaces) == i.program]
        if not old:
            notes.append(f"there is no {w.replaces} to replace; {w.word} added instead")
            return _add(out, w.model_copy(update={"action": "add"}), first=False, notes=notes)
        return [_instrument(w, i.role) if i in old else i for i in out]
    role = "melody" if w.kind in ("mono", "poly") else _ROLE_OF[w.kind]
    if not any(i.role == role for i in out):
        return [*out, _instrument(w, role)][:MAX_PARTS]
    done = False
    result = []
    for i in out:
        if i.role == role and not done:
            result.append(_instrument(w, role))
            done = True
        else:
            result.append(i)
    return result


def _add(out: list[Instrument], w: InstrumentWord, first: bool, notes: list[str]) -> list[Instrument]:
    """Add a part; a part on the same sound only takes the person's word as its name. A brief's
    first featured instrument (一首二胡曲) takes the melody."""
    same = next((i for i in out if i.program == w.program and i.role != "drums"), None)
    if same is not None:
        return [i.model_copy(update={"name": w.word[:60]}) if i is same else i for i in out]
    if first and w.kind in ("mono", "poly") and any(i.role == "melody" for i in out):
        return _replace(out, w.model_copy(update={"replaces": None}), notes)
    if len(out) >= MAX_PARTS:
        notes.append(f"the band already has {MAX_PARTS} parts; {w.word} not added")
        return out
    return [*out, _instrument(w, _ROLE_OF[w.kind])]


def _program_named(word: str) -> int | None:
    for pattern, program, _, _ in INSTRUMENTS:
        if re.fullmatch(pattern, word, re.I):
            return program
    return None


# ---------------------------------------------------------------------------------------------
# Reading


def _number(text: str) -> float | None:
    """"32", "3.5", "三十二", "两", "一百二十" → a number."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in EN_NUMBERS:
        return float(EN_NUMBERS[text])
    total, current = 0, 0
    for ch in text:
        if ch in ZH_DIGITS:
            current = ZH_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return float(total + current) if text else None


def read_music_words(text: str) -> MusicWords:
    """What ``text`` says about music (see ``MusicWords``); deterministic, well under a millisecond
    per clause. Negated words ("不要鼓", "no drums", "不要圆舞曲") never add what they name."""
    scan = Scan(text, (NEGATION_ZH, NEGATION_EN))
    scan.mask(MOOD_WORDS)
    w = MusicWords()
    _read_numbers(scan, w)
    _read_key(scan, w)
    _read_names(scan, w)
    _read_instruments(scan, w)
    _read_steps(scan, w)
    w.heard = [text[s:e] for s, e in sorted(scan.taken) if (s, e) not in scan.masked]
    return w


def _read_numbers(scan: Scan, w: MusicWords) -> None:
    """bpm, length, bars and metre: the words with digits in them."""
    for m in scan.find(rf"{NUM}\s*(?:bpm|beats per minute|beats/min|拍每分钟|拍/分钟?|拍每分)|每分钟\s*{NUM}\s*拍|"
                       rf"(?:tempo|速度)\s*(?:of|to|at|为|是|改成|改为|调到|=|:|：)?\s*{NUM}"):
        value = _number(next(g for g in m.groups() if g))
        if value is not None:
            w.tempo = int(min(208, max(40, round(value))))
            if w.tempo != round(value):
                w.notes.append(f"tempo {value:g} is outside 40-208; using {w.tempo}")
    for m in scan.find(rf"{NUM}\s*分半钟?|半分钟|{NUM}\s*分钟|{NUM}\s*(?:min(?:ute)?s?)\b|"
                       r"\b(one|two|three|four|five|a|an|half an?|half a)\s+minutes?\b"):
        if m.group(0) == "半分钟" or (m.group(4) or "").startswith("half"):
            w.seconds = 30.0
            continue
        value = _number(next(g for g in m.groups() if g))
        if value is not None:
            w.seconds = value * 60 + (30 if "分半" in m.group(0) else 0)
    for m in scan.find(rf"{NUM}\s*(?:秒钟?|s\b|secs?\b|seconds?\b)|\b(thirty|forty-five|forty|sixty|ninety|twenty)\s+seconds?\b"):
        value = _number(next(g for g in m.groups() if g))
        if value is not None:
            w.seconds = value
    for m in scan.find(rf"{NUM}\s*(?:bars?\b|measures?\b|小节)|\b(eight|twelve|sixteen|twenty-four|thirty-two)\s+bars?\b"):
        value = _number(next(g for g in m.groups() if g))
        if value is not None:
            w.bars = int(min(128, max(4, round(value))))
            if w.bars != round(value):
                w.notes.append(f"{value:g} bars is outside 4-128; using {w.bars}")
    for m in scan.find(r"\b([2346])\s*/\s*([48])\b(?:\s*拍)?"):
        metre = f"{m.group(1)}/{m.group(2)}"
        if metre in ("4/4", "3/4", "2/4", "6/8"):
            w.metre = metre
        else:
            w.notes.append(f"metre {metre} is not one duetto writes (4/4, 3/4, 2/4, 6/8)")
    for pattern, metre in ((r"四四拍|四拍子|common time|four[- ]four", "4/4"),
                           (r"四三拍|三拍子|three[- ]four|triple (?:time|metre|meter)", "3/4"),
                           (r"四二拍|两拍子|二拍子|two[- ]four|duple (?:time|metre|meter)", "2/4"),
                           (r"八六拍|六拍子|six[- ]eight|compound (?:time|metre|meter)", "6/8")):
        if scan.find(pattern):
            w.metre = metre


def _accidental(acc: str | None) -> int:
    acc = (acc or "").strip().lower()
    return 1 if acc in ("#", "♯", "sharp", "-sharp", "升") else -1 if acc in ("b", "♭", "flat", "-flat", "降") else 0


def _read_key(scan: Scan, w: MusicWords) -> None:
    """"D大调", "降B大调", "a小调", "G徵调", "C调", "in A minor", "E flat major", "key of G"."""
    for m in scan.find(r"(降|升)?\s*([a-g])\s*([#♯♭]|b(?=\s*[大小宫商角徵羽调]))?\s*(大调|小调|宫|商|角|徵|羽|调)(?:调式|调|式)?"):
        w.tonic = (NOTE_PCS[m.group(2)] + _accidental(m.group(1)) + _accidental(m.group(3))) % 12
        if m.group(4) != "调":
            w.mode = ZH_MODES[m.group(4)]
    en = r"(\b(?:in|key of|to|into)\s+)?\b([A-Ga-g])(\s*[#♯♭]|b(?=\s)|\s+sharp|\s+flat|-sharp|-flat)?\s+(major|minor)\b(\s+key)?"
    for m in scan.find(en, flags=0, original=True):
        lower_a = m.group(2).islower()
        if lower_a and (m.group(5) or not m.group(1)):  # "a minor key", "a major change": not a key
            if m.group(5):
                w.mode = m.group(4).lower()
            else:
                scan.taken.remove(m.span())
            continue
        w.tonic = (NOTE_PCS[m.group(2).lower()] + _accidental(m.group(3))) % 12
        w.mode = m.group(4).lower()
    for m in scan.find(r"\bkey of ([a-g])(\s*[#♯♭]|b\b|\s+sharp|\s+flat)?"):
        w.tonic = (NOTE_PCS[m.group(1)] + _accidental(m.group(2))) % 12
    for m in scan.find(r"\b(?:in|to|into)\s+(?:an?\s+)?(major|minor)\b(?:\s+(?:key|mode))?|"
                       r"\b(major|minor)\s+(?:key|mode|tonality)\b|大调|小调"):
        w.mode = {"大调": "major", "小调": "minor"}.get(m.group(0)) or m.group(1) or m.group(2)
    for pattern, mode in MODES_EN:
        if scan.find(pattern):
            w.mode = mode
    for m in scan.find(r"(宫|商|角|徵|羽)(?:调式|调)"):
        w.mode = ZH_MODES[m.group(1)]


def _read_names(scan: Scan, w: MusicWords) -> None:
    """Style, form and tempo names (waltz → 3/4; allegro → 132)."""
    for pattern, style in STYLES:
        for m in scan.find(pattern):
            if scan.negated(m.start()):
                w.notes.append(f"not {style}: noted, no style chosen from it")
                continue
            w.style = style
            if style in STYLE_METRE and w.metre is None:
                w.metre = STYLE_METRE[style]
    if w.style == "pentatonic" and w.mode in PENTATONIC_OF:
        w.mode = PENTATONIC_OF[w.mode]
    for pattern, form, note in FORMS:
        if scan.find(pattern, flags=0, original=True) if pattern.startswith(r"\bA") else scan.find(pattern):
            w.form = form
            if note:
                w.notes.append(note)
    for pattern, bpm in TEMPO_NAMES:
        if scan.find(pattern) and w.tempo is None:
            w.tempo = bpm


def _read_instruments(scan: Scan, w: MusicWords) -> None:
    """Each instrument with what is asked of it: solo, replace, remove, add (or plain mention)."""
    found: list[tuple[re.Match[str], int, Kind, str]] = []
    for pattern, program, kind, gm in INSTRUMENTS:
        for m in scan.find(rf"(?:{pattern}){INSTRUMENT_SUFFIX}"):
            found.append((m, program, kind, gm))
    found.sort(key=lambda f: f[0].start())
    for m, program, kind, gm in found:
        word = re.sub(INSTRUMENT_SUFFIX + "$", "", scan.text[m.start():m.end()]).strip() or m.group(0)
        before, after = scan.before(m.start()), scan.after(m.end())
        action: str = "feature"
        replaces: str | None = None
        if scan.negated(m.start()) or REMOVED_AFTER.search(after):
            action = "remove"
        elif SOLO_WORDS.search(re.sub(r"(?:\b(?:the|a|an)\b\s*)+$", "", before)[-6:]) or re.match(r"\s*(solo|独奏|only|alone)", after):
            action = "solo"
            w.solo = True
        elif (REPLACE_WORDS.search(scan.before(m.start(), 40))
              or re.match(r"\s*(代替|替代|取代|instead|换成|改成|换为|改为|替换成|被)", after)):
            action, replaces = _replacement(scan, m, found)
        elif ADD_WORDS.search(before):
            action = "add"
        if action == "skip":  # the instrument being replaced: its successor carries it
            continue
        note = f"{word} has no General MIDI sound; using {gm} ({program})" if gm and action != "remove" else ""
        if note:
            w.notes.append(note)
        w.instruments.append(InstrumentWord(word=word, program=program, kind=kind, action=action,  # type: ignore[arg-type]
                                            replaces=replaces, gm_note=note))
    for m in scan.find(DRUMS):
        if scan.negated(m.start()) or REMOVED_AFTER.search(scan.after(m.end())):
            w.no_drums, w.drums = True, False
        elif not w.no_drums:
            w.drums = True


def _replacement(scan: Scan, m: re.Match[str], found: list[Any]) -> tuple[str, str | None]:
    """Who replaces whom: "把钢琴换成吉他", "replace piano with guitar", "guitar instead of piano",
    "用二胡代替笛子"; the instrument being replaced is marked "skip"."""
    before, after = scan.before(m.start(), 40), scan.after(m.end())
    names = [(f[0].start(), re.sub(INSTRUMENT_SUFFIX + "$", "", f[0].group(0))) for f in found]
    same_clause = [(pos, name) for pos, name in names if pos != m.start()
                   and not CLAUSE_END.search(scan.low[min(pos, m.start()):max(pos, m.start())])]
    if re.search(r"instead of\s*$|代替\s*$|替代\s*$|取代\s*$", before):
        return "skip", None  # this one is the old instrument
    if re.match(r"\s*(换成|改成|换为|改为|替换成|被)", after):
        return "skip", None  # "把钢琴换成吉他": 钢琴 is the old one
    if re.match(r"\s*(代替|替代|取代|instead of)", after):
        old = next((n for p, n in same_clause if p > m.start()), None)
        return "replace", old
    if re.search(r"(replace|swap)\s*(?:the\s+)?$", before):
        return "skip", None  # "replace X with Y": X is the old one
    swap = re.search(r"\b(replace|swap)\b", before) and re.search(r"\b(with|for|by)\s+(?:an?\s+|the\s+)?$", before)
    old = next((n for p, n in reversed(same_clause) if p < m.start()
                and (swap or REPLACE_WORDS.search(scan.low[p:m.start()]))), None)
    return "replace", old


def _read_steps(scan: Scan, w: MusicWords) -> None:
    """Faster/slower, louder/softer, busier/simpler, staccato/legato, longer/shorter."""
    totals: dict[str, float] = {}
    for pattern, field, sign in STEPS:
        for m in scan.find(pattern):
            too = pattern.startswith(("太", "too"))
            if not too and scan.negated(m.start()):
                sign_here = -sign
            else:
                sign_here = sign
            before, after = scan.before(m.start()), scan.after(m.end())
            much = MUCH.search(before) or MUCH.search(after) or re.search("很多|得多", m.group(0))
            size = 2.0 if much else 0.7 if LITTLE.search(before) or LITTLE_AFTER.match(after) else 1.0
            totals[field] = totals.get(field, 0.0) + sign_here * size
    for field, step in totals.items():
        step = max(-2.0, min(2.0, step))
        if field == "tempo":  # never less than MIN_BPM_STEP per step (edit_music): "a bit faster" is heard
            w.tempo_factor = round(1.15 ** step, 3)
        elif field == "length":
            w.length_factor = round(1.5 ** step, 3)
        elif field == "dynamics":
            w.dynamics_step, w.dynamics = step, round(min(1.0, max(0.0, 0.6 + 0.2 * step)), 3)
        elif field == "density":
            w.density_step, w.density = step, round(min(1.0, max(0.0, 0.5 + 0.25 * step)), 3)
        elif field == "articulation":
            w.articulation_step = step
            w.articulation = round(min(1.0, max(0.0, 0.75 if step > 0 else 0.1)), 3)


# ---------------------------------------------------------------------------------------------
# Feedback


def _bars_for(seconds: float, tempo: float, metre: str) -> int:
    """Bars for a length, in whole 4-bar phrases."""
    num, den = (int(x) for x in metre.split("/"))
    bar_s = num * 4.0 / den * 60.0 / tempo
    return int(min(128, max(4, 4 * round(seconds / bar_s / 4))))


def edit_music(music: MusicSpec, words: MusicWords) -> tuple[MusicSpec, set[str], list[str]]:
    """The plan after the explicit words, the fields they set, and notes."""
    update: dict[str, Any] = {}
    notes: list[str] = []
    if words.tempo is not None:
        update["tempo"] = words.tempo
    elif words.tempo_factor is not None:
        target = music.tempo * words.tempo_factor
        floor = MIN_BPM_STEP * max(1.0, abs(math.log(words.tempo_factor) / math.log(1.15)))
        if abs(target - music.tempo) < floor:
            target = music.tempo + math.copysign(floor, words.tempo_factor - 1)
        update["tempo"] = int(min(208, max(40, round(target))))
    if words.style is not None and words.style != music.style:
        update["style"] = words.style
        if words.style == "pentatonic" and words.mode is None and music.mode in PENTATONIC_OF:
            update["mode"] = PENTATONIC_OF[music.mode]
        if words.metre is None and words.style in STYLE_METRE:
            update["metre"] = STYLE_METRE[words.style]
        update.update(_style_band_and_tempo(music, words.style, "tempo" in update))
    for name in ("metre", "tonic", "mode", "form"):
        value = getattr(words, name)
        if value is not None:
            update[name] = value
    if update.get("mode") in ("gong", "shang", "jue", "zhi", "yu") and update.get("style", music.style) != "pentatonic":
        update["style"] = "pentatonic"
    if any((words.instruments, words.solo, words.drums, words.no_drums)):
        parts, band_notes = words.band_edit(list(update.get("instruments", music.instruments)))
        notes += band_notes
        update["instruments"] = parts
    for name, size in (("dynamics", 0.2), ("density", 0.2), ("articulation", 0.3)):
        step = getattr(words, f"{name}_step")
        if step is not None:
            update[name] = round(min(1.0, max(0.0, getattr(music, name) + size * step)), 3)
    tempo, metre = update.get("tempo", music.tempo), update.get("metre", music.metre)
    if words.bars is not None:
        update["bars"], update["seconds"] = words.bars, 0.0
    elif words.seconds is not None:
        seconds = min(600.0, words.seconds)
        update["seconds"], update["bars"] = seconds, _bars_for(seconds, tempo, metre)
    elif words.length_factor is not None:
        update["bars"] = int(min(128, max(4, 4 * round(music.bars * words.length_factor / 4))))
        update["seconds"] = 0.0
    elif music.seconds > 0 and ("tempo" in update or "metre" in update):
        update["bars"] = _bars_for(music.seconds, tempo, metre)  # the length asked for still holds
    return music.model_copy(update=update), set(update), notes


def _style_band_and_tempo(music: MusicSpec, style: str, tempo_said: bool) -> dict[str, Any]:
    """A new style brings its own band (unless the person chose one) and its tempo range."""
    out: dict[str, Any] = {}
    if music.style in BAND:
        default = [i.model_dump() for i in band(music.style)]
        if [i.model_dump() for i in music.instruments] == default:
            out["instruments"] = band(style)
    if not tempo_said and style in TEMPO_RANGE:
        lo, hi = TEMPO_RANGE[style]
        out["tempo"] = int(min(hi, max(lo, music.tempo)))
    return out


def music_feedback(text: str, spec: CreativeSpec, delta: SpecDelta) -> SpecDelta:
    """``delta`` with ``set["music"]`` (the whole new plan) when the feedback changes it.

    Mood words move the plan through ``feel`` (or, for moods it has no words for, the spec's
    mood in ``delta`` through ``styles.follow_mood``). Explicit music words win over the mood. Words the rule parser listed as not
    understood but that were read here are taken off its notes.
    """
    if spec.music is None:
        return delta
    words = read_music_words(text)
    for w in words.instruments:
        if w.action == "feature":  # a bare mention in feedback: add it, unless the clause says more
            w.action = "add"
    music, explicit, notes = edit_music(spec.music, words)
    feel = read_feel(text)
    if not feel.is_empty():  # 更欢快, calmer: every cue of the mood, sized to be heard
        moved = feel_plan(spec.music, feel)
    elif words.is_empty():  # a mood this module has no words for ("more romantic"): the spec's mood leads
        moved = follow_mood(spec.music, spec, apply_delta(spec, delta))
    else:  # "staccato", "softer": only what was said (the mood path would move the tempo too)
        moved = spec.music
    music = moved.model_copy(update={k: getattr(music, k) for k in explicit})
    set_ = dict(delta.set)
    if music != spec.music:
        set_["music"] = music.model_dump(mode="json")
    notes = [*_still_unknown(delta.notes, words, set_ != delta.set), *words.notes, *notes]
    return delta.model_copy(update={"set": set_, "notes": list(dict.fromkeys(notes))})


FILLER = re.compile(r"^(入|加|音|音色|声音|般|的|一段|乐曲|曲子|曲|音乐|旋律|部分|改|换|用|solo|独奏|key|of|in|at|"
                    r"sound|part|instead|bpm|拍|秒|分钟|小节|bars?|music|tune)$")


def _still_unknown(notes: list[str], words: MusicWords, changed: bool) -> list[str]:
    """The rule parser's notes minus the words read here."""
    heard = " ".join(words.heard).lower()
    out = []
    for note in notes:
        if note == "no change could be read from the feedback" and changed:
            continue
        if note.startswith("not understood: "):
            left = [q for q in re.findall(r"'([^']*)'", note)
                    if not (q.lower() in heard or (words.heard and FILLER.match(q.lower())))]
            if left:
                out.append("not understood: " + ", ".join(f"'{q}'" for q in left))
            continue
        out.append(note)
    return out
