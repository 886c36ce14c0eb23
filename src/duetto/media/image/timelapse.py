"""``Timelapse``: a painter version as a film of its making — GIF, animated WebP or MP4.

The painter paints the same spec with the same seed while a ``Film`` (painter/film.py) watches:
strokes accumulate, ribbons of a flow field lay themselves down, a sky is washed in before the
trees and the leaves. Nothing is re-drawn for the film, so the last frame *is* the still (at the
same size, pixel for pixel before the file format's own compression), and like a still the
same recipe gives the same bytes.

Encoders: GIF and WebP come from Pillow. MP4 needs an ``ffmpeg`` binary: the optional extra
``duetto[mp4]`` installs ``imageio-ffmpeg``, whose wheel bundles a static ffmpeg built with
``--enable-gpl --enable-version3`` (GPLv3, with libx264). It runs as a separate program, and is
kept out of the default install for that reason; an ``ffmpeg`` on PATH works too.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar, Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, model_validator

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.image.painter.engine import Painter, PainterParams
from duetto.media.image.painter.film import Film, schedule
from duetto.spec import CreativeSpec

Format = Literal["gif", "webp", "mp4"]
MIME: dict[str, str] = {"gif": "image/gif", "webp": "image/webp", "mp4": "video/mp4"}
MAX_SECONDS, MAX_FPS = 20.0, 30
MAX_PIXELS = 160 * 1024 * 1024  # frames x width x height held in memory at once (~480 MB of RGB)
GIF_COLOURS = 255
WEBP_QUALITY = 82
MP4_CRF = 20


class TimelapseParams(BaseModel):
    """How the film is made; what is painted is the spec and ``painter`` (the parent's params)."""

    model_config = ConfigDict(extra="forbid")

    painter: PainterParams = Field(default_factory=PainterParams, description="The painting's own params.")
    format: Format = "gif"
    seconds: float = Field(4.0, gt=0, le=MAX_SECONDS, description="Length of the film.")
    fps: int = Field(12, ge=1, le=MAX_FPS, description="Frames per second.")
    lossless: bool = Field(False, description="WebP only: lossless frames (the last equals the still).")

    @property
    def frames(self) -> int:
        return max(2, round(self.seconds * self.fps))

    @model_validator(mode="after")
    def _fits_in_memory(self) -> TimelapseParams:
        pixels = self.frames * self.painter.width * self.painter.height
        if pixels > MAX_PIXELS:
            raise ValueError(
                f"{self.frames} frames of {self.painter.width}x{self.painter.height} is too much to hold "
                f"at once; use a smaller size, fewer seconds or a lower fps")
        return self


def making_of(spec: CreativeSpec, p: PainterParams, seed: int, frames: int,
              progress: Progress | None = None) -> list[Image.Image]:
    """``frames`` pictures of the painting being made; the last is exactly the painter's still.

    Two passes: the first counts the style's steps (and their weights), the second captures
    the steps where frames fall. Each frame gets the painter's own finishing (guard, grain)."""
    report = progress or (lambda fraction, what: None)
    painter = Painter()
    counter = Film()
    painter.paint(spec, p, seed, counter)
    report(0.2, f"{counter.total:.0f} steps to film")
    film = Film(schedule(counter.total, frames), sweep_every_step=counter.steps < 2 * frames)
    _, swatches, painting = painter.paint(spec, p, seed, film)
    report(0.45, "developing frames")
    blank = Image.new("RGB", (p.width, p.height), swatches.background)
    pictures = film.pictures(blank)[: frames - 1]
    pictures += [pictures[-1] if pictures else blank] * (frames - 1 - len(pictures))  # float rounding
    return [painter.finish(img, spec, p, seed) for img in pictures] + [painter.finish(painting.image, spec, p, seed)]


def durations_ms(frames: int, fps: int, unit: int = 1) -> list[int]:
    """Per-frame durations whose running sum stays on the true clock (GIF counts in 10 ms)."""
    edges = [round(i * 1000 / fps / unit) * unit for i in range(frames + 1)]
    return [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)]


