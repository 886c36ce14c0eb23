"""Revising a poem so that the change is felt: the lines the feedback is about change, the rest stay.

"更明快一些", "加上月亮", "不要落叶", "短一点" (``spec.text``, read by brief/text_feedback.py) used to
regenerate the whole poem from a nudged spec: a new poem, in which the asked change was lost
among all the others. Here the poet edits the poem it was given:

* **tone**: the lines that hold the most words of the other tone are rewritten (one per step),
  leaning toward the asked tone's words and away from the other's, and toward the images the
  line already shows ("sadder" keeps the stars); when the result still falls short of the jnd,
  a further line is rewritten (free verse, up to ``TONE_MAX_LINES``; a classical poem, one more
  pass);
* **an image in**: the line with the fewest images is rewritten to name it (its characters or
  words lean up); **an image out**: every line naming it is rewritten with it banned;
* **length**: a classical form is fixed, so a shorter or longer 绝句/律诗 is honestly a change of
  form: 七绝 → 五绝 (each line loses its two-character head, or is re-decoded as a 五绝), 七绝 →
  七律 (the four lines kept as the first half, four new ones decoded), 七律 → 七绝; a form with
  no shorter or longer neighbour (a 词, a 五绝 asked to be shorter) is refused with the forms
  that can be. Free verse drops its least-charged lines or grows new ones at the end.

Rewritten lines are drawn several times and the draft chosen by what a reader would notice
(media/text/felt.py): the asked feature moved by its jnd first, nothing else moved second, the
poet's own quality third. An image the poem does not name may not appear in new lines, so a
rewrite does not wander into new scenery.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.text import felt, variety
from duetto.media.text.classical.forms import Form, get_form
from duetto.media.text.classical.kept import lines_of
from duetto.media.text.classical.validate import validate
from duetto.media.text.decode import chatml, last_logits, log_softmax
from duetto.media.text.pieces import STOP_ENDS, TokenPieces
from duetto.spec import CreativeSpec, TextSpec

if TYPE_CHECKING:
    from duetto.media.text.poem import PoemParams, Poet
    from duetto.media.text.verse import Modern

ADD_LEAN = 3.0  # logit lift for an asked image's characters or words
TONE_LEAN = 1.5  # ... for the asked tone's words (the other tone's are banned in rewritten lines)
REVISE_CANDIDATES = 6  # drafts of the rewritten lines to choose from
LINE_TOKENS = 20
LINE_CANDIDATES = 4  # drafts of each free-verse line: a line costs a prompt and ~12 tokens each
TONE_EXTRA = 2  # ... and this many more for a line rewritten for its tone (the asked words must come)
TONE_MAX_LINES = 5  # a tone ask that falls short goes on to further lines, up to this many in all
KEEP_LEAN = 1.5  # logit lift for the image words of a line rewritten for its tone
RESIZE: dict[tuple[str, int], str] = {
    ("七言绝句", -1): "五言绝句", ("七言绝句", 1): "七言律诗", ("五言绝句", 1): "五言律诗",
    ("七言律诗", -1): "七言绝句", ("五言律诗", -1): "五言绝句", ("五言律诗", 1): "七言律诗",
}
"""A classical poem's shorter and longer neighbours (a 七律 longer, a 五绝 shorter: none)."""


def char_lean(mask: Callable[[set[str]], np.ndarray], n_vocab: int, ask: TextSpec | None) -> np.ndarray:
    """Per-character logit bias for a classical poem written under ``ask``: images asked away
    banned, asked images lifted, the asked tone's characters lifted and the other tone's banned."""
    bias = np.zeros(n_vocab, dtype=np.float32)
    if ask is None:
        return bias
    if ask.tone:
        up, down = (felt.BRIGHT_ZH, felt.DARK_ZH) if ask.tone > 0 else (felt.DARK_ZH, felt.BRIGHT_ZH)
        bias[mask(set(up))] += TONE_LEAN
        bias[mask(set(down))] = -np.inf
    for kind in ask.add:
        bias[mask(_chars(kind))] += ADD_LEAN
    for kind in ask.without:
        bias[mask(_chars(kind))] = -np.inf
    return bias


