"""Modern verse: form compliance over N generated poems per form (target 100 %) and seconds per
poem, for the English forms (haiku, limerick, sonnet) and free verse in English and Chinese.

Run: python benchmarks/bench_verse.py [--model qwen2.5-coder-0.5b] [--n 10] [--candidates 4]
Prints one line per form and writes every poem to benchmarks/out/verse-<model>.txt for reading.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from duetto.brief import parse_brief
from duetto.llm.models import FAST_MODEL
from duetto.media.text.poem import PoemParams, Poet

BRIEFS_EN = [
    "an autumn dusk, falling golden leaves", "spring rain on a quiet river at night", "a lonely lighthouse in a winter storm",
    "a summer garden full of bees", "the first snow on a mountain village", "an old cat asleep in the sun",
]
BRIEFS_ZH = ["在秋日的黄昏，一片金色的落叶，在风中飘舞", "春夜细雨，江边独坐，思念远方的故人", "冬日雪后，寒梅独放"]
FORMS = [("haiku", BRIEFS_EN), ("limerick", BRIEFS_EN), ("sonnet", BRIEFS_EN),
         ("free verse", BRIEFS_EN), ("自由诗", BRIEFS_ZH)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=FAST_MODEL)
    ap.add_argument("--n", type=int, default=3, help="poems per form")
    ap.add_argument("--candidates", type=int, default=4, help="candidate lines per line (drafts for free verse)")
    ap.add_argument("--forms", default=",".join(f for f, _ in FORMS))
    args = ap.parse_args()
    poet = Poet()
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    written: list[str] = []
    t0 = time.perf_counter()
    poet.generate(parse_brief(BRIEFS_EN[0], medium="poem"), PoemParams(model=args.model, form="haiku", candidates=1), 0)
    print(f"model {args.model}: load + vocabulary + first haiku {time.perf_counter() - t0:.1f} s")
    print(f"{'form':<11} {'poems':>5} {'valid':>6} {'s/poem':>7} {'built':>6}")
    wanted = args.forms.split(",")
    for form, briefs in FORMS:
        if form not in wanted:
            continue
        ok, secs, built, lines = 0, [], 0, 0
        for i in range(args.n):
            brief = briefs[i % len(briefs)]
            spec = parse_brief(brief, medium="poem")
            t = time.perf_counter()
            art = poet.generate(spec, PoemParams(model=args.model, form=form, candidates=args.candidates), 1000 + i)
            secs.append(time.perf_counter() - t)
            ok += bool(art.info["valid"])
            if form not in ("free verse", "自由诗"):
                built += sum(1 for c in art.info["candidates"] if c["built"])
                lines += len(art.info["candidates"])
            issues = "; ".join(art.info["issues"])
            written.append(f"## {form} #{i} ({brief}) valid={art.info['valid']} {issues}\n{art.data.decode()}")
        share = f"{100 * built / lines:.0f}%" if lines else "-"
        print(f"{form:<11} {args.n:>5} {100 * ok / args.n:>5.0f}% {statistics.median(secs):>7.2f} {share:>6}")
    path = out / f"verse-{args.model}.txt"
    path.write_text("\n".join(written), encoding="utf-8")
    print(f"poems: {path}")


if __name__ == "__main__":
    main()
