"""wave: rhythmic parallel bands, like a sound wave drawn across sand or a Bridget Riley print.

Lines share one underlying wave (so they echo each other), each shifted a little in phase and
swelling under a slow envelope; the bands between consecutive lines are filled with colours in a
repeating cycle, and thin contour lines ride on some of the boundaries.

How the spec acts:
- palette: band colours cycle through the swatches (by weight); contours use the line colour.
- energy: amplitude and frequency of the wave, and the phase drift between lines.
- density: number of lines (6 + 64 x density up to neutral, 38; x1.45 a step above). shape_size: the wave's wavelength (broad swells vs ripples)
  and the bands' breadth (x1.25 a step of feedback, so fewer of them).
- rhythm: equal spacing and a strict colour cycle (high) or varied spacing and colours (low).
- line.smoothness: true sine curves (high) or zigzags with straight segments (low);
  line.amount: share of boundaries drawn as contour lines, and of bands split by a thin echo
  line in the neighbouring band's colour (none below 0.25, all by 0.85); line.weight: width.
- complexity: harmonics added to the wave and the strength of the travelling envelope.
- composition: horizontal/balanced bands, vertical (rotated), diagonal (tilted), centered
  (concentric rings), grid (a 2x2 of alternating orientations), scattered (bands with gaps).
- mood.valence: light or dark ground, which shows through gaps; arousal: band opacity.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from duetto.media.image.painter import film
from duetto.media.image.painter.canvas import Line, Polygon, Scene
from duetto.media.image.painter.layout import lean
from duetto.media.image.painter.styles.base import Job, Painting, Style
from duetto.spec import CreativeSpec

MARGIN = 0.06
DENSITY_STEP = 1.45  # above neutral, each 0.15 of density multiplies the lines by this (a tenth more is not seen)
BAND_STEP = 1.2  # shape feedback: band width x this per step (their number divided by it)
ECHO_FROM, ECHO_SLOPE = 0.25, 1.7  # share of bands split by an echo line: (line.amount - FROM) * SLOPE


def affinity(spec: CreativeSpec) -> float:
    return 0.2 + 1.0 * spec.rhythm + 0.25 * spec.line.smoothness + (0.2 if spec.composition in ("horizontal", "vertical") else 0.0)


def paint(job: Job) -> Painting:
    spec, rng = job.spec, job.rng
    W, H = job.width, job.height
    scene = Scene(W, H, job.swatches.background)
    comp = spec.composition
    if comp == "centered":
        _rings(job, scene)
    elif comp == "grid":
        half_w, half_h = W / 2, H / 2
        for j in range(2):
            for i in range(2):
                box = (i * half_w, j * half_h, half_w, half_h)
                _bands(job, scene, box, angle=0.0 if (i + j) % 2 == 0 else np.pi / 2)
    else:
        angle = {"horizontal": 0.0, "vertical": np.pi / 2}.get(comp, lean(comp, spec.energy, rng) * (comp == "diagonal" or spec.energy > 0.5))
        margin = MARGIN * min(W, H)  # a printed sheet: the ground frames the bands
        _bands(job, scene, (margin, margin, W - 2 * margin, H - 2 * margin), float(angle))
    return Painting(film.render(scene, job.supersample, job.film), scene.to_svg() if job.want_svg else None, len(scene.shapes))


def _wave(job: Job, length: float) -> tuple[Callable[[np.ndarray], np.ndarray], float]:
    """The shared wave profile as a function of position (values in -1..1), and its wavelength.

    A function rather than samples: each line reads it at its own phase shift, and resampling a
    non-periodic sample table would tear a visible seam across the bands."""
    spec, rng = job.spec, job.rng
    wavelength = length * (0.12 + 0.5 * spec.shape_size) / (0.6 + 1.2 * spec.energy)
    k = 2 * np.pi / wavelength
    phase = rng.uniform(0, 2 * np.pi)
    harmonics = [
        (rng.uniform(0.2, 0.5) / h, h, rng.uniform(0, 2 * np.pi))
        for h in range(2, 2 + round(3 * spec.complexity))
    ]
    peak = 1.0 + sum(a for a, _, _ in harmonics)  # an upper bound, so the scale is x-independent
    fold = max(0.0, 0.5 - spec.line.smoothness) * 2  # 0 sine .. 1 triangle (zigzag)

    def profile(x: np.ndarray) -> np.ndarray:
        y = np.sin(k * x + phase)
        for a, h, ph in harmonics:
            y = y + a * np.sin(h * k * x + ph)
        y = y / peak
        if fold:
            tri = 2 / np.pi * np.arcsin(np.clip(y, -1, 1))
            y = y + (tri - y) * fold
        return y

    return profile, wavelength


def _bands(job: Job, scene: Scene, box: tuple[float, float, float, float], angle: float) -> None:
    """Fill ``box`` with parallel wavy bands at ``angle`` (the bands overhang, the box clips)."""
    spec, rng, sw = job.spec, job.rng, job.swatches
    bx, by, bw, bh = box
    diag = float(np.hypot(bw, bh))
    n = 6 + round(64 * _fullness(spec.density) * (bh / job.height if angle == 0 else 1.0) ** 0.5)
    n = max(4, round(n * (0.5 if box[2] < job.width else 1.0) / _broaden(spec)))
    profile, wavelength = _wave(job, diag)
    amp = (diag / n) * (0.3 + 2.5 * spec.energy) * (0.6 + 0.4 * spec.shape_size)
    # across-positions of the lines: equal (rhythm) or varied; the span allows for the swing
    # of the outermost lines so no corner of the box is left bare
    span = diag * 1.1 + 2 * amp
    gaps = rng.dirichlet(np.full(n, 0.6 + 40 * spec.rhythm**2)) * span
    offsets = np.cumsum(gaps) - span / 2
    if spec.line.smoothness < 0.5:  # zigzag: vertices only every quarter wavelength
        x = np.arange(-diag * 0.55, diag * 0.55 + wavelength / 4, wavelength / 4)
    else:
        x = np.linspace(-diag * 0.55, diag * 0.55, 240)
    drift = (0.1 + 1.2 * spec.energy) * rng.choice([-1, 1])
    env_c, env_w = rng.uniform(-0.3, 0.3) * diag, diag * (0.25 + 0.5 * (1 - spec.complexity))
    envelope = 0.55 + 0.45 * np.exp(-((x - env_c) ** 2) / (2 * env_w**2))
    shift_step = wavelength * drift / n
    lines = []
    for i, off in enumerate(offsets):
        ys = off + amp * envelope * profile(x + shift_step * i)
        lines.append(np.stack([x, ys], 1))
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, -s], [s, c]])
    centre = np.array([bx + bw / 2, by + bh / 2])
    lines = [ln @ rot.T + centre for ln in lines]

    cycle = _colour_cycle(job)
    alpha = int(215 + 40 * spec.mood.arousal)
    gap_every = 0 if spec.composition != "scattered" else 3
    colours: list[tuple[int, int, int] | None] = []
    for i in range(n - 1):
        if gap_every and i % gap_every == 0:
            colours.append(None)
            continue
        colour = cycle[i % len(cycle)] if spec.rhythm >= 0.5 else cycle[int(rng.integers(len(cycle)))]
        colours.append(colour)
        poly = np.concatenate([lines[i], lines[i + 1][::-1]])
        scene.add(Polygon(_clip_box(poly, box), (*colour, alpha)))
    lw = (0.6 + 7 * spec.line.weight**1.5) * job.scale
    # which lines carry a contour and which bands an echo: evenly spread ranks (each step of
    # line.amount adds its share of lines, not a lucky few), drawn whatever the amount
    contour = (rng.permutation(n) + rng.random()) / n
    echo = (rng.permutation(n - 1) + rng.random()) / (n - 1)
    where = rng.uniform(0.35, 0.65, n - 1)
    for i in range(n):
        if contour[i] < spec.line.amount:
            scene.add(Line(_clip_box(lines[i], box), (*sw.line, 230), lw))
    # echo lines: a band split by a thin stripe of its neighbour's colour, the way a Riley print
    # multiplies its lines; the share of bands that carry one follows line.amount
    share = min(1.0, max(0.0, (spec.line.amount - ECHO_FROM) * ECHO_SLOPE))
    for i in range(n - 1):
        neighbour = colours[i + 1] if i + 1 < len(colours) and colours[i + 1] is not None else sw.background
        if colours[i] is not None and echo[i] < share and neighbour != colours[i]:
            mid = lines[i] + (lines[i + 1] - lines[i]) * where[i]
            scene.add(Line(_clip_box(mid, box), (*neighbour, 240), max(lw * 1.3, 1.2 * job.scale)))


def _broaden(spec: CreativeSpec) -> float:
    """Bigger shapes: broader (so fewer) bands, x BAND_STEP per 0.15 of shape_size."""
    return float(BAND_STEP ** np.clip((spec.shape_size - 0.5) / 0.15, -1.6, 2.6))


def _colour_cycle(job: Job) -> list[tuple[int, int, int]]:
    """Band colours: the heaviest swatches in order; below complexity 0.6 every other band is
    the ground, which calms the print and makes the rhythm read (as in Riley's stripes)."""
    sw, spec = job.swatches, job.spec
    k = 2 + round(3 * spec.complexity)
    top = [sw.colours[i] for i in np.argsort(-np.asarray(sw.weights), kind="stable")[:k]]
    if spec.complexity >= 0.6:
        return top
    return [c for colour in top for c in (colour, sw.background)]


def _clip_box(points: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Clamp points to the box: cheap clipping that keeps grid cells from overlapping."""
    bx, by, bw, bh = box
    return np.clip(points, [bx, by], [bx + bw, by + bh])


def _rings(job: Job, scene: Scene) -> None:
    """Concentric wavy rings around the centre, like ripples from a dropped stone."""
    spec, rng, sw = job.spec, job.rng, job.swatches
    W, H = job.width, job.height
    cx, cy = W / 2, H / 2
    rmax = float(np.hypot(W, H)) / 2
    n = max(4, round((6 + 40 * _fullness(spec.density)) / _broaden(spec)))
    radii = np.cumsum(rng.dirichlet(np.full(n, 0.6 + 40 * spec.rhythm**2))) * rmax
    lobes = 3 + round(10 * spec.energy * (1 - spec.shape_size * 0.5))
    t = np.linspace(0, 2 * np.pi, 240)
    amp = rmax / n * (0.2 + 1.6 * spec.energy)
    rings = []
    for i, r in enumerate(radii):
        wob = np.sin(lobes * t + i * 0.25 * spec.energy)
        if spec.line.smoothness < 0.5:
            wob = 2 / np.pi * np.arcsin(wob)
        rr = r + amp * wob * min(1.0, r / (rmax * 0.15))
        rings.append(np.stack([cx + rr * np.cos(t), cy + rr * np.sin(t)], 1))
    order = np.argsort(-np.asarray(sw.weights))
    colours: dict[int, tuple[int, int, int]] = {}
    for i in range(n - 1, -1, -1):  # outside in: each disc covers the middle of the last
        colour = sw.colours[int(order[i % len(order)])] if spec.rhythm >= 0.5 else sw.colours[int(sw.pick(rng, 1)[0])]
        colours[i] = colour
        scene.add(Polygon(rings[i], (*colour, 255)))
    lw = (0.6 + 7 * spec.line.weight**1.5) * job.scale
    contour = (rng.permutation(n) + rng.random()) / n  # evenly spread ranks, as in _bands
    echo = (rng.permutation(n) + rng.random()) / n
    for i, ring in enumerate(rings):
        if contour[i] < spec.line.amount:
            scene.add(Line(ring, (*sw.line, 220), lw))
    share = min(1.0, max(0.0, (spec.line.amount - ECHO_FROM) * ECHO_SLOPE))
    for i in range(1, n):  # the band between ring i-1 and ring i, split by a ring of the inner colour
        if echo[i] < share and colours[i - 1] != colours[i]:
            scene.add(Line((rings[i - 1] + rings[i]) / 2, (*colours[i - 1], 240), max(lw * 1.3, 1.2 * job.scale)))


def _fullness(density: float) -> float:
    """How many lines, as the density that once set them linearly: as it is up to neutral, then
    x DENSITY_STEP a step of feedback (linear, a bit denser added a fifth: too few to see)."""
    return density if density <= 0.5 else 0.5 * DENSITY_STEP ** ((density - 0.5) / 0.15)


STYLE = Style(
    name="wave",
    vector=True,
    keywords=("wave", "ripple", "rhythm", "stripe", "band", "sea", "ocean", "sound", "music",
              "riley", "波", "浪", "涟漪", "节奏", "条纹", "海", "音乐"),
    affinity=affinity,
    paint=paint,
    summary="rhythmic parallel wavy bands echoing one wave; rings when centred",
)
