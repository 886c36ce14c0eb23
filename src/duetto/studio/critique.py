"""Critique: explain a version (form, imagery, tone; palette and composition) and say what to try.

Two layers, so the answer is always grounded and always available:

1. **Measured facts and rules** (instant, no model): the image's pixels or the text are measured
   (``media.image.analyse``, ``media.text.analyse``), compared with the version's spec, and
   turned into observations, strengths and suggestions (``critique_rules``).
2. **The language model** (optional) rewrites the summary, strengths and suggestions in the
   work's language from those facts only. Its answer is JSON-schema constrained; the feedback
   phrase of each suggestion is an enum of phrases the rules already verified, so the model can
   choose one but cannot invent a command that does nothing.

Every suggestion's ``feedback`` is checked with the rule parser against the version's spec (a
non-empty ``SpecDelta``), so ``command`` (``duetto revise <id> "<feedback>"``, or for text
``duetto write rewrite <id> "<feedback>"``) is one step for a learner who wants to try it.
"""

from __future__ import annotations

import json
import shlex
import time
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError, create_model

from duetto.brief import RuleParser
from duetto.errors import DuettoError, InvalidInput
from duetto.llm.base import CompletionRequest
from duetto.llm.errors import LLMInvalidOutput
from duetto.media.text.poem import MOOD_ZH
from duetto.spec import NamedColour
from duetto.store.records import VersionRecord
from duetto.studio import critique_rules as rules
from duetto.studio.kernel import Request
from duetto.studio.studio import Studio

Lang = Literal["zh", "en"]
MAX_TOKENS = 1000  # the schema bounds an answer to ~850 characters, so it always closes


class Suggestion(BaseModel):
    change: str = Field(description="What to change, in the artist's words.")
    reason: str = Field(description="Why, pointing at what was measured.")
    feedback: str | None = Field(None, description="A phrase `duetto revise` understands (verified).")
    command: str | None = Field(None, description="The ready-to-run revise command.")


class Critique(BaseModel):
    version: str
    work: str
    medium: str
    language: Lang
    source: Literal["rules", "model"]
    model: str | None = None
    summary: str
    observations: list[str] = Field(description="What was measured, explained (always from the rules).")
    strengths: list[str]
    suggestions: list[Suggestion]
    facts: dict[str, Any] = Field(description="The raw measurements the critique stands on.")
    notes: list[str] = Field(default_factory=list)
    seconds: float = 0.0


# -- measuring one version ------------------------------------------------------------------------


def medium_of(v: VersionRecord) -> str:
    if v.mime.startswith("image/"):
        return "painting"
    if v.ext == "fountain":
        return "script"
    if v.ext == "md":
        return "story"
    if v.spec.medium in ("story", "script", "poem"):
        return v.spec.medium
    return "poem"


def _open_corpus() -> Any:
    """The poetry corpus when installed and indexed; None (never a 30 s build) otherwise."""
    from duetto.media.text.corpus import Corpus

    try:
        return Corpus.open(build=False, progress=False)
    except DuettoError:
        return None


