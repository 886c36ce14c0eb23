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

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Edit, Progress
from duetto.errors import InvalidInput
from duetto.llm.embedded import EmbeddedProvider
from duetto.llm.factory import Providers
from duetto.llm.models import DEFAULT_MODEL
from duetto.media.text import variety, verse
from duetto.media.text.classical.constraints import (
    Slot,
    char_table,
    choose_rhyme_groups,
    slots,
)
from duetto.media.text.classical.forms import Form, get_form, list_forms
from duetto.media.text.classical.kept import (
    best_variant,
    check_kept,
    fit,
    kept_rhyme_group,
    lines_of,
)
from duetto.media.text.classical.tones import LEVEL, OBLIQUE
from duetto.media.text.classical.validate import split_lines, validate
from duetto.media.text.corpus import Corpus, CorpusMissing
from duetto.media.text.decode import (
    Candidate,
    CharVocab,
    chatml,
    decode_slots,
    last_logits,
)
from duetto.media.text.moods import (
    MOOD_ZH as MOOD_ZH,  # re-exported: studio/critique reads it from here
)
from duetto.media.text.moods import moods_zh
from duetto.media.text.retouch import (
    asked_images,
    char_lean,
    revise_classical,
    revise_free,
    wants_edit,
)
from duetto.settings import Settings
from duetto.spec import CreativeSpec

DEFAULT_FORM = "七言绝句"
DEFAULT_FORM_EN = "free verse"  # an English brief that names no form gets an English poem
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
    pool_seed: int | None = Field(None, ge=0, description=(
        "Seed of the candidate pool a set of variants shares (set by the studio for one request's variants); "
        "default: the version's own seed."))
    pick: int = Field(0, ge=0, le=63, description="Which choice of the pool's diversity-aware order this variant is.")
    set_size: int = Field(1, ge=1, le=64, description="Variants in the set; the pool holds candidates × set_size.")


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    relevance: float
    repeats: int
    copied: list[str]


@dataclass(frozen=True)
class Drawn:
    """A candidate of the pool with what selection needs: its validator report and quality
    (score − clichés − invalid form − missing brief images − copied lines)."""

    scored: Scored
    report: Any
    quality: float
    variant: str
    group: str
    forced: dict[str, str]  # "line.position" → a brief image's character placed there


@dataclass(frozen=True)
class Pool:
    """The candidates one evaluated prompt gave a whole set of variants."""

    drawn: list[Drawn]
    prompt: str
    prompt_s: float
    pool_s: float
    corpus: str
    build: Any


def want_limit(form: Form) -> int:
    """How many of the brief's images one poem is asked to hold: two in a 五绝's twenty
    characters, three in anything longer."""
    return 2 if sum(form.line_lengths) <= 20 else 3


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


def prompt_for(spec: CreativeSpec, form: Form, examples: list[str] | None = None,
               context: list[str] | None = None, keep: dict[int, str] | None = None) -> str:
    """The imagery, not the brief's own sentence: a model handed "在秋日的黄昏…" tends to copy
    it, modern grammar and all, into the first line. Human poems of the same form that share the
    imagery set the diction (the re-ranker then punishes lines copied from them). ``context``
    (a draft, an instruction) and the kept lines come last, nearest the answer."""
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
    lines += context or []
    if keep:
        kept = "；".join(f"第{n}句「{line}」" for n, line in sorted(keep.items()))
        lines.append(f"这些诗句必须原样保留：{kept}。其余诗句要与之意脉贯通、押同一韵。")
    lines.append("只写诗句，不要标题和解释。")
    return "\n".join(lines)


def sampling_bias(vocab: CharVocab, spec: CreativeSpec) -> np.ndarray:
    bias = np.zeros(vocab.n_vocab, dtype=np.float32)
    bias[vocab.mask(MODERN)] = -np.inf
    bias[vocab.mask(set("".join(moods_zh(spec))))] -= MOOD_WORD_PENALTY
    bias += char_lean(vocab.mask, vocab.n_vocab, spec.text)  # feedback's tone and images (retouch.py)
    return bias


