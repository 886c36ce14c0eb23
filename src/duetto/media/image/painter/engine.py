"""``Painter``: the embedded image engine. Instant on CPU, PNG always, SVG for vector styles.

Randomness is split into independent streams derived from the seed (palette, style choice,
drawing, grain) so that choosing a style never shifts the drawing: a run that let the painter
choose and a run that names the same style give the same bytes.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar, Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from duetto.engine import Artefact, Progress
from duetto.errors import InvalidInput
from duetto.media.image import grade
from duetto.media.image.painter import grading, variety
from duetto.media.image.painter.canvas import encode_png
from duetto.media.image.painter.film import Film
from duetto.media.image.painter.palette import (
    Exclusions,
    Swatches,
    build_palette,
    to_hex,
)
from duetto.media.image.painter.styles import STYLES, Job, Painting, Style
from duetto.spec import CreativeSpec, SpecDelta

# Stream tags: fixed forever, changing one changes every painting (bump ``version`` then).
STREAM_PALETTE, STREAM_CHOICE, STREAM_DRAW, STREAM_GRAIN = 1, 2, 3, 4
SHORTLIST = 4  # the automatic choice draws among this many best-scoring styles
KEYWORD_BONUS = 1.5
GRAIN_TILE = 256
FIGURATIVE = "scene"  # the style for specs with motifs (see styles/scene.py)


class PainterParams(BaseModel):
    """How to render (the spec says *what*): canvas size, style override, outputs."""

    model_config = ConfigDict(extra="forbid")

    width: int = Field(1024, ge=64, le=2048, description="Canvas width in pixels.")
    height: int = Field(1024, ge=64, le=2048, description="Canvas height in pixels.")
    style: str | None = Field(None, description="Overrides spec.style; None lets the spec decide.")
    svg: bool = Field(True, description="Also emit SVG for vector styles (extras['svg']).")
    supersample: int = Field(2, ge=1, le=3, description="Antialiasing factor for vector shapes.")
    grain: float = Field(1.0, ge=0.0, le=2.0, description="Strength of the final film grain.")
    harmony: Literal["analogous", "complementary", "split", "triad"] | None = Field(
        None, description="The companion colours' scheme; None: drawn from the seed (a set's variants pick theirs).")

    @field_validator("style")
    @classmethod
    def _known_style(cls, v: str | None) -> str | None:
        if v is not None and v not in STYLES:
            raise ValueError(f"unknown painter style {v!r}; styles are {', '.join(STYLES)}")
        return v


def rng_for(seed: int, stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, stream])))


def style_scores(spec: CreativeSpec) -> dict[str, float]:
    """How well each style suits the spec: its own affinity plus a bonus per matching word."""
    text = " ".join([*spec.keywords, spec.brief, spec.subject, *spec.mood.named]).lower()
    scores = {}
    for name, style in STYLES.items():
        if name == FIGURATIVE:  # chosen by motifs, never by abstract qualities
            continue
        hits = sum(1 for word in style.keywords if word in text)
        scores[name] = max(0.05, style.affinity(spec)) + KEYWORD_BONUS * min(hits, 3)
    return scores


def choose_style(spec: CreativeSpec, seed: int) -> str:
    """Weighted pick among the best few, from its own RNG stream, so variants differ."""
    ranked = sorted(style_scores(spec).items(), key=lambda kv: (-kv[1], kv[0]))[:SHORTLIST]
    weights = np.array([score for _, score in ranked]) ** 2
    pick = rng_for(seed, STREAM_CHOICE).choice(len(ranked), p=weights / weights.sum())
    return ranked[int(pick)][0]


class Painter:
    name: ClassVar[str] = "painter"
    version: ClassVar[str] = "1.0.0"
    medium: ClassVar[str] = "painting"
    Params: ClassVar[type[BaseModel]] = PainterParams

    def check(self, spec: CreativeSpec, params: BaseModel | None = None) -> None:
        """Fail early on a style nobody can paint (the studio calls this before storing)."""
        p = _coerce_params(params)
        if p.style is None and spec.style is not None:
            _style(spec.style)

    def absorb(self, delta: SpecDelta, spec: CreativeSpec) -> SpecDelta:
        """Colour feedback becomes a grade of the finished picture (see ``painter/grading.py``)."""
        return grading.absorb(delta, spec)

    def toward(self, blended: CreativeSpec, near: CreativeSpec, far: bytes, share: float) -> CreativeSpec:
        """A blend keeps the near parent's palette and pulls colour toward the far one's pixels."""
        return grading.toward(blended, near, far, share)

    def generate(
        self,
        spec: CreativeSpec,
        params: BaseModel | None = None,
        seed: int = 0,
        progress: Progress | None = None,
    ) -> Artefact:
        p = _coerce_params(params)
        if not 0 <= seed < 2**63:
            raise InvalidInput(f"seed must be in 0..2**63-1, got {seed}")
        report = progress or (lambda fraction, what: None)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()

        report(0.05, "painting")
        name, swatches, painting = self.paint(spec, p, seed)
        timings["paint"] = time.perf_counter() - t0
        report(0.85, "finishing")

        image = self.finish(painting.image, spec, p, seed)
        if image.size != (p.width, p.height) or image.mode != "RGB":
            raise AssertionError(f"style {name} returned {image.mode} {image.size}")
        data = encode_png(image)
        timings["total"] = time.perf_counter() - t0
        report(1.0, "done")
        extras = {"svg": painting.svg.encode()} if painting.svg is not None else {}
        info: dict[str, Any] = {
            "style": name,
            "palette": swatches.hex(),
            "background": to_hex(swatches.background),
            "marks": painting.marks,
            "size": [p.width, p.height],
            "timings": {k: round(v, 4) for k, v in timings.items()},
        }
        return Artefact(
            data=data, ext="png", mime="image/png", extras=extras,
            resolved={"style": name}, info=info,
        )

    def paint(
        self, spec: CreativeSpec, p: PainterParams, seed: int, film: Film | None = None
    ) -> tuple[str, Swatches, Painting]:
        """The style's raw painting (before finishing); a ``film`` watches it being made."""
        name = p.style or spec.style or (FIGURATIVE if spec.motifs else choose_style(spec, seed))
        style = _style(name)
        swatches = build_palette(spec, rng_for(seed, STREAM_PALETTE), p.harmony)
        job = Job(
            spec=spec, swatches=swatches, width=p.width, height=p.height,
            supersample=p.supersample, rng=rng_for(seed, STREAM_DRAW),
            want_svg=p.svg and style.vector, film=film,
        )
        return name, swatches, style.paint(job)

    def spread(self, specs: list[CreativeSpec], params: list[BaseModel], seeds: list[int]
               ) -> list[tuple[CreativeSpec, BaseModel]]:
        """The variants of one brief as a spread set (studio/sets.py): each its own reading of the
        composition and palette, chosen for distance as well as quality (painter/variety.py).
        Variants that already differ (a painting per poem, vary's perturbed specs) stay as they are."""
        ps = [_coerce_params(p) for p in params]
        if len(specs) < 2 or any(s != specs[0] for s in specs) or any(p != ps[0] for p in ps):
            return list(zip(specs, params, strict=True))
        p0 = ps[0]
        side = variety.THUMB
        w, h = (side, max(16, round(side * p0.height / p0.width))) if p0.width >= p0.height else \
            (max(16, round(side * p0.width / p0.height)), side)
        thumb = p0.model_copy(update={"width": w, "height": h, "svg": False, "supersample": 1, "grain": 0.0})

        def render(spec: CreativeSpec, harmony: str | None, seed: int) -> Image.Image:
            q = thumb.model_copy(update={"harmony": harmony or p0.harmony})
            _, _, painting = self.paint(spec, q, seed)
            return self.finish(painting.image, spec, q, seed)

        looks = variety.choose(specs[0], seeds, render, pool_seed=seeds[0])
        return [(lk.spec, p.model_copy(update={"harmony": lk.harmony}) if lk.harmony else p)
                for lk, p in zip(looks, ps, strict=True)]

    def finish(self, image: Image.Image, spec: CreativeSpec, p: PainterParams, seed: int) -> Image.Image:
        """Grade, exclusion guard and grain: the same for the still and for every frame of its film.
        The guard comes after the grade so that a warm cast cannot bring back a colour said no to."""
        excluded = Exclusions([*spec.palette.excluded, *spec.grade.excluded],
                              [*spec.palette.excluded_hues, *grading.excluded_arcs(spec.grade)])
        graded = grade.apply(image, spec.grade)
        return _grain(excluded.guard(graded), p.grain, rng_for(seed, STREAM_GRAIN))


