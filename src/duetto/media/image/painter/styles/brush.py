"""brush: layered impasto brush strokes over a loose underpainting, impressionist texture.

Three passes, coarse to fine, like a painter blocking in and then refining: each stroke is a
short tapered ribbon following a smooth direction field, coloured from the underpainting with a
little jitter, with a lighter and a darker bristle streak inside it. A relief pass then lights
the paint from the top left (gradients of the luminance act as the paint's height) and a faint
canvas weave shows through.

How the spec acts:
- palette: the underpainting is organic regions of the swatches (by weight); strokes sample it
  and occasionally carry another swatch (more often with complexity).
- energy: turbulence of the stroke directions and how far strokes tilt from the lean.
- density: number of strokes per pass; below neutral they thin out fast (as the cube), so a
  sparser picture shows its soft underpainting between the strokes.
- shape_size: stroke length and width (x1.3 a step of feedback; the colour regions of the
  underpainting stay where they are, so each colour keeps its share).
- line.smoothness: curved, aligned strokes (high) or straight, jittered, choppy dabs (low);
  line.weight: stroke width relative to length; line.amount: how each stroke reads as a mark:
  bristle streak strength, the tone step to its neighbours and the relief (x1.35 a step, one
  step up at most), and above neutral a third bristle groove.
- rhythm: strokes on a jittered lattice with equal sizes (high) versus random (low).
- complexity: colour jitter and the chance of a stroke in a contrasting swatch.
- composition: the fine pass concentrates where the composition puts its mass.
- mood.arousal: relief depth and colour jitter.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from duetto.media.image.painter.layout import anchor_points, lattice, lean
from duetto.media.image.painter.noise import sample, smooth_noise, upscale
from duetto.media.image.painter.styles.base import Job, Painting, Style
from duetto.spec import CreativeSpec

STROKE_STEP = 1.4  # shape feedback: stroke length and width x this per 0.15 of shape_size
CRISP_STEP, CRISP_UP = 1.35, 1.0  # line feedback: stroke-to-stroke tone and relief change this much
# per step (up to CRISP_UP steps up: sharper still, light greens clip and lose their colour)
SPARSE_POW = 3.0  # below neutral density the strokes' coverage falls as this power (see _coverage)
POINTS = 6  # centre-line points per stroke: enough for a gentle bend
UNDERPAINTING_WEIGHT = 400.0  # on film, laying the underpainting takes as long as this many strokes


def affinity(spec: CreativeSpec) -> float:
    return 0.3 + 0.35 * spec.density + 0.3 * spec.energy + 0.2 * spec.complexity + 0.15 * (1 - spec.line.smoothness)


def paint(job: Job) -> Painting:
    spec = job.spec
    W, H = job.width, job.height
    under = _underpainting(job)  # (H, W, 3) float
    angles = _directions(job)
    image = Image.fromarray(np.clip(under, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image, "RGBA")
    if job.film is not None:  # animating: the underpainting is laid first, then every stroke
        job.film.watch(image)
        job.film.develop(lambda img: Image.fromarray(np.clip(_relief(job, np.asarray(img, np.float32)), 0, 255).astype(np.uint8)))
        job.film.tick(weight=UNDERPAINTING_WEIGHT)
    m = min(W, H)
    marks = 0
    for level, (size, share) in enumerate(((0.11, 0.35), (0.06, 0.4), (0.032, 0.25))):
        length = m * size * STROKE_STEP ** min(2.0, (spec.shape_size - 0.5) / 0.15)  # long strokes pool colour: two steps up at most
        width = length * (0.16 + 0.22 * spec.line.weight)
        coverage = _coverage(spec.density)
        n = int(coverage * share * W * H / (length * width) * 0.9)
        centres = _centres(job, n, level)
        marks += _strokes(job, draw, under, angles, centres, length, width)
    out = _relief(job, np.asarray(image, np.float32))
    return Painting(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), None, marks)


def _coverage(density: float) -> float:
    """How many times over the strokes cover the canvas: 2 at neutral density, more above it
    (0.9 + 2.2 x density, as always); below it the strokes thin out as the cube, so the soft
    underpainting breathes between them ("sparser": a fifth of the strokes at density 0.3)."""
    return 0.9 + 2.2 * density if density >= 0.5 else 2.0 * (density / 0.5) ** SPARSE_POW


def _underpainting(job: Job) -> np.ndarray:
    """Organic colour regions: each swatch owns where its noise field is strongest."""
    rng, sw = job.rng, job.swatches
    W, H = job.width, job.height
    w8, h8 = max(8, W // 8), max(8, H // 8)
    feature = 25 * w8 / 128  # fixed: shape feedback resizes the strokes, not where each colour lies
    fields = np.stack([smooth_noise(rng, h8, w8, feature, 2) for _ in sw.colours])
    fields *= np.sqrt(np.asarray(sw.weights))[:, None, None] * len(sw.colours) ** 0.5
    share = np.exp((fields - fields.max(axis=0)) * 14.0)  # soft argmax: regions with soft seams
    share /= share.sum(axis=0)
    small = np.einsum("khw,kc->hwc", share, sw.array)  # (h8, w8, 3)
    ground = np.asarray(sw.background, np.float32)
    small += (ground - small) * (0.3 if sw.dark_ground else 0.12)  # the ground tones the mix
    return np.stack([upscale(small[..., c], W, H) for c in range(3)], axis=-1)


def _directions(job: Job) -> np.ndarray:
    spec, rng = job.spec, job.rng
    w4, h4 = max(8, job.width // 4), max(8, job.height // 4)
    field = smooth_noise(rng, h4, w4, 40 + 60 * spec.shape_size, 2)
    base = lean(spec.composition, spec.energy, rng)
    return (base + (field - 0.5) * (0.4 + 2.4 * spec.energy) * np.pi).astype(np.float32)


def _centres(job: Job, n: int, level: int) -> np.ndarray:
    spec, rng = job.spec, job.rng
    if spec.rhythm > 0.6:
        return lattice(rng, n, job.width, job.height, jitter=0.7 * (1 - spec.rhythm) + 0.05)
    if level == 2:  # the fine pass gathers where the composition puts its weight
        k = n // 2
        return np.concatenate([
            anchor_points(spec.composition, rng, k, job.width, job.height, spread=1.3),
            rng.uniform([0, 0], [job.width, job.height], (n - k, 2)),
        ])
    return rng.uniform([0, 0], [job.width, job.height], (n, 2))


def _strokes(
    job: Job, draw: ImageDraw.ImageDraw, under: np.ndarray, angles: np.ndarray,
    centres: np.ndarray, length: float, width: float,
) -> int:
    """Draw ``len(centres)`` strokes; geometry and colour computed for all at once."""
    spec, rng, sw = job.spec, job.rng, job.swatches
    n = len(centres)
    if n == 0:
        return 0
    a = sample(angles, centres[:, 0] / 4, centres[:, 1] / 4)
    a += rng.normal(0, 0.05 + 0.5 * (1 - spec.line.smoothness) ** 2, n)
    size_jitter = 0.35 * (1 - spec.rhythm) + 0.05
    L = length * np.exp(rng.normal(0, size_jitter, n))[:, None]
    Wd = width * np.exp(rng.normal(0, size_jitter, n))[:, None]
    bend = rng.normal(0, 0.25 * spec.line.smoothness, n)[:, None]
    t = np.linspace(-0.5, 0.5, POINTS)[None, :]
    d = np.stack([np.cos(a), np.sin(a)], 1)[:, None, :]
    nrm = np.stack([-np.sin(a), np.cos(a)], 1)[:, None, :]
    centre = centres[:, None, :] + d * (t * L)[..., None] + nrm * (bend * (t**2 - 0.25) * L)[..., None]
    half = (Wd / 2 * np.sqrt(np.clip(1 - (2 * t) ** 4, 0.05, 1)))[..., None]
    outline = np.concatenate([centre + nrm * half, (centre - nrm * half)[:, ::-1]], axis=1)

    xs = np.clip(centres[:, 0].astype(int), 0, job.width - 1)
    ys = np.clip(centres[:, 1].astype(int), 0, job.height - 1)
    base = under[ys, xs]
    swap = rng.random(n) < 0.02 + 0.1 * spec.complexity
    base[swap] = sw.array[sw.pick(rng, int(swap.sum()))]
    jitter = 0.06 + 0.1 * spec.complexity + 0.06 * spec.mood.arousal
    # line.amount: how far each stroke's tone stands off its neighbours (a stroke reads as a mark
    # by its edge); the hue jitter stays, so colours keep their shares
    colour = np.clip(base * (1 + rng.normal(0, jitter, (n, 1)) * _crisp(spec)) + rng.normal(0, 6, (n, 3)), 0, 255)
    light = np.clip(colour * 1.18 + 18, 0, 255).astype(int).tolist()
    dark = np.clip(colour * 0.78, 0, 255).astype(int).tolist()
    colour = colour.astype(int).tolist()
    streak_alpha = int(60 + 140 * spec.line.amount)
    streak_w = max(1, round(float(width) * 0.12))
    polys = outline.reshape(n, -1).tolist()
    hi_lines = (centre + nrm * half * 0.45).reshape(n, -1).tolist()
    lo_lines = (centre - nrm * half * 0.5).reshape(n, -1).tolist()
    # more lines than neutral: a third, darker bristle groove down the middle of each stroke (a light
    # one would bleach the light greens out of their colour)
    groove = int(np.clip((spec.line.amount - 0.5) / 0.3, 0.0, 1.0) * 230)
    mid_lines = (centre + nrm * half * 0.05).reshape(n, -1).tolist()
    for i in range(n):
        draw.polygon(polys[i], fill=(*colour[i], 245))
        draw.line(hi_lines[i], fill=(*light[i], streak_alpha), width=streak_w)
        draw.line(lo_lines[i], fill=(*dark[i], streak_alpha), width=streak_w)
        if groove:
            draw.line(mid_lines[i], fill=(*dark[i], groove), width=streak_w)
        if job.film is not None:
            job.film.tick()
    return n


def _crisp(spec: CreativeSpec) -> float:
    """How sharply the strokes read as separate marks: x CRISP_STEP per 0.15 of line.amount."""
    return float(CRISP_STEP ** np.clip((spec.line.amount - 0.5) / 0.15, -3.0, CRISP_UP))


def _relief(job: Job, img: np.ndarray) -> np.ndarray:
    """Light the paint from the top left: luminance gradients stand in for paint height."""
    spec = job.spec
    lum = img @ np.array([0.3, 0.59, 0.11], np.float32)
    gy, gx = np.gradient(lum)
    shade = np.clip((-gx - gy) * (0.004 + 0.008 * spec.mood.arousal) * _crisp(spec), -0.25, 0.25)
    yy, xx = np.mgrid[0 : job.height, 0 : job.width].astype(np.float32)
    period = max(2.0, 3.0 * job.scale)
    weave = 0.025 * np.sin(xx * (np.pi / period)) * np.sin(yy * (np.pi / period))
    return img * (1 + shade + weave)[..., None]


STYLE = Style(
    name="brush",
    vector=False,
    keywords=("brush", "stroke", "impasto", "impression", "oil", "texture", "van gogh", "monet",
              "笔触", "厚涂", "印象", "油画", "肌理", "梵高", "莫奈"),
    affinity=affinity,
    paint=paint,
    summary="layered impasto brush strokes over an underpainting, lit for relief on canvas weave",
)
