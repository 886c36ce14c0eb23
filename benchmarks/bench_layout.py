"""Seconds per layout at poster size (A3 ratio, 1240 × 1754 px), split by step.

    python benchmarks/bench_layout.py            # 5 runs, best of each
    python benchmarks/bench_layout.py --quick    # 2

The source is the painter's seed autumn picture (style "scene", 1024²). Baseline in the same run:
painting that picture, so the ratio says what a layout adds to making the image at all. Two
words settings: an English title with body text, and a 七言绝句 set vertically with a title.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from typing import Any

from PIL import Image

from duetto.brief import RuleParser
from duetto.design.calm import CalmMap
from duetto.design.layout import (
    FORMATS,
    LayoutParams,
    Words,
    candidates,
    colour_and_scrim,
    compose,
    cover_crop,
    draw_pdf,
    draw_png,
    pick,
)
from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.painter.canvas import encode_png

BRIEF = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
POEM = ["不似春花烂漫日，却如秋叶临风飘。", "未曾几度思乡泪，犹自长吟入夜宵。"]


def best(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def steps(picture: Image.Image, poem: list[str], p: LayoutParams, runs: int) -> dict[str, float]:
    """Best seconds of the whole layout and of each step."""
    words = Words(p.title, p.subtitle, poem, p.text)
    page, _ = cover_crop(picture, FORMATS["poster"].px, CalmMap(picture).centre_of_interest())
    place = pick(candidates(words, p, CalmMap(page), bool(poem)), p.choices, 0)
    bg, colour, _ = colour_and_scrim(page, place.box, place.slot.name)
    return {
        "total": best(lambda: compose(picture, poem, p, 0), runs),
        "placement": best(lambda: pick(candidates(words, p, CalmMap(page), bool(poem)), p.choices, 0), runs),
        "colour/scrim": best(lambda: colour_and_scrim(page, place.box, place.slot.name), runs),
        "PNG": best(lambda: encode_png(draw_png(bg, place, colour)), runs),
        "PDF": best(lambda: draw_pdf(bg, place, colour, "poster", p.title), runs),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    runs = 2 if ap.parse_args().quick else 5
    spec = RuleParser().brief(BRIEF, medium="painting", style="scene")
    params = PainterParams(width=1024, height=1024, style="scene")
    paint = best(lambda: Painter().generate(spec, params, 7), runs)
    picture = Image.open(io.BytesIO(Painter().generate(spec, params, 7).data)).convert("RGB")
    cases = {
        "english title + body": ([], LayoutParams(format="poster", title="The Last Golden Leaf",
                                                  subtitle="A NOVEL BY LIN QIU", text="An autumn evening.")),
        "七绝, vertical": (POEM, LayoutParams(format="poster", title="秋日黄昏", subtitle="七言绝句")),
    }
    print(f"poster {FORMATS['poster'].px[0]}×{FORMATS['poster'].px[1]} px, best of {runs}; "
          f"baseline: painting the 1024² source {paint:.3f} s")
    for name, (poem, p) in cases.items():
        t = steps(picture, poem, p, runs)
        parts = " + ".join(f"{k} {v:.3f}" for k, v in t.items() if k != "total")
        print(f"{name:20s} {t['total']:.3f} s per layout ({t['total'] / paint:.1f}× painting) = {parts} (+ crop)")


if __name__ == "__main__":
    main()
