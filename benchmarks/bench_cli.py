"""One CLI process: start-up and `duetto new <brief> --variants 4` on the painter, this tree
against a baseline commit measured in the same run.

Not a test: run it by hand after touching the CLI or what it imports, and paste the table.

    python benchmarks/bench_cli.py                    # baseline: the commit before the CLI split
    python benchmarks/bench_cli.py --baseline HEAD~3 --runs 7

The baseline is checked out with ``git worktree`` into a temporary folder and run by the same
Python with ``PYTHONPATH`` pointing at its ``src``, so both use the same installed packages.
Figures (medians of ``--runs`` fresh processes, wall clock):
- ``import``: ``python -c "import duetto.cli"``, what every command pays before it does anything;
- ``help``: ``duetto --help``;
- ``new ×4``: ``duetto new <seed brief> --variants 4 --seed 1 --json --media painting`` in an
  empty studio (a studio is made, the painter draws four 1024² drafts and a contact sheet).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
BEFORE_SPLIT = "9503349"  # the last commit with the one-file cli.py


def run(src: Path, args: list[str], home: Path | None = None) -> float:
    env = {**os.environ, "PYTHONPATH": str(src), "DUETTO_HOME": str(home or ROOT / ".bench-unused")}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0


def once(src: Path, figures: dict[str, list[float]]) -> None:
    figures["import"].append(run(src, ["-c", "import duetto.cli"]))
    figures["help"].append(run(src, ["-m", "duetto", "--help"]))
    with tempfile.TemporaryDirectory() as tmp:
        figures["new ×4"].append(run(src, ["-m", "duetto", "new", BRIEF, "--variants", "4", "--seed", "1",
                                           "--json", "--media", "painting"], Path(tmp) / "studio"))


def measure(sources: list[Path], runs: int) -> list[dict[str, float]]:
    """Interleaved (baseline, tree, baseline, tree …) so a busy machine slows both alike."""
    figures: list[dict[str, list[float]]] = [{"import": [], "help": [], "new ×4": []} for _ in sources]
    for _ in range(runs):
        for src, found in zip(sources, figures, strict=True):
            once(src, found)
    return [{k: statistics.median(v) for k, v in found.items()} for found in figures]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BEFORE_SPLIT, help="a commit to compare with")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="duetto-bench-cli-"))
    try:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tmp / "base"), args.baseline],
                       check=True, capture_output=True)
        base, here = measure([tmp / "base" / "src", ROOT / "src"], args.runs)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "base")], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"median of {args.runs} processes; baseline {args.baseline}")
    print(f"{'':10} {'baseline s':>11} {'this tree s':>12} {'ratio':>7}")
    for key in base:
        print(f"{key:10} {base[key]:11.3f} {here[key]:12.3f} {here[key] / base[key]:7.2f}")


if __name__ == "__main__":
    main()
