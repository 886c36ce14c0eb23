"""Poems: form compliance over N generated poems per form (target 100 %) and seconds to a 七言绝句
with 4 candidates (target ≤ 15 s), with the embedded model.

Run: python benchmarks/bench_poems.py [--model qwen2.5-coder-1.5b] [--per-form 50] [--timed 5]
Prints one line per form and writes every poem to benchmarks/out/poems-<model>.txt for reading.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from duetto.brief import parse_brief
from duetto.llm.models import DEFAULT_MODEL
from duetto.media.text.classical.forms import list_forms
from duetto.media.text.classical.validate import validate
from duetto.media.text.poem import PoemParams, Poet

BRIEFS = [
    "在秋日的黄昏，一片金色的落叶，在风中飘舞", "春夜细雨，江边独坐，思念远方的故人", "大漠孤烟，边塞将士，豪迈",
    "山中月夜，松风清泉，宁静", "江南烟雨，小桥流水，杨柳依依", "冬日雪后，寒梅独放，孤傲",
    "登高远望，长河落日，壮阔", "夏夜荷塘，蛙声一片，清凉",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--per-form", type=int, default=50)
    ap.add_argument("--timed", type=int, default=5)
    args = ap.parse_args()
    poet = Poet()
    specs = [parse_brief(b, medium="poem") for b in BRIEFS]
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    lines = []
    t0 = time.perf_counter()
    poet.generate(specs[0], PoemParams(model=args.model, candidates=1, form="五绝"), 0)  # load
    load_s = time.perf_counter() - t0
    print(f"model {args.model}: load + first poem {load_s:.1f} s")
    print(f"{'form':<10} {'poems':>5} {'valid':>6} {'s/poem':>7}")
    for form in list_forms():
        ok, secs = 0, []
        for i in range(args.per_form):
            spec = specs[i % len(specs)]
            t = time.perf_counter()
            art = poet.generate(spec, PoemParams(model=args.model, candidates=1, form=form.zh_name), 1000 + i)
            secs.append(time.perf_counter() - t)
            text = art.data.decode("utf-8")
            report = validate(text, form)
            ok += report.ok
            lines.append(f"## {form.zh_name} #{i} ({BRIEFS[i % len(BRIEFS)]}) valid={report.ok}\n{text}")
        print(f"{form.zh_name:<10} {args.per_form:>5} {100 * ok / args.per_form:>5.0f}% {statistics.median(secs):>7.2f}")
    timed = []
    for i in range(args.timed):
        t = time.perf_counter()
        poet.generate(specs[i % len(specs)], PoemParams(model=args.model, candidates=4, form="七言绝句"), 7 + i)
        timed.append(time.perf_counter() - t)
    print(f"七言绝句 with 4 candidates (corpus examples on): median {statistics.median(timed):.1f} s, "
          f"max {max(timed):.1f} s over {args.timed}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    path = out / f"poems-{args.model}.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    print(f"poems written to {path}")


if __name__ == "__main__":
    main()