def _measure(studio: Studio, v: VersionRecord, medium: str, lang: Lang | None) -> tuple[rules.Notes, dict[str, Any], Lang]:
    if medium == "painting":
        from duetto.media.image.analyse import (
            analyse,
            colour_name,
            colour_share,
            load_rgb,
            nearest_colour,
            rgb_to_lab,
        )

        path = studio.path_of(v)
        rgb = load_rgb(path)
        facts = analyse(path)
        language: Lang = lang or ("en" if v.spec.language == "en" else "zh" if v.spec.language in ("zh", "mixed") else "en")

        def label(c: NamedColour) -> str:  # the artist's word, in the critique's language
            han = any("\u4e00" <= ch <= "\u9fff" for ch in c.name)
            if han == (language == "zh"):
                return c.name
            return colour_name(rgb_to_lab(np.array(c.rgb) / 255))[0 if language == "zh" else 1]

        near = {label(c): (colour_share(rgb, c.hex), *nearest_colour(facts.colours, c.hex)) for c in v.spec.palette.colours}
        refused = {label(c): colour_share(rgb, c.hex) for c in v.spec.palette.excluded}
        notes = rules.painting_notes(facts, v.spec, near, refused, language)
        asked = {name: {"share": share, "nearest": closest.hex, "delta_e": round(d, 1)}
                 for name, (share, closest, d) in near.items()}
        data = facts.model_dump(mode="json") | {"asked_colours": asked, "excluded_colours": refused}
        return notes, data, language
    from duetto.media.text.analyse import poem_facts, prose_facts
    from duetto.media.text.story import text_language

    text = studio.blobs.read(v.sha256, v.ext).decode("utf-8")
    language = lang or text_language(text)
    if medium == "poem":
        form = v.info.get("form") or v.spec.style
        corpus = _open_corpus()
        try:
            pf = poem_facts(text, form, [k for k in v.spec.keywords if k.strip()] or [v.spec.subject], corpus)
        finally:
            if corpus is not None:
                corpus.close()
        return rules.poem_notes(pf, v.spec, language), pf.model_dump(mode="json"), language
    target = (studio.repo.recipe(v.id) or {}).get("params", {}).get("words")
    sf = prose_facts(text, "script" if medium == "script" else "story", v.spec.brief)
    return rules.prose_notes(sf, target if medium == "story" else None, language), sf.model_dump(mode="json"), language


# -- feedback phrases a revise understands ---------------------------------------------------------


def _verified(studio: Studio, v: VersionRecord, phrase: str | None) -> str | None:
    """The phrase if the rule parser turns it into a real change of this version's spec."""
    if not phrase:
        return None
    try:
        return phrase if not RuleParser().feedback(phrase, v.spec).is_empty() else None
    except InvalidInput:
        return None


def _command(v: VersionRecord, feedback: str | None) -> str | None:
    """The one step that applies a suggestion. A text work is rewritten with the suggestion as
    the instruction (the writer reads it; a classical poem keeps its form), which follows it
    more surely than a spec revision that regenerates the poem from scratch."""
    if feedback is None:
        return None
    if v.mime.startswith("text/"):
        revise = f"duetto write rewrite {v.short} {shlex.quote(feedback)}"
    else:
        revise = f"duetto revise {v.short} {shlex.quote(feedback)}"
    return f"duetto restore {v.short} && {revise}" if v.deleted else revise


# -- the model layer --------------------------------------------------------------------------------


def _prompt(v: VersionRecord, medium: str, notes: rules.Notes, lang: Lang, text: str | None,
            phrases: list[str]) -> tuple[str, str]:
    what = {"painting": ("画", "painting"), "poem": ("诗", "poem"), "story": ("小说", "story"),
            "script": ("剧本", "screenplay")}[medium]
    moods = "、".join(MOOD_ZH.get(m, m) for m in v.spec.mood.named) if lang == "zh" else ", ".join(v.spec.mood.named)
    ideas = [f"- {i.change}：{i.reason}" + (f"（feedback: {i.feedback}）" if i.feedback else "") for i in notes.suggestions]
    if lang == "zh":
        system = ("你是一位耐心、具体的艺术老师，点评学生的作品。只根据给出的测量事实说话，不要编造事实；"
                  "用中文回答；每条建议都要说出原因，原因要引用事实里的数字或字句。")
        parts = [f"作品：一幅{what[0]}" if medium == "painting" else f"作品：一篇{what[0]}",
                 f"题目：{v.spec.brief or v.spec.subject}", f"要求的情绪：{moods or '未指定'}"]
        if text:
            parts += ["原文：", text[:1200]]
        parts += ["测量事实：", *[f"- {o}" for o in notes.observations]]
        if ideas:
            parts += ["规则给出的建议（可采纳、改写或补充）：", *ideas]
        parts.append("可用的修改短语（feedback，只能从中选，不适用就留空）：" + "、".join(phrases or ["（无）"]))
        parts.append("请写：一句总评 summary（说清这件作品是什么样的）；2-3 条不同的优点 strengths；"
                     "2-4 条互不重复的建议 suggestions（change 写改什么，reason 写为什么，feedback 从上面的短语中选）。")
    else:
        system = ("You are a patient, specific art teacher critiquing a student's work. Speak only from the "
                  "measured facts given; never invent facts. Answer in English. Every suggestion gives its reason, "
                  "citing a number or a phrase from the facts.")
        parts = [f"Work: a {what[1]}", f"Brief: {v.spec.brief or v.spec.subject}", f"Mood asked for: {moods or 'none'}"]
        if text:
            parts += ["Text:", text[:1500]]
        parts += ["Measured facts:", *[f"- {o}" for o in notes.observations]]
        if ideas:
            parts += ["Suggestions from the rules (adopt, rephrase or add to them):", *ideas]
        parts.append("Feedback phrases you may attach (choose only from these, or leave empty): " + "; ".join(phrases or ["(none)"]))
        parts.append("Write: a one-sentence summary of what the work is like; 2-3 different strengths; 2-4 suggestions "
                     "that do not repeat each other (change: what to change; reason: why; feedback: one of the phrases above).")
    return system, "\n".join(parts)


