"""The act panels of poems, stories and music, in real headless Chromium over one server for the
module: a form check that marks the very character breaking a rule, co-writing (keep lines,
another line, rewrite, translate; continue, a new character), a critique suggestion applied as a
rewrite, and the music edits (continue, reharmonise, instrumentation in words, interpolation).

Texts are written by test-only engines whose edits are plain functions of the parent and the
edit, so what the page asked for can be read back exactly and each job takes milliseconds; the
music is the real composer's (a few seconds a piece)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from duetto.api.server import Server
from duetto.engine import Artefact, Edit
from duetto.spec import CreativeSpec
from duetto.store.records import VersionRecord
from duetto.studio import operations
from tests.web.conftest import (
    build_server,
    made,
    open_panel,
    open_version,
    shoot_detail,
)

pytestmark = pytest.mark.browser

# 杜牧《山行》with one character changed: 绿 (仄) for 红 (平) leaves 于 an isolated level tone (犯孤平).
POEM = "远上寒山石径斜，白云生处有人家。\n停车坐爱枫林晚，霜叶绿于二月花。\n"


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _lines(text: str) -> list[str]:
    return [x for x in text.replace("。", "，").replace("\n", "").split("，") if x]


class Scribe:
    """A test-only writer: the draft is fixed, and an edit's result says exactly what was asked."""

    version: ClassVar[str] = "0.1.0"
    Params: ClassVar[type[BaseModel]] = NoParams
    ext: ClassVar[str] = "txt"
    draft: ClassVar[str] = POEM

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: object = None) -> Artefact:
        return Artefact(data=self.draft.encode(), ext=self.ext, mime=f"text/{'markdown' if self.ext == 'md' else 'plain'}; charset=utf-8")

    def cowrite(self, parents: list[Artefact], edit: Edit, spec: CreativeSpec, params: BaseModel, seed: int,
                progress: object = None) -> Artefact:
        text = parents[0].data.decode()
        if edit.op in ("line", "keep"):  # a poem: new lines where the edit lets the writer write
            lines = _lines(text)
            keep = {edit.line} ^ set(range(1, len(lines) + 1)) if edit.op == "line" else set(edit.lines)
            lines = [ln if n in keep else "秋风吹落满山霞" for n, ln in enumerate(lines, start=1)]
            body = f"{lines[0]}，{lines[1]}。\n{lines[2]}，{lines[3]}。\n"
        else:
            body = f"{text.rstrip()}\n[{edit.op}: {edit.instruction or edit.language or edit.words}]\n"
        return Artefact(data=body.encode(), ext=self.ext, mime=self.generate(spec, params, seed).mime)


class ScribePoet(Scribe):
    name: ClassVar[str] = "scribe-poet"
    medium: ClassVar[str] = "poem"


class ScribeWriter(Scribe):
    name: ClassVar[str] = "scribe-writer"
    medium: ClassVar[str] = "story"
    ext: ClassVar[str] = "md"
    draft: ClassVar[str] = "The lighthouse keeper counted the ships.\n"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = build_server(tmp_path_factory.mktemp("words") / "studio")
    s.registry.register(ScribePoet())
    s.registry.register(ScribeWriter())
    yield s
    s.close()


@pytest.fixture
def page(acts_page: Any) -> Any:
    return acts_page


def seed(server: Server, brief: str, medium: str, engine: str | None = None, variants: int = 1) -> list[VersionRecord]:
    owner = server.accounts.user("painter")
    studio = server.studio_for(owner.name, owner.id, server.repo.ensure_project("art", owner.id))
    req = operations.NewRequest(brief=brief, media=[medium], engine=engine, variants=variants, seed=3)
    return operations.new(studio, req).versions


def text_of(server: Server, v: VersionRecord) -> str:
    return server.blobs.read(v.sha256, v.ext).decode()


def edit_of(server: Server, v: VersionRecord) -> dict[str, Any]:
    return {k: x for k, x in (server.repo.recipe(v.id) or {})["edit"].items() if x not in (None, [], 0.5)}


