"""Which medium a brief asks for: 七言绝句 → poem, 一首钢琴曲 → music, "a painting and a poem" → both.

``read_medium`` is cheap on purpose (the CLI asks it on every start when no medium is given): it
reads the text with regular expressions built once from the small tables below, and loads no
model and no jieba. The tables keep the lexicon's style: one ``|``-separated group per line,
Chinese and English side by side.

How a brief is read:

* *names* decide (诗, painting, 钢琴曲, waltz, 七绝, "for strings", 二胡独奏); *hints* (一幅,
  慢板, "in D minor", seascape) decide only when nothing is named; with neither, painting;
* a word that only contains a medium word names none and is masked first (诗意, 画家, 曲线,
  歌颂, 音乐会, "sheet music"); the longer match wins where two overlap (钢琴小品 over 小品);
* a simile names no medium: 像一首歌, 诗一般的, "a sunset like a song";
* the first name is the medium; a later one joins it, in the order named, unless it is only
  the subject: after about/of/inspired by … in English ("a poem about a painting"), before
  的 … and a later name in Chinese (关于画的诗), or after 为/关于/描写 (为这首诗配一幅画). A
  connector (and, with, then, 配, 再, 和) or a new clause starts a new request.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from duetto.spec import Medium

DEFAULT = "painting"

# ---------------------------------------------------------------------------------------------
# Names: words that name a medium. Poem form names are added from the poet's own tables
# (``_form_names``); English words also match their plural (poems, songs, stories).

_NAMES: tuple[tuple[str, str], ...] = (
    (("画|绘画|画作|画儿|图画|插画|插图|油画|水彩|水彩画|水墨|水墨画|国画|工笔|工笔画|写意画|素描"
      "|速写|版画|壁画|海报|漫画|山水画|花鸟画|风景画|抽象画|画卷|画布|作画|绘制|涂鸦"),
     "painting"),
    (("painting|paint|draw|drawing|picture|illustration|sketch|watercolour|watercolor"
      "|oil painting|ink painting|ink wash|canvas|artwork|art piece|piece of art|work of art"
      "|poster|mural|portrait|still life|woodcut|wallpaper|abstract painting|abstract art"),
     "painting"),
    (("诗|诗歌|古诗|小诗|诗句|诗篇|唐诗|宋词|绝句|律诗|七言|五言|七言诗|五言诗|古体诗|近体诗"
      "|词牌|小令|填词|一阕|一首词|一阕词|藏头诗|散文诗|打油诗|对联|楹联"),
     "poem"),
    (("poem|poetry|verse|quatrain|regulated verse|ode|elegy|couplet|rhyme|nursery rhyme|tanka"
      "|villanelle|ghazal|jueju|lushi|tang poem|ci poem"),
     "poem"),
    ("故事|小说|短篇|短篇小说|微小说|童话|寓言|睡前故事|散文|随笔|绘本|图画书", "story"),
    (("story|stories|tale|fable|short story|novel|novella|fairy tale|bedtime story|parable"
      "|flash fiction|picture book"),
     "story"),
    ("剧本|脚本|短剧|话剧|舞台剧|独幕剧|小品|情景剧|一场戏|一出戏|分镜|台词|对白|独白|戏剧", "script"),
    (("script|screenplay|teleplay|stage play|one-act play|radio play|skit|sketch comedy"
      "|comedy sketch|comic sketch|sitcom|dialogue|monologue|drama"),
     "script"),
    (("乐曲|音乐|曲子|曲目|一曲|小曲|歌|歌曲|一首歌|民歌|情歌|儿歌|山歌|歌谣|歌词|歌剧|乐章|旋律"
      "|配乐|纯音乐|轻音乐|背景音乐|舞曲|圆舞曲|进行曲|小夜曲|夜曲|摇篮曲|奏鸣曲|交响曲|交响乐"
      "|协奏曲|狂想曲|幻想曲|变奏曲|序曲|组曲|练习曲|前奏曲|随想曲|回旋曲|主题曲|片尾曲|片头曲"
      "|民乐|管弦乐|室内乐|独奏|合奏|重奏|二重奏|三重奏|四重奏|作曲|谱曲|编曲|民谣|说唱|摇滚|单曲"
      "|唱片|专辑"),
     "music"),
    (("music|song|melody|tune|waltz|sonata|nocturne|lullaby|symphony|concerto|etude|étude"
      "|serenade|prelude|fugue|requiem|anthem|hymn|jingle|soundtrack|film score|theme song"
      "|ballad|lo-fi|lofi|bgm|instrumental|piece of music|chamber music|minuet|polka"
      "|rhapsody|overture|aria|opera|duet|string quartet|orchestral piece|lyrics"),
     "music"),
)

# Hints: they decide only when nothing in the brief is named.
_HINTS: tuple[tuple[str, str], ...] = (
    ("一幅|一张|画面|构图|笔触|seascape|cityscape|landscape|brushstrokes|brushwork", "painting"),
    ("一篇|一则", "story"),
    (("慢板|快板|行板|柔板|广板|急板|小调|大调|调式|节拍|拍子|和弦|tempo|bpm|adagio|allegro"
      "|andante|largo|presto|lento|moderato|minor key|major key|chord progression|bassline|riff"),
     "music"),
)
_HINT_FRAMES: tuple[tuple[str, str], ...] = (
    (r"\bin [a-g](?:[ -]?(?:sharp|flat|#|b))? (?:minor|major)\b|(?<![\d/])[2346]/[48](?![\d/])",
     "music"),
)

# Instruments, for the frames below: an instrument is the subject in 二胡独奏, "for strings".
_INSTRUMENTS_ZH = (
    "钢琴|电钢琴|小提琴|中提琴|大提琴|提琴|低音提琴|二胡|古筝|筝|古琴|琵琶|笛子|竹笛|笛|箫|洞箫"
    "|扬琴|唢呐|马头琴|笙|吉他|竖琴|长笛|短笛|单簧管|双簧管|萨克斯|小号|长号|圆号|大号|手风琴"
    "|口琴|马林巴|木琴|八音盒|音乐盒|管风琴|风琴|弦乐|铜管|打击乐|鼓|架子鼓|合成器|尤克里里"
)
_INSTRUMENTS_EN = (
    "piano|electric piano|violin|viola|cello|double bass|bass|guitar|acoustic guitar"
    "|electric guitar|harp|flute|piccolo|clarinet|oboe|bassoon|saxophone|sax|trumpet|trombone"
    "|french horn|horn|tuba|accordion|harmonica|marimba|xylophone|vibraphone|celesta|organ"
    "|harpsichord|strings|string orchestra|orchestra|chamber orchestra|brass|brass band"
    "|woodwinds|choir|drums|percussion|synth|synthesizer|erhu|guzheng|pipa|dizi"
    "|guqin|ukulele|banjo|music box"
)

# Frames: regular expressions that name a medium in context; {zh} / {en} stand for the
# instrument names. Written for the case-folded text.
_FRAMES: tuple[tuple[str, str], ...] = (
    (r"(?:{zh})(?:独奏|合奏|重奏|协奏|演奏|曲|小品|版|solo)", "music"),
    (r"(?:用|由|为)(?:{zh})(?:和(?:{zh}))?(?:演奏|弹奏|独奏|而作|来弹|来拉|弹|拉|吹|写)", "music"),
    (r"(?:弹|拉|吹|(?<!节)奏|唱|哼)(?:一首|一段|一曲|首|段|曲)", "music"),
    ((r"\bfor (?:solo |two |a |an |full |small )?(?:{en})(?:(?:,| and| &) (?:solo )?(?:{en}))*"
      r"(?=$|\s*[,.;:!?，。]|\s+(?:and|&|or|in|with|that|at|on|to|solo|alone|only|which|for|about)\b)"),
     "music"),
    (r"\b(?:solo|unaccompanied) (?:{en})\b", "music"),
    ((r"\b(?:{en}) (?:solo|duet|trio|quartet|quintet|concerto|sonata|piece|music|tune|ballad"
      r"|improvisation|etude|nocturne)s?\b"), "music"),
    ((r"(?<!train )(?<!race )(?<!railway )(?<!railroad )(?<!dirt )(?<!tram )(?<!running )"
      r"\btrack\b(?! (?:through|across|along|over|into|of)\b)"), "music"),
    ((r"\b(?:an?|funeral|military|wedding|slow|triumphal|triumphant|victory|grand|festive)"
      r" march(?:es)?\b(?! (?:morning|afternoon|evening|night|day|wind|rain|sky|sun)\b)"), "music"),
    ((r"\b(?:write|writing|draft|stage|act out|film) (?:a |an |one |the )?(?:short |brief )?scene\b"
      r"|\b(?:comic|comedy|dramatic|slapstick|tragic|opening|closing|final|one-act|dialogue"
      r"|stage|film|movie|sitcom|breakup) scene\b|\bscene(?= (?:where|in which|between|with"
      r" dialogue)\b)|\bscene for (?:a|the) (?:play|film|movie|stage|drama)\b"), "script"),
    ((r"\b(?:two-act|three-act|stage|radio|short|school|puppet) play\b"
      r"|\ba play(?= (?:about|where|in which|set in|for two|for three)\b)"), "script"),
)

# Words that contain a medium word but name none.
_NOT_MEDIA = (
    "诗意|诗情|诗情画意|诗人|诗集|诗会|诗社|诗书|诗性|画家|画师|画匠|画廊|画展|画室|画笔|画板|画眉"
    "|画外音|画面感|画意|如画|入画|计划|规划|策划|刻画|笔画|比画|画饼|画蛇添足|音乐会|音乐家|音乐节"
    "|音乐厅|音乐感|音乐性|音乐人|音乐课|歌手|歌者|歌星|歌唱家|歌颂|讴歌|唱歌|歌剧院|歌舞厅|曲线|弯曲"
    "|曲折|扭曲|曲径|曲面|蜷曲|卷曲|歪曲|委曲|曲奇|小说家|故事性|故事感|剧院|剧场|戏剧性|戏剧感"
    "|旋律感|地图|试图|意图|画龙点睛|音乐盒|sheet music|music notes|drawing room|draw near"
    "|draw closer|verse and chorus|verses and chorus|verse-chorus|opera house|in tune|out of tune"
    "|polka dot|polka dots|novel idea|novel ideas|novel approach|novel way"
)
_NOT_MEDIA_FRAMES = (r"\b\w+-stor(?:y|ey|ies)\b",)  # a two-story house

# ---------------------------------------------------------------------------------------------
# Context: similes, subjects and connectors (read on the case-folded text).

_CLAUSE = re.compile(r"[，。,.;；!！?？:：\n…]")
_SIMILE_EN = re.compile(
    r"(?:(?<!would )(?<!i'd )(?<!we'd )(?<!i )(?<!we )(?<!you )(?<!-)\blike|(?<!well )(?<!such )\bas"
    r"|\bresembling"
    r"|\bakin to) (?:a |an |the |some )?(?:[a-z'-]+ )?$"
)
_SIMILE_ZH = re.compile(
    r"(?<![例比假譬不])(?:像|如(?![果何此今])|似|宛如|仿佛|好像|犹如|好似|恰似|如同|宛若)"
    r"(?:一首|一幅|一段|一曲|一篇|一部|一场|一支|首|幅|段|曲|篇)?(?P<between>[^，。,.;；!！?？:：]{0,6})$"
)
_SIMILE_AFTER = re.compile(r"-like\b|一样|一般|般|似的|那样|式的")  # matched right after the name
_SIMILE_HEAD = re.compile(r"(?:那样|一样|般|似)的")  # 像梵高那样的画: the 画 is the head
_SUBJECT_EN = re.compile(
    r"\b(?:about|of|on|depicting|depicts|describing|describes|showing|shows|portraying"
    r"|inspired by|based on|after|featuring|called|titled|named|that|which|who|whose|where"
    r"|tells|telling|evoking|evokes|for|playing|plays|reading|reads|hearing|hears)\b"
)
_SUBJECT_ZH = re.compile(
    r"关于|描写|描绘|描述|讲述|刻画|根据|按照|听着|读着|看着|(?<![因作成认以])为(?![了何什])|给|把|将"
)
_SUBJECT_FIRST = re.compile(  # right before a first name: 为这首诗(配一幅画), "inspired by a song"
    r"(?:为|给|把|将|关于|描写|描绘|根据|按照|听着|读着|看着)(?:这|那|此|一|我的|你的|他的|她的)?"
    r"(?:首|幅|段|个|篇|张|支|曲|部|场)?$"
    r"|\b(?:about|of|inspired by|based on|after|depicting|describing) (?:a |an |the |this |that "
    r"|my |your |his |her |their |some )?(?:[a-z'-]+ )?$"
)
_EXISTING = re.compile(  # 这首诗(配一段音乐), "my poem, set to music": a work that is already there
    r"(?:这|那|此)(?:首|幅|段|篇|个|部|张|支|曲)$|\b(?:this|that|my|our|your) (?:[a-z'-]+ )?$"
)
_CONNECTOR = re.compile(
    r"\b(?:and|plus|then|with|also|as well as|along with|together with|followed by"
    r"|accompanied by|paired with|set to|after that|afterwards|next|finally)\b"
    r"|和|与|配|再|并|以及|加上|还有|然后|另外|同时|"
    + _CLAUSE.pattern
)


class MediumReading(BaseModel):
    """What a brief asks to be made, and the words that said so."""

    media: list[Medium] = Field(min_length=1, description="What to make, in the order named.")
    words: list[str] = Field(default_factory=list, description="The words that decided it, as written; "
                             "empty when defaulted.")
    defaulted: bool = Field(False, description="Nothing decided it and painting was chosen.")

    def describe(self) -> str:
        """One line for people: 'poem (from "七言绝句")'."""
        if self.defaulted:
            return f"{DEFAULT} (nothing in the brief named another medium)"
        words = ", ".join(f'"{w}"' for w in self.words)
        return f"{' + '.join(self.media)} (from {words})"


def read_medium(brief: str) -> MediumReading:
    """The medium (or media, in order) a brief names; painting, ``defaulted``, when none."""
    text = brief.strip() if isinstance(brief, str) else ""
    hits = _hits(text)
    for strength in ("name", "hint"):
        chosen = _choose(text, [h for h in hits if h.strength == strength])
        if chosen:
            media = list(dict.fromkeys(h.medium for h in chosen))
            words = list(dict.fromkeys(text[h.start:h.end] for h in chosen))
            return MediumReading(media=media, words=words)
    return MediumReading(media=[DEFAULT], defaulted=True)


# ---------------------------------------------------------------------------------------------
# Matching


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    medium: str  # "" for a masked word
    strength: str  # "name", "hint" or "mask"


def _words(group: str) -> list[str]:
    return [w.strip().lower() for w in group.split("|") if w.strip()]


def _word_pattern(word: str) -> str:
    if not word.isascii():
        return re.escape(word)
    body = r"[\s-]+".join(re.escape(p) for p in re.split(r"[\s-]+", word))
    return rf"(?<![a-z]){body}(?:s|es)?(?![a-z])"


def _form_names() -> list[str]:
    """Poem forms the poet knows: 七言绝句, 七绝, 如梦令, haiku, sonnet, "seven-character quatrain",
    qilv. A 词牌's other names and English titles are left out (望江南, "like a dream"): they are
    everyday phrases far more often than forms."""
    from duetto.brief.lexicon import poem_form_groups
    from duetto.media.text.classical.forms import list_forms

    out = [w for group, _ in poem_form_groups() for w in _words(group)]
    for form in list_forms():
        for alias in (form.name, *form.aliases):
            a = alias.lower()
            if a.isascii() and ("quatrain" in a or "verse" in a or " " not in a
                                or a.replace(" ", "") == form.name):
                out.append(a)
    return list(dict.fromkeys(out))


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(pattern, medium, strength), built on first use; read-only afterwards."""
    zh, en = (
        "|".join(re.escape(w) for w in sorted(_words(g), key=len, reverse=True))
        for g in (_INSTRUMENTS_ZH, _INSTRUMENTS_EN)
    )
    en = en.replace(r"\ ", " ")
    out: list[tuple[re.Pattern[str], str, str]] = []

    def words(group: list[str], medium: str, strength: str) -> None:
        alts = "|".join(_word_pattern(w) for w in sorted(group, key=len, reverse=True))
        out.append((re.compile(alts), medium, strength))

    for group, medium in _NAMES:
        words(_words(group), medium, "name")
    words(_form_names(), "poem", "name")
    for frame, medium in _FRAMES:
        out.append((re.compile(frame.replace("{zh}", zh).replace("{en}", en)), medium, "name"))
    for group, medium in _HINTS:
        words(_words(group), medium, "hint")
    for frame, medium in _HINT_FRAMES:
        out.append((re.compile(frame), medium, "hint"))
    words(_words(_NOT_MEDIA), "", "mask")
    for frame in _NOT_MEDIA_FRAMES:
        out.append((re.compile(frame), "", "mask"))
    return tuple(out)