def asked_images(ask: TextSpec | None) -> list[variety.Want]:
    """The images feedback asks into a classical poem (加上雨), as wants the decoder places in
    the rewritten lines: a logit lean alone lost to the model copying the quoted old line."""
    if ask is None:
        return []
    out = []
    for kind in dict.fromkeys(ask.add):
        words = felt.IMAGES[kind][0]  # the plainest word first: 月 before 蟾, 阳 before 落日
        out.append(variety.Want(words[0], tuple(words[1:])))
    return out


def wants_edit(parent: Artefact, ask: TextSpec | None) -> bool:
    """Whether feedback asks the text itself for something: a tone, an image, a length, or an
    image asked away that the poem still names (one asked away before and gone stays gone)."""
    if ask is None:
        return False
    if ask.asks():
        return True
    counts = felt.image_counts(parent.data.decode("utf-8", errors="replace"))
    return any(counts.get(kind) for kind in ask.without)


def _chars(kind: str) -> set[str]:
    return {w for w in felt.IMAGES[kind][0] if len(w) == 1}


# -- choosing among drafts -------------------------------------------------------------------------


def needed_length(ask: TextSpec) -> float:
    """The ln-size move a length ask needs: one jnd, two for "much" (0.6 and 1.6)."""
    steps = 2 if abs(math.log(ask.length)) > 0.35 else 1
    return math.copysign(felt.FEATURES["length"].jnd * steps, math.log(ask.length))


def judge(before: dict[str, float], after: dict[str, float], ask: TextSpec, absent: set[str]) -> tuple[float, int]:
    """(shortfall, spills) of a draft against the ask: how far the asked features are from their
    jnd-sized move, and how many other features moved a jnd or more."""
    short = 0.0
    asked: set[str] = set()
    if ask.tone:
        asked.add("valence")
        short += max(0.0, abs(ask.tone) - (after["valence"] - before["valence"]) * math.copysign(1, ask.tone))
    for kind in set(ask.add):
        asked |= {kind, "kinds"}
        short += max(0.0, before[kind] + ask.add.count(kind) - after[kind])
    for kind in ask.without:
        if kind in before:
            asked |= {kind, "kinds"}
            short += after[kind]
    if ask.length != 1.0:
        asked |= {"length", "lines", *felt.IMAGES}
        need = needed_length(ask)
        short += max(0.0, abs(need) - (after["length"] - before["length"]) * math.copysign(1, need)) * 5
    spills = sum(1 for name, f in felt.FEATURES.items()
                 if name not in asked and abs(after[name] - before[name]) >= f.jnd)
    spills += sum(1 for kind in absent if after.get(kind, 0) > 0 and kind not in ask.add)
    return round(short, 4), spills


def _order(short: float, spills: int) -> tuple[bool, int, float]:
    """How a draft ranks, lowest first: doing what was asked, then moving nothing else, then
    how near the ask it came."""
    return short > 0, spills, short


def _best(drafts: list[tuple[str, float]], before: dict[str, float], ask: TextSpec, absent: set[str]
          ) -> tuple[str, dict[str, Any]]:
    """The draft that does what was asked, moves nothing else, and reads best (quality)."""
    scored = []
    for text, quality in drafts:
        short, spills = judge(before, felt.measure(text), ask, absent)
        scored.append((*_order(short, spills), -quality, text))
    scored.sort(key=lambda s: s[:4])
    _, spills, short, _, text = scored[0]
    return text, {"drafts": len(drafts), "shortfall": short, "spilled": spills}


# -- classical -------------------------------------------------------------------------------------


