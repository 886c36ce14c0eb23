"""The figurative scene acts on "fewer/more lines" and "bigger/smaller shapes" where a viewer sees
it: the felt features (``duetto.media.image.felt``) of a real revise move by at least their jnd,
the colour shares stay, and the default picture is the one it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from duetto.media.image import felt
from duetto.settings import Settings
from duetto.studio import Studio, operations

SEED_BRIEF = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
HUES = ("blue", "red", "green", "yellow")


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Studio:
    s = Studio(Settings(home=Path(tmp_path_factory.mktemp("scene")) / "studio", user="t"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def base(studio: Studio):
    req = operations.NewRequest(variants=1, seed=1, brief=SEED_BRIEF, media=["painting"],
                                params={"width": 384, "height": 384, "svg": False})
    version = operations.new(studio, req).versions[0]
    assert version.info["style"] == "scene"
    return version, felt.features(studio.blobs.read(version.sha256, version.ext))


def _revised(studio: Studio, base, text: str) -> dict[str, float]:
    child = operations.revise(studio, operations.ReviseRequest(version=base[0].id, feedback=text)).versions[0]
    return felt.features(studio.blobs.read(child.sha256, child.ext))


def _colours_kept(before: dict[str, float], after: dict[str, float]) -> None:
    for name in (*HUES, "warmth", "lightness", "saturation"):
        assert abs(after[name] - before[name]) < felt.FEATURES[name].jnd, name


@pytest.mark.parametrize(("text", "sign", "steps"), [
    ("线条少一点", -1, 1), ("much fewer lines", -1, 2), ("更多线条", 1, 1), ("a lot more lines", 1, 2),
])
def test_scene_line_feedback_moves_edges_by_a_jnd(studio: Studio, base, text: str, sign: int, steps: int) -> None:
    before = base[1]
    after = _revised(studio, base, text)
    jnd = max(1.0, 0.1 * before["edges"])
    assert sign * (after["edges"] - before["edges"]) >= steps * jnd
    _colours_kept(before, after)


@pytest.mark.parametrize(("text", "sign"), [
    ("slightly bigger shapes", 1), ("形状更大", 1), ("形状小一点", -1), ("smaller shapes", -1),
])
def test_scene_shape_feedback_moves_size_by_a_jnd(studio: Studio, base, text: str, sign: int) -> None:
    before = base[1]
    after = _revised(studio, base, text)
    assert sign * (after["size"] - before["size"]) >= felt.FEATURES["size"].jnd
    _colours_kept(before, after)


@pytest.mark.parametrize("text", ["much fewer lines", "a lot more lines", "bigger shapes", "smaller shapes"])
def test_scene_structure_feedback_replays_identically(studio: Studio, base, text: str) -> None:
    """Marks that come and go draw from their own streams, which follow the seed: replay is exact."""
    child = operations.revise(studio, operations.ReviseRequest(version=base[0].id, feedback=text)).versions[0]
    assert child.sha256 != base[0].sha256
    assert operations.replay(studio, operations.VersionRequest(version=child.id)).identical


@pytest.mark.parametrize(("text", "sign"), [("much fewer lines", -1), ("more lines", 1)])
def test_sea_scene_line_feedback_thins_or_adds_wave_crests(studio: Studio, text: str, sign: int) -> None:
    req = operations.NewRequest(variants=1, seed=1, brief="海鸥飞过蓝色的海浪", media=["painting"],
                                params={"width": 384, "height": 384, "svg": False})
    version = operations.new(studio, req).versions[0]
    before = felt.features(studio.blobs.read(version.sha256, version.ext))
    after = _revised(studio, (version, before), text)
    assert sign * (after["edges"] - before["edges"]) >= max(1.0, 0.1 * before["edges"])
    _colours_kept(before, after)
