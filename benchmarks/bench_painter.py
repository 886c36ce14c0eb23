"""Seconds per painting for every painter style at 1024² and 2048², plus peak memory.

Not a test: run it by hand after touching a style and paste the table into the PR.

    python benchmarks/bench_painter.py            # 7 runs at 1024, 3 at 2048
    python benchmarks/bench_painter.py --quick    # 3 and 1

Timings are wall-clock per ``generate`` call (palette, painting, PNG and SVG encoding included),
each run with a different seed. Peak memory is tracemalloc's peak for one 2048² run of the
style (numpy and Pillow buffers are traced), plus the process's max RSS at the end.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc

from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.painter.styles import STYLES
from duetto.spec import CreativeSpec


def timings(style: str, size: int, runs: int) -> list[float]:
    painter, spec = Painter(), CreativeSpec()
    params = PainterParams(width=size, height=size, style=style)
    painter.generate(spec, PainterParams(width=128, height=128, style=style), 0)  # warm imports
    out = []
    for seed in range(runs):
        t0 = time.perf_counter()
        painter.generate(spec, params, seed)
        out.append(time.perf_counter() - t0)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def peak_mib(style: str, size: int) -> float:
    tracemalloc.start()
    Painter().generate(CreativeSpec(), PainterParams(width=size, height=size, style=style), 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--styles", nargs="*", default=list(STYLES))
    args = parser.parse_args()
    runs = {1024: 3, 2048: 1} if args.quick else {1024: 7, 2048: 3}
    print(f"{'style':<11} {'1024 med':>9} {'1024 p95':>9} {'2048 med':>9} {'2048 p95':>9} {'peak MiB':>9}")
    for style in args.styles:
        row = []
        for size, n in runs.items():
            t = timings(style, size, n)
            row += [statistics.median(t), p95(t)]
        mem = peak_mib(style, 2048)
        print(f"{style:<11} " + " ".join(f"{v:>8.3f}s" for v in row) + f" {mem:>9.0f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
