"""Revision loop speed: ``revise`` end to end (parse feedback → generate → store), target p95 ≤ 0.5 s.

In-process (what the API and web studio pay) at the default 1024² size, for each painter style,
plus a few whole CLI invocations (which add interpreter start-up and imports) for context.
Run: python benchmarks/bench_revise.py [rounds]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from duetto.media.image.painter.styles import STYLES
from duetto.settings import Settings
from duetto.studio import Studio, operations

FEEDBACK = ["更温暖一些，线条少一点", "calmer, more blue, bigger shapes", "slightly more energetic",
            "不要红色", "much denser", "cooler and darker"]
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 12


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    print(f"revise end to end, in-process, 1024x1024, {ROUNDS} rounds per style")
    print(f"{'style':<12} {'median s':>9} {'p95 s':>7}")
    overall: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Settings(home=Path(tmp) / "studio", user="bench"))
        styles = list(STYLES)
        for style in styles:
            base = operations.new(studio, operations.NewRequest(
                brief="an abstract painting", style=style, variants=1, seed=1)).versions[0]
            times = []
            for i in range(ROUNDS):
                t0 = time.perf_counter()
                base = operations.revise(studio, operations.ReviseRequest(
                    version=base.id, feedback=FEEDBACK[i % len(FEEDBACK)])).versions[0]
                times.append(time.perf_counter() - t0)
            overall += times
            print(f"{style:<12} {statistics.median(times):>9.3f} {pct(times, 0.95):>7.3f}")
        print(f"{'all':<12} {statistics.median(overall):>9.3f} {pct(overall, 0.95):>7.3f}")
        studio.close()

        home = str(Path(tmp) / "cli")
        env = {**os.environ, "DUETTO_HOME": home}
        run = lambda *a: subprocess.run([sys.executable, "-m", "duetto", *a, "--json"],  # noqa: E731
                                        capture_output=True, text=True, env=env, check=True)
        import json

        vid = json.loads(run("new", "an abstract painting", "--variants", "1").stdout)["versions"][0]["id"]
        cli = []
        for i in range(5):
            t0 = time.perf_counter()
            vid = json.loads(run("revise", vid, FEEDBACK[i]).stdout)["versions"][0]["id"]
            cli.append(time.perf_counter() - t0)
        print(f"whole CLI process (start-up + imports + revise): median {statistics.median(cli):.3f} s, "
              f"max {max(cli):.3f} s over 5")


if __name__ == "__main__":
    main()
