"""Felt effect of feedback: does "warmer, fewer lines" make the next version warmer with fewer lines?

For every labelled phrase (``src/duetto/brief/data/feedback/*.jsonl``) and every base work of
its medium, make the base, revise it with the phrase, measure both with the medium's
``features`` and count, per family, the share of revisions that moved the family's feature the
asked way by at least its jnd ("acted", target ≥ 90 %) and the share that moved some unrelated
feature by a jnd or more ("spilled", target ≤ 10 %). See ``duetto.studio.felt``.

    python benchmarks/bench_feedback.py                        # painting and music (no model)
    python benchmarks/bench_feedback.py --media poem --limit 20 # text needs the LLM: slower
    python benchmarks/bench_feedback.py --json out.json --show-misses
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from duetto.settings import Settings
from duetto.studio import Studio, operations
from duetto.studio.felt import Effect, Phrase, effect, felt_for, load_phrases


def bases(module, medium: str) -> list[dict]:
    """The works each phrase is tried on: the medium module's BASES (NewRequest fields)."""
    return [dict(b, media=[medium]) for b in getattr(module, "BASES", [{"brief": "an abstract painting"}])]


def run(media: list[str], limit: int | None, show_misses: bool, families: set[str] | None = None,
        only_bases: set[int] | None = None) -> dict:
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Settings(home=Path(tmp) / "studio", user="bench"))
        for medium in media:
            module = felt_for(medium)
            phrases = [p for p in load_phrases(medium) if families is None or p.family in families][:limit]
            if not phrases:
                continue
            made = []
            for i, fields in enumerate(bases(module, medium)):
                if only_bases is not None and i not in only_bases:
                    continue
                version = operations.new(studio, operations.NewRequest(variants=1, seed=1, **fields)).versions[0]
                made.append((i, version, module.features(studio.blobs.read(version.sha256, version.ext))))
            per_family: dict[str, list[Effect]] = defaultdict(list)
            t0 = time.perf_counter()
            for phrase in phrases:
                for i, base, before in made:
                    result = _try(studio, module, phrase, base, before)
                    per_family[phrase.family].append(result.model_copy(update={"phrase": f"{result.phrase} @base{i}"}))
            seconds = time.perf_counter() - t0
            report[medium] = _table(medium, per_family, len(phrases), len(made), seconds, show_misses)
        studio.close()
    return report


def _try(studio: Studio, module, phrase: Phrase, base, before: dict[str, float]) -> Effect:
    try:
        child = operations.revise(studio, operations.ReviseRequest(version=base.id, feedback=phrase.text)).versions[0]
    except Exception as exc:  # an unread phrase counts as a miss, with its reason
        return Effect(phrase=f"{phrase.id} ({type(exc).__name__}: {str(exc)[:60]})", before=0, after=0,
                      needed=0, acted=False)
    after = module.features(studio.blobs.read(child.sha256, child.ext))
    return effect(phrase, module, before, after)


def _table(medium: str, per_family: dict[str, list[Effect]], n_phrases: int, n_bases: int,
           seconds: float, show_misses: bool) -> dict:
    print(f"\n{medium}: {n_phrases} phrases x {n_bases} bases, {seconds:.1f} s")
    print(f"{'family':<14} {'n':>4} {'acted':>7} {'spilled':>8}  most spilled")
    out: dict = {}
    all_effects: list[Effect] = []
    for family, effects in sorted(per_family.items()):
        acted = sum(e.acted for e in effects) / len(effects)
        spilled = sum(bool(e.spilled) for e in effects) / len(effects)
        counts: dict[str, int] = defaultdict(int)
        for e in effects:
            for name in e.spilled:
                counts[name] += 1
        worst = ", ".join(f"{k}×{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:3])
        print(f"{family:<14} {len(effects):>4} {acted:>6.0%} {spilled:>8.0%}  {worst}")
        out[family] = {"n": len(effects), "acted": round(acted, 3), "spilled": round(spilled, 3)}
        all_effects += effects
        if show_misses:
            for e in effects:
                if not e.acted or e.spilled:
                    print(f"    {e.phrase}: {e.before:.3f} -> {e.after:.3f} (needed {e.needed}) spilled {e.spilled}")
    acted = sum(e.acted for e in all_effects) / len(all_effects)
    spilled = sum(bool(e.spilled) for e in all_effects) / len(all_effects)
    print(f"{'all':<14} {len(all_effects):>4} {acted:>6.0%} {spilled:>8.0%}   (targets: acted >= 90 %, spilled <= 10 %)")
    out["all"] = {"n": len(all_effects), "acted": round(acted, 3), "spilled": round(spilled, 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--media", default="painting,music", help="comma list: painting, music, poem, story, script")
    ap.add_argument("--limit", type=int, default=None, help="first N phrases per medium")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--family", default=None, help="comma list of families to run (default: all)")
    ap.add_argument("--bases", default=None, help="comma list of base indices to run (default: all)")
    args = ap.parse_args(argv)
    families = set(args.family.split(",")) if args.family else None
    only = {int(b) for b in args.bases.split(",")} if args.bases else None
    report = run(args.media.split(","), args.limit, args.show_misses, families, only)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
