"""Seconds per figurative (``scene``) painting at 1024², against the abstract styles as baseline.

    python benchmarks/bench_motifs.py           # 5 runs per brief
    python benchmarks/bench_motifs.py --runs 2

Each motif brief is parsed once, then painted ``runs`` times with different seeds (palette,
painting, grain and PNG encoding included, as ``duetto new`` does it). The baseline is the
painter's own abstract styles on the default spec in the same process, so the ratio says what
figurative painting costs relative to what the painter already did. Target: ≤ 0.5 s at 1024².
"""

from __future__ import annotations

import argparse
import statistics
import time

from motif_briefs import OWN_BRIEFS, SEED_BRIEFS

from duetto.brief import parse_brief
from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.painter.styles import STYLES
from duetto.spec import CreativeSpec

SIZE = 1024


def seconds(spec: CreativeSpec, runs: int, style: str | None = None) -> list[float]:
    painter = Painter()
    params = PainterParams(width=SIZE, height=SIZE, style=style)
    out = []
    for seed in range(runs):
        t0 = time.perf_counter()
        painter.generate(spec, params, seed)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    Painter().generate(parse_brief(SEED_BRIEFS[0]), PainterParams(width=128, height=128), 0)  # warm
    base = [t for s in STYLES if s != "scene" for t in seconds(CreativeSpec(), args.runs, s)]
    base_med = statistics.median(base)
    print(f"baseline: abstract styles, default spec, {SIZE}²: median {base_med:.3f} s")
    print(f"{'brief':<46} {'median':>8} {'max':>7} {'ratio':>6}")
    every = []
    for brief in SEED_BRIEFS[:1] + OWN_BRIEFS:
        spec = parse_brief(brief)
        t = seconds(spec, args.runs)
        every += t
        med = statistics.median(t)
        print(f"{brief[:44]:<46} {med:>7.3f}s {max(t):>6.3f}s {med / base_med:>6.2f}")
    print(f"all motif briefs: median {statistics.median(every):.3f} s, max {max(every):.3f} s, "
          f"ratio to baseline {statistics.median(every) / base_med:.2f}")


if __name__ == "__main__":
    main()
