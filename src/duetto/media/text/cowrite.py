"""Co-writing on existing text: continue, elaborate, rewrite, replace a passage, a new
character, summarise, translate, blend two drafts, an alternative for one line.

These are the operations a writer asks of a collaborator, and they are the same whatever the
engine that wrote the draft: each is one or two chat completions through any ``Provider``
(embedded or a server), seeded from the version seed so that a recipe replays. What the person
wrote is never rewritten behind their back: ``replace`` and ``rewrite`` of a quoted passage
splice the new words in and keep every other byte, and a ``replace`` with the person's own words
calls no model at all.

Engines wrap these (``Poet``, ``Storyteller``, ``Screenwriter``): a classical poem keeps its
form through the poet's own constrained decoder, a screenplay gets new scenes through the
screenwriter's structured scenes; everything else lands here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from duetto.engine import Edit
from duetto.errors import EngineFailure, InvalidInput
from duetto.llm.base import Completion, CompletionRequest, Provider
from duetto.media.text import variety
from duetto.media.text.prose import (
    TOKENS_PER_WORD,
    Language,
    clean_prose,
    count_words,
    drop_unfinished,
    step_seed,
    text_language,
    trim_to_words,
)

KIND_ZH = {"poem": "诗", "story": "小说", "script": "剧本"}
KIND_EN = {"poem": "poem", "story": "story", "script": "screenplay (Fountain format)"}
SYSTEM = {
    "en": "You are a skilled literary collaborator. You follow the writer's request exactly, keep their "
          "voice, and answer with the requested text only: no preface, no notes, no quotation marks around it.",
    "zh": "你是一位出色的文学合作者。你严格按照作者的要求做，保持作者的语气和风格，"
          "只回答所要求的文字本身：不要前言，不要解释，不要给整段加引号。",
}
MAX_CONTEXT_CHARS = {"zh": 1500, "en": 4000}  # what a 4k-token context holds with room to answer


@dataclass
class Written:
    """New text plus what the person may want to know about how it was made."""

    text: str
    info: dict[str, Any] = field(default_factory=dict)
    calls: list[Completion] = field(default_factory=list)


class NewCharacter(BaseModel):
    name: str = Field(min_length=1, max_length=30)
    description: str = Field(min_length=2, max_length=160)
    wants: str = Field(min_length=2, max_length=160)


def locate(text: str, target: str) -> int:
    """Where ``target`` occurs in ``text``; it must occur exactly once, or the request is ambiguous."""
    needle = target.strip()
    if not needle:
        raise InvalidInput("the passage to change is empty")
    count = text.count(needle)
    if count == 0:
        raise InvalidInput(f"the passage {needle[:40]!r} is not in this text",
                           hint="quote it exactly as it appears (duetto show <version> prints the text)")
    if count > 1:
        raise InvalidInput(f"the passage {needle[:40]!r} occurs {count} times",
                           hint="quote a longer passage so that it is found once")
    return text.index(needle)


def splice(text: str, target: str, new: str) -> str:
    start = locate(text, target)
    return text[:start] + new.strip() + text[start + len(target.strip()):]


def tail(text: str, language: Language) -> str:
    """The end of the text, as much as the context comfortably holds, cut at a paragraph."""
    limit = MAX_CONTEXT_CHARS[language]
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    para = cut.find("\n\n")
    return cut[para + 2:] if 0 <= para < limit // 2 else cut


def strip_wrapping(text: str) -> str:
    """Drop what small models wrap an answer in: code fences, a quoted whole, "Here is …:"."""
    text = re.sub(r"^```[a-z]*\n|\n?```\s*$", "", text.strip())
    text = re.sub(r"^(here is|here's|sure[,!]?|以下是|下面是)[^\n]*[:：]\s*\n", "", text, flags=re.I)
    if len(text) > 2 and text[0] in "\"“「" and text[-1] in "\"”」" and text.count(text[0]) == 1:
        text = text[1:-1]
    return text.strip()


class TextOps:
    """The co-writing operations over one provider, for one kind of text."""

    def __init__(self, provider: Provider, kind: str, temperature: float = 0.7, repetition: float = 0.3) -> None:
        self.provider = provider
        self.kind = kind
        self.temperature = temperature
        self.repetition = repetition

    def _ask(self, prompt: str, language: Language, seed: int, step: int, words: int,
             schema: dict[str, Any] | None = None) -> Completion:
        request = CompletionRequest.chat(
            prompt, system=SYSTEM[language], max_tokens=int(words * TOKENS_PER_WORD[language] * 1.4) + 48,
            temperature=self.temperature, seed=step_seed(seed, step), json_schema=schema,
            frequency_penalty=0.0 if schema else self.repetition, stop=[] if schema else ["<|im_end|>"],
        )
        return self.provider.complete(request)

    def _prose(self, prompt: str, language: Language, seed: int, step: int, words: int) -> tuple[str, Completion]:
        reply = self._ask(prompt, language, seed, step, words)
        text = strip_wrapping(drop_unfinished(reply.text))
        if self.kind == "story":
            text = clean_prose(text)
        if count_words(text) > 1.3 * words:
            text = trim_to_words(text, int(1.15 * words))
        return text, reply

    def apply(self, text: str, edit: Edit, seed: int, other: str | None = None, *, pick: int = 0, set_size: int = 1,
              pooled: Callable[[str, Callable[[], Any]], Any] | None = None) -> Written:
        """Run ``edit`` on ``text`` (``other``: the second parent of a blend; ``pick``, ``set_size``
        and ``pooled``: which of a set of line alternatives this is, see ``line``)."""
        language: Language = text_language(text)
        op = edit.op
        if op == "replace":
            return self.replace(text, edit, language, seed)
        if op == "rewrite":
            return self.rewrite(text, edit, language, seed)
        if op == "elaborate":
            return self.elaborate(text, edit, language, seed)
        if op == "continue":
            return self.continue_(text, edit, language, seed)
        if op == "character":
            return self.character(text, edit, language, seed)
        if op == "summarise":
            return self.summarise(text, edit, language, seed)
        if op == "translate":
            return self.translate(text, edit, language, seed)
        if op == "line":
            return self.line(text, edit, language, seed, pick, set_size, pooled)
        if op == "blend":
            if other is None:
                raise InvalidInput("a blend needs two texts")
            return self.blend(text, other, edit, language, seed)
        raise InvalidInput(f"{op} does not apply to a {KIND_EN.get(self.kind, self.kind)}",
                           hint="keep works on classical poems")

    # -- the operations ------------------------------------------------------------------------------

    def replace(self, text: str, edit: Edit, language: Language, seed: int) -> Written:
        if edit.target is None:
            raise InvalidInput("replace needs the passage to replace (--target)")
        if edit.text is not None:  # the person's own words: no model involved
            return Written(splice(text, edit.target, edit.text), {"by": "human"})
        if not edit.instruction:
            raise InvalidInput("replace needs either new words (--with) or an instruction")
        return self.rewrite(text, edit, language, seed)

    def rewrite(self, text: str, edit: Edit, language: Language, seed: int) -> Written:
        if not edit.instruction:
            raise InvalidInput("rewrite needs an instruction", hint='e.g. "make it darker", "写得更含蓄"')
        zh = language == "zh"
        if edit.target is not None:
            locate(text, edit.target)
            words = max(10, count_words(edit.target))
            ask = (f"下面是一篇{KIND_ZH[self.kind]}：\n\n{tail(text, language)}\n\n请只改写其中这一段：\n「{edit.target.strip()}」\n"
                   f"修改要求：{edit.instruction}\n只写改写后的这一段（约{words}字），要能无缝放回原文。" if zh else
                   f"Here is a {KIND_EN[self.kind]}:\n\n{tail(text, language)}\n\nRewrite only this passage:\n"
                   f"\"{edit.target.strip()}\"\nWhat to change: {edit.instruction}\nWrite only the rewritten passage "
                   f"(about {words} words) so it drops back into the text seamlessly.")
            new, reply = self._prose(ask, language, seed, 1, int(words * 1.3))
            return Written(splice(text, edit.target, new), {"passage": new}, [reply])
        words = count_words(text)
        ask = (f"请按要求改写下面这篇{KIND_ZH[self.kind]}，保留它的主题和长度（约{words}字）。\n修改要求：{edit.instruction}\n\n{tail(text, language)}"
               if zh else
               f"Rewrite this {KIND_EN[self.kind]} as asked, keeping its subject and length (about {words} words).\n"
               f"What to change: {edit.instruction}\n\n{tail(text, language)}")
        new, reply = self._prose(ask, language, seed, 1, words)
        return Written(new, {}, [reply])

    def elaborate(self, text: str, edit: Edit, language: Language, seed: int) -> Written:
        zh = language == "zh"
        target = (edit.target or text).strip()
        words = max(30, 2 * count_words(target))
        extra = (f"\n侧重：{edit.instruction}" if zh else f"\nFocus: {edit.instruction}") if edit.instruction else ""
        ask = (f"下面是一篇{KIND_ZH[self.kind]}：\n\n{tail(text, language)}\n\n请把这一段展开写得更丰富（约{words}字）："
               f"加入具体的感官细节、动作和对话，不改变发生的事：\n「{target}」{extra}\n只写展开后的这一段。" if zh else
               f"Here is a {KIND_EN[self.kind]}:\n\n{tail(text, language)}\n\nExpand this passage to about {words} "
               f"words with concrete sensory detail, action and dialogue, without changing what happens:\n\"{target}\"{extra}\n"
               "Write only the expanded passage.")
        new, reply = self._prose(ask, language, seed, 1, words)
        out = splice(text, edit.target, new) if edit.target else new
        return Written(out, {"passage": new}, [reply])

    def continue_(self, text: str, edit: Edit, language: Language, seed: int) -> Written:
        zh = language == "zh"
        words = edit.words or 150
        extra = (f"\n接下来：{edit.instruction}" if zh else f"\nWhat happens next: {edit.instruction}") if edit.instruction else ""
        ask = (f"下面是一篇{KIND_ZH[self.kind]}的结尾部分：\n\n{tail(text, language)}\n\n请紧接最后一句往下写约{words}字，"
               f"保持同样的风格，不要重复前文，不要标题。{extra}" if zh else
               f"Here is the end of a {KIND_EN[self.kind]} so far:\n\n{tail(text, language)}\n\nContinue it for about "
               f"{words} words, carrying straight on from the last sentence in the same style, without repeating "
               f"anything and without a heading.{extra}")
        new, reply = self._prose(ask, language, seed, 1, words)
        return Written(text.rstrip() + "\n\n" + new + "\n", {"added": new, "added_words": count_words(new)}, [reply])

    def character(self, text: str, edit: Edit, language: Language, seed: int) -> Written:
        """A character sheet first (JSON, so it always parses), then a passage that brings them in."""
        zh = language == "zh"
        brief = edit.instruction or ("一个会让局面更复杂的人" if zh else "someone who complicates things")
        ask = (f"下面是一篇{KIND_ZH[self.kind]}：\n\n{tail(text, language)}\n\n请为它设计一个新人物：{brief}。"
               "给出名字（真实的中文姓名）、一句话描述、他想要什么。全部用中文。" if zh else
               f"Here is a {KIND_EN[self.kind]}:\n\n{tail(text, language)}\n\nCreate one new character for it: {brief}. "
               "Give a name, a one-line description, and what they want.")
        schema = NewCharacter.model_json_schema()
        sheet_reply = self._ask(ask, language, seed, 1, 90, schema=schema)
        who = sheet_reply.parse(NewCharacter)
        words = edit.words or 180
        ask = (f"下面是一篇{KIND_ZH[self.kind]}的结尾部分：\n\n{tail(text, language)}\n\n新人物{who.name}登场：{who.description}，"
               f"他/她想要{who.wants}。请紧接最后一句往下写约{words}字，让{who.name}出场并与原有人物发生交集，有对话。不要标题。" if zh else
               f"Here is the end of a {KIND_EN[self.kind]} so far:\n\n{tail(text, language)}\n\nA new character enters: "
               f"{who.name}, {who.description}; they want {who.wants}. Continue for about {words} words from the last "
               f"sentence, bringing {who.name} in to meet the others, with dialogue. No heading.")
        new, reply = self._prose(ask, language, seed, 2, words)
        return Written(text.rstrip() + "\n\n" + new + "\n", {"character": who.model_dump(), "added": new},
                       [sheet_reply, reply])

    def summarise(self, text: str, edit: Edit, language: Language, seed: int) -> Written:
        zh = language == "zh"
        words = edit.words or 80
        ask = (f"用约{words}字概括下面这篇{KIND_ZH[self.kind]}：谁、想要什么、发生了什么、结局如何。只写概括。\n\n{tail(text, language)}"
               if zh else
               f"Summarise this {KIND_EN[self.kind]} in about {words} words: who, what they want, what happens, how "
               f"it ends. Write only the summary.\n\n{tail(text, language)}")
        new, reply = self._prose(ask, language, seed, 1, words)
        return Written(new + "\n", {"summary_of_words": count_words(text)}, [reply])

    def translate(self, text: str, edit: Edit, language: Language, seed: int) -> Written:
        """Paragraph by paragraph, so a long text never overflows the context and nothing is
        silently dropped; headings and blank lines keep their places."""
        to: Language = edit.language or ("en" if language == "zh" else "zh")
        if to == language:
            raise InvalidInput(f"this text is already in {to}")
        out: list[str] = []
        calls: list[Completion] = []
        blocks = re.split(r"(\n\s*\n)", text.strip())
        for i, block in enumerate(blocks):
            if not block.strip() or not re.search(r"\w", block):
                out.append(block)
                continue
            prefix = re.match(r"^(#+\s*|\*|>\s*)", block)
            body = block[prefix.end():] if prefix else block
            suffix = "*" if prefix and prefix.group(0) == "*" and body.endswith("*") else ""
            body = body[: len(body) - len(suffix)]
            what = "poem, line for line, keeping the line breaks" if self.kind == "poem" else "passage"
            # asked in the target language: small models answer in the language they are asked in
            ask = (f"Translate this Chinese {what} into natural, literary English. Write only the translation."
                   f"\n\n{body}" if to == "en" else
                   f"把下面的英文{'诗' if self.kind == 'poem' else '文字'}译成自然、有文学性的简体中文，保留分行。只写译文。\n\n{body}")
            words = max(20, int(count_words(body) * (1.6 if to == "en" else 1.2)))
            new = ""
            for attempt in range(2):
                reply = self._ask(ask, to, seed, 10 + i + 100 * attempt, words)
                calls.append(reply)
                new = strip_wrapping(drop_unfinished(reply.text))
                if text_language(new) == to:
                    break
            else:
                raise EngineFailure(f"the model did not translate paragraph {i // 2 + 1} into {to}",
                                    hint="try a larger model: --param model=qwen2.5-coder-1.5b")
            out.append((prefix.group(0) if prefix else "") + new + suffix)
        return Written("".join(out).strip() + "\n", {"from": language, "to": to}, calls)

    def line(self, text: str, edit: Edit, language: Language, seed: int, pick: int = 0, set_size: int = 1,
             pooled: Callable[[str, Callable[[], Any]], Any] | None = None) -> Written:
        """An alternative for one line, written to sit between its neighbours.

        A few are drafted (two per alternative asked for; ``seed`` is the set's pool seed) and
        one is chosen: never a near-copy of another line of the poem or of the old line, and,
        for alternative ``pick`` of ``set_size``, the ``pick``-th of a diversity-aware order, so
        ``write line … -n 2`` gives two different lines (media/text/variety.py). ``pooled``
        keeps the drafts for the set's other alternatives."""
        lines = text.rstrip("\n").split("\n")
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        if edit.line is None or not 1 <= edit.line <= len(filled):
            raise InvalidInput(f"which line? this text has {len(filled)} lines", hint="--line N (1-based)")
        at = filled[edit.line - 1]
        old = lines[at].strip()
        others = [lines[i].strip() for i in filled if i != at]
        zh = language == "zh"
        extra = (f"\n要求：{edit.instruction}" if zh else f"\nWhat to change: {edit.instruction}") if edit.instruction else ""
        ask = (f"下面这首{KIND_ZH[self.kind]}的第{edit.line}行是「{old}」：\n\n{text}\n\n请为这一行另写一个版本，长短相近，"
               f"与上下文衔接，不要照抄原句，也不要重复其他诗行。只写这一行。{extra}" if zh else
               f"Line {edit.line} of this {KIND_EN[self.kind]} is \"{old}\":\n\n{text}\n\nWrite one alternative for that "
               f"line, of similar length, that fits between its neighbours; do not repeat it or any other line. "
               f"Write only the line.{extra}")

        def draw() -> list[tuple[str, Completion]]:
            out = []
            for k in range(max(2, 2 * set_size)):
                reply = self._ask(ask, language, seed, 1 + k, max(8, count_words(old) * 2))
                out.append((strip_wrapping(reply.text).split("\n")[0].strip(), reply))
            return out

        key = json.dumps(["line", text, edit.model_dump(mode="json"), seed, set_size, self.temperature],
                         ensure_ascii=False)
        drafts: list[tuple[str, Completion]] = pooled(key, draw) if pooled is not None else draw()

        def quality(d: tuple[str, Completion]) -> float:  # drafting order, then no copies, no empties
            new = d[0]
            copied = variety.too_close(new, [old, *others]) or not new
            return -0.01 * drafts.index(d) - (5.0 if copied else 0.0)

        new, reply = variety.pick(drafts, quality, lambda d: d[0], pick, alike=variety.char_similarity)
        new = new or old
        lines[at] = lines[at].replace(old, new)
        return Written("\n".join(lines) + "\n", {"line": edit.line, "was": old, "now": new,
                                                 "drafts": [d[0] for d in drafts]}, [reply])

    def blend(self, a: str, b: str, edit: Edit, language: Language, seed: int) -> Written:
        """One new draft from two: the structure of the nearer one, the best of both."""
        zh = language == "zh"
        nearer, further = ("A", "B") if edit.weight < 0.5 else ("B", "A")
        share = round(100 * (1 - edit.weight if nearer == "A" else edit.weight))
        words = round((1 - edit.weight) * count_words(a) + edit.weight * count_words(b))
        half = MAX_CONTEXT_CHARS[language] // 2
        ask = (f"下面是同一作品的两稿。\n\n稿A：\n{a[:half]}\n\n稿B：\n{b[:half]}\n\n请把两稿融合成一篇新的{KIND_ZH[self.kind]}"
               f"（约{words}字）：以稿{nearer}为主（约{share}%），吸收稿{further}最好的意象、情节和句子，"
               "写成浑然一体的一篇，不要逐段拼接。只写新稿。" if zh else
               f"Here are two drafts of the same work.\n\nDraft A:\n{a[:half]}\n\nDraft B:\n{b[:half]}\n\nBlend them into "
               f"one new {KIND_EN[self.kind]} of about {words} words: mostly draft {nearer} (about {share}%), taking the "
               f"best images, events and sentences of draft {further}, written as one whole, not pasted together "
               "paragraph by paragraph. Write only the new draft.")
        new, reply = self._prose(ask, language, seed, 1, words)
        return Written(new + "\n", {"weight": edit.weight, "words": count_words(new)}, [reply])
