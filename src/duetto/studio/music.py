"""Music operations: edit a piece (continue, regenerate bars, reharmonise), start a work from a
person's own MIDI file, and read a MIDI upload safely.

``vary`` and ``blend`` (interpolate) of music go through the generic operations, which hand
them to the composer's own edits; this module holds what only music has.
"""

from __future__ import annotations

import time

from duetto.errors import InvalidInput
from duetto.spec import CreativeSpec
from duetto.studio import kernel
from duetto.studio.generate import Job, OnVersion, run_jobs
from duetto.studio.kernel import Result
from duetto.studio.operations import CoWriteRequest, NewRequest
from duetto.studio.studio import Studio

MUSIC_EDITS = ("continue", "regenerate", "reharmonise", "vary")


def edit(studio: Studio, req: CoWriteRequest, on_version: OnVersion | None = None) -> Result:
    """One child per variant, each made by the composer from the stored parent bytes (a human's
    imported MIDI included), so every one replays to identical bytes. The request is the same
    one text co-writing takes: a version, an ``Edit``, how many, seeds."""
    t0 = time.perf_counter()
    if req.edit.op not in MUSIC_EDITS:
        raise InvalidInput(f"{req.edit.op!r} is not a music edit", hint=f"music edits: {', '.join(MUSIC_EDITS)}")
    parent = kernel.live(studio, req.version)
    if parent.ext not in ("mid", "midi"):
        raise InvalidInput(f"version {parent.short} is a {parent.mime} file, not music",
                           hint="music edits work on music versions (duetto new … --media music)")
    recipe = kernel.recipe_of(studio, parent)
    engine = studio.registry.get(recipe.engine)
    jobs = [Job(spec=parent.spec, params=recipe.params, seed=s, parents=[parent.id], operation=req.edit.op,
                human=[("selection", f"asked to {req.edit.describe()}")], edit=req.edit)
            for s in kernel.seeds(req.seed, req.variants)]
    versions = run_jobs(studio, parent.work_id, engine, jobs, on_version)
    return Result(work=studio.repo.work(parent.work_id), versions=versions,
                  timings={"total_s": round(time.perf_counter() - t0, 4)})


def new_from_midi(studio: Studio, req: NewRequest, on_version: OnVersion | None = None) -> Result:
    """A work that starts from the person's own MIDI file: the first version is theirs (a human
    contribution with no recipe); the brief gives the spec that later edits and feedback read."""
    from duetto.media.music.engine import describe, plan_of
    from duetto.media.music.plan import resolve

    if not req.brief.strip():
        raise InvalidInput("the brief is empty", hint='e.g. duetto new "a calm waltz" --midi mine.mid')
    if req.midi is None:
        raise InvalidInput("a new work from a MIDI file needs the file", hint='duetto new "a calm waltz" --midi mine.mid')
    if req.media not in (None, ["auto"], ["music"]):
        raise InvalidInput("a MIDI file starts a music work", hint="leave out --media, or say --media music")
    t0 = time.perf_counter()
    data, reading = kernel.read_midi(req.midi)
    piece = reading.piece
    spec = studio.parser.brief(req.brief, medium="music")
    from duetto.engine import Artefact

    plan = plan_of(Artefact(data=b"", ext="mid", mime="audio/midi"), piece, resolve(spec))
    notes = [*spec.notes, *reading.notes, f"imported from {req.midi.name}"]
    spec = CreativeSpec.model_validate({**spec.model_dump(), "music": plan.model_dump(), "notes": notes})
    work = studio.repo.create_work(studio.project_id, studio.user_id, req.brief, "music")
    version = kernel.human_version(
        studio, work_id=work.id, parents=[], operation="import", spec=spec, data=data, ext="mid", mime="audio/midi",
        info={"source": req.midi.name, **describe(piece)}, detail=f"imported {req.midi.name}", brief=req.brief)
    return Result(work=work, versions=[version], notes=notes, timings={"total_s": round(time.perf_counter() - t0, 4)})
