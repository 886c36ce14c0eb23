"""A work made in several media at once shares its figures: the paintings beside the poems show
what each poem names (the issue: every poem of 秋夜 spoke of the moon, no painting had one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from duetto.llm.models import FAST_MODEL, get_spec, locate_installed_part
from duetto.settings import Settings
from duetto.studio import Studio, operations

pytestmark = pytest.mark.model

if any(locate_installed_part(p) is None for p in get_spec(FAST_MODEL).parts):
    pytest.skip(f"{FAST_MODEL} is not installed: {get_spec(FAST_MODEL).pip_command()}", allow_module_level=True)


def test_each_painting_shows_what_its_poem_names(tmp_path: Path) -> None:
    studio = Studio(Settings(home=tmp_path / "studio", user="ada"))
    try:
        made = operations.new(studio, operations.NewRequest(
            brief="秋夜", media=["painting", "poem"], variants=2, seed=3,
            params={"model": FAST_MODEL, "candidates": 2, "width": 160, "height": 160, "svg": False}))
        assert [v.spec.medium for v in made.versions] == ["painting", "painting", "poem", "poem"]  # as asked
        paintings, poems = made.versions[:2], made.versions[2:]
        for painting, poem in zip(paintings, poems, strict=True):
            text = studio.blobs.read(poem.sha256, poem.ext).decode("utf-8")
            named = {m.kind for m in studio.parser.brief(text, medium="painting").motifs}
            shown = {m.kind for m in painting.spec.motifs}
            assert "sky" in shown  # 夜 is a night sky even when the poem came first
            assert named <= shown, (text, named, shown)
        assert any("moon" in {m.kind for m in p.spec.motifs} for p in paintings), [p.spec.motifs for p in paintings]
        replay = operations.replay(studio, operations.VersionRequest(version=paintings[0].id))
        assert replay.identical
    finally:
        studio.close()
