"""`duetto new --engine diffusion` and `duetto diffuse` driven as a person would, on a tiny random
Stable Diffusion folder built in the test (no download anywhere)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("diffusers", reason="pip install 'duetto[diffusion]'")

from duetto.media.image.diffusion.tiny import build  # noqa: E402
from tests.e2e.test_cli import as_json, duetto, fails  # noqa: E402

pytestmark = pytest.mark.e2e


def pixels(path: str) -> np.ndarray:
    with Image.open(io.BytesIO(Path(path).read_bytes())) as im:
        return np.asarray(im.convert("RGB"))


def test_txt2img_inpaint_replay_and_a_broken_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUETTO_THREADS", "1")
    model = build(tmp_path / "tiny-sd")
    home = tmp_path / "s"
    made = as_json(home, "new", "calm blue sea at night", "--engine", "diffusion", "--param", f"model={model}",
                   "--param", "steps=2", "-n", "1", "--seed", "4")["versions"][0]
    assert made["info"]["mode"] == "txt2img" and pixels(made["path"]).shape == (64, 64, 3)
    painted = as_json(home, "new", "秋日的黄昏，一片金色的落叶", "-n", "1", "--seed", "2", "--size", "64")["versions"][0]
    inpainted = as_json(home, "diffuse", painted["id"][:10], "--model", str(model), "--mode", "inpaint",
                        "--rect", "0,0,0.5,0.5", "--steps", "2", "--seed", "1")["versions"][0]
    assert inpainted["operation"] == "diffuse" and inpainted["parents"] == [painted["id"]]
    before, after = pixels(painted["path"]), pixels(inpainted["path"])
    assert np.array_equal(before[32:], after[32:]) and np.array_equal(before[:, 32:], after[:, 32:])
    assert "identical" in duetto(home, "replay", inpainted["id"][:10]).stdout.lower()
    assert "add --mode inpaint" in fails(home, "diffuse", painted["id"][:10], "--model", str(model),
                                         "--rect", "0,0,0.5,0.5", code=2)
    (model / "unet" / "diffusion_pytorch_model.safetensors").unlink()
    assert "missing unet/diffusion_pytorch_model.safetensors" in fails(
        home, "diffuse", painted["id"][:10], "--model", str(model), code=2)
