"""The poet's modern forms: English haiku, limerick and sonnet, and free verse in Chinese or English.

``Poet`` (poem.py) asks ``find_modern`` first; a form named here is written by this module, any
other goes down the classical path unchanged. The English forms are written line by line under
syllable and rhyme rules (english/compose.py), free verse is drafted whole and re-ranked
(freeverse.py); both keep the winner's validator report in ``info`` like the classical path.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.text import freeverse, variety
from duetto.media.text.decode import chatml, is_cjk
from duetto.media.text.english.compose import RhymeBook, compose
from duetto.media.text.english.forms import (
    EnglishForm,
    find_english_form,
    list_english_forms,
)
from duetto.media.text.english.pronounce import dictionary, words_of
from duetto.media.text.english.validate import Report as EnglishReport
from duetto.media.text.english.validate import validate as validate_english
from duetto.media.text.moods import moods_zh
from duetto.media.text.pieces import TokenPieces
from duetto.spec import CreativeSpec

if TYPE_CHECKING:
    from duetto.media.text.poem import PoemParams, Poet

FREE_VERSE = "free verse"
SYSTEM_EN = "You are a poet. You write short, concrete, musical lines in plain modern English."
SYSTEM_ZH = "你是一位当代诗人，写现代诗：语言自然，意象具体新鲜，分行简短，不必押韵，忌空洞抒情和口号。"
MOOD_EN = {"melancholic": "wistful", "sad": "sorrowful"}
WANT_BIAS = 1.5  # toward a word the brief requires (the *first* of first snow), beyond the keyword bias
POOL_REPEAT = 1.0  # away from each word an earlier poem of the set's pool used


@dataclass(frozen=True)
class Modern:
    """A modern form: an English fixed form, or free verse in one language."""

    english: EnglishForm | None
    language: str  # "en" or "zh"

    @property
    def name(self) -> str:
        if self.english is not None:
            return self.english.name
        return "自由诗" if self.language == "zh" else FREE_VERSE


def find_modern(name: str | None, spec: CreativeSpec | None = None) -> Modern | None:
    """The modern form ``name`` names, or None (then it is a classical form, or unknown)."""
    english = find_english_form(name)
    if english is not None:
        return Modern(english, "en")
    if not freeverse.is_free_verse(name):
        return None
    lang = spec.language if spec is not None else "none"
    if lang not in ("zh", "en"):
        text = spec.brief if spec is not None and spec.brief else ""
        lang = freeverse.language_of(text) if text.strip() else ("zh" if any(is_cjk(c) for c in name or "") else "en")
    return Modern(None, lang)


def modern_form_names() -> list[str]:
    return [f.name for f in list_english_forms()] + [FREE_VERSE, "自由诗"]


def check(form: Modern, params: PoemParams) -> None:
    """Classical-only parameters make no sense here: refuse them instead of ignoring them."""
    for name in ("variant", "rhyme_group"):
        if getattr(params, name):
            raise InvalidInput(f"{name} is a classical-form parameter; {form.name} has none",
                               hint="drop it, or pick a classical form (duetto forms)")


def report_for(text: str, form: Modern, *, detect_language: bool = False) -> EnglishReport | freeverse.FreeReport:
    """The validator's full report; ``detect_language``: free verse in whatever language the
    poem is written in (a file checked by hand has no brief to say)."""
    if form.english is not None:
        return validate_english(text, form.english)
    return freeverse.validate_free(text, None if detect_language else form.language)  # type: ignore[arg-type]


def validate_modern(text: str, form: Modern) -> tuple[bool, list[str], dict[str, Any]]:
    """(ok, issue messages, details) for a poem in a modern form, by anyone."""
    if form.english is not None:
        r = validate_english(text, form.english)
        details = {"syllables": r.syllables, "rhyme_words": r.rhyme_words, "scheme": r.scheme,
                   "metre": r.metre, "guessed": r.guessed}
        return r.ok, [i.message for i in r.issues], details
    f = freeverse.validate_free(text, form.language)  # type: ignore[arg-type]
    return f.ok, [i.message for i in f.issues], {"lines": len(f.lines), "language": f.language}


# --- generation ---------------------------------------------------------------------------------

_PIECES: dict[str, TokenPieces] = {}
_BOOKS: dict[str, RhymeBook] = {}


def _pieces(poet: Poet, model: str) -> TokenPieces:
    provider = poet.provider(model)
    if provider.model_id not in _PIECES:
        cache = poet.settings.model_cache / f"{provider.model_id.replace('@', '-')}.pieces.json"
        _PIECES[provider.model_id] = TokenPieces.build(provider.llama(), cache)
    return _PIECES[provider.model_id]


def _book(poet: Poet, model: str) -> RhymeBook:
    model_id = poet.provider(model).model_id
    if model_id not in _BOOKS:
        _BOOKS[model_id] = RhymeBook(_pieces(poet, model), dictionary())
    return _BOOKS[model_id]


def imagery(spec: CreativeSpec) -> list[str]:
    return [k for k in spec.keywords if k.strip()] or ([spec.subject] if spec.subject else [])


def prompt_for(spec: CreativeSpec, form: Modern) -> str:
    theme_words = imagery(spec)
    if form.language == "zh":
        theme = "、".join(theme_words[:8]) if theme_words else (spec.brief.strip() or "自由题材")
        moods = moods_zh(spec)
        lines = [f"题意：{theme}。", "请写一首现代诗（自由诗），六到十行，每行简短，分行写。"]
        if moods:
            lines.append(f"情感{'、'.join(moods)}，借意象含蓄表达。")
        lines.append("只写诗句，不要标题和解释。")
        return "\n".join(lines)
    english = [w for w in theme_words if w.isascii()]
    theme = ", ".join(english[:8]) if english else (spec.brief.strip() or "a moment in nature")
    brief = spec.brief.strip().rstrip(".!;,")
    if brief.isascii() and 0 < len(brief.split()) <= 16:
        # the brief's own phrase: "first snow on the garden" is not "snow, garden"
        extra = [w for w in english if w.lower() not in brief.lower()]
        theme = ", ".join([brief, *extra[:4]])
    named = spec.mood.named
    # the strongest mood of the brief and the latest one feedback asked for ("more joyful")
    moods = list(dict.fromkeys(MOOD_EN.get(m, m) for m in (named[:1] + named[-1:])))
    mood = f"{', '.join(moods)} " if moods else ""
    if form.english is not None:  # the form itself is enforced while decoding: instructions only get echoed
        what = f"{'an' if mood[:1] in tuple('aeiou') else 'a'} {mood}{form.english.title}"
    else:
        what = f"a short {mood}free-verse poem, six to ten lines,"
    return f"Write {what} about {theme}. Only the poem, no title."


@dataclass(frozen=True)
class Verse:
    """One poem of a modern form's pool, with what selection weighs."""

    text: str
    quality: float
    notes: Any  # English forms: per line, the chosen ending; free verse: the draft's scores


