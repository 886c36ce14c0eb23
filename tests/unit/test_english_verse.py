"""English pronunciation, the English forms' validator and the free-verse validator, on poems
people wrote (Sonnet 18, Lear, Hearn's Bashō: all public domain) and on broken ones."""

from __future__ import annotations

import pytest

from duetto.brief import parse_brief
from duetto.errors import InvalidInput
from duetto.media.text.english.forms import find_english_form, get_english_form
from duetto.media.text.english.pronounce import (
    Dictionary,
    DictionaryMissing,
    dictionary,
    line_syllables,
)
from duetto.media.text.english.validate import validate
from duetto.media.text.freeverse import tidy, validate_free
from duetto.media.text.verse import find_modern

try:
    dictionary()
except DictionaryMissing as exc:  # pragma: no cover - make test installs it
    pytest.skip(str(exc), allow_module_level=True)

SONNET_18 = """Shall I compare thee to a summer's day?
Thou art more lovely and more temperate:
Rough winds do shake the darling buds of May,
And summer's lease hath all too short a date;
Sometime too hot the eye of heaven shines,
And often is his gold complexion dimm'd;
And every fair from fair sometime declines,
By chance or nature's changing course untrimm'd;
But thy eternal summer shall not fade,
Nor lose possession of that fair thou ow'st;
Nor shall Death brag thou wander'st in his shade,
When in eternal lines to time thou grow'st:
   So long as men can breathe or eyes can see,
   So long lives this, and this gives life to thee.
"""
LEAR = """There was an Old Man with a beard,
Who said, 'It is just as I feared!—
Two Owls and a Hen,
Four Larks and a Wren,
Have all built their nests in my beard!'
"""
HEARN_BASHO = "Old pond —\nfrogs jumped in —\nsound of water.\n"  # Lafcadio Hearn, 1898


def test_syllables_come_from_the_dictionary_with_every_reading() -> None:
    d = dictionary()
    assert d.lookup("temperate").syllables == {2, 3}
    assert d.lookup("delight").syllables == {2} and not d.lookup("delight").guessed
    assert line_syllables("And every fair from fair sometime declines,") == {10, 11}


def test_unknown_words_are_guessed_and_say_so() -> None:
    d = dictionary()
    trimmed = d.lookup("untrimm'd")
    assert trimmed.guessed and trimmed.syllables == {2} and d.rhymes("untrimm'd", "dimm'd")
    made_up = d.lookup("glimmerous")
    assert made_up.guessed and made_up.syllables == {3}


def test_rhyme_key_runs_from_the_last_stressed_vowel() -> None:
    d = dictionary()
    assert d.lookup("night").rhymes == {"AY T"} and d.rhymes("night", "delight")
    assert not d.rhymes("day", "night")
    assert d.lookup("delight").stresses == ("01",)


def test_missing_dictionary_names_make_corpus(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DictionaryMissing) as err:
        Dictionary.load(tmp_path)
    assert "make corpus" in (err.value.hint or "")


def test_sonnet_18_scans_but_temperate_does_not_rhyme_with_date() -> None:
    report = validate(SONNET_18, "sonnet")
    assert report.syllables == [10] * 14
    assert [i.message for i in report.issues] == ["line 4 'date' does not rhyme with 'temperate' (B)"]
    assert report.metre is not None and report.metre > 0.9
    assert report.guessed == ["untrimm'd"]


def test_lears_limerick_fits_and_may_repeat_beard() -> None:
    report = validate(LEAR, "limerick")
    assert report.ok, report.issues
    assert report.syllables == [8, 8, 5, 5, 8]


def test_hearns_basho_is_not_five_seven_five() -> None:
    report = validate(HEARN_BASHO, "haiku")
    assert [i.message for i in report.issues] == [
        "line 1 has 2 syllables, haiku wants 5",
        "line 2 has 3 syllables, haiku wants 7",
        "line 3 has 4 syllables, haiku wants 5",
    ]


def test_a_five_seven_five_haiku_passes() -> None:
    assert validate("An old silent pond\nA frog jumps into the pond\nSplash! Silence again.", "haiku").ok


def test_broken_limerick_names_the_line_and_the_rhyme() -> None:
    poem = LEAR.replace("Four Larks and a Wren", "Four Larks and a Wren in the morning light at noon")
    poem = poem.replace("in my beard!'", "in my hat!'")
    messages = [i.message for i in validate(poem, "limerick").issues]
    assert "line 4 has 12 syllables, limerick wants 4-7" in messages
    assert "line 4 'noon' does not rhyme with 'Hen' (B)" in messages
    assert "line 5 'hat' does not rhyme with 'beard' (A)" in messages


def test_a_sonnet_with_a_stressed_eleventh_syllable_fails_and_a_repeat_is_named() -> None:
    lines = SONNET_18.splitlines()
    lines[0] = "Shall I compare thee now to a summer's day?"
    lines[2] = "Rough winds do shake the darling buds of day,"
    messages = [i.message for i in validate("\n".join(lines), "sonnet").issues]
    assert "line 1 has 11 syllables but ends on a stressed syllable ('day'); sonnet wants 10 (or 11 with a " \
           "feminine ending)" in messages
    assert "line 3 repeats the rhyme word 'day' of line 1 (A)" in messages


def test_wrong_line_count_is_reported() -> None:
    assert [i.message for i in validate("An old silent pond", "haiku").issues][0] == \
        "a haiku has 3 lines but this poem has 1"


def test_form_names_route_to_modern_forms_and_unknown_ones_do_not() -> None:
    assert find_english_form("十四行诗") == get_english_form("sonnet")
    assert find_modern("自由诗").name == "自由诗"  # type: ignore[union-attr]
    assert find_modern("七言绝句") is None
    with pytest.raises(InvalidInput):
        get_english_form("villanelle")


def test_free_verse_validator_catches_loops_and_prose() -> None:
    ok = validate_free("风吹过\n落叶在黄昏里打转\n一盏灯亮了\n")
    assert ok.ok and ok.language == "zh"
    bad = validate_free("the leaves fall\nthe leaves fall\n" + "and " * 25 + "dusk\n")
    assert [i.rule for i in bad.issues] == ["repeated_line", "prose_line"]
    assert bad.issues[0].message == "line 2 repeats line 1: 'the leaves fall'"


def test_tidy_drops_a_cut_off_line_and_repeats() -> None:
    assert tidy("a leaf\na leaf\nthe dusk\nA gen", "en", complete=False) == "a leaf\nthe dusk"
    assert tidy("秋风，\n落叶，\n归", "zh", complete=False) == "秋风，\n落叶。"


@pytest.mark.parametrize(("brief", "style"), [
    ("write a haiku about an autumn dusk", "haiku"),
    ("一首十四行诗，秋天的黄昏", "sonnet"),
    ("一首现代诗，秋天", "自由诗"),
    ("a limerick about a cat", "limerick"),
    ("a free verse poem about rain", "free verse"),
])
def test_brief_names_the_form(brief: str, style: str) -> None:
    assert parse_brief(brief, medium="poem").style == style
