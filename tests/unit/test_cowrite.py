"""Co-writing without a model: the studio plumbing (recipes, replay, credits, human edits), the
passage splicing, the kept-line logic of classical poems and the screenplay scene appending."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from duetto.brief.rules import RuleParser
from duetto.engine import Artefact, CoWriter, Edit, EngineRegistry, Recipe
from duetto.errors import InvalidInput
from duetto.media.text.classical.forms import get_form
from duetto.media.text.classical.kept import (
    best_variant,
    check_kept,
    kept_rhyme_group,
    lines_of,
)
from duetto.media.text.classical.validate import validate
from duetto.media.text.cowrite import locate, splice, strip_wrapping, text_language
from duetto.media.text.poem import blend_lines
from duetto.media.text.script import (
    Scene,
    append_scene,
    outline_of,
    validate_fountain,
    write_fountain,
)
from duetto.settings import Settings
from duetto.spec import CreativeSpec
from duetto.studio import Studio, operations, queries
from duetto.studio.generate import make


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Scribe:
    """A test-only text engine whose edits are plain string functions of the parents' bytes and
    the seed, so that what the studio stores and replays can be checked exactly."""

    name: ClassVar[str] = "scribe"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "story"
    Params: ClassVar[type[BaseModel]] = NoParams

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: object = None) -> Artefact:
        return Artefact(data=f"Once, {spec.brief}.\n".encode(), ext="md", mime="text/markdown; charset=utf-8")

    def cowrite(self, parents: list[Artefact], edit: Edit, spec: CreativeSpec, params: BaseModel, seed: int,
                progress: object = None) -> Artefact:
        texts = [p.data.decode() for p in parents]
        if edit.op == "blend":
            body = f"{texts[0].strip()} | {texts[1].strip()} @{edit.weight}\n"
        else:
            body = f"{texts[0].rstrip()}\n{edit.op}:{edit.instruction or ''}:{seed % 97}\n"
        return Artefact(data=body.encode(), ext="md", mime="text/markdown; charset=utf-8", info={"edit": edit.op})


@pytest.fixture
def scribe_studio(tmp_path: Path) -> Studio:
    registry = EngineRegistry([Scribe()])
    return Studio(Settings(home=tmp_path / "s", user="ada"), registry=registry, parser=RuleParser())


def _story(studio: Studio) -> operations.VersionRecord:
    made = operations.new(studio, operations.NewRequest(brief="a lighthouse keeper", media=["story"], variants=2,
                                                        seed=3))
    return made.versions[0]


def test_cowrite_stores_a_replayable_child_with_its_edit_and_credits(scribe_studio: Studio) -> None:
    studio = scribe_studio
    story = _story(studio)
    assert isinstance(Scribe(), CoWriter)
    req = operations.CoWriteRequest(version=story.id, edit=Edit(op="continue", instruction="a storm comes"),
                                    variants=2, seed=10)
    result = operations.cowrite(studio, req)
    assert [v.operation for v in result.versions] == ["continue", "continue"]
    first = studio.path_of(result.versions[0]).read_text()
    assert first == "Once, a lighthouse keeper.\ncontinue:a storm comes:10\n"
    assert studio.path_of(result.versions[1]).read_text().endswith(":11\n")
    recipe = Recipe.model_validate(studio.repo.recipe(result.versions[0].id))
    assert recipe.edit == Edit(op="continue", instruction="a storm comes") and recipe.parents == [story.id]
    assert operations.replay(studio, operations.VersionRequest(version=result.versions[0].id)).identical
    credits = queries.credits(studio, story.work_id)
    row = next(r for r in credits.versions if r.version == result.versions[0].id)
    assert "feedback: a storm comes" in row.human and any("generation" in a for a in row.ai)


def test_an_edit_is_part_of_the_recipe_digest() -> None:
    spec = CreativeSpec(brief="x")
    plain = Recipe(engine="e", engine_version="1", spec=spec, seed=1, operation="new")
    edited = plain.model_copy(update={"edit": Edit(op="continue"), "parents": ["a"]})
    other_parent = edited.model_copy(update={"parents": ["b"]})
    assert len({plain.digest(), edited.digest(), other_parent.digest()}) == 3
    # an old recipe without an edit keeps the digest it always had (parents are not part of it)
    assert plain.digest() == plain.model_copy(update={"parents": ["z"]}).digest()


def test_replace_with_the_persons_words_is_a_human_version_without_a_recipe(scribe_studio: Studio) -> None:
    studio = scribe_studio
    story = _story(studio)
    edit = Edit(op="replace", target="lighthouse keeper", text="ferry pilot")
    result = operations.cowrite(studio, operations.CoWriteRequest(version=story.id, edit=edit))
    v = result.versions[0]
    assert v.author_kind == "human" and v.operation == "replace"
    assert studio.path_of(v).read_text() == "Once, a ferry pilot.\n"
    assert studio.repo.recipe(v.id) is None
    with pytest.raises(InvalidInput, match="not in this text"):
        operations.cowrite(studio, operations.CoWriteRequest(
            version=story.id, edit=Edit(op="replace", target="submarine", text="boat")))
    assert len(studio.repo.versions_of(story.work_id)) == 3  # two drafts and the edit, nothing else


def test_text_blend_passes_both_parents_bytes_and_the_weight(scribe_studio: Studio) -> None:
    studio = scribe_studio
    made = operations.new(studio, operations.NewRequest(brief="two ships", media=["story"], variants=2, seed=1))
    a, b = made.versions
    child = operations.blend(studio, operations.BlendRequest(a=a.id, b=b.id, t=0.25)).versions[0]
    assert studio.path_of(child).read_text() == "Once, two ships. | Once, two ships. @0.25\n"
    recipe = Recipe.model_validate(studio.repo.recipe(child.id))
    assert recipe.edit is not None and recipe.edit.op == "blend" and recipe.parents == [a.id, b.id]
    assert make(studio, studio.registry.get("scribe"), recipe).data == studio.path_of(child).read_bytes()


def test_cowrite_refuses_images_and_a_blend_of_one(tmp_path: Path) -> None:
    studio = Studio(Settings(home=tmp_path / "s", user="ada"))
    painting = operations.new(studio, operations.NewRequest(brief="blue sea", variants=1, seed=1,
                                                            params={"width": 64, "height": 64})).versions[0]
    with pytest.raises(InvalidInput, match="co-writing works on text"):
        operations.cowrite(studio, operations.CoWriteRequest(version=painting.id, edit=Edit(op="continue")))
    with pytest.raises(InvalidInput, match="two versions"):
        operations.cowrite(studio, operations.CoWriteRequest(version=painting.id, edit=Edit(op="blend")))


def test_edit_describes_itself_for_the_history() -> None:
    assert Edit(op="keep", lines=[1, 3], line=2, text="西风吹落满庭黄").describe() == "keep lines 1,3, line 2 as '西风吹落满庭黄'"
    assert Edit(op="translate", language="en").describe() == "translate to en"
    assert Edit(op="line", line=3, instruction="darker").describe() == "a new line 3, 'darker'"
    assert Edit(op="replace", target="old", text="new").describe() == "replace, 'old', with 'new'"


# -- passages ---------------------------------------------------------------------------------------


def test_splice_keeps_every_other_byte_and_refuses_ambiguous_passages() -> None:
    text = "The sea was grey.\n\nThe sea was loud. She left."
    assert splice(text, "She left.", "She stayed.") == "The sea was grey.\n\nThe sea was loud. She stayed."
    with pytest.raises(InvalidInput, match="occurs 2 times"):
        locate(text, "The sea was")
    with pytest.raises(InvalidInput, match="empty"):
        locate(text, "  ")


def test_strip_wrapping_and_language() -> None:
    assert strip_wrapping("Here is the rewritten passage:\n“Rain fell.”") == "Rain fell."
    assert strip_wrapping("```\nline\n```") == "line"
    assert text_language("秋风起兮白云飞") == "zh" and text_language("Autumn wind, white clouds fly") == "en"


# -- classical poems: kept lines ------------------------------------------------------------------

DUFU = "两个黄鹂鸣翠柳，一行白鹭上青天。\n窗含西岭千秋雪，门泊东吴万里船。\n"


def test_kept_lines_choose_the_variant_and_rhyme_group_they_fit() -> None:
    form = get_form("七绝")
    lines = lines_of(DUFU, form)
    assert lines[1] == "一行白鹭上青天"
    keep = check_kept(form, {2: "一行白鹭上青天"})
    variant = best_variant(form, keep)
    assert variant.name.startswith("仄起")  # line 2 alone cannot tell whether line 1 rhymes
    both = check_kept(form, {1: "两个黄鹂鸣翠柳", 2: "一行白鹭上青天"})
    assert best_variant(form, both).name == validate(DUFU, form).variant == "仄起首句不入韵"
    assert kept_rhyme_group(form, variant, keep) == "下平一先"
    # a line that is no rhyme line commits to no rhyme group
    assert kept_rhyme_group(form, variant, check_kept(form, {1: "两个黄鹂鸣翠柳"})) is None


def test_kept_lines_must_have_the_forms_shape() -> None:
    form = get_form("五绝")
    with pytest.raises(InvalidInput, match="has 5 characters"):
        check_kept(form, {1: "两个黄鹂鸣翠柳"})
    with pytest.raises(InvalidInput, match="no line 9"):
        check_kept(form, {9: "白日依山尽"})
    with pytest.raises(InvalidInput, match="does not have the shape"):
        lines_of("白日依山尽，黄河入海流。", form)


def test_blend_keeps_fitting_lines_from_both_parents_and_at_most_half() -> None:
    form = get_form("七绝")
    a = lines_of(DUFU, form)
    b = lines_of("朝辞白帝彩云间，千里江陵一日还。\n两岸猿声啼不住，轻舟已过万重山。\n", form)
    seen_b = False
    for seed in range(12):
        keep, variant = blend_lines(form, a, b, validate(DUFU, form).variant, None, 0.5, seed)
        assert len(keep) <= 2 and variant is not None
        for n, line in keep.items():
            assert line in (a[n - 1], b[n - 1])
            seen_b |= line == b[n - 1]
        rhymes = [keep[n][-1] for n in form.variant(variant).rhyme_lines if n in keep]
        assert len(rhymes) <= 1 or len(set(rhymes)) == len(rhymes)
    assert seen_b


# -- screenplays ------------------------------------------------------------------------------------


def test_a_scene_appended_to_a_script_keeps_it_valid_fountain() -> None:
    first = Scene("INT. KITCHEN - NIGHT").act("Rain on the window.").say("MARA", "You came back.")
    fountain = write_fountain("Rain", [first], notes="A return.")
    second = Scene("EXT. PIER - DAWN").act("Gulls.").say("TOM", "I never left.", "quietly")
    joined = append_scene(fountain, second, "en")
    report = validate_fountain(joined)
    assert report.ok, report.issues
    assert report.screenplay.of("heading") == ["INT. KITCHEN - NIGHT", "EXT. PIER - DAWN"]
    assert joined.rstrip().endswith("FADE OUT.") and "CUT TO:" in joined
    outline = outline_of(joined, {})
    assert [c.name for c in outline.characters] == ["MARA", "TOM"] and len(outline.scenes) == 2
    assert outline.scenes[1].place == "EXT"


# -- export formats --------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    return text.replace(" ", "").replace("\x00", "")  # CID fonts extract with NULs between glyphs


def test_text_works_convert_to_the_formats_that_keep_them_intact() -> None:
    from duetto.media.text.export import convert

    poem = "西风吹落满庭黄，\n山岭幽暗落日光。\n"
    md = convert(poem, "txt", "md", title="秋日").decode()
    assert md.splitlines()[0] == "# 秋日" and "西风吹落满庭黄，\n\n山岭幽暗落日光。" in md
    assert convert(poem, "txt", "pdf", title="秋日").startswith(b"%PDF")
    assert "西风吹落满庭黄" in _pdf_text(convert(poem, "txt", "pdf", title="秋日"))
    script = write_fountain("Rain", [Scene("INT. KITCHEN - NIGHT").say("MARA", "You came back.")])
    assert "You came back." in convert(script, "fountain", "md").decode()
    assert "Youcameback." in _pdf_text(convert(script, "fountain", "pdf"))
    with pytest.raises(InvalidInput, match="only scripts"):
        convert("# A story\n\nOnce.", "md", "fountain")
    with pytest.raises(InvalidInput, match="unknown export format"):
        convert(poem, "txt", "docx")


def test_export_writes_requested_renderings_and_refuses_them_for_images(scribe_studio: Studio, tmp_path: Path) -> None:
    studio = scribe_studio
    story = _story(studio)
    exported = operations.export(studio, operations.ExportRequest(version=story.id, formats=["pdf"]))
    files = operations.write_export(exported, tmp_path / "out")
    assert set(files) == {"md", "pdf", "recipe"}
    assert "lighthousekeeper" in _pdf_text(files["pdf"].read_bytes())
    painting_studio = Studio(Settings(home=tmp_path / "p", user="ada"))
    painting = operations.new(painting_studio, operations.NewRequest(
        brief="blue sea", variants=1, seed=1, params={"width": 64, "height": 64})).versions[0]
    with pytest.raises(InvalidInput, match="is an image: it has no"):
        operations.export(painting_studio, operations.ExportRequest(version=painting.id, formats=["pdf"]))
    assert not (tmp_path / "img").exists()


# -- across media ---------------------------------------------------------------------------------


def test_a_painting_made_from_a_text_carries_what_the_text_says(tmp_path: Path) -> None:
    import io

    from PIL import Image

    from duetto.media.image.painter import Painter

    studio = Studio(Settings(home=tmp_path / "s", user="ada"), registry=EngineRegistry([Painter(), Scribe()]),
                    parser=RuleParser())
    story = _story(studio)
    human = operations.cowrite(studio, operations.CoWriteRequest(
        version=story.id, edit=Edit(op="replace", target="a lighthouse keeper",
                                    text="a lighthouse keeper under a red moon, by the blue sea"))).versions[0]
    made = operations.derive(studio, operations.DeriveRequest(
        version=human.id, medium="painting", seed=4, params={"width": 96, "height": 96}))
    painting = made.versions[0]
    assert painting.parents == [human.id] and painting.operation == "derive" and painting.work_id == story.work_id
    assert painting.spec.medium == "painting" and painting.spec.style is not None  # the painter picked one
    named = {c.name for c in painting.spec.palette.colours}
    assert {"red", "blue"} <= named, named
    with Image.open(io.BytesIO(studio.path_of(painting).read_bytes())) as im:
        assert im.size == (96, 96)
    # and back: a story from the painting, whose colours became imagery
    back = operations.derive(studio, operations.DeriveRequest(version=painting.id, medium="story", seed=1))
    assert {"red", "blue"} <= set(back.versions[0].spec.keywords)
    with pytest.raises(InvalidInput, match="already a painting"):
        operations.derive(studio, operations.DeriveRequest(version=painting.id, medium="painting"))
    with pytest.raises(InvalidInput, match="unknown medium"):
        operations.derive(studio, operations.DeriveRequest(version=painting.id, medium="sculpture"))


# -- transformers: engines that read their sources' bytes -------------------------------------------


class Invert:
    """A test-only Transformer: the negative of its first source (spec and seed ignored)."""

    name: ClassVar[str] = "invert"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = NoParams

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: object = None) -> Artefact:
        raise InvalidInput("invert needs a picture to invert")

    def transform(self, parents: list[Artefact], spec: CreativeSpec, params: BaseModel, seed: int,
                  progress: object = None) -> Artefact:
        import io

        from PIL import Image, ImageOps

        with Image.open(io.BytesIO(parents[0].data)) as im:
            out = io.BytesIO()
            ImageOps.invert(im.convert("RGB")).save(out, format="PNG")
        return Artefact(data=out.getvalue(), ext="png", mime="image/png")


def test_a_variation_of_a_transformed_picture_transforms_the_same_source_again(tmp_path: Path) -> None:
    from duetto.engine import Transformer
    from duetto.media.image.painter import Painter
    from duetto.studio.generate import Job, run_jobs

    assert isinstance(Invert(), Transformer)
    studio = Studio(Settings(home=tmp_path / "s", user="ada"), registry=EngineRegistry([Painter(), Invert()]),
                    parser=RuleParser())
    source = operations.new(studio, operations.NewRequest(brief="blue sea", variants=1, seed=2,
                                                          params={"width": 64, "height": 64})).versions[0]
    invert = studio.registry.get("invert")
    negative = run_jobs(studio, source.work_id, invert, [Job(spec=source.spec, params={}, seed=1,
                                                             parents=[source.id], operation="restyle")])[0]
    child = operations.vary(studio, operations.VaryRequest(version=negative.id, variants=1, seed=5)).versions[0]
    recipe = Recipe.model_validate(studio.repo.recipe(child.id))
    assert child.parents == [negative.id] and recipe.inputs == [source.id]
    assert studio.path_of(child).read_bytes() == studio.path_of(negative).read_bytes()  # not inverted twice
    assert operations.replay(studio, operations.VersionRequest(version=child.id)).identical


def test_engine_progress_reaches_a_callback_that_listens_for_steps(scribe_studio: Studio) -> None:
    """``run_jobs`` hands each engine a progress function when the on_version callback has a
    ``step`` method (the CLI's bar), tagged with the job's index."""
    from duetto.studio.generate import Job, run_jobs

    class Stepper(Scribe):
        def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress=None) -> Artefact:  # type: ignore[no-untyped-def]
            for k in (1, 2):
                progress(k / 2, f"part {k}")
            return super().generate(spec, params, seed)

    heard: list[tuple[int, int, float, str]] = []
    stored: list[int] = []

    class Listener:
        def __call__(self, i: int, n: int, v: object) -> None:
            stored.append(i)

        def step(self, i: int, n: int, fraction: float, what: str) -> None:
            heard.append((i, n, fraction, what))

    studio = scribe_studio
    work = studio.repo.create_work(studio.project_id, studio.user_id, "steps", "story")
    jobs = [Job(spec=CreativeSpec(brief="x", medium="story"), params={}, seed=s, parents=[], operation="new")
            for s in (1, 2)]
    run_jobs(studio, work.id, Stepper(), jobs, Listener())
    assert heard == [(0, 2, 0.5, "part 1"), (0, 2, 1.0, "part 2"), (1, 2, 0.5, "part 1"), (1, 2, 1.0, "part 2")]
    assert stored == [0, 1]
