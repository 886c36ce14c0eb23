"""ink: ink wash (水墨) on rice paper: layered wet washes, dry-brush strokes, one small accent.

Ink is modelled as a density map D in 0..1 (0 = bare paper): washes and strokes add density
the way layered ink does, ``1 - (1-a)(1-b)``, and the picture is ``mix(paper, ink, D)``. That
keeps it mostly monochrome by construction; colour enters only as a faint far wash (when the
palette is varied) and a small accent (a sun disc and a seal) in the palette's accent colour.

How the spec acts:
- palette: ink is the darkest swatch (near black tinted by the main hue); the accent is the
  most saturated swatch; variety > 0.5 tints the farthest wash with the main colour.
- energy: ridge steepness, tilt and how much the dry-brush strokes swing.
- density: number of wash layers (ridges of mist, 2..7: one a step of feedback), and a fuller
  picture carries more strokes.
  shape_size: their height, and how deep a mist each trails (x1.3 a step of feedback).
- line.amount: the line work: number of dry-brush strokes, moss dots and how dark the ridges'
  dried outlines are (x1.4-1.5 per step of feedback, two steps up at most, drawn from their own
  stream so washes, sun and seal stay); line.weight: brush width; line.smoothness: wet,
  unbroken strokes and rolling ridges (high) or dry, broken bristles and jagged ridges (low).
- rhythm: evenly spaced wash layers (high) or irregular (low).
- complexity: octaves of the ridge profile and wash texture.
- composition: horizon height, tilt (diagonal), tall peaks (vertical), an ensō circle
  (centered), where strokes go.
- mood.valence: paper tone and whether the sun appears; arousal: ink contrast.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PIL import Image, ImageDraw

from duetto.media.image.painter.layout import anchor_points, lean
from duetto.media.image.painter.noise import noise_1d, smooth_noise, smoothstep, upscale
from duetto.media.image.painter.palette import mix
from duetto.media.image.painter.styles.base import Job, Painting, Style
from duetto.spec import CreativeSpec

WORK = 4  # washes are soft: compute them at 1/4 resolution
BRISTLES = 16
STROKES_AT_NEUTRAL, STROKE_STEP = 4, 1.5  # dry-brush strokes at line.amount 0.5, x this per 0.15
RIM_STEP = 1.4  # each 0.15 of line.amount darkens the ridges' dried outlines this much
MASS_STEP = 1.3  # shape feedback: the depth of the mist each ridge trails x this per step
MOSS_STEP = 1.4  # and multiplies the moss dots by this
FILM_WASH, FILM_STROKE = 60.0, 25.0  # on film: how long a ridge wash and a brush gesture take


def affinity(spec: CreativeSpec) -> float:
    s = spec.palette.saturation.mid
    return 0.15 + 0.35 * (1 - spec.palette.variety) + 0.3 * (1 - s) + 0.15 * (1 - spec.density)


def paint(job: Job) -> Painting:
    spec, sw = job.spec, job.swatches
    W, H = job.width, job.height
    w4, h4 = max(16, W // WORK), max(16, H // WORK)

    wash, tint, ridges = _washes(job, w4, h4)
    main_rng = job.rng
    density = upscale(wash, W, H)
    strokes = Image.new("L", (W, H), 0)
    draw = ImageDraw.Draw(strokes)
    steps = min(2.0, (spec.line.amount - 0.5) / 0.15)  # steps of line feedback from neutral (two at most: ink darkens)
    n_strokes = max(1, round(STROKES_AT_NEUTRAL * STROKE_STEP**steps * (0.6 + 0.8 * spec.density)))
    # the brushwork draws from its own stream, so more or fewer strokes leave the washes,
    # the paper, the sun and the seal where they were
    brush_rng = np.random.default_rng(int(job.rng.integers(2**63)))
    job = replace(job, rng=brush_rng)
    def stroke_done() -> None:
        if job.film is not None:
            job.film.tick(lambda: (wash, strokes.copy()), FILM_STROKE)

    for _ in range(n_strokes):
        _dry_brush(job, draw, _gesture(job))
        stroke_done()
    if spec.composition == "centered":
        _dry_brush(job, draw, _enso(job))
        stroke_done()
    _moss_dots(job, draw, ridges)
    stroke_done()
    d = 1 - (1 - density) * (1 - np.asarray(strokes, np.float32) / 255 * 0.95)

    job = replace(job, rng=main_rng)
    paper = _paper(job)
    colour = paper
    if tint is not None:  # a faint colour wash on the far layer (青绿 style)
        t = upscale(tint, W, H)[..., None] * 0.55
        colour = colour + (np.asarray(sw.colours[0], np.float32) - colour) * t
    colour = _accents(job, colour)
    ink = np.asarray(sw.ink, np.float32)
    contrast = 0.85 + 0.3 * spec.mood.arousal
    dd = np.clip(d * contrast, 0, 1)[..., None]
    out = colour * (1 - dd) + ink * dd
    if job.film is not None:
        def develop(state: tuple[np.ndarray, Image.Image | None]) -> Image.Image:
            dens = upscale(state[0], W, H)
            s = np.zeros((H, W), np.float32) if state[1] is None else np.asarray(state[1], np.float32)
            d2 = np.clip((1 - (1 - dens) * (1 - s / 255 * 0.95)) * contrast, 0, 1)[..., None]
            return Image.fromarray(np.clip(colour * (1 - d2) + ink * d2, 0, 255).astype(np.uint8))
        job.film.develop(develop)
    return Painting(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), None, n_strokes)


def _washes(job: Job, w4: int, h4: int) -> tuple[np.ndarray, np.ndarray | None, list[np.ndarray]]:
    """Layered misty ridges, far (pale) to near (dark), each fading downward into mist."""
    spec, rng = job.spec, job.rng
    line_steps = min(2.0, (spec.line.amount - 0.5) / 0.15)  # steps of line feedback from neutral, as in paint
    mass = MASS_STEP ** np.clip((spec.shape_size - 0.5) / 0.15, -1.0, 2.0)  # deeper mist below each ridge (one
    # step down at most: shallower mist bares the paper)
    n = 2 + round(5 * spec.density)  # 3 at 0.1-0.3 (a 留白 picture), a step of feedback adds or takes one
    comp = spec.composition
    horizon = {"horizontal": 0.42, "vertical": 0.28, "centered": 0.55}.get(comp, rng.uniform(0.3, 0.5))
    tilt = np.tan(lean(comp, spec.energy, rng)) if comp in ("diagonal",) else rng.normal(0, 0.06 * spec.energy)
    steps = np.linspace(0, 1, n) if spec.rhythm > 0.5 else np.sort(rng.uniform(0, 1, n))
    steps = (1 - spec.rhythm) * steps + spec.rhythm * np.linspace(0, 1, n)
    yy = np.arange(h4, dtype=np.float32)[:, None]
    xx = np.arange(w4, dtype=np.float32)[None, :]
    d = np.zeros((h4, w4), np.float32)
    tint = None
    ridges = []
    octaves = 2 + round(3 * spec.complexity) + (2 if spec.line.smoothness < 0.4 else 0)
    if job.film is not None:
        job.film.begin((d, None))  # bare paper
    for k, f in enumerate(steps):
        base = h4 * (horizon + f * (0.88 - horizon))
        amp = h4 * (0.07 + 0.22 * spec.shape_size) * (1.8 if comp == "vertical" else 1.0) * (1 - 0.12 * k)
        feature = w4 * (0.45 - 0.3 * spec.energy) * (0.6 if comp == "vertical" else 1.0)
        profile = noise_1d(rng, w4, feature, octaves) ** (1.2 + 1.5 * spec.energy)
        ridge = base - amp * profile + tilt * (xx[0] - w4 / 2)
        ridges.append(ridge)
        depth = yy - ridge[None, :]
        mist = h4 * (0.05 + 0.14 * (1 - k / max(n - 1, 1))) * mass
        body = smoothstep(-1.2, 1.2, depth) * np.exp(-np.maximum(depth, 0) / mist)
        rim = min(0.9, 0.35 * RIM_STEP**line_steps) * np.exp(-np.abs(depth) / 1.6)  # wet edges dry darker: the ridge's outline
        grain = smooth_noise(rng, h4, w4, 10, 3, 0.55)
        strength = (0.18 + 0.6 * (k + 1) / n) * (1.0 - 0.25 * spec.mood.valence)
        layer = np.clip((body + rim * (depth > -2)) * strength * (0.65 + 0.6 * grain), 0, 1)
        if k == 0 and spec.palette.variety > 0.5:
            tint = np.clip(body * 0.9, 0, 1)
            layer *= 0.4
        d = 1 - (1 - d) * (1 - layer)
        if job.film is not None:  # animating: each ridge is washed in, far to near
            job.film.tick(lambda d=d: (d, None), FILM_WASH)
    return d, tint, ridges


def _gesture(job: Job) -> np.ndarray:
    """One brush path (k, 2): a smooth random walk of direction from a composition point."""
    spec, rng = job.spec, job.rng
    m = min(job.width, job.height)
    start = anchor_points(spec.composition, rng, 1, job.width, job.height)[0]
    if spec.composition != "centered":  # rooted in the foreground, like grasses and branches
        start = np.array([start[0], job.height * rng.uniform(0.62, 0.9)])
    a0 = lean(spec.composition, spec.energy, rng) + rng.normal(0, 0.3 + 0.6 * spec.energy)
    k = 60
    turn = np.cumsum(rng.normal(0, 0.02 + 0.08 * spec.energy, k))
    turn = np.convolve(turn, np.ones(7) / 7, mode="same")
    step = m * rng.uniform(0.18, 0.3 + 0.3 * spec.energy) / k  # calm strokes are short
    a = a0 + turn
    pts = start + np.cumsum(np.stack([np.cos(a), np.sin(a)], 1) * step, axis=0)
    return pts - (pts[k // 2] - start)


def _enso(job: Job) -> np.ndarray:
    """The zen circle: most of a loop, its end overshooting the start a little or not closing."""
    rng = job.rng
    m = min(job.width, job.height)
    r = m * (0.22 + 0.1 * job.spec.shape_size)
    t = np.linspace(0, 2 * np.pi * rng.uniform(0.82, 0.97), 90) + rng.uniform(0, 2 * np.pi)
    wob = 1 + 0.03 * np.sin(3 * t + rng.uniform(0, 6))
    return np.stack([job.width / 2 + r * wob * np.cos(t), job.height / 2 + r * wob * np.sin(t)], 1)


def _dry_brush(job: Job, draw: ImageDraw.ImageDraw, path: np.ndarray) -> None:
    """Paint ``path`` as separate bristles that run dry and break toward the end."""
    spec, rng = job.spec, job.rng
    k = len(path)
    t = np.linspace(0, 1, k)
    width = (8 + 70 * spec.line.weight**1.3) * job.scale * rng.uniform(0.6, 1.2)
    pressure = width * np.clip(np.minimum(t / 0.08, 1.0) * (1 - t) ** 0.45, 0.1, 1)  # press, then lift
    d = np.gradient(path, axis=0)
    nrm = np.stack([-d[:, 1], d[:, 0]], 1) / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-9)
    dryness = t * (1.25 - spec.line.smoothness) + 0.1
    bristle_w = max(1, round(width / BRISTLES * 2.6))
    tone = rng.uniform(0.45, 1.0)  # 浓淡: each stroke loads the brush with its own ink strength
    for b in range(BRISTLES):
        offset = (b / (BRISTLES - 1) - 0.5) + rng.normal(0, 0.03)
        pts = path + nrm * (offset * pressure)[:, None]
        wet = noise_1d(rng, k, 6 + 10 * spec.line.smoothness, 2) + 0.15 * (1 - abs(offset) * 2)
        on = wet > dryness * 0.75
        ink = int(255 * tone * rng.uniform(0.8, 1.0))
        for run in _runs(on):
            if run[1] - run[0] >= 2:
                seg = [tuple(p) for p in pts[run[0] : run[1]].tolist()]
                draw.line(seg, fill=ink, width=bristle_w, joint="curve")


def _moss_dots(job: Job, draw: ImageDraw.ImageDraw, ridges: list[np.ndarray]) -> None:
    """苔点: clusters of small ink dots along ridge lines; density decides how many."""
    spec, rng = job.spec, job.rng
    n = round(job.width / 1024 * 600 * spec.density**1.5 * MOSS_STEP ** min(2.0, (spec.line.amount - 0.5) / 0.15))
    if n == 0 or not ridges:
        return
    which = rng.integers(0, len(ridges), n)
    xs = rng.uniform(0, len(ridges[0]) - 1, n)
    ys = np.array([ridges[k][int(x)] for k, x in zip(which.tolist(), xs.tolist(), strict=True)])
    xs, ys = xs * WORK, ys * WORK + rng.normal(0, 6 * job.scale, n)
    radii = rng.uniform(1.0, 2.5 + 3 * spec.line.weight, n) * job.scale
    inks = rng.integers(150, 256, n)
    for x, y, r, ink in zip(xs.tolist(), ys.tolist(), radii.tolist(), inks.tolist(), strict=True):
        draw.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=ink)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Start/stop indices of the True stretches of a 1-D mask."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _paper(job: Job) -> np.ndarray:
    """Rice paper: a warm off-white with slow mottling and faint fibres, (H, W, 3) float."""
    spec, rng, sw = job.spec, job.rng, job.swatches
    W, H = job.width, job.height
    base = sw.paper if spec.mood.valence > -0.4 else mix(sw.paper, sw.ink, 0.18)
    w4, h4 = max(16, W // WORK), max(16, H // WORK)
    mottle = upscale(smooth_noise(rng, h4, w4, 40, 3), W, H)
    fibres = upscale(smooth_noise(rng, h4, w4, 3, 1, stretch=(1, 6)), W, H)
    shade = 1.0 - 0.05 * mottle - 0.04 * smoothstep(0.7, 0.95, fibres)
    return np.asarray(base, np.float32)[None, None, :] * shade[..., None]


CINNABAR = (176, 52, 38)  # 朱砂, the seal-paste red of ink painting
CINNABAR_HUE = 7.0


def _accent_colour(job: Job) -> tuple[int, int, int]:
    """Cinnabar by tradition; the palette's own accent when the artist named colours or
    refused red (an exclusion must win over tradition)."""
    pal = job.spec.palette
    red_refused = any(h.contains(CINNABAR_HUE) for h in pal.excluded_hues) or any(
        abs((c.hls[0] - CINNABAR_HUE + 180) % 360 - 180) < 30 and c.hls[2] > 0.25 for c in pal.excluded
    )
    return job.swatches.accent if pal.colours or red_refused else CINNABAR


def _accents(job: Job, colour: np.ndarray) -> np.ndarray:
    """A pale sun (joyful moods) and a small seal, both in the accent colour (see above).

    Each is computed only inside its bounding box: full-canvas masks for a 5% spot cost more
    than the rest of the painting.
    """
    spec, rng = job.spec, job.rng
    W, H = job.width, job.height
    m = min(W, H)
    accent = np.asarray(_accent_colour(job), np.float32)
    if spec.mood.valence > 0.0:
        cx, cy = W * rng.uniform(0.2, 0.8), H * rng.uniform(0.12, 0.3)
        r = m * (0.04 + 0.05 * spec.shape_size)
        x0, x1 = max(0, int(cx - r - 4)), min(W, int(cx + r + 5))
        y0, y1 = max(0, int(cy - r - 4)), min(H, int(cy + r + 5))
        yy, xx = np.ogrid[y0:y1, x0:x1]
        disc = smoothstep(r + 3.0, r - 3.0, np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2))
        patch = colour[y0:y1, x0:x1]
        colour[y0:y1, x0:x1] = patch + (accent - patch) * (disc * 0.6)[..., None]  # a pale sun
    half = max(2, round(m * 0.0175))
    sx = round(W * (0.08 if rng.random() < 0.5 else 0.88))
    sy = round(H * 0.86)
    x0, x1, y0, y1 = sx - half, sx + half, sy - round(half * 1.25), sy + round(half * 1.25)
    stamped = rng.random((y1 - y0, x1 - x0)) > 0.18  # a seal never prints solid
    patch = colour[y0:y1, x0:x1]
    patch[stamped] = patch[stamped] * 0.1 + accent * 0.9
    return colour


STYLE = Style(
    name="ink",
    vector=False,
    keywords=("ink", "sumi", "wash", "calligraph", "zen", "shanshui", "水墨", "墨", "山水",
              "书法", "禅", "留白", "写意"),
    affinity=affinity,
    paint=paint,
    summary="ink wash on rice paper: misty layered ridges, dry-brush bristle strokes, a small accent",
)
