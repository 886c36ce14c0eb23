"""``Diffusion``: Stable Diffusion (1.x, 2.x, SDXL, LCM) from a model folder on your disk.

Bring your own model: ``--param model=/models/sd15`` (or a registered name). duetto never
downloads anything — a missing folder or file is an error that names it — and the pipeline is
loaded with ``local_files_only`` under ``HF_HUB_OFFLINE=1``.

Three modes, one engine:

- ``txt2img``: a picture from the spec (the prompt is built from its motifs, subject, colours,
  mood and style unless you give one);
- ``img2img``: a stored version (a painter picture is the usual start) redrawn with ``strength``;
- ``inpaint``: only a region (``Region``: rect, ellipse or a stored mask picture) is repainted;
  outside it the source's pixels are kept bit for bit (composited through a feathered alpha).

img2img and inpaint are a ``Transformer``: the studio hands the stored source (and mask) bytes,
so replay, vary and revise re-read the same bytes. The engine is also an ``Inpainter`` for the
``region`` engine (``duetto revise <v> "…" --rect …`` with a diffusion inner engine).
"""

from __future__ import annotations

import io
import time
from typing import Any, ClassVar, Literal

import numpy as np
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.image.diffusion import runtime
from duetto.media.image.diffusion.folder import ModelFolder, check_folder, resolve
from duetto.media.image.diffusion.prompt import negative_for, prompt_for
from duetto.media.image.painter.canvas import encode_png
from duetto.media.image.region import Region, alpha, composite, read_mask
from duetto.settings import Settings
from duetto.spec import CreativeSpec

Mode = Literal["txt2img", "img2img", "inpaint"]
SchedulerName = Literal["default", "euler", "euler_a", "ddim", "ddpm", "pndm", "heun", "dpm++", "dpm++_karras",
                        "unipc", "lcm"]
MAX_SIDE = 2048
DEFAULT_STRENGTH = {"img2img": 0.6, "inpaint": 1.0}

