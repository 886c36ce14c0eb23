"""storyteller: short stories of a chosen length, planned before they are written.

How a story is made:
1. A premise is put together from the spec (the brief, its subject and imagery, the mood, the
   pace that ``energy`` asks for) plus an *angle* the seed picks (told backwards, from the least
   likely witness …), so two seeds give two different stories, not two wordings of one.
2. The embedded LLM writes an outline under a JSON schema (title, logline, 2–4 characters with a
   one-line description, 3–7 beats): the structure always parses, whatever the model is tempted
   to ramble.
3. Each beat becomes a scene of prose. Length is controlled by budgeting: the words still owed
   are shared among the scenes still to write, each request gets a token ceiling from its share,
   a scene that stops well short is continued once, one that runs long is cut at a sentence end.
   At the end the whole is brought within ±25 % of ``words`` (continue the last scene, or trim
   the longest scenes at sentence ends).
4. The story is Markdown: the title, the logline, then one section per beat. The outline and the
   word counts go to ``info``.

Every completion is seeded from the version seed and its step index, so a recipe replays to the
same bytes on the same model file, llama.cpp build and thread count (recorded in ``info``).
Chinese briefs give Chinese stories, where a "word" is a character (字数), as Chinese editors count.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Edit, Progress
from duetto.errors import InvalidInput
from duetto.llm.base import Completion, CompletionRequest
from duetto.llm.embedded import EmbeddedProvider
from duetto.llm.factory import Providers
from duetto.llm.models import DEFAULT_MODEL
from duetto.media.text.coherence import (
    ProseCheck,
    check_sections,
    drop_repeats,
    event_words,
    trim_unfinished,
    uses,
)
from duetto.media.text.cowrite import TextOps
from duetto.media.text.prose import (
    CJK,
    LATIN_WORD,
    TOKENS_PER_WORD,
    Language,
    clean_prose,
    count_words,
    drop_unfinished,
    sentences,
    step_seed,
    text_language,
    trim_to_words,
)
from duetto.settings import Settings
from duetto.spec import CreativeSpec

TOLERANCE = 0.25  # the promise: the prose is within ±25 % of params.words

MOOD_ZH = {
    "calm": "宁静", "serene": "恬淡", "melancholic": "忧伤", "sad": "悲伤", "joyful": "欢快",
    "cheerful": "明快", "energetic": "昂扬", "playful": "俏皮", "nostalgic": "怀旧", "gentle": "温柔",
    "lonely": "孤独", "mysterious": "神秘", "dreamy": "梦幻", "passionate": "热烈", "tense": "紧张",
    "dark": "阴郁", "hopeful": "充满希望", "romantic": "浪漫", "solemn": "庄重", "angry": "愤怒",
}
# The seed picks one: the cheapest way to make variants differ in *what happens*.
ANGLES: tuple[tuple[str, str], ...] = (
    ("told through one small object that changes hands", "通过一件在人物之间传递的小物件来讲述"),
    ("a secret that one character has kept for years comes out", "一个人物隐藏多年的秘密被揭开"),
    ("two people who want opposite things must spend one night together", "两个想要相反东西的人不得不共度一夜"),
    ("an ordinary errand goes wrong in an unexpected way", "一件寻常小事出了意想不到的岔子"),
    ("seen through the eyes of the least important person present", "从在场最不起眼的人的眼睛看去"),
    ("a letter, message or voice from the past arrives", "一封来自过去的信、一条消息或一个声音突然出现"),
    ("a promise that is hard to keep", "一个很难遵守的承诺"),
    ("a stranger arrives and asks for help", "一个陌生人到来，请求帮助"),
    ("someone returns to a place they swore never to see again", "有人回到了发誓永不再回的地方"),
    ("a small lie grows until it must be confessed", "一个小谎越滚越大，直到不得不坦白"),
    ("the last day before something ends for good", "某样东西永远结束之前的最后一天"),
    ("a rivalry that turns, slowly, into something else", "一场较劲慢慢变成了别的东西"),
)

SYSTEM_OUTLINE = {
    "en": "You are a story editor who invents original, concrete short stories with vivid characters. "
          "You answer in JSON.",
    "zh": "你是一位小说编辑，善于构思原创、具体、人物鲜明的短篇故事。你用 JSON 回答，内容全部用中文。",
}
SYSTEM_PROSE = {
    "en": "You are a literary fiction writer. You write vivid, concrete prose in English: specific "
          "sensory detail, characters who want something, short scenes with dialogue in quotation marks. "
          "No headings, no lists, no summaries, no morals, no clichés.",
    "zh": "你是一位中文小说家。你用生动、具体的白话文写作：有画面感的细节，人物有所渴求，有对话（用引号）。"
          "不要标题，不要列表，不要总结，不要说教，不要陈词滥调。",
}


class StoryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    words: int = Field(800, ge=150, le=5000, description="Target length of the prose (Chinese: characters).")
    beats: int | None = Field(None, ge=3, le=7, description="Beats in the outline; default: from the length.")
    language: Literal["auto", "zh", "en"] = Field("auto", description="auto: the brief's language.")
    model: str = Field(DEFAULT_MODEL, description="Embedded model (duetto models list).")
    temperature: float = Field(0.8, gt=0.0, le=1.5, description="Prose temperature; the outline runs a little hotter.")
    repetition: float = Field(0.3, ge=0.0, le=1.5, description="Frequency penalty on prose: higher repeats less.")


class Character(BaseModel):
    name: str
    description: str


class Beat(BaseModel):
    title: str
    summary: str


class Outline(BaseModel):
    title: str
    logline: str
    characters: list[Character]
    beats: list[Beat]


def outline_schema(beats: int) -> dict[str, Any]:
    """The outline's JSON schema; lengths are capped so a constrained string cannot run away."""
    text = lambda n: {"type": "string", "minLength": 2, "maxLength": n}  # noqa: E731
    return {
        "type": "object",
        "properties": {
            "title": text(60),
            "logline": text(150),
            "characters": {
                "type": "array", "minItems": 2, "maxItems": 4,
                "items": {"type": "object", "properties": {"name": text(30), "description": text(100)},
                          "required": ["name", "description"]},
            },
            "beats": {
                "type": "array", "minItems": beats, "maxItems": beats,
                "items": {"type": "object", "properties": {"title": text(40), "summary": text(150)},
                          "required": ["title", "summary"]},
            },
        },
        "required": ["title", "logline", "characters", "beats"],
    }


