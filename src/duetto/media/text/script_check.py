"""A script editor's checks that a screenplay app does not make, and the cuts that mend them.

``validate_fountain`` (in ``script``) checks that a script *parses* as a screenplay. This checks
that it *holds together*, scene by scene:

* **premise facts**: what the brief says about the world holds in every scene. A brief with a
  blackout (停电) means no electric light: a streetlamp, a lamp that glows, a television on are
  breaks; candles, torches, matches, a phone's screen are fine; and every scene should show the
  dark. Rain is wet, snow is cold, a night is not noon, a heatwave has no frost. Each fact is a
  row of ``FACTS``: the words in a brief that raise it, what shows it, what breaks it, and how the
  writer is told about it. A sentence that negates ("the lights do not come on") breaks nothing.
* **who is there**: a character speaks only while in the scene; one whose action line says they
  leave (Mara walks out) does not talk again until a line brings them back.
* **the page**: quotes balanced in every line; no empty parenthetical such as ``(empty)``; no
  line said word for word twice in the script.

Everything here is pure Python over ``Scene`` (the writer's structure; ``scenes_of`` reads one
from any Fountain), so it is tested without a model. ``repair_scenes`` makes the cuts that need no
model; the screenwriter first asks the model to rewrite a line that breaks the premise, or an
opening that does not show it, and uses these cuts for what is left.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from duetto.llm.guard import normalise, split_sentences
from duetto.media.text.fountain import Scene


@dataclass(frozen=True)
class PremiseFact:
    name: str
    raised_by: re.Pattern[str]  # words in a brief that state it
    shows: re.Pattern[str]      # a scene that uses one of these shows it
    breaks: re.Pattern[str]     # a sentence with one of these contradicts it
    said: tuple[str, str]       # how the writer is told (en, zh)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


FACTS: tuple[PremiseFact, ...] = (
    PremiseFact(
        "dark",
        _rx(r"\b(blackout|power cut|power outage|power failure|power is out|power goes out|no electricity|"
            r"lights go out)\b|停电|断电|摸黑|没电"),
        _rx(r"\b(dark\w*|candles?|candlelight|flashlights?|torch(es|light)?|matches|matchsticks?|lighter|moonlight|"
            r"shadows?|gloom|pitch[- ]black|phone screen|phone light|by feel|fumbles?|feels? (his|her|their) way)\b|"
            r"黑|暗|蜡烛|烛|手电|火柴|打火机|月光|摸"),
        _rx(r"\b(street ?lamps?|street ?lights?|neon|fluorescent|ceiling lights?|overhead lights?|lamplight|"
            r"lamps? (glows?|shines?|burns?|is on|are on|lights? up)|lights? (is |are )?(on|glows?|shines?|blaze|"
            r"flickers? on|comes? on|come back on)|(turns?|switch(es)?|flicks?|flips?) on (the )?(lights?|lamps?|tv|"
            r"television|oven|microwave|kettle)|tv|television|microwave|electric (kettle|light)|fridge hums|"
            r"refrigerator hums|brightly lit|well[- ]lit|sunlight|sunshine|light floods)\b|"
            r"路灯|霓虹|日光灯|电视|开灯|灯亮|灯光|台灯|吊灯|电灯|微波炉|冰箱嗡|灯火通明|阳光"),
        ("The power is out: no electric light, screen or appliance works; the only light is candles, torches, "
         "matches, a phone or the moon, and the rooms are dark.",
         "停电了：电灯、电视、电器都不能用；只有蜡烛、手电、火柴、手机或月光能照亮，屋里是黑的。"),
    ),
    PremiseFact(
        "rain",
        _rx(r"\b(rain\w*|downpour|thunderstorm|storm)\b|雨"),
        _rx(r"\b(rain\w*|wet|soak\w*|drench\w*|umbrellas?|puddles?|storm|downpour|drip\w*|thunder)\b|雨|湿|伞|水洼|淋"),
        _rx(r"\b(sunny|sunshine|sunlit|cloudless|clear (blue )?sky|dry (ground|pavement|street)|blazing sun)\b|"
            r"晴朗|烈日|阳光明媚|万里无云|晒太阳"),
        ("It is raining hard in every outdoor moment: things are wet; there is no sunshine.",
         "一直在下大雨：外面的东西都是湿的，没有阳光。"),
    ),
    PremiseFact(
        "snow",
        _rx(r"\b(snow\w*|blizzard)\b|大雪|暴雪|雪"),
        _rx(r"\b(snow\w*|frost\w*|frozen|ice|icy|cold|freezing|shiver\w*|breath (mists|clouds|steams))\b|雪|冰|冷|寒|霜|哆嗦"),
        _rx(r"\b(sunbath\w*|sweat\w*|heatwave|scorching|sweltering|blazing sun|swimsuit|sunburn\w*)\b|烈日|酷热|汗流|炎热|晒太阳"),
        ("It is snowing and bitterly cold: snow and cold are in every scene; nobody is hot.",
         "在下大雪，天寒地冻：每场都有雪和寒冷，没有人觉得热。"),
    ),
    PremiseFact(
        "night",
        _rx(r"\b(midnight|at night|night\w*|late at night)\b|深夜|午夜|夜晚|夜里|半夜|凌晨"),
        _rx(r"\b(night|midnight|dark\w*|moon\w*|stars?|late|streetlights?|asleep|sleepless)\b|夜|月|星|凌晨|黑"),
        _rx(r"\b(noon|midday|sunrise|morning sun|afternoon|sunlit|broad daylight|blazing sun|sunshine)\b|中午|正午|下午|烈日|大白天|阳光"),
        ("It is the middle of the night: dark outside, no daylight.", "这是深夜：外面是黑的，没有日光。"),
    ),
    PremiseFact(
        "heat",
        _rx(r"\b(heatwave|hottest|scorching|sweltering|summer heat)\b|酷暑|三伏|炎热|烈日|高温"),
        _rx(r"\b(heat|hot|sweat\w*|swelter\w*|scorching|sun|fans?|thirst\w*)\b|热|汗|烈日|扇|暑|蝉"),
        _rx(r"\b(snow\w*|frost\w*|frozen|shiver\w*|freezing|icicles?|blizzard|mittens)\b|雪|结冰|冻得|寒风|哆嗦"),
        ("It is scorching hot: heat and sweat are in every scene; nothing is cold or frozen.",
         "天气酷热：每场都能感到热和汗，没有寒冷和冰雪。"),
    ),
)

NEGATION = re.compile(r"\b(no|not|never|without|none|nothing|won't|don't|doesn't|can't|cannot|isn't|aren't|"
                      r"wasn't|weren't|dead|broken)\b|n't|不|没|无|别|灭|坏", re.I)
LEAVES = re.compile(r"\b(leaves|walks out|exits|goes out|storms out|slips out|hurries out|runs out|"
                    r"steps out|heads out|is gone|disappears|walks away|leaves the room)\b|离开|走出|出门|走了出去|消失|离去",
                    re.I)
ENTERS = re.compile(r"\b(enters|comes in|comes back|returns|walks in|reappears|steps in|is back|"
                    r"rushes in|hurries in|bursts in)\b|走进|进来|回来|进门|推门而入", re.I)
EMPTY_PARENTHETICAL = {"", "empty", "none", "blank", "n/a", "na", "nothing", "null", "-", "—", "无", "空", "没有", "(空)"}
QUOTES = (("“", "”"), ("「", "」"), ("『", "』"))

IssueKind = Literal["premise", "premise_missing", "absent", "quotes", "empty_parenthetical", "repeated"]


class ScriptIssue(BaseModel):
    """One thing wrong, where it is: ``scene`` and ``item`` index into ``Scene.body`` (item is
    None for a scene-wide issue)."""

    kind: IssueKind
    scene: int
    item: int | None = None
    text: str = ""
    message: str
    fact: str | None = None


def premise_facts(brief: str) -> list[PremiseFact]:
    """The facts a brief states (a kitchen during a blackout → dark)."""
    return [f for f in FACTS if f.raised_by.search(brief)]


def breaks(fact: PremiseFact, text: str) -> list[str]:
    """The sentences of ``text`` that contradict ``fact`` (a negated mention is no break)."""
    return [s for s in split_sentences(text) if fact.breaks.search(s) and not NEGATION.search(s)]


def unbalanced(text: str) -> bool:
    return text.count('"') % 2 == 1 or any(text.count(o) != text.count(c) for o, c in QUOTES)


def _subject(sentence: str, names: list[str]) -> str | None:
    """The character a sentence is about: the cast name it mentions first."""
    low = sentence.lower()
    where = {n: low.find(n.lower()) for n in names if n and n.lower() in low}
    return min(where, key=lambda n: where[n]) if where else None


def _texts(item: tuple[str, ...]) -> list[str]:
    if item[0] == "action":
        return [item[1]]
    if item[0] == "dialogue":
        return [item[3]]
    return []


def check_scenes(scenes: list[Scene], facts: list[PremiseFact], cast: list[str] | None = None) -> list[ScriptIssue]:
    """Every issue of ``scenes``, in order."""
    issues: list[ScriptIssue] = []
    said: set[str] = set()
    for si, scene in enumerate(scenes):
        names = list(dict.fromkeys([*(cast or []), *(it[1] for it in scene.body if it[0] == "dialogue")]))
        gone: dict[str, int] = {}  # who left (lower-cased), and the item that said so
        for k, item in enumerate(scene.body):
            kind = item[0]
            if kind == "dialogue":
                _, who, paren, line = item
                if who.lower() in gone:
                    issues.append(ScriptIssue(kind="absent", scene=si, item=gone.pop(who.lower()), text=who,
                                              message=f"{who} speaks after leaving the scene"))
                if paren.strip() and paren.strip("()（） ").lower() in EMPTY_PARENTHETICAL:
                    issues.append(ScriptIssue(kind="empty_parenthetical", scene=si, item=k, text=paren,
                                              message=f"empty parenthetical {paren!r}"))
            for text in _texts(item):
                if unbalanced(text):
                    issues.append(ScriptIssue(kind="quotes", scene=si, item=k, text=text, message="unbalanced quotes"))
                for fact in facts:
                    for sentence in breaks(fact, text):
                        issues.append(ScriptIssue(kind="premise", scene=si, item=k, text=sentence, fact=fact.name,
                                                  message=f"breaks the premise ({fact.name}): {sentence}"))
                key = normalise(text)
                if len(key) >= 8 and key in said:
                    issues.append(ScriptIssue(kind="repeated", scene=si, item=k, text=text,
                                              message="said word for word earlier in the script"))
                said.add(key)
            if kind == "action":
                for sentence in split_sentences(item[1]):
                    who = _subject(sentence, names)
                    if who and LEAVES.search(sentence):
                        gone[who.lower()] = k
                    elif who and ENTERS.search(sentence):
                        gone.pop(who.lower(), None)
        body = " ".join(t for it in scene.body for t in _texts(it))
        for fact in facts:
            if not fact.shows.search(scene.heading + " " + body):
                issues.append(ScriptIssue(kind="premise_missing", scene=si, fact=fact.name,
                                          message=f"scene {si + 1} does not show the premise ({fact.name})"))
    return issues


def _without(text: str, sentences: list[str]) -> str:
    kept = [s for s in split_sentences(text) if s not in sentences]
    return " ".join(kept).strip()


def repair_scenes(scenes: list[Scene], issues: list[ScriptIssue]) -> list[Scene]:
    """The cuts that need no model: an empty parenthetical goes; stray quotes go; the sentence
    that sends a character out before they speak again goes; a sentence that breaks the premise
    goes (its line too when nothing is left); a line said twice goes. Scene-wide issues
    (``premise_missing``) are left for the writer."""
    out: list[Scene] = []
    for si, scene in enumerate(scenes):
        body = [list(item) for item in scene.body]
        drop: set[int] = set()
        for issue in (i for i in issues if i.scene == si and i.item is not None):
            k = issue.item
            assert k is not None
            item = body[k]
            field = 1 if item[0] == "action" else 3 if item[0] == "dialogue" else None
            if issue.kind == "empty_parenthetical" and item[0] == "dialogue":
                item[2] = ""
            elif issue.kind == "quotes" and field is not None:
                item[field] = re.sub(r"[\"“”「」『』]", "", item[field]).strip()
            elif issue.kind in ("premise", "absent") and field is not None:
                cut = [issue.text] if issue.kind == "premise" else \
                    [s for s in split_sentences(item[field]) if LEAVES.search(s) and issue.text.lower() in s.lower()]
                item[field] = _without(item[field], cut)
                if not item[field]:
                    drop.add(k)
            elif issue.kind == "repeated":
                drop.add(k)
        out.append(dataclasses.replace(scene, body=[tuple(item) for k, item in enumerate(body) if k not in drop]))
    return out

