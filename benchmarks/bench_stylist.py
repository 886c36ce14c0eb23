"""Style transfer seconds: the stylist at 512², 1024² and 2048², against the raw network call
(the baseline, same run), tiling vs one pass, and the classical methods.

Run: .venv/bin/python benchmarks/bench_stylist.py  (target: ≤ 0.5 s at 512²)"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import numpy as np
from PIL import Image

from duetto.engine import Artefact
from duetto.media.image.stylist import Stylist, StylistParams, classical, neural
from duetto.media.image.stylist.sheet import seed_picture
from duetto.media.image.stylist.styles import weights_of
from duetto.spec import CreativeSpec

REPEAT = 3


def best(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    fn()  # warm: session made, arena grown
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def tiled(image: Image.Image, weights: np.ndarray, tile: int = 512, overlap: int = 64) -> np.ndarray:
    """The alternative we did not choose: overlapping tiles, feathered (linear ramps) together."""
    a = neural.to_array(image)
    h, w = a.shape[:2]
    acc, total = np.zeros_like(a), np.zeros((h, w, 1), np.float32)
    starts = list(range(0, h - tile + 1, tile - overlap))
    if starts[-1] + tile < h:
        starts.append(h - tile)
    ramp = np.ones(tile, np.float32)
    ramp[:overlap] = np.linspace(0, 1, overlap + 2)[1:-1]
    ramp[-overlap:] = ramp[:overlap][::-1]
    for y in starts:
        for x in starts:
            out = neural.builtin(neural.to_image(a[y:y + tile, x:x + tile]), weights)
            wy, wx = ramp.copy(), ramp.copy()
            wy[:overlap] = 1 if y == 0 else wy[:overlap]
            wy[-overlap:] = 1 if y + tile >= h else wy[-overlap:]
            wx[:overlap] = 1 if x == 0 else wx[:overlap]
            wx[-overlap:] = 1 if x + tile >= w else wx[-overlap:]
            m = (wy[:, None] * wx[None, :])[..., None]
            acc[y:y + tile, x:x + tile] += out * m
            total[y:y + tile, x:x + tile] += m
    return acc / total


def main() -> None:
    seed = seed_picture()
    buf = io.BytesIO()
    seed.save(buf, format="PNG")
    source = Artefact(data=buf.getvalue(), ext="png", mime="image/png")
    painting = Artefact(data=buf.getvalue(), ext="png", mime="image/png")
    engine, w = Stylist(), weights_of("starry_night")
    spec = CreativeSpec(style="starry_night", stylisation=0.8)
    print(f"backend: {neural.backend_version()}, threads {neural.THREADS}")
    print(f"{'what':<44}{'seconds':>9}{'vs raw net':>12}")
    for side in (512, 1024, 2048):
        image = seed.resize((side, side))
        raw = best(lambda image=image: neural.builtin(image, w), 1 if side == 2048 else REPEAT)
        full = best(lambda side=side: engine.transform([source], spec, StylistParams(size=side), 0),
                    1 if side == 2048 else REPEAT)
        print(f"{'raw network ' + str(side) + '²':<44}{raw:>9.3f}{1.0:>12.2f}")
        print(f"{'stylist restyle ' + str(side) + '² (decode..PNG)':<44}{full:>9.3f}{full / raw:>12.2f}")
        if side == 1024:
            keep = best(lambda: engine.transform([source], spec, StylistParams(size=1024, keep_colours=True), 0))
            print(f"{'  + keep colours 1024²':<44}{keep:>9.3f}{keep / raw:>12.2f}")
            whole = neural.builtin(image, w)
            t0 = time.perf_counter()
            tiles = tiled(image, w)
            t_tiles = time.perf_counter() - t0
            print(f"{'  tiles 512+64 feathered 1024² (not used)':<44}{t_tiles:>9.3f}{t_tiles / raw:>12.2f}"
                  f"   mean |tiled − one pass| = {np.abs(tiles - whole).mean():.3f}")
    art = best(lambda: engine.transform([source, painting], spec.model_copy(update={"style": "image:x"}),
                                        StylistParams(size=1024), 0))
    print(f"{'painting as style (384 net) → 1024²':<44}{art:>9.3f}")
    content = neural.to_array(seed.resize((1024, 1024)))
    ref = neural.to_array(seed.resize((512, 512)).rotate(90))
    inks = np.array([[0.05, 0.1, 0.35], [0.85, 0.65, 0.1], [0.97, 0.95, 0.9]])
    for name, fn in (("colour transfer (Reinhard) 1024²", lambda: classical.colour_transfer(content, ref)),
                     ("histogram match 1024²", lambda: classical.histogram_match(content, ref)),
                     ("palette gradient map 1024²", lambda: classical.gradient_map(content, inks))):
        print(f"{name:<44}{best(fn):>9.3f}")


if __name__ == "__main__":
    main()