class Poet:
    name: ClassVar[str] = "poet"
    version: ClassVar[str] = "0.3.0"  # 0.3: one pool per set of variants, chosen by MMR; brief images placed in slots
    medium: ClassVar[str] = "poem"
    Params: ClassVar[type[BaseModel]] = PoemParams

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._providers = Providers(self.settings, n_ctx=2048)
        self._vocabs: dict[str, CharVocab] = {}
        self._corpus: Corpus | None = None
        self._corpus_problem: str | None = None
        self._pools: dict[str, Any] = {}  # the last few sets' candidate pools (variants 2..n reuse them)

    def pooled(self, key: str, draw: Callable[[], Any]) -> Any:
        """The candidate pool drawn for ``key``, drawn now if no earlier variant of the set did:
        variant 1 of a set pays for the pool, variants 2..n choose from it."""
        if key not in self._pools:
            self._pools[key] = draw()
            while len(self._pools) > 4:
                self._pools.pop(next(iter(self._pools)))
        return self._pools[key]

    def in_set(self, params: BaseModel, index: int, seeds: list[int]) -> BaseModel:
        """Variant ``index`` of a set (studio/sets.py): the pool is drawn from the first seed."""
        assert isinstance(params, PoemParams)
        return params.model_copy(update={"pool_seed": seeds[0], "pick": index, "set_size": len(seeds)})

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
        if (modern := verse.find_modern(form_name(spec, params), spec)) is not None:
            return verse.check(modern, params)  # haiku, sonnet, free verse …: media/text/verse.py
        form = get_form(form_name(spec, params))
        if params.variant:
            form.variant(params.variant)

    def generate(
        self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None
    ) -> Artefact:
        assert isinstance(params, PoemParams)
        if (modern := verse.find_modern(form_name(spec, params), spec)) is not None:
            return verse.generate(self, modern, spec, params, seed, progress)
        return self.compose(spec, params, seed, progress)

    def compose(
        self,
        spec: CreativeSpec,
        params: PoemParams,
        seed: int,
        progress: Progress | None = None,
        keep: dict[int, str] | None = None,
        context: list[str] | None = None,
        variant_name: str | None = None,
        avoid: list[str] | None = None,
    ) -> Artefact:
        """Write a poem; ``keep`` maps 1-based line numbers to lines that stay as written (the AI
        fills the others around them), ``context`` adds lines to the prompt (the draft being
        rewritten, an instruction, two poems to blend)."""
        t0 = time.perf_counter()
        form = get_form(form_name(spec, params))
        keep = check_kept(form, keep or {})
        # the set's pool: every variant of one request draws the same candidates (pool_seed) and
        # takes its own place in a diversity-aware order of them (pick), so each replays alone
        pool_seed = params.pool_seed if params.pool_seed is not None else seed
        size = params.candidates * max(1, params.set_size)
        # a fresh poem must hold the brief's images; a rewrite around kept lines, the ones asked in
        wants = asked_images(spec.text) if keep else \
            variety.required_imagery(spec.brief, imagery_of(spec), limit=want_limit(form))
        corpus = self.corpus() if params.examples else None
        shots = [p.text for p in corpus.examples(form.zh_name, imagery_of(spec), k=params.examples)] if corpus else []
        ask = list(context or [])
        if wants:
            ask.append(f"诗中要写到：{'、'.join(w.word for w in wants)}（可用意思相近的字）。")
        user = prompt_for(spec, form, shots, context=ask, keep=keep)
        # what the draw depends on: a vary whose spec steps leave the prompt alone shares one pool
        key = json.dumps([user, moods_zh(spec), imagery_of(spec), spec.brief, params.model_dump(mode="json", exclude={"pick"}),
                          pool_seed, sorted(keep.items()), variant_name, avoid], ensure_ascii=False, sort_keys=True)
        pool = self.pooled(key, lambda: self._draw(spec, params, form, keep, user, corpus, variant_name, avoid, wants,
                                                   pool_seed, size, progress))
        new_lines = [n for n in range(1, form.lines + 1) if n not in keep]

        def own(d: Drawn) -> str:  # what differs between the set's members: the lines not kept
            lines = split_lines(d.scored.candidate.text, form)
            return "\n".join(lines[n - 1] for n in new_lines if n <= len(lines))

        alike = variety.Likeness(variety.shared_images(wants))
        chosen = variety.pick(pool.drawn, lambda d: d.quality, own, params.pick, alike=alike)
        best, report = chosen.scored, chosen.report
        text = best.candidate.text.strip() + "\n"
        ranked = sorted(pool.drawn, key=lambda d: -d.quality)
        info: dict[str, Any] = {
            "form": form.zh_name,
            "variant": chosen.variant,
            "rhyme": params.rhyme,
            "rhyme_group": chosen.group,
            "valid": report.ok,
            "issues": [i.message for i in report.issues],
            "kept_lines": sorted(keep),
            "required": [w.word for w in wants],
            "set": {"pick": params.pick, "of": params.set_size, "pool": len(pool.drawn)},
            "candidates": [
                {"text": d.scored.candidate.text, "score": round(d.scored.score, 3), "quality": round(d.quality, 3),
                 "mean_logprob": round(d.scored.candidate.mean_logprob, 3), "relevance": round(d.scored.relevance, 3),
                 "repeats": d.scored.repeats, "copied": d.scored.copied, "valid": d.report.ok,
                 "forced": d.forced, "chosen": d is chosen}
                for d in ranked
            ],
            "prompt": pool.prompt,
            "corpus": pool.corpus,
            "build": pool.build,
            "seconds": {"prompt": pool.prompt_s, "pool": pool.pool_s, "total": round(time.perf_counter() - t0, 3)},
        }
        return Artefact(data=text.encode("utf-8"), ext="txt", mime="text/plain; charset=utf-8",
                        resolved={"style": form.zh_name}, info=info)

    def _draw(self, spec: CreativeSpec, params: PoemParams, form: Form, keep: dict[int, str], user: str,
              corpus: Corpus | None, variant_name: str | None, avoid: list[str] | None,
              wants: list[variety.Want], pool_seed: int, size: int, progress: Progress | None) -> Pool:
        """``size`` candidates from one evaluated prompt, each scored. Without a fixed variant
        every candidate draws its own 平起/仄起 pattern and rhyme group (from the pool's seed), and
        the brief's required images are forced into slots where their tones fit, at places
        that differ from candidate to candidate."""
        t0 = time.perf_counter()
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([pool_seed, 1])))
        provider = self.provider(params.model)
        llm = provider.llama()
        vocab = self._vocab(params.model)
        table = char_table(params.rhyme)
        masks: dict[tuple[frozenset[str], frozenset[str] | None], np.ndarray] = {}
        bias = sampling_bias(vocab, spec)
        breaks = _punctuation(form)
        prompt = llm.tokenize(chatml(SYSTEM, user).encode("utf-8"), add_bos=False, special=True)
        llm.reset()
        llm.eval(prompt)
        after_prompt = last_logits(llm)
        t_prompt = time.perf_counter() - t0
        others = [line for n, line in keep.items()]
        drawn: list[Drawn] = []
        for k in range(size):
            variant = (form.variant(params.variant or variant_name) if params.variant or variant_name
                       else best_variant(form, keep, params.rhyme) if keep
                       else form.variants[int(rng.integers(len(form.variants)))])
            group = params.rhyme_group or kept_rhyme_group(form, variant, keep, params.rhyme) \
                or self._pick_group(spec, form, params, rng)
            plan = self._plan(form, variant, group, params)
            index_of = {(s.line, s.position): i for i, s in enumerate(plan)}
            rhyme_slots = [i for i, s in enumerate(plan) if s.rhyme]

            def mask_for(i: int, chars: list[str], plan: list[Slot] = plan, index_of: dict = index_of,
                         rhyme_slots: list[int] = rhyme_slots) -> np.ndarray:
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

            def no_echo(i: int, chars: list[str], plan: list[Slot] = plan, index_of: dict = index_of,
                        mask_for: Callable = mask_for) -> np.ndarray:
                """A rewritten line may not end as the very line it replaces: with the prompt quoting
                that line the model copies it, and the soft echo penalty is not always enough."""
                mask = mask_for(i, chars)
                slot = plan[i]
                if (not avoid or slot.line in keep or slot.copy_of is not None
                        or slot.position != form.line_lengths[slot.line - 1]):
                    return mask
                head = "".join(chars[index_of[(slot.line, p)]] for p in range(1, slot.position))
                ends = {line[-1] for line in avoid if len(line) == slot.position and line.startswith(head)}
                barred = mask & ~vocab.mask(ends) if ends else mask
                return barred if barred.any() else mask

            views = [variety.SlotView(s.line, s.position, not s.rhyme and s.copy_of is None and s.line not in keep)
                     for s in plan]
            forced = variety.place(views, wants, lambda j, ch, plan=plan: ch in table.allowed(plan[j]), rng) \
                if wants else {}

            def fixed(i: int, plan: list[Slot] = plan, forced: dict[int, str] = forced) -> str | None:
                slot = plan[i]
                line = keep.get(slot.line)
                return line[slot.position - 1] if line else forced.get(i)

            after = lambda i, plan=plan: breaks.get((plan[i].line, plan[i].position), "")  # noqa: E731
            echo = echo_bias(vocab, plan, (avoid or []) + others, keep)
            c = decode_slots(llm, prompt, vocab, len(plan), no_echo, after, rng, params.temperature,
                             bias=bias, fixed=fixed if keep or forced else None, slot_bias=echo,
                             prompt_logits=after_prompt)
            report = validate(c.text, form, rhyme=params.rhyme)
            scored = self._score(c, spec, corpus, echoes(c.text, form, avoid or [], keep))
            new = [ln for n, ln in enumerate(split_lines(c.text, form), start=1) if n not in keep]
            quality = scored.score - variety.cliche_penalty(c.text)
            quality -= 0.0 if report.ok else 10.0  # a slip of ours must never win (a kept human line may break the form)
            quality -= 5.0 * (1.0 - variety.coverage(c.text, wants))  # the brief's images are required
            if keep:  # a rewritten line that copies another line of the poem (or the old one) is no alternative
                quality -= 5.0 * sum(variety.too_close(ln, others + (avoid or [])) for ln in new)
            drawn.append(Drawn(scored, report, quality, variant.name, group,
                               {f"{plan[i].line}.{plan[i].position}": ch for i, ch in sorted(forced.items())}))
            if progress is not None:
                progress((k + 1) / size, f"candidate {k + 1}/{size}")
        return Pool(drawn=drawn, prompt=user, prompt_s=round(t_prompt, 3), pool_s=round(time.perf_counter() - t0, 3),
                    corpus="chinese-poetry" if corpus else (self._corpus_problem or "examples off"),
                    build=provider.build_info())

    # -- revising ------------------------------------------------------------------------------

    def revise(self, parent: Artefact, spec: CreativeSpec, params: BaseModel, seed: int,
               progress: Progress | None = None) -> Artefact:
        """Feedback on a poem edits that poem: tone, images and length (``spec.text``) change the
        lines they are about and keep the rest (media/text/retouch.py). Other feedback (a new
        form, a mood word the text parser does not read) writes a new poem from the revised spec,
        with the parent's seed; so does feedback on a haiku, limerick or sonnet, whose form decides
        its lines."""
        assert isinstance(params, PoemParams)
        if not wants_edit(parent, spec.text):
            return self.generate(spec, params, seed, progress)
        name = str(parent.info.get("form") or form_name(spec, params))
        form = classical_form(name)
        if form is not None:
            return revise_classical(self, form, parent, spec, params, seed, progress)
        modern = verse.find_modern(name, spec)
        if modern is not None and modern.english is None:
            return revise_free(self, modern, parent, spec, params, seed, progress)
        return self.generate(spec, params, seed, progress)

    # -- co-writing ----------------------------------------------------------------------------

    def cowrite(self, parents: list[Artefact], edit: Edit, spec: CreativeSpec, params: BaseModel, seed: int,
                progress: Progress | None = None) -> Artefact:
        """Edits of a classical poem keep its form by construction: ``keep`` (lines the person
        keeps or writes; the AI rewrites the rest around them), ``line`` (one line again),
        ``rewrite`` (an instruction, the old draft in the prompt) and ``blend`` (lines of both
        parents that fit kept, the rest decoded with both poems in view) all go through the
        constrained decoder. ``translate``, ``summarise`` and ``replace`` are plain text
        operations; the result is validated and the report stored, as for a human's edit."""
        assert isinstance(params, PoemParams)
        text = parents[0].data.decode("utf-8")
        form = classical_form(form_name(spec, params))
        op = edit.op
        if form is None or op in ("translate", "summarise", "replace"):
            return self._plain_edit(parents, edit, form, params, seed, verse.find_modern(form_name(spec, params), spec))
        lines = lines_of(text, form)
        report = validate(text, form, rhyme=params.rhyme)
        draft = "，".join(lines)
        ask = [f"修改要求：{edit.instruction}"] if edit.instruction else []
        if op == "keep":
            keep = {n: lines[n - 1] for n in edit.lines if 1 <= n <= len(lines)}
            if edit.line is not None and edit.text is not None:
                keep[edit.line] = edit.text
            if not keep:
                raise InvalidInput("keep which lines?", hint="--lines 1,3 and/or --line 2 --text 新的诗句")
            # no draft in the prompt: shown the old lines, a model copies them instead of writing anew
            out = self.compose(spec, params, seed, progress, keep=keep, context=ask)
        elif op == "line":
            if edit.line is None or not 1 <= edit.line <= len(lines):
                raise InvalidInput(f"which line? this {form.zh_name} has {len(lines)} lines", hint="--line N")
            keep = {n: ln for n, ln in enumerate(lines, start=1) if n != edit.line}
            ask.append(f"只重写第{edit.line}句（原句「{lines[edit.line - 1]}」），换一个不同的说法。")
            out = self.compose(spec, params, seed, progress, keep=keep, context=ask,
                               variant_name=report.variant if report.variant else None,
                               avoid=[lines[edit.line - 1]])
        elif op == "rewrite":
            if not edit.instruction:
                raise InvalidInput("rewrite needs an instruction", hint='e.g. "更含蓄一些", "写夜色而不是黄昏"')
            keep = {n: lines[n - 1] for n in edit.lines if 1 <= n <= len(lines)}
            out = self.compose(spec, params, seed, progress, keep=keep,
                               context=[f"原稿：{draft}。", *ask, "请按要求重写，保留原稿好的意象。"], avoid=lines)
        elif op == "blend":
            if len(parents) < 2:
                raise InvalidInput("a blend needs two poems")
            other = parents[1].data.decode("utf-8")
            keep, variant_name = blend_lines(form, lines, lines_of(other, form), report.variant,
                                             validate(other, form, rhyme=params.rhyme).variant, edit.weight, seed,
                                             params.rhyme)
            out = self.compose(spec, params, seed, progress, keep=keep, variant_name=variant_name,
                               context=[f"甲稿：{draft}。", f"乙稿：{'，'.join(lines_of(other, form))}。",
                                        f"请把甲乙两稿融为一首新诗，偏重{'乙' if edit.weight >= 0.5 else '甲'}稿。"])
        else:
            raise InvalidInput(f"a {form.zh_name} has a fixed length, so {op} does not apply to it",
                               hint="try keep, line, rewrite, blend, translate or replace")
        out.info["edit"] = edit.model_dump(exclude_none=True)
        return out

    def _plain_edit(self, parents: list[Artefact], edit: Edit, form: Form | None, params: PoemParams,
                    seed: int, modern: verse.Modern | None = None) -> Artefact:
        """Text operations that do not decode under a classical form (or poems in no classical
        form at all: free verse, English forms)."""
        from duetto.media.text.cowrite import TextOps

        text = parents[0].data.decode("utf-8")
        other = parents[1].data.decode("utf-8") if len(parents) > 1 else None
        ops = TextOps(self.provider(params.model), "poem", params.temperature, 0.0)
        if edit.op == "line":  # alternatives of one set draw from one pool (studio/sets.py)
            pool_seed = params.pool_seed if params.pool_seed is not None else seed
            written = ops.apply(text, edit, pool_seed, other=other, pick=params.pick, set_size=params.set_size,
                                pooled=self.pooled)
        else:
            written = ops.apply(text, edit, seed, other=other)
        info: dict[str, Any] = {"edit": edit.model_dump(exclude_none=True), **written.info,
                                "build": self.provider(params.model).build_info()}
        resolved: dict[str, Any] = {}
        if edit.op == "translate":  # a translation keeps the imagery, not the 平仄
            resolved = {"language": written.info["to"], "style": "free verse"}
        elif form is not None:
            report = validate(written.text, form, rhyme=params.rhyme)
            info |= {"form": form.zh_name, "valid": report.ok, "issues": [i.message for i in report.issues]}
        elif modern is not None:  # a haiku or sonnet edited as plain text: say what it broke
            ok, issues, _ = verse.validate_modern(written.text, modern)
            info |= {"form": modern.name, "valid": ok, "issues": issues}
        return Artefact(data=written.text.encode("utf-8"), ext="txt", mime="text/plain; charset=utf-8",
                        info=info, resolved=resolved)

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
    def _score(c: Candidate, spec: CreativeSpec, corpus: Corpus | None, echoed: int = 0) -> Scored:
        """Fluency (the model's own mean log-probability) + use of the brief's imagery
        − repeated characters − lines lifted from the corpus (a copy is not a new poem)."""
        imagery = "".join(imagery_of(spec) + [spec.brief])
        wanted = {ch for ch in imagery if "\u4e00" <= ch <= "\u9fff"}
        relevance = len(wanted & set(c.chars)) / max(1, min(len(wanted), len(c.chars)))
        repeats = len(c.chars) - len(set(c.chars))
        matches = corpus.copied_lines(c.text) if corpus else []
        copied = [f"{m.clause} ← {m.author}《{m.title}》 ({m.kind})" for m in matches]
        penalty = sum(2.0 if m.kind == "verbatim" else 1.0 for m in matches)
        score = c.mean_logprob + 1.5 * relevance - 0.4 * repeats - penalty - 1.0 * echoed
        return Scored(c, score, relevance, repeats, copied)


