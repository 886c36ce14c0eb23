"""The storyteller and the screenwriter with a real embedded model (the fast 0.5B), and their PDFs.

Small targets keep the file near two minutes on two cores: the engines' length control and
structure do not depend on the size of the model, only the quality of the prose does.
"""

from __future__ import annotations

import io
from importlib.util import find_spec

import pytest

from duetto.engine import Artefact
from duetto.llm.models import FAST_MODEL, get_spec, locate_installed_part
from duetto.media.text import export
from duetto.media.text.prose import count_words
from duetto.media.text.script import Screenwriter, ScriptParams, validate_fountain
from duetto.media.text.story import StoryParams, Storyteller, prose_of
from duetto.settings import Settings
from duetto.spec import CreativeSpec, Mood

pytestmark = pytest.mark.model

if any(locate_installed_part(p) is None for p in get_spec(FAST_MODEL).parts):
    pytest.skip(f"{FAST_MODEL} is not installed: {get_spec(FAST_MODEL).pip_command()}", allow_module_level=True)

LIGHTHOUSE = CreativeSpec(medium="story", brief="A lighthouse keeper finds a message in a bottle",
                          keywords=["fog", "lamp"], mood=Mood(named=["melancholic"]))
NOODLES = CreativeSpec(medium="script", brief="两个老朋友在即将拆迁的面馆里最后一次见面", language="zh")
# the English script is also the one checked for its premise (a blackout: dark in every scene)
BLACKOUT = CreativeSpec(medium="script", brief="A family cooks dinner in their kitchen during a blackout",
                        language="en")
SCRIPTS = {"en": BLACKOUT, "zh": NOODLES}
STORY = StoryParams(words=160, model=FAST_MODEL)  # three beats, as at 220 words: the fewest an outline has
SCRIPT = ScriptParams(scenes=2, exchanges=3, model=FAST_MODEL)


@pytest.fixture(scope="module")
def storyteller() -> Storyteller:
    return Storyteller(Settings())


@pytest.fixture(scope="module")
def screenwriter() -> Screenwriter:
    return Screenwriter(Settings())


@pytest.fixture(scope="module")
def story(storyteller: Storyteller):  # type: ignore[no-untyped-def]
    return storyteller.generate(LIGHTHOUSE, STORY, seed=1)


def test_story_length_is_within_a_quarter_of_the_target(story) -> None:  # type: ignore[no-untyped-def]
    words = count_words(prose_of(story.data.decode()))
    assert abs(words - STORY.words) <= 0.25 * STORY.words, story.data.decode()
    assert story.info["words"]["actual"] == words and story.info["words"]["within_tolerance"]


def test_story_is_markdown_with_title_logline_and_one_section_per_beat(story) -> None:  # type: ignore[no-untyped-def]
    md = story.data.decode()
    lines = md.splitlines()
    outline = story.info["outline"]
    assert story.ext == "md" and lines[0] == f"# {outline['title']}"
    assert lines[2].startswith("*") and lines[2].endswith("*")
    sections = [ln for ln in lines if ln.startswith("## ")]
    assert len(sections) == len(outline["beats"]) >= 3
    assert 2 <= len(outline["characters"]) <= 4 and all(c["description"] for c in outline["characters"])
    assert story.info["build"]["model_id"].startswith(FAST_MODEL)


def test_story_is_the_same_for_the_same_seed_and_another_for_another(storyteller: Storyteller,
                                                                      story) -> None:  # type: ignore[no-untyped-def]
    assert storyteller.generate(LIGHTHOUSE, STORY, seed=1).data == story.data
    other, _ = storyteller.outline(LIGHTHOUSE, STORY, seed=2)
    assert other.model_dump() != story.info["outline"]
    assert other.title != story.info["outline"]["title"]
    assert [b.summary for b in other.beats] != [b["summary"] for b in story.info["outline"]["beats"]]


@pytest.fixture(scope="module")
def scripts(screenwriter: Screenwriter):  # type: ignore[no-untyped-def]
    """Each language's script, written once for the module."""
    made: dict[str, Artefact] = {}

    def get(language: str) -> Artefact:
        if language not in made:
            made[language] = screenwriter.generate(SCRIPTS[language], SCRIPT, seed=4)
        return made[language]

    return get


@pytest.fixture(params=["en", "zh"])
def script(request: pytest.FixtureRequest, scripts):  # type: ignore[no-untyped-def]
    return request.param, scripts(request.param)


