"""Train the melody model on music21's offline corpus and write the file duetto ships.

    .venv/bin/python scripts/train_melody.py                 # all collections → the shipped file
    .venv/bin/python scripts/train_melody.py --limit 50 --out /tmp/melody.json.gz

Reads the Bach chorales, the Essen folk songs (Chinese ones as pentatonic), the Nottingham
tunes, O'Neill's, Aird's and the miscFolk airs from the corpus inside the music21 wheel (nothing
is downloaded), counts intervals and bar rhythms, and prints what it used and skipped, the token
counts, the time taken and the file size. Same corpus, same counts: files and tunes are read in
sorted order and nothing is random (only the recorded seconds differ between runs).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import music21

from duetto.media.music.corpus import COLLECTIONS, read_corpus
from duetto.media.music.melody import DATA_FILE, MelodyModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    parser.add_argument("--limit", type=int, default=None, help="at most this many tunes per collection")
    parser.add_argument("--collections", nargs="+", default=list(COLLECTIONS), choices=COLLECTIONS)
    args = parser.parse_args()

    t0 = time.perf_counter()

    def progress(name: str) -> None:
        print(f"  reading {name} ({time.perf_counter() - t0:.1f} s)", flush=True)

    corpus = read_corpus(args.collections, limit=args.limit, progress=progress)
    t1 = time.perf_counter()
    collections = {name: {"used": corpus.used[name], "skipped": corpus.skipped[name],
                          "duplicates": corpus.duplicates[name]} for name in args.collections}
    model = MelodyModel.train(corpus.tunes, summary={"collections": collections, "music21": music21.__version__,
                                                     "limit": args.limit})
    t2 = time.perf_counter()
    model.summary["seconds"] = {"read": round(t1 - t0, 1), "count": round(t2 - t1, 1)}
    path = model.save(args.out)

    print(f"{'collection':<12} {'used':>6} {'skipped':>8} {'duplicates':>11}")
    for name, c in collections.items():
        print(f"{name:<12} {c['used']:>6} {c['skipped']:>8} {c['duplicates']:>11}")
    print(f"{'total':<12} {sum(corpus.used.values()):>6} {sum(corpus.skipped.values()):>8} "
          f"{sum(corpus.duplicates.values()):>11}")
    print("tunes by scale:", model.summary["tunes_by_scale"])
    print("interval tokens:", model.summary["tokens"])
    print("metres with bar rhythms:", ", ".join(f"{m} ({n} bars, {len(model.rhythms[m])} patterns, "
                                                 f"{len(model.cadences[m])} cadences)"
                                                 for m, n in model.summary["bars"].items()))
    print(f"seconds: read {t1 - t0:.1f}, count {t2 - t1:.1f}, total {t2 - t0:.1f}")
    print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
