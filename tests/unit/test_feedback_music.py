"""Music feedback must be heard: measured from the MIDI of a real revision, not from the spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from duetto.media.music import felt
from duetto.settings import Settings
from duetto.studio import Studio, operations
from duetto.studio.felt import Phrase, effect, load_phrases

QUIET = {"audio": "none", "score": False, "roll": False}


@pytest.fixture()
def studio(tmp_path: Path):
    s = Studio(Settings(home=tmp_path / "studio", user="test"))
    yield s
    s.close()


def _features(studio: Studio, version) -> dict[str, float]:
    return felt.features(studio.blobs.read(version.sha256, version.ext))


def test_phrases_cover_every_family_in_both_languages() -> None:
    phrases = load_phrases("music")
    assert len(phrases) >= 50
    for family in felt.FAMILIES:
        langs = {p.lang for p in phrases if p.family == family}
        assert langs == {"zh", "en"}, (family, langs)
    assert all(p.family in felt.FAMILIES for p in phrases)


@pytest.mark.parametrize("text, family", [("更欢快一些", "mood"), ("faster", "tempo"), ("轻一点", "loudness")])
def test_a_revision_moves_its_feature_and_nothing_else(studio: Studio, text: str, family: str) -> None:
    base = operations.new(studio, operations.NewRequest(
        brief="a gentle ballad for piano and strings", media=["music"], variants=1, seed=1, params=QUIET)).versions[0]
    child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback=text)).versions[0]
    before, after = _features(studio, base), _features(studio, child)
    phrase = Phrase(id="t", medium="music", lang="en", family=family, text=text,
                    direction="down" if family == "loudness" else "up")
    result = effect(phrase, felt, before, after)
    assert result.acted, result
    assert not result.spilled, result
