"""The diffusion adapter on a tiny random SD 1.x folder built here: real loading, real sampling.

The pictures are noise (random weights); what is tested is the plumbing a real model goes
through — folder checks, modes, schedulers, progress, determinism, replay and the loop."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("diffusers", reason="pip install 'duetto[diffusion]'")
pytest.importorskip("torch")

from duetto.brief.rules import RuleParser  # noqa: E402
from duetto.engine import Artefact, parse_params  # noqa: E402
from duetto.errors import InvalidInput  # noqa: E402
from duetto.media.image.diffusion import Diffusion, DiffusionParams  # noqa: E402
from duetto.media.image.diffusion.folder import check_folder, resolve  # noqa: E402
from duetto.media.image.diffusion.prompt import negative_for, prompt_for  # noqa: E402
from duetto.media.image.diffusion.tiny import build  # noqa: E402
from duetto.media.image.painter import Painter  # noqa: E402
from duetto.settings import Settings  # noqa: E402
from duetto.studio import Studio, operations  # noqa: E402
from duetto.studio.diffuse import DiffuseRequest, diffuse  # noqa: E402


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("models") / "tiny-sd")


@pytest.fixture(scope="module")
def engine() -> Diffusion:
    return Diffusion(Settings(home=Path("/nonexistent"), threads=1))


@pytest.fixture
def studio1(tmp_path: Path):  # one thread: same bytes, and no fight with other work on 2 cores
    s = Studio(Settings(home=tmp_path / "studio", user="ada", project="test", threads=1))
    yield s
    s.close()


def pixels(a: Artefact) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(a.data)).convert("RGB"))


def spec(brief: str = "calm blue sea at night with a full moon, no red"):
    return RuleParser().brief(brief, medium="painting")


def painting(w: int = 96, h: int = 64) -> Artefact:
    p = Painter()
    return p.generate(spec("秋日的黄昏，一片金色的落叶"), parse_params(p, {"width": w, "height": h}), 3)


# -- the folder ---------------------------------------------------------------------------------


def test_tiny_folder_has_the_real_sd1_layout(model: Path) -> None:
    folder = check_folder(model)
    assert folder.pipeline == "StableDiffusionPipeline"
    assert set(folder.components) >= {"unet", "vae", "text_encoder", "tokenizer", "scheduler"}
    assert (model / "unet" / "diffusion_pytorch_model.safetensors").is_file()


@pytest.mark.parametrize("remove, named", [
    ("model_index.json", "model_index.json"),
    ("unet/diffusion_pytorch_model.safetensors", "unet/diffusion_pytorch_model.safetensors"),
    ("vae/config.json", "vae/config.json"),
    ("text_encoder", "text_encoder/"),
    ("scheduler/scheduler_config.json", "scheduler/scheduler_config.json"),
])
def test_incomplete_folder_names_what_is_missing(model: Path, tmp_path: Path, remove: str, named: str) -> None:
    copy = shutil.copytree(model, tmp_path / "copy")
    target = copy / remove
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    with pytest.raises(InvalidInput) as err:
        check_folder(copy)
    assert named in str(err.value)
    assert "never downloads" in (err.value.hint or "")


def test_missing_folder_and_single_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no model folder at"):
        check_folder(tmp_path / "nope")
    ckpt = tmp_path / "v1-5.safetensors"
    ckpt.write_bytes(b"x")
    with pytest.raises(InvalidInput, match="single-file checkpoint"):
        check_folder(ckpt)


def test_names_resolve_from_settings_and_model_cache(model: Path, tmp_path: Path) -> None:
    assert resolve("mine", {"mine": model}, None) == model
    (tmp_path / "diffusion" / "cached").mkdir(parents=True)
    assert resolve("cached", {}, tmp_path) == tmp_path / "diffusion" / "cached"
    with pytest.raises(InvalidInput, match="no diffusion model named 'other'") as err:
        resolve("other", {"mine": model}, tmp_path)
    assert "mine" in (err.value.hint or "") and "cached" in (err.value.hint or "")


# -- the prompt --------------------------------------------------------------------------------


def test_prompt_is_english_from_the_spec_even_for_a_chinese_brief() -> None:
    text = prompt_for(spec("秋日的黄昏，一片金色的落叶"))
    assert text.isascii()
    assert "falling leaves" in text and "gold" in text and "dusk" in text
    assert negative_for(spec()).startswith("red")  # "no red" becomes a negative word


# -- making pictures ---------------------------------------------------------------------------


def test_txt2img_is_deterministic_and_reports_each_step(engine: Diffusion, model: Path) -> None:
    params = DiffusionParams(model=str(model), steps=3, width=64, height=64)
    seen: list[tuple[float, str]] = []
    a = engine.generate(spec(), params, 11, lambda f, what: seen.append((f, what)))
    assert seen == [(1 / 3, "step 1/3"), (2 / 3, "step 2/3"), (1.0, "step 3/3")]
    assert pixels(a).shape == (64, 64, 3)
    assert engine.generate(spec(), params, 11).sha256 == a.sha256
    assert engine.generate(spec(), params, 12).sha256 != a.sha256
    assert a.info["steps_run"] == 3 and a.info["model_fingerprint"] == check_folder(model).fingerprint


@pytest.mark.parametrize("scheduler", ["euler", "euler_a", "dpm++", "lcm"])
def test_named_schedulers_run_and_differ(engine: Diffusion, model: Path, scheduler: str) -> None:
    base = engine.generate(spec(), DiffusionParams(model=str(model), steps=2), 1)
    other = engine.generate(spec(), DiffusionParams(model=str(model), steps=2, scheduler=scheduler), 1)  # type: ignore[arg-type]
    assert other.info["scheduler"] == scheduler
    assert other.sha256 != base.sha256


def test_negative_prompt_and_guidance_change_the_picture(engine: Diffusion, model: Path) -> None:
    p = DiffusionParams(model=str(model), steps=2, prompt="the sea", negative_prompt="the moon")
    a = engine.generate(spec(), p, 4)
    b = engine.generate(spec(), p.model_copy(update={"negative_prompt": "sea"}), 4)
    c = engine.generate(spec(), p.model_copy(update={"guidance": 1.0}), 4)
    assert len({a.sha256, b.sha256, c.sha256}) == 3
    assert a.info["negative_prompt"] == "the moon"


def test_img2img_from_a_painter_picture_keeps_its_size_and_runs_strength_of_the_steps(
        engine: Diffusion, model: Path) -> None:
    source = painting(96, 64)
    seen: list[str] = []
    out = engine.transform([source], spec(), DiffusionParams(model=str(model), mode="img2img", steps=4,
                                                            strength=0.5), 2, lambda f, w: seen.append(w))
    assert pixels(out).shape == (64, 96, 3)
    assert seen == ["step 1/2", "step 2/2"]  # strength 0.5 of 4 steps
    assert out.info["source_sha256"] == source.sha256
    light = engine.transform([source], spec(), DiffusionParams(model=str(model), mode="img2img", steps=4,
                                                              strength=0.25), 2)
    src = pixels(source).astype(float)  # a weaker strength stays closer to the painting
    assert np.abs(pixels(light) - src).mean() < np.abs(pixels(out) - src).mean()


def test_inpaint_changes_only_the_region(engine: Diffusion, model: Path) -> None:
    source = painting(96, 64)
    p = DiffusionParams(model=str(model), mode="inpaint", steps=2,
                        region={"kind": "rect", "box": (0.5, 0.0, 0.5, 0.5)})  # type: ignore[arg-type]
    out = engine.transform([source], spec(), p, 9)
    before, after = pixels(source), pixels(out)
    changed = (before != after).any(-1)
    assert not changed[:, :48].any() and not changed[32:, :].any()  # outside: the painting's own bytes
    assert changed[2:30, 50:94].mean() > 0.9  # inside: repainted
    assert out.info["changed"] == pytest.approx(0.25, abs=0.01)


def test_inpaint_needs_a_region_and_img2img_a_source(engine: Diffusion, model: Path) -> None:
    with pytest.raises(InvalidInput, match="inpaint needs a region"):
        parse_params(engine, {"model": str(model), "mode": "inpaint"})
    with pytest.raises(InvalidInput, match="multiple of 8"):
        parse_params(engine, {"model": str(model), "width": 100})
    with pytest.raises(InvalidInput, match="starts from a picture"):
        engine.generate(spec(), DiffusionParams(model=str(model), mode="img2img"), 1)


# -- in the studio -----------------------------------------------------------------------------


def test_new_with_the_diffusion_engine_and_replay(studio1: Studio, model: Path) -> None:
    res = operations.new(studio1, operations.NewRequest(
        brief="calm blue sea at night", engine="diffusion", variants=2, seed=5,
        params={"model": str(model), "steps": 2}))
    assert [v.operation for v in res.versions] == ["new", "new"]
    assert res.versions[0].sha256 != res.versions[1].sha256
    report = operations.replay(studio1, operations.VersionRequest(version=res.versions[0].id))
    assert report.identical
    vary = operations.vary(studio1, operations.VaryRequest(version=res.versions[0].id, variants=1, seed=3))
    assert vary.versions[0].info["mode"] == "txt2img"


def test_default_painting_engine_is_still_the_painter(studio1: Studio) -> None:
    assert studio1.registry.for_medium("painting").name == "painter"


def test_diffuse_img2img_and_inpaint_in_the_loop_replay_identically(studio1: Studio, model: Path,
                                                                    tmp_path: Path) -> None:
    painted = operations.new(studio1, operations.NewRequest(brief="秋日的黄昏，一片金色的落叶", variants=1, seed=2,
                                                            params={"width": 96, "height": 64})).versions[0]
    steps: list[str] = []

    class Listener:  # what the CLI's progress bar is: stored versions, and steps within each
        def __call__(self, i: int, n: int, v: object) -> None: ...

        def step(self, i: int, n: int, fraction: float, what: str) -> None:
            steps.append(what)

    img = diffuse(studio1, DiffuseRequest(source=painted.id, model=str(model), steps=2, strength=1.0, seed=1),
                  Listener()).versions[0]
    assert steps == ["step 1/2", "step 2/2"]
    assert img.parents == [painted.id] and img.operation == "diffuse"
    assert operations.replay(studio1, operations.VersionRequest(version=img.id)).identical
    mask = Image.new("L", (96, 64), 0)
    mask.paste(255, (0, 0, 40, 30))
    mask.save(tmp_path / "mask.png")
    inp = diffuse(studio1, DiffuseRequest(source=painted.id, model=str(model), mode="inpaint", steps=2,
                                          mask=tmp_path / "mask.png", feather=0.0, seed=1)).versions[0]
    recipe = studio1.repo.recipe(inp.id)
    assert recipe is not None and len(recipe["inputs"]) == 2  # the source and the imported mask
    assert operations.replay(studio1, operations.VersionRequest(version=inp.id)).identical
    a = np.asarray(Image.open(studio1.path_of(painted)).convert("RGB"))
    b = np.asarray(Image.open(studio1.path_of(inp)).convert("RGB"))
    changed = (a != b).any(-1)
    assert not changed[30:].any() and not changed[:, 40:].any() and changed[:30, :40].mean() > 0.9
    again = operations.vary(studio1, operations.VaryRequest(version=inp.id, variants=1, seed=8)).versions[0]
    assert json.dumps(studio1.repo.recipe(again.id)["inputs"]) == json.dumps(recipe["inputs"])


def test_diffuse_rejects_a_broken_folder_before_storing(studio1: Studio, model: Path, tmp_path: Path) -> None:
    painted = operations.new(studio1, operations.NewRequest(brief="sea", variants=1, seed=2,
                                                            params={"width": 64, "height": 64})).versions[0]
    broken = shutil.copytree(model, tmp_path / "broken")
    (broken / "vae" / "diffusion_pytorch_model.safetensors").unlink()
    with pytest.raises(InvalidInput, match="vae/diffusion_pytorch_model.safetensors"):
        diffuse(studio1, DiffuseRequest(source=painted.id, model=str(broken)))
    assert len(studio1.repo.versions_of(painted.work_id)) == 1


def test_region_revise_of_a_diffusion_picture_inpaints_only_the_region(studio1: Studio, model: Path) -> None:
    from duetto.studio.operations import ReviseRequest
    from duetto.studio.region import region_revise

    first = operations.new(studio1, operations.NewRequest(
        brief="calm blue sea at night", engine="diffusion", variants=1, seed=5,
        params={"model": str(model), "steps": 2, "width": 64, "height": 64})).versions[0]
    child = region_revise(studio1, ReviseRequest(version=first.id, feedback="warmer",
                                                       rect=(0.0, 0.0, 0.5, 0.5), feather=0.0)).versions[0]
    a = np.asarray(Image.open(studio1.path_of(first)).convert("RGB"))
    b = np.asarray(Image.open(studio1.path_of(child)).convert("RGB"))
    changed = (a != b).any(-1)
    assert not changed[32:].any() and not changed[:, 32:].any() and changed[:32, :32].mean() > 0.9
    assert child.info["painted_by"] == "diffusion"


def test_without_the_extra_the_engine_says_how_to_install_it(engine: Diffusion, model: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from duetto.media.image.diffusion import runtime

    monkeypatch.setattr(runtime, "find_spec", lambda name: None if name in ("torch", "diffusers") else object())
    with pytest.raises(InvalidInput, match="needs torch, diffusers") as err:
        engine.check(spec(), DiffusionParams(model=str(model)))
    assert "duetto[diffusion]" in (err.value.hint or "")


# -- SDXL and LCM folders ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sdxl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("models") / "tiny-sdxl", family="sdxl")


@pytest.fixture(scope="module")
def lcm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("models") / "tiny-lcm", family="lcm")


def test_tiny_sdxl_folder_has_two_text_encoders_and_a_text_time_unet(sdxl: Path) -> None:
    folder = check_folder(sdxl)
    assert (folder.pipeline, folder.family) == ("StableDiffusionXLPipeline", "sdxl")
    assert folder.components["text_encoder"] == ("transformers", "CLIPTextModel")
    assert folder.components["text_encoder_2"] == ("transformers", "CLIPTextModelWithProjection")
    assert (sdxl / "tokenizer_2" / "tokenizer.json").is_file()
    unet = json.loads((sdxl / "unet" / "config.json").read_text())
    assert unet["addition_embed_type"] == "text_time" and unet["cross_attention_dim"] == 64


@pytest.mark.parametrize("remove, named", [
    ("text_encoder_2", "text_encoder_2/"),
    ("tokenizer_2", "tokenizer_2/"),
    ("tokenizer_2/tokenizer.json", "tokenizer_2/vocab.json"),  # neither vocabulary file is there
    ("text_encoder_2/model.safetensors", "text_encoder_2/model.safetensors"),
])
def test_incomplete_sdxl_folder_names_its_second_encoder(sdxl: Path, tmp_path: Path, remove: str, named: str) -> None:
    copy = shutil.copytree(sdxl, tmp_path / "copy")
    target = copy / remove
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    with pytest.raises(InvalidInput) as err:
        check_folder(copy)
    assert named in str(err.value)


def test_sdxl_txt2img_is_deterministic_and_img2img_keeps_the_size(engine: Diffusion, sdxl: Path) -> None:
    params = DiffusionParams(model=str(sdxl), steps=2)
    a = engine.generate(spec(), params, 11)
    assert pixels(a).shape == (64, 64, 3)  # the UNet's 32² latents × the VAE's 2
    assert a.info["family"] == "sdxl" and a.info["scheduler"] == "EulerDiscreteScheduler"
    assert engine.generate(spec(), params, 11).sha256 == a.sha256
    source = painting(96, 64)
    out = engine.transform([source], spec(), DiffusionParams(model=str(sdxl), mode="img2img", steps=2,
                                                            strength=0.5), 2)
    assert pixels(out).shape == (64, 96, 3) and out.info["steps_run"] == 1
    assert out.info["source_sha256"] == source.sha256


def test_lcm_folder_samples_in_four_steps_by_default_and_only_with_its_scheduler(engine: Diffusion, lcm: Path) -> None:
    assert check_folder(lcm).family == "lcm"
    a = engine.generate(spec(), DiffusionParams(model=str(lcm)), 3)
    assert pixels(a).shape == (64, 64, 3)
    assert (a.info["steps"], a.info["steps_run"], a.info["scheduler"]) == (4, 4, "LCMScheduler")
    assert a.info["negative_prompt"] is None  # LCM folds guidance into the UNet: no negative pass
    assert engine.generate(spec(), DiffusionParams(model=str(lcm)), 3).sha256 == a.sha256
    assert engine.generate(spec(), DiffusionParams(model=str(lcm)), 4).sha256 != a.sha256
    out = engine.transform([painting(96, 64)], spec(), DiffusionParams(model=str(lcm), mode="img2img", steps=2), 2)
    assert pixels(out).shape == (64, 96, 3)
    with pytest.raises(InvalidInput, match="only with its own scheduler"):
        engine.generate(spec(), DiffusionParams(model=str(lcm), scheduler="euler"), 3)
    with pytest.raises(InvalidInput, match="cannot do inpaint"):
        engine.transform([painting(64, 64)], spec(), DiffusionParams(
            model=str(lcm), mode="inpaint", region={"kind": "rect", "box": (0, 0, 0.5, 0.5)}), 1)  # type: ignore[arg-type]


def test_sd1_folder_with_an_lcm_scheduler_is_lcm_family(engine: Diffusion, model: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(model, tmp_path / "sd-lcm")  # what saving a pipeline with a fused LCM-LoRA writes
    for name, key in (("model_index.json", "scheduler"), ("scheduler/scheduler_config.json", None)):
        raw = json.loads((copy / name).read_text())
        if key:
            raw[key] = ["diffusers", "LCMScheduler"]
        else:
            raw["_class_name"] = "LCMScheduler"
        (copy / name).write_text(json.dumps(raw))
    a = engine.generate(spec(), DiffusionParams(model=str(copy)), 1)
    assert (a.info["family"], a.info["scheduler"], a.info["steps_run"]) == ("lcm", "LCMScheduler", 4)


def test_default_scheduler_is_the_folders_own_after_a_named_one(engine: Diffusion, model: Path) -> None:
    params = DiffusionParams(model=str(model), steps=2)
    before = engine.generate(spec(), params, 5)
    engine.generate(spec(), params.model_copy(update={"scheduler": "dpm++"}), 5)
    after = engine.generate(spec(), params, 5)
    assert after.info["scheduler"] == "DDIMScheduler" and after.sha256 == before.sha256
