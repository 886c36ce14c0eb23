"""The co-creation operations in-process: outputs are decoded and measured, not just counted."""

from __future__ import annotations

import colorsys
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError

from duetto.errors import Conflict, InvalidInput, NotReplayable
from duetto.studio import Studio, operations, queries
from duetto.studio.operations import (
    BlendRequest,
    BreedRequest,
    ImportRequest,
    NewRequest,
    ReviseRequest,
    VaryRequest,
)

SEED_BRIEF = "一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感"
SMALL = {"width": 192, "height": 192}


def _new(studio: Studio, brief: str = SEED_BRIEF, n: int = 2, **kw: object) -> operations.Result:
    return operations.new(studio, NewRequest(brief=brief, variants=n, seed=42, params=SMALL, **kw))


def _pixels(studio: Studio, version: operations.VersionRecord) -> np.ndarray:
    with Image.open(studio.path_of(version)) as im:
        return np.asarray(im.convert("RGB"), dtype=np.float32) / 255.0


def _warmth(rgb: np.ndarray) -> float:
    """Mean of red minus blue over saturated pixels: > 0 reads warm."""
    flat = rgb.reshape(-1, 3)
    sat = flat.max(1) - flat.min(1)
    keep = flat[sat > 0.12] if (sat > 0.12).sum() > 100 else flat
    return float((keep[:, 0] - keep[:, 2]).mean())


def test_new_stores_variants_with_files_recipes_and_a_contact_sheet(studio: Studio) -> None:
    result = _new(studio, n=3)
    assert len(result.versions) == 3
    for v in result.versions:
        path = studio.path_of(v)
        assert path.is_absolute() and path.exists()
        with Image.open(path) as im:
            assert im.format == "PNG" and im.size == (192, 192)
        recipe = studio.repo.recipe(v.id)
        assert recipe is not None and recipe["engine"] == "painter" and recipe["operation"] == "new"
        assert v.author.startswith("engine:painter@") and v.author_kind == "ai"
        assert v.spec.style  # the engine's choice is recorded in the spec
    assert len({v.sha256 for v in result.versions}) == 3
    assert result.contact_sheet is not None
    with Image.open(result.contact_sheet) as sheet:
        assert sheet.width >= 3 * 192 and sheet.height > 192


def test_fixed_seed_makes_new_repeatable_across_studios(tmp_path: Path) -> None:
    hashes = []
    for name in ("one", "two"):
        with Studio.open(tmp_path / name, user="ada") as s:
            hashes.append([v.sha256 for v in _new(s).versions])
    assert hashes[0] == hashes[1]


def test_revise_warmer_shifts_colours_toward_warm_and_stores_the_delta(studio: Studio) -> None:
    base = _new(studio, "calm blue and green sea", n=1).versions[0]
    child = operations.revise(studio, ReviseRequest(version=base.id, feedback="much warmer, more orange")).versions[0]
    assert child.parents == [base.id]
    assert child.operation == "revise"
    assert child.delta is not None and child.delta.feedback == "much warmer, more orange"
    assert child.spec.grade.warmth > base.spec.grade.warmth  # the painter grades colour feedback
    assert child.spec.style == base.spec.style  # a revision keeps the composition's style
    assert _warmth(_pixels(studio, child)) > _warmth(_pixels(studio, base))
    fb = studio.repo.feedback_on(base.id)
    assert fb and fb[0]["text"] == "much warmer, more orange" and fb[0]["result"] == child.id


def test_revise_with_unrecognised_feedback_fails_and_stores_nothing(studio: Studio) -> None:
    base = _new(studio, n=1).versions[0]
    with pytest.raises(InvalidInput, match="could not find a change"):
        operations.revise(studio, ReviseRequest(version=base.id, feedback="qwzx plorf"))
    assert len(studio.repo.versions_of(base.work_id)) == 1


