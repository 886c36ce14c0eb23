"""What one medium says reaches the picture beside it: a painting made from (or with) a poem
shows the figures the poem names, and keeps its own."""

from __future__ import annotations

from pathlib import Path

from duetto.settings import Settings
from duetto.studio import Studio, evolve


def _studio(tmp_path: Path) -> Studio:
    return Studio(Settings(home=tmp_path / "s", user="ada"))


def test_a_derived_painting_shows_the_poems_moon_and_river(tmp_path: Path) -> None:
    studio = _studio(tmp_path)
    try:
        poem_spec = studio.parser.brief("秋夜", medium="poem")
        assert poem_spec.motifs == []  # a poem's spec carries no figures of its own
        read = studio.parser.brief("月落乌啼霜满天，江枫渔火对愁眠。", medium="painting")
        painting = evolve.across(poem_spec, "painting", read)
        assert {m.kind for m in painting.motifs} >= {"sky", "moon", "water"}
    finally:
        studio.close()


def test_shared_motifs_add_what_is_missing_and_keep_the_pictures_own(tmp_path: Path) -> None:
    studio = _studio(tmp_path)
    try:
        dusk = studio.parser.brief("黄昏的湖", medium="painting")
        sky = next(m for m in dusk.motifs if m.kind == "sky")
        read = studio.parser.brief("明月照深夜，落叶满空山", medium="painting")
        shared = evolve.shared_motifs(dusk, read)
        kinds = [m.kind for m in shared.motifs]
        assert len(kinds) == len(set(kinds)) and "moon" in kinds and "leaves" in kinds
        assert next(m for m in shared.motifs if m.kind == "sky").variant == sky.variant  # its dusk stays
        assert any("shares the work" in n for n in shared.notes)
        assert evolve.shared_motifs(dusk, dusk) == dusk  # nothing new: the same spec
    finally:
        studio.close()
