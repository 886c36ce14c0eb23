"""English forms and free verse with the real 0.5B model, through the studio loop: every poem
passes the validator a human's poem gets, and a replay gives the same bytes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from duetto.llm.models import FAST_MODEL, get_spec, locate_installed_part
from duetto.media.text.english.validate import validate
from duetto.media.text.freeverse import validate_free
from duetto.settings import Settings
from duetto.studio import Studio, operations

pytestmark = pytest.mark.model

if any(locate_installed_part(p) is None for p in get_spec(FAST_MODEL).parts):
    pytest.skip(f"{FAST_MODEL} is not installed: {get_spec(FAST_MODEL).pip_command()}", allow_module_level=True)

FAST = {"model": FAST_MODEL, "candidates": 2}
AUTUMN = "an autumn dusk, falling golden leaves"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    s = Studio(Settings(home=tmp_path_factory.mktemp("verse") / "studio", user="ada"))
    yield s
    s.close()


def _text(studio: Studio, v: operations.VersionRecord) -> str:
    return studio.path_of(v).read_text(encoding="utf-8")


@pytest.mark.parametrize("form", ["haiku", "limerick", "sonnet"])
def test_generated_english_forms_pass_their_validator(studio: Studio, form: str) -> None:
    v = operations.new(studio, operations.NewRequest(
        brief=AUTUMN, media=["poem"], style=form, variants=1, seed=3, params=FAST)).versions[0]
    report = validate(_text(studio, v), form)
    assert report.ok, (report.issues, _text(studio, v))
    assert v.info["valid"] is True and v.info["issues"] == [] and v.spec.style == form
    assert "llama_cpp_python" in v.info["build"]


def test_form_from_param_and_from_the_brief(studio: Studio) -> None:
    v = operations.new(studio, operations.NewRequest(
        brief="write a haiku about " + AUTUMN, media=["poem"], variants=1, seed=4, params=FAST)).versions[0]
    assert v.spec.style == "haiku" and validate(_text(studio, v), "haiku").ok
    w = operations.new(studio, operations.NewRequest(
        brief=AUTUMN, media=["poem"], variants=1, seed=4, params={**FAST, "form": "haiku"})).versions[0]
    assert validate(_text(studio, w), "haiku").ok


@pytest.mark.parametrize(("brief", "style", "language"), [
    ("在秋日的黄昏，一片金色的落叶，在风中飘舞", "自由诗", "zh"),
    (AUTUMN, "free verse", "en"),
])
def test_free_verse_in_the_briefs_language(studio: Studio, brief: str, style: str, language: str) -> None:
    v = operations.new(studio, operations.NewRequest(
        brief=brief, media=["poem"], style=style, variants=1, seed=2, params=FAST)).versions[0]
    text = _text(studio, v)
    report = validate_free(text)
    assert report.ok and report.language == language, (report.issues, text)
    assert v.info["valid"] is True and len(v.info["candidates"]) == 2


def test_haiku_replays_identically_and_revise_keeps_the_form(studio: Studio) -> None:
    v = operations.new(studio, operations.NewRequest(
        brief=AUTUMN, media=["poem"], style="haiku", variants=1, seed=11, params=FAST)).versions[0]
    assert operations.replay(studio, operations.VersionRequest(version=v.id)).identical
    child = operations.revise(studio, operations.ReviseRequest(version=v.id, feedback="more joyful")).versions[0]
    assert child.spec.style == "haiku" and validate(_text(studio, child), "haiku").ok
    assert _text(studio, child) != _text(studio, v)
    kids = operations.vary(studio, operations.VaryRequest(version=v.id, variants=1, seed=5)).versions
    assert all(validate(_text(studio, k), "haiku").ok for k in kids)


def test_classical_only_parameters_are_refused(studio: Studio) -> None:
    from duetto.errors import InvalidInput

    with pytest.raises(InvalidInput, match="classical-form parameter"):
        operations.new(studio, operations.NewRequest(
            brief=AUTUMN, media=["poem"], style="sonnet", params={**FAST, "variant": "平起首句入韵"}))