def test_vary_makes_siblings_with_new_seeds(studio: Studio) -> None:
    base = _new(studio, n=1).versions[0]
    kids = operations.vary(studio, VaryRequest(version=base.id, variants=3, seed=5)).versions
    assert [k.parents for k in kids] == [[base.id]] * 3
    seeds = {studio.repo.recipe(k.id)["seed"] for k in kids}
    assert len(seeds) == 3 and studio.repo.recipe(base.id)["seed"] not in seeds
    assert all(k.spec.style == base.spec.style for k in kids)


def test_blend_has_both_parents_and_interpolates_energy(studio: Studio) -> None:
    a, b = _new(studio, n=2).versions
    b2 = operations.revise(studio, ReviseRequest(version=b.id, feedback="much calmer")).versions[0]
    mid = operations.blend(studio, BlendRequest(a=a.id, b=b2.id, t=0.5)).versions[0]
    assert mid.parents == [a.id, b2.id]
    lo, hi = sorted((a.spec.energy, b2.spec.energy))
    assert lo <= mid.spec.energy <= hi


def test_blend_of_versions_from_different_works_is_refused(studio: Studio) -> None:
    a = _new(studio, n=1).versions[0]
    b = _new(studio, "quiet ink mountains", n=1).versions[0]
    with pytest.raises(InvalidInput, match="different works"):
        operations.blend(studio, BlendRequest(a=a.id, b=b.id))


def test_breed_children_have_every_parent(studio: Studio) -> None:
    parents = _new(studio, n=3).versions
    kids = operations.breed(studio, BreedRequest(parents=[p.id for p in parents], variants=2, seed=9))
    assert len(kids.versions) == 2
    assert all(k.parents == [p.id for p in parents] for k in kids.versions)
    assert kids.contact_sheet is not None and kids.contact_sheet.exists()


def test_import_records_a_human_edit_and_rejects_bad_files(studio: Studio, tmp_path: Path) -> None:
    base = _new(studio, n=1).versions[0]
    edit = tmp_path / "edit.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(edit)
    v = operations.import_edit(studio, ImportRequest(version=base.id, file=edit)).versions[0]
    assert v.author == "user:ada" and v.author_kind == "human" and v.operation == "import"
    assert studio.path_of(v).read_bytes() == edit.read_bytes()
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(InvalidInput, match="not an image"):
        operations.import_edit(studio, ImportRequest(version=base.id, file=text))
    truncated = tmp_path / "cut.png"
    buf = io.BytesIO()
    Image.effect_noise((256, 256), 60).convert("RGB").save(buf, "PNG")
    truncated.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(InvalidInput, match="truncated|damaged"):
        operations.import_edit(studio, ImportRequest(version=base.id, file=truncated))
    assert len(studio.repo.versions_of(base.work_id)) == 2


def test_revise_after_a_human_edit_works_on_its_pixels(studio: Studio, tmp_path: Path) -> None:
    base = _new(studio, n=1).versions[0]
    edit = tmp_path / "edit.png"
    Image.new("RGB", (64, 64), (90, 100, 120)).save(edit)
    human = operations.import_edit(studio, ImportRequest(version=base.id, file=edit)).versions[0]
    child = operations.revise(studio, ReviseRequest(version=human.id, feedback="warmer")).versions[0]
    assert child.parents == [human.id] and studio.repo.recipe(child.id)["engine"] == "retouch"
    with Image.open(studio.blobs.path(child.sha256, child.ext)) as im:
        assert im.size == (64, 64)  # the person's picture, not a repaint at the spec's size
        r, _, b = im.convert("RGB").getpixel((32, 32))
    assert r - b > 90 - 120 + 15  # warmer than the grey-blue the person gave


def test_replay_gives_identical_bytes_and_refuses_human_edits(studio: Studio, tmp_path: Path) -> None:
    base = _new(studio, n=1).versions[0]
    report = operations.replay(studio, operations.VersionRequest(version=base.id[:8]))
    assert report.identical and report.replayed_sha256 == base.sha256
    edit = tmp_path / "e.png"
    Image.new("RGB", (8, 8)).save(edit)
    human = operations.import_edit(studio, ImportRequest(version=base.id, file=edit)).versions[0]
    with pytest.raises(NotReplayable, match="no recipe"):
        operations.replay(studio, operations.VersionRequest(version=human.id))