def revise_classical(poet: Poet, form: Form, parent: Artefact, spec: CreativeSpec, params: PoemParams,
                     seed: int, progress: Progress | None = None) -> Artefact:
    """The rewritten lines, chosen among drafts; when a tone ask still falls short of its jnd
    (the model found a milder word than asked), one more pass rewrites a further line of the
    result, and the better of the two against the parent is kept."""
    first = _revise_classical_once(poet, form, parent, spec, params, seed, progress)
    ask = spec.text or TextSpec()
    short = float(first.info.get("revised", {}).get("shortfall", 0.0))
    if not ask.tone or ask.length != 1.0 or short <= 0 or not first.info.get("valid", True):
        return first
    left = ask.model_copy(update={"tone": math.copysign(max(1.0, math.ceil(short)), ask.tone), "add": []})
    done = set(first.info.get("revised", {}).get("rewritten", []))
    again = _revise_classical_once(poet, form, first, spec.model_copy(update={"text": left}), params, seed + 1,
                                   progress, skip=done)
    before = felt.measure(parent.data.decode("utf-8"))
    absent = {k for k in felt.IMAGES if not before[k]} - set(ask.add)
    scores = [judge(before, felt.measure(a.data.decode("utf-8")), ask, absent) for a in (first, again)]
    if not again.info.get("valid", True) or _order(*scores[1]) >= _order(*scores[0]):
        return first
    info = dict(again.info)
    info["revised"] = {**first.info["revised"], "shortfall": scores[1][0], "spilled": scores[1][1], "passes": 2}
    return dataclasses.replace(again, info=info)


def _revise_classical_once(poet: Poet, form: Form, parent: Artefact, spec: CreativeSpec, params: PoemParams,
                           seed: int, progress: Progress | None = None, skip: set[int] | None = None) -> Artefact:
    ask = spec.text or TextSpec()
    text = parent.data.decode("utf-8")
    lines = lines_of(text, form)
    report = validate(text, form, rhyme=params.rhyme)
    before = felt.measure(text)
    absent = {k for k in felt.IMAGES if not before[k]} - set(ask.add)
    guard = ask.model_copy(update={"without": sorted(set(ask.without) | absent)})
    if ask.length != 1.0:  # a new form keeps the poem's images: lean toward every kind it names
        guard = guard.model_copy(update={"add": sorted(k for k in felt.IMAGES if before[k])})
    many = REVISE_CANDIDATES * (2 if ask.add or ask.without else 1)  # an image must come or go and the tone hold
    wide = params.model_copy(update={"candidates": max(params.candidates, many)})
    drafts: list[tuple[str, float]] = []
    target = form
    old: list[str] = []  # lines being rewritten: a draft that gives one back unchanged did nothing
    rewrite: set[int] = set()
    if ask.length != 1.0:
        target = _resized(form, ask.length)
        keep, context = _resize_plan(form, target, lines, text)
        if target.line_lengths[0] < form.line_lengths[0]:  # the two-character heads dropped
            ends = ["，" if i % 2 == 0 else "。\n" for i in range(target.lines)]
            cut = "".join(ln[2:] + end for ln, end in zip(lines[:target.lines], ends, strict=False))
            if validate(cut, target, rhyme=params.rhyme).ok:
                drafts.append((cut, 0.0))
    else:
        rewrite = _lines_to_rewrite(lines, ask, skip or set())
        keep = {n: ln for n, ln in enumerate(lines, start=1) if n not in rewrite}
        old = [lines[n - 1] for n in sorted(rewrite)]
        quoted = "、".join(f"第{n}句「{lines[n - 1]}」" for n in sorted(rewrite))
        hold = "" if ask.tone else "，情调和其余意象不变，尽量沿用原句的字"
        context = [f"原稿：{'，'.join(lines)}。", f"修改要求：{_instruction_zh(ask)}",
                   f"只重写{quoted}{hold}；其余诗句不动。"]
    work = spec.model_copy(update={"style": target.zh_name, "text": guard})
    made = poet.compose(work, wide, seed, progress, keep=keep, context=context,
                        variant_name=report.variant if target is form and report.variant else None,
                        avoid=old or None)
    for c in made.info.get("candidates", []):
        if c.get("valid", True):
            drafts.append((c["text"].strip() + "\n", float(c.get("quality", c.get("score", 0.0)))))
    if not drafts:
        drafts.append((made.data.decode("utf-8"), 0.0))
    chosen, how = _best(drafts, before, ask, absent)
    final = validate(chosen, target, rhyme=params.rhyme)
    info = dict(made.info)
    info.update(valid=final.ok, issues=[i.message for i in final.issues], form=target.zh_name,
                revised={"from": form.zh_name, "ask": ask.model_dump(mode="json"), "rewritten": sorted(rewrite), **how})
    return Artefact(data=chosen.encode("utf-8"), ext="txt", mime="text/plain; charset=utf-8",
                    resolved={"style": target.zh_name}, info=info)