def _hits(text: str) -> list[_Hit]:
    """Every match, overlaps resolved: the longer wins, a mask wins a tie, then the earlier."""
    low = _fold(text)
    found = [
        _Hit(m.start(), m.end(), medium, strength)
        for pattern, medium, strength in _patterns()
        for m in pattern.finditer(low)
        if m.end() > m.start()
    ]
    found.sort(key=lambda h: (-(h.end - h.start), h.strength != "mask", h.start))
    kept: list[_Hit] = []
    for h in found:
        if not any(h.start < k.end and k.start < h.end for k in kept):
            kept.append(h)
    return sorted((h for h in kept if h.strength != "mask"), key=lambda h: h.start)


def _fold(text: str) -> str:
    """Lower case with the same offsets as ``text`` (a few letters lower to two characters)."""
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _choose(text: str, hits: list[_Hit]) -> list[_Hit]:
    """The hits that ask for a medium: not similes, not what another name is about."""
    low = _fold(text)
    live = [h for h in hits if not _simile(low, h)]
    live = [h for i, h in enumerate(live) if not _zh_modifier(low, h, live[i + 1:])]
    chosen: list[_Hit] = []
    for h in live:
        if chosen and _subject_since(low, chosen[-1].end, h.start):
            continue
        if not chosen and _SUBJECT_FIRST.search(low[_clause_start(low, h.start):h.start]):
            continue
        chosen.append(h)
    if len(chosen) > 1 and _EXISTING.search(low[_clause_start(low, chosen[0].start):chosen[0].start]):
        chosen = chosen[1:]  # the first is the work the others are for
    return chosen


