"""Diversity of the variants of one brief: do four poems of one brief say four different things?

For each brief, ``new --variants 4`` with a fixed seed, then per 4-variant set:

* ``distinct``: distinct imagery words across the four poems (classical 意象 for Chinese,
  concrete image nouns for English): more is better;
* ``brief``: share of the variants that hold every image the brief names, labelled by hand
  below with the forms that count (落叶 also as 黄叶 or 落木, 金色 as 金, *first* snow as first):
  落叶 and 金色 must be there;
* ``maxsim``: the highest char-level similarity (difflib ratio) between two variants of the set:
  lower is better; ``closers``: distinct closing images over the set; ``tears``: variants with
  泪 / tears (the stock ending of a small model's autumn poem).

    python benchmarks/bench_diversity.py                      # 20 briefs, seed 7
    python benchmarks/bench_diversity.py --limit 6 --json /tmp/after.json
    python benchmarks/bench_diversity.py --briefs 0,1,12 --json /tmp/a.json  # some briefs; run again to go on
    python benchmarks/bench_diversity.py --from-json /tmp/before.json   # re-score stored poems

Making the poems needs only ``operations.new`` and the studio as they were at 0822b85, and the
scoring only ``analyse.imagery_in`` and this file's labels, so the same script measures an
older tree with ``PYTHONPATH=<old>/src`` and scores both runs alike.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import re
import sys
import tempfile
import time
from pathlib import Path

BRIEFS: list[tuple[str, str | None]] = [
    ("在秋日的黄昏，一片金色的落叶，在风中飘舞", "七言绝句"),
    ("秋夜", "七言绝句"),
    ("江上孤舟，渔火点点", "五言绝句"),
    ("春雨细细，杏花满城", "七言绝句"),
    ("雪后的山村，炊烟袅袅", "五言绝句"),
    ("登高望远，思念故乡", "七言绝句"),
    ("夏夜荷塘，蛙声一片", "七言绝句"),
    ("边塞的黄沙与孤城", "五言绝句"),
    ("送别友人于长亭", "七言绝句"),
    ("月下独酌", "如梦令"),
    ("清晨的竹林，鸟鸣声声", "五言绝句"),
    ("城市的夜晚，霓虹与细雨", "自由诗"),
    ("an old lighthouse in a winter storm", "haiku"),
    ("first snow on the garden", "haiku"),
    ("the sea at dawn, gulls and cold light", "free verse"),
    ("golden leaves falling in the autumn wind", "free verse"),
    ("a quiet kitchen at midnight", "free verse"),
    ("the moon over a still lake", "haiku"),
    ("a train leaving the station in the rain", "free verse"),
    ("cherry blossoms and the end of spring", "haiku"),
]

WANTED: dict[str, list[tuple[str, ...]]] = {
    # brief → the images it names, each with the forms that count as that image
    "在秋日的黄昏，一片金色的落叶，在风中飘舞": [("落叶", "黄叶", "叶落", "落木", "红叶", "木叶"), ("金",),
                                              ("黄昏", "暮", "夕", "斜阳", "落日", "残阳", "晚")],
    "秋夜": [("秋",), ("夜", "宵")],
    "江上孤舟，渔火点点": [("孤舟", "扁舟", "舟"), ("渔火", "渔灯", "灯火")],
    "春雨细细，杏花满城": [("雨",), ("杏",)],
    "雪后的山村，炊烟袅袅": [("雪",), ("炊烟", "烟"), ("村",)],
    "登高望远，思念故乡": [("故乡", "乡", "故园", "家山"), ("登", "高楼", "危楼")],
    "夏夜荷塘，蛙声一片": [("荷", "莲", "芙蓉"), ("蛙",)],
    "边塞的黄沙与孤城": [("沙",), ("城",)],
    "送别友人于长亭": [("亭",), ("送", "别")],
    "月下独酌": [("月",), ("酌", "酒", "杯", "觞")],
    "清晨的竹林，鸟鸣声声": [("竹", "篁"), ("鸟", "莺", "啼", "鸣")],
    "城市的夜晚，霓虹与细雨": [("城", "街"), ("霓虹",), ("雨",)],
    "an old lighthouse in a winter storm": [("lighthouse",), ("storm",)],
    "first snow on the garden": [("first",), ("snow",), ("garden",)],
    "the sea at dawn, gulls and cold light": [("sea",), ("dawn",), ("gull",)],
    "golden leaves falling in the autumn wind": [("gold",), ("lea",), ("wind",)],
    "a quiet kitchen at midnight": [("kitchen",), ("midnight",)],
    "the moon over a still lake": [("moon",), ("lake",)],
    "a train leaving the station in the rain": [("train",), ("rain",)],
    "cherry blossoms and the end of spring": [("cherr",), ("blossom",), ("spring",)],
}
"""English forms are word starts (lea: leaf, leaves; cherr: cherry, cherries)."""

EN_IMAGES = (
    "moon sun star stars sky cloud clouds rain snow wind storm fog mist frost ice sea wave waves tide "
    "shore sand lake river stream water pond bridge boat ship sail lighthouse gull gulls bird birds crow "
    "wing wings leaf leaves tree trees branch branches root roots flower flowers blossom blossoms petal "
    "petals grass garden field hill hills mountain stone stones rock road path door window wall roof "
    "lamp light candle fire smoke ash shadow shadows dark night dawn dusk morning evening noon "
    "train station track rail kitchen table cup bowl clock kettle bread salt glass mirror bell gold "
    "silver red blue green grey white black"
).split()


def images_in(text: str, lang: str) -> list[str]:
    """The imagery a poem uses: classical 意象 for Chinese, image nouns for English (singular)."""
    if lang == "zh":
        from duetto.media.text.analyse import imagery_in

        return list(imagery_in(text))
    words = re.findall(r"[a-z]+", text.lower())
    found = []
    for w in words:
        base = w[:-1] if w.endswith("s") and w[:-1] in EN_IMAGES else w
        if base in EN_IMAGES and base not in found:
            found.append(base)
    return found


def closing_image(text: str, lang: str) -> str | None:
    lines = [ln for ln in re.split(r"[\n。，！？；]", text) if ln.strip()]
    if not lines:
        return None
    found = images_in(lines[-1], lang)
    return found[-1] if found else None


def holds(text: str, forms: tuple[str, ...], lang: str) -> bool:
    if lang == "zh":
        return any(f in text for f in forms)
    return any(re.search(rf"\b{re.escape(f)}", text.lower()) for f in forms)


def similarity(a: str, b: str) -> float:
    strip = lambda t: re.sub(r"[\s，。、！？；,.!?;:]", "", t)  # noqa: E731
    return difflib.SequenceMatcher(None, strip(a), strip(b), autojunk=False).ratio()


def score(entry: dict) -> dict:
    lang, texts = entry["lang"], entry["texts"]
    wanted = WANTED[entry["brief"]]
    distinct = set().union(*(images_in(t, lang) for t in texts)) if texts else set()
    brief = sum(all(holds(t, w, lang) for w in wanted) for t in texts) / max(1, len(texts))
    pairs = [similarity(a, b) for a, b in itertools.combinations(texts, 2)]
    closers = {closing_image(t, lang) for t in texts} - {None}
    tears = sum(1 for t in texts if "泪" in t or re.search(r"\btears?\b", t.lower()))
    return {"distinct": len(distinct), "brief": brief, "maxsim": max(pairs) if pairs else 0.0,
            "closers": len(closers), "tears": tears}


def make(briefs: list[tuple[str, str | None]], seed: int, keep: Path | None = None) -> list[dict]:
    """Make the sets; each finished one is written to ``keep`` at once, so a slow run that is
    stopped still leaves what it made, and a run given the same ``keep`` again goes on from
    there (sets already in it, made with the same seed, are not made again)."""
    from duetto.settings import Settings
    from duetto.studio import Studio, operations

    out = []
    if keep is not None and keep.exists():
        out = [e for e in json.loads(keep.read_text())["entries"] if e.get("seed", seed) == seed]
    done = {e["brief"] for e in out}
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Settings(home=Path(tmp) / "studio", user="bench"))
        for brief, form in briefs:
            if brief in done:
                continue
            t0 = time.perf_counter()
            result = operations.new(studio, operations.NewRequest(
                brief=brief, media=["poem"], style=form, variants=4, seed=seed))
            texts = [studio.blobs.read(v.sha256, v.ext).decode("utf-8") for v in result.versions]
            spec = result.versions[0].spec
            lang = "zh" if re.search(r"[\u4e00-\u9fff]", brief) else "en"
            entry = {"brief": brief, "form": form, "lang": lang, "seed": seed, "texts": texts,
                     "keywords": list(spec.keywords),
                     "seconds": round(time.perf_counter() - t0, 1)}
            out.append(entry)
            if keep is not None:
                keep.write_text(json.dumps({"entries": out}, ensure_ascii=False, indent=1))
            print(f"{brief[:28]:<30} {form or '':<8} {entry['seconds']:>6.1f} s", file=sys.stderr, flush=True)
        studio.close()
    return out


def table(entries: list[dict]) -> dict:
    print(f"{'brief':<32} {'form':<10} {'distinct':>8} {'brief%':>7} {'maxsim':>7} {'closers':>7} {'tears':>5}")
    rows = []
    for e in entries:
        s = score(e)
        rows.append(s)
        print(f"{e['brief'][:30]:<32} {e['form'] or '':<10} {s['distinct']:>8} {s['brief']:>7.0%} {s['maxsim']:>7.2f} "
              f"{s['closers']:>7} {s['tears']:>5}")
    n = max(1, len(rows))
    summary = {"sets": len(rows), "distinct_mean": round(sum(r["distinct"] for r in rows) / n, 2),
               "brief_share": round(sum(r["brief"] for r in rows) / n, 3),
               "maxsim_mean": round(sum(r["maxsim"] for r in rows) / n, 3),
               "closers_mean": round(sum(r["closers"] for r in rows) / n, 2),
               "tears": sum(r["tears"] for r in rows),
               "seconds": round(sum(e.get("seconds", 0.0) for e in entries), 1)}
    print(f"mean over {len(rows)} sets: distinct imagery {summary['distinct_mean']}, brief imagery in "
          f"{summary['brief_share']:.0%} of variants, max pairwise similarity {summary['maxsim_mean']}, "
          f"distinct closing images {summary['closers_mean']}, variants with 泪/tears {summary['tears']}, "
          f"{summary['seconds']} s of generation")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N briefs")
    ap.add_argument("--briefs", default=None, help="only these briefs, by index (0-based, comma-separated)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, default=None, help="store the poems and figures here")
    ap.add_argument("--from-json", type=Path, default=None, help="score poems stored by an earlier run")
    args = ap.parse_args(argv)
    briefs = BRIEFS[:args.limit]
    if args.briefs:
        briefs = [BRIEFS[int(i)] for i in args.briefs.split(",")]
    if args.from_json:
        entries = json.loads(args.from_json.read_text())["entries"]
        if args.briefs or args.limit:
            wanted = {b for b, _ in briefs}
            entries = [e for e in entries if e["brief"] in wanted]
    else:
        made = make(briefs, args.seed, args.json)
        order = [b for b, _ in briefs]
        entries = sorted((e for e in made if e["brief"] in order), key=lambda e: order.index(e["brief"]))
    summary = table(entries)
    if args.json and not args.from_json:
        args.json.write_text(json.dumps({"entries": made, "summary": summary}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
