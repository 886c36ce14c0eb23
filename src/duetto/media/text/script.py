"""screenwriter: short screenplays in Fountain, valid by construction.

How a script is made:
1. The premise (the same as the storyteller's: brief, imagery, mood, pace and a seed-picked
   angle) becomes an outline under a JSON schema: title, logline, 2–4 characters, and one entry
   per scene with INT/EXT, a location and a time of day from fixed lists.
2. Each scene is written by the LLM as JSON, never as screenplay text: an opening action, a run
   of exchanges (who speaks, from an enum of the outline's characters; an optional
   parenthetical; the line; an optional action after it) and a closing action.
3. ``write_fountain`` turns that structure into Fountain text, escaping whatever a model could
   put in a field that Fountain would misread (an action line in capitals, a line starting with
   ``INT.``, a Chinese name that needs ``@`` to be a character cue). ``parse_fountain`` reads
   Fountain back into elements and ``validate_fountain`` checks a script the way a screenplay
   app would, so the tests can hold every generated script to it.

The main artefact is the ``.fountain`` file; ``extras["md"]`` is a Markdown reading copy made
from the parsed Fountain (so both always agree). Chinese scripts keep ``INT.``/``EXT.`` headings,
which every Fountain tool recognises, and write places and times in Chinese.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Edit, Progress
from duetto.llm.base import Completion, CompletionRequest
from duetto.llm.embedded import EmbeddedProvider
from duetto.llm.factory import Providers
from duetto.llm.models import DEFAULT_MODEL
from duetto.media.text.prose import Language, step_seed
from duetto.media.text.story import (
    Character,
    angle_for,
    language_of,
    premise_lines,
    tidy,
    token_ceiling,
)
from duetto.settings import Settings
from duetto.spec import CreativeSpec

TIMES = {"en": ["DAY", "NIGHT", "DAWN", "DUSK", "CONTINUOUS"], "zh": ["日", "夜", "清晨", "黄昏"]}
SYSTEM_OUTLINE = {
    "en": "You are a screenwriter who invents original, concrete short films with vivid characters. "
          "You answer in JSON, in English.",
    "zh": "你是一位编剧，善于构思原创、具体、人物鲜明的短片。你用 JSON 回答，内容全部用中文。",
}
SYSTEM_SCENE = {
    "en": "You are a screenwriter. Action is present tense and shows only what the camera sees. "
          "Dialogue is short, specific and full of subtext; characters never explain their feelings. "
          "You answer in JSON, in English.",
    "zh": "你是一位编剧。动作描写用现在时，只写镜头能看到的东西。对白简短、具体、有潜台词，人物不直接解释自己的感受。"
          "你用 JSON 回答，内容全部用中文。",
}


class ScriptParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenes: int = Field(3, ge=1, le=8, description="Scenes in the script.")
    exchanges: int = Field(6, ge=3, le=12, description="Most lines of dialogue per scene.")
    language: Literal["auto", "zh", "en"] = Field("auto", description="auto: the brief's language.")
    model: str = Field(DEFAULT_MODEL, description="Embedded model (duetto models list).")
    temperature: float = Field(0.8, gt=0.0, le=1.5, description="Scene temperature; the outline runs a little hotter.")
    repetition: float = Field(0.3, ge=0.0, le=1.5, description="Frequency penalty on scenes: higher repeats less.")


class ScenePlan(BaseModel):
    place: Literal["INT", "EXT"]
    location: str
    time: str
    summary: str


class ScriptOutline(BaseModel):
    title: str
    logline: str
    characters: list[Character]
    scenes: list[ScenePlan]


class Exchange(BaseModel):
    """One turn of dialogue. The JSON keys are what the model sees, and small models follow key
    names more than instructions: ``says`` gets speech where ``line`` got stage business."""

    model_config = ConfigDict(populate_by_name=True)

    character: str = Field(alias="speaker")
    parenthetical: str = Field("", alias="how")
    line: str = Field(alias="says")
    action: str = Field("", alias="then")


class SceneDraft(BaseModel):
    opening: str
    exchanges: list[Exchange]
    closing: str = ""


def _text(n: int, least: int = 2) -> dict[str, Any]:
    return {"type": "string", "minLength": least, "maxLength": n}


def outline_schema(scenes: int, language: Language) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "title": _text(60),
            "logline": _text(150),
            "characters": {
                "type": "array", "minItems": 2, "maxItems": 4,
                "items": {"type": "object", "properties": {"name": _text(24), "description": _text(100)},
                          "required": ["name", "description"]},
            },
            "scenes": {
                "type": "array", "minItems": scenes, "maxItems": scenes,
                "items": {"type": "object", "properties": {
                    "place": {"enum": ["INT", "EXT"]},
                    "location": _text(30),
                    "time": {"enum": TIMES[language]},
                    "summary": _text(150),
                }, "required": ["place", "location", "time", "summary"]},
            },
        },
        "required": ["title", "logline", "characters", "scenes"],
    }


def scene_schema(names: list[str], exchanges: int, entrance: str = "") -> dict[str, Any]:
    """A scene as JSON; with ``entrance``, that character speaks first (a required ``entrance``
    exchange before the others), which is how a new character is sure to be in their scene."""
    def exchange(speakers: list[str]) -> dict[str, Any]:
        return {"type": "object", "properties": {
            "speaker": {"enum": speakers},
            "how": _text(20, least=0),
            "says": _text(120),
            "then": _text(100, least=0),
        }, "required": ["speaker", "how", "says", "then"]}

    properties: dict[str, Any] = {"opening": _text(160)}
    if entrance:
        properties["entrance"] = exchange([entrance])
    properties |= {
        "exchanges": {"type": "array", "minItems": min(exchanges, max(3, exchanges - 2)), "maxItems": exchanges,
                      "items": exchange(names)},
        "closing": _text(120),
    }
    return {"type": "object", "properties": properties, "required": list(properties)}


# -- Fountain: structure → text → structure ----------------------------------------------------

ElementKind = Literal["heading", "action", "character", "parenthetical", "dialogue", "transition"]
HEADING = re.compile(r"^(INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[. ]", re.I)
EXTENSION = re.compile(r"\s*(\([^)]*\))?\s*\^?$")


@dataclass(frozen=True)
class Element:
    kind: ElementKind
    text: str


@dataclass
class Scene:
    """One scene for the writer: a heading and its elements in order. ``dialogue`` elements are
    written as (character, parenthetical, line) triples by ``Scene.say``."""

    heading: str
    body: list[tuple[str, ...]] = field(default_factory=list)

    def act(self, text: str) -> Scene:
        if text.strip():
            self.body.append(("action", text))
        return self

    def say(self, character: str, line: str, parenthetical: str = "") -> Scene:
        if line.strip():
            self.body.append(("dialogue", character, parenthetical, line))
        return self

    def cut(self, transition: str) -> Scene:
        self.body.append(("transition", transition))
        return self


@dataclass
class Screenplay:
    title_page: dict[str, str]
    elements: list[Element]

    @property
    def title(self) -> str:
        return self.title_page.get("title", "")

    def of(self, kind: ElementKind) -> list[str]:
        return [e.text for e in self.elements if e.kind == kind]


@dataclass
class FountainReport:
    ok: bool
    issues: list[str]
    screenplay: Screenplay


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def is_caps(line: str) -> bool:
    """Fountain's test for a character cue: letters, none of them lower-case (extension allowed)."""
    name = EXTENSION.sub("", line)
    return bool(re.search(r"[A-Z]", name)) and name == name.upper()


