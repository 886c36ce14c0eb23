"""Load a checked folder into a diffusers pipeline and run it, offline and reproducibly.

Imported only when a picture is actually made: torch and diffusers are the optional
``duetto[diffusion]`` extra, so a studio without them still starts and lists this engine.

Reproducibility on the CPU: a seeded ``torch.Generator("cpu")`` draws every noise tensor, torch
runs with a fixed thread count and deterministic algorithms, and the pipeline is float32. The
same recipe on the same folder and the same torch/diffusers gives the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: nothing below may reach a hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("DIFFUSERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no torchvision notices at import
os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")

from duetto.errors import InvalidInput  # noqa: E402
from duetto.media.image.diffusion.folder import ModelFolder  # noqa: E402

NEEDS = ("torch", "diffusers", "transformers", "safetensors")
INSTALL_HINT = "pip install 'duetto[diffusion]'  (torch 2.13.0 CPU, diffusers, transformers, safetensors)"

# name -> (diffusers class, extra config): the sampler a person picks by its usual name.
SCHEDULERS: dict[str, tuple[str, dict[str, Any]]] = {
    "euler": ("EulerDiscreteScheduler", {}),
    "euler_a": ("EulerAncestralDiscreteScheduler", {}),
    "ddim": ("DDIMScheduler", {}),
    "ddpm": ("DDPMScheduler", {}),
    "pndm": ("PNDMScheduler", {}),
    "heun": ("HeunDiscreteScheduler", {}),
    "dpm++": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++"}),
    "dpm++_karras": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++", "use_karras_sigmas": True}),
    "unipc": ("UniPCMultistepScheduler", {}),
    "lcm": ("LCMScheduler", {}),
}

StepHook = Callable[[int, int], None]
"""``hook(step done 1..n, n)`` after each denoising step."""


def missing_packages() -> list[str]:
    return [name for name in NEEDS if find_spec(name) is None]


def require() -> None:
    """A clear error, not an ImportError, when the optional extra is not installed."""
    missing = missing_packages()
    if missing:
        raise InvalidInput(f"the diffusion engine needs {', '.join(missing)}, which is not installed",
                           hint=INSTALL_HINT)


def versions() -> dict[str, str]:
    import diffusers
    import torch
    import transformers

    return {"torch": torch.__version__, "diffusers": diffusers.__version__, "transformers": transformers.__version__}


@contextmanager
def deterministic(threads: int) -> Any:
    """Fixed threads and deterministic kernels for the duration of one picture."""
    import torch

    before = (torch.get_num_threads(), torch.are_deterministic_algorithms_enabled())
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        with torch.inference_mode():
            yield
    finally:
        torch.set_num_threads(before[0])
        torch.use_deterministic_algorithms(before[1])


def quiet() -> None:
    """Silence diffusers' and transformers' own logging and progress bars. Public because
    ``tiny.build`` loads the same libraries to write its test pipeline and wants the same quiet."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    diffusers_logging.set_verbosity_error()
    diffusers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()


@dataclass
class Loaded:
    """One folder's pipeline and the mode pipelines built from it (sharing its weights)."""

    folder: ModelFolder
    base: Any
    modes: dict[str, Any]


def load(folder: ModelFolder) -> Loaded:
    """The folder's own pipeline class, float32 on the CPU, local files only."""
    require()
    quiet()
    import diffusers
    import torch

    cls = getattr(diffusers, folder.pipeline)
    kwargs: dict[str, Any] = {"local_files_only": True, "dtype": torch.float32}
    if "safety_checker" in folder.components:
        kwargs.update(safety_checker=None, requires_safety_checker=False)
    try:
        pipe = cls.from_pretrained(str(folder.path), **kwargs)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"diffusers could not load {folder.path}: {exc}",
                           hint="the folder may be partly copied or from a newer diffusers") from None
    pipe.set_progress_bar_config(disable=True)
    return Loaded(folder=folder, base=pipe, modes={})


def for_mode(loaded: Loaded, mode: str) -> Any:
    """txt2img, img2img or inpaint on the same weights (``from_pipe`` shares every module)."""
    if mode in loaded.modes:
        return loaded.modes[mode]
    from diffusers import (
        AutoPipelineForImage2Image,
        AutoPipelineForInpainting,
        AutoPipelineForText2Image,
    )

    auto = {"txt2img": AutoPipelineForText2Image, "img2img": AutoPipelineForImage2Image,
            "inpaint": AutoPipelineForInpainting}[mode]
    try:
        pipe = auto.from_pipe(loaded.base)
    except ValueError as exc:
        raise InvalidInput(f"a {loaded.folder.family} model cannot do {mode}: {exc}") from None
    pipe.set_progress_bar_config(disable=True)
    loaded.modes[mode] = pipe
    return pipe


def scheduler_for(pipe: Any, name: str) -> Any:
    """The pipeline's scheduler swapped for a named one built from the same config (betas,
    timestep spacing), or the folder's own for ``default``."""
    if name == "default":
        return pipe.scheduler
    if type(pipe).__name__.startswith("LatentConsistencyModel") and name != "lcm":
        raise InvalidInput(f"an LCM model samples only with its own scheduler, not {name}",
                           hint="leave scheduler at default (or lcm)")
    import diffusers

    cls_name, extra = SCHEDULERS[name]
    config = dict(pipe.scheduler.config)
    return getattr(diffusers, cls_name).from_config(config, **extra)


def run(pipe: Any, scheduler: Any, call: dict[str, Any], seed: int, threads: int, hook: StepHook | None) -> Any:
    """One pipeline call → a (H, W, 3) float array in 0..1."""
    import torch

    own, pipe.scheduler = pipe.scheduler, scheduler

    def on_step_end(_pipe: Any, step: int, _t: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        if hook is not None:  # img2img runs only strength × steps of the schedule
            hook(step + 1, int(_pipe.num_timesteps))
        return kwargs

    try:
        with deterministic(threads):
            generator = torch.Generator("cpu").manual_seed(seed)
            out = pipe(**call, generator=generator, output_type="np", callback_on_step_end=on_step_end)
    finally:  # the folder's own scheduler stays "default" for the next picture
        pipe.scheduler = own
    return out.images[0]
