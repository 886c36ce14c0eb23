"""Palette extraction and recolour timings at 1024² (issue 5 target: extraction ≤ 50 ms).

    python benchmarks/bench_palette.py            # 9 runs each
    python benchmarks/bench_palette.py --quick    # 3

Inputs are real painter outputs (three styles), decoded once; timings are wall-clock per call on
the decoded image. Baselines in the same run: extraction against k-means over *every* pixel
(what the 128 px analysis copy saves), recolour against the same mapping evaluated per pixel
instead of through the 33³ lookup table.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import numpy as np
from PIL import Image

from duetto.design.palette import extract, harmony, parse_colour
from duetto.media.image import analyse
from duetto.media.image.painter import Painter, PainterParams
from duetto.media.image.recolour import RecolourParams, match, recolour, targets
from duetto.spec import CreativeSpec, NamedColour, Palette


def pictures() -> list[Image.Image]:
    out = []
    for style, seed in (("flow", 1), ("ink", 2), ("geometric", 3)):
        art = Painter().generate(CreativeSpec(), PainterParams(width=1024, height=1024, style=style), seed)
        out.append(Image.open(io.BytesIO(art.data)).convert("RGB"))
    return out


def best(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def per_pixel(image: Image.Image, lab_targets: np.ndarray, p: RecolourParams) -> np.ndarray:
    """The recolour mapping without the lookup table: every pixel through Lab and back."""
    found = analyse.dominant_colours(image, p.k, 0)
    src = np.array([c.lab for c in found])
    dst = lab_targets[match(src[:, 0], lab_targets[:, 0], 0)]
    lab = analyse.rgb_to_lab(np.asarray(image, np.float64) / 255).reshape(-1, 3)
    d2 = ((lab[:, None, :] - src[None]) ** 2).sum(-1)
    w = np.exp(-(d2 - d2.min(1, keepdims=True)) / (2 * p.softness**2))
    w /= w.sum(1, keepdims=True)
    centre, goal = w @ src, w @ dst
    out = lab.copy()
    out[:, 0] += p.lightness * (goal[:, 0] - centre[:, 0])
    out[:, 1:] = goal[:, 1:] + p.texture * (lab[:, 1:] - centre[:, 1:])
    return analyse.lab_to_rgb(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    runs = 3 if ap.parse_args().quick else 9
    images = pictures()
    spec = CreativeSpec(palette=Palette(colours=[NamedColour(name=s.name_en, hex=s.hex)
                                                 for s in harmony(parse_colour("金色"), "triadic")]))
    lab_t, params = targets(spec), RecolourParams()
    ext = [best(lambda im=im: extract(im, 6), runs) for im in images]
    full = [best(lambda im=im: analyse._kmeans(analyse.rgb_to_lab(np.asarray(im, np.float64) / 255).reshape(-1, 3),
                                                 6, np.random.default_rng(0), 24), 1) for im in images[:1]]
    rec = [best(lambda im=im: recolour(im, lab_t, params, 0), runs) for im in images]
    raw = [best(lambda im=im: per_pixel(im, lab_t, params), 1) for im in images[:1]]
    print(f"extraction 1024² (k=6, median of {runs}): " + ", ".join(f"{m:.1f} ms" for m in ext)
          + f"  → worst {max(ext):.1f} ms (target ≤ 50)")
    print(f"  baseline k-means on all 1 048 576 pixels: {full[0]:.0f} ms  ({full[0] / ext[0]:.0f}× slower)")
    print("recolour 1024² (LUT 33³, no PNG encode): " + ", ".join(f"{m:.0f} ms" for m in rec))
    print(f"  baseline per-pixel Lab mapping: {raw[0]:.0f} ms  ({raw[0] / rec[0]:.1f}× slower)")


if __name__ == "__main__":
    main()