def _resized(form: Form, length: float) -> Form:
    direction = 1 if length > 1 else -1
    steps = 2 if abs(math.log(length)) > 0.35 else 1
    name = form.zh_name
    for _ in range(steps):
        name = RESIZE.get((name, direction), name)
    if name == form.zh_name:
        can = sorted({a for (a, d) in RESIZE if d == direction})
        raise InvalidInput(f"a {form.zh_name} cannot be made {'longer' if direction > 0 else 'shorter'}: "
                           "its length is its form",
                           hint=f"{'longer' if direction > 0 else 'shorter'} works on {', '.join(can)}; "
                                "or ask for free verse (自由诗)")
    return get_form(name)


def _resize_plan(form: Form, target: Form, lines: list[str], text: str) -> tuple[dict[int, str], list[str]]:
    """What a change of form keeps: a 绝句 grown to a 律诗 keeps its four lines as the first half;
    a 律诗 cut to a 绝句 keeps its first couplet; a change of line length keeps nothing."""
    draft = "，".join(lines)
    if target.line_lengths[0] == form.line_lengths[0]:
        half = min(form.lines, target.lines) // 2 if target.lines < form.lines else form.lines
        keep = {n: lines[n - 1] for n in range(1, half + 1)}
        ask = "续写成" if target.lines > form.lines else "收束成"
        return keep, [f"原稿：{draft}。", f"请把原稿{ask}一首{target.zh_name}，意象与情调不变。"]
    return {}, [f"原稿（{form.zh_name}）：{draft}。",
                f"请把原稿改写成一首{target.zh_name}，保留原稿的意象和情调，不要添加新的景物。"]


def _lines_to_rewrite(lines: list[str], ask: TextSpec, skip: set[int] | None = None) -> set[int]:
    """1-based lines to rewrite: each naming an image asked away, one per tone step (most
    words of the other tone, fewest images; not one in ``skip``, already rewritten for this
    ask), one per image asked in (fewest images)."""
    out: set[int] = set()
    counts = [felt.image_counts(ln) for ln in lines]
    images = [sum(c.values()) for c in counts]
    for kind in ask.without:
        out |= {n for n, c in enumerate(counts, start=1) if c[kind]}
    if ask.tone:
        order = sorted((i for i in range(len(lines)) if i + 1 not in (skip or set())),
                       key=lambda i: (*_tone_rank(lines[i], ask), i))
        out |= {i + 1 for i in order[:int(abs(ask.tone))]}
    toned = [sum(felt.tone_words(ln)) for ln in lines]
    for _ in dict.fromkeys(ask.add):
        free = [i for i in sorted(range(len(lines)), key=lambda i: (images[i], toned[i], -i)) if i + 1 not in out]
        if free:
            out.add(free[0] + 1)
    if len(out) >= len(lines):  # keep at least one line, so the poem is still the poem
        out = set(sorted(out)[: len(lines) - 1])
    return out or {len(lines)}


def _instruction_zh(ask: TextSpec) -> str:
    parts = []
    if ask.tone > 0:
        parts.append("情调更明快温暖" + ("许多" if ask.tone >= 2 else "一些"))
    elif ask.tone < 0:
        parts.append("情调更忧伤低回" + ("许多" if ask.tone <= -2 else "一些"))
    for kind in dict.fromkeys(ask.add):
        parts.append(f"要写到{felt.IMAGES[kind][0][0]}")
    for kind in ask.without:
        parts.append(f"不要写{felt.IMAGES[kind][0][0]}")
    return "，".join(parts) + "。"


