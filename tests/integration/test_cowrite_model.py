"""Co-writing with a real embedded model (the fast 0.5B) through the studio: kept lines of a
classical poem stay and the poem still fits its form, a line gets alternatives, two poems blend,
a story is continued, a script gains a character in a new valid scene, and every one replays."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from duetto.engine import Edit
from duetto.llm.models import FAST_MODEL, get_spec, locate_installed_part
from duetto.media.text.classical.forms import get_form
from duetto.media.text.classical.kept import lines_of
from duetto.media.text.classical.validate import validate
from duetto.media.text.script import parse_fountain, validate_fountain
from duetto.media.text.story import count_words
from duetto.settings import Settings
from duetto.studio import Studio, operations, queries

pytestmark = pytest.mark.model

if any(locate_installed_part(p) is None for p in get_spec(FAST_MODEL).parts):
    pytest.skip(f"{FAST_MODEL} is not installed: {get_spec(FAST_MODEL).pip_command()}", allow_module_level=True)

QIJUE = get_form("七言绝句")


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    s = Studio(Settings(home=tmp_path_factory.mktemp("cowrite") / "studio", user="ada"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def poems(studio: Studio) -> list[operations.VersionRecord]:
    req = operations.NewRequest(brief="秋日的黄昏，一片金色的落叶", media=["poem"], variants=2, seed=5,
                                params={"model": FAST_MODEL, "candidates": 1})
    return operations.new(studio, req).versions


def _text(studio: Studio, v: operations.VersionRecord) -> str:
    return studio.path_of(v).read_text(encoding="utf-8")


def _cowrite(studio: Studio, ref: str, edit: Edit, n: int = 1) -> list[operations.VersionRecord]:
    return operations.cowrite(studio, operations.CoWriteRequest(version=ref, edit=edit, variants=n, seed=7)).versions


def test_a_line_the_poet_writes_stays_and_the_rest_is_rewritten_to_fit(studio: Studio, poems) -> None:  # type: ignore[no-untyped-def]
    parent = poems[0]
    child = _cowrite(studio, parent.id, Edit(op="keep", line=2, text="一行白鹭上青天"))[0]
    text = _text(studio, child)
    lines = lines_of(text, QIJUE)
    assert lines[1] == "一行白鹭上青天"
    report = validate(text, QIJUE)
    assert report.ok, [i.message for i in report.issues]
    assert report.rhyme_group == "下平一先"  # the kept rhyme line decides the rhyme
    assert lines != lines_of(_text(studio, parent), QIJUE)
    credits = queries.credits(studio, parent.work_id)
    row = next(r for r in credits.versions if r.version == child.id)
    assert any(h.startswith("edit: wrote '一行白鹭上青天'") for h in row.human)
    assert operations.replay(studio, operations.VersionRequest(version=child.id)).identical


def test_alternatives_for_one_line_change_only_that_line(studio: Studio, poems) -> None:  # type: ignore[no-untyped-def]
    parent = poems[0]
    before = lines_of(_text(studio, parent), QIJUE)
    children = _cowrite(studio, parent.id, Edit(op="line", line=3), n=2)
    assert len(children) == 2
    for child in children:
        after = lines_of(_text(studio, child), QIJUE)
        assert [a for i, a in enumerate(after) if i != 2] == [b for i, b in enumerate(before) if i != 2]
        assert after[2] != before[2]  # an alternative, not the old line handed back
        assert validate(_text(studio, child), QIJUE).ok


def test_two_poems_blend_into_one_that_fits_the_form(studio: Studio, poems) -> None:  # type: ignore[no-untyped-def]
    a, b = poems
    child = operations.blend(studio, operations.BlendRequest(a=a.id, b=b.id, t=0.5)).versions[0]
    text = _text(studio, child)
    assert validate(text, QIJUE).ok, text
    assert child.info["edit"]["op"] == "blend" and child.parents == [a.id, b.id]
    kept = child.info["kept_lines"]
    assert len(kept) <= 2
    sources = lines_of(_text(studio, a), QIJUE), lines_of(_text(studio, b), QIJUE)
    for n in kept:
        assert lines_of(text, QIJUE)[n - 1] in (sources[0][n - 1], sources[1][n - 1])


def test_a_fixed_form_poem_cannot_be_continued(studio: Studio, poems) -> None:  # type: ignore[no-untyped-def]
    from duetto.errors import InvalidInput

    count = len(studio.repo.versions_of(poems[0].work_id))
    with pytest.raises(InvalidInput, match="fixed length"):
        _cowrite(studio, poems[0].id, Edit(op="continue"))
    assert len(studio.repo.versions_of(poems[0].work_id)) == count


def test_a_story_is_continued_and_summarised(studio: Studio) -> None:
    req = operations.NewRequest(brief="A lighthouse keeper finds a message in a bottle", media=["story"],
                                variants=1, seed=2, params={"model": FAST_MODEL, "words": 160})
    story = operations.new(studio, req).versions[0]
    before = _text(studio, story)
    longer = _cowrite(studio, story.id, Edit(op="continue", words=80))[0]
    after = _text(studio, longer)
    assert after.startswith(before.rstrip()) and count_words(after) > count_words(before) + 30
    assert operations.replay(studio, operations.VersionRequest(version=longer.id)).identical
    summary = _cowrite(studio, story.id, Edit(op="summarise", words=40))[0]
    assert 10 <= count_words(_text(studio, summary)) <= 80


def test_a_script_gains_a_new_character_in_a_new_valid_scene(studio: Studio) -> None:
    req = operations.NewRequest(brief="Two sisters plan to steal back their grandmother's piano", media=["script"],
                                variants=1, seed=3, params={"model": FAST_MODEL, "scenes": 1, "exchanges": 3})
    script = operations.new(studio, req).versions[0]
    child = _cowrite(studio, script.id, Edit(op="character", instruction="a night watchman"))[0]
    fountain = _text(studio, child)
    report = validate_fountain(fountain)
    assert report.ok, report.issues
    play = parse_fountain(fountain)
    assert len(play.of("heading")) == len(parse_fountain(_text(studio, script)).of("heading")) + 1
    name = child.info["character"]["name"].strip().upper()
    assert any(name.split()[0] in cue.upper() for cue in play.of("character")), (name, play.of("character"))


def test_music_for_a_classical_poem_is_pentatonic_and_shares_its_mood(studio: Studio, poems) -> None:  # type: ignore[no-untyped-def]
    from duetto.media.music.theory import PENTATONIC

    poem = poems[0]
    tune = operations.derive(studio, operations.DeriveRequest(version=poem.id, medium="music", seed=2,
                                                              params={"audio": "none", "score": False})).versions[0]
    assert tune.parents == [poem.id] and tune.ext == "mid"
    assert tune.spec.music is not None and tune.spec.music.mode in PENTATONIC
    assert (tune.spec.mood.valence, tune.spec.mood.arousal) == (poem.spec.mood.valence, poem.spec.mood.arousal)
    assert operations.replay(studio, operations.VersionRequest(version=tune.id)).identical


def test_a_poem_sung_to_its_own_tune(studio: Studio, poems) -> None:  # type: ignore[no-untyped-def]
    from duetto.media.music.midi import read_midi

    poem = poems[0]
    song = operations.derive(studio, operations.DeriveRequest(version=poem.id, medium="music", seed=3, sing=True,
                                                              params={"audio": "none"})).versions[0]
    tune = read_midi(studio.blobs.read(song.sha256, song.ext)).piece.track("melody")
    assert tune is not None
    words = "".join(w for _, w in sorted(tune.lyrics.items()))
    assert words == "".join(lines_of(studio.path_of(poem).read_text(encoding="utf-8"), QIJUE))
    assert len(tune.notes) == 28  # a 七言绝句: 4 lines of 7 characters, a note each
    assert operations.replay(studio, operations.VersionRequest(version=song.id)).identical
