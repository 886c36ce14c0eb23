"""Critique without a model: measured facts, explained, with suggestions `revise` can act on."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict

from duetto.brief import RuleParser, parse_brief, parse_feedback
from duetto.engine import Artefact, EngineRegistry
from duetto.errors import NotFound
from duetto.media.image.analyse import analyse, colour_share, nearest_colour
from duetto.media.image.painter import Painter
from duetto.media.text.analyse import poem_facts, prose_facts
from duetto.settings import Settings
from duetto.spec import CreativeSpec
from duetto.studio import Studio, operations
from duetto.studio.critique import critique
from duetto.studio.critique_rules import painting_notes

AUTUMN = "秋日的黄昏，一片金色的落叶"
# 杜牧《山行》: a regular 七绝 with 晚 (an echo of 黄昏), 霜叶 and no 秋 — and in every corpus.
SHANXING = "远上寒山石径斜，白云生处有人家。\n停车坐爱枫林晚，霜叶红于二月花。\n"


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Scribe:
    """A test-only poem engine: always the same draft, so the critique has known text."""

    name: ClassVar[str] = "scribe"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "poem"
    Params: ClassVar[type[BaseModel]] = _Params

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: object = None) -> Artefact:
        return Artefact(data=SHANXING.encode(), ext="txt", mime="text/plain; charset=utf-8",
                        resolved={"style": "七言绝句"})


def _painting(studio: Studio, brief: str = AUTUMN) -> operations.VersionRecord:
    req = operations.NewRequest(brief=brief, variants=1, seed=7, params={"width": 160, "height": 160})
    return operations.new(studio, req).versions[0]


def test_painting_critique_measures_the_pixels_and_offers_working_revisions(studio: Studio) -> None:
    v = _painting(studio)
    c = critique(studio, v.id, use_model=False)
    assert (c.medium, c.language, c.source) == ("painting", "zh", "rules")
    assert sum(col["share"] for col in c.facts["colours"]) == pytest.approx(1.0, abs=0.01)
    measured = analyse(studio.path_of(v))
    assert c.facts["warmth"] == measured.warmth and measured.warmth > 0.3  # a golden autumn reads warm
    assert "金色" in c.facts["asked_colours"]
    assert any(o.startswith("色彩") for o in c.observations) and any(o.startswith("构图") for o in c.observations)
    assert c.suggestions, "every painting gets at least one thing to try"
    for s in c.suggestions:
        if s.feedback:
            assert s.command == f"duetto revise {v.short} '{s.feedback}'"
            assert not parse_feedback(s.feedback, v.spec).is_empty()
    english = critique(studio, v.short, use_model=False, lang="en")
    assert english.language == "en" and english.observations[0].startswith("Palette:")
    assert "gold" in english.facts["asked_colours"]  # the asked 金色 named in the critique's language


def test_a_missing_asked_colour_becomes_a_more_colour_suggestion(tmp_path: Path) -> None:
    blue = np.ones((96, 96, 3)) * np.array([0.15, 0.35, 0.8])
    blue[30:60, 30:60] = (0.9, 0.9, 0.95)
    spec = parse_brief("金色的秋天")
    facts = analyse(blue)
    gold = spec.palette.colours[0]
    near = {gold.name: (colour_share(blue, gold.hex), *nearest_colour(facts.colours, gold.hex))}
    notes = painting_notes(facts, spec, near, {}, "zh")
    wanted = [s for s in notes.suggestions if s.feedback == "多一些金色"]
    assert wanted and "0%" in wanted[0].reason
    assert any("冷" in o for o in notes.observations)  # a blue canvas is called cool
    assert any(s.feedback == "更温暖一些" for s in notes.suggestions)  # the brief is warm, the canvas is not


def test_poem_critique_reads_form_imagery_and_tone(tmp_path: Path) -> None:
    registry = EngineRegistry([Painter(), Scribe()])
    studio = Studio(Settings(home=tmp_path / "s", user="ada"), registry=registry, parser=RuleParser())
    v = operations.new(studio, operations.NewRequest(brief=AUTUMN, media=["poem"], variants=1)).versions[0]
    c = critique(studio, v.id, use_model=False)
    assert (c.medium, c.language) == ("poem", "zh")
    assert c.facts["form"] == "七言绝句" and c.facts["form_ok"] is True
    found = {h["word"]: h for h in c.facts["brief_imagery"]}
    assert found["黄昏"]["found"] == "echo" and found["黄昏"]["chars"] == ["晚"]
    assert found["秋日"]["found"] == "absent"
    assert {"山", "霜"} <= set(c.facts["classical_imagery"])
    assert "秋日（未出现）" in " ".join(c.observations)
    first = c.suggestions[0]
    assert first.feedback == "加入秋日" and first.command == f"duetto write rewrite {v.short} '加入秋日'"
    if c.facts["copied"] is not None:  # the corpus is installed: the famous lines are found
        assert any("杜牧" in line for line in c.facts["copied"])
    operations.remove(studio, operations.VersionRequest(version=v.id))
    gone = critique(studio, v.id, use_model=False, lang="en")  # deleted versions can still be read
    assert gone.suggestions[0].command.startswith(f"duetto restore {v.short} && duetto write rewrite")
    assert gone.observations[0].startswith("Form: 七言绝句")
    with pytest.raises(NotFound):
        critique(studio, "0123456789abcdef", use_model=False)
    studio.close()


def test_poem_facts_flag_broken_form_repeats_and_modern_words() -> None:
    bad = poem_facts("白日依山尽，黄河入海流。\n欲穷千里目，更上一层高。\n", "五绝", [], None)
    assert bad.form_ok is False and any("第4句第5字" in m for m in bad.form_issues)
    assert bad.copied is None  # no corpus handed in: unchecked, not "clean"
    modern = poem_facts("我们的心情很快乐，春风吹过了小河。", None, ["春风"], None)
    assert modern.form is None
    assert {"的", "们", "心情", "快乐", "了"} <= set(modern.modern_words)
    assert modern.brief_imagery[0].found == "whole"
    twice = poem_facts("春风又绿江南岸，明月何时照我还。\n春水春山春意闹，一江春色一江风。", None, [], None)
    assert twice.repeated_chars[0].text == "春" and twice.repeated_chars[0].count == 5


def test_prose_facts_find_loops_dialogue_and_scenes() -> None:
    story = ("# T\n\n## 1. One\n\nShe opened the door. \"Who is there?\" she asked.\n\n## 2. Two\n\n"
             + "He had never read it before, and he could not understand it. " * 4 + "Then rain.\n")
    f = prose_facts(story, "story")
    assert (f.language, f.scenes) == ("en", 2)
    assert f.repeated_sentences[0].count == 4 and f.repetition_share == pytest.approx(3 / 8, abs=0.01)  # 8 sentences, 3 repeats
    assert f.repeated_ngrams[0].count >= 4 and "never read it before" in f.repeated_ngrams[0].text
    assert 0.05 < f.dialogue_share < 0.2
    zh = prose_facts("## 一\n\n林晓的影子逐渐散散，林晓的影子逐渐散散，林晓的影子逐渐散散。她走了。\n", "story")
    assert zh.language == "zh" and zh.repeated_sentences[0].count == 3
    script = "Title: T\n\nINT. 站台 - 夜\n\n雨下着。\n\n@林晓\n你来了。\n\n@周建国\n来了。\n"
    s = prose_facts(script, "script")
    assert s.scenes == 1 and s.characters == ["林晓", "周建国"] and s.dialogue_share > 0.5
