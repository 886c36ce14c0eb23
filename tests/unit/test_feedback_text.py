"""Poem feedback must be read: measured from the text of a real revision, not from the spec."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from duetto.brief.rules import RuleParser
from duetto.engine import Artefact
from duetto.errors import InvalidInput
from duetto.media.text import felt, retouch
from duetto.media.text.poem import PoemParams, Poet
from duetto.settings import Settings
from duetto.spec import CreativeSpec, TextSpec
from duetto.store.records import VersionRecord
from duetto.studio import Studio, operations
from duetto.studio.felt import Phrase, effect, load_phrases

FREE = """The moon hangs low above the quiet road,
leaves drift down in the cold wind,
a lamp burns in the farthest window,
my footsteps count the hours home,
the river keeps its silver promise,
and somewhere a dog is barking at the dark,
I button my coat against the night,
the moon follows me past the gate.
"""


def _poem_spec(language: str = "zh", style: str | None = "七言绝句") -> CreativeSpec:
    return CreativeSpec(medium="poem", brief="秋夜，明月，落叶", language=language, style=style, keywords=["明月", "落叶"])


def test_phrases_cover_tone_length_and_imagery_in_both_languages() -> None:
    phrases = load_phrases("poem")
    assert len(phrases) >= 30
    assert all(p.family in felt.FAMILIES for p in phrases)
    for family in {p.family for p in phrases}:
        assert {p.lang for p in phrases if p.family == family} == {"zh", "en"}, family
    assert {"tone", "length", "imagery:moon"} <= {p.family for p in phrases}


def test_features_count_tone_images_and_length() -> None:
    quatrain = felt.measure("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n")
    assert quatrain["lines"] == 4 and quatrain["moon"] == 2 and quatrain["kinds"] == 1
    free = felt.measure(FREE)
    assert free["lines"] == 8 and free["moon"] == 2 and free["leaves"] == 1 and free["water"] == 1
    assert free["valence"] < 0  # cold, dark
    assert felt.measure("岁月如歌\n")["moon"] == 0  # 岁月 is time, not the moon


@pytest.mark.parametrize("text, expected", [
    ("更明快一些", TextSpec(tone=1.0)), ("much sadder", TextSpec(tone=-2.0)),
    ("加上雨", TextSpec(add=["rain"])), ("不要月亮", TextSpec(without=["moon"])),
    ("短一点", TextSpec(length=0.8)), ("much longer", TextSpec(length=1.6)),
])
def test_the_parser_writes_what_a_poem_is_asked_into_spec_text(text: str, expected: TextSpec) -> None:
    spec = _poem_spec()
    delta = RuleParser().feedback(text, spec)
    assert TextSpec.model_validate(delta.set["text"]) == expected
    assert not any(n.startswith("not understood") for n in delta.notes), delta.notes
    if expected.without:
        assert "明月" not in delta.set["keywords"]  # an image asked away leaves the keywords too


def test_shorter_free_verse_drops_lines_and_keeps_its_images_and_tone(tmp_path: Path) -> None:
    poet = Poet(Settings(home=tmp_path / "s"))
    spec = _poem_spec("en", "free verse").model_copy(update={"text": TextSpec(length=0.6)})
    parent = Artefact(data=FREE.encode(), ext="txt", mime="text/plain; charset=utf-8", info={"form": "free verse"})
    out = poet.revise(parent, spec, PoemParams(), seed=1)  # dropping lines needs no model
    phrase = Phrase(id="t", medium="poem", lang="en", family="length", text="much shorter", direction="down",
                    scale="much")
    result = effect(phrase, felt, felt.measure(FREE), felt.measure(out.data.decode()))
    assert result.acted and not result.spilled, (result, out.data.decode())
    assert out.data.decode().splitlines()[0] == FREE.splitlines()[0]


def test_a_tone_ask_that_falls_short_goes_on_to_further_lines_in_rank_order() -> None:
    lines = FREE.strip().splitlines()
    ask = TextSpec(tone=1.0)
    chosen = retouch._lines_to_rewrite_free(lines, ask)
    spare = retouch._more_lines_free(lines, ask, chosen)
    assert spare and not set(spare) & set(chosen) and 0 not in spare  # the first line stays
    dark = [felt.tone_words(lines[i])[1] for i in spare]
    assert dark == sorted(dark, reverse=True)  # the darkest of the rest come first for "brighter"
    assert retouch._more_lines_free(lines, TextSpec(add=["rain"]), chosen) == []  # only tone goes on


def test_a_second_classical_pass_skips_the_line_already_rewritten() -> None:
    lines = ["秋风萧瑟叶飘零", "独倚寒窗月色明", "孤雁南飞声渐远", "一灯如豆照残更"]
    first = retouch._lines_to_rewrite(lines, TextSpec(tone=1.0))
    again = retouch._lines_to_rewrite(lines, TextSpec(tone=1.0), skip=first)
    assert len(first) == len(again) == 1 and not first & again


def test_a_form_that_cannot_be_shorter_says_which_can(tmp_path: Path) -> None:
    poet = Poet(Settings(home=tmp_path / "s"))
    spec = _poem_spec(style="五言绝句").model_copy(update={"text": TextSpec(length=0.8)})
    parent = Artefact(data="白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。\n".encode(), ext="txt",
                      mime="text/plain; charset=utf-8", info={"form": "五言绝句"})
    with pytest.raises(InvalidInput, match="cannot be made shorter") as err:
        poet.revise(parent, spec, PoemParams(), seed=1)
    assert "七言绝句" in (err.value.hint or "")


@pytest.fixture(scope="module")
def quatrain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Studio, VersionRecord]]:
    """One quatrain written by the default model, revised by each test below: a revision takes the
    parent's seed, so each revision is the one it would be on a base of its own."""
    studio = Studio(Settings(home=tmp_path_factory.mktemp("quatrain") / "studio", user="test"))
    try:
        yield studio, operations.new(studio, operations.NewRequest(brief="秋夜，明月，落叶", media=["poem"],
                                                                   variants=1, seed=1)).versions[0]
    finally:
        studio.close()


@pytest.mark.model
# 更忧伤一些 on this quatrain (already at -2): every draft of the one line to rewrite came back as
# the old line until the decode was barred from ending on it (poem.py, no_echo)
@pytest.mark.parametrize("text, family, direction", [("加上雨", "imagery:rain", "up"), ("更明快一些", "tone", "up"),
                                                     ("更忧伤一些", "tone", "down")])
def test_a_quatrain_revision_moves_its_feature_and_nothing_else(quatrain: tuple[Studio, VersionRecord], text: str,
                                                                family: str, direction: str) -> None:
    studio, base = quatrain
    child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback=text)).versions[0]
    assert child.parents == [base.id]
    before = felt.features(studio.blobs.read(base.sha256, base.ext))
    after = felt.features(studio.blobs.read(child.sha256, child.ext))
    phrase = Phrase(id="t", medium="poem", lang="zh", family=family, text=text, direction=direction)
    result = effect(phrase, felt, before, after)
    assert result.acted and not result.spilled, result
    assert child.info["valid"], child.info["issues"]