def encode_gif(frames: list[Image.Image], fps: int) -> bytes:
    """One palette for the whole film (from the finished painting), no dithering: colours stay
    put between frames, so each frame stores only the strokes that changed."""
    palette = frames[-1].quantize(GIF_COLOURS, method=Image.Quantize.MEDIANCUT)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    buf = io.BytesIO()
    indexed[0].save(buf, format="GIF", save_all=True, append_images=indexed[1:], loop=0,
                    duration=durations_ms(len(frames), fps, unit=10), disposal=1, optimize=False)
    return buf.getvalue()


def encode_webp(frames: list[Image.Image], fps: int, lossless: bool) -> bytes:
    buf = io.BytesIO()
    frames[0].save(buf, format="WEBP", save_all=True, append_images=frames[1:], loop=0,
                   duration=durations_ms(len(frames), fps), lossless=lossless,
                   quality=100 if lossless else WEBP_QUALITY, method=4, minimize_size=False,
                   allow_mixed=False)
    return buf.getvalue()


def ffmpeg_exe() -> str:
    """The pinned ``imageio-ffmpeg`` binary when the mp4 extra is installed, else PATH's."""
    try:
        import imageio_ffmpeg  # optional: pip install 'duetto[mp4]'
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        found = shutil.which("ffmpeg")
        if found is None:
            raise InvalidInput("MP4 needs ffmpeg, which is not installed",
                               hint="pip install 'duetto[mp4]' (imageio-ffmpeg, a GPL ffmpeg build), "
                                    "or apt-get install ffmpeg; GIF and WebP need nothing") from None
        return found


def encode_mp4(frames: list[Image.Image], fps: int) -> bytes:
    """H.264 in MP4, single-threaded and bit-exact so the bytes repeat; odd sizes are padded."""
    w, h = frames[0].size
    with tempfile.TemporaryDirectory(prefix="duetto-mp4-") as tmp:
        out = Path(tmp) / "film.mp4"
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps), "-i", "-",
            "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset", "medium",
            "-crf", str(MP4_CRF), "-pix_fmt", "yuv420p", "-threads", "1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
            "-movflags", "+faststart", str(out),
        ]
        raw = b"".join(f.tobytes() for f in frames)
        done = subprocess.run(cmd, input=raw, capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"ffmpeg failed: {done.stderr.decode(errors='replace')[-400:]}")
        return out.read_bytes()


class Timelapse:
    name: ClassVar[str] = "timelapse"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = TimelapseParams

    def check(self, spec: CreativeSpec, params: BaseModel | None = None) -> None:
        p = params if isinstance(params, TimelapseParams) else TimelapseParams.model_validate(params or {})
        Painter().check(spec, p.painter)
        if p.format == "mp4":
            ffmpeg_exe()  # no ffmpeg: say so before anything is stored

    def generate(self, spec: CreativeSpec, params: BaseModel | None = None, seed: int = 0,
                 progress: Progress | None = None) -> Artefact:
        p = params if isinstance(params, TimelapseParams) else TimelapseParams.model_validate(
            params.model_dump() if isinstance(params, BaseModel) else params or {})
        report = progress or (lambda fraction, what: None)
        t0 = time.perf_counter()
        frames = making_of(spec, p.painter, seed, p.frames, report)
        t_paint = time.perf_counter() - t0
        report(0.7, f"encoding {p.format}")
        if p.format == "gif":
            data = encode_gif(frames, p.fps)
        elif p.format == "webp":
            data = encode_webp(frames, p.fps, p.lossless)
        else:
            data = encode_mp4(frames, p.fps)
        report(1.0, "done")
        info: dict[str, Any] = {
            "frames": len(frames), "fps": p.fps, "seconds": round(len(frames) / p.fps, 3),
            "size": [p.painter.width, p.painter.height], "format": p.format,
            "painter": Painter.version,
            "timings": {"frames": round(t_paint, 4), "total": round(time.perf_counter() - t0, 4)},
        }
        return Artefact(data=data, ext=p.format, mime=MIME[p.format], info=info)