def cue(name: str) -> str:
    """A character cue: upper-case Latin names as they are, anything else forced with ``@``."""
    name = one_line(re.sub(r"[()^@]", "", name))
    upper = name.upper()
    if re.fullmatch(r"[A-Z0-9 .'\-]+", upper) and re.search(r"[A-Z]", upper):
        return upper
    return "@" + name


def heading(place: str, location: str, time_of_day: str, language: Language) -> str:
    where = one_line(location).strip(" -.")
    where = where.upper() if language == "en" else where
    return f"{place}. {where} - {one_line(time_of_day)}"


def _action(text: str) -> str:
    """One action paragraph on one line, forced with ``!`` wherever Fountain would misread it."""
    line = one_line(text)
    if HEADING.match(line) or is_caps(line) or line[:1] in "!@#=.>~[" or line.endswith("TO:"):
        return "!" + line
    return line


def _parenthetical(text: str) -> str:
    inner = one_line(text).strip("()（） ")
    return f"({inner})" if inner else ""


def _dialogue(text: str) -> str:
    line = one_line(text)
    return line.lstrip("(（!@#=.>~") or "…"


def write_fountain(title: str, scenes: list[Scene], *, notes: str = "", language: Language = "en") -> str:
    """Fountain text for a title page and scenes; always parses back into the same structure."""
    out = [f"Title: {one_line(title)}", "Credit: Written with duetto", "Author: duetto"]
    if notes:
        out.append(f"Notes: {one_line(notes)}")
    out += ["", "FADE IN:" if language == "en" else "!淡入：", ""]
    for scene in scenes:
        out += scene_lines(scene)
    out += [FADE_OUT[language], ""]
    return "\n".join(out)


