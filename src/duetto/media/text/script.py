"""screenwriter: short screenplays in Fountain, valid by construction.

How a script is made:
1. The premise (the same as the storyteller's: brief, imagery, mood, pace and a seed-picked
   angle) becomes an outline under a JSON schema: title, logline, 2–4 characters, and one entry
   per scene with INT/EXT, a location and a time of day from fixed lists.
2. Each scene is written by the LLM as JSON, never as screenplay text: an opening action, a run
   of exchanges (who speaks, from an enum of the outline's characters; an optional
   parenthetical; the line; an optional action after it) and a closing action.
3. ``write_fountain`` (``duetto.media.text.fountain``) turns that structure into Fountain text, escaping whatever a model could
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
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Edit, Progress
from duetto.llm.base import Completion, CompletionRequest
from duetto.llm.embedded import EmbeddedProvider
from duetto.llm.factory import Providers
from duetto.llm.models import DEFAULT_MODEL
from duetto.media.text.fountain import (  # noqa: F401  (the Fountain names, read from here by older callers)
    EXTENSION,
    FADE_OUT,
    HEADING,
    Element,
    ElementKind,
    FountainReport,
    Scene,
    Screenplay,
    append_scene,
    cue,
    fountain_to_markdown,
    heading,
    is_caps,
    one_line,
    parse_fountain,
    scene_lines,
    scenes_of,
    validate_fountain,
    write_fountain,
)
from duetto.media.text.prose import Language, step_seed
from duetto.media.text.script_check import (
    PremiseFact,
    ScriptIssue,
    breaks,
    check_scenes,
    premise_facts,
    repair_scenes,
)
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
               seed: int, must: str = "", premise: list[str] | None = None,
               written: list[str] | None = None) -> tuple[SceneDraft, Completion]:
        """Scene ``i`` as a draft. ``premise``: what holds in every scene (the brief and its facts,
        a blackout is dark); ``written``: the scenes' replies so far, whose lines and sentences
        the decoding guard will not let it write again."""
        zh = language == "zh"
        plan = outline.scenes[i]
        names = list(dict.fromkeys(c.name for c in outline.characters))
        cast = "\n".join(f"- {c.name}: {c.description}" for c in outline.characters)
        scenes = "\n".join(f"{k + 1}. {heading(s.place, s.location, s.time, language)}: {s.summary}"
                           for k, s in enumerate(outline.scenes))
        here = heading(plan.place, plan.location, plan.time, language)
        if zh:
            ask = [f"剧本：《{outline.title}》", f"梗概：{outline.logline}", "人物：", cast, "分场：", scenes]
            if premise:
                ask += ["", "每一场都必须符合的前提：", *premise]
            if before:
                ask += ["", f"上一场结束于：{before}"]
            ask += ["", f"现在写第{i + 1}场 {here}：{plan.summary}",
                    "opening：一两句动作描写，交代场景（只写镜头看得到的）；",
                    f"exchanges：3到{params.exchanges}轮对白，每轮：speaker 说话的人物；how 怎么说（两三个字，如“低声”；不需要就写空字符串）；"
                    "says 他亲口说出的台词（口语，短句，每句都推进冲突，不要重复）；then 说完之后的一个动作（可以为空）；",
                    "closing：一句收尾的动作或画面。" + ("这是最后一场，要给故事一个结局。" if i == len(outline.scenes) - 1 else ""),
                    "台词是人物亲口说的话（用“我”“你”），不是叙述；不要写“某某说”，不要加引号。",
                    "人物离开这场之后就不再说话；动作描写里不要用引号。"]
            if must:
                ask.append(f"{must}必须在这场出场并说话。")
        else:
            ask = [f"Screenplay: {outline.title}", f"Logline: {outline.logline}", "Characters:", cast, "Scenes:", scenes]
            if premise:
                ask += ["", "The premise, which holds in every scene:", *premise]
            if before:
                ask += ["", f"The previous scene ended: {before}"]
            ask += ["", f"Now write scene {i + 1}, {here}: {plan.summary}",
                    "opening: one or two sentences of action that set the scene (only what the camera sees);",
                    f"exchanges: 3 to {params.exchanges} turns of dialogue, each with: speaker; how (two or three words "
                    "such as \"quietly\", or the empty string \"\"); says (the exact words spoken aloud, short, each turn moving the "
                    "conflict on, never repeating); then (a short action after it, or empty);",
                    "closing: one sentence of action or image that ends the scene."
                    + (" This is the last scene: end the story." if i == len(outline.scenes) - 1 else ""),
                    "A line is what the character says aloud, in the first person, not narration; no \"she says\", "
                    "no quotation marks.",
                    "A character who leaves the scene does not speak again in it; no quotation marks in action."]
            if must:
                ask.append(f"{must} must appear and speak in this scene.")
        schema = scene_schema(names, params.exchanges, must)
        request = CompletionRequest.chat(
            "\n".join(ask), system=SYSTEM_SCENE[language], json_schema=schema,
            max_tokens=token_ceiling(schema, language), temperature=params.temperature, seed=step_seed(seed, i + 1),
            frequency_penalty=params.repetition, avoid=[w for w in (written or []) if w.strip()][-64:],
            no_repeat_ngram=NGRAM, block_sentences=True,
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
        facts = premise_facts(spec.brief)
        premise = premise_for(spec.brief, facts, language)
        for i, plan in enumerate(outline.scenes):
            draft, reply = self._scene(outline, i, before, params, language, seed, premise=premise,
                                       written=[c.text for c in calls])
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
        cast = [c.name for c in outline.characters]
        written = check_scenes(scenes, facts, cast)
        scenes, repairs = self._repair(scenes, written, facts, cast, params, language, seed, calls)
        final = check_scenes(scenes, facts, cast)
        fountain = write_fountain(outline.title, scenes, notes=outline.logline, language=language)
        report = validate_fountain(fountain)
        info: dict[str, Any] = {
            "language": language,
            "outline": outline.model_dump(),
            "scenes": [d.model_dump() for d in drafts],
            "angle": angle_for(seed, language),
            "valid": report.ok,
            "issues": report.issues,
            "premise": [f.name for f in facts],
            "checks": {"written": [i.message for i in written], "repairs": repairs,
                       "final": [i.message for i in final]},
            "prompt": prompt,
            "completions": [{"tokens": c.tokens, "finish": c.finish_reason, "tokens_per_s": c.tokens_per_s}
                            for c in calls],
            "build": self.provider(params.model).build_info(),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        return Artefact(data=fountain.encode("utf-8"), ext="fountain", mime="text/plain; charset=utf-8",
                        extras={"md": fountain_to_markdown(fountain).encode("utf-8")}, info=info)


    def _repair(self, scenes: list[Scene], issues: list[ScriptIssue], facts: list[PremiseFact], cast: list[str],
                params: ScriptParams, language: Language, seed: int,
                calls: list[Completion]) -> tuple[list[Scene], list[str]]:
        """The one repair pass the checks trigger. A line that breaks the premise, and the opening
        of a scene that does not show it, are rewritten by the model (at most ``REWRITES``, each
        kept only if it now holds); everything still wrong is cut (``repair_scenes``)."""
        done: list[str] = []
        by_name = {f.name: f for f in facts}
        todo = [i for i in issues if i.kind in ("premise", "premise_missing") and i.fact in by_name][:REWRITES]
        for n, issue in enumerate(todo):
            scene = scenes[issue.scene]
            k = issue.item if issue.item is not None else next(
                (j for j, it in enumerate(scene.body) if it[0] == "action"), None)
            if k is None or scene.body[k][0] not in ("action", "dialogue"):
                continue
            item = scene.body[k]
            field = 1 if item[0] == "action" else 3
            fact = by_name[issue.fact or ""]
            new, reply = self._rewrite(item[field], item[0], fact, issue.kind == "premise_missing", params, language,
                                       step_seed(seed, 400 + n))
            calls.append(reply)
            holds = not breaks(fact, new) and (issue.kind == "premise" or fact.shows.search(new))
            if holds and new.strip():
                body = list(scene.body)
                body[k] = (*item[:field], new, *item[field + 1:])
                scenes[issue.scene] = Scene(scene.heading, body)
                done.append(f"rewrote scene {issue.scene + 1} line {k + 1} for the premise ({fact.name})")
        left = check_scenes(scenes, facts, cast)
        cut = [i for i in left if i.item is not None]
        if cut:
            scenes = repair_scenes(scenes, cut)
            done += [f"cut in scene {i.scene + 1}: {i.message}" for i in cut]
        return scenes, done

    def _rewrite(self, text: str, kind: str, fact: PremiseFact, show: bool, params: ScriptParams, language: Language,
                 seed: int) -> tuple[str, Completion]:
        """One line of a scene rewritten so that it keeps ``fact`` (or shows it: ``show``)."""
        zh = language == "zh"
        said = fact.said[1] if zh else fact.said[0]
        what = ("动作描写" if kind == "action" else "台词") if zh else ("action line" if kind == "action" else "line of dialogue")
        if zh:
            ask = (f"剧本的前提：{said}\n这句{what}{'没有写出这个前提' if show else '违背了这个前提'}：{text}\n"
                   f"请改写这句{what}，保留它发生的事，{'让镜头看得到这个前提' if show else '只改掉违背前提的地方'}。只写改好的一句，用中文。")
        else:
            ask = (f"The screenplay's premise: {said}\nThis {what} {'does not show it' if show else 'breaks it'}: {text}\n"
                   f"Rewrite the {what}, keeping what happens, {'so the camera sees the premise' if show else 'changing only what breaks the premise'}. "
                   "Answer with the rewritten line only.")
        schema = {"type": "object", "properties": {"line": _text(160)}, "required": ["line"]}
        request = CompletionRequest.chat(ask, system=SYSTEM_SCENE[language], json_schema=schema,
                                         max_tokens=token_ceiling(schema, language), temperature=0.5, seed=seed)
        reply = self.provider(params.model).complete(request)
        line = tidy(str(reply.json_value().get("line", "")), 160)
        if kind == "dialogue":
            line = spoken(line, "")
        return line, reply

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
                                       must=must, premise=premise_for(spec.brief, premise_facts(spec.brief), language),
                                       written=[fountain])
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


REWRITES = 4  # model rewrites in a script's repair pass (a few seconds each)
NGRAM = 6  # tokens the decoding guard never lets a script repeat (a clause, not a name)


def premise_for(brief: str, facts: list[PremiseFact], language: Language) -> list[str]:
    """What the scene writer is told holds in every scene: the brief and each fact it states."""
    zh = language == "zh"
    out = [("题意：" if zh else "Premise: ") + brief.strip()] if brief.strip() else []
    return out + [f.said[1] if zh else f.said[0] for f in facts]


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
