"""flow: particles traced through a smooth noise field, drawn as tapering ribbons.

The strokes never cross (a coarse occupancy grid stops a stroke where it meets an earlier one), so
the field reads as combed, river-like currents instead of tangled hair.

How the spec acts:
- palette: stroke colours come in coherent regions (a second noise field picks the colour, so
  neighbours agree); weights set each colour's share. Ground from mood.valence.
- energy: turbulence of the field (how far currents swing from the dominant direction) and how
  fast particles travel; calm work lies flat along the composition's lean.
- density: number of particles (x1.6 a step of feedback, so the gaps of a nearly full canvas
  fill) and how tightly strokes may pack (the gap between them).
- line.amount: how many strokes at a constant share of painted canvas (x1.35 a step of feedback,
  finer and closer with more, broader with fewer, so no colour loses area; a canvas already packed full gains little from more); line.weight: ribbon width; line.smoothness: long flowing curves
  (high) versus short strokes on a quantised, jittered field that turn at hard angles (low).
- rhythm: high seeds particles on a lattice (regular parallel streams) with even widths.
- shape_size: above neutral, scale of the field's eddies and breadth of the ribbons (each step
  works like 1.5 steps of fewer lines: broader, so fewer, at the same painted share); a step
  below it works like 2.3 steps of more lines (finer ribbons packed closer: every candidate), and
  each step below thins them x1.3 (the eddies keep their scale).
- complexity: octaves of the field, spread of widths, colour mixing between regions.
- composition: where seeds cluster first (those strokes grow longest) and the dominant lean.
- mood.arousal: stroke opacity and contrast.
"""

from __future__ import annotations

import numpy as np

from duetto.media.image.painter import film
from duetto.media.image.painter.canvas import Polygon, Scene, ribbon
from duetto.media.image.painter.layout import anchor_points, lattice, lean
from duetto.media.image.painter.noise import sample, smooth_noise
from duetto.media.image.painter.styles.base import Job, Painting, Style
from duetto.spec import CreativeSpec

FIELD_DOWNSCALE = 4  # the flow field is smooth, so a quarter-resolution grid is plenty
LINE_STEP = 1.35  # each 0.15 of line.amount multiplies the strokes by this ...
THIN_WIDTH, THIN_GAP = 0.7, 0.7  # ... and divides their width and spacing by these powers of it
BROAD = 1.5  # each 0.15 of shape_size counts as this many steps of fewer lines (broader ribbons)
PARTICLES_AT_NEUTRAL = 1150  # particles (per 1024 px side, before MORE_MAX) at density 0.5
DENSITY_STEP = 1.6  # each 0.15 of density multiplies them by this (a canvas nearly full needs many more to fill its gaps)
FINER = 2.3  # a step of shape_size below neutral counts as this many steps of more lines (finer, closer: every candidate stroke)
FINE_STEP = 1.3  # smaller shapes: each 0.15 of shape_size below neutral thins the ribbons this much more
MORE_MAX = 2.0  # most strokes (at line.amount ~0.95) against neutral: every candidate is traced


def affinity(spec: CreativeSpec) -> float:
    return 0.3 + 0.6 * spec.line.smoothness + 0.5 * spec.energy + 0.2 * spec.line.amount