def _coerce_params(params: BaseModel | dict[str, Any] | None) -> PainterParams:
    """Accept our own params, a dict, or another model with the same fields; fail clearly."""
    if isinstance(params, PainterParams):
        return params
    raw = {} if params is None else params if isinstance(params, dict) else params.model_dump()
    try:
        return PainterParams.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput(f"bad parameters for engine painter: {exc}") from exc


def _style(name: str) -> Style:
    try:
        return STYLES[name]
    except KeyError:
        raise InvalidInput(
            f"unknown painter style {name!r}", hint=f"styles: {', '.join(STYLES)}"
        ) from None


def _grain(image: Image.Image, amount: float, rng: np.random.Generator) -> Image.Image:
    """A whisper of luminance noise: breaks digital flatness and banding in gradients.

    A 256 px tile of small integers, tiled over the canvas: at this amplitude repetition is
    invisible, and it costs milliseconds where full-size Gaussian noise cost a tenth of a second.
    """
    if amount <= 0:
        return image
    arr = np.asarray(image, dtype=np.int16)
    h, w = arr.shape[:2]
    k = max(1, round(2 * amount))
    tile = rng.integers(-k, k + 1, (GRAIN_TILE, GRAIN_TILE), dtype=np.int16)
    noise = np.tile(tile, (-(-h // GRAIN_TILE), -(-w // GRAIN_TILE)))[:h, :w]
    return Image.fromarray(np.clip(arr + noise[..., None], 0, 255).astype(np.uint8))