# -- free verse ------------------------------------------------------------------------------------


def revise_free(poet: Poet, modern: Modern, parent: Artefact, spec: CreativeSpec, params: PoemParams,
                seed: int, progress: Progress | None = None) -> Artefact:
    """Free verse edited line by line: rewritten lines are decoded after the lines before them,
    lines are dropped to shorten it and decoded at the end to lengthen it."""
    from duetto.media.text import verse

    ask = spec.text or TextSpec()
    text = parent.data.decode("utf-8")
    lines = [ln.rstrip() for ln in text.strip().splitlines()]
    before = felt.measure(text)
    absent = {k for k in felt.IMAGES if not before[k]} - set(ask.add)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 5])))
    language = modern.language
    system = verse.SYSTEM_ZH if language == "zh" else verse.SYSTEM_EN
    user = verse.prompt_for(spec, modern) + " " + _instruction(ask, language)
    how: dict[str, Any] = {}
    model: dict[str, Any] = {}  # the model is loaded only when a line must be written

    def decode(prefix: list[str], old: str | None) -> list[tuple[str, float]]:
        if not model:
            model["pieces"] = _pieces(poet, params.model)
            model["llm"] = poet.provider(params.model).llama()
            model["lean"] = _token_lean(model["pieces"], ask, absent, language)
        llm, pieces, lean = model["llm"], model["pieces"], model["lean"]
        if old and ask.tone:  # a line rewritten for its tone keeps what it shows
            lean = lean + _keep_lean(pieces, old, ask, language)
        body = "\n".join(ln for ln in prefix)
        prompt = llm.tokenize(chatml(system, user, body + "\n" if body else "").encode("utf-8"),
                              add_bos=False, special=True)
        llm.reset()
        llm.eval(prompt)
        logits = last_logits(llm)
        width = (len(old) if language == "zh" else len(old.split())) if old else 0
        n = LINE_CANDIDATES + (TONE_EXTRA if ask.tone and old else 0)
        return [_line(llm, len(prompt), logits, pieces, language, rng, params.temperature, lean, width)
                for _ in range(n)]

    if ask.length < 1.0:
        lines, how = _drop_lines(lines, before, ask, absent)
    elif ask.length > 1.0:
        need = needed_length(ask)
        for _ in range(12):
            if felt.measure("\n".join(lines))["length"] - before["length"] >= need * 1.1:
                break
            options = [(t, q) for t, q in decode(lines, None) if t.strip()]
            if not options:
                break
            lines = _pick_line(lines, len(lines), options, before, ask, absent, append=True)
        how = {"added": len(lines) - len(text.strip().splitlines())}
    rewrite = _lines_to_rewrite_free(lines, ask) if (ask.tone or ask.add or ask.without) else []
    queue, spare = list(rewrite), _more_lines_free(lines, ask, rewrite)
    rewrite = []
    while queue:
        i = queue.pop(0)
        options = [(t, q) for t, q in decode(lines[:i], lines[i]) if t.strip()]
        if options:
            lines = _pick_line(lines, i, options, before, ask, absent)
        rewrite.append(i)
        if not queue and spare and len(rewrite) < TONE_MAX_LINES:
            # the planned lines fell short of a jnd (a milder word came): one more line, by the same order
            if judge(before, felt.measure("\n".join(lines)), ask, absent)[0] > 0:
                queue.append(spare.pop(0))
        if progress is not None:
            progress(len(rewrite) / (len(rewrite) + len(queue)), f"line {i + 1} rewritten")
    out = "\n".join(lines).strip() + "\n"
    short, spills = judge(before, felt.measure(out), ask, absent)
    ok, issues, details = verse.validate_modern(out, modern)
    info: dict[str, Any] = {"form": modern.name, "language": language, "prompt": user, "valid": ok,
                            "issues": issues, **details,
                            "build": poet.provider(params.model).build_info() if model else None,
                            "revised": {"ask": ask.model_dump(mode="json"), "rewritten": [i + 1 for i in rewrite],
                                        "shortfall": short, "spilled": spills, **how}}
    return Artefact(data=out.encode("utf-8"), ext="txt", mime="text/plain; charset=utf-8",
                    resolved={"style": modern.name}, info=info)