ECHO_PENALTY = 1.5


def echo_bias(vocab: CharVocab, plan: list[Slot], avoid: list[str], keep: dict[int, str]) -> dict[int, np.ndarray]:
    """Per-slot logit penalties for the old lines' characters at the same places (not for kept
    lines): a soft push toward new wording, not a ban."""
    out: dict[int, np.ndarray] = {}
    for i, slot in enumerate(plan):
        if slot.line in keep:
            continue
        chars = {line[slot.position - 1] for line in avoid if len(line) >= slot.position}
        if chars:
            bias = np.zeros(vocab.n_vocab, dtype=np.float32)
            bias[vocab.mask(chars)] = -ECHO_PENALTY
            out[i] = bias
    return out


def echoes(text: str, form: Form, avoid: list[str], keep: dict[int, str]) -> int:
    """How many newly written lines just repeat an old one."""
    lines = split_lines(text, form)
    return sum(1 for n, line in enumerate(lines, start=1) if n not in keep and line in avoid)


def form_name(spec: CreativeSpec, params: PoemParams) -> str:
    """The form asked for (a parameter, then the spec's style), else the default for the
    brief's language: a 七言绝句 for Chinese, free verse for English."""
    return params.form or spec.style or (DEFAULT_FORM_EN if spec.language == "en" else DEFAULT_FORM)