class DiffusionParams(BaseModel):
    """How to sample (the spec says *what*: the prompt is built from it unless given)."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field("", description="A diffusers folder on disk, or a name from DUETTO_DIFFUSION_MODELS "
                                       "or <model cache>/diffusion/<name>.")
    mode: Mode = "txt2img"
    prompt: str | None = Field(None, max_length=2000, description="Default: built from the spec.")
    negative_prompt: str | None = Field(None, max_length=2000, description="Default: excluded colours + 'blurry …'.")
    scheduler: SchedulerName = Field("default", description="default = the folder's own scheduler.")
    steps: int | None = Field(None, ge=1, le=200, description="Default 25 (4 for LCM).")
    guidance: float | None = Field(None, ge=0.0, le=30.0, description="Classifier-free guidance; default the pipeline's.")
    strength: float | None = Field(None, gt=0.0, le=1.0, description="img2img/inpaint: how far from the source "
                                                                      "(default 0.6 / 1.0).")
    width: int | None = Field(None, ge=64, le=MAX_SIDE, description="Multiple of 8; default the model's (txt2img) "
                                                                    "or the source's.")
    height: int | None = Field(None, ge=64, le=MAX_SIDE)
    region: Region | None = Field(None, description="inpaint: where to repaint.")

    @field_validator("width", "height")
    @classmethod
    def _multiple_of_8(cls, v: int | None) -> int | None:
        if v is not None and v % 8:
            raise ValueError(f"{v} is not a multiple of 8 (the VAE works in 8×8 blocks); try {v - v % 8}")
        return v

    @model_validator(mode="after")
    def _region_for_inpaint(self) -> DiffusionParams:
        if self.mode == "inpaint" and self.region is None:
            raise ValueError("inpaint needs a region (rect, ellipse or mask)")
        if self.mode != "inpaint" and self.region is not None:
            raise ValueError(f"a region is for inpaint, not {self.mode}")
        return self

    def steps_for(self, folder: ModelFolder) -> int:
        if self.steps is not None:
            return self.steps
        return 4 if self.scheduler == "lcm" or folder.family == "lcm" else 25


def decode(artefact: Artefact, what: str) -> Image.Image:
    if not artefact.mime.startswith("image/") or artefact.ext == "svg":
        raise InvalidInput(f"diffusion works from raster pictures; the {what} is {artefact.mime}")
    try:
        with Image.open(io.BytesIO(artefact.data)) as im:
            return im.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(f"the {what} cannot be read ({exc})") from None


def working_size(source: Image.Image, p: DiffusionParams) -> tuple[int, int]:
    """The size the model works at: asked for, else the source's, rounded down to multiples of 8
    and at most 2048 on the long side."""
    if p.width and p.height:
        return p.width, p.height
    scale = min(1.0, MAX_SIDE / max(source.size))
    w, h = source.width * scale, source.height * scale
    if p.width:
        w, h = p.width, h * p.width / w
    elif p.height:
        w, h = w * p.height / h, p.height
    return max(64, int(w) // 8 * 8), max(64, int(h) // 8 * 8)


def to_image(array: np.ndarray) -> Image.Image:
    """(H, W, 3) floats 0..1 → an RGB picture."""
    return Image.fromarray(np.rint(np.clip(array, 0.0, 1.0) * 255.0).astype(np.uint8))  # (H, W, 3) → RGB


class Diffusion:
    name: ClassVar[str] = "diffusion"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = DiffusionParams

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self._loaded: runtime.Loaded | None = None  # the last folder's pipeline, kept for the next picture

    # -- finding and loading the model ---------------------------------------------------------

    def folder(self, model: str) -> ModelFolder:
        registered = dict(self.settings.diffusion_models) if self.settings else {}
        cache = self.settings.model_cache if self.settings else None
        paths = self.settings.diffusion_paths if self.settings else True
        return check_folder(resolve(model, registered, cache, paths=paths))

    def pipeline(self, folder: ModelFolder, mode: str) -> Any:
        loaded = self._loaded
        if loaded is None or loaded.folder.path != folder.path or loaded.folder.fingerprint != folder.fingerprint:
            self._loaded = None  # let the old weights go before loading the new ones
            loaded = self._loaded = runtime.load(folder)
        return runtime.for_mode(loaded, mode)

    @property
    def threads(self) -> int:
        return self.settings.threads if self.settings else 1

    def check(self, spec: CreativeSpec, params: BaseModel) -> None:
        """Before anything is stored: the packages are installed and the folder is whole."""
        p = DiffusionParams.model_validate(params.model_dump())
        runtime.require()
        self.folder(p.model)

    # -- making pictures -------------------------------------------------------------------------

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int, progress: Progress | None = None) -> Artefact:
        p = DiffusionParams.model_validate(params.model_dump())
        if p.mode != "txt2img":
            raise InvalidInput(f"{p.mode} starts from a picture", hint=f"duetto diffuse <version> --mode {p.mode} --model …")
        folder = self.folder(p.model)
        call: dict[str, Any] = {}
        if p.width or p.height:
            call.update(width=p.width or p.height, height=p.height or p.width)
        return self._run(folder, p, spec, seed, call, progress)

    def transform(self, parents: list[Artefact], spec: CreativeSpec, params: BaseModel, seed: int,
                  progress: Progress | None = None) -> Artefact:
        p = DiffusionParams.model_validate(params.model_dump())
        if p.mode == "txt2img" or not parents:  # a variation of a txt2img picture starts afresh
            return self.generate(spec, p, seed, progress)
        source = decode(parents[0], "source picture")
        if p.mode == "img2img":
            folder = self.folder(p.model)
            w, h = working_size(source, p)
            init = source.resize((w, h), Image.Resampling.LANCZOS) if source.size != (w, h) else source
            return self._run(folder, p, spec, seed, {"image": init}, progress, source=parents[0])
        assert p.region is not None  # the params validator guarantees it
        mask = None
        if p.region.kind == "mask":
            if len(parents) < 2 or parents[1].sha256 != p.region.mask:
                raise InvalidInput("the mask picture of this inpaint is missing or not the one recorded")
            mask = read_mask(parents[1].data)
        a = alpha(p.region, source.size, mask)  # (H, W) 0 outside .. 1 inside
        soft = Image.fromarray(np.rint(a * 255).astype(np.uint8))  # "L"
        painted = self.inpaint(parents[0], soft, spec, p, seed, progress)
        out = composite(source, decode(painted, "inpainted picture"), a)
        info = dict(painted.info, region=p.region.describe(), changed=round(float((a > 0).mean()), 4),
                    width=out.width, height=out.height)
        return Artefact(data=encode_png(out), ext="png", mime="image/png", info=info)

    def inpaint(self, picture: Artefact, mask: Image.Image, spec: CreativeSpec, params: BaseModel, seed: int,
                progress: Progress | None = None) -> Artefact:
        """Repaint where ``mask`` ("L", 255 = repaint) says; the whole picture comes back (the
        caller composites it, so outside the mask stays the source's own)."""
        p = DiffusionParams.model_validate(_as_inpaint(params))
        folder = self.folder(p.model)
        source = decode(picture, "source picture")
        w, h = working_size(source, p)
        init = source.resize((w, h), Image.Resampling.LANCZOS) if source.size != (w, h) else source
        # the model repaints the whole region (any alpha > 0); the caller's feathered composite
        # makes the seam, so the pipeline's own binarising at half grey would only shrink it
        hard = mask.convert("L").point(lambda v: 255 if v > 0 else 0).resize((w, h), Image.Resampling.NEAREST)
        call = {"image": init, "mask_image": hard, "width": w, "height": h}
        return self._run(folder, p, spec, seed, call, progress, source=picture)

    def _run(self, folder: ModelFolder, p: DiffusionParams, spec: CreativeSpec, seed: int, call: dict[str, Any],
             progress: Progress | None, source: Artefact | None = None) -> Artefact:
        t0 = time.perf_counter()
        mode = "inpaint" if "mask_image" in call else p.mode
        pipe = self.pipeline(folder, mode)
        t_load = time.perf_counter() - t0
        steps = p.steps_for(folder)
        prompt = p.prompt if p.prompt is not None else prompt_for(spec)
        negative = p.negative_prompt if p.negative_prompt is not None else negative_for(spec)
        call = dict(call, prompt=prompt, num_inference_steps=steps)
        if "negative_prompt" in _call_args(pipe):
            call["negative_prompt"] = negative
        if p.guidance is not None:
            call["guidance_scale"] = p.guidance
        strength = p.strength if p.strength is not None else DEFAULT_STRENGTH.get(mode)
        if strength is not None and mode != "txt2img":
            call["strength"] = strength
        report = progress
        hook = None if report is None else (lambda i, n: report(i / n, f"step {i}/{n}"))
        t1 = time.perf_counter()
        array = runtime.run(pipe, runtime.scheduler_for(pipe, p.scheduler), call, seed, self.threads, hook)
        t_sample = time.perf_counter() - t1
        image = to_image(array)
        ran = int(getattr(pipe, "num_timesteps", steps))
        info: dict[str, Any] = {
            "model": str(folder.path), "model_fingerprint": folder.fingerprint, "family": folder.family,
            "mode": mode, "prompt": prompt, "negative_prompt": call.get("negative_prompt"),
            "scheduler": p.scheduler if p.scheduler != "default" else type(pipe.scheduler).__name__,
            "steps": steps, "steps_run": ran, "guidance": call.get("guidance_scale"), "strength": call.get("strength"),
            "width": image.width, "height": image.height, "versions": runtime.versions(),
            "load_s": round(t_load, 4), "sample_s": round(t_sample, 4),
            "step_s": round(t_sample / max(1, ran), 4),
        }
        if source is not None:
            info["source_sha256"] = source.sha256
        return Artefact(data=encode_png(image), ext="png", mime="image/png", info=info)


def _as_inpaint(params: BaseModel) -> dict[str, Any]:
    """Params for the inpaint call: the ``region`` engine hands its inner params (txt2img by
    default) — the region is its business, the mode here is inpaint."""
    raw = params.model_dump()
    raw.update(mode="inpaint", region=raw.get("region") or {"kind": "rect", "box": (0, 0, 1, 1)})
    return raw


def _call_args(pipe: Any) -> set[str]:
    import inspect

    return set(inspect.signature(pipe.__call__).parameters)

