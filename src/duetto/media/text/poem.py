"""poet: classical Chinese poems whose form holds by construction.

How a poem is made:
1. The form (``spec.style`` or ``params.form``: 七言绝句, 五律, 如梦令 …) gives one slot per
   character: the tone class allowed there, and at rhyme positions one rhyme group (chosen from
   the brief's imagery and the seed, so every rhyme agrees). The two traps that 一三五不论 lets
   through, 孤平 and 三平尾, are closed by tightening the 中 position that causes them.
2. The embedded LLM reads a prompt built from the spec (the brief, its imagery, its mood) and
   writes one character per slot; ``decode.decode_slots`` masks the logits so only characters of
   the right class can be sampled, and forces the punctuation between lines.
3. Several candidates are drawn from the same evaluated prompt and re-ranked by the model's own
   log-probability (fluency), how much of the brief's imagery they use, and repetition.
4. The winner is validated by the same validator a human's poem gets; its report is stored.

The recipe replays exactly for the same model file, llama.cpp build and thread count; the build
is recorded in ``info`` so a replay elsewhere can say why it differs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.llm.embedded import EmbeddedProvider
from duetto.llm.factory import Providers
from duetto.llm.models import DEFAULT_MODEL
from duetto.media.text.classical.constraints import (
    Slot,
    char_table,
    choose_rhyme_groups,
    slots,
)
from duetto.media.text.classical.forms import Form, get_form, list_forms
from duetto.media.text.classical.tones import LEVEL, OBLIQUE
from duetto.media.text.classical.validate import validate
from duetto.media.text.corpus import Corpus, CorpusMissing
from duetto.media.text.decode import Candidate, CharVocab, chatml, decode_slots
from duetto.settings import Settings
from duetto.spec import CreativeSpec

DEFAULT_FORM = "七言绝句"
MOOD_ZH = {
    "calm": "宁静", "serene": "恬淡", "melancholic": "忧伤", "sad": "悲凉", "joyful": "欢快",
    "cheerful": "明快", "energetic": "昂扬", "playful": "灵动", "nostalgic": "怀旧", "gentle": "温柔",
    "lonely": "孤寂", "mysterious": "幽深", "dreamy": "空灵", "passionate": "热烈", "tense": "紧张",
    "dark": "沉郁", "hopeful": "希望", "romantic": "缠绵", "solemn": "庄重", "angry": "激愤",
}
SYSTEM = (
    "你是一位精通格律的古典诗人，用字典雅凝练，意象鲜明，情景交融，忌用现代口语和重复的字。"
)
# Modern particles and pronouns never belong in a 近体诗 line; banning them in the logits is
# cheaper and surer than hoping the prompt is obeyed.
MODERN = frozenset("的了吗呢们这那么啊吧您它哪啦嘛呀哦咱该很就得地她")
MOOD_WORD_PENALTY = 1.5  # discourage naming the feeling outright (忧伤, 怀旧) instead of showing it


class PoemParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    form: str | None = Field(None, description="Form name (七绝, 五律, 如梦令 …); default: spec.style or 七言绝句.")
    variant: str | None = Field(None, description="平起/仄起 pattern; default: chosen by the seed.")
    rhyme: Literal["pingshui", "xinyun"] = Field("pingshui", description="平水韵 or 中华新韵.")
    rhyme_group: str | None = Field(None, description="Rhyme group; default: chosen from the imagery.")
    candidates: int = Field(4, ge=1, le=16, description="Poems drawn before re-ranking.")
    model: str = Field(DEFAULT_MODEL, description="Embedded model (duetto models list).")
    temperature: float = Field(0.7, gt=0.0, le=2.0)
    examples: int = Field(2, ge=0, le=5, description="Corpus poems shown to the model as style examples.")


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    relevance: float
    repeats: int
    copied: list[str]


def close_traps(line: list[Slot]) -> list[Slot]:
    """Tighten 中 positions so that 三平尾 (three level tones at the end) and 孤平 (a lone level
    tone in a line that rhymes on a level tone) cannot happen."""
    both = frozenset({LEVEL, OBLIQUE})
    out = list(line)
    if out[-1].tones != frozenset({LEVEL}):
        return out
    if len(out) >= 3 and out[-2].tones == frozenset({LEVEL}) and out[-3].tones == both:
        out[-3] = out[-3].model_copy(update={"tones": frozenset({OBLIQUE})})
    fixed = [i for i in range(len(out) - 1) if out[i].tones == frozenset({LEVEL})]
    if len(fixed) == 1 and fixed[0] > 0 and out[fixed[0] - 1].tones == both:
        out[fixed[0] - 1] = out[fixed[0] - 1].model_copy(update={"tones": frozenset({LEVEL})})
    return out


def imagery_of(spec: CreativeSpec) -> list[str]:
    return [k for k in spec.keywords if k.strip()] or ([spec.subject] if spec.subject else [])


def moods_zh(spec: CreativeSpec) -> list[str]:
    moods = [MOOD_ZH[m] for m in spec.mood.named if m in MOOD_ZH]
    if not moods and spec.mood.valence < -0.25:
        moods = ["低回"]
    elif not moods and spec.mood.valence > 0.4:
        moods = ["明朗"]
    return list(dict.fromkeys(moods))


def prompt_for(spec: CreativeSpec, form: Form, examples: list[str] | None = None) -> str:
    """The imagery, not the brief's own sentence: a model handed "在秋日的黄昏…" tends to copy
    it, modern grammar and all, into the first line. Human poems of the same form that share the
    imagery set the diction (the re-ranker then punishes lines copied from them)."""
    imagery = imagery_of(spec)
    theme = "、".join(imagery[:8]) if imagery else (spec.brief.strip() or "自由题材")
    lines = []
    if examples:
        lines.append("先读几首古人的" + form.zh_name + "，体会用字：")
        lines += [f"{i}. {text}" for i, text in enumerate(examples, start=1)]
        lines.append("")
    lines += [f"题意：{theme}。", f"请另写一首新的{form.zh_name}，写景寓情，不要照抄上面的句子。"]
    moods = moods_zh(spec)
    if moods:
        lines.append(f"情感{'、'.join(moods)}，但要借景含蓄表达，不要直接写出情绪词。")
    lines.append("只写诗句，不要标题和解释。")
    return "\n".join(lines)


def sampling_bias(vocab: CharVocab, spec: CreativeSpec) -> np.ndarray:
    bias = np.zeros(vocab.n_vocab, dtype=np.float32)
    bias[vocab.mask(MODERN)] = -np.inf
    bias[vocab.mask(set("".join(moods_zh(spec))))] -= MOOD_WORD_PENALTY
    return bias


class Poet:
    name: ClassVar[str] = "poet"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "poem"
    Params: ClassVar[type[BaseModel]] = PoemParams

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._providers = Providers(self.settings, n_ctx=2048)
        self._vocabs: dict[str, CharVocab] = {}
        self._corpus: Corpus | None = None
        self._corpus_problem: str | None = None

    def corpus(self) -> Corpus | None:
        """The reference corpus, or None (and the reason kept for ``info``) when not installed."""
        if self._corpus is None and self._corpus_problem is None:
            try:
                self._corpus = Corpus.open()
            except CorpusMissing as exc:
                self._corpus_problem = str(exc)
        return self._corpus

    # -- model -------------------------------------------------------------------------------

    def provider(self, model: str) -> EmbeddedProvider:
        return self._providers.get(model)  # embedded only: decoding needs the model's logits

    def _vocab(self, model: str) -> CharVocab:
        if model not in self._vocabs:
            provider = self.provider(model)
            cache = self.settings.model_cache / f"{provider.model_id.replace('@', '-')}.chars.json"
            self._vocabs[model] = CharVocab.build(provider.llama(), cache)
        return self._vocabs[model]

    # -- generation ----------------------------------------------------------------------------

    def check(self, spec: CreativeSpec, params: BaseModel) -> None:
        """Unknown forms fail before anything is stored, with the list of known ones."""
        assert isinstance(params, PoemParams)
        form = get_form(params.form or spec.style or DEFAULT_FORM)
        if params.variant:
            form.variant(params.variant)

    def generate(
        self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None
    ) -> Artefact:
        assert isinstance(params, PoemParams)
        t0 = time.perf_counter()
        form = get_form(params.form or spec.style or DEFAULT_FORM)
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 1])))
        variant = form.variant(params.variant) if params.variant else form.variants[int(rng.integers(len(form.variants)))]
        group = params.rhyme_group or self._pick_group(spec, form, params, rng)
        plan = self._plan(form, variant, group, params)
        provider = self.provider(params.model)
        llm = provider.llama()
        vocab = self._vocab(params.model)
        table = char_table(params.rhyme)
        masks: dict[tuple[frozenset[str], frozenset[str] | None], np.ndarray] = {}

        def mask_for(i: int, chars: list[str]) -> np.ndarray:
            slot = plan[i]
            if slot.copy_of is not None:  # 叠句: the refrain repeats an earlier character
                return vocab.mask({chars[index_of[slot.copy_of]]})
            key = (slot.tones, slot.rhyme_groups)
            if key not in masks:
                masks[key] = vocab.mask(table.allowed(slot))
            if not slot.rhyme:
                return masks[key]
            # 重韵: a rhyme character may not come back at a later rhyme position
            used = {chars[j] for j in rhyme_slots if j < i}
            return masks[key] & ~vocab.mask(used) if used else masks[key]

        index_of = {(s.line, s.position): i for i, s in enumerate(plan)}
        rhyme_slots = [i for i, s in enumerate(plan) if s.rhyme]
        bias = sampling_bias(vocab, spec)
        breaks = _punctuation(form)
        after = lambda i: breaks.get((plan[i].line, plan[i].position), "")  # noqa: E731
        corpus = self.corpus() if params.examples else None
        shots = [p.text for p in corpus.examples(form.zh_name, imagery_of(spec), k=params.examples)] if corpus else []
        user = prompt_for(spec, form, shots)
        prompt = llm.tokenize(chatml(SYSTEM, user).encode("utf-8"), add_bos=False, special=True)
        llm.reset()
        llm.eval(prompt)
        t_prompt = time.perf_counter() - t0
        drawn: list[Candidate] = []
        for k in range(params.candidates):
            drawn.append(decode_slots(llm, prompt, vocab, len(plan), mask_for, after, rng, params.temperature,
                                      bias=bias))
            if progress is not None:
                progress((k + 1) / params.candidates, f"candidate {k + 1}/{params.candidates}")
        reports = {id(c): validate(c.text, form, rhyme=params.rhyme) for c in drawn}
        scored = [self._score(c, spec, corpus) for c in drawn]
        # valid first (by construction they all are; a slip must never win), then by score
        ranked = sorted(scored, key=lambda s: (not reports[id(s.candidate)].ok, -s.score))
        best = ranked[0]
        report = reports[id(best.candidate)]
        text = best.candidate.text.strip() + "\n"
        info: dict[str, Any] = {
            "form": form.zh_name,
            "variant": variant.name,
            "rhyme": params.rhyme,
            "rhyme_group": group,
            "valid": report.ok,
            "issues": [i.message for i in report.issues],
            "candidates": [
                {"text": s.candidate.text, "score": round(s.score, 3),
                 "mean_logprob": round(s.candidate.mean_logprob, 3), "relevance": round(s.relevance, 3),
                 "repeats": s.repeats, "copied": s.copied, "valid": reports[id(s.candidate)].ok}
                for s in ranked
            ],
            "prompt": user,
            "corpus": "chinese-poetry" if corpus else (self._corpus_problem or "examples off"),
            "build": provider.build_info(),
            "seconds": {"prompt": round(t_prompt, 3), "total": round(time.perf_counter() - t0, 3)},
        }
        return Artefact(data=text.encode("utf-8"), ext="txt", mime="text/plain; charset=utf-8",
                        resolved={"style": form.zh_name}, info=info)

    def _pick_group(self, spec: CreativeSpec, form: Form, params: PoemParams, rng: np.random.Generator) -> str:
        """A wide rhyme group that suits the imagery; the seed picks among the best three."""
        ranked = choose_rhyme_groups(imagery_of(spec), system=params.rhyme, tone=form.rhyme_tone)
        if not ranked:
            raise InvalidInput(f"no rhyme group fits {form.zh_name} under {params.rhyme}")
        return ranked[int(rng.integers(min(3, len(ranked))))]

    @staticmethod
    def _plan(form: Form, variant: Any, group: str, params: PoemParams) -> list[Slot]:
        plan = slots(form, variant, rhyme_group=group, system=params.rhyme)
        if form.kind != "shi":
            return plan
        out: list[Slot] = []
        for n in range(1, form.lines + 1):
            out += close_traps([s for s in plan if s.line == n])
        return out

    @staticmethod
    def _score(c: Candidate, spec: CreativeSpec, corpus: Corpus | None) -> Scored:
        """Fluency (the model's own mean log-probability) + use of the brief's imagery
        − repeated characters − lines lifted from the corpus (a copy is not a new poem)."""
        imagery = "".join(imagery_of(spec) + [spec.brief])
        wanted = {ch for ch in imagery if "\u4e00" <= ch <= "\u9fff"}
        relevance = len(wanted & set(c.chars)) / max(1, min(len(wanted), len(c.chars)))
        repeats = len(c.chars) - len(set(c.chars))
        matches = corpus.copied_lines(c.text) if corpus else []
        copied = [f"{m.clause} ← {m.author}《{m.title}》 ({m.kind})" for m in matches]
        penalty = sum(2.0 if m.kind == "verbatim" else 1.0 for m in matches)
        score = c.mean_logprob + 1.5 * relevance - 0.4 * repeats - penalty
        return Scored(c, score, relevance, repeats, copied)


def _punctuation(form: Form) -> dict[tuple[int, int], str]:
    """Text after the last character of each line: ， inside a couplet, 。 at its end."""
    out = {}
    for n, length in enumerate(form.line_lengths, start=1):
        if n == form.lines:
            out[(n, length)] = "。"
        else:
            out[(n, length)] = "，" if n % 2 else "。\n"
    return out


def known_forms() -> list[str]:
    return [f.zh_name for f in list_forms()]
