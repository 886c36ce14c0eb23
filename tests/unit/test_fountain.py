"""The Fountain writer, parser and validator, the story's length helpers, and the PDF export:
everything in the story and screenplay engines that needs no model."""

from __future__ import annotations

import io
from importlib.util import find_spec

import pytest

from duetto.media.text import export
from duetto.media.text.prose import (
    count_words,
    drop_unfinished,
    step_seed,
    trim_to_words,
)
from duetto.media.text.script import (
    Scene,
    cue,
    fountain_to_markdown,
    parse_fountain,
    validate_fountain,
    write_fountain,
)
from duetto.media.text.story import language_of, prose_of, tidy
from duetto.spec import CreativeSpec


def _scenes_en() -> list[Scene]:
    return [
        Scene("INT. LIGHTHOUSE - NIGHT")
        .act("Rain hammers the glass. MARA trims the wick.")
        .say("Mara", "You came back.", "without turning")
        .say("Tom", "The boat wouldn't start.")
        .act("INT. THIS LOOKS LIKE A HEADING but is action")
        .act("SHE DROPS THE LAMP.")
        .cut("CUT TO:"),
        Scene("EXT. HARBOUR - DAWN").say("Tom", "(Stay.)").act("Gulls."),
    ]


def test_written_fountain_parses_back_into_the_same_structure() -> None:
    text = write_fountain("The Keeper", _scenes_en(), notes="A keeper and a storm.")
    report = validate_fountain(text)
    assert report.ok, report.issues
    play = report.screenplay
    assert play.title == "The Keeper" and play.title_page["notes"] == "A keeper and a storm."
    assert play.of("heading") == ["INT. LIGHTHOUSE - NIGHT", "EXT. HARBOUR - DAWN"]
    assert play.of("character") == ["MARA", "TOM", "TOM"]
    assert play.of("parenthetical") == ["(without turning)"]
    assert play.of("dialogue")[:2] == ["You came back.", "The boat wouldn't start."]
    assert "INT. THIS LOOKS LIKE A HEADING but is action" in play.of("action")
    assert "SHE DROPS THE LAMP." in play.of("action")  # forced with !, not read as a cue
    assert play.of("transition") == ["CUT TO:", "FADE OUT."]
    assert "\nMARA\n(without turning)\nYou came back.\n" in text


def test_chinese_names_are_forced_cues_and_chinese_headings_parse() -> None:
    scenes = [Scene("INT. 老茶馆 - 夜").act("雨打窗棂。林晓擦着茶杯。").say("林晓", "你回来了。", "头也不回").cut("切至：")]
    text = write_fountain("雨夜", scenes, language="zh")
    report = validate_fountain(text)
    assert report.ok, report.issues
    assert "@林晓" in text.splitlines()
    assert report.screenplay.of("character") == ["林晓"]
    assert report.screenplay.of("heading") == ["INT. 老茶馆 - 夜"]
    assert report.screenplay.of("transition") == ["切至：", "淡出。"]
    assert cue("Mara Voss") == "MARA VOSS" and cue("Zoë") == "@Zoë"


def test_validator_finds_what_a_screenplay_app_would_reject() -> None:
    bad = "Title: X\n\nSome action.\n\nMARA\n\nMore action.\n"
    report = validate_fountain(bad)
    assert not report.ok
    assert any("no scene heading" in i for i in report.issues)
    report = validate_fountain("Just prose.\n")
    assert any("Title" in i for i in report.issues)


def test_parser_reads_hand_written_fountain() -> None:
    text = (
        "Title: Big Night\nAuthor: Someone\n\n"
        "EXT. BRICK'S PATIO - DAY\n\nA gorgeous day. [[a note]]\n\n"
        "STEEL (O.S.)\n(beat)\nBrick, hold on.\n\n/* cut this */\n"
        "SMASH CUT TO:\n\n.THE KITCHEN\n\n@McCLANE\nYippee.\n"
    )
    play = parse_fountain(text)
    assert play.title == "Big Night"
    assert play.of("heading") == ["EXT. BRICK'S PATIO - DAY", "THE KITCHEN"]
    assert play.of("character") == ["STEEL (O.S.)", "McCLANE"]
    assert play.of("transition") == ["SMASH CUT TO:"]
    assert play.of("action") == ["A gorgeous day."]


