"""The engine interface: a new engine plugs in through the registry with no change to the core.

``Tint`` is a deliberately tiny engine defined here: it paints a flat colour from the spec's
warmth and, as a ``Reviser``, revises by tinting its parent's actual pixels.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from duetto.brief import RuleParser
from duetto.engine import Artefact, Engine, EngineRegistry, Recipe, Reviser
from duetto.errors import InvalidInput, NotFound
from duetto.media.image.painter import Painter
from duetto.settings import Settings
from duetto.spec import CreativeSpec
from duetto.studio import Studio, operations


class TintParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    width: int = Field(50, ge=1, le=512)
    height: int = Field(30, ge=1, le=512)


def _png(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr.astype(np.uint8)).save(buf, "PNG")
    return buf.getvalue()


class Tint:
    name: ClassVar[str] = "tint"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = TintParams

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: object = None) -> Artefact:
        assert isinstance(params, TintParams)
        w = spec.palette.warmth
        colour = np.array([128 + 100 * w, 128, 128 - 100 * w])
        arr = np.broadcast_to(colour, (params.height, params.width, 3))
        return Artefact(data=_png(arr), ext="png", mime="image/png")

    def revise(self, parent: Artefact, spec: CreativeSpec, params: BaseModel, seed: int,
               progress: object = None) -> Artefact:
        with Image.open(io.BytesIO(parent.data)) as im:
            arr = np.asarray(im.convert("RGB"), dtype=np.float32)
        arr[..., 0] = np.clip(arr[..., 0] + 40 * spec.palette.warmth, 0, 255)
        arr[..., 2] = np.clip(arr[..., 2] - 40 * spec.palette.warmth, 0, 255)
        return Artefact(data=_png(arr), ext="png", mime="image/png")


@pytest.fixture
def studio(tmp_path: Path) -> Studio:
    registry = EngineRegistry([Painter(), Tint()])
    return Studio(Settings(home=tmp_path / "s", user="ada"), registry=registry, parser=RuleParser())


def test_protocols_recognise_engines() -> None:
    assert isinstance(Tint(), Engine) and isinstance(Tint(), Reviser)
    assert isinstance(Painter(), Engine) and not isinstance(Painter(), Reviser)


def test_registry_discovers_the_painter_from_entry_points() -> None:
    registry = EngineRegistry.discover()
    assert "painter" in registry.names()
    assert registry.for_medium("painting").name == "painter"
    assert registry.for_medium("music").name == "composer"
    with pytest.raises(InvalidInput, match="no engine makes 'film'"):
        registry.for_medium("film")
    with pytest.raises(NotFound, match="no engine named"):
        registry.get("nope")


def test_registry_refuses_objects_that_are_not_engines() -> None:
    with pytest.raises(TypeError, match="not an Engine"):
        EngineRegistry().register(object())  # type: ignore[arg-type]


def test_a_new_engine_is_chosen_by_name_and_its_reviser_edits_the_parent(studio: Studio) -> None:
    base = operations.new(studio, operations.NewRequest(brief="calm", engine="tint", variants=1)).versions[0]
    assert base.author == "engine:tint@0.1.0"
    child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback="much warmer")).versions[0]
    with Image.open(studio.path_of(base)) as a, Image.open(studio.path_of(child)) as b:
        pa, pb = np.asarray(a.convert("RGB"), int), np.asarray(b.convert("RGB"), int)
    # the revision tinted the parent's pixels (same size, redder, bluer channel lower)
    assert pb.shape == pa.shape
    assert pb[..., 0].mean() > pa[..., 0].mean() and pb[..., 2].mean() < pa[..., 2].mean()
    recipe = Recipe.model_validate(studio.repo.recipe(child.id))
    assert recipe.operation == "revise" and recipe.parents == [base.id]
    assert operations.replay(studio, operations.VersionRequest(version=child.id)).identical


def test_engine_for_the_wrong_medium_is_refused(studio: Studio) -> None:
    with pytest.raises(InvalidInput, match="makes painting, not poem"):
        operations.new(studio, operations.NewRequest(brief="a poem", media=["poem"], engine="tint"))
    assert studio.repo.works() == []


class Echo:
    """A test-only text engine: the spec's subject as a line of text."""

    name: ClassVar[str] = "echo"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "poem"
    Params: ClassVar[type[BaseModel]] = TintParams

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: object = None) -> Artefact:
        return Artefact(data=f"{spec.subject} #{seed % 100}\n".encode(), ext="txt",
                        mime="text/plain; charset=utf-8")


def test_text_edits_are_imported_as_human_versions_and_bad_text_is_refused(tmp_path: Path) -> None:
    registry = EngineRegistry([Painter(), Echo()])
    studio = Studio(Settings(home=tmp_path / "s", user="ada"), registry=registry, parser=RuleParser())
    made = operations.new(studio, operations.NewRequest(brief="秋日的黄昏", media=["poem"], variants=1))
    poem = made.versions[0]
    assert poem.mime.startswith("text/") and made.contact_sheet is None
    edit = tmp_path / "mine.txt"
    edit.write_text("秋风起兮白云飞\n", encoding="utf-8")
    mine = operations.import_edit(studio, operations.ImportRequest(version=poem.id, file=edit)).versions[0]
    assert mine.author_kind == "human" and studio.path_of(mine).read_text(encoding="utf-8") == "秋风起兮白云飞\n"
    latin1 = tmp_path / "bad.txt"
    latin1.write_bytes("café".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        operations.import_edit(studio, operations.ImportRequest(version=poem.id, file=latin1))
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n")
    with pytest.raises(InvalidInput, match="empty"):
        operations.import_edit(studio, operations.ImportRequest(version=poem.id, file=blank))
    assert len(studio.repo.versions_of(poem.work_id)) == 2
