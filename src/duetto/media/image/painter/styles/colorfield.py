"""colorfield: Rothko-like soft-edged fields of colour floating on a ground.

Fields are masks painted at a quarter of the resolution, their edges frayed by noise and
feathered by blur, then glazed over the ground in thin layers with a brushy, horizontally
streaked texture so that the colour breathes instead of sitting flat.

How the spec acts:
- palette: the ground is the primary colour deepened (or a light ground when mood.valence is
  high); fields take the other colours in an order that alternates light and dark.
- energy: frayed, uneven edges and a slight tilt (calm gives quiet, level fields).
- density: how worked the surface is. Denser lays fine dry-brush bristle marks over the fields
  (lighter and darker than the paint, the same hues), sparser melts the fields' borders into
  the ground and quiets their brushing; the fields and their colours stay (each colour keeps its
  share). complexity sets the number of fields (2..4). shape_size: the scale of the masses: bigger fields breathe
  out over wider soft borders with broad, fainter brushing, smaller ones are cut crisply with fine, more
  visible brushing (margins stay put, so each colour keeps its share of the canvas).
- rhythm: equal field heights (high) or a dominant field with smaller companions (low).
- line.smoothness: edge softness (feathering width). line.amount: below neutral the borders
  melt further into the ground; above it thin hand-drawn rules run along the fields' edges, in a
  lighter or darker tone of the field's own colour (more of them the more lines are asked).
- complexity: the number of fields, inner glazes within each field and strength of the brush texture.
- composition: stacked (balanced, horizontal), side by side (vertical), one floating block
  (centered), tilted (diagonal), a 2x2 grid (grid) or offset blocks (scattered).
- mood.arousal: saturation of fields relative to the ground (luminous versus muted).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from duetto.media.image.painter.noise import smooth_noise, smoothstep, upscale
from duetto.media.image.painter.palette import RGB, hls_to_rgb, mix, rgb_to_hls
from duetto.media.image.painter.styles.base import Job, Painting, Style
from duetto.spec import CreativeSpec

WORK = 4  # fields are soft: paint their masks at 1/4 resolution
FILM_LAYER = 10.0  # on film: how long one field takes to wash in (the ground too)
SOFTEN_STEP, SOFTEST = 1.25, 0.8  # fewer lines: each 0.15 of line.amount below 0.5 melts the borders this much
MASS_STEP = 1.3  # shape_size: each 0.15 of it widens the fields' soft borders this much (and broadens the brushing)
TEXTURE_STEP = 1.4  # shape_size: each 0.15 of it broadens the brushed texture inside the fields this much
FINE_STEP, SHOW_STEP = 1.3, 1.7  # smaller shapes: each 0.15 below neutral makes that brushing finer still, and this much more marked
QUIET_STEP = 1.3  # bigger shapes: each 0.15 above neutral makes the brushing this much fainter
MELT_STEP = 1.25  # sparser: the borders melt (and the brushing quiets) this much per unit of _space
BRISTLE = 0.28  # denser: contrast of the dry-brush bristle marks inside the fields (x sqrt of the steps)
RULE_WIDTH = 0.011  # more lines: width of a drawn rule along a field's edge, share of the short side


def affinity(spec: CreativeSpec) -> float:
    return 0.25 + 0.7 * (1 - spec.energy) + 0.6 * spec.shape_size + 0.25 * (1 - spec.density) - 0.25 * spec.complexity


def paint(job: Job) -> Painting:
    spec, rng = job.spec, job.rng
    W, H = job.width, job.height
    w4, h4 = max(16, W // WORK), max(16, H // WORK)

    rects = _layout(job)
    ground, colours = _colours(job, len(rects))
    canvas = np.empty((H, W, 3), np.float32)
    canvas[:] = ground
    # a slow luminance drift across the ground, as thin paint over a dark priming
    drift = upscale(smooth_noise(rng, h4, w4, 60, 2), W, H)[..., None]
    canvas *= 0.9 + 0.2 * drift

    def snap(weight: float) -> None:  # animating: the ground, then each field and glaze, washed in
        if job.film is not None:
            job.film.tick(lambda: Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8)), weight)
    snap(FILM_LAYER)

    soft = (0.006 + 0.03 * spec.line.smoothness) * min(w4, h4)
    fray = (0.1 + 0.9 * spec.energy) * 0.015 * min(w4, h4)
    texture_amp = 0.05 + 0.1 * spec.complexity
    mass = (spec.shape_size - 0.5) / 0.15  # steps of shape feedback away from neutral
    grain = 6.0 * TEXTURE_STEP**mass / FINE_STEP ** max(0.0, -mass)  # bigger shapes: broader, slower brushing; smaller: finer
    crisp = max(SOFTEST, SOFTEN_STEP ** min(0.0, (spec.line.amount - 0.5) / 0.15))  # borders melt with fewer lines
    crisp *= MASS_STEP ** min(2.0, max(-2.0, -mass))  # bigger masses breathe out wider; small ones are cut
    texture_amp *= SHOW_STEP ** max(0.0, -mass)  # smaller shapes: the brushing inside shows up
    texture_amp /= QUIET_STEP ** max(0.0, mass)  # bigger masses: broad, quiet brushing
    space = _space(spec.density)
    crisp /= MELT_STEP**space  # sparser: the fields melt into the ground
    fray /= MELT_STEP**space  # with quiet, level borders
    texture_amp /= MELT_STEP**space  # and their brushing quiets
    covered = np.zeros((H, W), np.float32)
    for k, (x0, y0, x1, y1) in enumerate(rects):
        colour = np.asarray(colours[k % len(colours)], np.float32)
        alpha = _field_mask(rng, w4, h4, (x0, y0, x1, y1), soft, fray, spec.energy, crisp)
        alpha = upscale(alpha, W, H)
        streaks = upscale(smooth_noise(rng, h4, w4, grain, 3, 0.6, stretch=(1.0, 10.0)), W, H)
        tone = colour[None, None, :] * (1.0 + texture_amp * (streaks[..., None] - 0.5) * 2)
        a = np.clip(alpha * (0.82 + 0.18 * streaks), 0, 1)[..., None]
        canvas += (tone - canvas) * a
        np.maximum(covered, alpha, out=covered)
        snap(FILM_LAYER)
        if spec.complexity > 0.35:  # an inner glaze: a lighter or darker breath inside
            inset = 0.12 + 0.1 * rng.random()
            dx, dy = (x1 - x0) * inset, (y1 - y0) * inset
            inner = _field_mask(rng, w4, h4, (x0 + dx, y0 + dy, x1 - dx, y1 - dy), soft * 2.5, fray, spec.energy, crisp)
            glaze = np.asarray(_shift(colours[k % len(colours)], 0.08 if k % 2 else -0.08), np.float32)
            ia = upscale(inner, W, H)[..., None] * (0.25 + 0.3 * spec.complexity)
            canvas += (glaze - canvas) * ia
            snap(FILM_LAYER / 2)
    rules = _rules(job, rects, colours, canvas)
    _bristles(job, canvas, covered)
    if rules:
        snap(FILM_LAYER / 2)
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    return Painting(image, None, len(rects) + rules)


def _rules(job: Job, rects: list[tuple[float, float, float, float]], colours: list[RGB], canvas: np.ndarray) -> int:
    """More lines than neutral: thin hand-drawn rules along the fields' long edges, a lighter or
    darker tone of the field's own colour (so the colour shares stay), one more slot filled for
    each step of line.amount above 0.5. Drawn last, with the main stream's last draws."""
    spec, rng = job.spec, job.rng
    W, H = job.width, job.height
    slots = [(k, side) for k in range(len(rects)) for side in (0, 1)]
    n = round(len(slots) * min(1.0, max(0.0, spec.line.amount - 0.5) / 0.4))
    if n == 0:
        return 0
    order = rng.permutation(len(slots))[:n]
    width = max(1.5, RULE_WIDTH * min(W, H))
    for j in order.tolist():
        k, side = slots[j]
        x0, y0, x1, y1 = (v * WORK for v in rects[k])
        horizontal = (x1 - x0) >= (y1 - y0)
        inset = 0.14 + 0.1 * rng.random()  # how far inside the field the rule runs
        mask = Image.new("L", (W, H), 0)
        t = np.linspace(0.0, 1.0, 24)
        wobble = (rng.normal(0, 1, 24).cumsum() * 0.0015 * min(W, H))
        if horizontal:
            y = y0 + (y1 - y0) * (inset if side == 0 else 1 - inset)
            pts = np.stack([x0 + (x1 - x0) * (0.04 + 0.92 * t), y + wobble], 1)
        else:
            x = x0 + (x1 - x0) * (inset if side == 0 else 1 - inset)
            pts = np.stack([x + wobble, y0 + (y1 - y0) * (0.04 + 0.92 * t)], 1)
        ImageDraw.Draw(mask).line([tuple(p) for p in pts.tolist()], fill=255, width=round(width), joint="curve")
        a = np.asarray(mask.filter(ImageFilter.GaussianBlur(0.6)), np.float32)[..., None] / 255 * 0.75
        colour = colours[k % len(colours)]
        tone = np.asarray(_shift(colour, 0.17 if rgb_to_hls(colour)[1] < 0.55 else -0.17), np.float32)
        canvas += (tone - canvas) * a
    return n


