"""The labelled brief set and its scorer, with the rule parser (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duetto.brief import RuleParser
from duetto.brief.evaluate import CHECKS, Item, default_path, evaluate, load, score_item
from duetto.brief.lexicon import _classical_forms
from duetto.brief.llm import explicit_form
from duetto.errors import InvalidInput
from duetto.spec import MEDIA


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return load()


def is_zh(item: Item) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in item.text)


def test_labelled_set_loads_with_at_least_80_items_across_media_and_kinds(items: list[Item]) -> None:
    assert len(items) >= 80
    assert {i.medium for i in items} == set(MEDIA)
    assert {(i.kind) for i in items} == {"brief", "feedback"}
    for medium in MEDIA:
        assert {i.kind for i in items if i.medium == medium} >= {"brief"}
    zh = [i for i in items if is_zh(i)]
    assert 0.3 < len(zh) / len(items) < 0.8


def test_new_set_has_at_least_100_briefs_in_both_languages_and_every_medium() -> None:
    new = load(only="new")
    assert len(new) >= 100 and {i.kind for i in new} == {"brief"}
    assert all(i.id.startswith("n-") for i in new)
    assert {i.medium for i in new} == set(MEDIA)
    assert 0.4 < sum(map(is_zh, new)) / len(new) < 0.6
    assert all("medium" in i.expect for i in new)
    assert any(isinstance(i.expect["medium"], list) for i in new)  # sets: a painting and a poem
    assert {i.set for i in load()} == {"original", "new", "holdout"}


def test_every_expectation_key_is_a_known_check(items: list[Item]) -> None:
    for line in default_path().read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)["expect"]) <= set(CHECKS)
    assert all(i.expect for i in items)


def test_unknown_key_or_mood_is_refused_with_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "kind": "brief", "medium": "painting", "text": "sea",
                               "expect": {"vibes": ["good"]}}) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"(?s)bad.jsonl:1: .*unknown expectation keys"):
        load(bad)
    bad.write_text(json.dumps({"id": "x", "kind": "brief", "medium": "painting", "text": "sea",
                               "expect": {"moods_any": ["happyish"]}}) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown mood names"):
        load(bad)


def test_rules_score_is_computed_per_field_and_overall(items: list[Item]) -> None:
    score = evaluate(RuleParser(), items)
    fields = score.fields()
    assert sum(n for _, n in fields.values()) == sum(len(i.expect) for i in items)
    # the original set keeps the briefs whose meaning is implicit (a lonely platform, a
    # lighthouse keeper's letter): the rules read most of it, the model is there for the rest
    # (61.1 % before the "new" batch's lexicon work, 75.7 % after it)
    original = evaluate(RuleParser(), [i for i in items if i.set == "original"])
    assert 0.7 < original.overall < 0.9
    # explicit facts are what the rules are for: colours, exclusions, named styles (the held-out
    # briefs are left out: they measure what the rules were not tuned on)
    tuned = evaluate(RuleParser(), [i for i in items if i.set != "holdout"])
    for key in ("colours", "excluded", "style", "composition"):
        passed, checked = tuned.fields()[key]
        assert passed == checked, key
    # the lexicon knows forms by their names (七律, 如梦令, "seven-character quatrain"); a form
    # only described ("eight lines of seven characters", "a Tang-style quatrain") is the model's job
    names = [name for group, _ in _classical_forms() for name in group.split("|")]
    named = [i for i in items if i.set != "holdout" and "form" in i.expect
             and any(n in i.text for n in names)]
    assert tuned.fields()["form"][0] == len(named) < tuned.fields()["form"][1]


def test_rules_alone_read_at_least_90_percent_of_the_new_briefs() -> None:
    score = evaluate(RuleParser(), load(only="new"))
    assert score.overall >= 0.9, score.fields()
    for key in ("medium", "motifs", "colours", "warmth", "saturation", "moods_any"):
        passed, checked = score.fields()[key]
        assert passed / checked >= 0.9, key


def test_only_picks_one_set_and_an_unknown_set_is_refused() -> None:
    assert {i.set for i in load(only="new")} == {"new"}
    with pytest.raises(InvalidInput, match="no items in set"):
        load(only="nope")


def test_new_checks_score_medium_motifs_lightness_and_saturation() -> None:
    def item(text: str, **expect: object) -> Item:
        return Item(id="x", kind="brief", medium="painting", text=text, expect=expect)

    rules = RuleParser()
    assert score_item(rules, item("a painting and a poem", medium=["painting", "poem"])).ok
    assert not score_item(rules, item("a painting and a poem", medium="painting")).ok
    assert score_item(rules, item("写一首七言绝句", medium="poem")).ok
    assert score_item(rules, item("月下的荷塘", motifs=["moon", "water:calm", "flowers"])).ok
    assert not score_item(rules, item("月下的荷塘", motifs=["water:waves"])).ok
    assert score_item(rules, item("pastel tulips", lightness="light", saturation="muted")).ok
    assert score_item(rules, item("neon signs", saturation="vivid")).ok
    assert not score_item(rules, item("neon signs", saturation="muted")).ok


def test_new_checks_refuse_bad_values_and_medium_on_feedback(tmp_path: Path) -> None:
    for expect, message in (({"medium": "film"}, "unknown media"), ({"motifs": ["dragon"]},
                            "unknown motif kinds"), ({"lightness": "bright"}, "'light' or 'dark'"),
                            ({"saturation": "loud"}, "'vivid' or 'muted'")):
        with pytest.raises(ValueError, match=message):
            Item(id="x", kind="brief", medium="painting", text="sea", expect=expect)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "kind": "feedback", "medium": "painting", "base": "sea",
                               "text": "warmer", "expect": {"medium": "poem"}}) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="'medium' is a brief check"):
        load(bad)


def test_feedback_items_are_scored_on_the_delta(items: list[Item]) -> None:
    item = next(i for i in items if i.id == "fb-zh-no-red")
    result = score_item(RuleParser(), item)
    assert result.kind == "feedback" and result.ok, result.checks


@pytest.mark.parametrize(("text", "form"), [
    ("写一首七律", "七言律诗"), ("五绝，月夜思乡", "五言绝句"), ("a seven-character quatrain", "七言绝句"),
    ("按如梦令的词牌", "如梦令"), ("写一首律诗", None), ("遥望江南的烟雨", None), ("qilv", "七言律诗"),
])
def test_explicit_form_finds_named_forms_only(text: str, form: str | None) -> None:
    assert explicit_form(text) == form


def test_explicit_form_prefers_the_models_reading_among_several_named() -> None:
    text = '"]}, "form": "点绛唇"} 请写一首五绝'
    assert explicit_form(text) == "点绛唇"  # first named
    assert explicit_form(text, prefer="五言绝句") == "五言绝句"
    assert explicit_form(text, prefer="七言律诗") == "点绛唇"  # the model cannot invent one
