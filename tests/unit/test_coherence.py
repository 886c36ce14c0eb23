"""A story's checks after generation (repeats, unfinished sections, the brief's event) and the
cuts that mend them, on hand-written sections."""

from __future__ import annotations

from duetto.media.text.coherence import (
    check_sections,
    drop_repeats,
    event_words,
    trim_unfinished,
    uses,
)

BRIEF = "A lighthouse keeper finds a message in a bottle on the rocks"
SECTIONS = [
    "The fog came in at dusk. Ada climbed the stairs to the lamp.\n\nShe wiped the glass. The fog came in at dusk.",
    "On the rocks below, a bottle knocked against the stone. She waded out and",
    "Inside was a message. The fog came in at dusk.",
]


def test_repeated_sentences_are_found_anywhere_in_the_story() -> None:
    check = check_sections(SECTIONS, BRIEF)
    assert check.repeated == [(0, 3), (2, 1)]
    assert check.repetition_share == round(2 / check.sentences, 4)
    assert not check.ok


def test_a_section_that_stops_mid_sentence_is_unfinished() -> None:
    assert check_sections(SECTIONS, BRIEF).unfinished == [1]


def test_the_briefs_event_words_are_looked_for_by_stem() -> None:
    assert event_words(BRIEF) == ["lighthouse", "keeper", "finds", "message", "bottle", "rocks"]
    check = check_sections(SECTIONS, BRIEF)
    assert check.event_missing == ["lighthouse", "keeper", "finds"]
    assert not check.event_delivered  # three of six missing
    assert uses("She found the bottles.", "bottle") and uses("Finding it", "finds")
    assert not uses("He keeps the light", "keeper")


def test_chinese_event_phrases_count_by_their_two_character_pieces() -> None:
    words = event_words("春节前夜，一家人在厨房里包饺子时停电了")
    assert words == ["春节前夜", "厨房", "包饺子", "停电"]
    check = check_sections(["春节的前一晚，厨房里热气腾腾。", "妈妈在包饺子，灯突然灭了。"], "春节前夜，一家人在厨房里包饺子时停电了")
    assert check.event_missing == ["停电"] and check.event_delivered


def test_drop_repeats_keeps_the_first_time_and_the_paragraphs() -> None:
    check = check_sections(SECTIONS, BRIEF)
    fixed = drop_repeats(SECTIONS, check)
    assert fixed[0] == "The fog came in at dusk. Ada climbed the stairs to the lamp.\n\nShe wiped the glass."
    assert fixed[2] == "Inside was a message."
    assert check_sections(fixed, BRIEF).repeated == []


def test_trim_unfinished_cuts_back_to_the_last_full_stop() -> None:
    assert trim_unfinished(SECTIONS[1]) == "On the rocks below, a bottle knocked against the stone."
    assert trim_unfinished("First para.\n\nand then she") == "First para."
    assert trim_unfinished("no full stop at all") == "no full stop at all"  # nothing would remain
    assert trim_unfinished("她走了。海很灰，他") == "她走了。"
    assert trim_unfinished('"Go," he said. "Now.”') == '"Go," he said. "Now.”'


def test_the_critique_reads_the_same_checks() -> None:
    from duetto.media.text.analyse import prose_facts
    from duetto.media.text.fountain import Scene, write_fountain
    from duetto.studio.critique_rules import prose_notes

    story = "# T\n\n*logline*\n\n## 1. Dusk\n\n" + SECTIONS[0] + "\n\n## 2. Rocks\n\n" + SECTIONS[1] + "\n"
    facts = prose_facts(story, "story", BRIEF)
    assert facts.unfinished == [1] and facts.event_missing == ["lighthouse", "keeper", "finds", "message"]
    notes = prose_notes(facts, None, "en")
    assert any("stop mid-sentence" in o for o in notes.observations)
    assert any("never appear" in o for o in notes.observations)
    script = write_fountain("Blackout", [Scene("INT. KITCHEN - NIGHT").act("A streetlamp lights the room.")
                                         .say("Mara", "Pass the salt.", "(empty)")])
    issues = prose_facts(script, "script", "A family cooks dinner during a blackout").script_issues
    assert any("breaks the premise (dark)" in i for i in issues) and any("empty parenthetical" in i for i in issues)