FADE_OUT = {"en": ">FADE OUT.", "zh": ">淡出。"}


def scene_lines(scene: Scene) -> list[str]:
    """One scene as Fountain lines (each element followed by its blank line)."""
    head = one_line(scene.heading)
    out = [head if HEADING.match(head) else "." + head, ""]
    for item in scene.body:
        if item[0] == "action":
            out += [_action(item[1]), ""]
        elif item[0] == "dialogue":
            _, name, paren, line = item
            out.append(cue(name))
            if _parenthetical(paren):
                out.append(_parenthetical(paren))
            out += [_dialogue(line), ""]
        else:
            text = one_line(item[1])
            natural = text == text.upper() and text.endswith("TO:") and is_caps(text)
            out += [text if natural else ">" + text, ""]
    return out


def append_scene(fountain: str, scene: Scene, language: Language) -> str:
    """``fountain`` with ``scene`` added at the end: before its closing FADE OUT when it has one,
    after a CUT TO: so the join reads like the scenes before it."""
    lines = fountain.rstrip("\n").split("\n")
    end = len(lines)
    if lines and lines[-1].strip() in (FADE_OUT["en"], FADE_OUT["zh"]):
        end = len(lines) - 1
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    cut = ["", "CUT TO:" if language == "en" else ">切至：", ""]
    if lines[end - 1].strip().lstrip(">") in ("CUT TO:", "切至："):
        cut = [""]
    body = lines[:end] + cut + scene_lines(scene)
    return "\n".join(body + lines[end:]).rstrip("\n") + "\n"