# -- small pure helpers (shared with the screenwriter) ---------------------------------------------


def token_ceiling(schema: dict[str, Any], language: Language) -> int:
    """Enough tokens for the longest JSON the schema allows (every string and array capped), so a
    constrained reply is never cut off mid-string: Chinese is about a token a character, English
    about one per three and a half; each field adds its key and punctuation."""
    def chars(node: dict[str, Any]) -> tuple[int, int]:  # (characters of text, fields)
        if node.get("type") == "string":
            return node.get("maxLength", 200), 1
        if node.get("type") == "array":
            c, f = chars(node["items"])
            return c * node.get("maxItems", 8), f * node.get("maxItems", 8) + 1
        if node.get("type") == "object":
            parts = [chars(v) for v in node["properties"].values()]
            return sum(c for c, _ in parts), sum(f for _, f in parts) + 1
        return max((len(str(v)) for v in node.get("enum", [""])), default=4), 1
    text, fields = chars(schema)
    return int(text * (1.1 if language == "zh" else 0.3)) + 8 * fields + 16


def language_of(spec: CreativeSpec, wanted: str = "auto") -> Language:
    """zh or en: asked for, else the spec's language, else what the brief is written in."""
    if wanted in ("zh", "en"):
        return wanted  # type: ignore[return-value]
    if spec.language in ("zh", "en"):
        return spec.language  # type: ignore[return-value]
    text = " ".join([spec.brief, spec.subject, *spec.keywords])
    return "zh" if len(CJK.findall(text)) >= max(1, len(LATIN_WORD.findall(text))) else "en"


def angle_for(seed: int, language: Language) -> str:
    en, zh = ANGLES[step_seed(seed, 999) % len(ANGLES)]
    return zh if language == "zh" else en


