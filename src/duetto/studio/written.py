"""Revise and vary a text the person wrote (an import, their own words in a passage) from its words.

Before this, feedback on a human poem, story or script went to the nearest generated ancestor's
engine as a fresh draft from the inherited spec, and the person's words were gone. Now:

* a revise the engine can make on the lines themselves (a poem's tone, images or length, which
  the poet's ``revise`` edits in place) goes to that revise, with the person's text as parent;
* any other feedback is a ``rewrite`` of the person's text with the feedback as the
  instruction (the co-writer's own edit), so the next version starts from what they wrote;
* ``vary`` is a rewrite that keeps what the text says, its images and its form, in other words.

Every child is an AI version whose recipe reads the person's stored text (its parent), so
``replay`` makes the same bytes. Music needs nothing here: the composer's ``revise`` and ``vary``
already work on the notes of the parent they are given, the person's MIDI included.
"""

from __future__ import annotations

import time

from duetto.engine import CoWriter, Edit, Engine, Recipe, Reviser
from duetto.errors import InvalidInput
from duetto.media.text.prose import text_language
from duetto.spec import CreativeSpec, SpecDelta
from duetto.store.records import VersionRecord
from duetto.studio import kernel
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Result
from duetto.studio.studio import Studio

MAX_INSTRUCTION = 2000  # Edit.instruction's limit
VARY = {
    "zh": "换一种说法：保留原文的内容、意象和形式，只改措辞。",
    "en": "Vary the wording: keep what it says, its images and its form; change only how it is said.",
}


def from_words(studio: Studio, version: VersionRecord) -> bool:
    """Whether feedback on ``version`` must start from its words: a text the person wrote, or a
    rewrite made here from one (so a second "shorter" still starts from the person's lines)."""
    if not version.mime.startswith("text/"):
        return False
    if version.author_kind == "human":
        return True
    raw = studio.repo.recipe(version.id) or {}
    return raw.get("operation") in ("revise", "vary") and (raw.get("edit") or {}).get("op") == "rewrite"


def _in_place(engine: Engine, spec: CreativeSpec) -> bool:
    """Whether the engine's own revise edits the lines the feedback is about (and keeps the rest)."""
    text = getattr(spec, "text", None)
    return isinstance(engine, Reviser) and text is not None and bool(text.asks())


def _writer(engine: Engine, parent: VersionRecord) -> CoWriter:
    if not isinstance(engine, CoWriter):
        raise InvalidInput(f"engine {engine.name} cannot rewrite text, so it cannot revise {parent.short} from "
                           "your words", hint="duetto write rewrite <version> \"…\" with a text engine")
    return engine


def revise(studio: Studio, parent: VersionRecord, recipe: Recipe, feedback: str, delta: SpecDelta,
           spec: CreativeSpec, t0: float, t_parse: float, on_version: OnVersion | None = None) -> Result | None:
    """A rewrite of the person's text following the feedback; None when the engine's own
    in-place revise applies (the caller runs it on the person's text as usual)."""
    engine = studio.registry.get(recipe.engine)
    if _in_place(engine, spec):
        return None
    _writer(engine, parent)
    if len(feedback) > MAX_INSTRUCTION:
        raise InvalidInput(f"feedback on your text is limited to {MAX_INSTRUCTION} characters, this is {len(feedback)}")
    job = Job(spec=spec, params=recipe.params, seed=recipe.seed, parents=[parent.id], operation="revise",
              delta=delta, human=[("feedback", feedback)], feedback_on=parent.id,
              edit=Edit(op="rewrite", instruction=feedback))
    versions = run_jobs(studio, parent.work_id, engine, [job], on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  notes=[*delta.notes, "rewrote your text following the feedback (your words are the starting point)"],
                  timings={"parse_s": round(t_parse, 4), "total_s": round(time.perf_counter() - t0, 4)})


def vary(studio: Studio, parent: VersionRecord, variants: int, seed: int | None,
         on_version: OnVersion | None = None) -> Result:
    """Rewordings of the person's text that keep its content, images and form."""
    t0 = time.perf_counter()
    recipe = kernel.recipe_of(studio, parent)
    engine = studio.registry.get(recipe.engine)
    _writer(engine, parent)
    language = text_language(studio.blobs.read(parent.sha256, parent.ext).decode("utf-8"))
    edit = Edit(op="rewrite", instruction=VARY["zh" if language == "zh" else "en"])
    jobs = [Job(spec=parent.spec, params=recipe.params, seed=s, parents=[parent.id], operation="vary",
                human=[("selection", f"asked for {variants} variations")], edit=edit)
            for s in kernel.seeds(seed, variants)]
    versions = run_jobs(studio, parent.work_id, engine, jobs, on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  notes=["variations of your text's wording; what it says is kept"],
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


__all__ = ["from_words", "revise", "vary"]
