"""Diversity of the variants of one brief, for paintings: are four seas four different seas?

For each brief, ``new --media painting --variants 4 --seed 1``, then over the six pairs of the
set (each painting downsampled the same way, measured here, not with the painter's own yardstick):

* ``pal``: palette distance, the share-weighted nearest ΔE76 between the two pictures' five
  dominant CIELAB colours (``analyse.dominant_colours``), both ways averaged: more is more varied;
* ``lab``: ΔE76 between the two pictures' mean colours;
* ``lay``: composition distance, 1 - Pearson correlation of the 16 x 16 luminance layouts
  (0 same layout, 1 unrelated, 2 inverted);
* ``edge``: where the detail sits, half the L1 distance of the 8 x 8 layouts of gradient energy
  (each summed to 1): 0 the same places, 1 none shared. (A perceptual hash was tried and
  dropped: on skies and seas, near-flat gradients, its bits flip with the grain, 31 of 64 bits
  apart for four copies of one sea.)
* ``named``: mean share of the pictures inside the brief's own hue words (a "blue sea" must stay
  blue; ``-`` when the brief names no colour), and ``s``: seconds for the set.

    python benchmarks/bench_diversity_paintings.py --sheet /tmp/after.png --json /tmp/after.json
    PYTHONPATH=/tmp/base/src python benchmarks/bench_diversity_paintings.py --sheet /tmp/before.png

It needs only ``operations.new``, the studio and ``analyse.dominant_colours``, as they were
before the painter chose its variants together, so the same script measures an older tree.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

BRIEFS = [
    "calm blue sea",
    "秋夜",
    "在秋日的黄昏，一片金色的落叶，在风中飘舞",
    "江南烟雨",
    "snowy mountains at dawn",
    "the moon over a still lake",
    "春天的花园，花开满地",
    "birds over a golden field at sunset",
    "a red geometric abstraction",
    "calm blue and green colour field",
    "energetic flowing lines in orange",
]
SIDE = 384  # render size: the choice works on thumbnails, so the size does not change what is chosen
CELL = 160  # contact sheet cell


def grey(im: Image.Image, side: int) -> np.ndarray:
    return np.asarray(im.convert("L").resize((side, side), Image.Resampling.BOX), np.float64)


def layout_distance(a: Image.Image, b: Image.Image) -> float:
    x, y = grey(a, 16).ravel(), grey(b, 16).ravel()
    if x.std() < 1e-6 or y.std() < 1e-6:
        return 0.0 if np.allclose(x, y) else 1.0
    return float(1.0 - np.corrcoef(x, y)[0, 1])


def detail_layout(im: Image.Image) -> np.ndarray:
    g = grey(im, 128)
    gy, gx = np.gradient(g)
    e = np.hypot(gx, gy).reshape(8, 16, 8, 16).sum(axis=(1, 3)).ravel()
    return e / e.sum() if e.sum() > 0 else np.full(64, 1 / 64)


def palette_distance(a: list, b: list) -> float:
    la, lb = np.array([c.lab for c in a]), np.array([c.lab for c in b])
    wa, wb = np.array([c.share for c in a]), np.array([c.share for c in b])
    d = np.linalg.norm(la[:, None] - lb[None], axis=-1)  # (na, nb)
    return float(0.5 * (wa @ d.min(1) / wa.sum() + wb @ d.min(0) / wb.sum()))


def named_share(im: Image.Image, arcs: list[tuple[float, float]]) -> float:
    hsv = np.asarray(im.convert("RGB").resize((96, 96), Image.Resampling.BOX).convert("HSV"), np.float64)
    hue, sat = hsv[..., 0] * 360 / 256, hsv[..., 1] / 255
    inside = np.zeros(hue.shape, bool)
    for lo, hi in arcs:
        inside |= ((hue - lo) % 360) <= ((hi - lo) % 360)
    return float((inside & (sat > 0.15)).mean())


def measure(brief: str, ims: list[Image.Image], arcs: list[tuple[float, float]]) -> dict:
    from duetto.media.image.analyse import dominant_colours, rgb_to_lab

    doms = [dominant_colours(im, k=5, seed=0) for im in ims]
    means = [rgb_to_lab(np.asarray(im.convert("RGB").resize((96, 96)), np.float64) / 255).reshape(-1, 3).mean(0)
             for im in ims]
    details = [detail_layout(im) for im in ims]
    pairs = list(itertools.combinations(range(len(ims)), 2))
    return {
        "brief": brief,
        "pal": float(np.mean([palette_distance(doms[i], doms[j]) for i, j in pairs])),
        "lab": float(np.mean([np.linalg.norm(means[i] - means[j]) for i, j in pairs])),
        "lay": float(np.mean([layout_distance(ims[i], ims[j]) for i, j in pairs])),
        "edge": float(np.mean([np.abs(details[i] - details[j]).sum() / 2 for i, j in pairs])),
        "named": float(np.mean([named_share(im, arcs) for im in ims])) if arcs else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variants", type=int, default=4)
    ap.add_argument("--limit", type=int, default=None, help="only the first N briefs")
    ap.add_argument("--sheet", type=Path, default=None, help="write the sets as one contact PNG")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)

    from duetto.studio import Studio, operations

    briefs = BRIEFS[: args.limit] if args.limit else BRIEFS
    rows, sets = [], []
    with tempfile.TemporaryDirectory() as home, Studio.open(home) as studio:
        for brief in briefs:
            t0 = time.perf_counter()
            res = operations.new(studio, operations.NewRequest(
                brief=brief, media=["painting"], variants=args.variants, seed=args.seed,
                params={"width": SIDE, "height": SIDE}))
            took = time.perf_counter() - t0
            ims = [Image.open(io.BytesIO(studio.blobs.read(v.sha256, v.ext))).convert("RGB") for v in res.versions]
            spec = studio.parser.brief(brief, medium="painting")
            arcs = [(h.start, h.end) for h in spec.palette.hues]
            arcs += [((c.hls[0] - 25) % 360, (c.hls[0] + 25) % 360) for c in spec.palette.colours
                     if not spec.palette.hues and c.hls[2] >= 0.15]
            row = measure(brief, ims, arcs) | {"s": round(took, 2)}
            rows.append(row)
            sets.append(ims)
            named = "-" if row["named"] is None else f"{row['named']:.2f}"
            print(f"{brief[:34]:<34} pal {row['pal']:5.1f}  lab {row['lab']:5.1f}  lay {row['lay']:4.2f}  "
                  f"edge {row['edge']:4.2f}  named {named:>4}  {took:5.1f}s", flush=True)
    keys = ("pal", "lab", "lay", "edge")
    mean = {k: float(np.mean([r[k] for r in rows])) for k in keys}
    named = [r["named"] for r in rows if r["named"] is not None]
    print(f"{'mean':<34} pal {mean['pal']:5.1f}  lab {mean['lab']:5.1f}  lay {mean['lay']:4.2f}  "
          f"edge {mean['edge']:4.2f}  named {np.mean(named) if named else 0:4.2f}  "
          f"{sum(r['s'] for r in rows):5.1f}s")
    if args.sheet:
        sheet = Image.new("RGB", (CELL * args.variants, CELL * len(sets)), "white")
        for j, ims in enumerate(sets):
            for i, im in enumerate(ims):
                sheet.paste(im.resize((CELL, CELL), Image.Resampling.LANCZOS), (i * CELL, j * CELL))
        sheet.save(args.sheet)
        print(f"contact sheet: {args.sheet}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "mean": mean}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
