"""Seconds for a 1024² region revise against a full revise of the same picture, same run.

    python benchmarks/bench_region.py            # 5 runs each
    python benchmarks/bench_region.py --runs 3

Both go through the studio operations in a temporary home (parse, paint, store), on the seed
autumn brief painted at 1024² with feedback "more red": the full revise repaints the picture,
the region revise repaints it too (the painter's full render of the revised spec) and then
composites the upper-left rectangle in with a feathered edge. The ratio is the cost of the
mask, the blend and reading the parent back.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from duetto.settings import Settings
from duetto.studio import Studio, operations
from duetto.studio.operations import ReviseRequest
from duetto.studio.region import region_revise

SIZE = 1024
BRIEF, FEEDBACK = "秋日的黄昏，一片金色的落叶", "more red"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        studio = Studio(Settings(home=Path(home), user="bench", project="bench"))
        parent = operations.new(studio, operations.NewRequest(
            brief=BRIEF, style="scene", variants=1, seed=7, params={"width": SIZE, "height": SIZE})).versions[0]
        full, region = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            operations.revise(studio, operations.ReviseRequest(version=parent.id, feedback=FEEDBACK))
            full.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            region_revise(studio, ReviseRequest(version=parent.id, feedback=FEEDBACK, rect=(0, 0, 0.5, 0.5)))
            region.append(time.perf_counter() - t0)
        studio.close()
    f, r = statistics.median(full), statistics.median(region)
    print(f"{SIZE}² revise, median of {args.runs}: full {f:.3f} s, region (rect, feather 0.02) {r:.3f} s, "
          f"ratio {r / f:.2f}")


if __name__ == "__main__":
    main()