def paint(job: Job) -> Painting:
    spec, rng, s = job.spec, job.rng, job.scale
    W, H = job.width, job.height
    smooth, energy = spec.line.smoothness, spec.energy

    angles = _angle_field(job)
    # line.amount: how many strokes, at a constant share of painted canvas: more lines are more,
    # finer ribbons packed closer, fewer lines fewer, broader ones (so no colour's area goes).
    # Every candidate is traced whatever the amount; those drawn are a prefix of one fixed
    # shuffle, so a revision keeps the strokes it does not add or take away.
    # shape_size works the same lever: above neutral broader, so fewer, ribbons; a step below it
    # finer ones packed closer (all of them: a smaller step is not seen) (the eddies stay: tighter eddies curl the strokes into larger
    # tangles, which a viewer reads as bigger, not smaller)
    more = min(MORE_MAX, LINE_STEP ** ((spec.line.amount - 0.5) / 0.15 - BROAD * np.clip((spec.shape_size - 0.5) / 0.15, 0, 2) - FINER * np.clip((spec.shape_size - 0.5) / 0.15, -1.0, 0)))
    n = int(PARTICLES_AT_NEUTRAL * DENSITY_STEP ** ((spec.density - 0.5) / 0.15) * MORE_MAX * np.sqrt(W * H) / 1024)
    seeds = _seeds(job, n)
    steps = int(30 + 120 * smooth)
    step_len = (3.0 + 3.0 * energy + 4.0 * (1 - smooth)) * s
    paths = _trace(angles, seeds, steps, step_len, jitter=(1 - smooth) ** 3 * 0.5, rng=rng)

    w0 = (2.5 + 24 * spec.line.weight**1.5) * s / more**THIN_WIDTH / FINE_STEP ** max(0.0, (0.5 - spec.shape_size) / 0.15)
    spread = (0.15 + 0.5 * spec.complexity) * (1.2 - spec.rhythm)
    widths = w0 * np.exp(rng.normal(0, spread, n))
    colour_idx = _colours(job, seeds)
    alpha = int(200 + 55 * spec.mood.arousal)
    shown = rng.permutation(n) < round(n * more / MORE_MAX)

    scene = Scene(W, H, job.swatches.background)
    gap = (0.5 + 4.0 * (1 - spec.density)) * s / more**THIN_GAP
    cell = max(2.0, 3.0 * s)
    grid = np.zeros((int(H / cell) + 2, int(W / cell) + 2), bool)
    marks = 0
    for i in np.flatnonzero(shown).tolist():
        path = _claim(grid, paths[i], (widths[i] + w0) / 2 + gap, cell)
        if len(path) < 6:
            continue
        t = np.linspace(0.0, 1.0, len(path))
        taper = np.sin(np.pi * np.clip(t, 0.03, 0.97)) ** 0.4
        pts = path[::2]
        outline = ribbon(pts, widths[i] * taper[::2])
        r, g, b = job.swatches.colours[colour_idx[i]]
        scene.add(Polygon(outline, (r, g, b, alpha)))
        marks += 1
    image = film.render(scene, job.supersample, job.film)
    return Painting(image, scene.to_svg() if job.want_svg else None, marks)