def classical_form(name: str) -> Form | None:
    """The classical form of that name, or None for any other (free verse, English forms)."""
    try:
        return get_form(name)
    except InvalidInput:
        return None


def blend_lines(form: Form, a: list[str], b: list[str], variant_a: str | None, variant_b: str | None,
                weight: float, seed: int, system: Any = "pingshui") -> tuple[dict[int, str], str | None]:
    """Which lines of two parent poems a blend keeps, and the variant it follows.

    Each line is drawn from ``b`` with probability ``weight``; a drawn line is kept only when it
    fits the chosen variant's tones completely and, at a rhyme position, rhymes with the rhymes
    already kept. At most half the lines are kept, so the blend is a new poem and not a collage."""
    base = variant_b if weight >= 0.5 else variant_a
    variant = form.variant(base) if base else form.variants[0]
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 2])))
    order = [int(i) for i in rng.permutation(form.lines)]
    keep: dict[int, str] = {}
    for i in order:
        if len(keep) >= form.lines // 2:
            break
        line = (b if rng.random() < weight else a)[i]
        trial = keep | {i + 1: line}
        if fit(form, variant, {i + 1: line}, system) < len(line):
            continue
        if i + 1 in variant.rhyme_lines and kept_rhyme_group(form, variant, trial, system) is None:
            continue
        rhymes = [n for n in variant.rhyme_lines if n in trial]
        if len(rhymes) > 1 and not _share_group(form, variant, trial, rhymes, system):
            continue
        keep = trial
    return keep, variant.name


def _share_group(form: Form, variant: Any, keep: dict[int, str], rhymes: list[int], system: Any) -> bool:
    table = char_table(system)
    tone = form.rhyme_tone if system == "pingshui" else None
    common = set(table.groups_of(keep[rhymes[0]][-1], tone))
    for n in rhymes[1:]:
        common &= table.groups_of(keep[n][-1], tone)
    return bool(common)


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
