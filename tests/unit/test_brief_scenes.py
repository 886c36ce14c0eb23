"""The lexicon's scene, colour-phrase, mood and form words: what the "new" labelled briefs ask."""

from __future__ import annotations

import pytest

from duetto.brief import parse_brief, parse_feedback
from duetto.brief.lexicon import lexicon
from duetto.spec import CreativeSpec


def colours(text: str) -> set[str]:
    lex = lexicon()
    keys = {t.colour.hex: t.colour.key for t in (*lex.zh.values(), *lex.en.values()) if t.colour}
    return {keys[c.hex] for c in parse_brief(text).palette.colours}


def kinds(text: str) -> dict[str, str]:
    return {m.kind: m.variant for m in parse_brief(text).motifs}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一幅只用三原色的抽象画", {"red", "yellow", "blue"}),
        ("primary colors only, big shapes", {"red", "yellow", "blue"}),
        ("黑白灰三色的街景", {"black", "white", "grey"}),
        ("银白色的月光", {"silver"}),
        ("silvery white birches", {"silver"}),
        ("墨绿的深山老林", {"dark green"}),
        ("deep forest green and gold", {"dark green", "gold"}),
    ],
)
def test_colour_phrases_name_their_colours(text: str, expected: set[str]) -> None:
    assert colours(text) == expected


def test_a_negated_colour_set_excludes_every_colour_in_it() -> None:
    spec = parse_brief("不要三原色，只用灰色")
    assert {c.name for c in spec.palette.excluded} == {"三原色"} and len(spec.palette.excluded) == 3
    assert [c.name for c in spec.palette.colours] == ["灰色"]


def test_an_image_can_bring_its_colour_at_half_weight() -> None:
    spec = parse_brief("lavender fields in Provence")
    assert [(c.name, c.weight) for c in spec.palette.colours] == [("lavender fields", 0.5)]
    assert "flowers" in kinds("lavender fields in Provence")


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [("低饱和度的莫兰迪色静物", None, 0.6), ("vivid jewel tones, a peacock", 0.7, None)],
)
def test_saturation_words(text: str, lo: float | None, hi: float | None) -> None:
    sat = parse_brief(text).palette.saturation
    mid = (sat.lo + sat.hi) / 2
    assert (lo is None or mid >= lo) and (hi is None or mid <= hi)


def test_one_named_blue_reads_as_a_cool_palette_and_one_red_as_warm() -> None:
    assert parse_brief("muted blues and greys").palette.warmth <= -0.15
    assert parse_brief("红色").palette.warmth >= 0.15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("夏日荷塘，蜻蜓点水", {"water": "calm", "flowers": ""}),
        ("a stormy seascape with crashing waves", {"water": "waves", "sky": "", "clouds": ""}),
        ("竹林深处，一条小径", {"trees": "forest"}),
        ("golden wheat fields under a big sky", {"grass": "", "sky": ""}),
        ("sunflowers in a clay vase", {"flowers": ""}),
        ("暴风雨来临前的麦田", {"clouds": "", "rain": "", "grass": ""}),
        ("a waterfall in a mountain gorge", {"water": "", "mountains": ""}),
        ("雪后的松林，几只麻雀", {"trees": "pine", "snow": "", "birds": ""}),
        ("a lone tree on a hill at sunrise", {"trees": "", "mountains": "", "sky": "dawn", "sun": ""}),
        ("草原上的牧羊人，蓝天白云", {"grass": "", "sky": "day", "clouds": ""}),
        ("霓虹闪烁的夜市", {"sky": "night"}),
        ("a cool-toned harbour at dawn", {"water": "calm", "sky": "dawn", "sun": ""}),
        ("诗意的画：远山和孤舟", {"mountains": "", "water": ""}),
        ("惜春的画，满地落花", {"flowers": "petals"}),
    ],
)
def test_scene_words_become_motifs(text: str, expected: dict[str, str]) -> None:
    assert kinds(text) == expected


def test_a_flat_colour_field_is_not_a_meadow() -> None:
    assert kinds("a busy grey field") == {}
    assert kinds("the wheat fields") == {"grass": ""}


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("a brooding sky over an empty harbour", "dark"),
        ("一首思乡的诗", "nostalgic"),
        ("乡愁", "nostalgic"),
        ("a story about lost time", "nostalgic"),
        ("一首惜春的小令", "melancholic"),
        ("萧瑟的秋风", "melancholic"),
        ("a tale of a haunted orchard", "dark"),
        ("a comedy sketch about a robot", "playful"),
        ("两个人在吵架", "tense"),
        ("a march for brass band, bright and proud", "energetic"),
        ("琵琶曲，激烈", "passionate"),
        ("warm tones, a cosy reading nook", "gentle"),
        ("一段对白：父女在火车站告别", "melancholic"),
    ],
)
def test_mood_words_and_images_that_imply_a_mood(text: str, mood: str) -> None:
    assert mood in parse_brief(text).mood.named


def test_a_season_named_in_a_mood_word_stays_a_keyword() -> None:
    spec = parse_brief("惜春的画")
    assert "melancholic" in spec.mood.named and any("春" in k for k in spec.keywords)


def test_a_limerick_is_playful_and_keeps_its_form() -> None:
    spec = parse_brief("a limerick about a cat", medium="poem")
    assert spec.style == "limerick" and "playful" in spec.mood.named and spec.mood.valence > 0.3


def test_english_names_of_classical_forms_are_forms() -> None:
    assert parse_brief("a seven-character quatrain on a willow", medium="poem").style == "七言绝句"
    assert parse_brief("write a qilv about autumn", medium="poem").style == "七言律诗"
    spec = parse_brief("a poem about plum blossoms in snow", medium="poem")
    delta = parse_feedback("make it a five-character regulated verse", spec)
    assert delta.set["style"] == "五言律诗"
    assert parse_brief("a regulated verse with five characters per line", medium="poem").style is None


@pytest.mark.parametrize("text", ["银白的河流穿过黑色的山谷", "一群飞过的鸟", "分别画红色和蓝色"])
def test_a_function_character_inside_a_word_is_not_a_function_word(text: str) -> None:
    spec = parse_brief(text)  # 穿过 is not 太, 分别 is not 别
    assert spec.palette.excluded == []
    assert spec.keywords or spec.palette.colours


def test_too_and_not_still_work_at_the_start_of_a_word() -> None:
    assert parse_feedback("太吵了", CreativeSpec()).shift["energy"] < 0
    assert [c.name for c in parse_brief("不要红色").palette.excluded] == ["红色"]


def test_a_brief_that_names_another_medium_says_so_in_the_notes() -> None:
    notes = parse_brief("写一首七言绝句，描写江南春雨").notes
    assert 'the brief sounds like a poem (from "七言绝句") but the medium is painting' in notes
    assert not any("sounds like" in n for n in parse_brief("诗意的画").notes)
    assert not any("sounds like" in n for n in parse_brief("写一首诗", medium="poem").notes)
