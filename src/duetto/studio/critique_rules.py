"""The rule-based critique: measured facts turned into sentences a painter or a teacher would say.

Each ``*_notes`` function takes the measurements (``media.image.analyse``, ``media.text.analyse``)
and the version's spec and returns ``Notes``: observations (what is there, with numbers),
strengths, and suggestions, each suggestion with a reason and, where one exists, a feedback
phrase ``duetto revise`` understands. Thresholds are stated once, at the top, so a reader can
argue with them. Every sentence exists in Chinese and English; ``lang`` picks one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duetto.media.image.analyse import DominantColour, ImageAnalysis
from duetto.media.text.analyse import PoemFacts, ProseFacts
from duetto.media.text.poem import MOOD_ZH as _POEM_MOODS
from duetto.spec import CreativeSpec

BUSY = 0.35  # edge share above which a canvas reads as crowded
CALM = 0.08  # edge share below which it reads as quiet
FLAT_VALUE = 0.08  # luminance std under which light and dark barely differ
LOW_CONTRAST = 3.0  # WCAG ratio between darkest and lightest colour under which forms dissolve
OFF_CENTRE = 0.12  # weight-centre offset (fraction of half the canvas) that reads as lopsided
PRESENT = 0.05  # share of the canvas near an asked colour for it to count as "there"
EXCLUDED_SEEN = 0.02  # share near an excluded colour that is worth mentioning
MAX_SUGGESTIONS = 4
MOOD_ZH = {**_POEM_MOODS, "cold": "清寒"}

# Images tradition pairs with a mood: what to offer when a poem's tone falls short of the brief's.
MOOD_IMAGES: dict[str, tuple[str, ...]] = {
    "melancholic": ("西风", "寒鸦", "梧桐"), "sad": ("寒鸦", "杜鹃"), "lonely": ("孤舟", "寒鸦"),
    "nostalgic": ("明月", "鸿雁"), "calm": ("松", "钟"), "serene": ("竹", "钟"), "joyful": ("杨柳", "落花"),
}


def say(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


@dataclass
class Idea:
    change: str
    reason: str
    feedback: str | None = None


@dataclass
class Notes:
    summary: str = ""
    observations: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    suggestions: list[Idea] = field(default_factory=list)


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


# -- paintings ----------------------------------------------------------------------------------


def _where(x: float, y: float, lang: str) -> str:
    horiz = "左" if x < -OFF_CENTRE else "右" if x > OFF_CENTRE else ""
    vert = "上" if y < -OFF_CENTRE else "下" if y > OFF_CENTRE else ""
    if lang == "zh":
        return f"偏{vert}{horiz}" if horiz or vert else "接近中心"
    words = [w for w in ("upper" if vert == "上" else "lower" if vert == "下" else "",
                         "left" if horiz == "左" else "right" if horiz == "右" else "") if w]
    return "toward the " + "-".join(words) if words else "near the centre"


def painting_notes(a: ImageAnalysis, spec: CreativeSpec, near: dict[str, tuple[float, DominantColour, float]],
                   excluded: dict[str, float], lang: str) -> Notes:
    """``near``: asked colour name → (share of the canvas near it, the nearest dominant colour,
    its ΔE); ``excluded``: refused colour name → share of the canvas near it."""
    n = Notes()
    big = [c for c in a.colours if c.share >= 0.03][:5]
    listing = "、".join(f"{c.name_zh} {c.hex}（{_pct(c.share)}）" for c in big) if lang == "zh" else \
        ", ".join(f"{c.name_en} {c.hex} ({_pct(c.share)})" for c in big)
    temp = (say(lang, "明显偏暖", "clearly warm") if a.warmth > 0.5 else say(lang, "偏暖", "warm") if a.warmth > 0.15
            else say(lang, "偏冷", "cool") if a.warmth < -0.15 else say(lang, "冷暖中性", "neutral in temperature"))
    if a.chromatic_share < 0.2:
        temp = say(lang, "以无彩色（黑白灰）为主", "mostly neutral greys")
    sat = (say(lang, "低饱和的灰调", "low saturation (greyed)") if a.saturation_mean < 0.25 else
           say(lang, "中等饱和", "medium saturation") if a.saturation_mean < 0.5 else say(lang, "高饱和", "high saturation"))
    light = (say(lang, "整体偏暗", "dark overall") if a.lightness_mean < 0.3 else
             say(lang, "中间调", "mid-toned") if a.lightness_mean < 0.6 else say(lang, "明亮", "light overall"))
    n.observations.append(say(lang, f"色彩：主色 {listing}；{temp}，{sat}，{light}（明度均值 {a.lightness_mean:.2f}）。",
                              f"Palette: {listing}; {temp}, {sat}, {light} (mean lightness {a.lightness_mean:.2f})."))
    flat = a.luminance_std < FLAT_VALUE
    n.observations.append(say(
        lang,
        f"明暗：最暗与最亮主色的对比度 {a.contrast_ratio:.1f}:1，亮度标准差 {a.luminance_std:.2f}"
        f"——{'明暗层次偏平，形体容易糊在一起' if flat else '明暗有层次'}。",
        f"Value: darkest vs lightest main colour {a.contrast_ratio:.1f}:1, luminance std {a.luminance_std:.2f} "
        f"— {'the values are close, so shapes tend to merge' if flat else 'there is a readable range of values'}."))
    b = a.balance
    lopsided = b.offset > OFF_CENTRE
    n.observations.append(say(
        lang,
        f"构图：视觉重心{_where(b.x, b.y, lang)}（左右 {_pct(b.left_share)}/{_pct(1 - b.left_share)}，"
        f"上下 {_pct(b.top_share)}/{_pct(1 - b.top_share)}）{'，明显失衡' if lopsided else '，整体均衡'}。",
        f"Composition: the visual weight sits {_where(b.x, b.y, lang)} (left/right {_pct(b.left_share)}/"
        f"{_pct(1 - b.left_share)}, top/bottom {_pct(b.top_share)}/{_pct(1 - b.top_share)})"
        f"{', clearly lopsided' if lopsided else ', balanced overall'}."))
    busy, quiet = a.busyness > BUSY, a.busyness < CALM
    feel = (say(lang, "画面很满，眼睛没有停歇处", "the canvas is crowded and the eye has nowhere to rest") if busy else
            say(lang, "画面安静疏朗", "the canvas is quiet and open") if quiet else say(lang, "疏密适中", "moderately busy"))
    n.observations.append(say(lang, f"疏密：边缘像素占 {_pct(a.busyness)}，留白（平静区域）占 {_pct(a.empty_space)}——{feel}；"
                                    f"要求的密度 {spec.density:.2f}、能量 {spec.energy:.2f}。",
                              f"Busyness: edges cover {_pct(a.busyness)}, quiet empty space {_pct(a.empty_space)} — {feel}; "
                              f"asked density {spec.density:.2f}, energy {spec.energy:.2f}."))
    for name, (share, closest, delta_e) in near.items():
        nearest = say(lang, f"；最接近的主色是{closest.name_zh} {closest.hex}（ΔE {delta_e:.0f}）",
                      f"; the nearest main colour is {closest.name_en} {closest.hex} (ΔE {delta_e:.0f})")
        role = (say(lang, "，几乎没有出现", ", so it hardly shows") if share < PRESENT else
                say(lang, "，只作点缀", ", as an accent") if share < 0.12 else say(lang, "，是主调之一", ", one of the main notes"))
        n.observations.append(say(lang, f"要求的{name}：约 {_pct(share)} 的画面接近它{role}{nearest}。",
                                  f"Asked for {name}: about {_pct(share)} of the canvas is close to it{role}{nearest}."))
        if share >= PRESENT:
            n.strengths.append(say(lang, f"要求的{name}确实出现在画面中（{_pct(share)}）。",
                                   f"The {name} you asked for is really there ({_pct(share)} of the canvas)."))
        else:
            n.suggestions.append(Idea(say(lang, f"让{name}更多地出现", f"Bring in more {name}"),
                                      say(lang, f"你要了{name}，但只有 {_pct(share)} 的画面接近它，最接近的是{closest.name_zh}（ΔE {delta_e:.0f}）。",
                                          f"You asked for {name}, but only {_pct(share)} of the canvas is near it; "
                                          f"the closest is {closest.name_en} (ΔE {delta_e:.0f})."),
                                      say(lang, f"多一些{name}", f"more {name}")))
    for name, share in excluded.items():
        if share >= EXCLUDED_SEEN:
            n.observations.append(say(lang, f"你排除的{name}仍有约 {_pct(share)} 的画面接近它。",
                                      f"You ruled out {name}, yet {_pct(share)} of the canvas is close to it."))
            n.suggestions.append(Idea(say(lang, f"彻底去掉{name}", f"Remove the remaining {name}"),
                                      say(lang, f"画面中仍有 {_pct(share)} 接近{name}。", f"{_pct(share)} of the canvas still reads as {name}."),
                                      say(lang, f"不要{name}", f"no {name}")))
        else:
            n.strengths.append(say(lang, f"你排除的{name}没有出现。", f"The {name} you ruled out does not appear."))
    asked_warm = spec.palette.warmth
    if asked_warm > 0.3 and a.warmth < 0.1:
        n.suggestions.append(Idea(say(lang, "色调再暖一些", "Warm the palette"),
                                  say(lang, f"题意偏暖（{asked_warm:+.2f}），画面实测冷暖 {a.warmth:+.2f}。",
                                      f"The brief is warm ({asked_warm:+.2f}) but the canvas measures {a.warmth:+.2f}."),
                                  say(lang, "更温暖一些", "warmer")))
    elif asked_warm < -0.3 and a.warmth > -0.1:
        n.suggestions.append(Idea(say(lang, "色调再冷一些", "Cool the palette"),
                                  say(lang, f"题意偏冷（{asked_warm:+.2f}），画面实测冷暖 {a.warmth:+.2f}。",
                                      f"The brief is cool ({asked_warm:+.2f}) but the canvas measures {a.warmth:+.2f}."),
                                  say(lang, "冷一些", "cooler")))
    elif abs(asked_warm) > 0.3:
        n.strengths.append(say(lang, f"冷暖与题意一致（实测 {a.warmth:+.2f}）。",
                               f"The colour temperature matches the brief (measured {a.warmth:+.2f})."))
    if busy:
        n.suggestions.append(Idea(say(lang, "多留白，减少满铺的笔触", "Leave more empty space"),
                                  say(lang, f"边缘占 {_pct(a.busyness)}、留白只有 {_pct(a.empty_space)}，笔触铺满全幅，没有主次，也没有让眼睛休息的地方。",
                                      f"Edges cover {_pct(a.busyness)} and only {_pct(a.empty_space)} is quiet: marks fill the whole field with no hierarchy and no rest."),
                                  say(lang, "留白多一些", "more empty space")))
    elif quiet and spec.energy >= 0.6:
        n.suggestions.append(Idea(say(lang, "加强动势", "Add movement"),
                                  say(lang, f"要求的能量是 {spec.energy:.2f}，但边缘只占 {_pct(a.busyness)}，画面偏静。",
                                      f"The brief asks for energy {spec.energy:.2f}, but edges cover only {_pct(a.busyness)}."),
                                  say(lang, "更有动感", "livelier")))
    elif quiet:
        n.strengths.append(say(lang, f"大面积留白（{_pct(a.empty_space)}），画面有呼吸感。",
                               f"Generous empty space ({_pct(a.empty_space)}) lets the picture breathe."))
    if flat or a.contrast_ratio < LOW_CONTRAST:
        n.suggestions.append(Idea(say(lang, "拉开明暗对比", "Open up the value contrast"),
                                  say(lang, f"最暗与最亮主色只有 {a.contrast_ratio:.1f}:1，远看会糊成一片。",
                                      f"The darkest and lightest main colours are only {a.contrast_ratio:.1f}:1 apart; from a distance it reads as one mass."),
                                  say(lang, "对比更强", "more contrast")))
    elif a.contrast_ratio >= 4.5:
        n.strengths.append(say(lang, f"明暗对比清楚（{a.contrast_ratio:.1f}:1），远看也立得住。",
                               f"Clear value contrast ({a.contrast_ratio:.1f}:1): it holds up from across the room."))
    if lopsided and spec.composition in ("balanced", "centered"):
        n.suggestions.append(Idea(say(lang, "调整构图，让重心回到中部", "Rebalance the composition"),
                                  say(lang, f"重心{_where(b.x, b.y, lang)}（偏移 {b.offset:.2f}），与要求的均衡构图不符。",
                                      f"The weight sits {_where(b.x, b.y, lang)} (offset {b.offset:.2f}), against the balanced layout asked for."),
                                  say(lang, "构图更平衡", "more balanced composition")))
    elif not lopsided:
        n.strengths.append(say(lang, "重心稳定，左右上下分量相当。", "The weight is well distributed left to right and top to bottom."))
    hues = [c.hue for c in big if c.saturation > 0.2]
    one_family = a.chromatic_share > 0.3 and hues and max(hues) - min(hues) < 40 and abs(a.warmth) > 0.5
    if one_family and len(n.suggestions) < MAX_SUGGESTIONS:
        warm = a.warmth > 0
        n.suggestions.append(Idea(
            say(lang, f"加一小块{'深蓝' if warm else '橙色'}作点睛", f"Add a small {'navy' if warm else 'orange'} accent"),
            say(lang, f"主色色相都集中在 {min(hues):.0f}°–{max(hues):.0f}°，一点补色会让{'金黄' if warm else '蓝绿'}更亮、更有焦点。",
                f"All main hues sit within {min(hues):.0f}–{max(hues):.0f}°; a touch of the complement makes "
                f"the {'golds' if warm else 'blues'} glow and gives the eye a focus."),
            say(lang, f"加一点{'深蓝' if warm else '橙色'}", f"add a touch of {'navy' if warm else 'orange'}")))
    n.summary = say(lang, f"一幅{temp}、{light}的{'「' + spec.style + '」风格' if spec.style else ''}作品，{feel}，重心{_where(b.x, b.y, lang)}。",
                    f"A {temp}, {light} {spec.style + '-style ' if spec.style else ''}piece; {feel}; the weight sits {_where(b.x, b.y, lang)}.")
    n.suggestions = n.suggestions[:MAX_SUGGESTIONS]
    return n


# -- poems --------------------------------------------------------------------------------------


def _side(message: str, lang: str) -> str:
    """The validator writes 'zh / en'; keep one side."""
    zh, sep, en = message.partition(" / ")
    return (zh if lang == "zh" else en) if sep else message


def poem_notes(f: PoemFacts, spec: CreativeSpec, lang: str) -> Notes:
    n = Notes()
    if f.form is None:
        n.observations.append(say(lang, f"体式：{len(f.lines)} 句、{f.chars} 字，不是可识别的格律体，未作格律检查。",
                                  f"Form: {len(f.lines)} lines, {f.chars} characters; not a recognised regulated form, so not checked."))
    elif f.form_ok:
        shape = "、".join(str(len(x)) for x in f.lines)
        n.observations.append(say(lang, f"格律：{f.form}，{len(f.lines)} 句（每句 {shape} 字），{f.variant}，押{f.rhyme_group}，平仄、押韵全部合律。",
                                  f"Form: {f.form}, {len(f.lines)} lines of {shape} characters ({f.variant}, rhyme group "
                                  f"{f.rhyme_group}); every tone and rhyme fits."))
        n.strengths.append(say(lang, f"完全合乎{f.form}的格律。", f"Fully regular {f.form}: tones and rhymes all fit."))
    else:
        shown = "；".join(_side(m, lang) for m in f.form_issues[:3])
        more = say(lang, f"等 {len(f.form_issues)} 处", f" ({len(f.form_issues)} in all)") if len(f.form_issues) > 3 else ""
        n.observations.append(say(lang, f"格律：{f.form}有 {len(f.form_issues)} 处出律：{shown}{more}。",
                                  f"Form: {len(f.form_issues)} break(s) of {f.form}: {shown}{more}."))
        n.suggestions.append(Idea(say(lang, "修正出律的字", "Fix the characters that break the form"),
                                  say(lang, shown, shown)))
    if f.brief_imagery:
        parts = []
        for h in f.brief_imagery:
            if h.found == "whole":
                parts.append(say(lang, f"{h.word}（用到）", f"{h.word} (used)"))
            elif h.found == "echo":
                parts.append(say(lang, f"{h.word}（以“{'、'.join(h.chars)}”写出）", f"{h.word} (shown as “{', '.join(h.chars)}”)"))
            elif h.found == "part":
                parts.append(say(lang, f"{h.word}（只用到“{''.join(h.chars)}”）", f"{h.word} (only “{''.join(h.chars)}”)"))
            else:
                parts.append(say(lang, f"{h.word}（未出现）", f"{h.word} (absent)"))
        n.observations.append(say(lang, "题中意象：" + "、".join(parts) + "。", "The brief's imagery: " + ", ".join(parts) + "."))
        missing = [h.word for h in f.brief_imagery if h.found == "absent"]
        used = [h.word for h in f.brief_imagery if h.found == "whole"]
        if used:
            n.strengths.append(say(lang, f"紧扣题目：{'、'.join(used)}直接入诗。", f"Stays on the brief: {', '.join(used)} appear(s) directly."))
        for word in missing[:1]:
            n.suggestions.append(Idea(say(lang, f"让“{word}”入诗", f"Bring “{word}” into the poem"),
                                      say(lang, f"“{word}”是题目的核心意象，诗中却没有写到，读者看不出题意。",
                                          f"“{word}” is the brief's central image, yet the poem never shows it."),
                                      say(lang, f"加入{word}", f"add {word}")))
    if f.classical_imagery:
        listing = "、".join(f"{w}（{m[0]}）" for w, m in f.classical_imagery.items()) if lang == "zh" else \
            "; ".join(f"{w} ({m[1]})" for w, m in f.classical_imagery.items())
        n.observations.append(say(lang, f"诗中意象：{listing}。", f"Classical images used: {listing}."))
    if len(f.classical_imagery) > f.chars // 4:
        n.suggestions.append(Idea(say(lang, "意象少而精，围绕一个中心", "Fewer images, around one centre"),
                                  say(lang, f"{f.chars} 字里堆了 {len(f.classical_imagery)} 个意象，彼此没有呼应，画面散。",
                                      f"{len(f.classical_imagery)} images in {f.chars} characters do not answer each other; the scene scatters.")))
    asked = [m for m in spec.mood.named if m in MOOD_ZH]
    felt = list(f.tone)
    tone_txt = "、".join(f"{MOOD_ZH.get(m, m)}（{''.join(c)}）" for m, c in f.tone.items()) if lang == "zh" else \
        ", ".join(f"{m} ({''.join(c)})" for m, c in f.tone.items())
    asked_txt = "、".join(MOOD_ZH[m] for m in asked) if lang == "zh" else ", ".join(asked)
    n.observations.append(say(lang, f"情调：{tone_txt or '少有表情绪的字'}；题意要求{asked_txt or '未指定'}。",
                              f"Tone: {tone_txt or 'few mood-bearing characters'}; the brief asks for {asked_txt or 'nothing specific'}."))
    shared = [m for m in asked if m in felt]
    if shared:
        m = shared[0]
        n.strengths.append(say(lang, f"“{''.join(f.tone[m])}”等字托出了题意要的{MOOD_ZH[m]}。",
                               f"“{''.join(f.tone[m])}” carry the {m} mood the brief asks for."))
    if asked and not shared and not ({"melancholic", "sad"} & set(asked) and {"cold", "lonely"} & set(felt)):
        images = [w for w in MOOD_IMAGES.get(asked[0], ()) if w not in f.classical_imagery]
        name = MOOD_ZH[asked[0]] if lang == "zh" else asked[0]
        if images:
            n.suggestions.append(Idea(say(lang, f"借“{images[0]}”托出{name}之情", f"Carry the {name} mood with “{images[0]}”"),
                                      say(lang, f"题意要{name}，诗中却少有相应的字；{images[0]}在传统里常寄{'、'.join(MOOD_IMAGES[asked[0]])}一类的情绪，借景含情比直说更好。",
                                          f"The brief asks for {name}, but few characters carry it; tradition hears that mood in {images[0]}, and showing beats naming."),
                                      say(lang, f"加入{images[0]}", f"add {images[0]}")))
    if f.repeated_chars:
        reps = "、".join(f"{r.text}×{r.count}" for r in f.repeated_chars)
        n.observations.append(say(lang, f"重字：{reps}（近体诗忌无意的重字）。", f"Repeated characters: {reps} (regulated verse avoids unintended repeats)."))
        n.suggestions.append(Idea(say(lang, f"换掉重复的“{f.repeated_chars[0].text}”", f"Replace the repeated “{f.repeated_chars[0].text}”"),
                                  say(lang, f"全诗只有 {f.chars} 字，每个位置都珍贵，重字浪费一个位置。", f"The poem has only {f.chars} characters; a repeat wastes one of them.")))
    if f.modern_words:
        words = "、".join(f.modern_words)
        n.observations.append(say(lang, f"语言：“{words}”带现代口语色彩，与古典语境不协。", f"Diction: “{words}” sound(s) modern and jar with classical diction."))
        n.suggestions.append(Idea(say(lang, f"把“{f.modern_words[0]}”换成文言词", f"Replace “{f.modern_words[0]}” with a classical word"),
                                  say(lang, "一处口语会让全诗出戏。", "One colloquialism breaks the spell of the whole poem.")))
    if f.copied is None:
        n.observations.append(say(lang, "未安装唐宋诗词语料，未检查与古人雷同的句子。", "No poetry corpus installed: borrowed lines were not checked."))
    elif f.copied:
        n.observations.append(say(lang, "与古诗过近：" + "；".join(f.copied[:3]) + "。", "Too close to existing poems: " + "; ".join(f.copied[:3]) + "."))
        n.suggestions.append(Idea(say(lang, "改写与古人雷同的句子", "Rewrite the borrowed lines"),
                                  say(lang, "化用可以，照搬不算新作。", "Allusion is welcome; a copied line is not new work.")))
    else:
        n.strengths.append(say(lang, "没有与唐宋诗词雷同的句子。", "No line copies the Tang and Song corpus."))
    form_txt = f.form or say(lang, "诗", "poem")
    verdict = say(lang, "合律", "regular") if f.form_ok else say(lang, "有出律处", "with breaks of form") if f.form_ok is False else ""
    n.summary = say(lang, f"一首{verdict}的{form_txt}，用了{'、'.join(list(f.classical_imagery)[:4]) or '很少的'}等意象。",
                    f"A {verdict} {form_txt} built on {', '.join(list(f.classical_imagery)[:4]) or 'few'} images.")
    n.suggestions = n.suggestions[:MAX_SUGGESTIONS]
    return n


# -- stories and screenplays ----------------------------------------------------------------------


def prose_notes(f: ProseFacts, target_words: int | None, lang: str) -> Notes:
    n = Notes()
    what = say(lang, "剧本" if f.kind == "script" else "小说", "screenplay" if f.kind == "script" else "story")
    unit = say(lang, "字", "words")
    length = f"{f.words} {unit}" + (say(lang, f"（目标 {target_words}）", f" (target {target_words})") if target_words else "")
    n.observations.append(say(lang, f"篇幅：{length}，{f.scenes} 场，{f.sentences} 句。",
                              f"Length: {length}, {f.scenes} scene(s), {f.sentences} sentences."))
    n.observations.append(say(lang, f"对白占 {_pct(f.dialogue_share)}" + (f"，说话的人物：{'、'.join(f.characters)}" if f.characters else "") + "。",
                              f"Dialogue is {_pct(f.dialogue_share)} of the words" + (f"; speaking: {', '.join(f.characters)}" if f.characters else "") + "."))
    if f.repeated_sentences or f.repeated_ngrams:
        worst = f.repeated_sentences[0] if f.repeated_sentences else f.repeated_ngrams[0]
        n.observations.append(say(lang, f"重复：{_pct(f.repetition_share)} 的句子是前文的重复；“{worst.text[:60]}”出现了 {worst.count} 次。",
                                  f"Repetition: {_pct(f.repetition_share)} of sentences repeat an earlier one; “{worst.text[:80]}” occurs {worst.count} times."))
        n.suggestions.append(Idea(say(lang, "删去原地打转的重复段落", "Cut the loops"),
                                  say(lang, f"小模型容易自我重复：“{worst.text[:40]}”重复 {worst.count} 次，读者会以为文件坏了。",
                                      f"Small models loop: “{worst.text[:60]}” comes {worst.count} times; a reader will think the file is broken."
                                      + (" Regenerate with a higher --param repetition." if f.kind == "script" else ""))))
    else:
        n.strengths.append(say(lang, "没有原地打转的重复。", "No looping repetition."))
    if f.unfinished:
        where = ", ".join(str(i + 1) for i in f.unfinished)
        n.observations.append(say(lang, f"第 {where} 段（场）停在半句话上。", f"Section(s) {where} stop mid-sentence."))
        n.suggestions.append(Idea(say(lang, "把没写完的句子写完或删掉", "Finish or cut the unfinished sentence"),
                                  say(lang, "读者会以为文件被截断了。", "A reader will think the file was cut off.")))
    if f.event_missing:
        missing = ("、" if lang == "zh" else ", ").join(f.event_missing)
        n.observations.append(say(lang, f"题意里的这些没有写到：{missing}。", f"The brief's {missing} never appear."))
        n.suggestions.append(Idea(say(lang, "让题意里的事件真的发生", "Make the brief's event happen"),
                                  say(lang, f"题目要的是{missing}，正文却没有。", f"The brief asked for {missing}; the text never gets there.")))
    for issue in f.script_issues[:3]:
        n.observations.append(say(lang, f"剧本问题：{issue}。", f"Script problem: {issue}."))
    if f.kind == "story" and f.dialogue_share < 0.05:
        n.suggestions.append(Idea(say(lang, "让人物开口说话", "Let the characters speak"),
                                  say(lang, f"对白只占 {_pct(f.dialogue_share)}，全是叙述，人物显得扁平。",
                                      f"Only {_pct(f.dialogue_share)} is dialogue; all telling makes the people flat.")))
    if f.kind == "script" and f.dialogue_share > 0.85:
        n.suggestions.append(Idea(say(lang, "加入动作描写", "Add action lines"),
                                  say(lang, f"对白占 {_pct(f.dialogue_share)}，演员不知道在做什么。", f"Dialogue is {_pct(f.dialogue_share)}; the actors have nothing to do.")))
    if target_words and abs(f.words - target_words) > 0.25 * target_words:
        n.suggestions.append(Idea(say(lang, "调整篇幅", "Fix the length"),
                                  say(lang, f"目标 {target_words} 字，实际 {f.words}。", f"The target was {target_words} words; it has {f.words}.")))
    n.summary = say(lang, f"一篇 {f.words} {unit}、{f.scenes} 场的{what}" + ("，重复明显" if f.repetition_share > 0.1 else "") + "。",
                    f"A {f.words}-word {what} in {f.scenes} scene(s)" + (", with heavy repetition" if f.repetition_share > 0.1 else "") + ".")
    n.suggestions = n.suggestions[:MAX_SUGGESTIONS]
    return n
