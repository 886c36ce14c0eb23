"""Publishing costs: sign + embed a 2048² PNG (with and without a thumbnail), verify it, and the
registration dossier of a 20-version work; each against a baseline measured in the same run.

Baselines: signing is compared with writing the same PNG with Pillow (what saving the picture
costs anyway), verifying with reading it (``c2pa.Reader`` alone vs our ``verify``, which adds the
registry lookup and the verdict), the dossier with rendering the same number of thumbnails.

    python benchmarks/bench_publish.py
    python benchmarks/bench_publish.py --runs 5 --size 1024
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from duetto.rights import provenance
from duetto.settings import Settings
from duetto.studio import Studio, operations
from duetto.studio.dossier import DossierRequest, dossier, to_pdf
from duetto.studio.kernel import Upload
from duetto.studio.publish import (
    PublishRequest,
    VerifyRequest,
    anchors_of,
    identity_of,
    publish,
    verify,
)


def timed(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--versions", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Settings(home=Path(tmp) / "studio", user="bench"))
        rng = np.random.default_rng(1)
        small = Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8))
        picture = small.resize((args.size, args.size), Image.Resampling.BICUBIC)
        buf = io.BytesIO()
        picture.save(buf, "PNG")
        png = buf.getvalue()
        identity = identity_of(studio)
        identity.ensure()
        chain, key, _ = identity.signing_material()
        manifest = {"claim_generator_info": [{"name": "duetto-bench", "version": "1"}], "title": "bench.png",
                    "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [{
                        "action": "c2pa.created",
                        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"}]}}]}

        def save() -> bytes:
            out = io.BytesIO()
            picture.save(out, "PNG")
            return out.getvalue()

        def sign(thumbnail: bool) -> bytes:
            return provenance.sign(manifest, png, "png", chain=chain, key=key, ingredients=[], thumbnail=thumbnail).data

        t_save = timed(save, args.runs)
        t_sign = timed(lambda: sign(False), args.runs)
        t_thumb = timed(lambda: sign(True), args.runs)
        signed = sign(False)
        mb = len(png) / 2**20
        print(f"{args.size}² PNG ({mb:.1f} MiB), median of {args.runs}:")
        print(f"  Pillow save (baseline)     {t_save * 1000:8.0f} ms")
        print(f"  sign + embed               {t_sign * 1000:8.0f} ms   {t_sign / t_save:5.2f}× the save")
        print(f"  sign + embed + thumbnail   {t_thumb * 1000:8.0f} ms   {t_thumb / t_save:5.2f}× the save")

        anchors = anchors_of(studio)
        t_read = timed(lambda: provenance.read(signed, anchors=anchors), args.runs)
        t_verify = timed(lambda: verify(studio, VerifyRequest(file=Upload(name="b.png", data=signed))), args.runs)
        print(f"  c2pa read + validate       {t_read * 1000:8.0f} ms   (baseline)")
        print(f"  duetto verify              {t_verify * 1000:8.0f} ms   {t_verify / t_read:5.2f}× the read")

        v = operations.new(studio, operations.NewRequest(brief="calm blue sea at dawn", seed=1,
                                                         params={"width": 512, "height": 512})).versions[0]
        words = ["warmer", "fewer lines", "bigger shapes", "calmer", "more blue", "更温暖一些", "lighter", "denser"]
        for i in range(args.versions - 1):
            v = operations.revise(studio, operations.ReviseRequest(version=v.id, feedback=words[i % len(words)])).versions[0]
        t0 = time.perf_counter()
        publish(studio, PublishRequest(version=v.id, licence="CC-BY-4.0"))
        t_publish = time.perf_counter() - t0

        def thumbs() -> None:
            for step in dossier(studio, DossierRequest(version=v.id)).history:
                im = Image.open(io.BytesIO(studio.blobs.read(step.sha256, step.ext))).convert("RGB")
                im.thumbnail((192, 192))
                im.save(io.BytesIO(), "PNG")

        t_thumbs = timed(thumbs, args.runs)
        d = dossier(studio, DossierRequest(version=v.id))
        t_dossier = timed(lambda: to_pdf(studio, d), args.runs)
        pdf = to_pdf(studio, d)
        print(f"{len(d.history)}-version work (512² paintings):")
        print(f"  publish (lineage manifest, sign, registry)  {t_publish * 1000:6.0f} ms")
        print(f"  {len(d.history)} thumbnails alone (baseline)        {t_thumbs * 1000:6.0f} ms")
        print(f"  dossier PDF                                 {t_dossier * 1000:6.0f} ms   {t_dossier / t_thumbs:5.2f}× the thumbnails"
              f"   ({len(pdf) / 1024:.0f} KiB)")
        studio.close()


if __name__ == "__main__":
    main()
