"""Tokens per second of an embedded model through ``EmbeddedProvider`` vs raw ``llama_cpp.Llama``.

Not a test: run it by hand after touching ``duetto.llm`` and paste the table into the PR.

    python benchmarks/bench_llm.py                        # qwen2.5-coder-0.5b, 4 runs of 128 tokens
    python benchmarks/bench_llm.py qwen2.5-coder-1.5b --runs 5 --cache /tmp/models

Both sides load the same GGUF with the same threads and context and run the same chat prompt
with the same seed (so they generate the same tokens), interleaved run by run so that thermal
or background noise hits both alike. tokens/s is completion tokens over the wall time of the
whole call (prompt evaluation included), median over the runs; the ratio is ours / raw and
should be >= 0.9. Streaming (``on_token``) is timed too. Peak RSS is the process's max RSS,
read after each side has loaded (the GGUF is memory-mapped, so both share its pages).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

import llama_cpp

from duetto.llm import models
from duetto.llm.base import CompletionRequest
from duetto.llm.embedded import EmbeddedProvider
from duetto.settings import Settings

PROMPT = "Write a short story, about 300 words, about a painter who mixes a colour nobody has seen."


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default=models.FAST_MODEL, choices=sorted(models.CATALOGUE))
    parser.add_argument("--cache", type=Path, default=None, help="model cache [default: Settings().cache_dir]")
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    cache = args.cache or Settings().cache_dir
    t0 = time.perf_counter()
    path = models.ensure_model(args.model, cache, progress=not args.json)
    ensure_s = time.perf_counter() - t0
    request = CompletionRequest.chat(PROMPT, max_tokens=args.max_tokens, temperature=0.7, seed=1234)
    messages = [m.model_dump() for m in request.messages]

    rss_before = rss_mib()
    provider = EmbeddedProvider(path, model_id=models.CATALOGUE[args.model].short_id,
                                n_threads=args.threads, n_ctx=args.n_ctx)
    provider.load()
    rss_ours = rss_mib()
    t0 = time.perf_counter()
    raw = llama_cpp.Llama(model_path=str(path), n_threads=args.threads, n_threads_batch=args.threads,
                          n_ctx=args.n_ctx, n_batch=512, n_gpu_layers=0, seed=0, verbose=False)
    raw_load_s = time.perf_counter() - t0
    rss_both = rss_mib()

    def run_raw() -> tuple[float, int, str]:
        raw.reset()
        started = time.perf_counter()
        out = raw.create_chat_completion(messages=messages, max_tokens=request.max_tokens,
                                         temperature=request.temperature, top_p=request.top_p,
                                         seed=request.seed, stop=[])
        seconds = time.perf_counter() - started
        return out["usage"]["completion_tokens"] / seconds, out["usage"]["completion_tokens"], \
            out["choices"][0]["message"]["content"]

    provider.complete(request.model_copy(update={"max_tokens": 4}))  # warm both (first-call costs)
    run_raw()
    ours_tps, raw_tps, stream_tps = [], [], []
    same_text = True
    tokens = 0
    for i in range(args.runs):
        if i % 2:  # alternate who goes first, so neither always runs on a cooler or hotter CPU
            done = provider.complete(request)
            r_tps, tokens, r_text = run_raw()
        else:
            r_tps, tokens, r_text = run_raw()
            done = provider.complete(request)
        raw_tps.append(r_tps)
        ours_tps.append(done.tokens_per_s)
        same_text &= done.text == r_text
        streamed = provider.complete(request, on_token=lambda piece: None)
        stream_tps.append(streamed.tokens_per_s)

    result = {
        "model": args.model,
        "model_id": provider.model_id,
        "threads": args.threads,
        "n_ctx": args.n_ctx,
        "completion_tokens": tokens,
        "runs": args.runs,
        "ensure_model_s": round(ensure_s, 3),
        "load_s": {"provider": provider.load_seconds, "raw": round(raw_load_s, 3)},
        "tokens_per_s": {
            "raw": round(statistics.median(raw_tps), 2),
            "provider": round(statistics.median(ours_tps), 2),
            "provider_streaming": round(statistics.median(stream_tps), 2),
        },
        "ratio": round(statistics.median(ours_tps) / statistics.median(raw_tps), 3),
        "same_text_as_raw": same_text,
        "peak_rss_mib": {"before_load": round(rss_before), "provider_loaded": round(rss_ours),
                         "both_loaded": round(rss_both), "end": round(rss_mib())},
        "build": provider.build_info()["system_info"],
    }
    if args.json:
        print(json.dumps(result))
        return
    tps = result["tokens_per_s"]
    print(f"{args.model} ({provider.model_id}), {args.threads} threads, {tokens} tokens × {args.runs} runs")
    print(f"  load           provider {provider.load_seconds:.2f}s   raw {raw_load_s:.2f}s   (join/verify {ensure_s:.2f}s)")
    print(f"  tokens/s       raw {tps['raw']:.2f}   provider {tps['provider']:.2f}   streaming {tps['provider_streaming']:.2f}")
    print(f"  ratio          {result['ratio']:.3f} (target >= 0.9)   same text as raw: {same_text}")
    print(f"  peak RSS MiB   {result['peak_rss_mib']}")


if __name__ == "__main__":
    main()
