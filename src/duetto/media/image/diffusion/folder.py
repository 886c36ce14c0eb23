"""A diffusers model folder on disk: find it, check it is whole, fingerprint it — without torch.

duetto never downloads a model. A folder is what ``save_pretrained`` writes (or a Hugging Face
snapshot copied by hand): ``model_index.json`` naming its components, one subfolder each with a
config and weights. Everything here reads only the file system, so ``duetto new --engine
diffusion`` fails before anything is stored, naming the exact file that is missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from duetto.errors import InvalidInput

INDEX = "model_index.json"
CONFIGS = {"scheduler": ("scheduler_config.json",), "tokenizer": ("vocab.json", "tokenizer.json"),
           "tokenizer_2": ("vocab.json", "tokenizer.json"), "feature_extractor": ("preprocessor_config.json",)}
WEIGHTS_DIFFUSERS = "diffusion_pytorch_model"
WEIGHTS_TRANSFORMERS = ("model", "pytorch_model")
SINGLE_FILE = {".safetensors", ".ckpt", ".pt", ".bin"}
SUPPORTED = {
    "StableDiffusionPipeline": "sd1/sd2",
    "StableDiffusionImg2ImgPipeline": "sd1/sd2",
    "StableDiffusionInpaintPipeline": "sd1/sd2 inpainting",
    "StableDiffusionXLPipeline": "sdxl",
    "StableDiffusionXLImg2ImgPipeline": "sdxl",
    "StableDiffusionXLInpaintPipeline": "sdxl inpainting",
    "LatentConsistencyModelPipeline": "lcm",
    "LatentConsistencyModelImg2ImgPipeline": "lcm",
}


@dataclass(frozen=True)
class ModelFolder:
    """A checked folder: its path, pipeline class, components and a content fingerprint."""

    path: Path
    pipeline: str
    family: str
    components: dict[str, tuple[str, str]]  # name -> (library, class)
    fingerprint: str

    @property
    def native_inpaint(self) -> bool:
        return "Inpaint" in self.pipeline


def _weights(sub: Path, library: str) -> list[Path]:
    """Weight files in a component folder (plain, fp16 variant or sharded)."""
    stems = (WEIGHTS_DIFFUSERS,) if library == "diffusers" else WEIGHTS_TRANSFORMERS
    found = [p for p in sorted(sub.iterdir()) if p.is_file() and p.name.split(".")[0] in stems
             and (p.suffix in {".safetensors", ".bin"} or p.name.endswith(".index.json"))]
    return found


def _missing_in(folder: Path, name: str, library: str, cls: str) -> list[str]:
    """What a component folder lacks, as paths relative to the model folder."""
    sub = folder / name
    if not sub.is_dir():
        return [f"{name}/ (the {cls} folder)"]
    if name in CONFIGS or cls.endswith(("Scheduler", "Tokenizer", "TokenizerFast", "ImageProcessor", "FeatureExtractor")):
        wanted = CONFIGS.get(name, ("scheduler_config.json",) if cls.endswith("Scheduler") else ())
        if wanted and not any((sub / w).is_file() for w in wanted):
            return [f"{name}/{wanted[0]}"]
        if name.startswith("tokenizer") and (sub / "vocab.json").is_file() and not (sub / "tokenizer.json").is_file() \
                and not (sub / "merges.txt").is_file():
            return [f"{name}/merges.txt"]
        return []
    missing = [] if (sub / "config.json").is_file() else [f"{name}/config.json"]
    if not _weights(sub, library):
        ext = WEIGHTS_DIFFUSERS if library == "diffusers" else WEIGHTS_TRANSFORMERS[0]
        missing.append(f"{name}/{ext}.safetensors")
    return missing


def fingerprint(folder: Path) -> str:
    """A cheap identity of the folder's contents: every config's bytes and every weight file's
    name and size. Stored in each version's info so a replay on a changed folder can be told."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name.startswith("."):
            continue
        rel = p.relative_to(folder).as_posix()
        h.update(rel.encode())
        if p.suffix in {".json", ".txt"} and p.stat().st_size < 4_000_000:
            h.update(p.read_bytes())
        else:
            h.update(str(p.stat().st_size).encode())
    return h.hexdigest()[:16]


