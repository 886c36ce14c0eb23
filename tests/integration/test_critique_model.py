"""The model-written critique with the fast model (0.5B): constrained JSON, grounded, runnable.

One thread, as in the other model tests: llama.cpp's spinning workers crawl on a busy machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from duetto.brief import parse_feedback
from duetto.llm.models import FAST_MODEL, get_spec, locate_installed_part
from duetto.settings import Settings
from duetto.studio import Studio, operations
from duetto.studio.critique import critique

pytestmark = pytest.mark.model

if any(locate_installed_part(p) is None for p in get_spec(FAST_MODEL).parts):
    pytest.skip(f"{FAST_MODEL} is not installed: {get_spec(FAST_MODEL).pip_command()}", allow_module_level=True)


def test_model_critique_is_structured_in_the_works_language_and_its_commands_work(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    settings = Settings(home=tmp_path / "s", user="ada", llm_model=FAST_MODEL, threads=1)
    with Studio(settings) as studio:
        req = operations.NewRequest(brief="秋日的黄昏，一片金色的落叶", variants=1, seed=7,
                                    params={"width": 128, "height": 128, "style": "flow"})
        v = operations.new(studio, req).versions[0]
        rules = critique(studio, v.id, use_model=False)
        c = critique(studio, v.id, use_model=True)
    assert c.source == "model" and c.model and c.model.startswith(FAST_MODEL), c.notes
    assert c.language == "zh" and c.summary
    assert any("\u4e00" <= ch <= "\u9fff" for ch in c.summary)  # written in the work's language
    assert c.observations == rules.observations  # the measured facts are never the model's
    assert 1 <= len(c.suggestions) <= 4 and c.strengths
    allowed = {s.feedback for s in rules.suggestions if s.feedback}
    for s in c.suggestions:
        assert s.change and s.reason
        if s.feedback:  # only phrases the rules verified, and they really change the spec
            assert s.feedback in allowed and not parse_feedback(s.feedback, v.spec).is_empty()
            assert s.command == f"duetto revise {v.short} '{s.feedback}'"