def _answer_model(phrases: list[str], lang: Lang) -> type[BaseModel]:
    """The JSON shape the model must fill; ``feedback`` is an enum of verified phrases (or "").
    Lengths are bounded so an answer always closes within MAX_TOKENS (English words are longer
    in characters and shorter in tokens than Chinese characters, hence ``k``)."""
    k = 1 if lang == "zh" else 2
    choice = Literal[tuple(["", *phrases])]  # type: ignore[valid-type]
    item = create_model("SuggestionAnswer", change=(str, Field(max_length=50 * k)), reason=(str, Field(max_length=100 * k)),
                        feedback=(choice, ""))
    return create_model(
        "CritiqueAnswer",
        summary=(str, Field(max_length=160 * k)),
        strengths=(list[Annotated[str, Field(max_length=80 * k)]], Field(max_length=3)),
        suggestions=(list[item], Field(min_length=1, max_length=3)),  # type: ignore[valid-type]
    )


def _with_model(studio: Studio, v: VersionRecord, medium: str, notes: rules.Notes, lang: Lang,
                text: str | None, phrases: list[str]) -> tuple[rules.Notes, str]:
    from duetto.llm.factory import provider_from_settings

    provider = provider_from_settings(studio.settings)
    system, user = _prompt(v, medium, notes, lang, text, phrases)
    answer_model = _answer_model(phrases, lang)
    request = CompletionRequest.chat(user, system=system, max_tokens=MAX_TOKENS, temperature=0.0, seed=0,
                                     json_schema=answer_model.model_json_schema())
    completion = provider.complete(request)
    try:  # strict=False: small models put raw newlines inside strings, which is harmless here
        answer = answer_model.model_validate(json.loads(completion.text, strict=False))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise LLMInvalidOutput(f"the critique answer does not parse: {str(exc)[:160]}") from None
    ideas = [rules.Idea(s.change.strip(), _whole(s.reason), s.feedback or None) for s in answer.suggestions]
    strengths = [s.strip() for s in answer.strengths]
    return _merge(notes, answer.summary.strip(), strengths, ideas), provider.model_id


def _sentence(text: str) -> bool:
    """Small models sometimes spill JSON into a string or loop; such text is not a sentence."""
    from duetto.media.text.analyse import repeated_ngrams, text_language

    if len(text) < 6 or any(ch in text for ch in "[]{}") or text.count('"') >= 2:
        return False
    return not repeated_ngrams(text, text_language(text), min_count=3)


def _whole(text: str) -> str:
    """Cut an answer the length bound stopped mid-sentence back to its last full sentence."""
    text = text.strip()
    if not text or text[-1] in ".!?。！？）)”":
        return text
    ends = [text.rfind(p) for p in ".!?。！？"]
    return text[: max(ends) + 1] if max(ends) > 0 else text


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


_CRITICISM = ("lack", "could", "should", "too ", "no rest", "缺", "可以", "应该", "不足", "过于", "没有")


