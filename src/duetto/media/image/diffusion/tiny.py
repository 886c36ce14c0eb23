"""Tiny Stable Diffusion folders with random weights, built here from configs: SD 1.x, SDXL, LCM.

For tests, benchmarks and trying the plumbing without a real model: each has the exact layout of
a real folder of its family and goes through the same loading and sampling code, but draws
noise-like pictures.

- ``sd1``: ``StableDiffusionPipeline`` (model_index.json, unet/, vae/, text_encoder/, tokenizer/,
  scheduler/ with DDIM);
- ``sdxl``: ``StableDiffusionXLPipeline``: a second tokenizer and a second text encoder with a
  projection (text_encoder_2/, tokenizer_2/), and a UNet conditioned on both encoders' hidden
  states and on "text_time" (the pooled embedding plus six size/crop numbers);
- ``lcm``: ``LatentConsistencyModelPipeline``: the SD 1.x layout with an LCMScheduler and a UNet
  that takes the guidance scale as an embedding (``time_cond_proj_dim``), as LCM-distilled
  models ship.

Nothing is downloaded: the CLIP tokenizer's vocabulary is the 256 byte symbols (each alone and as
a word end) plus a few merges, written to vocab.json/merges.txt here.
"""

from __future__ import annotations

import json
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, Literal

from duetto.media.image.diffusion import runtime

MERGES = [("t", "h"), ("th", "e</w>"), ("s", "e"), ("se", "a</w>"), ("m", "o"), ("mo", "o"), ("moo", "n</w>")]
SIZES = {"tiny": (32, 64), "small": (64, 128)}  # block_out_channels of the UNet and VAE
Family = Literal["sd1", "sdxl", "lcm"]
TEXT = 32  # hidden size of each text encoder (SDXL concatenates two: 64)
TIME = 8  # SDXL: width of each of the six size/crop numbers' embeddings


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


def build(folder: Path, size: str = "tiny", seed: int = 0, sample_size: int = 32, family: Family = "sd1") -> Path:
    """Write a random-weight pipeline of ``family`` to ``folder``: ``sample_size`` latents, ×2
    pixels (a two-block VAE halves once), so 64² by default."""
    runtime.require()
    runtime.quiet()
    import torch
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        EulerDiscreteScheduler,
        LatentConsistencyModelPipeline,
        LCMScheduler,
        StableDiffusionPipeline,
        StableDiffusionXLPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextModelWithProjection

    a, b = SIZES[size]
    torch.manual_seed(seed)
    unet_extra: dict[str, Any] = {"cross_attention_dim": TEXT}
    if family == "sdxl":  # conditioned on both encoders (32 + 32) and on pooled text + 6 numbers
        unet_extra = {"cross_attention_dim": 2 * TEXT, "use_linear_projection": True, "addition_embed_type": "text_time",
                      "addition_time_embed_dim": TIME, "projection_class_embeddings_input_dim": 6 * TIME + TEXT}
    elif family == "lcm":  # the guidance scale comes in as an embedding, not as a second pass
        unet_extra["time_cond_proj_dim"] = TEXT
    unet = UNet2DConditionModel(
        block_out_channels=(a, b), layers_per_block=1, sample_size=sample_size, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        norm_num_groups=32, attention_head_dim=(2, 4), **unet_extra,
    )
    vae = AutoencoderKL(
        block_out_channels=[a, b], in_channels=3, out_channels=3, latent_channels=4, norm_num_groups=32,
        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2, sample_size=sample_size * 2,
    )
    tokenizer, vocab = _tokenizer()
    text_encoder = _text_encoder(vocab)
    betas: dict[str, Any] = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1}
    pipe: Any
    if family == "sdxl":
        pipe = StableDiffusionXLPipeline(
            vae=vae, text_encoder=text_encoder, text_encoder_2=_text_encoder(vocab, CLIPTextModelWithProjection),
            tokenizer=tokenizer, tokenizer_2=_tokenizer()[0], unet=unet,
            scheduler=EulerDiscreteScheduler(**betas, timestep_spacing="leading"), add_watermarker=False)
    elif family == "lcm":
        pipe = LatentConsistencyModelPipeline(
            vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet,
            scheduler=LCMScheduler(**betas, clip_sample=False, set_alpha_to_one=True), safety_checker=None,
            feature_extractor=None, requires_safety_checker=False)
    else:
        pipe = StableDiffusionPipeline(
            unet=unet, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer,
            scheduler=DDIMScheduler(**betas, clip_sample=False, set_alpha_to_one=False), safety_checker=None,
            feature_extractor=None, requires_safety_checker=False)
    pipe.save_pretrained(str(folder), safe_serialization=True)
    return folder


def _tokenizer() -> tuple[Any, dict[str, int]]:
    from transformers import CLIPTokenizer

    with TemporaryDirectory() as tmp:
        vocab_file, merges_file, vocab = write_tokenizer_files(Path(tmp))
        return CLIPTokenizer(vocab=str(vocab_file), merges=str(merges_file), model_max_length=77), vocab


def _text_encoder(vocab: dict[str, int], cls: Any = None) -> Any:
    """A two-layer CLIP text encoder (``cls``: CLIPTextModel, or …WithProjection for SDXL's second)."""
    from transformers import CLIPTextConfig, CLIPTextModel

    return (cls or CLIPTextModel)(CLIPTextConfig(
        vocab_size=len(vocab), hidden_size=TEXT, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
        projection_dim=TEXT, layer_norm_eps=1e-5, bos_token_id=vocab["<|startoftext|>"],
        eos_token_id=vocab["<|endoftext|>"], pad_token_id=vocab["<|endoftext|>"],
    ))
