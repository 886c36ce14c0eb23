"""Brief understanding: rules only vs rules + LLM, field accuracy on the labelled set.

Not a test: run it by hand after touching ``duetto.brief`` and paste the table into the PR.

    python benchmarks/bench_brief.py                       # qwen2.5-coder-1.5b, every item
    python benchmarks/bench_brief.py qwen2.5-coder-0.5b --limit 30 --json out.json
    python benchmarks/bench_brief.py --set new --rules-only  # one batch of the labelled set, no model
    python benchmarks/bench_brief.py qwen2.5-coder-0.5b --set new --every 6  # a spread-out subset

Three parsers read the same items: ``rules`` (``RuleParser``), ``rules+forms`` (the rules plus
``explicit_form``, the literal form-name scan the LLM parser also uses, so the table shows what
the *model* adds beyond it) and ``rules+llm`` (``LLMBriefParser``, greedy, seed 0). Accuracy is
per expectation key (passes / items checking it) and overall (all checks); seconds are per item,
wall time of the parse call only (model loading excluded and reported apart). On a shared CPU
the seconds are noisy; the accuracies are deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from duetto.brief import RuleParser
from duetto.brief.evaluate import CHECKS, Score, evaluate, load
from duetto.brief.llm import LLMBriefParser, explicit_form
from duetto.llm import models
from duetto.llm.embedded import EmbeddedProvider
from duetto.settings import Settings
from duetto.spec import CreativeSpec, SpecDelta


class RulesWithForms(RuleParser):
    """The rules plus the literal form scan: the no-model baseline for the ``form`` field."""

    def brief(self, text: str, medium: str = "painting", style: str | None = None) -> CreativeSpec:
        spec = super().brief(text, medium=medium, style=style)
        form = explicit_form(text) if medium == "poem" and style is None else None
        return spec.model_copy(update={"style": form}) if form else spec

    def feedback(self, text: str, spec: CreativeSpec) -> SpecDelta:
        delta = super().feedback(text, spec)
        form = explicit_form(text) if spec.medium == "poem" else None
        if form and "style" not in delta.set:
            return delta.model_copy(update={"set": {**delta.set, "style": form}})
        return delta


def table(scores: dict[str, Score]) -> str:
    names = list(scores)
    head = f"| field | n | {' | '.join(names)} |"
    rows = [head, "|" + "---|" * (len(names) + 2)]
    first = next(iter(scores.values()))
    for key in CHECKS:
        if key not in first.fields():
            continue
        n = first.fields()[key][1]
        cells = [f"{s.fields()[key][0] / n:.0%}" for s in scores.values()]
        rows.append(f"| {key} | {n} | {' | '.join(cells)} |")
    checks = sum(n for _, n in first.fields().values())
    rows.append(f"| **overall** (checks) | {checks} | "
                + " | ".join(f"**{s.overall:.1%}**" for s in scores.values()) + " |")
    for kind in ("brief", "feedback"):
        if any(r.kind == kind for r in first.results):
            rows.append(f"| {kind} checks | | " + " | ".join(f"{s.by_kind(kind):.1%}" for s in scores.values()) + " |")
    rows.append(f"| items fully right | {len(first.results)} | "
                + " | ".join(f"{s.items:.1%}" for s in scores.values()) + " |")
    rows.append("| s / item | | " + " | ".join(f"{s.seconds_per_item:.3f}" for s in scores.values()) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default=models.DEFAULT_MODEL, choices=sorted(models.CATALOGUE))
    parser.add_argument("--cache", type=Path, default=None, help="model cache [default: Settings().model_cache]")
    parser.add_argument("--limit", type=int, default=None, help="only the first N items")
    parser.add_argument("--set", dest="only", default=None,
                        help="only the items of this set (original, new, holdout) [default: all]")
    parser.add_argument("--every", type=int, default=1,
                        help="only every K-th item: a subset spread over the set's topics [default: 1]")
    parser.add_argument("--rules-only", action="store_true", help="skip the model: rules and rules+forms")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="also write per-item results here")
    args = parser.parse_args()

    items = load(only=args.only)[:: args.every][: args.limit]
    scores: dict[str, Score] = {
        "rules": evaluate(RuleParser(), items),
        "rules+forms": evaluate(RulesWithForms(), items),
    }
    which = (f"set {args.only}" if args.only else "every set") + (f", every {args.every}th" if args.every > 1 else "")
    if args.rules_only:
        print(f"no model, {len(items)} items ({which})\n")
        print(table(scores))
        return
    provider = EmbeddedProvider.from_catalogue(args.model, args.cache or Settings().model_cache,
                                               n_threads=args.threads, n_ctx=2048)
    started = time.perf_counter()
    provider.load()
    load_s = time.perf_counter() - started
    llm = LLMBriefParser(provider)

    def progress(r: object) -> None:
        print(f"  {r.id:28} {r.seconds:6.1f}s {'ok' if r.ok else 'miss ' + str([k for k, v in r.checks.items() if not v])}",  # type: ignore[attr-defined]
              file=sys.stderr, flush=True)

    scores["rules+llm"] = evaluate(llm, items, on_item=progress)
    print(f"model {provider.model_id}, loaded in {load_s:.1f}s, {len(items)} items ({which}), "
          f"{args.threads} threads\n")
    print(table(scores))
    if args.json:
        args.json.write_text(json.dumps({
            "model": provider.model_id,
            "load_s": load_s,
            "scores": {name: {"overall": s.overall, "fields": s.fields(), "items": s.items,
                              "seconds_per_item": s.seconds_per_item} for name, s in scores.items()},
            "llm_items": [{"id": r.id, "checks": r.checks, "seconds": r.seconds, "notes": r.notes}
                          for r in scores["rules+llm"].results],
        }, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
