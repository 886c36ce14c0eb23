"""Feedback on a text the person wrote works from their words (studio/written.py), no model.

The test-only ``Scribe`` engine (tests/unit/test_cowrite.py) writes its edits as plain string
functions of the parent's bytes, so what reaches the engine can be read back exactly: the
person's text must be the parent of the rewrite, the feedback its instruction."""

from __future__ import annotations

import pytest

from duetto.engine import Recipe
from duetto.errors import InvalidInput
from duetto.studio import Studio, operations
from duetto.studio.kernel import Upload
from tests.unit.test_cowrite import scribe_studio  # noqa: F401  (the fixture)

MINE = "The ferry pilot counts the gulls.\nShe does not count the storms.\n"


def _imported(studio: Studio) -> operations.VersionRecord:
    made = operations.new(studio, operations.NewRequest(brief="a lighthouse keeper", media=["story"], variants=1,
                                                        seed=3)).versions[0]
    upload = Upload(name="mine.md", data=MINE.encode())
    return operations.import_edit(studio, operations.ImportRequest(version=made.id, file=upload)).versions[0]


def test_revise_of_the_persons_text_rewrites_their_words_and_replays(scribe_studio: Studio) -> None:  # noqa: F811
    studio = scribe_studio
    mine = _imported(studio)
    result = operations.revise(studio, operations.ReviseRequest(version=mine.id, feedback="更温暖一些"))
    child = result.versions[0]
    text = studio.path_of(child).read_text()
    assert text.startswith(MINE.rstrip())  # the engine was handed the person's words, not a fresh draft
    assert "rewrite:更温暖一些:" in text and "Once, a lighthouse keeper" not in text
    recipe = Recipe.model_validate(studio.repo.recipe(child.id))
    assert recipe.parents == [mine.id] and recipe.edit is not None and recipe.edit.op == "rewrite"
    assert child.author_kind == "ai" and child.operation == "revise"
    assert operations.replay(studio, operations.VersionRequest(version=child.id)).identical
    again = operations.revise(studio, operations.ReviseRequest(version=child.id, feedback="shorter")).versions[0]
    assert studio.path_of(again).read_text().startswith(text.rstrip())  # still from the person's words
    # feedback the spec parser reads nothing in is still an instruction for the person's words
    odd = operations.revise(studio, operations.ReviseRequest(version=mine.id, feedback="let her meet the keeper"))
    assert "rewrite:let her meet the keeper:" in studio.path_of(odd.versions[0]).read_text()


def test_vary_of_the_persons_text_rewords_it(scribe_studio: Studio) -> None:  # noqa: F811
    studio = scribe_studio
    mine = _imported(studio)
    varied = operations.vary(studio, operations.VaryRequest(version=mine.id, variants=2, seed=4)).versions
    texts = [studio.path_of(v).read_text() for v in varied]
    assert all(t.startswith(MINE.rstrip()) and "rewrite:Vary the wording" in t for t in texts)
    assert texts[0] != texts[1] and all(v.parents == [mine.id] for v in varied)


def test_a_generated_story_still_revises_from_its_spec(scribe_studio: Studio) -> None:  # noqa: F811
    studio = scribe_studio
    made = operations.new(studio, operations.NewRequest(brief="a lighthouse keeper", media=["story"], variants=1,
                                                        seed=3)).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=made.id, feedback="更温暖一些")).versions[0]
    assert studio.repo.recipe(child.id)["edit"] is None
    with pytest.raises(InvalidInput, match="could not find a change"):
        operations.revise(studio, operations.ReviseRequest(version=made.id, feedback="let her meet the keeper"))

