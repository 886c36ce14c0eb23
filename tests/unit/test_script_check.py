"""The script editor's checks (premise facts, who is there, quotes, parentheticals, repeats) and
the cuts that mend them, on hand-written scenes and on Fountain read back."""

from __future__ import annotations

from duetto.media.text.fountain import Scene, parse_fountain, scenes_of, write_fountain
from duetto.media.text.script_check import (
    breaks,
    check_scenes,
    premise_facts,
    repair_scenes,
)

BLACKOUT = "A family cooks dinner in their kitchen during a blackout"
CAST = ["Mara", "Tom"]


def kitchen() -> list[Scene]:
    one = (Scene("INT. KITCHEN - NIGHT")
           .act("The kitchen is lit by a streetlamp through the window. Mara stirs the pot.")
           .say("Mara", "Pass the salt.", "(empty)")
           .act("Tom grabs his coat and walks out.")
           .say("Tom", "I will not be long.")
           .act('Mara calls after him, "Wait.'))
    two = (Scene("INT. HALL - NIGHT")
           .act("Tom lights a candle in the dark hall.")
           .say("Tom", "I will not be long.", "quietly"))
    return [one, two]


def kinds(issues) -> list[tuple[str, int, int | None]]:  # type: ignore[no-untyped-def]
    return [(i.kind, i.scene, i.item) for i in issues]


def test_a_brief_states_its_premise_facts() -> None:
    assert [f.name for f in premise_facts(BLACKOUT)] == ["dark"]
    assert [f.name for f in premise_facts("停电的夜晚，母女俩在厨房里摸黑做饭")] == ["dark", "night"]
    assert [f.name for f in premise_facts("Two brothers bury their father in pouring rain")] == ["rain"]
    assert premise_facts("Two sisters plan to steal back a piano") == []


def test_a_blackout_is_dark_candles_fine_and_a_negated_light_no_break() -> None:
    dark = premise_facts(BLACKOUT)[0]
    assert breaks(dark, "The kitchen is lit by a streetlamp. She smiles.") == ["The kitchen is lit by a streetlamp."]
    assert breaks(dark, "Tom turns on the TV.") and breaks(dark, "The ceiling light flickers on.")
    assert breaks(dark, "She lights a candle; shadows jump on the wall.") == []
    assert breaks(dark, "The lights do not come on.") == []
    assert breaks(premise_facts("停电了")[0], "路灯的光照进厨房。她笑了。") == ["路灯的光照进厨房。"]


def test_every_craft_fault_is_found_where_it_is() -> None:
    issues = check_scenes(kitchen(), premise_facts(BLACKOUT), CAST)
    assert kinds(issues) == [
        ("premise", 0, 0),              # the streetlamp
        ("empty_parenthetical", 0, 1),  # (empty)
        ("absent", 0, 2),               # Tom talks after walking out (the exit line is item 2)
        ("quotes", 0, 4),               # "Wait. never closed
        ("premise_missing", 0, None),   # nothing in scene 1 is dark
        ("repeated", 1, 1),             # Tom's line again, word for word
    ]


def test_a_character_who_comes_back_may_speak() -> None:
    scene = (Scene("INT. KITCHEN - NIGHT").act("Mara lights a candle. Tom walks out.")
             .act("Tom comes back with matches.").say("Tom", "Found them."))
    assert check_scenes([scene], premise_facts(BLACKOUT), CAST) == []


def test_repair_cuts_what_is_wrong_and_keeps_the_rest() -> None:
    facts = premise_facts(BLACKOUT)
    scenes = kitchen()
    fixed = repair_scenes(scenes, check_scenes(scenes, facts, CAST))
    assert fixed[0].body == [
        ("action", "Mara stirs the pot."),
        ("dialogue", "Mara", "", "Pass the salt."),
        ("dialogue", "Tom", "", "I will not be long."),  # his exit went, so he is still there
        ("action", "Mara calls after him, Wait."),
    ]
    assert fixed[1].body == [("action", "Tom lights a candle in the dark hall.")]
    left = check_scenes(fixed, facts, CAST)
    assert kinds(left) == [("premise_missing", 0, None)]  # left for the writer to rewrite
    assert scenes[0].body[0][1].startswith("The kitchen is lit")  # the input is not changed


def test_a_fountain_script_is_checked_the_same_way() -> None:
    text = write_fountain("Blackout", kitchen())
    back = scenes_of(parse_fountain(text))
    assert [s.heading for s in back] == ["INT. KITCHEN - NIGHT", "INT. HALL - NIGHT"]
    issues = check_scenes(back, premise_facts(BLACKOUT), CAST)
    assert {i.kind for i in issues} == {"premise", "empty_parenthetical", "absent", "quotes", "premise_missing",
                                        "repeated"}
