"""Does ``blend --t 0.3`` look 30 % of the way from A to B?

For each pair (a work and a revision of it, or two variants of one brief), blend at t = 0.3 and
t = 0.7 and measure, on the PNGs, the distance of the blend to each parent: the sum over the
felt features (``media/image/felt.py``) of |difference| / jnd. ``share_B`` = dA / (dA + dB) is
where the blend sits between them as a viewer would judge: it should be near t, and below 0.5
at t = 0.3. Variant pairs differ in their drawing, which a blend takes from the nearer parent,
so their share stays lower; colour pairs follow t.

    python benchmarks/bench_blend.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from duetto.media.image import felt
from duetto.settings import Settings
from duetto.studio import Studio, operations

SMALL = {"width": 256, "height": 256, "svg": False}
FEATURES = ("warmth", "blue", "red", "green", "yellow", "lightness", "saturation", "edges", "density", "size")
PAIRS: list[tuple[str, str | None]] = [  # brief, feedback making B (None: B is the second variant)
    ("a deep blue night sea, cold and quiet", "much warmer, 金色"),
    ("calm colour fields at dusk", "more red, much brighter"),
    ("几何构成，红黄蓝", "much cooler, darker"),
    ("水墨山水，留白", None),
    ("flowing lines of wind", None),
    ("energetic brush strokes, spring garden", None),
]


def distance(f: dict[str, float], g: dict[str, float]) -> float:
    return sum(abs(f[k] - g[k]) / felt.FEATURES[k].jnd for k in FEATURES)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Settings(home=Path(tmp) / "studio", user="bench"))
        look = lambda v: felt.features(studio.blobs.read(v.sha256, v.ext))  # noqa: E731
        print(f"{'pair':<40} {'d(A,B)':>7}  {'t=0.3 share_B':>14}  {'t=0.7 share_B':>14}")
        for brief, feedback in PAIRS:
            if feedback:
                a = operations.new(studio, operations.NewRequest(
                    brief=brief, media=["painting"], variants=1, seed=1, params=SMALL)).versions[0]
                b = operations.revise(studio, operations.ReviseRequest(version=a.id, feedback=feedback)).versions[0]
            else:
                a, b = operations.new(studio, operations.NewRequest(
                    brief=brief, media=["painting"], variants=2, seed=1, params=SMALL)).versions
            fa, fb = look(a), look(b)
            shares = []
            for t in (0.3, 0.7):
                m = look(operations.blend(studio, operations.BlendRequest(a=a.id, b=b.id, t=t)).versions[0])
                da, db = distance(m, fa), distance(m, fb)
                shares.append(da / (da + db) if da + db else 0.5)
            label = f"{brief[:24]} / {feedback or 'variant 2'}"
            print(f"{label:<40} {distance(fa, fb):>7.1f}  {shares[0]:>14.2f}  {shares[1]:>14.2f}")
        studio.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