def _clause_start(low: str, at: int) -> int:
    ends = [m.end() for m in _CLAUSE.finditer(low, 0, at)]
    return ends[-1] if ends else 0


def _clause_end(low: str, at: int) -> int:
    m = _CLAUSE.search(low, at)
    return m.start() if m else len(low)


def _simile(low: str, h: _Hit) -> bool:
    """像一首歌, 诗一般的, "like a song": the name says what something resembles."""
    if _SIMILE_AFTER.match(low, h.end):
        return True
    before = low[_clause_start(low, h.start):h.start]
    m = _SIMILE_ZH.search(before)
    if m and not _SIMILE_HEAD.search(m.group("between")):
        return True
    return _SIMILE_EN.search(before) is not None


def _zh_modifier(low: str, h: _Hit, later: list[_Hit]) -> bool:
    """关于画的诗, 有音乐的画: a name before 的 and a later name in the same clause, nothing
    joining them, is what the later one is about."""
    end = _clause_end(low, h.end)
    for nxt in later:
        if nxt.start >= end:
            return False
        between = low[h.end:nxt.start]
        if "的" in between and not _CONNECTOR.search(between):
            return True
    return False


def _subject_since(low: str, after: int, at: int) -> bool:
    """A subject marker between the last chosen name and this one, and no connector after the
    marker: "a poem about a painting", 写一首诗，描写一幅画."""
    between = low[after:at]
    joins = [m.span() for m in _CONNECTOR.finditer(between)]
    marks = [m.end() for rx in (_SUBJECT_EN, _SUBJECT_ZH) for m in rx.finditer(between)
             if not any(a <= m.start() and m.end() <= b for a, b in joins)]  # "after that" joins
    return bool(marks) and not any(a >= max(marks) for a, _ in joins)
