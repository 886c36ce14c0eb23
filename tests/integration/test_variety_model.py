"""Variants of one brief with a real embedded model (the fast 0.5B): four 七绝 of an autumn brief
all hold its 落叶 and 金色 and are four poems, not one; two alternatives for a line differ from
each other and from the poem's other lines; a variant of a set replays alone."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from duetto.engine import Edit
from duetto.llm.models import FAST_MODEL, get_spec, locate_installed_part
from duetto.media.text import variety
from duetto.media.text.classical.forms import get_form
from duetto.media.text.classical.kept import lines_of
from duetto.media.text.classical.validate import validate
from duetto.settings import Settings
from duetto.studio import Studio, operations

pytestmark = pytest.mark.model

if any(locate_installed_part(p) is None for p in get_spec(FAST_MODEL).parts):
    pytest.skip(f"{FAST_MODEL} is not installed: {get_spec(FAST_MODEL).pip_command()}", allow_module_level=True)

QIJUE = get_form("七言绝句")
AUTUMN = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
FALLING = ("落叶", "黄叶", "叶落", "落木", "红叶")


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    s = Studio(Settings(home=tmp_path_factory.mktemp("variety") / "studio", user="ada"))
    yield s
    s.close()


def _text(studio: Studio, v: operations.VersionRecord) -> str:
    return studio.path_of(v).read_text(encoding="utf-8")


def test_four_variants_hold_the_briefs_images_and_differ(studio: Studio) -> None:
    made = operations.new(studio, operations.NewRequest(
        brief=AUTUMN, media=["poem"], style="七言绝句", variants=4, seed=7,
        params={"model": FAST_MODEL, "candidates": 2}))
    texts = [_text(studio, v) for v in made.versions]
    assert len(set(texts)) == 4
    for text in texts:
        assert validate(text, QIJUE).ok, text
        assert any(w in text for w in FALLING), text
        assert "金" in text, text
    for a, b in itertools.combinations(texts, 2):
        assert variety.char_similarity(a, b) < 0.6, (a, b)
    assert [v.info["set"]["pick"] for v in made.versions] == [0, 1, 2, 3]
    # the third variant alone, from its recipe: same pool, same place in it
    assert operations.replay(studio, operations.VersionRequest(version=made.versions[2].id)).identical


def test_line_alternatives_differ_from_each_other_and_the_other_lines(studio: Studio) -> None:
    parent = operations.new(studio, operations.NewRequest(
        brief="江上孤舟，渔火点点", media=["poem"], style="七言绝句", variants=1, seed=3,
        params={"model": FAST_MODEL, "candidates": 2})).versions[0]
    before = lines_of(_text(studio, parent), QIJUE)
    kids = operations.cowrite(studio, operations.CoWriteRequest(
        version=parent.id, edit=Edit(op="line", line=3), variants=2, seed=5)).versions
    news = [lines_of(_text(studio, k), QIJUE)[2] for k in kids]
    assert news[0] != news[1]
    for new in news:
        assert not variety.too_close(new, before), (new, before)