def _angle_field(job: Job) -> np.ndarray:
    """Flow direction (radians) on a quarter-resolution grid."""
    spec, rng, s = job.spec, job.rng, job.scale
    fw, fh = max(8, job.width // FIELD_DOWNSCALE), max(8, job.height // FIELD_DOWNSCALE)
    # smaller shapes make finer ribbons (see paint), not tighter eddies
    feature = (70 + 260 * max(spec.shape_size, 0.5)) * s / FIELD_DOWNSCALE * (1.3 - 0.5 * spec.energy)
    octaves = 1 + round(2 * spec.complexity) + (1 if spec.line.smoothness < 0.4 else 0)
    field = smooth_noise(rng, fh, fw, feature, octaves)
    base = lean(spec.composition, spec.energy, rng)
    angles = base + (field - 0.5) * (0.35 + 2.6 * spec.energy) * np.pi
    if spec.line.smoothness < 0.5:  # quantise directions: strokes turn at hard angles
        q = np.pi / (2 + round(10 * spec.line.smoothness))
        angles = np.round(angles / q) * q
    return angles.astype(np.float32)


def _seeds(job: Job, n: int) -> np.ndarray:
    """Start points: composition clusters first (they grow longest), then fill the rest."""
    spec, rng = job.spec, job.rng
    if spec.rhythm > 0.6:
        pts = lattice(rng, n, job.width, job.height, jitter=0.6 * (1 - spec.rhythm))
        return pts[rng.permutation(len(pts))] if len(pts) == n else np.resize(pts, (n, 2))
    k = int(n * 0.55)
    clustered = anchor_points(spec.composition, rng, k, job.width, job.height)
    loose = rng.uniform([0, 0], [job.width, job.height], (n - k, 2))
    return np.concatenate([clustered, loose])


def _trace(
    angles: np.ndarray, seeds: np.ndarray, steps: int, step_len: float, jitter: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """All particles advanced together, backward then forward from their seed, so each stroke
    is centred on its seed: returns paths (n, steps, 2) in output pixels."""
    half = steps // 2
    out = np.empty((len(seeds), 2 * half, 2), np.float32)
    for direction in (-1.0, 1.0):
        pos = seeds.astype(np.float32).copy()
        track = np.empty((len(seeds), half, 2), np.float32)
        for k in range(half):
            track[:, k] = pos
            a = sample(angles, pos[:, 0] / FIELD_DOWNSCALE, pos[:, 1] / FIELD_DOWNSCALE)
            if jitter > 0:
                a = a + rng.normal(0, jitter, len(a)).astype(np.float32)
            pos = pos + direction * step_len * np.stack([np.cos(a), np.sin(a)], axis=1)
        if direction > 0:
            out[:, half:] = track
        else:
            out[:, :half] = track[:, ::-1]
    return out


def _claim(grid: np.ndarray, path: np.ndarray, radius: float, cell: float) -> np.ndarray:
    """Keep the stretch of ``path`` around its seed (the middle) that stays on the canvas and off
    cells claimed by earlier strokes; claim that stretch's cells and return it."""
    gh, gw = grid.shape
    cells = (path / cell).astype(np.intp)
    inside = (cells[:, 0] >= 0) & (cells[:, 1] >= 0) & (cells[:, 0] < gw) & (cells[:, 1] < gh)
    blocked = ~inside
    blocked[inside] = grid[cells[inside, 1], cells[inside, 0]]
    mid = len(path) // 2
    if blocked[mid]:
        return path[:0]
    after = np.flatnonzero(blocked[mid:])
    before = np.flatnonzero(blocked[:mid])
    lo = before[-1] + 1 if len(before) else 0
    hi = mid + after[0] if len(after) else len(path)
    if hi - lo < 6:
        return path[:0]
    cells = cells[lo:hi]
    r = int(np.ceil(radius / cell))
    oy, ox = np.mgrid[-r : r + 1, -r : r + 1]
    disc = (ox**2 + oy**2) <= r * r
    ys = np.clip(cells[:, 1, None] + oy[disc][None, :], 0, gh - 1)
    xs = np.clip(cells[:, 0, None] + ox[disc][None, :], 0, gw - 1)
    grid[ys, xs] = True
    return path[lo:hi]


def _colours(job: Job, seeds: np.ndarray) -> np.ndarray:
    """Colour per stroke from a smooth field, so regions of colour emerge."""
    spec, rng = job.spec, job.rng
    field = smooth_noise(rng, 64, 64, 34, 2)  # fixed: shape feedback must not move the colour regions
    v = sample(field, seeds[:, 0] / job.width * 63, seeds[:, 1] / job.height * 63)
    u = (np.argsort(np.argsort(v)) + 0.5) / len(v)  # ranks: every colour gets its weight's share
    u = u + rng.normal(0, 0.05 + 0.25 * spec.complexity, len(u))
    return job.swatches.by_quantile(np.mod(u, 1.0))


STYLE = Style(
    name="flow",
    vector=True,
    keywords=("flow", "stream", "current", "wind", "river", "swirl", "流", "风", "河", "漩", "飘"),
    affinity=affinity,
    paint=paint,
    summary="tapering ribbons traced through a smooth noise field, combed and never crossing",
)
