"""The poet engine with a real embedded model (the fast 0.5B), through the studio loop.

Every generated poem must pass the same validator a human's poem gets: form by construction.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from duetto.errors import InvalidInput
from duetto.llm.models import FAST_MODEL, get_spec, locate_installed_part
from duetto.media.text.classical.validate import validate
from duetto.media.text.poem import Poet
from duetto.settings import Settings
from duetto.studio import Studio, operations, queries

pytestmark = pytest.mark.model

if any(locate_installed_part(p) is None for p in get_spec(FAST_MODEL).parts):
    pytest.skip(f"{FAST_MODEL} is not installed: {get_spec(FAST_MODEL).pip_command()}", allow_module_level=True)

FAST = {"model": FAST_MODEL, "candidates": 2}
AUTUMN = "在秋日的黄昏，一片金色的落叶，在风中飘舞"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    s = Studio(Settings(home=tmp_path_factory.mktemp("poems") / "studio", user="ada"))
    yield s
    s.close()


def _text(studio: Studio, v: operations.VersionRecord) -> str:
    return studio.path_of(v).read_text(encoding="utf-8")


@pytest.mark.parametrize("form", ["七言绝句", "五言律诗", "如梦令"])
def test_generated_poems_fit_their_form(studio: Studio, form: str) -> None:
    made = operations.new(studio, operations.NewRequest(
        brief=AUTUMN, media=["poem"], style=form, variants=1, seed=3, params=FAST))
    v = made.versions[0]
    report = validate(_text(studio, v), form)
    assert report.ok, report.issues
    assert v.info["valid"] is True and v.spec.style == report.form_zh
    assert v.author == f"engine:poet@{Poet.version}"
    assert len(v.info["candidates"]) == 2


def test_poem_replays_to_identical_text_and_records_the_build(studio: Studio) -> None:
    v = operations.new(studio, operations.NewRequest(
        brief="春夜细雨，江边独坐", media=["poem"], variants=1, seed=11, params=FAST)).versions[0]
    assert "llama_cpp_python" in v.info["build"] and v.info["build"]["model_id"]
    assert operations.replay(studio, operations.VersionRequest(version=v.id)).identical


def test_revising_a_poem_with_feedback_keeps_its_form(studio: Studio) -> None:
    v = operations.new(studio, operations.NewRequest(
        brief=AUTUMN, media=["poem"], style="五绝", variants=1, seed=5, params=FAST)).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=v.id, feedback="更欢快一些")).versions[0]
    assert child.parents == [v.id] and child.spec.mood.valence > v.spec.mood.valence
    assert child.spec.style == "五言绝句"
    assert validate(_text(studio, child), "五绝").ok
    assert _text(studio, child) != _text(studio, v)
    c = queries.credits(studio, v.work_id)
    assert c.human_operations["feedback"] == 1


def test_unknown_form_is_refused_before_anything_is_stored(studio: Studio) -> None:
    before = len(studio.repo.works())
    with pytest.raises(InvalidInput, match="unknown classical form"):
        operations.new(studio, operations.NewRequest(brief=AUTUMN, media=["poem"], style="八绝", params=FAST))
    assert len(studio.repo.works()) == before


def test_painting_and_poem_share_one_spec_in_one_work(studio: Studio, tmp_path: Path) -> None:
    made = operations.new(studio, operations.NewRequest(
        brief=AUTUMN, media=["painting", "poem"], variants=1, seed=8,
        params={"width": 128, "height": 128, **FAST}))
    painting, poem = made.versions
    assert painting.mime == "image/png" and poem.mime.startswith("text/")
    assert painting.work_id == poem.work_id
    shared = ("keywords", "mood", "palette", "energy")
    assert all(getattr(painting.spec, f) == getattr(poem.spec, f) for f in shared)
    with pytest.raises(InvalidInput, match="no engine in this set takes parameter 'nope'"):
        operations.new(studio, operations.NewRequest(brief=AUTUMN, media=["painting", "poem"],
                                                     params={"nope": 1}))
