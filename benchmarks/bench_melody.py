"""The melody model: training time, load time, phrases per second, and how tune-like it writes.

    python benchmarks/bench_melody.py              # 200 phrases per setting
    python benchmarks/bench_melody.py --phrases 50 --show 3

Prints (1) the time to read and count a bounded corpus subset (about 200 tunes: 30 per
collection) and the full training figures recorded in the shipped file's summary, (2) the load
time of the shipped file, (3) ``write_phrase`` speed in phrases per second (4-bar phrases), and
(4) the interval histogram of the generated phrases (unison, step, third, fourth/fifth, wider)
next to the corpus's, plus how often a bar repeats an earlier bar's rhythm inside a 4-bar phrase.
With ``--show`` it prints a few phrases as note names, to be read with the eyes.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

import numpy as np

from duetto.media.music.corpus import read_corpus
from duetto.media.music.melody import DATA_FILE, MelodyModel, _key, write_phrase
from duetto.media.music.score import Note
from duetto.media.music.theory import NOTE_NAMES, Chord, diatonic_chord

BINS = ("unison", "step", "third", "4th-5th", "wider")
# (label, metre, bar beats, tonic, mode, chord degrees per bar, low, high)
SETTINGS = [
    ("C major 4/4", "4/4", 4.0, 0, "major", [0, 3, 4, 0], 57, 74),
    ("A minor 6/8", "6/8", 3.0, 9, "minor", [0, 3, 4, 0], 57, 76),
    ("D major 3/4", "3/4", 3.0, 2, "major", [0, 4, 1, 0], 60, 79),
    ("G zhi 2/4", "2/4", 2.0, 7, "zhi", [0, 1, 3, 0], 60, 79),
]


def chords_for(tonic: int, mode: str, degrees: list[int], bar_beats: float) -> list[Chord]:
    out = []
    for i, d in enumerate(degrees):
        root, quality = diatonic_chord(tonic, mode, d)
        out.append(Chord(root, quality, i * bar_beats, bar_beats))
    return out


def bin_of(steps: int) -> str:
    a = abs(steps)
    return BINS[min(a, 4) if a < 3 else 3 if a <= 4 else 4]


def histogram(counts: Counter[str]) -> str:
    total = sum(counts.values()) or 1
    return "  ".join(f"{b} {100 * counts[b] / total:5.1f}%" for b in BINS)


def corpus_histogram(model: MelodyModel, scale: str) -> Counter[str]:
    table = model.intervals[scale]
    per_interval = table.trigram.sum(axis=(0, 1))  # (V,)
    out: Counter[str] = Counter()
    for idx, n in enumerate(per_interval):
        out[bin_of(idx - table.span)] += int(n)
    return out


def note_names(notes: list[Note], bar_beats: float) -> str:
    bars: dict[int, list[str]] = {}
    for n in notes:
        name = f"{NOTE_NAMES[n.pitch % 12]}{n.pitch // 12 - 1}/{n.dur:g}"
        bars.setdefault(int(n.start // bar_beats + 1e-9), []).append(name)
    return " | ".join(" ".join(b) for _, b in sorted(bars.items()))


def repeated_bar_share(bar_onsets: list[tuple[float, ...]]) -> tuple[int, int]:
    """(bars repeating an earlier bar's rhythm within their 4-bar group, bars looked at)."""
    hits = total = 0
    for g in range(0, len(bar_onsets) - 3, 4):
        group = bar_onsets[g:g + 4]
        for i in range(1, 4):
            total += 1
            hits += group[i] in group[:i]
    return hits, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=200)
    parser.add_argument("--show", type=int, default=2, help="phrases to print per setting")
    args = parser.parse_args()

    # (1) training
    t0 = time.perf_counter()
    subset = read_corpus(limit=30)
    t1 = time.perf_counter()
    MelodyModel.train(subset.tunes)
    t2 = time.perf_counter()
    print(f"train on a subset of {len(subset.tunes)} tunes: read {t1 - t0:.2f} s, count {t2 - t1:.2f} s")

    # (2) loading the shipped file
    loads = []
    for _ in range(20):
        s = time.perf_counter()
        model = MelodyModel.load()
        loads.append(time.perf_counter() - s)
    full = model.summary
    used = {k: v["used"] for k, v in full.get("collections", {}).items()}
    print(f"shipped model {model.version}: {sum(used.values())} tunes {used}, tokens {full.get('tokens')}, "
          f"trained in {full.get('seconds')} s; file {DATA_FILE.stat().st_size / 1024:.1f} KiB, "
          f"load median {1000 * statistics.median(loads):.1f} ms")

    # (3) speed and (4) shape
    corpus_bars: list[tuple[float, ...]] = []
    for tune in subset.tunes:
        corpus_bars += [b.onsets for b in tune.bars if b.full]
    hits, total = repeated_bar_share(corpus_bars)
    print(f"corpus subset: {100 * hits / max(total, 1):.0f}% of bars repeat an earlier bar's rhythm "
          "in their 4-bar group")
    for scale in ("heptatonic", "pentatonic"):
        print(f"corpus {scale:<10}  {histogram(corpus_histogram(model, scale))}")
    for label, metre, bar_beats, tonic, mode, degrees, low, high in SETTINGS:
        chords = chords_for(tonic, mode, degrees, bar_beats)
        key = _key(model, tonic, mode)
        rng = np.random.default_rng(0)
        counts: Counter[str] = Counter()
        gen_bars: list[tuple[float, ...]] = []
        phrases = []
        s = time.perf_counter()
        for i in range(args.phrases):
            notes = write_phrase(model, chords, 0.0, len(degrees), bar_beats, metre, tonic, mode, rng,
                                 low=low, high=high, density=(i % 5) / 4, cadence=("tonic", "half")[i % 2])
            phrases.append(notes)
        seconds = time.perf_counter() - s
        for notes in phrases:
            for a, b in zip(notes, notes[1:], strict=False):
                counts[bin_of(int(key.step_of[b.pitch] - key.step_of[a.pitch]))] += 1
            gen_bars += [tuple(round(n.start - b * bar_beats, 6) for n in notes
                               if b * bar_beats <= n.start < (b + 1) * bar_beats) for b in range(len(degrees))]
        hits, total = repeated_bar_share(gen_bars)
        print(f"{label:<12} {args.phrases / seconds:6.0f} phrases/s  {histogram(counts)}  "
              f"repeated bar rhythms {100 * hits / max(total, 1):.0f}%")
        for notes in phrases[:args.show]:
            print("    " + note_names(notes, bar_beats))


if __name__ == "__main__":
    main()
