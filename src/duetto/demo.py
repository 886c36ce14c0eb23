"""The loop from the README, run end to end on the seed brief: what ``make run`` shows a newcomer.

The base seed 373 is one whose four drafts happen to use four different painter styles.

Seeds are fixed so two runs of the demo make the same pictures (in fresh studios).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from duetto.engine import Edit
from duetto.studio import Studio, music, operations, queries

SEED_BRIEF = "一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感"
POEM_BRIEF = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
MUSIC_BRIEF = "一段充满活力的乐曲，节奏明快，旋律优美，具有跳跃感和动感"


def run_demo(studio: Studio, say: Callable[[str], Any] | None = None) -> dict[str, Any]:
    say = say or (lambda _msg: None)
    path = lambda v: str(studio.path_of(v))  # noqa: E731
    steps: list[dict[str, Any]] = []

    def step(name: str, result: operations.Result) -> list[Any]:
        steps.append({"step": name, "versions": [v.id for v in result.versions],
                      "contact_sheet": str(result.contact_sheet) if result.contact_sheet else None})
        say(f"[bold]{name}[/]")
        for v in result.versions:
            say(f"  {v.short}  {v.operation:<7} {v.spec.style or '-':<10} {path(v)}")
        if result.contact_sheet:
            say(f"  contact sheet: {result.contact_sheet}")
        return result.versions

    drafts = step(f'duetto new "{SEED_BRIEF}" --variants 4',
                  operations.new(studio, operations.NewRequest(brief=SEED_BRIEF, variants=4, seed=373)))
    warmer = step(f'duetto revise {drafts[0].short} "更温暖一些，线条少一点"',
                  operations.revise(studio, operations.ReviseRequest(version=drafts[0].id,
                                                                     feedback="更温暖一些，线条少一点")))
    calmer = step(f'duetto revise {drafts[1].short} "calmer, more blue, bigger shapes"',
                  operations.revise(studio, operations.ReviseRequest(
                      version=drafts[1].id, feedback="calmer, more blue, bigger shapes")))
    step(f"duetto vary {warmer[0].short} --variants 3",
         operations.vary(studio, operations.VaryRequest(version=warmer[0].id, variants=3, seed=7)))
    step(f"duetto blend {warmer[0].short} {calmer[0].short}",
         operations.blend(studio, operations.BlendRequest(a=warmer[0].id, b=calmer[0].id)))
    bred = step(f"duetto breed {drafts[0].short} {drafts[2].short} {drafts[3].short}",
                operations.breed(studio, operations.BreedRequest(
                    parents=[drafts[0].id, drafts[2].id, drafts[3].id], variants=4, seed=11)))
    replayed = operations.replay(studio, operations.VersionRequest(version=bred[0].id))
    say(f"[bold]duetto replay {bred[0].short}[/]: identical bytes = {replayed.identical}")
    credit = queries.credits(studio, drafts[0].work_id)
    say(f"[bold]duetto credits {drafts[0].work_id[:10]}[/]: human acts {credit.human_operations}, "
        f"AI acts {credit.ai_operations}")
    pair = step(f'duetto new "{POEM_BRIEF}" --media painting,poem --param form=七言绝句',
                operations.new(studio, operations.NewRequest(
                    brief=POEM_BRIEF, media=["painting", "poem"], variants=1, seed=7,
                    params={"form": "七言绝句"})))
    poem = pair[-1]
    say(studio.path_of(poem).read_text(encoding="utf-8").strip())
    say(f"  form check: {'fits ' + poem.info['form'] if poem.info.get('valid') else poem.info.get('issues')}")
    mine = "西风吹落满庭黄"
    kept = step(f"duetto write keep {poem.short} --line 1 --text {mine}",
                operations.cowrite(studio, operations.CoWriteRequest(
                    version=poem.id, edit=Edit(op="keep", line=1, text=mine), seed=3)))[0]
    say(studio.path_of(kept).read_text(encoding="utf-8").strip())
    say(f"  your line kept, the rest rewritten to rhyme with it: "
        f"{'fits ' + kept.info['form'] if kept.info.get('valid') else kept.info.get('issues')}")
    tune = step(f'duetto new "{MUSIC_BRIEF}" --media music -n 1',
                operations.new(studio, operations.NewRequest(brief=MUSIC_BRIEF, media=["music"], variants=1,
                                                             seed=3)))[0]
    _say_music(say, studio, tune)
    happier = step(f'duetto revise {tune.short} "更欢快一些，加入二胡般的音色"',
                   operations.revise(studio, operations.ReviseRequest(version=tune.id,
                                                                      feedback="更欢快一些，加入二胡般的音色")))[0]
    _say_music(say, studio, happier)
    longer = step(f"duetto music continue {happier.short} --bars 4",
                  music.edit(studio, operations.CoWriteRequest(version=happier.id, edit=Edit(op="continue", bars=4),
                                                            seed=5)))[0]
    _say_music(say, studio, longer)
    say(f"\nstudio: {studio.home}   try: duetto tree {drafts[0].work_id[:10]} --home {studio.home}")
    every = studio.repo.versions_of(drafts[0].work_id)
    return {
        "work": drafts[0].work_id,
        "steps": steps,
        "versions": [dict(v.model_dump(mode="json"), path=path(v)) for v in every],
        "replay_identical": replayed.identical,
        "poem": {"work": poem.work_id, "version": poem.id, "text": studio.path_of(poem).read_text(encoding="utf-8"),
                 "valid": poem.info.get("valid")},
        "kept": {"version": kept.id, "text": studio.path_of(kept).read_text(encoding="utf-8"),
                 "valid": kept.info.get("valid")},
        "credits": {"human": credit.human_operations, "ai": credit.ai_operations},
        "music": {"work": tune.work_id, "versions": [tune.id, happier.id, longer.id],
                  "files": {k: str(p) for k, p in studio.files_of(longer).items()}},
    }


def _say_music(say: Callable[[str], Any], studio: Studio, v: Any) -> None:
    i = v.info
    files = studio.files_of(v)
    say(f"  {i['key']}, {i['tempo']:g} bpm, {i['metre']}, {i['bars']} bars ({i['seconds']:.0f} s): "
        + ", ".join(t["name"] for t in i["tracks"]))
    say(f"  listen: {files.get('wav', files.get('ogg', ''))}")