_PIECES: dict[str, TokenPieces] = {}


def _pieces(poet: Poet, model: str) -> TokenPieces:
    """The model's vocabulary as text (the same cache file the free-verse writer builds)."""
    provider = poet.provider(model)
    if provider.model_id not in _PIECES:
        cache = poet.settings.model_cache / f"{provider.model_id.replace('@', '-')}.pieces.json"
        _PIECES[provider.model_id] = TokenPieces.build(provider.llama(), cache)
    return _PIECES[provider.model_id]


def _pick_line(lines: list[str], i: int, options: list[tuple[str, float]], before: dict[str, float],
               ask: TextSpec, absent: set[str], append: bool = False) -> list[str]:
    """Put each option in place ``i`` (or after the end) and keep the best poem (``_best``)."""
    drafts = []
    for line, quality in options:
        trial = [*lines, line] if append else [*lines[:i], line, *lines[i + 1:]]
        drafts.append(("\n".join(trial), quality))
    best, _ = _best(drafts, before, _partial(ask, append), absent)
    return best.split("\n")


def _partial(ask: TextSpec, append: bool) -> TextSpec:
    """While lines are being added for length, only length is judged (tone and images must hold)."""
    return ask.model_copy(update={"tone": 0.0, "add": [], "without": []}) if append else ask


def _line(llm: Any, prompt_len: int, prompt_logits: np.ndarray, pieces: TokenPieces, language: str,
          rng: np.random.Generator, temperature: float, lean: np.ndarray, width: int) -> tuple[str, float]:
    """One line decoded after the prompt: (text, mean log-probability)."""
    llm.n_tokens = prompt_len
    logits = prompt_logits
    base = pieces.chinese if language == "zh" else pieces.english
    text, total, n = "", 0.0, 0
    for _ in range(LINE_TOKENS):
        natural = log_softmax(logits)
        allowed = base.copy()
        words = len(text.split()) if language == "en" else len(text)
        last = text.split()[-1].lower().strip(",.;:!?") if text.split() else ""
        if words >= 2 and last not in STOP_ENDS:  # a line does not end on "the" or "they"
            allowed[pieces.newline] = True
        scores = np.where(allowed, logits + lean, -np.inf)
        if width and words >= width:  # a rewritten line about as long as the old one
            scores[pieces.newline] += 3.0 if words < width + 2 else 8.0
        probs = np.exp(log_softmax(scores / max(temperature, 1e-3)))
        probs[~np.isfinite(probs)] = 0.0
        tok = int(rng.choice(len(probs), p=probs / probs.sum()))
        total += float(natural[tok])
        n += 1
        if tok in (pieces.newline, pieces.end):
            break
        text += pieces.pieces[tok]
        llm.eval([tok])
        logits = last_logits(llm)
    return text.strip(), total / max(1, n)


def _token_lean(pieces: TokenPieces, ask: TextSpec, absent: set[str], language: str) -> np.ndarray:
    bias = np.zeros(pieces.n_vocab, dtype=np.float32)

    def tokens(words: Any) -> list[int]:
        return [t for w in words for t in pieces.tokens_for(w)]

    zh = language == "zh"
    if ask.tone:
        bright = list(felt.BRIGHT_ZH) if zh else list(felt.BRIGHT_EN)
        dark = list(felt.DARK_ZH) if zh else list(felt.DARK_EN)
        up, down = (bright, dark) if ask.tone > 0 else (dark, bright)
        bias[tokens(up)] += TONE_LEAN
        bias[tokens(down)] = -np.inf
    for kind in ask.add:
        bias[tokens(felt.IMAGES[kind][0 if zh else 1])] += ADD_LEAN
    for kind in {*ask.without, *absent}:
        bias[tokens(felt.IMAGES[kind][0 if zh else 1])] = -np.inf
    return bias