def tidy(text: str, cap: int | None = None) -> str:
    """A constrained string that hit its length cap ends mid-phrase ("… he realizes he:"): cut
    it back to its last full sentence when it has one, else (when it hit ``cap``) to its last
    clause with an ellipsis, else just drop the dangling punctuation."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text or re.search(r"[.!?。！？…][\"'”’」』）)]*$", text):
        return text
    whole = sentences(text)
    if len(whole) > 1:
        return "".join(whole[:-1]).strip()
    if cap is not None and len(text) >= cap - 2:
        clause = re.match(r"^(.*[,，;；、])", text)
        if clause and len(clause.group(1)) > len(text) / 3:
            zh = bool(CJK.search(text))
            return clause.group(1)[:-1].rstrip() + ("……" if zh else "...")
    return text.rstrip(" ,;:，；：、-—")


def premise_lines(spec: CreativeSpec, language: Language) -> list[str]:
    """The spec in words a writer can use; empty parts are left out rather than invented."""
    zh = language == "zh"
    out: list[str] = []
    if spec.brief.strip():
        out.append(("题意：" if zh else "Premise: ") + spec.brief.strip())
    if spec.subject and spec.subject not in spec.brief:
        out.append(("主题：" if zh else "Subject: ") + spec.subject)
    images = [k for k in spec.keywords if k.strip()]
    if images:
        out.append(("要用到的意象：" if zh else "Images to use: ") + ("、" if zh else ", ").join(images[:8]))
    moods = [MOOD_ZH.get(m, m) if zh else m for m in spec.mood.named]
    if not moods and spec.mood.valence < -0.3:
        moods = ["沉郁" if zh else "bittersweet"]
    elif not moods and spec.mood.valence > 0.5:
        moods = ["明亮" if zh else "warm"]
    if moods:
        out.append(("基调：" if zh else "Mood: ") + ("、" if zh else ", ").join(moods))
    if spec.energy >= 0.65:
        out.append("节奏：紧凑、有张力" if zh else "Pace: brisk and urgent")
    elif spec.energy <= 0.35:
        out.append("节奏：舒缓、安静" if zh else "Pace: slow and quiet")
    if not out:
        out.append("题意：自由发挥" if zh else "Premise: free choice")
    return out


class Storyteller:
    name: ClassVar[str] = "storyteller"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "story"
    Params: ClassVar[type[BaseModel]] = StoryParams

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._providers = Providers(self.settings, n_ctx=4096)

    def provider(self, model: str) -> EmbeddedProvider:
        return self._providers.get(model)

    def check(self, spec: CreativeSpec, params: BaseModel) -> None:
        assert isinstance(params, StoryParams)
        if params.beats is not None and params.beats * 40 > params.words:
            raise InvalidInput(f"{params.beats} beats need at least {params.beats * 40} words",
                               hint="raise words or lower beats")

    # -- steps ---------------------------------------------------------------------------------

    def outline(self, spec: CreativeSpec, params: StoryParams, seed: int) -> tuple[Outline, str]:
        """Step 0: the constrained outline, and the prompt that asked for it."""
        language = language_of(spec, params.language)
        beats = params.beats or beats_for(params.words)
        zh = language == "zh"
        lines = premise_lines(spec, language)
        lines.append(("角度：" if zh else "Angle: ") + angle_for(seed, language))
        if zh:
            lines += [
                f"请据此构思一个约{params.words}字的原创短篇故事：",
                "一个有意味的标题（不要照抄题意）；一句话梗概（谁想要什么，什么阻碍了他）；",
                f"2到4个人物，每人有名字和一句话描述；正好{beats}个情节段落，"
                "每段有小标题和一两句发生了什么，中段要有转折，结尾要有改变。",
                "题意里的事件必须真的发生，并在某一段的梗概里直接写出来。全部用中文。",
            ]
        else:
            lines += [
                f"Invent an original short story of about {params.words} words from this.",
                "Give a title (a few evocative words, not the premise itself); a one-sentence logline "
                "(who wants what, and what stands in the way); 2 to 4 characters, each with a name and a "
                f"one-line description; and exactly {beats} beats, each with a short title and one or two "
                "sentences of what happens, with a turn in the middle and an ending that changes something.",
                "The premise's event must really happen: say it plainly in the summary of the beat where it happens.",
            ]
        prompt = "\n".join(lines)
        request = CompletionRequest.chat(
            prompt, system=SYSTEM_OUTLINE[language], json_schema=outline_schema(beats),
            max_tokens=token_ceiling(outline_schema(beats), language),
            temperature=min(1.5, params.temperature + 0.2), seed=step_seed(seed, 0),
        )
        outline = self.provider(params.model).complete(request).parse(Outline)
        return tidy_outline(outline), prompt

    def _scene(self, outline: Outline, i: int, budget: int, written: list[str], params: StoryParams,
               language: Language, seed: int, step: int, must: str = "") -> tuple[str, list[Completion]]:
        """Beat ``i`` as prose of about ``budget`` words; continued once when it stops short.

        ``written`` is the story so far: its sentences and phrases cannot be written again (the
        decoding guard), and the scene ends at the first full stop past its budget. ``must`` is
        what this scene has to show (the brief's event, in the beat where it belongs)."""
        zh = language == "zh"
        before = written[-1] if written else ""
        n = len(outline.beats)
        beat = outline.beats[i]
        cast = "\n".join(f"- {c.name}: {c.description}" for c in outline.characters)
        plan = "\n".join(f"{k + 1}. {b.title}: {b.summary}" for k, b in enumerate(outline.beats))
        tail = "".join(sentences(before)[-2:]).strip()
        if zh:
            ask = [f"故事：《{outline.title}》", f"梗概：{outline.logline}", "人物：", cast, "情节：", plan]
            if tail:
                ask += ["", f"上一段结尾是：“{tail}”（接着往下写，不要重复这几句）"]
            ask += ["", f"现在写第{i + 1}段（共{n}段）：{beat.title}——{beat.summary}",
                    f"写约{budget}字的小说正文，紧接前文，用具体的动作、对话和细节展开。",
                    "这是结尾段，写完整个故事，以一个有余味的画面收束。" if i == n - 1 else "只写这一段，不要写到后面的情节。",
                    "只写正文，不要标题。"]
            if must:
                ask.append(f"这一段必须明明白白地写出这件事：{must}")
        else:
            ask = [f"Story: {outline.title}", f"Logline: {outline.logline}", "Characters:", cast, "Outline:", plan]
            if tail:
                ask += ["", f'The previous part ended: "{tail}" (carry on from there; do not repeat it)']
            ask += ["", f"Now write part {i + 1} of {n}: {beat.title} - {beat.summary}",
                    f"Write about {budget} words of prose that carries straight on, showing it through action, "
                    "dialogue and concrete detail.",
                    "This is the last part: finish the story on a resonant final image." if i == n - 1
                    else "Write only this part; do not run ahead to later events.",
                    "Write only the prose, no heading."]
            if must:
                ask.append(f"This part must show, plainly, this happening: {must}")
        request = CompletionRequest.chat(
            "\n".join(ask), system=SYSTEM_PROSE[language], temperature=params.temperature,
            seed=step_seed(seed, step), stop=["<|im_end|>"], frequency_penalty=params.repetition,
            **guarded(budget, language, written),
        )
        provider = self.provider(params.model)
        first = provider.complete(request)
        text = clean_prose(drop_unfinished(first.text))
        done = [first]
        if count_words(text) < 0.7 * budget:
            more = budget - count_words(text)
            text = (text + "\n\n" + self._continue(text, more, params, language, seed, step + 50, done,
                                                      written)).strip()
        if count_words(text) > 1.25 * budget:
            text = trim_to_words(text, int(1.15 * budget))
        return text, done

    def _continue(self, text: str, more: int, params: StoryParams, language: Language, seed: int,
                  step: int, done: list[Completion], written: list[str] | None = None) -> str:
        zh = language == "zh"
        ask = (f"下面是一段小说，请接着写约{more}字，紧接最后一句，不要重复前文，不要标题：\n\n{text[-1500:]}" if zh
               else f"Here is a passage of a story. Continue it for about {more} more words, carrying straight on "
                    f"from its last sentence, without repeating it and without a heading:\n\n{text[-3000:]}")
        request = CompletionRequest.chat(
            ask, system=SYSTEM_PROSE[language], temperature=params.temperature, seed=step_seed(seed, step),
            stop=["<|im_end|>"], frequency_penalty=params.repetition,
            **guarded(more, language, [*(written or []), text]),
        )
        reply = self.provider(params.model).complete(request)
        done.append(reply)
        return clean_prose(drop_unfinished(reply.text))

    # -- the engine ------------------------------------------------------------------------------

    def generate(
        self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None
    ) -> Artefact:
        assert isinstance(params, StoryParams)
        self.check(spec, params)
        t0 = time.perf_counter()
        language = language_of(spec, params.language)
        outline, prompt = self.outline(spec, params, seed)
        n = len(outline.beats)
        if progress is not None:
            progress(1 / (n + 2), "outline")
        scenes: list[str] = []
        budgets: list[int] = []
        calls: list[Completion] = []
        where = event_beat(outline, spec.brief)
        for i in range(n):
            owed = params.words - sum(count_words(s) for s in scenes)
            budget = max(40, round(owed / (n - i)))
            text, done = self._scene(outline, i, budget, scenes, params, language, seed, step=i + 1,
                                     must=spec.brief.strip() if i == where else "")
            scenes.append(text)
            budgets.append(budget)
            calls += done
            if progress is not None:
                progress((i + 2) / (n + 2), f"scene {i + 1}/{n}")
        first = check_sections(scenes, spec.brief)
        scenes, repairs = self._repair(outline, scenes, first, budgets, where, spec, params, language, seed, calls)
        scenes = self._fit(scenes, params, language, seed, calls)
        final = check_sections(scenes, spec.brief)
        words = [count_words(s) for s in scenes]
        markdown = render_markdown(outline, scenes, language)
        info: dict[str, Any] = {
            "language": language,
            "outline": outline.model_dump(),
            "angle": angle_for(seed, language),
            "words": {"target": params.words, "actual": sum(words), "per_scene": words,
                      "within_tolerance": abs(sum(words) - params.words) <= TOLERANCE * params.words},
            "prompt": prompt,
            "event_beat": where + 1,
            "checks": {"written": first.summary(), "repairs": repairs, "final": final.summary()},
            "completions": [{"tokens": c.tokens, "finish": c.finish_reason, "tokens_per_s": c.tokens_per_s}
                            for c in calls],
            "build": self.provider(params.model).build_info(),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        if progress is not None:
            progress(1.0, "done")
        return Artefact(data=markdown.encode("utf-8"), ext="md", mime="text/markdown; charset=utf-8",
                        extras={"json": json.dumps(outline.model_dump(), ensure_ascii=False, indent=2).encode()},
                        info=info)

    def _repair(self, outline: Outline, scenes: list[str], check: ProseCheck, budgets: list[int], where: int,
                spec: CreativeSpec, params: StoryParams, language: Language, seed: int,
                calls: list[Completion]) -> tuple[list[str], list[str]]:
        """The one repair pass the checks trigger: the section where the brief's event belongs is
        written again when the event is missing (kept only if it brings the event closer), then
        sentences that repeat an earlier one are cut and sections are trimmed to their last full
        stop. Returns the scenes and what was done."""
        done: list[str] = []
        if not check.event_delivered and spec.brief.strip():
            missing = ("、" if language == "zh" else ", ").join(check.event_missing)
            must = f"{spec.brief.strip()}（要写到：{missing}）" if language == "zh" else \
                f"{spec.brief.strip()} (name it: {missing})"
            text, more = self._scene(outline, where, budgets[where], scenes[:where], params, language, seed,
                                     step=150 + where, must=must)
            calls += more
            again = scenes[:where] + [text] + scenes[where + 1:]
            if len(check_sections(again, spec.brief).event_missing) < len(check.event_missing):
                scenes = again
                done.append(f"rewrote section {where + 1} for the brief's event ({missing})")
            else:
                done.append(f"rewrote section {where + 1} for the brief's event; kept the first (no closer)")
            check = check_sections(scenes, spec.brief)
        if check.repeated:
            scenes = drop_repeats(scenes, check)
            done.append(f"cut {len(check.repeated)} repeated sentence(s)")
        for i in check_sections(scenes, spec.brief).unfinished:
            scenes[i] = trim_unfinished(scenes[i])
            done.append(f"trimmed section {i + 1} to its last full stop")
        return scenes, done

    def _fit(self, scenes: list[str], params: StoryParams, language: Language, seed: int,
             calls: list[Completion]) -> list[str]:
        """Bring the whole within tolerance: continue the last scene while short (twice at most),
        trim the longest scenes at sentence ends while long."""
        lo, hi = params.words * (1 - TOLERANCE * 0.8), params.words * (1 + TOLERANCE * 0.8)
        for k in range(2):
            total = sum(count_words(s) for s in scenes)
            if total >= lo:
                break
            more = params.words - total
            scenes[-1] = (scenes[-1] + "\n\n" + self._continue(scenes[-1], more, params, language, seed,
                                                               200 + k, calls, scenes[:-1])).strip()
        for _ in range(4 * len(scenes)):
            total = sum(count_words(s) for s in scenes)
            if total <= hi:
                break
            longest = max(range(len(scenes)), key=lambda j: count_words(scenes[j]))
            excess = total - params.words
            scenes[longest] = trim_to_words(scenes[longest], max(1, count_words(scenes[longest]) - excess))
        return scenes

    def cowrite(self, parents: list[Artefact], edit: Edit, spec: CreativeSpec, params: BaseModel, seed: int,
                progress: Progress | None = None) -> Artefact:
        """Continue, elaborate, rewrite, replace, a new character, summarise, translate or blend
        (``duetto.media.text.cowrite``), on the stored Markdown."""
        assert isinstance(params, StoryParams)
        t0 = time.perf_counter()
        text = parents[0].data.decode("utf-8")
        other = parents[1].data.decode("utf-8") if len(parents) > 1 else None
        ops = TextOps(self.provider(params.model), "story", params.temperature, params.repetition)
        written = ops.apply(text, edit, seed, other=other)
        language = text_language(written.text)
        info: dict[str, Any] = {
            "edit": edit.model_dump(exclude_none=True), "language": language, **written.info,
            "words": {"before": count_words(prose_of(text)), "after": count_words(prose_of(written.text))},
            "completions": [{"tokens": c.tokens, "finish": c.finish_reason, "tokens_per_s": c.tokens_per_s}
                            for c in written.calls],
            "build": self.provider(params.model).build_info(),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        return Artefact(data=written.text.encode("utf-8"), ext="md", mime="text/markdown; charset=utf-8",
                        info=info, resolved={"language": language})


def tidy_outline(outline: Outline) -> Outline:
    return Outline(
        title=tidy(outline.title).rstrip("。."), logline=tidy(outline.logline, 150),
        characters=[Character(name=re.sub(r"\s+", " ", c.name).strip(), description=tidy(c.description, 100))
                    for c in outline.characters],
        beats=[Beat(title=tidy(b.title).rstrip("。."), summary=tidy(b.summary, 150)) for b in outline.beats],
    )


NGRAM = 6  # tokens: about five English words or eight Chinese characters, a clause, not a name


def guarded(words: int, language: Language, written: list[str]) -> dict[str, Any]:
    """The request fields that make a prose completion of about ``words`` new: nothing of
    ``written`` (the story so far) said again, no sentence said twice, and an end at the first
    full stop past the budget (with room to reach it; ``max_tokens`` is only the backstop)."""
    tokens = int(words * TOKENS_PER_WORD[language])
    return {"avoid": [w for w in written if w.strip()][-64:], "no_repeat_ngram": NGRAM, "block_sentences": True,
            "wrap_up_after": max(8, tokens), "max_tokens": int(tokens * 1.35) + 60}


def event_beat(outline: Outline, brief: str) -> int:
    """The beat where the brief's event happens: the one whose summary uses most of the brief's
    words; the turn in the middle when none does."""
    words = event_words(brief)
    scores = [sum(uses(b.title + " " + b.summary, w) for w in words) for b in outline.beats]
    best = max(range(len(scores)), key=lambda k: (scores[k], -abs(k - len(scores) // 2))) if scores else 0
    return best if scores and scores[best] > 0 else len(outline.beats) // 2


def beats_for(words: int) -> int:
    return int(min(7, max(3, round(words / 300))))


def render_markdown(outline: Outline, scenes: list[str], language: Language) -> str:
    numerals = "一二三四五六七"
    out = [f"# {outline.title.strip()}", "", f"*{outline.logline.strip()}*", ""]
    for i, (beat, prose) in enumerate(zip(outline.beats, scenes, strict=True)):
        label = f"{numerals[i]}、{beat.title.strip()}" if language == "zh" else f"{i + 1}. {beat.title.strip()}"
        out += [f"## {label}", "", prose.strip(), ""]
    return "\n".join(out).rstrip() + "\n"


def prose_of(markdown: str) -> str:
    """The story's prose without its title, logline and section headings (what ``words`` counts)."""
    body = [ln for ln in markdown.split("\n") if not ln.startswith("#")]
    # the logline is the first italic line
    for j, ln in enumerate(body):
        if ln.startswith("*") and ln.endswith("*"):
            del body[j]
            break
    return "\n".join(body).strip()


def story_sections(markdown: str) -> list[str]:
    """The prose of each ``##`` section of a story, in order (what the checks read)."""
    return [part.strip() for part in re.split(r"^## .*$", markdown, flags=re.M)[1:]]
