"""Per-step overhead of the diffusion engine against calling the raw diffusers pipeline.

Both run the same loaded pipeline, prompt, size, steps and seed in the same process, one CPU
thread; the engine adds its folder check and fingerprint, prompt building, scheduler set-up, the
progress hook on every step, PNG encoding and the info record. Figures are medians of
interleaved runs; overhead = (engine − raw) / raw, per step = that difference / steps.

    .venv/bin/python benchmarks/bench_diffusion.py [--runs 7] [--steps 10]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from duetto.brief.rules import RuleParser
from duetto.media.image.diffusion import Diffusion, DiffusionParams, runtime
from duetto.media.image.diffusion.folder import check_folder
from duetto.media.image.diffusion.prompt import negative_for, prompt_for
from duetto.media.image.diffusion.tiny import build
from duetto.settings import Settings


def bench(name: str, folder: Path, size: int, steps: int, runs: int) -> None:
    import torch

    spec = RuleParser().brief("calm blue sea at night with a full moon", medium="painting")
    engine = Diffusion(Settings(home=Path(tempfile.gettempdir()) / "bench-diffusion", threads=1))
    params = DiffusionParams(model=str(folder), steps=steps, width=size, height=size)
    engine.generate(spec, params, 1)  # load once; both sides then share the loaded pipeline
    pipe = engine.pipeline(check_folder(folder), "txt2img")
    prompt, negative = prompt_for(spec), negative_for(spec)

    def raw() -> None:
        torch.set_num_threads(1)
        g = torch.Generator("cpu").manual_seed(1)
        pipe(prompt=prompt, negative_prompt=negative, num_inference_steps=steps, width=size, height=size,
             generator=g, output_type="np")

    def ours() -> None:
        engine.generate(spec, params, 1, lambda f, w: None)

    raw(), ours()  # warm both paths
    t_raw: list[float] = []
    t_ours: list[float] = []
    for _ in range(runs):
        for fn, out in ((raw, t_raw), (ours, t_ours)):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    r, o = statistics.median(t_raw), statistics.median(t_ours)
    print(f"{name:6s} {size}²  {steps} steps  raw {r * 1000:8.1f} ms  engine {o * 1000:8.1f} ms  "
          f"per step raw {r / steps * 1000:6.2f} ms  +{(o - r) / steps * 1000:6.3f} ms  overhead {100 * (o - r) / r:+5.2f} %")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--steps", type=int, default=10)
    args = ap.parse_args()
    runtime.require()
    print(f"torch {runtime.versions()['torch']}, diffusers {runtime.versions()['diffusers']}, 1 thread, "
          f"median of {args.runs} interleaved runs")
    with tempfile.TemporaryDirectory() as tmp:
        for name, size, px in (("tiny", "tiny", 64), ("small", "small", 128)):
            folder = build(Path(tmp) / name, size=size, sample_size=px // 2)
            bench(name, folder, px, args.steps, args.runs)


if __name__ == "__main__":
    main()