def _keep_lean(pieces: TokenPieces, old: str, ask: TextSpec, language: str) -> np.ndarray:
    """A lift for the image words of the line being rewritten: "sadder" changes how the line
    feels, not what it shows (the stars stay in the sky). Images asked away are not lifted."""
    bias = np.zeros(pieces.n_vocab, dtype=np.float32)
    zh = language == "zh"
    for kind, n in felt.image_counts(old).items():
        if n and kind not in ask.without:
            bias[[t for w in felt.IMAGES[kind][0 if zh else 1] for t in pieces.tokens_for(w)]] += KEEP_LEAN
    return bias


def _more_lines_free(lines: list[str], ask: TextSpec, chosen: list[int]) -> list[int]:
    """0-based lines a tone ask may go on to when the chosen ones fell short, best first (the
    order ``_lines_to_rewrite`` ranks by: most words of the other tone, fewest images); the first
    line stays, as it does when lines are dropped."""
    if not ask.tone:
        return []
    where = [i for i, ln in enumerate(lines) if ln.strip() and i not in chosen and i > 0]
    return sorted(where, key=lambda i: (*_tone_rank(lines[i], ask), i))


def _tone_rank(line: str, ask: TextSpec) -> tuple[int, int]:
    """How fit a line is to be rewritten for a tone ask, lowest first: most words of the other
    tone, then fewest images (a line that shows little loses little)."""
    bright, dark = felt.tone_words(line)
    return -(dark if ask.tone > 0 else bright), sum(felt.image_counts(line).values())


def _lines_to_rewrite_free(lines: list[str], ask: TextSpec) -> list[int]:
    """0-based lines to rewrite (the same choice as a classical poem's, over more lines: a tone
    step is two lines of eight)."""
    where = [i for i, ln in enumerate(lines) if ln.strip()]  # blank lines are stanza breaks
    steps = min(3, max(1, round(abs(ask.tone) * max(4, len(where)) / 4))) if ask.tone else 0
    scaled = ask.model_copy(update={"tone": math.copysign(steps, ask.tone) if ask.tone else 0.0})
    chosen = _lines_to_rewrite([lines[i] for i in where], scaled)
    return sorted(where[n - 1] for n in chosen)


def _drop_lines(lines: list[str], before: dict[str, float], ask: TextSpec, absent: set[str]
                ) -> tuple[list[str], dict[str, Any]]:
    """Shorter free verse: drop, one at a time, the line whose loss keeps tone and images best,
    until the poem is a jnd (two for "much") shorter; the first line stays."""
    need = needed_length(ask)
    out = list(lines)
    dropped = 0
    while len([ln for ln in out if ln.strip()]) > 3:
        if felt.measure("\n".join(out))["length"] - before["length"] <= need * 1.1:
            break
        options = []
        for i in range(1, len(out)):
            if not out[i].strip():
                continue
            trial = out[:i] + out[i + 1:]
            short, spills = judge(before, felt.measure("\n".join(trial)), _partial(ask, True), absent)
            options.append((spills, -len(out[i].split()), i, trial))
        if not options:
            break
        options.sort(key=lambda o: o[:3])
        out = options[0][3]
        dropped += 1
    while out and not out[-1].strip():
        out.pop()
    return out, {"dropped": dropped}


def _instruction(ask: TextSpec, language: str) -> str:
    if language == "zh":
        return _instruction_zh(ask)
    parts = []
    if ask.tone > 0:
        parts.append("brighter and warmer in tone" if ask.tone < 2 else "much brighter, joyful and warm")
    elif ask.tone < 0:
        parts.append("sadder and darker in tone" if ask.tone > -2 else "much sadder, full of grief")
    for kind in dict.fromkeys(ask.add):
        parts.append(f"with the {felt.IMAGES[kind][1][0]} in it")
    for kind in ask.without:
        parts.append(f"with no {felt.IMAGES[kind][1][0]}")
    return ("Make it " + ", ".join(parts) + ".") if parts else ""