def test_markdown_reading_copy_has_headings_and_bold_cues() -> None:
    md = fountain_to_markdown(write_fountain("The Keeper", _scenes_en()))
    assert md.startswith("# The Keeper\n")
    assert "### INT. LIGHTHOUSE - NIGHT" in md and "**MARA**" in md and "*(without turning)*" in md


def test_words_count_latin_words_and_chinese_characters() -> None:
    assert count_words("The keeper's lamp burns low.") == 5
    assert count_words("灯塔守夜人。He waits.") == 7
    assert language_of(CreativeSpec(brief="秋夜的灯塔")) == "zh"
    assert language_of(CreativeSpec(brief="an autumn lighthouse")) == "en"
    assert language_of(CreativeSpec(brief="秋夜", language="en")) == "en"


def test_trimming_keeps_whole_sentences_within_the_limit() -> None:
    text = "One two three. Four five six.\n\nSeven eight nine. Ten."
    assert trim_to_words(text, 7) == "One two three. Four five six."
    assert trim_to_words(text, 2) == "One two three."  # never empty
    assert trim_to_words("甲乙丙。丁戊己。", 4) == "甲乙丙。"
    assert drop_unfinished("He ran. She laughed and") == "He ran."
    assert tidy("A keeper finds a bottle. As it drifts he realizes he:") == "A keeper finds a bottle."
    assert prose_of("# T\n\n*log line*\n\n## 1. A\n\nBody text.\n") == "Body text."


def test_step_seeds_are_stable_and_distinct() -> None:
    assert step_seed(7, 0) == step_seed(7, 0)
    assert len({step_seed(7, i) for i in range(20)} | {step_seed(8, 0)}) == 21
    assert all(0 <= step_seed(2**62, i) < 2**31 for i in range(5))


# -- PDF ---------------------------------------------------------------------------------------

fonts = pytest.mark.skipif(
    not (find_spec("fpdf") and find_spec("pypdf") and export.REGULAR.is_file()),
    reason="PDF export needs fpdf2 and fonts-noto-cjk; pypdf reads the PDFs back",
)


def _pdf_text(data: bytes) -> tuple[int, str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    # pypdf reads fpdf2's two-byte glyph ids back with NULs and spaces between glyphs
    return len(reader.pages), "".join(text.replace("\x00", "").split())


@fonts
def test_story_pdf_renders_title_and_chinese_text() -> None:
    md = "# 灯塔 Lighthouse\n\n*一个守夜人的故事。*\n\n## 一、雨夜\n\n" + "雨打在玻璃上，她把灯芯剪短。" * 40 + "\n"
    data = export.markdown_to_pdf(md)
    pages, text = _pdf_text(data)
    assert data.startswith(b"%PDF") and pages >= 1
    assert "灯塔Lighthouse" in text and "雨打在玻璃上" in text
    assert export.markdown_to_pdf(md) == data  # reproducible bytes


@fonts
def test_screenplay_pdf_has_a_title_page_and_indented_cues() -> None:
    scenes = _scenes_en() + [Scene(f"INT. ROOM {k} - DAY").act("A long pause. " * 30).say("Mara", "Again.")
                             for k in range(12)]
    data = export.fountain_to_pdf(write_fountain("The Keeper", scenes))
    pages, text = _pdf_text(data)
    assert pages >= 3  # title page + a script that runs over a page
    assert "THEKEEPER" in text and "INT.LIGHTHOUSE-NIGHT" in text and "Youcameback." in text
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    xs: dict[str, float] = {}

    def visit(t: str, cm: list[float], tm: list[float], *_: object) -> None:
        t = t.replace("\x00", "")
        if t.strip() in ("MARA", "You came back.", "INT. LIGHTHOUSE - NIGHT"):
            xs.setdefault(t.strip(), tm[4])

    reader.pages[1].extract_text(visitor_text=visit)
    assert xs["INT. LIGHTHOUSE - NIGHT"] == pytest.approx(1.5 * 72, abs=2)
    assert xs["MARA"] == pytest.approx(3.7 * 72, abs=2)
    assert xs["You came back."] == pytest.approx(2.5 * 72, abs=2)


@fonts
def test_chinese_screenplay_pdf_keeps_its_characters() -> None:
    scenes = [Scene("INT. 老茶馆 - 夜").act("雨打窗棂。").say("林晓", "你回来了。", "头也不回")]
    pages, text = _pdf_text(export.fountain_to_pdf(write_fountain("雨夜", scenes, language="zh")))
    assert pages == 2 and "雨夜" in text and "林晓" in text and "你回来了。" in text