def generate(poet: Poet, form: Modern, spec: CreativeSpec, params: PoemParams, seed: int,
             progress: Progress | None = None) -> Artefact:
    """A pool for the whole set of variants (studio/sets.py), each variant its own MMR choice
    of it; a single poem is the best of its own pool. The brief's images (and the modifier
    before them: *first* snow) must be there: a draft without them loses to one with them."""
    t0 = time.perf_counter()
    pool_seed = params.pool_seed if params.pool_seed is not None else seed
    user = prompt_for(spec, form)
    keywords = imagery(spec)
    wants = variety.required_english(spec.brief, keywords) if form.language == "en" else \
        variety.required_imagery(spec.brief, keywords, limit=3)
    keywords = list(dict.fromkeys([*keywords, *(w.word for w in wants)]))
    key = json.dumps(["modern", form.name, user, keywords, params.model_dump(mode="json", exclude={"pick"}),
                      pool_seed], ensure_ascii=False, sort_keys=True)
    pool = poet.pooled(key, lambda: _draw(poet, form, user, keywords, wants, params, pool_seed, progress))
    alike = variety.Likeness(variety.shared_images(wants))
    chosen = variety.pick(pool, lambda v: v.quality, lambda v: v.text, params.pick, alike=alike)
    text = chosen.text.strip() + "\n"
    info: dict[str, Any] = {"form": form.name, "language": form.language, "prompt": user,
                            "required": [w.word for w in wants],
                            "set": {"pick": params.pick, "of": params.set_size, "pool": len(pool)}}
    if form.english is not None:
        info["candidates"] = chosen.notes  # per line: the chosen ending, whether it was built, its score
        info["pool"] = [{"text": v.text, "quality": round(v.quality, 3)} for v in pool]
    else:
        info["candidates"] = [{**v.notes, "quality": round(v.quality, 3), "chosen": v is chosen} for v in pool]
    provider = poet.provider(params.model)
    ok, issues, details = validate_modern(text, form)
    info.update(valid=ok, issues=issues, **details)
    info["build"] = provider.build_info()
    info["seconds"] = {"total": round(time.perf_counter() - t0, 3)}
    return Artefact(data=text.encode("utf-8"), ext="txt", mime="text/plain; charset=utf-8",
                    resolved={"style": form.name}, info=info)


