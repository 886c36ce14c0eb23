"""A tiny Stable Diffusion 1.x folder with random weights, built here from configs.

For tests, benchmarks and trying the plumbing without a real model: it has the exact layout of
a real SD 1.x folder (model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/) and
goes through the same loading and sampling code, but draws noise-like pictures. Nothing is
downloaded: the CLIP tokenizer's vocabulary is the 256 byte symbols (each alone and as a word
end) plus a few merges, written to vocab.json/merges.txt here.
"""

from __future__ import annotations

import json
from pathlib import Path
from tempfile import TemporaryDirectory

from duetto.media.image.diffusion import runtime

MERGES = [("t", "h"), ("th", "e</w>"), ("s", "e"), ("se", "a</w>"), ("m", "o"), ("mo", "o"), ("moo", "n</w>")]
SIZES = {"tiny": (32, 64), "small": (64, 128)}  # block_out_channels of the UNet and VAE


def byte_symbols() -> list[str]:
    """GPT-2/CLIP byte-level alphabet: one printable character per byte value."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    shifted, n = {}, 0
    for b in range(256):
        if b in keep:
            shifted[b] = b
        else:
            shifted[b] = 256 + n
            n += 1
    return [chr(shifted[b]) for b in range(256)]


def write_tokenizer_files(folder: Path) -> tuple[Path, Path, dict[str, int]]:
    """vocab.json and merges.txt of a byte-level CLIP BPE that can spell any text."""
    folder.mkdir(parents=True, exist_ok=True)
    symbols = byte_symbols()
    vocab: dict[str, int] = {}
    for token in [*symbols, *(s + "</w>" for s in symbols), *(a + b for a, b in MERGES),
                  "<|startoftext|>", "<|endoftext|>"]:
        vocab.setdefault(token, len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in MERGES), encoding="utf-8")
    return folder / "vocab.json", folder / "merges.txt", vocab


def build(folder: Path, size: str = "tiny", seed: int = 0, sample_size: int = 32) -> Path:
    """Write a random-weight SD 1.x pipeline to ``folder``: ``sample_size`` latents, ×2 pixels
    (a two-block VAE halves once), so 64² by default."""
    runtime.require()
    runtime._quiet()
    import torch
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    a, b = SIZES[size]
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(a, b), layers_per_block=1, sample_size=sample_size, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32, norm_num_groups=32, attention_head_dim=(2, 4),
    )
    vae = AutoencoderKL(
        block_out_channels=[a, b], in_channels=3, out_channels=3, latent_channels=4, norm_num_groups=32,
        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2, sample_size=sample_size * 2,
    )
    with TemporaryDirectory() as tmp:
        vocab_file, merges_file, vocab = write_tokenizer_files(Path(tmp))
        tokenizer = CLIPTokenizer(vocab=str(vocab_file), merges=str(merges_file), model_max_length=77)
    text_encoder = CLIPTextModel(CLIPTextConfig(
        vocab_size=len(vocab), hidden_size=32, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
        projection_dim=32, layer_norm_eps=1e-5, bos_token_id=vocab["<|startoftext|>"], eos_token_id=vocab["<|endoftext|>"],
        pad_token_id=vocab["<|endoftext|>"],
    ))
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                              set_alpha_to_one=False, steps_offset=1)
    pipe = StableDiffusionPipeline(unet=unet, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer,
                                   scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)
    pipe.save_pretrained(str(folder), safe_serialization=True)
    return folder