def test_credits_separate_human_and_ai_acts(studio: Studio, tmp_path: Path) -> None:
    base = _new(studio, n=2).versions[0]
    operations.revise(studio, ReviseRequest(version=base.id, feedback="更温暖一些"))
    edit = tmp_path / "e.png"
    Image.new("RGB", (8, 8)).save(edit)
    operations.import_edit(studio, ImportRequest(version=base.id, file=edit))
    c = queries.credits(studio, base.work_id)
    assert c.human_operations == {"brief": 2, "feedback": 1, "edit": 1}
    assert c.ai_operations == {"generation": 3}
    assert c.people == ["user:ada"] and c.engines[0].startswith("engine:painter@")
    assert 0 < c.human_share < 1


def test_tree_and_diff_describe_the_dag(studio: Studio) -> None:
    a, b = _new(studio, n=2).versions
    child = operations.revise(studio, ReviseRequest(version=a.id, feedback="no red, more blue")).versions[0]
    t = queries.tree(studio, child.id)
    assert [v.id for v in t.versions] == [a.id, b.id, child.id]
    assert t.children()[a.id] == [child.id]
    assert queries.tree(studio, t.work) == t  # an already-resolved work gives the same tree
    d = queries.diff(studio, a.id, child.id)
    assert "ancestor" in d.relation
    assert "grade.tints" in d.spec and "grade.excluded" in d.spec  # colour feedback grades the picture


def test_rm_and_restore_are_soft(studio: Studio) -> None:
    v = _new(studio, n=1).versions[0]
    operations.remove(studio, operations.VersionRequest(version=v.id))
    assert studio.version(v.id).deleted and studio.path_of(v).exists()
    with pytest.raises(Conflict, match="deleted"):
        operations.revise(studio, ReviseRequest(version=v.id, feedback="warmer"))
    operations.restore(studio, operations.VersionRequest(version=v.id))
    assert not studio.version(v.id).deleted


def test_export_copies_files_and_recipe_and_will_not_overwrite(studio: Studio, tmp_path: Path) -> None:
    v = _new(studio, n=1).versions[0]
    files = operations.write_export(operations.export(studio, operations.ExportRequest(version=v.id)), tmp_path / "out")
    assert files["png"].read_bytes() == studio.path_of(v).read_bytes()
    assert '"seed"' in files["recipe"].read_text()
    with pytest.raises(Conflict, match="already exists"):
        operations.write_export(operations.export(studio, operations.ExportRequest(version=v.id)), tmp_path / "out")


def test_empty_brief_is_refused_and_nonsense_brief_uses_defaults(studio: Studio) -> None:
    with pytest.raises(ValidationError, match="empty"):  # refused with the request, before any work exists
        operations.new(studio, NewRequest(brief="   "))
    result = _new(studio, "xyzzy plugh", n=1)
    assert result.versions and result.notes
    assert any("xyzzy" in n or "default" in n for n in result.notes)


def test_unknown_medium_fails_before_anything_is_stored(studio: Studio) -> None:
    with pytest.raises(InvalidInput, match="unknown medium"):
        operations.new(studio, NewRequest(brief="a song", media=["opera"]))
    assert studio.repo.works() == []


def test_warmth_helper_reads_orange_as_warmer_than_blue() -> None:
    orange = np.array(colorsys.hls_to_rgb(30 / 360, 0.5, 0.9)).reshape(1, 1, 3).repeat(200, 0)
    blue = np.array(colorsys.hls_to_rgb(220 / 360, 0.5, 0.9)).reshape(1, 1, 3).repeat(200, 0)
    assert _warmth(orange) > _warmth(blue)