# -- poems ----------------------------------------------------------------------------------------


def test_form_check_marks_the_character_that_breaks_the_rule(page: Any, studio: Server) -> None:
    (poem,) = seed(studio, "一首七言绝句，写秋天的山路", "poem", "scribe-poet")
    assert poem.spec.style == "七言绝句"
    open_version(page, poem)
    _expect()(page.locator("#detail-media .poem-form")).to_have_text("七言绝句")  # the view names its form
    _expect()(page.locator(f'#grid .variant[data-version="{poem.id}"] .poem-form')).to_have_text("七言绝句")
    _expect()(page.locator("#check-box")).to_be_visible()
    _expect()(page.locator("#restyle-box")).to_be_hidden()  # a poem offers no picture acts
    open_panel(page, "check-box")
    page.click("#check-form button[type=submit]")
    mark = page.locator("#check-out mark.break")
    _expect()(mark).to_have_count(1)
    assert (mark.get_attribute("data-line"), mark.get_attribute("data-position"), mark.inner_text()) == ("4", "4", "于")
    assert mark.get_attribute("data-rule") == "gu_ping" and "孤平" in (mark.get_attribute("title") or "")
    _expect()(page.locator("#check-out .verdict")).to_have_class("verdict bad")
    _expect()(page.locator("#check-out .issues li")).to_contain_text("第4句第4字")
    assert page.locator("#check-out .line").count() == 4  # the poem as the checker counts its lines
    shoot_detail(page, "check")
    page.click("#lang")
    _expect()(page.locator("#check-out .issues li")).to_contain_text("Line 4, char 4:")
    assert "isolated" in page.locator("#check-out .issues li").inner_text()  # the message's English half
    page.click("#lang")
    page.fill("#check-form input[name=form]", "五言绝句")  # another form: every line is too long
    page.click("#check-form button[type=submit]")
    _expect()(page.locator("#check-out .line.flagged")).to_have_count(4)


def test_cowrite_keeps_ticked_lines_then_rewrites_one_line(page: Any, studio: Server) -> None:
    (poem,) = seed(studio, "一首七言绝句，写秋天的山路", "poem", "scribe-poet")
    open_version(page, poem)
    open_panel(page, "write-box")
    rows = page.locator("#write-lines li")
    _expect()(rows).to_have_count(4)
    _expect()(rows.nth(3).locator(".text")).to_have_text("霜叶绿于二月花")
    _expect()(page.locator('#write-box [data-edit="continue"]')).to_be_hidden()  # prose only
    page.click('#write-box [data-edit="keep"]')  # nothing ticked: told, nothing sent
    _expect()(page.locator("#flash-text")).to_have_text("先勾选要保留的句子")
    rows.nth(0).locator("input").check()
    rows.nth(2).locator("input").check()
    shoot_detail(page, "write-poem")
    page.click('#write-box [data-edit="keep"]')
    kept = made(page, studio, poem, "keep")
    assert edit_of(studio, kept) == {"op": "keep", "lines": [1, 3]}
    assert _lines(text_of(studio, kept)) == ["远上寒山石径斜", "秋风吹落满山霞", "停车坐爱枫林晚", "秋风吹落满山霞"]
    _expect()(page.locator("#detail-media .poem")).to_contain_text("秋风吹落满山霞")

    _expect()(rows.nth(1).locator(".text")).to_have_text("秋风吹落满山霞")  # the panel reads the new poem
    rows.nth(0).locator("button.again").click()
    again = made(page, studio, kept, "line")
    assert edit_of(studio, again) == {"op": "line", "line": 1}
    assert _lines(text_of(studio, again))[0] == "秋风吹落满山霞"

    page.fill("#write-instruction", "写得更含蓄")
    page.click('#write-box [data-edit="rewrite"]')
    rewritten = made(page, studio, again, "rewrite")
    assert edit_of(studio, rewritten) == {"op": "rewrite", "instruction": "写得更含蓄"}
    page.select_option("#write-language", "en")
    page.click('#write-box [data-edit="translate"]')
    translated = made(page, studio, rewritten, "translate")
    assert edit_of(studio, translated) == {"op": "translate", "language": "en"}
    _expect()(page.locator("#tree svg .node")).to_have_count(5)


