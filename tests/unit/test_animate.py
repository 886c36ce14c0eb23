"""`duetto animate`: a painting filmed as it is made — frames, formats, determinism, errors."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence
from typer.testing import CliRunner

from duetto.cli import app
from duetto.errors import InvalidInput
from duetto.media.image.painter import Painter
from duetto.media.image.painter.engine import PainterParams
from duetto.media.image.painter.film import Film
from duetto.media.image.painter.styles import STYLES
from duetto.media.image.timelapse import Timelapse, TimelapseParams, making_of
from duetto.spec import CreativeSpec, Motif
from duetto.studio import Studio, operations
from duetto.studio.animate import AnimateRequest, animate

SIZE = 160
AUTUMN = CreativeSpec(brief="autumn dusk, falling leaves", motifs=[
    Motif(kind="sky", variant="dusk"), Motif(kind="mountains"), Motif(kind="leaves", variant="falling")])


def spec_for(style: str) -> CreativeSpec:
    return AUTUMN if style == "scene" else CreativeSpec(brief="a quiet evening", style=style)


def rgb(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), np.int16)


def mp4_available() -> bool:
    try:
        import imageio_ffmpeg  # noqa: F401
        return True
    except ImportError:
        return shutil.which("ffmpeg") is not None


@pytest.mark.parametrize("style", list(STYLES))
def test_every_style_films_its_making_and_ends_on_the_still(style: str) -> None:
    p = PainterParams(width=SIZE, height=SIZE, style=style)
    still = Image.open(io.BytesIO(Painter().generate(spec_for(style), p, seed=11).data))
    frames = making_of(spec_for(style), p, 11, 24)
    assert len(frames) == 24
    assert np.array_equal(rgb(frames[-1]), rgb(still))  # the last frame is the still, pixel for pixel
    distinct = len({hashlib.sha256(f.tobytes()).hexdigest() for f in frames})
    assert distinct >= 18, f"{style}: only {distinct} different frames of 24"
    # it is *made*, not faded in: early frames differ from the still far more than late ones
    change = [float(np.abs(rgb(f) - rgb(still)).mean()) for f in frames]
    assert change[0] > 4 * max(change[-3], 0.5)


def test_the_film_watching_changes_nothing_in_the_still() -> None:
    p = PainterParams(width=SIZE, height=SIZE)
    for style in STYLES:
        spec = spec_for(style)
        plain = Painter().paint(spec, p.model_copy(update={"style": style}), 3)[2].image
        watched = Painter().paint(spec, p.model_copy(update={"style": style}), 3, Film([1.0, 2.0]))[2].image
        assert plain.tobytes() == watched.tobytes(), style


def test_a_heavy_step_is_swept_on_not_faded() -> None:
    """A sky laid as one step: mid-way the top is painted and the bottom still blank."""
    p = PainterParams(width=SIZE, height=SIZE, style="colorfield")
    frames = making_of(CreativeSpec(style="colorfield"), p, 2, 40)
    first = rgb(frames[0])
    top, bottom = first[: SIZE // 5], first[-SIZE // 5 :]
    final = rgb(frames[-1])
    assert np.abs(top - final[: SIZE // 5]).mean() < np.abs(bottom - final[-SIZE // 5 :]).mean()


@pytest.mark.parametrize("fmt", ["gif", "webp"])
def test_gif_and_webp_are_deterministic_last_the_still_and_last_the_asked_time(fmt: str) -> None:
    spec = CreativeSpec(brief="flowing river", style="flow")
    params = TimelapseParams(painter=PainterParams(width=SIZE, height=SIZE), format=fmt, seconds=1.5, fps=10,
                             lossless=True)
    a, b = Timelapse().generate(spec, params, 5), Timelapse().generate(spec, params, 5)
    assert a.data == b.data and a.mime == f"image/{fmt}" and a.info["frames"] == 15
    film = Image.open(io.BytesIO(a.data))
    frames = [f.copy() for f in ImageSequence.Iterator(film)]
    durations = [f.info["duration"] for f in frames]
    assert sum(durations) == 1500  # identical frames may merge, the clock may not drift
    assert len(frames) == 15 if fmt == "webp" else 12 <= len(frames) <= 15
    still = rgb(Image.open(io.BytesIO(Painter().generate(spec, params.painter, 5).data)))
    error = np.abs(rgb(frames[-1]) - still).mean()
    assert error == 0 if fmt == "webp" else error < 3  # lossless WebP: exact; GIF: 255 colours


@pytest.mark.skipif(not mp4_available(), reason="mp4 needs ffmpeg: pip install 'duetto[mp4]'")
def test_mp4_decodes_with_every_frame_and_repeats_its_bytes(tmp_path: Path) -> None:
    import imageio_ffmpeg

    spec = CreativeSpec(brief="waves", style="wave")
    params = TimelapseParams(painter=PainterParams(width=SIZE + 1, height=SIZE), format="mp4", seconds=2, fps=12)
    a = Timelapse().generate(spec, params, 9)
    assert a.data == Timelapse().generate(spec, params, 9).data and a.mime == "video/mp4"
    path = tmp_path / "film.mp4"
    path.write_bytes(a.data)
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == 24 and seconds == pytest.approx(2.0, abs=0.1)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    assert tuple(meta["size"]) == (SIZE + 2, SIZE)  # odd width padded for yuv420p


def test_animate_stores_a_replayable_child_in_the_same_work(studio: Studio) -> None:
    painting = operations.new(studio, operations.NewRequest(
        brief="秋日的黄昏，一片金色的落叶", variants=1, seed=4, params={"width": 192, "height": 128})).versions[0]
    film = animate(studio, AnimateRequest(version=painting.short, seconds=1, fps=8)).versions[0]
    assert film.work_id == painting.work_id and film.parents == [painting.id]
    assert film.mime == "image/gif" and film.operation == "animate" and film.info["frames"] == 8
    gif = Image.open(studio.path_of(film))
    assert gif.size == (192, 128)
    gif.seek(gif.n_frames - 1)
    still = rgb(Image.open(studio.path_of(painting)))
    assert np.abs(rgb(gif) - still).mean() < 3
    assert operations.replay(studio, operations.VersionRequest(version=film.id)).identical
    small = animate(studio, AnimateRequest(version=painting.short, size=96, seconds=0.5, fps=6, format="webp"))
    assert Image.open(studio.path_of(small.versions[0])).size == (96, 64)


def test_bad_requests_are_clear_errors(studio: Studio, tmp_path: Path) -> None:
    painting = operations.new(studio, operations.NewRequest(
        brief="sea", variants=1, seed=1, params={"width": 96, "height": 96})).versions[0]
    edit = tmp_path / "edit.png"
    Image.new("RGB", (96, 96), (10, 20, 30)).save(edit)
    mine = operations.import_edit(studio, operations.ImportRequest(version=painting.id, file=edit)).versions[0]
    with pytest.raises(InvalidInput, match="only the painter's paintings can be animated"):
        animate(studio, AnimateRequest(version=mine.short))
    with pytest.raises(ValueError, match="less than or equal to 20"):
        AnimateRequest(version=painting.short, seconds=1000)
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        AnimateRequest(version=painting.short, fps=0)
    with pytest.raises(InvalidInput, match="too much to hold"):
        animate(studio, AnimateRequest(version=painting.short, size=2048, seconds=20, fps=30))


def test_cli_refuses_bad_input_with_exit_2(studio: Studio) -> None:
    painting = operations.new(studio, operations.NewRequest(
        brief="sea", variants=1, seed=1, params={"width": 96, "height": 96})).versions[0]
    home = str(studio.settings.home)
    runner = CliRunner()
    for args in (["--fps", "0"], ["--seconds", "1000"], ["--format", "avi"]):
        done = runner.invoke(app, ["animate", painting.short, "--home", home, *args])
        assert done.exit_code == 2, (args, done.output)
    done = runner.invoke(app, ["animate", painting.short, "--home", home, "--seconds", "0.5", "--fps", "4", "--json"])
    assert done.exit_code == 0, done.output
    assert '"operation": "animate"' in done.stdout
