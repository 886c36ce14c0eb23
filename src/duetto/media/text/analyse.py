"""Measure a text work the way a teacher reads it: form, imagery, tone, repetition, borrowing.

A critique must stand on facts it can point to (line 3 repeats 秋; 落叶 from the brief never
appears; scene 2 says the same sentence seven times), so these functions only count and look
things up; saying what the counts *mean* is the critique's job.

* ``poem_facts``: for a classical poem, the validator's verdict on its form, the brief's imagery
  found whole, in part or not at all, the common classical imagery (意象) it uses, repeated
  characters, modern words, lines too close to the corpus, and its tone from mood characters.
* ``prose_facts``: for a story (Markdown) or a screenplay (Fountain), its length, scenes,
  dialogue share and the n-grams and sentences it repeats (small models loop; this finds it).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from duetto.media.text.classical.forms import get_form
from duetto.media.text.classical.validate import split_lines, validate
from duetto.media.text.corpus import Corpus, guess_form
from duetto.media.text.prose import CJK as HAN
from duetto.media.text.prose import LATIN_WORD, count_words, text_language

SENTENCE_END = re.compile(r"(?<=[.!?。！？…])[\"'”’」』）)]*\s*")
CLAUSE_END = re.compile(r"[，,。！？；…!?;]+[”’」』）)]*\s*|\n+")  # Chinese loops repeat clauses, not sentences

# Common 意象 of Tang and Song poetry and what tradition hears in each (two-character words are
# matched before their single characters, so 明月 is not also counted as 月).
CLASSICAL_IMAGERY: dict[str, tuple[str, str]] = {
    "明月": ("思乡、团圆", "homesickness, reunion"), "落叶": ("凋零、迟暮", "decline, late years"),
    "落花": ("春逝、惜时", "passing spring, fleeting time"), "夕阳": ("迟暮、苍茫", "late years, vastness"),
    "斜阳": ("迟暮、苍茫", "late years, vastness"), "落日": ("苍茫、迟暮", "vastness, late years"),
    "黄昏": ("迟暮、愁思", "late years, sorrow"), "西风": ("萧瑟、悲秋", "bleakness, autumn grief"),
    "秋风": ("萧瑟、悲秋", "bleakness, autumn grief"), "孤舟": ("漂泊、孤独", "wandering, solitude"),
    "杨柳": ("离别", "parting"), "梧桐": ("凄凉、孤寂", "desolation, loneliness"),
    "杜鹃": ("悲苦、思归", "grief, longing for home"), "芳草": ("离愁", "the sorrow of parting"),
    "长亭": ("送别", "farewell"), "鸿雁": ("思乡、书信", "homesickness, letters"), "寒鸦": ("萧索", "desolation"),
    "月": ("思乡、清寂", "homesickness, stillness"), "柳": ("离别、留恋", "parting, lingering"),
    "雁": ("思乡、书信", "homesickness, letters"), "霜": ("清寒、岁晚", "cold, the year's end"),
    "菊": ("高洁、秋意", "integrity, autumn"), "梅": ("高洁、坚贞", "integrity, constancy"), "竹": ("清节", "uprightness"),
    "松": ("坚贞", "constancy"), "烟": ("迷茫、朦胧", "haze, uncertainty"), "雨": ("愁绪、清新", "sorrow, freshness"),
    "舟": ("漂泊", "wandering"), "酒": ("愁绪、豪放", "sorrow, abandon"), "钟": ("空寂、禅意", "emptiness, Zen"),
    "笛": ("思乡", "homesickness"), "灯": ("孤寂、夜思", "loneliness, night thoughts"),
    "云": ("飘逸、游子", "freedom, the traveller"), "江": ("时光、离情", "time, parting"),
    "山": ("坚实、隐逸", "permanence, reclusion"), "水": ("流逝、柔情", "passing, tenderness"),
    "花": ("美好、易逝", "beauty, transience"), "草": ("生机、离愁", "life, parting"),
    "风": ("动荡、流转", "unrest, change"), "雪": ("清寒、高洁", "cold, purity"), "鸦": ("萧瑟", "bleakness"),
    "蝉": ("高洁、秋声", "purity, autumn's voice"), "楼": ("登临、怀远", "climbing high, thinking of the far"),
    "桥": ("离别、相思", "parting, longing"), "叶": ("凋零", "decline"), "秋": ("悲秋、萧瑟", "autumn grief, bleakness"),
    "春": ("生机、惜春", "life, spring's passing"), "暮": ("迟暮", "late years"), "夜": ("寂静、思念", "silence, longing"),
}

# Words a poem may use instead of the brief's own (黄昏 shown as 暮 or 夕阳): an echo, not a miss.
ECHOES: dict[str, tuple[str, ...]] = {
    "黄昏": ("暮", "晚", "夕", "斜阳", "落日", "残阳"), "落叶": ("黄叶", "红叶", "木落", "叶落", "落木", "凋"),
    "秋日": ("秋",), "秋天": ("秋",), "月亮": ("月", "蟾", "婵娟"), "明月": ("月",), "夕阳": ("斜阳", "落日", "残阳", "夕"),
    "春天": ("春",), "雪": ("霰", "琼"), "大海": ("海", "沧溟"), "故乡": ("乡", "故园", "家山"), "离别": ("别", "送"),
    "金色": ("金", "黄金"), "渔火": ("渔灯", "灯火"), "炊烟": ("烟",), "夜晚": ("夜", "宵"), "细雨": ("雨",),
    "荷塘": ("荷", "莲", "芙蓉"), "蛙声": ("蛙",), "鸟鸣": ("鸟", "莺", "啼"), "竹林": ("竹", "篁"),
    "长亭": ("亭",), "送别": ("别", "送"), "黄沙": ("沙",), "孤城": ("城",), "杏花": ("杏",), "春雨": ("雨",),
    "山村": ("村",),
}

# Characters that colour a poem's tone, by the canonical mood names specs use.
TONE_CHARS: dict[str, str] = {
    "melancholic": "愁悲泪伤哀恨怨苦凄怅憔悴残衰凋零落断",
    "lonely": "孤独寂寥空单只",
    "calm": "静闲幽清淡悠安宁恬",
    "joyful": "欢喜笑乐晴暖艳歌舞",
    "nostalgic": "故乡旧忆思归梦念",
    "solemn": "万千壮雄苍茫古",
    "cold": "寒冷凉霜冰",
}

# Words a 近体诗 line almost never holds (modern particles and colloquialisms): a learner's tell.
MODERN_WORDS: tuple[str, ...] = (
    "的", "了", "吗", "呢", "们", "这", "啊", "吧", "很", "她", "它", "糟", "美丽", "快乐", "感觉",
    "心情", "世界", "时候", "非常", "已经", "一下", "东西", "喜欢", "工作", "真的",
)


class Repeat(BaseModel):
    text: str
    count: int


class ImageryHit(BaseModel):
    word: str = Field(description="An image the brief asked for.")
    found: Literal["whole", "part", "echo", "absent"]
    chars: list[str] = Field(default_factory=list, description="part: its characters in the poem; echo: the stand-ins.")


class PoemFacts(BaseModel):
    form: str | None = Field(description="The form checked against (its Chinese name), None if unknown.")
    form_ok: bool | None
    form_issues: list[str] = Field(default_factory=list, description="The validator's messages (zh / en).")
    rhyme_group: str | None = None
    variant: str | None = None
    lines: list[str]
    chars: int
    brief_imagery: list[ImageryHit]
    classical_imagery: dict[str, tuple[str, str]] = Field(description="意象 found → what tradition hears in it (zh, en).")
    repeated_chars: list[Repeat]
    modern_words: list[str]
    copied: list[str] | None = Field(description="Lines near a corpus line; None when no corpus is installed.")
    tone: dict[str, list[str]] = Field(description="Mood → the characters that carry it.")


class ProseFacts(BaseModel):
    kind: Literal["story", "script"]
    language: Literal["zh", "en"]
    words: int = Field(description="CJK characters plus Latin words.")
    sentences: int
    scenes: int
    dialogue_share: float = Field(description="Share of the words spoken by characters.")
    characters: list[str] = Field(default_factory=list, description="Speaking characters (scripts).")
    repeated_ngrams: list[Repeat] = Field(description="Word 5-grams (en) or 8-character runs (zh) said 3+ times.")
    repeated_sentences: list[Repeat]
    repetition_share: float = Field(description="Share of sentences that repeat an earlier one.")
    unfinished: list[int] = Field(default_factory=list,
                                  description="Sections (stories) or scenes (scripts) that stop mid-sentence, from 0.")
    event_missing: list[str] = Field(default_factory=list, description="The brief's words the work never uses.")
    script_issues: list[str] = Field(default_factory=list,
                                     description="Scripts: premise broken, a character speaking after leaving, "
                                                 "unbalanced quotes, empty parentheticals, lines said twice.")


# -- poems --------------------------------------------------------------------------------------


def imagery_in(text: str) -> dict[str, tuple[str, str]]:
    """The common classical images a poem uses, longest words first (明月 is not also 月)."""
    found: dict[str, tuple[str, str]] = {}
    rest = text
    for word in sorted(CLASSICAL_IMAGERY, key=len, reverse=True):
        if word in rest:
            found[word] = CLASSICAL_IMAGERY[word]
            rest = rest.replace(word, "　")
    return found


def brief_imagery(text: str, wanted: list[str]) -> list[ImageryHit]:
    """Each image the brief named: in the poem whole, in part (黄昏 → 昏), or not at all."""
    hits = []
    for word in wanted:
        han = HAN.findall(word)
        if not han:
            continue
        if word in text:
            hits.append(ImageryHit(word=word, found="whole"))
            continue
        echoes = [e for e in ECHOES.get(word, ()) if e in text]
        if echoes:
            hits.append(ImageryHit(word=word, found="echo", chars=echoes))
            continue
        chars = [ch for ch in dict.fromkeys(han) if ch in text]
        hits.append(ImageryHit(word=word, found="part" if chars else "absent", chars=chars))
    return hits


def tone_of(text: str) -> dict[str, list[str]]:
    out = {mood: [ch for ch in dict.fromkeys(chars) if ch in text] for mood, chars in TONE_CHARS.items()}
    return {m: chs for m, chs in sorted(out.items(), key=lambda kv: -len(kv[1])) if chs}


def poem_facts(text: str, form: str | None, imagery: list[str], corpus: Corpus | None) -> PoemFacts:
    """Everything countable about a classical poem. ``form`` None: guessed from the line shape
    (五绝/七绝/五律/七律) or left unchecked."""
    lines = [ln for ln in split_lines(text) if ln]
    chosen = form or guess_form(text.splitlines())
    report = None
    if chosen:
        report = validate(text, get_form(chosen))
        lines = report.lines
    body = "".join(lines)
    refrain = set()
    if report is not None:
        for line, _ in get_form(chosen).refrains:  # type: ignore[arg-type]
            if line <= len(lines):
                refrain.update(lines[line - 1])
    counts = Counter(ch for ch in body if ch not in refrain)
    copied = None
    if corpus is not None:
        copied = [f"{m.clause} ≈ {m.corpus_clause} ← {m.author}《{m.title}》 ({m.kind})" for m in corpus.copied_lines(text)]
    return PoemFacts(
        form=report.form_zh if report else None,
        form_ok=report.ok if report else None,
        form_issues=[i.message for i in report.issues] if report else [],
        rhyme_group=report.rhyme_group if report else None,
        variant=report.variant if report else None,
        lines=lines,
        chars=len(body),
        brief_imagery=brief_imagery(body, imagery),
        classical_imagery=imagery_in(body),
        repeated_chars=[Repeat(text=ch, count=n) for ch, n in counts.most_common() if n > 1],
        modern_words=[w for w in MODERN_WORDS if w in body],
        copied=copied,
        tone=tone_of(body),
    )


# -- stories and screenplays ---------------------------------------------------------------------


def _units(text: str, language: str) -> list[str]:
    return HAN.findall(text) if language == "zh" else [w.lower() for w in LATIN_WORD.findall(text)]


def repeated_ngrams(text: str, language: str, min_count: int = 3) -> list[Repeat]:
    """Runs said ``min_count``+ times: word 5-grams in English, 8-character runs in Chinese.
    Overlapping runs of one loop are reported once (the longest-lived start of each loop)."""
    n = 8 if language == "zh" else 5
    units = _units(text, language)
    joiner = "" if language == "zh" else " "
    starts: dict[str, list[int]] = {}
    for i in range(len(units) - n + 1):
        starts.setdefault(joiner.join(units[i : i + n]), []).append(i)
    covered = [False] * len(units)
    out: list[Repeat] = []
    for where in sorted(starts.values(), key=len, reverse=True):
        if len(where) < min_count:
            break
        if all(any(covered[i : i + n]) for i in where):  # a shifted window of a loop already reported
            continue
        lo, hi = 0, n  # grow the phrase while every occurrence still agrees (a clause, not 5 words)
        while hi < 3 * n and all(i + hi < len(units) and units[i + hi] == units[where[0] + hi] for i in where):
            hi += 1
        while lo > -2 * n and all(i + lo > 0 and units[i + lo - 1] == units[where[0] + lo - 1] for i in where):
            lo -= 1
        for i in where:
            covered[max(0, i + lo) : i + hi] = [True] * (hi - lo)
        out.append(Repeat(text=joiner.join(units[where[0] + lo : where[0] + hi]), count=len(where)))
    return out[:8]


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences (en) or clauses (zh: a model's Chinese loops repeat comma-separated clauses)."""
    pattern = CLAUSE_END if language == "zh" else SENTENCE_END
    return [s.strip() for s in pattern.split(text) if len(s.strip()) > 3]


