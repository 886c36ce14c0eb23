"""Animation cost: seconds of compute per second of film, by size and format.

    python benchmarks/bench_animate.py                  # 512 and 1024, gif/webp/mp4, 4 s at 12 fps
    python benchmarks/bench_animate.py --sizes 512 --styles flow,scene

For each size the baseline is the still itself (``Painter.generate`` at that size, same spec and
seed), so the table also says how many stills one second of film costs. ``frames`` is the time
to film the making (two painting passes plus developing every frame), the rest is the encoder.
MP4 is skipped when no ffmpeg is installed (``pip install 'duetto[mp4]'``). Best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import time

from duetto.errors import InvalidInput
from duetto.media.image.painter import Painter
from duetto.media.image.painter.engine import PainterParams
from duetto.media.image.timelapse import (
    encode_gif,
    encode_mp4,
    encode_webp,
    ffmpeg_exe,
    making_of,
)
from duetto.spec import CreativeSpec, Motif

SPECS = {
    "flow": CreativeSpec(brief="a river of wind", style="flow"),
    "brush": CreativeSpec(brief="impasto garden", style="brush"),
    "scene": CreativeSpec(brief="秋日的黄昏，一片金色的落叶", motifs=[
        Motif(kind="sky", variant="dusk"), Motif(kind="sun"), Motif(kind="mountains"),
        Motif(kind="trees"), Motif(kind="leaves", variant="falling")]),
}


def best(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="512,1024")
    ap.add_argument("--styles", default=",".join(SPECS))
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--fps", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    try:
        ffmpeg_exe()
        mp4 = True
    except InvalidInput:
        mp4 = False
    frames_n = round(args.seconds * args.fps)
    print(f"{frames_n} frames ({args.seconds:g} s at {args.fps} fps); s/s = compute seconds per second of film")
    print(f"{'size':>5} {'style':<6} {'still s':>8} {'frames s':>9} {'format':<5} {'encode s':>9} "
          f"{'total s':>8} {'s/s':>6} {'x still':>8} {'MB':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        p = PainterParams(width=size, height=size)
        for style in args.styles.split(","):
            spec = SPECS[style]
            t_still, _ = best(lambda spec=spec, p=p: Painter().generate(spec, p, 7), args.repeat)
            t_frames, frames = best(lambda spec=spec, p=p: making_of(spec, p, 7, frames_n), args.repeat)
            encoders = {"gif": lambda f: encode_gif(f, args.fps), "webp": lambda f: encode_webp(f, args.fps, False)}
            if mp4:
                encoders["mp4"] = lambda f: encode_mp4(f, args.fps)
            for fmt, enc in encoders.items():
                t_enc, data = best(lambda enc=enc, frames=frames: enc(frames), args.repeat)
                total = t_frames + t_enc
                print(f"{size:>5} {style:<6} {t_still:>8.3f} {t_frames:>9.3f} {fmt:<5} {t_enc:>9.3f} "
                      f"{total:>8.3f} {total / args.seconds:>6.3f} {total / t_still:>8.1f} "
                      f"{len(data) / 1e6:>6.2f}")  # type: ignore[arg-type]
    if not mp4:
        print("mp4 skipped: no ffmpeg (pip install 'duetto[mp4]')")


if __name__ == "__main__":
    main()