def test_critique_of_a_poem_applies_a_suggestion_as_a_rewrite(page: Any, studio: Server) -> None:
    (poem,) = seed(studio, "一首七言绝句，写秋夜的月亮", "poem", "scribe-poet")
    open_version(page, poem)
    open_panel(page, "critique-box")
    page.click("#critique-go")
    apply = page.locator("#critique-out .suggestion button.apply")
    _expect()(apply.first).to_be_visible()
    feedback = apply.first.get_attribute("data-feedback")
    apply.first.click()
    child = made(page, studio, poem, "rewrite")
    assert edit_of(studio, child) == {"op": "rewrite", "instruction": feedback}


# -- prose ----------------------------------------------------------------------------------------


def test_cowrite_story_continues_and_brings_in_a_character(page: Any, studio: Server) -> None:
    (story,) = seed(studio, "a short story about a lighthouse keeper", "story", "scribe-writer")
    open_version(page, story)
    open_panel(page, "write-box")
    _expect()(page.locator("#write-lines")).to_be_hidden()  # poems only
    _expect()(page.locator("#check-box")).to_be_hidden()
    page.fill("#write-words", "60")
    page.click('#write-box [data-edit="continue"]')
    more = made(page, studio, story, "continue")
    assert edit_of(studio, more) == {"op": "continue", "words": 60}
    page.fill("#write-instruction", "a lost child who knows the tides")
    page.click('#write-box [data-edit="character"]')
    child = made(page, studio, more, "character")
    assert edit_of(studio, child) == {"op": "character", "instruction": "a lost child who knows the tides"}
    assert text_of(studio, child).endswith("[character: a lost child who knows the tides]\n")
    _expect()(page.locator("#detail-media .prose")).to_contain_text("a lost child who knows the tides")
    shoot_detail(page, "write-story")


# -- music ----------------------------------------------------------------------------------------


def _bars(v: VersionRecord) -> int:
    return int(v.info["bars"])


def test_music_continue_reharmonise_instrumentation_and_interpolation(page: Any, studio: Server) -> None:
    first, second = seed(studio, "一段平静的钢琴曲", "music", variants=2)
    open_version(page, first)
    _expect()(page.locator("#critique-box")).to_be_hidden()  # the critique has no reading of music
    open_panel(page, "music-box")
    page.fill("#music-bars", "4")
    page.click('#music-box [data-edit="continue"]')
    longer = made(page, studio, first, "continue")
    assert edit_of(studio, longer) == {"op": "continue", "bars": 4} and _bars(longer) == _bars(first) + 4

    page.eval_on_selector("#music-weight", "el => { el.value = '0.8'; el.dispatchEvent(new Event('input')); }")
    page.click('#music-box [data-edit="reharmonise"]')
    rehar = made(page, studio, longer, "reharmonise")
    assert edit_of(studio, rehar) == {"op": "reharmonise", "weight": 0.8}
    assert rehar.info["chords"] != longer.info["chords"]

    page.click('#music-box [data-feedback="instr.erhu"]')
    erhu = made(page, studio, rehar, "revise")
    assert any(t["program"] == 110 for t in erhu.info["tracks"])  # 二胡: General MIDI's fiddle
    assert "二胡" in json.dumps(erhu.spec.model_dump(), ensure_ascii=False)

    options = page.locator("#music-other option")
    _expect()(options).to_have_count(4)  # the other pieces of the work
    page.select_option("#music-other", second.id)
    shoot_detail(page, "music")
    page.click("#music-blend")
    blended = made(page, studio, erhu, "blend")
    assert sorted(blended.parents) == sorted([erhu.id, second.id])
    _expect()(page.locator("#detail-media audio")).to_have_count(1)