def _draw(poet: Poet, form: Modern, user: str, keywords: list[str], wants: list[variety.Want],
          params: PoemParams, pool_seed: int, progress: Progress | None) -> list[Verse]:
    """The set's pool: free verse drafts ``candidates × set_size`` poems from one prompt; an
    English form writes two poems per variant (each line chosen among half as many endings,
    so the set costs what independent variants did)."""
    provider = poet.provider(params.model)
    llm = provider.llama()
    pieces = _pieces(poet, params.model)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([pool_seed, 2])))
    system = SYSTEM_ZH if form.language == "zh" else SYSTEM_EN
    prompt = llm.tokenize(chatml(system, user).encode("utf-8"), add_bos=False, special=True)

    def quality(text: str, score: float, ok: bool) -> float:
        return (score - variety.cliche_penalty(text) - 5.0 * (1.0 - variety.coverage(text, wants))
                - (0.0 if ok else 10.0))

    out: list[Verse] = []
    if form.english is not None:
        size = 1 if params.set_size <= 1 else 2 * params.set_size
        per_line = params.candidates if size == 1 else max(2, params.candidates // 2)
        lean = np.zeros(pieces.n_vocab, dtype=np.float32)
        required = {p for w in wants for p in words_of(w.word)}
        for w in required:
            lean[pieces.tokens_for(w)] += WANT_BIAS
        for k in range(size):
            step = (lambda f, what, k=k: progress((k + f) / size, f"poem {k + 1}/{size}: {what}")) \
                if progress is not None else None
            lines, notes = compose(llm, prompt, form.english, pieces, _book(poet, params.model), dictionary(), rng,
                                   candidates=per_line, temperature=params.temperature, keywords=keywords,
                                   progress=step, lean=lean)
            text = "\n".join(lines)
            for w in {w.lower() for w in words_of(text)} - required:  # the next poem looks elsewhere
                if len(w) > 3:
                    lean[pieces.tokens_for(w)] -= POOL_REPEAT
            mean = sum(float(n["score"]) for n in notes) / max(1, len(notes))  # type: ignore[arg-type]
            out.append(Verse(text, quality(text, mean, validate_modern(text, form)[0]), notes))
        return out
    drafts = freeverse.write(llm, prompt, pieces, form.language, rng,  # type: ignore[arg-type]
                             candidates=params.candidates * max(1, params.set_size),
                             temperature=params.temperature, keywords=keywords, progress=progress)
    for d in drafts:
        notes = {"text": d.text, "score": round(d.score, 3), "mean_logprob": round(d.mean_logprob, 3),
                 "relevance": round(d.relevance, 3), "repeats": d.repeats, "valid": d.report.ok,
                 "complete": d.complete}
        out.append(Verse(d.text, quality(d.text, d.score, d.report.ok), notes))
    return out
