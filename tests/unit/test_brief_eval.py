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


def test_labelled_set_loads_with_at_least_80_items_across_media_and_kinds(items: list[Item]) -> None:
    assert len(items) >= 80
    assert {i.medium for i in items} == set(MEDIA)
    assert {(i.kind) for i in items} == {"brief", "feedback"}
    for medium in MEDIA:
        assert {i.kind for i in items if i.medium == medium} >= {"brief"}
    zh = [i for i in items if any("\u4e00" <= ch <= "\u9fff" for ch in i.text)]
    assert 0.3 < len(zh) / len(items) < 0.8


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
    assert 0.3 < score.overall < 0.9
    # explicit facts are what the rules are for: colours, exclusions, named styles
    for key in ("colours", "excluded", "style", "composition"):
        passed, checked = fields[key]
        assert passed == checked, key
    # the lexicon knows forms by their Chinese names (七律, 如梦令); a form only described
    # ("eight lines of seven characters", "a Tang-style quatrain") is the model's job
    names = [name for group, _ in _classical_forms() for name in group.split("|")]
    named = [i for i in items if "form" in i.expect and any(n in i.text for n in names)]
    assert fields["form"][0] == len(named) < fields["form"][1]


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
