"""The rule parser: briefs and feedback in Chinese and English become real spec values."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from duetto.brief import BriefParser, RuleParser, parse_brief, parse_feedback
from duetto.errors import InvalidInput
from duetto.spec import CreativeSpec, HueRange, apply_delta

SEED_ABSTRACT = "一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感"
SEED_AUTUMN = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
SEED_MUSIC = "一段充满活力的乐曲，节奏明快，旋律优美，具有跳跃感和动感"

DEFAULT = CreativeSpec()
RED = "#d62828"
BLUE = "#2563c9"


def names(colours: list) -> set[str]:
    return {c.name for c in colours}


def hexes(colours: list) -> set[str]:
    return {c.hex for c in colours}


# --- the seed briefs ---------------------------------------------------------------------------


def test_abstract_seed_is_colourful_varied_flowing_and_energetic() -> None:
    spec = parse_brief(SEED_ABSTRACT)
    assert spec.language == "zh"
    assert spec.palette.variety > 0.75
    assert spec.complexity > 0.75
    assert spec.line.smoothness > 0.8
    assert spec.energy > 0.8 and spec.rhythm > 0.8
    assert spec.mood.named == ["energetic"]
    assert spec.mood.valence > 0.2 and spec.mood.arousal > 0.7
    assert spec.notes == []


def test_autumn_seed_is_golden_warm_wistful_and_moving() -> None:
    spec = parse_brief(SEED_AUTUMN, medium="poem")
    assert spec.medium == "poem"
    assert names(spec.palette.colours) == {"金色"}
    assert spec.palette.hues == [HueRange(start=38.0, end=52.0)]
    assert spec.palette.warmth > 0.3
    assert {"秋日", "黄昏", "落叶", "风", "飘舞"} <= set(spec.keywords)
    assert "黄昏" in spec.subject and "落叶" in spec.subject
    assert spec.mood.named[0] == "melancholic"
    assert "gentle" in spec.mood.named
    assert -0.4 < spec.mood.valence < 0.1  # somewhat wistful, not despairing
    assert spec.line.smoothness > 0.8  # leaves drifting on the wind
    assert spec.energy > 0.5 and spec.rhythm > 0.5
    assert spec.notes == []


def test_music_seed_is_lively_bright_and_rhythmic() -> None:
    spec = parse_brief(SEED_MUSIC, medium="music")
    assert spec.medium == "music"
    assert spec.energy > 0.85 and spec.mood.arousal > 0.8 and spec.rhythm > 0.8
    assert spec.mood.valence > 0.5
    assert "energetic" in spec.mood.named and "playful" in spec.mood.named
    assert spec.notes == []


def test_brief_keeps_text_medium_and_explicit_style() -> None:
    spec = parse_brief("  calm sea  ", medium="painting", style="wave")
    assert spec.brief == "calm sea"
    assert spec.style == "wave"


# --- colours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hex_"),
    [("蓝", BLUE), ("蓝色", BLUE), ("blue", BLUE), ("天蓝", "#4fa8e0"), ("朱红", "#e34234"),
     ("crimson", "#b0102f"), ("teal", "#00807f"), ("ochre", "#cc7722"), ("墨", "#1c1c1c"),
     ("gold", "#d4a017")],
)
def test_colour_words_become_named_colours(text: str, hex_: str) -> None:
    spec = parse_brief(text)
    assert [c.hex for c in spec.palette.colours] == [hex_]
    assert spec.palette.colours[0].name == text


def test_same_colour_named_twice_gets_more_weight() -> None:
    spec = parse_brief("红色的花，红")
    assert len(spec.palette.colours) == 1
    assert spec.palette.colours[0].weight == pytest.approx(2.0)


def test_warm_and_cool_words_move_warmth() -> None:
    assert parse_brief("暖色调").palette.warmth > 0.3
    assert parse_brief("cool colours").palette.warmth < -0.3
    assert parse_brief("金色和橙色").palette.warmth > 0  # warm hues warm the palette


def test_palette_effect_words() -> None:
    mono = parse_brief("黑白")
    assert mono.palette.saturation.hi < 0.4 and mono.palette.variety < 0.3
    pastel = parse_brief("pastel")
    assert pastel.palette.lightness.lo > DEFAULT.palette.lightness.lo
    assert pastel.palette.saturation.hi < DEFAULT.palette.saturation.hi
    assert parse_brief("neon").palette.saturation.lo > 0.7
    assert parse_brief("彩色").palette.variety > 0.75
    earthy = parse_brief("earthy")
    assert earthy.palette.warmth > 0 and earthy.palette.saturation.hi < 0.85


# --- moods, qualities, styles, composition ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mood", "sad"),
    [("平静", "calm", False), ("宁静", "serene", False), ("忧伤", "melancholic", True),
     ("悲伤", "sad", True), ("欢快", "joyful", False), ("孤独", "lonely", True),
     ("melancholic", "melancholic", True), ("joyful", "joyful", False),
     ("dreamy", "dreamy", False), ("playful", "playful", False)],
)
def test_mood_words_set_named_mood_and_valence(text: str, mood: str, sad: bool) -> None:
    spec = parse_brief(text)
    assert spec.mood.named == [mood]
    assert (spec.mood.valence < 0) is sad


def test_calm_is_low_arousal_and_energetic_is_high() -> None:
    calm, lively = parse_brief("calm"), parse_brief("energetic")
    assert calm.mood.arousal < 0.3 and calm.energy < 0.35
    assert lively.mood.arousal > 0.7 and lively.energy > 0.65


def test_visual_quality_words() -> None:
    assert parse_brief("jagged").line.smoothness < 0.4
    assert parse_brief("线条流畅").line.smoothness > 0.8
    assert parse_brief("密集").density > 0.7 and parse_brief("sparse").density < 0.3
    assert parse_brief("大块").shape_size > 0.7 and parse_brief("细腻").shape_size < 0.35
    assert parse_brief("minimal").complexity < 0.3
    assert parse_brief("rhythmic").rhythm > 0.7


@pytest.mark.parametrize(
    ("text", "style"),
    [("水墨", "ink"), ("ink wash", "ink"), ("几何", "geometric"), ("Bauhaus", "geometric"),
     ("色域", "colorfield"), ("Rothko", "colorfield"), ("color field", "colorfield"),
     ("笔触", "brush"), ("impasto", "brush"), ("波浪", "wave"), ("rhythmic lines", "wave"),
     ("流线", "flow")],
)
def test_style_words_map_to_painter_styles(text: str, style: str) -> None:
    assert parse_brief(text).style == style


def test_requested_style_wins_over_the_brief_and_says_so() -> None:
    spec = parse_brief("水墨山水", style="geometric")
    assert spec.style == "geometric"
    assert any("overridden" in n for n in spec.notes)


@pytest.mark.parametrize(
    ("text", "composition"),
    [("居中", "centered"), ("对角线构图", "diagonal"), ("horizon", "horizontal"),
     ("垂直", "vertical"), ("scattered", "scattered"), ("网格", "grid")],
)
def test_composition_words(text: str, composition: str) -> None:
    assert parse_brief(text).composition == composition


def test_imagery_words_become_keywords_and_subject() -> None:
    spec = parse_brief("autumn dusk by the sea")
    assert spec.keywords == ["autumn", "dusk", "sea"]
    assert spec.subject == "autumn, dusk, sea"


# --- degree and negation ----------------------------------------------------------------------


def test_degree_words_scale_brief_values() -> None:
    slightly, plain, very = (parse_brief(t).energy for t in ("稍微动感", "动感", "非常动感"))
    assert DEFAULT.energy < slightly < plain < very


@pytest.mark.parametrize("text", ["不要红色", "no red", "没有红色"])
def test_negated_colour_is_excluded_with_its_hue(text: str) -> None:
    spec = parse_brief(text)
    assert hexes(spec.palette.excluded) == {RED}
    assert spec.palette.excluded_hues == [HueRange(start=345.0, end=15.0)]
    assert spec.palette.colours == []


def test_without_blue_excludes_blue_but_keeps_other_colours() -> None:
    spec = parse_brief("gold leaves without blue")
    assert hexes(spec.palette.excluded) == {BLUE}
    assert hexes(spec.palette.colours) == {"#d4a017"}


def test_negation_covers_a_list_until_a_new_request() -> None:
    spec = parse_brief("不要红色和蓝色")
    assert hexes(spec.palette.excluded) == {RED, BLUE}
    spec = parse_brief("no red and more blue")
    assert hexes(spec.palette.excluded) == {RED}
    assert hexes(spec.palette.colours) == {BLUE}


# --- feedback ---------------------------------------------------------------------------------


def test_feedback_warmer_and_fewer_lines_in_chinese() -> None:
    delta = parse_feedback("更温暖一些，线条少一点", DEFAULT)
    assert delta.feedback == "更温暖一些，线条少一点"
    assert delta.shift["palette.warmth"] == pytest.approx(0.28, abs=0.05)
    assert delta.shift["line.amount"] < 0
    after = apply_delta(DEFAULT, delta)
    assert after.palette.warmth > DEFAULT.palette.warmth
    assert after.line.amount < DEFAULT.line.amount


def test_feedback_calmer_more_blue_bigger_shapes() -> None:
    delta = parse_feedback("calmer, more blue, bigger shapes", DEFAULT)
    assert delta.shift["energy"] < 0 and delta.shift["mood.arousal"] < 0
    assert 0 < delta.shift["mood.valence"] < 0.2
    assert delta.shift["shape_size"] > 0
    assert hexes(delta.add_colours) == {BLUE}
    assert delta.add_hues == [HueRange(start=205.0, end=240.0)]
    assert delta.add_moods == ["calm"]


def test_feedback_degree_scaling_zh_and_en() -> None:
    def warmth(text: str) -> float:
        return parse_feedback(text, DEFAULT).shift["palette.warmth"]

    assert warmth("暖一点") == pytest.approx(0.5 * warmth("更暖"))
    assert warmth("slightly warmer") == pytest.approx(0.5 * warmth("warmer"))
    assert warmth("much warmer") == pytest.approx(1.6 * warmth("warmer"))
    assert warmth("非常温暖") == pytest.approx(warmth("much warmer"))
    assert warmth("暖很多") == pytest.approx(warmth("much warmer"))


@pytest.mark.parametrize("text", ["更暗", "darker"])
def test_feedback_darker_lowers_lightness(text: str) -> None:
    shift = parse_feedback(text, DEFAULT).shift
    assert shift["palette.lightness.lo"] < 0 and shift["palette.lightness.hi"] < 0


@pytest.mark.parametrize("text", ["太暗了", "too dark", "不要太暗"])
def test_feedback_too_dark_asks_for_lighter(text: str) -> None:
    assert parse_feedback(text, DEFAULT).shift["palette.lightness.lo"] > 0


def test_feedback_negation_excludes_colour_in_zh_and_en() -> None:
    spec = parse_brief("红色和金色")
    for text in ("不要红色", "no red"):
        delta = parse_feedback(text, spec)
        assert hexes(delta.exclude_colours) == {RED}
        assert delta.exclude_hues == [HueRange(start=345.0, end=15.0)]
        after = apply_delta(spec, delta)
        assert hexes(after.palette.colours) == {"#d4a017"}


def test_feedback_less_red_drops_the_colour_but_not_the_hue() -> None:
    delta = parse_feedback("less red", DEFAULT)
    assert hexes(delta.exclude_colours) == {RED}
    assert delta.exclude_hues == []


@pytest.mark.parametrize(("text", "style"), [("用水墨风格", "ink"), ("in ink", "ink"),
                                             ("几何风格", "geometric")])
def test_feedback_sets_style(text: str, style: str) -> None:
    assert parse_feedback(text, DEFAULT).set == {"style": style}


def test_feedback_line_and_shape_amounts() -> None:
    assert parse_feedback("more lines", DEFAULT).shift == {"line.amount": 0.3}
    assert parse_feedback("fewer lines", DEFAULT).shift == {"line.amount": -0.3}
    assert parse_feedback("thicker lines", DEFAULT).shift == {"line.weight": 0.3}
    assert parse_feedback("形状大一点", DEFAULT).shift == {"shape_size": 0.15}
    assert parse_feedback("no more lines", DEFAULT).shift["line.amount"] < 0


def test_feedback_does_not_re_add_hues_the_spec_has() -> None:
    spec = parse_brief("blue")
    delta = parse_feedback("more blue", spec)
    assert hexes(delta.add_colours) == {BLUE} and delta.add_hues == []
    assert apply_delta(spec, delta).palette.colours[0].weight == pytest.approx(2.0)


def test_unrecognised_feedback_gives_empty_delta_with_note() -> None:
    delta = parse_feedback("xyzzy plugh", DEFAULT)
    assert delta.is_empty()
    assert delta.notes == ["not understood: 'xyzzy', 'plugh'",
                           "no change could be read from the feedback"]


# --- fallbacks, errors, languages -------------------------------------------------------------


def test_nonsense_brief_falls_back_to_defaults_with_notes() -> None:
    spec = parse_brief("xyzzy plugh")
    assert spec.notes == ["not understood: 'xyzzy', 'plugh'",
                          "nothing in the brief was recognised; fell back to defaults"]
    defaults = CreativeSpec(brief="xyzzy plugh", language="en", subject="xyzzy plugh",
                            notes=spec.notes)
    assert spec == defaults


def test_partly_understood_brief_lists_the_rest() -> None:
    spec = parse_brief("calm frobnicated sea")
    assert spec.notes == ["not understood: 'frobnicated'"]
    assert spec.mood.named == ["calm"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_brief_is_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput, match="the brief is empty"):
        parse_brief(text)


def test_empty_feedback_and_unknown_medium_are_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="the feedback is empty"):
        parse_feedback(" ", DEFAULT)
    with pytest.raises(InvalidInput, match="unknown medium"):
        parse_brief("calm", medium="sculpture")


def test_mixed_language_brief() -> None:
    spec = parse_brief("一幅Rothko风格的画, calm, 深红和黑色")
    assert spec.language == "mixed"
    assert spec.style == "colorfield"
    assert spec.mood.named == ["calm"]
    assert names(spec.palette.colours) == {"深红", "黑色"}
    assert spec.notes == []


def test_language_detection() -> None:
    assert parse_brief("平静").language == "zh"
    assert parse_brief("calm").language == "en"
    assert parse_brief("123 !!!").language == "none"


def test_rule_parser_satisfies_the_protocol() -> None:
    assert isinstance(RuleParser(), BriefParser)


def test_parsing_is_deterministic() -> None:
    a, b = parse_brief(SEED_AUTUMN), RuleParser().brief(SEED_AUTUMN)
    assert a.digest() == b.digest()


def test_parsing_is_fast_after_jieba_init() -> None:
    parser = RuleParser()
    parser.brief(SEED_ABSTRACT)  # one-time jieba load
    start = time.perf_counter()
    for text in (SEED_ABSTRACT, SEED_AUTUMN, SEED_MUSIC, "calmer, more blue, bigger shapes"):
        parser.brief(text)
        parser.feedback(text, DEFAULT)
    assert (time.perf_counter() - start) / 8 < 0.02


def test_english_text_does_not_import_jieba() -> None:
    code = (
        "import sys; from duetto.brief import parse_brief, parse_feedback;"
        "s = parse_brief('calm blue sea at dusk'); parse_feedback('warmer', s);"
        "print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- "not … enough": insufficiency pushes toward the quality ----------------------------------

LIGHT_LO = "palette.lightness.lo"


@pytest.mark.parametrize(
    ("text", "path"),
    [("not warm enough", "palette.warmth"), ("还不够温暖", "palette.warmth"),
     ("isn't warm enough", "palette.warmth"), ("lacks warmth", "palette.warmth"),
     ("not bright enough", LIGHT_LO), ("不够亮", LIGHT_LO), ("不太够亮", LIGHT_LO),
     ("needs more contrast", "palette.variety"), ("颜色不够丰富", "palette.variety")],
)
def test_not_enough_pushes_toward_the_quality(text: str, path: str) -> None:
    delta = parse_feedback(text, DEFAULT)
    assert delta.shift[path] > 0
    assert delta.notes == []


def test_not_warm_enough_is_as_warm_as_warmer() -> None:
    assert parse_feedback("not warm enough", DEFAULT).shift["palette.warmth"] == pytest.approx(
        parse_feedback("warmer", DEFAULT).shift["palette.warmth"]
    )
    assert parse_feedback("还不够温暖", DEFAULT).shift["palette.warmth"] == pytest.approx(0.35)


@pytest.mark.parametrize("text", ["not enough blue", "蓝色不够", "缺少蓝色", "blue isn't enough"])
def test_not_enough_colour_adds_it_instead_of_excluding(text: str) -> None:
    delta = parse_feedback(text, DEFAULT)
    assert hexes(delta.add_colours) == {BLUE}
    assert delta.exclude_colours == [] and delta.exclude_hues == []


@pytest.mark.parametrize("text", ["线条不够", "not enough lines", "lines aren't enough", "线条不够多"])
def test_not_enough_lines_asks_for_more_lines(text: str) -> None:
    assert parse_feedback(text, DEFAULT).shift == {"line.amount": 0.3}


@pytest.mark.parametrize("text", ["still too calm", "还是太安静了", "not calm enough"])
def test_still_too_calm_asks_for_more_energy(text: str) -> None:
    shift = parse_feedback(text, DEFAULT).shift
    want = 1 if text == "not calm enough" else -1  # "not calm enough" is calmer, not livelier
    assert shift["energy"] * want < 0 and shift["mood.arousal"] * want < 0


def test_too_much_forms_still_push_away() -> None:
    assert parse_feedback("too warm", DEFAULT).shift["palette.warmth"] < 0
    assert parse_feedback("太暖了", DEFAULT).shift["palette.warmth"] < 0
    assert parse_feedback("太暗了", DEFAULT).shift[LIGHT_LO] > 0
    assert parse_feedback("不要太暗", DEFAULT).shift[LIGHT_LO] > 0
    assert parse_feedback("not too warm", DEFAULT).shift["palette.warmth"] < 0


def test_enough_alone_settles_the_quality_in_feedback() -> None:
    delta = parse_feedback("warm enough, more blue", DEFAULT)
    assert "palette.warmth" not in delta.shift
    assert hexes(delta.add_colours) == {BLUE}
    assert parse_feedback("已经够暖了", DEFAULT).shift == {}
    assert parse_brief("足够明亮").palette.lightness.lo > DEFAULT.palette.lightness.lo


# --- negation scope --------------------------------------------------------------------------

YELLOW = "#f2d024"
GREEN = "#2a9d4b"
ARCS = {RED: HueRange(start=345.0, end=15.0), YELLOW: HueRange(start=45.0, end=65.0)}


@pytest.mark.parametrize(
    ("text", "refused", "wanted"),
    [("不要红色 蓝色多一点", RED, BLUE), ("不要红色蓝色多一点", RED, BLUE),
     ("no red more blue", RED, BLUE), ("no red, but more blue", RED, BLUE),
     ("without yellow and more green", YELLOW, GREEN), ("no red and much bluer", RED, BLUE),
     ("no red and a bit of blue", RED, BLUE), ("不要红色 多一点蓝色", RED, BLUE),
     ("不要红色 蓝色不够", RED, BLUE), ("no red and not enough blue", RED, BLUE)],
)
def test_negation_stops_at_a_new_positive_request(text: str, refused: str, wanted: str) -> None:
    delta = parse_feedback(text, DEFAULT)
    assert hexes(delta.exclude_colours) == {refused}
    assert delta.exclude_hues == [ARCS[refused]]
    assert hexes(delta.add_colours) == {wanted}
    after = apply_delta(DEFAULT, delta)
    assert hexes(after.palette.colours) == {wanted} and hexes(after.palette.excluded) == {refused}


def test_negation_then_less_of_a_colour_drops_it_without_its_hue() -> None:
    delta = parse_feedback("不要红色 蓝色少一点", DEFAULT)
    assert hexes(delta.exclude_colours) == {RED, BLUE}
    assert delta.exclude_hues == [HueRange(start=345.0, end=15.0)]


@pytest.mark.parametrize("text", ["no red or blue", "不要红色和蓝色", "不要红色、蓝色",
                                  "without red and blue", "不要红色或蓝色"])
def test_negated_list_still_excludes_every_colour(text: str) -> None:
    delta = parse_feedback(text, DEFAULT)
    assert hexes(delta.exclude_colours) == {RED, BLUE}
    assert len(delta.exclude_hues) == 2 and delta.add_colours == []


def test_negation_ends_at_a_size_phrase_but_not_at_or() -> None:
    assert parse_feedback("no red and bigger shapes", DEFAULT).shift["shape_size"] > 0
    assert parse_feedback("no red or bigger shapes", DEFAULT).shift["shape_size"] < 0
    assert parse_feedback("no bigger shapes", DEFAULT).shift["shape_size"] < 0
    assert parse_feedback("不要更多线条", DEFAULT).shift["line.amount"] < 0


# --- contradicted moods ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["calmer", "更平静", "slower"])
def test_calmer_feedback_removes_energetic_mood(text: str) -> None:
    spec = parse_brief("energetic, passionate and tense")
    assert set(spec.mood.named) == {"energetic", "passionate", "tense"}
    delta = parse_feedback(text, spec)
    assert set(delta.remove_moods) == {"energetic", "passionate", "tense"}
    after = apply_delta(spec, delta)
    assert not {"energetic", "passionate", "tense"} & set(after.mood.named)
    assert ("calm" in after.mood.named) is (text != "slower")


def test_calmer_on_the_energetic_seed_replaces_energetic_with_calm() -> None:
    spec = parse_brief(SEED_ABSTRACT)
    after = apply_delta(spec, parse_feedback("calmer", spec))
    assert "energetic" not in after.mood.named and "calm" in after.mood.named
    assert after.energy < spec.energy


@pytest.mark.parametrize("text", ["more joyful", "更欢快", "happier"])
def test_happier_feedback_removes_sad_moods(text: str) -> None:
    spec = parse_brief("忧伤孤独，悲伤")
    assert set(spec.mood.named) == {"melancholic", "lonely", "sad"}
    delta = parse_feedback(text, spec)
    assert set(delta.remove_moods) == {"melancholic", "lonely", "sad"}
    assert apply_delta(spec, delta).mood.named == ["joyful"]


def test_mood_opposition_follows_the_axis_that_moved() -> None:
    spec = parse_brief("calm joyful serene playful gentle")
    assert parse_feedback("more joyful", spec).remove_moods == []  # valence moved, not arousal
    assert set(parse_feedback("sadder", spec).remove_moods) == {"joyful", "playful"}
    assert set(parse_feedback("more energetic", spec).remove_moods) == {"calm", "serene", "gentle"}
    assert set(parse_feedback("still too calm", spec).remove_moods) == {"calm", "serene", "gentle"}
    assert parse_feedback("warmer", spec).remove_moods == []  # a palette nudge is not a mood move


def test_negated_mood_is_removed() -> None:
    spec = parse_brief("mysterious night")
    delta = parse_feedback("less mysterious", spec)
    assert delta.remove_moods == ["mysterious"]


def test_mood_opposition_is_consistent_with_the_lexicon() -> None:
    from duetto.brief.lexicon import MOODS

    spec = CreativeSpec().model_copy(update={"mood": CreativeSpec().mood.model_copy(
        update={"named": list(MOODS)})})
    calmer = set(parse_feedback("calmer", spec).remove_moods)
    assert calmer == {m for m, d in MOODS.items() if d.arousal > 0.725}
    happier = set(parse_feedback("happier", spec).remove_moods)
    assert happier == {m for m, d in MOODS.items() if d.valence < -0.25}


# --- the seed feedback keeps its values ------------------------------------------------------


def test_seed_feedback_values() -> None:
    delta = parse_feedback("更温暖一些，线条少一点", DEFAULT)
    assert delta.shift["palette.warmth"] == pytest.approx(0.28)
    assert delta.shift["line.amount"] == pytest.approx(-0.15)
    assert delta.remove_moods == []
    delta = parse_feedback("calmer, more blue, bigger shapes", DEFAULT)
    assert delta.shift["energy"] == pytest.approx(-0.3)
    assert delta.shift["shape_size"] == pytest.approx(0.3)
    assert hexes(delta.add_colours) == {BLUE} and delta.exclude_colours == []


def test_handling_words_do_not_override_a_named_style() -> None:
    assert parse_brief("水墨，狂放的笔触，充满动感").style == "ink"
    assert parse_brief("impasto brushstrokes in ink wash").style == "ink"


def test_handling_words_alone_still_choose_brush() -> None:
    assert parse_brief("bold brushstrokes, warm").style == "brush"
    assert parse_brief("油画笔触").style == "brush"


def test_an_over_long_brief_is_read_up_to_the_limit_at_a_sentence_end_with_a_notice() -> None:
    from duetto.brief.rules import MAX_CHARS

    sentence = "一片金色的落叶在风中飘舞。"
    text = sentence * (MAX_CHARS // len(sentence) + 40) + "不要红色"
    spec = RuleParser().brief(text)
    assert len(spec.brief) <= MAX_CHARS and spec.brief.endswith("。")
    assert any(f"only the first {len(spec.brief):,} were read" in n for n in spec.notes)
    assert [c.name for c in spec.palette.colours] == ["金色"] and "落叶" in spec.keywords  # still understood
    delta = RuleParser().feedback("更温暖一些。" * 1000, spec)
    assert delta.shift and any("were read" in n for n in delta.notes)


def test_model_imagery_in_another_language_than_the_brief_is_left_out() -> None:
    from duetto.brief.llm import BriefReading, _merge_brief

    spec = RuleParser().brief("秋日的黄昏，一片金色的落叶", medium="poem")
    reading = BriefReading(medium="poem", subject="autumn dusk", imagery=["落叶", "dusk", "归雁"],
                           moods=["melancholic"], form=None)
    merged = _merge_brief(spec, reading, [], "model test", requested=None)
    assert "归雁" in merged.keywords and "dusk" not in merged.keywords
    assert merged.subject == spec.subject  # an English subject does not replace the Chinese one