def prose_facts(text: str, kind: Literal["story", "script"], brief: str = "") -> ProseFacts:
    """Length, scenes, dialogue and repetition of a Markdown story or a Fountain screenplay; with
    the ``brief``, also what of it the work never uses (and, for a script, the premise facts it
    breaks: ``script_check``). The engines run the same checks after writing (``coherence``)."""
    from duetto.media.text.coherence import check_sections, event_words, uses

    language = text_language(text)
    unfinished: list[int] = []
    script_issues: list[str] = []

    characters: list[str] = []
    if kind == "script":
        from duetto.media.text.fountain import parse_fountain

        play = parse_fountain(text)
        spoken = " ".join(e.text for e in play.elements if e.kind == "dialogue")
        prose = [e.text for e in play.elements if e.kind in ("action", "dialogue")]
        scenes = sum(1 for e in play.elements if e.kind == "heading")
        characters = list(dict.fromkeys(re.sub(r"\s*\(.*\)$", "", e.text) for e in play.elements if e.kind == "character"))
        body = "\n".join(prose)
        from duetto.media.text.fountain import scenes_of
        from duetto.media.text.script_check import check_scenes, premise_facts

        acts = scenes_of(play)
        lasts = [[it[1] if it[0] == "action" else it[3] for it in sc.body if it[0] in ("action", "dialogue")] for sc in acts]
        unfinished = check_sections([t[-1] if t else "" for t in lasts], "").unfinished
        script_issues = [i.message for i in check_scenes(acts, premise_facts(brief), characters)]
    else:
        body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#") and not ln.startswith("*"))
        scenes = sum(1 for ln in text.splitlines() if ln.startswith("## "))
        unfinished = check_sections([p.strip() for p in re.split(r"^## .*$", text, flags=re.M)[1:]], "").unfinished
        quoted = re.findall(r"“[^”]*”|「[^」]*」|\"[^\"]*\"", body)
        speech = [ln.split(":", 1)[1] for ln in body.splitlines() if re.match(r"^[A-Z][\w .]{0,30}:\s", ln)]
        spoken = " ".join(quoted + speech)
    sentences = split_sentences(body, language)
    seen: Counter[str] = Counter(sentences)
    repeats = [Repeat(text=s, count=n) for s, n in seen.most_common() if n > 1]
    words = count_words(body)
    return ProseFacts(
        kind=kind, language=language, words=words, sentences=len(sentences), scenes=scenes,
        dialogue_share=round(count_words(spoken) / words, 4) if words else 0.0, characters=characters,
        repeated_ngrams=repeated_ngrams(body, language), repeated_sentences=repeats[:6],
        repetition_share=round(sum(n - 1 for n in seen.values()) / len(sentences), 4) if sentences else 0.0,
        unfinished=unfinished, event_missing=[w for w in event_words(brief) if not uses(body, w)],
        script_issues=script_issues,
    )
