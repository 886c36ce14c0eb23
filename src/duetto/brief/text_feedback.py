"""What people ask of a poem's next version, in Chinese and English: tone, images and length.

The rule parser's lexicon hears moods and colours; a poem also gets "更明快一些", "加上月亮",
"不要落叶", "短一点", "much longer". ``read_text_asks`` reads those clause by clause (a clause ends
at punctuation, so "brighter, without the moon" is two asks) and ``text_feedback`` writes them
into the spec's ``TextSpec``, which the poet's revise acts on (media/text/retouch.py) and the
felt benchmark measures (media/text/felt.py). Degree words scale the ask: "a bit" and plain ask
for one step a reader notices, "much" for two.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from duetto.spec import CreativeSpec, SpecDelta, TextSpec

TEXT_MEDIA = ("poem", "story", "script")
TONE_VALENCE_STEP = 0.2  # each tone step also moves the spec's valence, so a later new draft follows
SHORTER = {1: 0.8, 2: 0.6}
LONGER = {1: 1.3, 2: 1.6}

CLAUSE = re.compile(r"[，,。.;；!！?？\n]+|\band\b|\bbut\b|并且|而且|同时|然后")
MUCH = re.compile(r"很多|得多|多了|许多|大大|大幅|非常|十分|特别|极|much|far|a lot|lots|way|significantly|"
                  r"considerably|greatly|really|very")
NEGATE = re.compile(r"不要太|别太|不那么|别那么|没那么|不要那么|少一?[点些]|减少|减弱|\bless\b|\bnot so\b|\bnot as\b")

TONE_UP = re.compile(r"明快|明亮|欢快|开心|快乐|愉快|乐观|温暖|轻快|开朗|喜悦|阳光|积极|欢乐|明朗|高兴|欢喜|喜庆|暖|"
                     r"bright|happ|cheer|joy|hope|upbeat|positive|warm|sunn|light(?:er)? in tone|lighter|merr|glad")
TONE_DOWN = re.compile(r"忧伤|悲伤|伤感|悲凉|哀伤|沉郁|凄凉|低沉|惆怅|阴郁|黯然|悲|愁|忧郁|沉重|凄|"
                       r"sad|dark|gloom|melanchol|sorrow|bleak|mournful|somb|grim|wistful|blue(?:r)? in tone")
SHORT = re.compile(r"短|精简|简洁|压缩|删减|少几[句行]|少写|shorter|shorten|trim|concise|tighter|brief|condense|"
                   r"fewer lines|cut (?:it )?down")
LONG = re.compile(r"(?<![长])长(?![江城安亭河久])|加长|扩写|多写几[句行]|多几[句行]|展开|续写|longer|lengthen|expand|"
                  r"more lines|extend|another stanza|add (?:a few |some )?lines")
ADD = re.compile(r"加|添|写|有|多|增|带|出现|要|\badd|\bmore\b|\bwith\b|include|put|bring|mention|\bsome\b")
REMOVE = re.compile(r"不要|去掉|删掉|删去|删除|别写|不写|没有|去除|拿掉|别有|不用|无|without|\bno\b|remove|drop|take out|"
                    r"get rid of|lose the|leave out|cut the")

# Image words a person uses → the felt image kind (longest first when matching).
IMAGE_WORDS: dict[str, tuple[str, ...]] = {
    "moon": ("月亮", "明月", "月光", "月色", "圆月", "月", "moonlight", "moon"),
    "sun": ("太阳", "夕阳", "阳光", "落日", "朝阳", "sunset", "sunlight", "sunshine", "sun"),
    "stars": ("星星", "星空", "繁星", "星", "stars", "star"),
    "clouds": ("云朵", "白云", "云", "clouds", "cloud"),
    "rain": ("雨水", "细雨", "春雨", "雨", "rain"),
    "snow": ("雪花", "白雪", "雪", "snow"),
    "mist": ("雾气", "烟雾", "雾", "mist", "fog"),
    "wind": ("秋风", "春风", "风", "wind", "breeze"),
    "leaves": ("落叶", "树叶", "叶子", "红叶", "枫叶", "叶", "leaves", "leaf"),
    "flowers": ("花朵", "鲜花", "梅花", "桃花", "荷花", "菊花", "花", "flowers", "flower", "blossoms", "blossom"),
    "trees": ("树木", "柳树", "松树", "树", "trees", "tree", "willows", "willow", "pines"),
    "birds": ("飞鸟", "大雁", "鸟儿", "鸟", "雁", "birds", "bird", "geese"),
    "water": ("江水", "河流", "流水", "湖水", "溪水", "江", "河", "湖", "水", "river", "stream", "lake", "sea", "water"),
    "mountains": ("山峰", "群山", "远山", "山", "mountains", "mountain", "hills", "hill"),
    "boat": ("小船", "孤舟", "船", "舟", "boats", "boat", "sail"),
}
KEYWORD_OF = {"zh": {k: w[0] for k, w in IMAGE_WORDS.items()},
              "en": {k: next(x for x in w if x.isascii()) for k, w in IMAGE_WORDS.items()}}
_IMAGE = [(w, kind) for kind, words in IMAGE_WORDS.items() for w in words]
_IMAGE.sort(key=lambda p: -len(p[0]))


class TextAsks(BaseModel):
    """Everything one piece of feedback asked of a text (nothing heard: all neutral)."""

    model_config = ConfigDict(extra="forbid")

    tone: float = 0.0
    length: float = 1.0
    add: list[str] = Field(default_factory=list)
    without: list[str] = Field(default_factory=list)
    heard: list[str] = Field(default_factory=list, description="The words read, for the notes filter.")

    def any(self) -> bool:
        return bool(self.tone or self.length != 1.0 or self.add or self.without)


def read_text_asks(text: str) -> TextAsks:
    """Tone, length and image asks, clause by clause."""
    out = TextAsks()
    for clause in CLAUSE.split(text.lower()):
        clause = clause.strip()
        if not clause:
            continue
        steps = 2 if MUCH.search(clause) else 1
        negated = bool(NEGATE.search(clause))
        images = _images(clause)
        verb = ADD.search(clause) or REMOVE.search(clause)
        other = TONE_UP.search(clause) or TONE_DOWN.search(clause) or SHORT.search(clause) or LONG.search(clause)
        if images and (verb or not other):
            remove = bool(REMOVE.search(clause)) or (negated and not re.search(r"多|more", clause))
            for kind, word in images:
                out.heard.append(word)
                if remove:
                    out.without.append(kind)
                else:
                    out.add += [kind] * steps
            continue
        for pattern, sign in ((TONE_UP, 1), (TONE_DOWN, -1)):
            m = pattern.search(clause)
            if m:
                out.heard.append(m.group(0))
                out.tone += sign * steps * (-1 if negated else 1)
                break
        else:
            if (m := SHORT.search(clause)) is not None:
                out.heard.append(m.group(0))
                out.length = SHORTER[steps]
            elif (m := LONG.search(clause)) is not None:
                out.heard.append(m.group(0))
                out.length = LONGER[steps]
    out.tone = max(-3.0, min(3.0, out.tone))
    out.add = out.add[:8]
    out.without = [k for k in dict.fromkeys(out.without) if k not in out.add]
    return out


def _images(clause: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    rest = clause
    for word, kind in _IMAGE:
        pattern = rf"\b{re.escape(word)}s?\b" if word.isascii() else re.escape(word)
        if re.search(pattern, rest):
            if kind not in (k for k, _ in found):
                found.append((kind, word))
            rest = re.sub(pattern, " ", rest)
    return found


def text_feedback(text: str, spec: CreativeSpec, delta: SpecDelta) -> SpecDelta:
    """Feedback on a poem, story or script: its tone, image and length asks go into
    ``spec.text`` (replacing the last ones; images asked away stay away), image words into the
    keywords (asked away: out of them too), and a tone step moves the valence."""
    asks = read_text_asks(text)
    old = spec.text or TextSpec()
    if not asks.any() and spec.text is None:
        return delta
    without = [k for k in dict.fromkeys([*old.without, *asks.without]) if k not in asks.add]
    new = TextSpec(tone=asks.tone, length=asks.length, add=asks.add[:8], without=without[:16])
    update: dict = {"set": {**delta.set, "text": new.model_dump(mode="json")}}
    lang = "zh" if spec.language == "zh" else "en"
    dropped = {w for k in asks.without for w in IMAGE_WORDS[k]}
    if dropped & set(spec.keywords):
        update["set"]["keywords"] = [k for k in spec.keywords if k not in dropped]
    added = [KEYWORD_OF[lang][k] for k in dict.fromkeys(asks.add)]
    update["add_keywords"] = list(dict.fromkeys([*delta.add_keywords, *(w for w in added if w not in spec.keywords)]))
    if asks.tone:
        shift = dict(delta.shift)
        shift["mood.valence"] = round(shift.get("mood.valence", 0.0) + TONE_VALENCE_STEP * asks.tone, 3)
        update["shift"] = shift
    update["notes"] = _understood(delta.notes, asks.heard)
    return delta.model_copy(update=update)


def _understood(notes: list[str], heard: list[str]) -> list[str]:
    """Drop the words this module read from the rule parser's "not understood" note."""
    out = []
    for note in notes:
        if note.startswith("not understood: "):
            words = re.findall(r"'([^']*)'", note)
            left = [w for w in words if not any(w.lower() in h or h in w.lower() for h in heard)]
            if not left:
                continue
            note = "not understood: " + ", ".join(f"'{w}'" for w in left)
        out.append(note)
    return out