def check_folder(path: Path) -> ModelFolder:
    """The folder, checked: every missing piece is named in one error, with what to do."""
    if not path.exists():
        raise InvalidInput(f"no model folder at {path}",
                           hint="pass a folder written by diffusers' save_pretrained (with model_index.json); "
                                "duetto never downloads models")
    if path.is_file():
        if path.suffix in SINGLE_FILE:
            raise InvalidInput(f"{path.name} is a single-file checkpoint; the diffusion engine reads diffusers folders",
                               hint="convert it once with diffusers (StableDiffusionPipeline.from_single_file(...)"
                                    ".save_pretrained(folder)) and pass the folder")
        raise InvalidInput(f"{path} is a file, not a model folder", hint="pass the folder that holds model_index.json")
    index = path / INDEX
    if not index.is_file():
        raise InvalidInput(f"model folder {path} has no {INDEX}",
                           hint="a diffusers folder starts with model_index.json (save_pretrained writes it); "
                                "duetto never downloads models")
    try:
        raw = json.loads(index.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{index} is not valid JSON ({exc})") from None
    pipeline = str(raw.get("_class_name", ""))
    if pipeline not in SUPPORTED:
        raise InvalidInput(f"{path.name} holds a {pipeline or 'nameless'} pipeline; the diffusion engine runs "
                           "Stable Diffusion 1.x/2.x, SDXL and LCM folders",
                           hint="supported: " + ", ".join(sorted(SUPPORTED)))
    components = {k: (v[0], v[1]) for k, v in raw.items()
                  if not k.startswith("_") and isinstance(v, list) and len(v) == 2 and v[0] and v[1]}
    missing = [m for name, (lib, cls) in sorted(components.items()) for m in _missing_in(path, name, lib, cls)]
    for needed in ("unet", "vae", "scheduler"):
        if needed not in components:
            missing.append(f"{needed} (not listed in {INDEX})")
    if missing:
        raise InvalidInput(f"model folder {path} is incomplete: missing {', '.join(missing)}",
                           hint="copy the whole folder (every subfolder with its config and weights); "
                                "duetto never downloads the missing parts")
    family = SUPPORTED[pipeline]
    if components["scheduler"][1] == "LCMScheduler" and family.startswith("sd"):
        family = "lcm"  # an SD folder saved with an LCM-distilled UNet (a fused LCM-LoRA): few steps
    return ModelFolder(path=path, pipeline=pipeline, family=family, components=components,
                       fingerprint=fingerprint(path))


def resolve(model: str, registered: dict[str, Path], cache: Path | None, *, paths: bool = True) -> Path:
    """A model param to a folder: a path (when ``paths``: never for a request from the web, which
    must not make the server read a folder of its choosing); else a name registered in settings
    (``DUETTO_DIFFUSION_MODELS='{"sd15": "/models/sd15"}'``); else ``<model cache>/diffusion/<name>``."""
    if not model.strip():
        raise InvalidInput("which model? pass --param model=/path/to/folder",
                           hint="a diffusers folder on disk (model_index.json, unet/, vae/, text_encoder/, …)")
    looks_like_path = "/" in model or "\\" in model or model.startswith(".") or model.startswith("~")
    if not paths and looks_like_path:
        raise InvalidInput(f"a model is named here, not given as a folder: {model!r}",
                           hint="the studio's admin registers folders in DUETTO_DIFFUSION_MODELS")
    as_path = Path(model).expanduser()
    if paths and (looks_like_path or as_path.exists()):
        return as_path
    if model in registered:
        return Path(registered[model]).expanduser()
    if cache is not None and (cache / "diffusion" / model).is_dir():
        return cache / "diffusion" / model
    known = sorted(registered)
    if cache is not None and (cache / "diffusion").is_dir():
        known += sorted(p.name for p in (cache / "diffusion").iterdir() if p.is_dir())
    raise InvalidInput(f"no diffusion model named {model!r}",
                       hint=(f"known: {', '.join(known)}; " if known else "")
                       + "pass a folder path, register names in DUETTO_DIFFUSION_MODELS, or put folders "
                         "under <model cache>/diffusion/")