def test_script_is_valid_fountain_with_headings_cues_and_dialogue(script) -> None:  # type: ignore[no-untyped-def]
    language, artefact = script
    report = validate_fountain(artefact.data.decode())
    assert report.ok, report.issues
    play = report.screenplay
    assert artefact.ext == "fountain" and artefact.info["valid"]
    assert len(play.of("heading")) == SCRIPT.scenes
    assert all(h.startswith(("INT. ", "EXT. ")) for h in play.of("heading"))
    names = {c["name"].upper() if language == "en" else c["name"] for c in artefact.info["outline"]["characters"]}
    assert play.of("character") and set(play.of("character")) <= names
    assert len(play.of("dialogue")) >= SCRIPT.scenes  # repeated lines are dropped, so not always 3 a scene
    md = artefact.extras["md"].decode()
    assert md.startswith(f"# {play.title}") and "### INT." in md or "### EXT." in md
    if language == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(play.of("dialogue")))


# -- PDF ---------------------------------------------------------------------------------------

def _pdf(data: bytes) -> tuple[int, str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), "".join(text.replace("\x00", "").split())


@pytest.mark.skipif(
    not (find_spec("fpdf") and find_spec("pypdf") and export.REGULAR.is_file()),
    reason="PDF export needs fpdf2 and fonts-noto-cjk; pypdf reads the PDFs back",
)
def test_story_and_script_export_to_pdf_with_their_titles(story, script) -> None:  # type: ignore[no-untyped-def]
    pages, text = _pdf(export.markdown_to_pdf(story.data.decode()))
    assert pages >= 1 and "".join(story.info["outline"]["title"].split()) in text
    language, artefact = script
    title = validate_fountain(artefact.data.decode()).screenplay.title
    pages, text = _pdf(export.fountain_to_pdf(artefact.data.decode()))
    wanted = "".join((title.upper() if language == "en" else title).split())
    assert pages >= 2 and wanted in text  # title page + script


# -- coherence: the checks after generation and the guard during it -------------------------------

def test_story_ends_every_section_on_a_full_stop_and_says_no_sentence_twice(story) -> None:  # type: ignore[no-untyped-def]
    from duetto.media.text.coherence import check_sections
    from duetto.media.text.story import story_sections

    sections = story_sections(story.data.decode())
    check = check_sections(sections, LIGHTHOUSE.brief)
    assert check.repeated == [] and check.unfinished == [], story.data.decode()
    final = story.info["checks"]["final"]
    assert final["repeated"] == 0 and final["unfinished_sections"] == []
    assert 1 <= story.info["event_beat"] <= len(sections)


def test_blackout_script_is_checked_and_repaired_for_its_premise(scripts) -> None:  # type: ignore[no-untyped-def]
    from duetto.media.text.fountain import parse_fountain, scenes_of
    from duetto.media.text.script_check import check_scenes, premise_facts

    artefact = scripts("en")
    assert artefact.info["premise"] == ["dark"]
    scenes = scenes_of(parse_fountain(artefact.data.decode()))
    cast = [c["name"] for c in artefact.info["outline"]["characters"]]
    left = check_scenes(scenes, premise_facts(BLACKOUT.brief), cast)
    assert [i for i in left if i.kind != "premise_missing"] == [], artefact.data.decode()
    assert artefact.info["checks"]["final"] == [i.message for i in left]


def test_the_guard_stops_a_sentence_of_the_work_being_written_again(storyteller: Storyteller) -> None:
    from duetto.llm.base import CompletionRequest

    said = "The fog rolled in from the sea. Ada climbed the stairs to the lamp."
    ask = f"Repeat these two sentences exactly, then go on with the story: {said}"
    plain = CompletionRequest.chat(ask, max_tokens=60, temperature=0.2, seed=3)
    guarded = plain.model_copy(update={"avoid": [said], "block_sentences": True, "no_repeat_ngram": 8,
                                       "wrap_up_after": 30})
    provider = storyteller.provider(FAST_MODEL)
    assert "climbed the stairs to the lamp." in provider.complete(plain).text  # what it does unguarded
    first = provider.complete(guarded)
    assert "climbed the stairs to the lamp." not in first.text and "rolled in from the sea." not in first.text
    assert first.finish_reason == "stop" and first.text.rstrip()[-1:] in '.!?"”'
    assert provider.complete(guarded).text == first.text  # same seed, same text