def _criticism(text: str) -> bool:
    """A 'strength' that is really a complaint or a suggestion (small models mix them up)."""
    return any(w in text.lower() for w in _CRITICISM)


def _merge(rule: rules.Notes, summary: str, strengths: list[str], ideas: list[rules.Idea]) -> rules.Notes:
    """The model's wording first; rule suggestions it left out are kept (they are grounded),
    duplicates and debris dropped, at most ``rules.MAX_SUGGESTIONS``."""
    by_change = {_key(i.change): i for i in rule.suggestions}
    kept: list[rules.Idea] = []
    seen: set[str] = set()
    for idea in ideas + rule.suggestions:
        twin = by_change.get(_key(idea.change))
        if twin is not None and idea is not twin:  # the model restated a rule: keep the rule's phrase
            idea = rules.Idea(idea.change, _whole(idea.reason) if _sentence(_whole(idea.reason)) else twin.reason,
                              idea.feedback or twin.feedback)
        keys = {_key(idea.change)} | ({idea.feedback} if idea.feedback else set())
        if not _sentence(idea.change + "。") or not _sentence(idea.reason) or keys & seen:
            continue
        seen |= keys
        kept.append(idea)
    good = list(dict.fromkeys(s for s in map(_whole, strengths) if _sentence(s) and not _criticism(s)))
    summary = _whole(summary)
    return rules.Notes(
        summary=summary if _sentence(summary) else rule.summary,
        observations=rule.observations,
        strengths=good or rule.strengths,
        suggestions=kept[: rules.MAX_SUGGESTIONS],
    )


def critique(studio: Studio, ref: str, use_model: bool = True, lang: Lang | None = None) -> Critique:
    """Explain one version and propose improvements (deleted versions too: looking is harmless).

    ``lang`` None: the work's own language. ``use_model`` False: the rule-based critique only.
    """
    t0 = time.perf_counter()
    if lang not in (None, "zh", "en"):
        raise InvalidInput(f"unknown language {lang!r}", hint="zh or en")
    v = studio.version(ref)
    if v.ext in ("mid", "midi") or v.mime.startswith("audio/"):
        raise InvalidInput(f"version {v.short} is music; critique reads pictures, poems, stories and scripts",
                           hint=f"`duetto show {v.short}` lists what was measured in the music")
    medium = medium_of(v)
    notes, facts, language = _measure(studio, v, medium, lang)
    for idea in notes.suggestions:
        idea.feedback = _verified(studio, v, idea.feedback)
    source: Literal["rules", "model"] = "rules"
    model_id = None
    extra: list[str] = []
    if use_model:
        text = None if medium == "painting" else studio.blobs.read(v.sha256, v.ext).decode("utf-8")
        phrases = [i.feedback for i in notes.suggestions if i.feedback]
        try:
            modelled, model_id = _with_model(studio, v, medium, notes, language, text, phrases)
        except DuettoError as exc:  # a missing model or a bad answer: the rules still stand
            extra.append(f"model critique unavailable ({exc}); showing the rule-based critique")
        else:
            for idea in modelled.suggestions:
                idea.feedback = _verified(studio, v, idea.feedback)
            notes, source = modelled, "model"
    if v.deleted:
        extra.append(f"{v.short} is deleted: restore it before revising")
    return Critique(
        version=v.id, work=v.work_id, medium=medium, language=language, source=source, model=model_id,
        summary=notes.summary, observations=notes.observations, strengths=notes.strengths,
        suggestions=[Suggestion(change=i.change, reason=i.reason, feedback=i.feedback, command=_command(v, i.feedback))
                     for i in notes.suggestions],
        facts=facts, notes=extra,
        seconds=round(time.perf_counter() - t0, 3),
    )


class CritiqueRequest(Request):
    version: str
    use_model: bool = Field(False, description="Also let the language model word it (about a minute on 2 cores).")
    lang: Lang | None = Field(None, description="zh or en; default: the work's own language.")


def explain(studio: Studio, req: CritiqueRequest, on_version: object = None) -> Critique:
    """The table's critique act: ``critique`` with its options in one request."""
    return critique(studio, req.version, use_model=req.use_model, lang=req.lang)
