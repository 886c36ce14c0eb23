"""Lineage query speed on a synthetic work with 100,000 versions (target ≤ 10 ms).

Two shapes of history, because the answer size is what costs:
- "bushy": each version revises a random earlier one (a random recursive tree, depth ~ ln n);
- "chains": each version revises one of the 200 most recent (long revision chains, depth ~ 1,000).
5 % of versions are blends with a second parent. Prints median / p95 ms for ancestors and
descendants of 200 random versions, with the mean answer size. Run: python benchmarks/bench_lineage.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from duetto.spec import CreativeSpec
from duetto.store import Repository
from duetto.store.models import Version, VersionParent

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def build(repo: Repository, window: int | None, rng: np.random.Generator) -> list[str]:
    uid = repo.ensure_user("bench")
    work = repo.create_work(repo.ensure_project("bench", uid), uid, "bench", "painting").id
    ids = [f"{i:032x}" for i in range(N)]
    spec = CreativeSpec().model_dump(mode="json")
    stamp = datetime(2026, 1, 1)
    versions, edges = [], []
    for i, vid in enumerate(ids):
        versions.append(dict(num=i + 1, id=vid, work_id=work, seq=i + 1, operation="revise", author="engine:x@1",
                             author_kind="ai", spec=spec, delta=None, sha256="0" * 64, ext="png",
                             mime="image/png", extras={}, info={}, timings={}, created_at=stamp))
        if i == 0:
            continue
        lo = 0 if window is None else max(0, i - window)
        parents = {int(rng.integers(lo, i))}
        if rng.random() < 0.05:
            parents.add(int(rng.integers(0, i)))
        edges += [dict(child=i + 1, parent=p + 1, position=k) for k, p in enumerate(sorted(parents))]
    with repo.session() as s:
        s.execute(insert(Version), versions)
        s.execute(insert(VersionParent), edges)
    return ids


def measure(
    repo: Repository, ids: list[str], rng: np.random.Generator
) -> dict[str, tuple[float, float, float, int]]:
    out = {}
    picks = [ids[int(i)] for i in rng.integers(0, len(ids), 200)]
    for name, fn in (("ancestors", repo.ancestors), ("descendants", repo.descendants)):
        times, sizes = [], []
        for vid in picks:
            t0 = time.perf_counter()
            sizes.append(len(fn(vid)))
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        sizes.sort()
        out[name] = (statistics.median(times), times[int(0.95 * len(times)) - 1], statistics.mean(sizes),
                     sizes[int(0.95 * len(sizes)) - 1])
    return out


def main() -> None:
    print(f"lineage on {N:,} versions (SQLite WAL, recursive CTE), 200 random versions each")
    print(f"{'shape':<8} {'query':<12} {'median ms':>10} {'p95 ms':>8} {'mean rows':>10} {'p95 rows':>9}")
    for shape, window in (("bushy", None), ("chains", 200)):
        with tempfile.TemporaryDirectory() as tmp:
            repo = Repository(f"sqlite:///{Path(tmp) / 'bench.db'}")
            repo.migrate()
            rng = np.random.default_rng(0)
            t0 = time.perf_counter()
            ids = build(repo, window, rng)
            build_s = time.perf_counter() - t0
            for query, (med, p95, rows, rows95) in measure(repo, ids, rng).items():
                print(f"{shape:<8} {query:<12} {med:>10.2f} {p95:>8.2f} {rows:>10.0f} {rows95:>9}")
            print(f"{'':<8} (built in {build_s:.1f} s)")
            repo.close()


if __name__ == "__main__":
    main()