def _space(density: float) -> float:
    """How far below neutral density is, in felt units: 0 at 0.5 and above, growing as the log of
    what is left, so "much sparser" still melts more than "sparser" near 0 (where the spec clamps)."""
    return max(0.0, float(np.log(0.55 / (density + 0.05))))


def _bristles(job: Job, canvas: np.ndarray, covered: np.ndarray) -> None:
    """Denser than neutral: the fields carry dry-brush bristle marks, fine horizontal streaks a
    little lighter and darker than the paint under them (the same hues), more marked with each
    step. Drawn from their own stream, after everything else, so no other draw moves."""
    steps = (job.spec.density - 0.5) / 0.15
    if steps <= 0:
        return
    H, W = canvas.shape[:2]
    rng = np.random.default_rng(int(job.rng.integers(2**63)))
    streaks = smooth_noise(rng, H, W, max(3.0, 0.012 * min(W, H)), 2, 0.6, stretch=(1.0, 14.0))
    amp = BRISTLE * min(3.0, max(1.0, steps)) ** 0.5  # the first step above neutral is already one felt step
    canvas += (canvas * 0.6 + 40.0) * (amp * (streaks - 0.5) * 2 * covered)[..., None]


def _colours(job: Job, n_fields: int) -> tuple[RGB, list[RGB]]:
    """Ground and field colours: the heaviest swatches, arranged light/dark so neighbours part."""
    sw, spec = job.swatches, job.spec
    ordered = [sw.colours[i] for i in np.argsort(-np.asarray(sw.weights), kind="stable")]
    primary = ordered[0]
    h, l, s = rgb_to_hls(primary)
    if spec.mood.valence > 0.45:
        ground = mix(sw.background, primary, 0.25)
    else:
        ground = hls_to_rgb(h, 0.12 + 0.14 * (spec.mood.valence + 1) / 2, min(0.42, s * 0.6))
    rest = ordered[1:] or ordered
    chosen = sorted((rest * n_fields)[:n_fields], key=lambda c: rgb_to_hls(c)[1])
    lights, darks = chosen[len(chosen) // 2 :], chosen[: len(chosen) // 2]
    fields: list[RGB] = []
    for i in range(max(len(lights), len(darks))):
        if i < len(lights):
            fields.append(lights[-1 - i])
        if i < len(darks):
            fields.append(darks[i])
    boost = 0.6 + 0.8 * spec.mood.arousal
    return ground, [hls_to_rgb(*_saturate(rgb_to_hls(c), boost)) for c in fields]


def _saturate(hls: tuple[float, float, float], k: float) -> tuple[float, float, float]:
    return hls[0], hls[1], min(1.0, hls[2] * k)


def _shift(c: RGB, dl: float) -> RGB:
    h, l, s = rgb_to_hls(c)
    return hls_to_rgb(h, l + dl, s)


def _layout(job: Job) -> list[tuple[float, float, float, float]]:
    """Field rectangles in work-resolution pixels."""
    spec, rng = job.spec, job.rng
    w4, h4 = max(16, job.width // WORK), max(16, job.height // WORK)
    n = 2 + round(2.0 * spec.complexity)  # 3 from a quarter to three quarters: a nudge of feedback keeps them
    margin = 0.09 * min(w4, h4)  # fixed: the fields' share of the canvas is their colours' share
    gap = 0.035 * min(w4, h4)
    shares = rng.dirichlet(np.full(n, 1.0 + 30 * spec.rhythm**2))
    comp = spec.composition
    if comp == "centered":
        cx, cy = w4 / 2, h4 / 2
        hw, hh = (0.28 + 0.12 * spec.shape_size) * w4, (0.3 + 0.12 * spec.shape_size) * h4
        return [(cx - hw, cy - hh, cx + hw, cy + hh)] + [
            (cx - hw * f, cy - hh * f * 0.5 + hh * 0.3 * s, cx + hw * f, cy + hh * f * 0.5 + hh * 0.3 * s)
            for f, s in ((0.7, -1), (0.5, 1))[: n - 1]
        ]
    if comp == "grid":
        half_w, half_h = (w4 - 2 * margin - gap) / 2, (h4 - 2 * margin - gap) / 2
        return [
            (margin + i * (half_w + gap), margin + j * (half_h + gap),
             margin + i * (half_w + gap) + half_w, margin + j * (half_h + gap) + half_h)
            for j in range(2) for i in range(2)
        ]
    vertical = comp == "vertical"
    span = (w4 if vertical else h4) - 2 * margin - gap * (n - 1)
    rects = []
    pos = margin
    for share in shares:
        size = span * share
        lo, hi = pos, pos + size
        side = margin * (1.0 + (rng.uniform(-0.6, 0.6) if comp == "scattered" else 0.0))
        if vertical:
            rects.append((lo, side, hi, h4 - side))
        else:
            rects.append((side, lo, w4 - side, hi))
        pos = hi + gap
    return rects


def _field_mask(
    rng: np.random.Generator, w: int, h: int, rect: tuple[float, float, float, float],
    soft: float, fray: float, energy: float, crisp: float = 1.0,
) -> np.ndarray:
    """A soft rectangle (h, w) in 0..1 with noisy, feathered edges and a slight tilt; ``crisp``
    above 1 draws the border tighter (a drawn edge), below 1 lets it melt into the ground."""
    img = Image.new("L", (w, h), 0)
    x0, y0, x1, y1 = rect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    tilt = rng.normal(0, 0.02 + 0.05 * energy)
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]) - [cx, cy]
    rot = np.array([[np.cos(tilt), -np.sin(tilt)], [np.sin(tilt), np.cos(tilt)]])
    ImageDraw.Draw(img).polygon([tuple(p) for p in (corners @ rot.T + [cx, cy]).tolist()], fill=255)
    blurred = np.asarray(img.filter(ImageFilter.GaussianBlur(max(0.5, (soft + fray) / crisp))), np.float32) / 255
    wobble = (smooth_noise(rng, h, w, max(4.0, 0.06 * min(w, h)), 3) - 0.5) * (0.12 + 0.4 * energy)
    band = min(0.48, 0.3 / crisp)
    return smoothstep(0.5 - band, 0.5 + band, blurred + wobble).astype(np.float32)


STYLE = Style(
    name="colorfield",
    vector=False,
    keywords=("rothko", "color field", "colour field", "colorfield", "meditat", "calm", "serene",
              "minimal", "罗斯科", "色域", "冥想", "宁静", "静谧", "极简"),
    affinity=affinity,
    paint=paint,
    summary="Rothko-like soft-edged stacked fields with breathing, brushy texture",
)
