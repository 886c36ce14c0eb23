"""How fast music is made, against the length of the music itself.

Target (issue 6): composing and rendering 30 s of a 3–4 track piece at least 30× faster than real
time on 2 cores. "Compose + render" is the plan, the notes, the MIDI and the WAV (what a person
hears); the full engine call adds MusicXML, the engraved score, the piano roll and the
measurements, and is reported separately.

    .venv/bin/python benchmarks/bench_music.py [--runs 3] [--quality 24]

``--quality N`` also composes N pieces (the four briefs, several seeds) and prints their measures
beside the corpus's: the "does it sound like music" check in numbers.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from duetto.media.music.audio import render_audio
from duetto.media.music.compose import compose
from duetto.media.music.engine import Composer, ComposerParams
from duetto.media.music.melody import MelodyModel
from duetto.media.music.midi import to_midi
from duetto.media.music.plan import resolve
from duetto.spec import CreativeSpec, Mood

BRIEFS = {
    "dance (4 tracks)": CreativeSpec(medium="music", brief="一段充满活力的乐曲，节奏明快，具有跳跃感和动感",
                                     mood=Mood(valence=0.6, arousal=0.8), energy=0.8),
    "ballad (4 tracks)": CreativeSpec(medium="music", brief="a tender piano ballad", mood=Mood(valence=0.3, arousal=0.4)),
    "waltz (3 tracks)": CreativeSpec(medium="music", brief="a joyful waltz", mood=Mood(valence=0.6, arousal=0.6)),
    "pentatonic (3 tracks)": CreativeSpec(medium="music", brief="一段中国风的乐曲，江南春色"),
}


def seconds_of(fn, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quality", type=int, default=24, help="pieces to measure against the corpus (0: skip)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    model = MelodyModel.load()
    print(f"melody model load: {1000 * (time.perf_counter() - t0):.1f} ms (shipped file)")
    engine = Composer()
    engine._model = model
    print(f"{'piece':24} {'music s':>8} {'compose':>8} {'midi':>7} {'wav':>7} {'c+r x RT':>9} {'engine':>7} {'eng x RT':>9}")
    ratios = []
    for label, spec in BRIEFS.items():
        music = resolve(spec, seed=1)
        t_compose, piece = seconds_of(lambda music=music: compose(music, 1, model), args.runs)
        t_midi, midi = seconds_of(lambda piece=piece: to_midi(piece), args.runs)  # type: ignore[arg-type]
        t_wav, rendered = seconds_of(lambda midi=midi: render_audio(midi), args.runs)  # type: ignore[arg-type]
        length = piece.seconds  # type: ignore[attr-defined]
        made = t_compose + t_midi + t_wav
        t_engine, _ = seconds_of(lambda spec=spec: engine.generate(spec, ComposerParams(), 1), args.runs)
        ratios.append(length / made)
        print(f"{label:24} {length:8.1f} {t_compose:8.3f} {t_midi:7.3f} {t_wav:7.3f} {length / made:9.1f} "
              f"{t_engine:7.2f} {length / t_engine:9.1f}")
        print(f"{'':24} renderer: {rendered.renderer}")  # type: ignore[attr-defined]
    print(f"compose + render, times faster than real time: median {statistics.median(ratios):.1f}, "
          f"worst {min(ratios):.1f} (target ≥ 30)")
    if args.quality:
        quality(model, args.quality)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {peak:.0f} MiB; FluidSynth (its own process, soundfont loaded) {child:.0f} MiB")


def quality(model: MelodyModel, n: int) -> None:
    from duetto.media.music.evaluate import evaluate, load_corpus_figures

    corpus = (load_corpus_figures() or {}).get("figures", {})
    reports = []
    for i in range(n):
        spec = list(BRIEFS.values())[i % len(BRIEFS)]
        reports.append(evaluate(compose(resolve(spec, seed=i), i, model)).model_dump())
    print(f"\nmeasures of {n} composed pieces against the corpus (mean; corpus 10-90 %):")
    for key in ("key_consistency", "in_scale", "pc_entropy", "rhythm_regularity", "repetition",
                "range_semitones", "chord_tone_ratio", "step_share", "leap_share", "notes_per_second"):
        values = [r[key] for r in reports if isinstance(r.get(key), int | float)]
        ref = corpus.get(key, {})
        band = f"{ref.get('mean', float('nan')):.2f} ({ref.get('p10', float('nan')):.2f}-{ref.get('p90', float('nan')):.2f})" if ref else "-"
        print(f"  {key:20} {statistics.mean(values):6.2f}   corpus {band}")


if __name__ == "__main__":
    main()