def parse_fountain(text: str) -> Screenplay:
    """The elements of a Fountain script (the subset screenplays use: title page, headings,
    action, character cues, parentheticals, dialogue, transitions; notes, sections, synopses and
    boneyard are skipped)."""
    text = re.sub(r"/\*.*?\*/", "", text.replace("\r\n", "\n"), flags=re.S)
    text = re.sub(r"\[\[.*?\]\]", "", text, flags=re.S)
    lines = text.split("\n")
    title_page: dict[str, str] = {}
    i = 0
    if lines and re.match(r"^[A-Za-z][A-Za-z ]*:", lines[0]):
        key = ""
        while i < len(lines) and lines[i].strip():
            m = re.match(r"^([A-Za-z][A-Za-z ]*):\s*(.*)$", lines[i])
            if m and not lines[i].startswith((" ", "\t")):
                key = m.group(1).strip().lower()
                title_page[key] = m.group(2).strip()
            elif key:
                title_page[key] = (title_page[key] + " " + lines[i].strip()).strip()
            i += 1
    elements: list[Element] = []
    before_blank = True
    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        after_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if not line:
            before_blank = True
            i += 1
            continue
        if line.startswith(("#", "=")) and not line.startswith("==="):
            pass  # sections and synopses
        elif line.startswith("!"):
            elements.append(Element("action", line[1:].strip()))
        elif line.startswith(".") and not line.startswith(".."):
            elements.append(Element("heading", line[1:].strip()))
        elif before_blank and HEADING.match(line):
            elements.append(Element("heading", line))
        elif line.startswith(">") and line.endswith("<"):
            elements.append(Element("action", line[1:-1].strip()))
        elif line.startswith(">"):
            elements.append(Element("transition", line[1:].strip()))
        elif before_blank and after_blank and is_caps(line) and line.endswith("TO:"):
            elements.append(Element("transition", line))
        elif before_blank and not after_blank and (line.startswith("@") or is_caps(line)):
            elements.append(Element("character", line.lstrip("@").strip()))
            i += 1
            while i < len(lines) and lines[i].strip():
                part = lines[i].strip()
                kind: ElementKind = "parenthetical" if part.startswith("(") and part.endswith(")") else "dialogue"
                elements.append(Element(kind, part))
                i += 1
            continue
        else:
            elements.append(Element("action", line))
        before_blank = False
        i += 1
    return Screenplay(title_page, elements)


def validate_fountain(text: str) -> FountainReport:
    """What a screenplay needs to read as one: a title, scene headings, every cue followed by
    dialogue, no dialogue before the first scene."""
    play = parse_fountain(text)
    issues: list[str] = []
    if not play.title:
        issues.append("no Title: on the title page")
    if not play.of("heading"):
        issues.append("no scene heading (INT./EXT.)")
    seen_heading = False
    for k, e in enumerate(play.elements):
        if e.kind == "heading":
            seen_heading = True
            if not e.text.strip():
                issues.append("empty scene heading")
        elif e.kind == "character":
            rest = play.elements[k + 1:k + 3]
            if not any(r.kind == "dialogue" for r in rest) or rest[0].kind not in ("dialogue", "parenthetical"):
                issues.append(f"character cue {e.text!r} has no dialogue")
            if not seen_heading:
                issues.append(f"dialogue by {e.text!r} before the first scene heading")
        elif e.kind == "dialogue" and not e.text.strip():
            issues.append("empty dialogue line")
    return FountainReport(not issues, issues, play)


def fountain_to_markdown(text: str) -> str:
    """A reading copy: headings as ### lines, cues in bold, parentheticals in italics."""
    play = parse_fountain(text)
    out = [f"# {play.title}", ""] if play.title else []
    if play.title_page.get("notes"):
        out += [f"*{play.title_page['notes']}*", ""]
    for k, e in enumerate(play.elements):
        nxt = play.elements[k + 1].kind if k + 1 < len(play.elements) else None
        if e.kind == "heading":
            out += [f"### {e.text}", ""]
        elif e.kind == "action":
            out += [e.text, ""]
        elif e.kind == "transition":
            out += [f"*{e.text}*", ""]
        elif e.kind == "character":
            out.append(f"**{e.text}**  ")
        elif e.kind == "parenthetical":
            out.append(f"*{e.text}*  ")
        else:
            out += [e.text, ""] if nxt not in ("dialogue", "parenthetical") else [e.text + "  "]
    return "\n".join(out).rstrip() + "\n"


# -- the engine ----------------------------------------------------------------------------------


class Screenwriter:
    name: ClassVar[str] = "screenwriter"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "script"
    Params: ClassVar[type[BaseModel]] = ScriptParams

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._providers = Providers(self.settings, n_ctx=4096)

    def provider(self, model: str) -> EmbeddedProvider:
        return self._providers.get(model)

    def outline(self, spec: CreativeSpec, params: ScriptParams, seed: int) -> tuple[ScriptOutline, str]:
        language = language_of(spec, params.language)
        zh = language == "zh"
        lines = premise_lines(spec, language)
        lines.append(("角度：" if zh else "Angle: ") + angle_for(seed, language))
        if zh:
            lines += [
                f"请据此构思一部原创短片，共{params.scenes}场：",
                "一个有意味的片名（不要照抄题意）；一句话梗概（谁想要什么，什么阻碍了他）；",
                "2到4个人物，每人有一个真实的中文姓名（例如 林晓、周建国、老陈）和一句话描述；",
                f"正好{params.scenes}场戏，每场写明内景(INT)或外景(EXT)、一个具体地点、时间，和一两句这场发生了什么。"
                "要有冲突和转折。全部用中文。",
            ]
        else:
            lines += [
                f"Invent an original short film in {params.scenes} scenes from this.",
                "Give a title (a few evocative words, not the premise itself); a one-sentence logline (who wants "
                "what, and what stands in the way); 2 to 4 characters, each with a first name that fits the "
                f"setting and a one-line description; and exactly {params.scenes} scenes, each INT or EXT, a "
                "specific location, a time of day, and one or two sentences of what happens, with conflict and a turn.",
            ]
        prompt = "\n".join(lines)
        request = CompletionRequest.chat(
            prompt, system=SYSTEM_OUTLINE[language], json_schema=outline_schema(params.scenes, language),
            max_tokens=token_ceiling(outline_schema(params.scenes, language), language), temperature=min(1.5, params.temperature + 0.2),
            seed=step_seed(seed, 0),
        )
        outline = self.provider(params.model).complete(request).parse(ScriptOutline)
        return tidy_outline(outline), prompt

    def _scene(self, outline: ScriptOutline, i: int, before: str, params: ScriptParams, language: Language,
               seed: int, must: str = "") -> tuple[SceneDraft, Completion]:
        zh = language == "zh"
        plan = outline.scenes[i]
        names = list(dict.fromkeys(c.name for c in outline.characters))
        cast = "\n".join(f"- {c.name}: {c.description}" for c in outline.characters)
        scenes = "\n".join(f"{k + 1}. {heading(s.place, s.location, s.time, language)}: {s.summary}"
                           for k, s in enumerate(outline.scenes))
        here = heading(plan.place, plan.location, plan.time, language)
        if zh:
            ask = [f"剧本：《{outline.title}》", f"梗概：{outline.logline}", "人物：", cast, "分场：", scenes]
            if before:
                ask += ["", f"上一场结束于：{before}"]
            ask += ["", f"现在写第{i + 1}场 {here}：{plan.summary}",
                    "opening：一两句动作描写，交代场景（只写镜头看得到的）；",
                    f"exchanges：3到{params.exchanges}轮对白，每轮：speaker 说话的人物；how 怎么说（两三个字，如“低声”，可以为空）；"
                    "says 他亲口说出的台词（口语，短句，每句都推进冲突，不要重复）；then 说完之后的一个动作（可以为空）；",
                    "closing：一句收尾的动作或画面。" + ("这是最后一场，要给故事一个结局。" if i == len(outline.scenes) - 1 else ""),
                    "台词是人物亲口说的话（用“我”“你”），不是叙述；不要写“某某说”，不要加引号。"]
            if must:
                ask.append(f"{must}必须在这场出场并说话。")
        else:
            ask = [f"Screenplay: {outline.title}", f"Logline: {outline.logline}", "Characters:", cast, "Scenes:", scenes]
            if before:
                ask += ["", f"The previous scene ended: {before}"]
            ask += ["", f"Now write scene {i + 1}, {here}: {plan.summary}",
                    "opening: one or two sentences of action that set the scene (only what the camera sees);",
                    f"exchanges: 3 to {params.exchanges} turns of dialogue, each with: speaker; how (two or three words "
                    "such as \"quietly\", or empty); says (the exact words spoken aloud, short, each turn moving the "
                    "conflict on, never repeating); then (a short action after it, or empty);",
                    "closing: one sentence of action or image that ends the scene."
                    + (" This is the last scene: end the story." if i == len(outline.scenes) - 1 else ""),
                    "A line is what the character says aloud, in the first person, not narration; no \"she says\", "
                    "no quotation marks."]
            if must:
                ask.append(f"{must} must appear and speak in this scene.")
        schema = scene_schema(names, params.exchanges, must)
        request = CompletionRequest.chat(
            "\n".join(ask), system=SYSTEM_SCENE[language], json_schema=schema,
            max_tokens=token_ceiling(schema, language), temperature=params.temperature, seed=step_seed(seed, i + 1),
            frequency_penalty=params.repetition,
        )
        reply = self.provider(params.model).complete(request)
        raw = reply.json_value()
        if must:  # the entrance is the scene's first exchange: small models ignore "X must speak"
            raw["exchanges"] = [raw.pop("entrance"), *raw["exchanges"]]
        draft = SceneDraft.model_validate(raw)
        # A parenthetical that ran to its cap is a description, not a delivery, and one said twice
        # in a scene is a tic: both go. A line said word for word again goes too.
        exchanges: list[Exchange] = []
        for x in draft.exchanges:
            line = spoken(x.line, x.character)
            paren = x.parenthetical.strip("()（）.。 ")
            if len(paren) >= 18 or paren in {e.parenthetical for e in exchanges}:
                paren = ""
            action = tidy(x.action, 100)
            if language == "en" and line[:1].islower() and not re.search(r"[.!?…]$", line):
                # "whispers", "looks back at them": stage business in the line's place
                action = " ".join(p for p in (f"{x.character} {line}.", action) if p)
                line = ""
                if exchanges:
                    last = exchanges[-1]
                    exchanges[-1] = last.model_copy(update={"action": " ".join(p for p in (last.action, action) if p)})
            elif line not in {e.line for e in exchanges}:
                exchanges.append(Exchange(speaker=x.character, how=paren, says=line, then=action))
        capital = (lambda t: t[:1].upper() + t[1:]) if language == "en" else (lambda t: t)
        return SceneDraft(opening=capital(tidy(draft.opening, 160)), closing=capital(tidy(draft.closing, 120)),
                          exchanges=[e.model_copy(update={"action": capital(e.action)}) for e in exchanges]), reply

    def generate(
        self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None
    ) -> Artefact:
        assert isinstance(params, ScriptParams)
        t0 = time.perf_counter()
        language = language_of(spec, params.language)
        outline, prompt = self.outline(spec, params, seed)
        n = len(outline.scenes)
        if progress is not None:
            progress(1 / (n + 1), "outline")
        scenes: list[Scene] = []
        drafts: list[SceneDraft] = []
        calls: list[Completion] = []
        before = ""
        for i, plan in enumerate(outline.scenes):
            draft, reply = self._scene(outline, i, before, params, language, seed)
            drafts.append(draft)
            calls.append(reply)
            scene = Scene(heading(plan.place, plan.location, plan.time, language)).act(draft.opening)
            for x in draft.exchanges:
                scene.say(x.character, x.line, x.parenthetical).act(x.action)
            scene.act(draft.closing)
            if i < n - 1:
                scene.cut("CUT TO:" if language == "en" else "切至：")
            scenes.append(scene)
            last = draft.exchanges[-1] if draft.exchanges else None
            before = draft.closing or (f"{last.character}: {last.line}" if last else "")
            if progress is not None:
                progress((i + 2) / (n + 1), f"scene {i + 1}/{n}")
        fountain = write_fountain(outline.title, scenes, notes=outline.logline, language=language)
        report = validate_fountain(fountain)
        info: dict[str, Any] = {
            "language": language,
            "outline": outline.model_dump(),
            "scenes": [d.model_dump() for d in drafts],
            "angle": angle_for(seed, language),
            "valid": report.ok,
            "issues": report.issues,
            "prompt": prompt,
            "completions": [{"tokens": c.tokens, "finish": c.finish_reason, "tokens_per_s": c.tokens_per_s}
                            for c in calls],
            "build": self.provider(params.model).build_info(),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        return Artefact(data=fountain.encode("utf-8"), ext="fountain", mime="text/plain; charset=utf-8",
                        extras={"md": fountain_to_markdown(fountain).encode("utf-8")}, info=info)


    # -- co-writing -----------------------------------------------------------------------------

    def cowrite(self, parents: list[Artefact], edit: Edit, spec: CreativeSpec, params: BaseModel, seed: int,
                progress: Progress | None = None) -> Artefact:
        """``continue`` and ``character`` add a scene written the structured way (so the script
        stays valid Fountain); every other edit goes through the shared text operations and the
        result is checked by the same Fountain validator."""
        from duetto.media.text.cowrite import TextOps, text_language

        assert isinstance(params, ScriptParams)
        t0 = time.perf_counter()
        fountain = parents[0].data.decode("utf-8")
        language: Language = text_language(fountain)
        calls: list[Completion] = []
        extra: dict[str, Any] = {}
        ops = TextOps(self.provider(params.model), "script", params.temperature, params.repetition)
        if edit.op in ("continue", "character"):
            outline = outline_of(fountain, parents[0].info)
            if edit.op == "character":
                written = ops.character(fountain, edit.model_copy(update={"words": 20}), language, seed)
                who = written.info["character"]
                calls += written.calls[:1]
                outline.characters.append(Character(name=one_line(who["name"]), description=tidy(who["description"], 100)))
                extra["character"] = who
                wish = (f"{who['name']}第一次登场：{who['description']}；他/她想要{who['wants']}" if language == "zh"
                        else f"{who['name']} enters for the first time: {who['description']}; they want {who['wants']}")
            else:
                wish = edit.instruction or ("故事接着发展，出现新的转折" if language == "zh" else "the story moves on to a new turn")
            plan, reply = self._next_plan(outline, wish, params, language, seed)
            calls.append(reply)
            outline.scenes.append(plan)
            before = parse_fountain(fountain).of("action")[-1:] or [""]
            must = extra["character"]["name"] if "character" in extra else ""
            draft, reply = self._scene(outline, len(outline.scenes) - 1, before[0], params, language, seed + 7919,
                                       must=must)
            calls.append(reply)
            scene = Scene(heading(plan.place, plan.location, plan.time, language)).act(draft.opening)
            for x in draft.exchanges:
                scene.say(x.character, x.line, x.parenthetical).act(x.action)
            scene.act(draft.closing)
            text = append_scene(fountain, scene, language)
            extra |= {"scene": draft.model_dump(), "plan": plan.model_dump()}
        else:
            other = parents[1].data.decode("utf-8") if len(parents) > 1 else None
            written = ops.apply(fountain, edit, seed, other=other)
            text, calls, extra = written.text, written.calls, written.info
        report = validate_fountain(text)
        info: dict[str, Any] = {
            "edit": edit.model_dump(exclude_none=True), "language": text_language(text), **extra,
            "valid": report.ok, "issues": report.issues,
            "completions": [{"tokens": c.tokens, "finish": c.finish_reason, "tokens_per_s": c.tokens_per_s}
                            for c in calls],
            "build": self.provider(params.model).build_info(),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        if edit.op == "summarise":
            return Artefact(data=text.encode("utf-8"), ext="md", mime="text/markdown; charset=utf-8", info=info)
        return Artefact(data=text.encode("utf-8"), ext="fountain", mime="text/plain; charset=utf-8",
                        extras={"md": fountain_to_markdown(text).encode("utf-8")}, info=info,
                        resolved={"language": text_language(text)})

    def _next_plan(self, outline: ScriptOutline, wish: str, params: ScriptParams, language: Language,
                   seed: int) -> tuple[ScenePlan, Completion]:
        """The plan of one more scene (JSON: INT/EXT, place, time, what happens)."""
        zh = language == "zh"
        done = "\n".join(f"{k + 1}. {heading(s.place, s.location, s.time, language)}: {s.summary}"
                         for k, s in enumerate(outline.scenes))
        ask = (f"剧本《{outline.title}》：{outline.logline}\n已有分场：\n{done}\n\n请设计紧接着的下一场：{wish}。"
               "写明内景(INT)或外景(EXT)、具体地点、时间，和一两句这场发生了什么。全部用中文。" if zh else
               f"Screenplay \"{outline.title}\": {outline.logline}\nScenes so far:\n{done}\n\nPlan the next scene: {wish}. "
               "Give INT or EXT, a specific location, a time of day and one or two sentences of what happens.")
        schema = outline_schema(1, language)["properties"]["scenes"]["items"]
        request = CompletionRequest.chat(ask, system=SYSTEM_OUTLINE[language], json_schema=schema,
                                         max_tokens=token_ceiling(schema, language), temperature=params.temperature,
                                         seed=step_seed(seed, 300))
        reply = self.provider(params.model).complete(request)
        plan = reply.parse(ScenePlan)
        return plan.model_copy(update={"location": one_line(plan.location).strip("。.,，"),
                                       "summary": tidy(plan.summary, 150)}), reply


def outline_of(fountain: str, info: dict[str, Any]) -> ScriptOutline:
    """The outline a script was written from (kept in its version's ``info``), or one read back
    from the Fountain itself for a script a person wrote or edited."""
    if "outline" in info:
        try:
            return ScriptOutline.model_validate(info["outline"])
        except ValueError:
            pass
    play = parse_fountain(fountain)
    names = list(dict.fromkeys(c.strip("@").strip() for c in play.of("character")))
    if not names:
        names = ["A", "B"]
    scenes = []
    for h in play.of("heading"):
        m = re.match(r"^\.?(INT|EXT)[./ ]*\s*(.*?)(?:\s+-\s+(.*))?$", h.strip(), re.I)
        place = "EXT" if m and m.group(1).upper() == "EXT" else "INT"
        location = (m.group(2) if m else h).strip() or "?"
        scenes.append(ScenePlan(place=place, location=location[:30], time=(m.group(3) if m and m.group(3) else "DAY"),
                                summary=location[:150]))
    return ScriptOutline(title=play.title or "Untitled", logline=play.title_page.get("notes", ""),
                         characters=[Character(name=n, description=n) for n in names[:6]], scenes=scenes)


def spoken(line: str, character: str) -> str:
    """What is said, without the narration small models wrap it in: "老陈说：‘…’", "Mara: "…"."""
    line = tidy(line, 120)
    line = re.sub(rf"^\s*{re.escape(character)}\s*(说|问|道|says|said|asks)?\s*[:：,，]?\s*", "", line, flags=re.I)
    quoted = re.fullmatch(r"[\"“‘'「](.+?)[\"”’'」]\s*", line)
    return (quoted.group(1) if quoted else line).strip() or line


def tidy_outline(outline: ScriptOutline) -> ScriptOutline:
    return ScriptOutline(
        title=tidy(outline.title).strip("《》").rstrip("。."), logline=tidy(outline.logline, 150),
        characters=[Character(name=one_line(c.name), description=tidy(c.description, 100))
                    for c in outline.characters],
        scenes=[s.model_copy(update={"location": one_line(s.location).strip("。.,，"), "summary": tidy(s.summary, 150)})
                for s in outline.scenes],
    )
