"""geometric: a Kandinsky/Bauhaus composition of circles, planes, triangles, arcs and lines.

Built in layers as a constructivist would: a large translucent plane and a haloed circle set the
weight, major shapes sit on the composition's focus, smaller ones answer them, thin lines cut
across, and a few small dots punctuate.

How the spec acts:
- palette: each shape takes the colour furthest below its weight's share of the area painted so
  far (the focus counted), so the colour mix holds as shapes come and go; the big plane behind
  is a quiet tone of the ground; the darkest "ink" gives the lines and some solid accents.
- energy: rotation of shapes and lines (calm keeps to right angles, energetic tilts freely) and
  how far elements scatter from the focus.
- density: number of shapes (each from its own stream: denser adds shapes, the others stay).
  shape_size: scale of the shapes, and bigger ones are fewer (1 / area), so the painted share
  of the canvas and each colour's share of it hold.
- complexity: the repertoire: circles and lines only at 0; rectangles and arcs, then triangles
  and half-discs, then checkerboards, stripe blocks and zigzags as it rises.
- line.amount: how many straight lines cut across (x1.5 per step of feedback, drawn from their
  own random stream so the shapes stay); line.weight: their thickness;
  line.smoothness: favours circles and arcs (high) or triangles and zigzags (low).
- rhythm: repeated elements (a row of equal dots, parallel line groups) and regular spacing.
- composition: where the major shapes sit (see ``layout.anchor_points``).
- mood.valence: light paper or dark ground; arousal: shape opacity (bolder overlaps).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from duetto.media.image.painter import film
from duetto.media.image.painter.canvas import RGBA, Arc, Ellipse, Line, Polygon, Scene
from duetto.media.image.painter.layout import anchor_points, lean
from duetto.media.image.painter.palette import mix
from duetto.media.image.painter.styles.base import Job, Painting, Style
from duetto.spec import CreativeSpec

POOL = 400  # shapes a picture may take from (density 1 with the smallest shapes takes them all)
SHAPES_AT_NEUTRAL = 18  # shapes at density 0.5 and shape_size 0.5
DENSITY_STEP = 1.6  # each 0.15 of density multiplies them by this (a few more shapes are not seen)
SCALE_AT_NEUTRAL = 0.025 + 0.12 * 0.5  # the shapes' scale at shape_size 0.5
LINES_AT_NEUTRAL = 8  # straight lines at line.amount 0.5
LINE_STEP = 1.5  # each 0.15 of line.amount multiplies them by this (a tenth more lines is not seen)
ROUND = ("circle", "arc", "semicircle", "rings")
SHARP = ("triangle", "zigzag", "rect")


def affinity(spec: CreativeSpec) -> float:
    grid_like = 0.2 if spec.composition in ("grid", "balanced", "centered") else 0.0
    return 0.35 + 0.3 * (1 - spec.line.smoothness) + 0.35 * spec.complexity + grid_like


def repertoire(spec: CreativeSpec) -> tuple[list[str], np.ndarray]:
    """Shape kinds allowed by complexity, weighted by line smoothness."""
    c, sm = spec.complexity, spec.line.smoothness
    kinds = ["circle", "rings"]
    if c > 0.2:
        kinds += ["rect", "arc"]
    if c > 0.45:
        kinds += ["triangle", "semicircle"]
    if c > 0.7:
        kinds += ["checker", "stripes", "zigzag"]
    w = np.array([0.5 + sm if k in ROUND else 1.5 - sm if k in SHARP else 0.7 for k in kinds])
    return kinds, w / w.sum()


def paint(job: Job) -> Painting:
    spec, rng, sw = job.spec, job.rng, job.swatches
    W, H = job.width, job.height
    m = float(min(W, H))
    scene = Scene(W, H, sw.background)
    alpha = int(185 + 60 * spec.mood.arousal)
    base_angle = lean(spec.composition, spec.energy, rng)

    def angle(r: np.random.Generator = rng) -> float:
        # one draw either way, so calmer or livelier turns the shapes and moves nothing else
        z = float(r.normal())
        if spec.energy < 0.3:  # calm: the nearest right angle, barely off
            return float(np.round((base_angle + 0.4 * z) / (np.pi / 2)) * (np.pi / 2) + 0.02 * z)
        return float(base_angle + z * (0.15 + 0.9 * spec.energy))

    # 1. weight: a big quiet plane and a haloed circle on the focus
    focus = anchor_points(spec.composition, rng, 1, W, H, spread=0.3)[0]
    plane = m * (0.35 + 0.3 * spec.shape_size)
    # the plane is a quiet tone of the ground (no hue of its own): as shapes come and go over it the
    # colour mix stays the shapes' (its draw is kept, so nothing after it moves)
    sw.pick(rng, 1)
    shade = (*mix(sw.background, sw.ink, 0.35), 70)
    scene.add(Polygon(_rect(*focus + rng.normal(0, 0.1 * m, 2), plane, plane * rng.uniform(0.5, 1.4), angle()), shade))
    r = m * (0.09 + 0.13 * spec.shape_size)
    halo_k = int(sw.pick(rng, 1)[0])
    scene.add(Ellipse(*focus, r * 1.45, r * 1.45, (*sw.colours[halo_k], 110)))
    held = np.zeros(len(sw.colours))  # the focus's colours, by area, that the shapes then balance
    held[halo_k] += np.pi * r * r * (1.45**2 - 1.0) * 110 / 255
    if sw.dark_ground:
        ring_k = int(sw.pick(rng, 1)[0])
        held[ring_k] += np.pi * r * r * (1.0 - 0.55**2)
        scene.add(Ellipse(*focus, r, r, (*sw.colours[ring_k], 255)))
    else:
        scene.add(Ellipse(*focus, r, r, (*sw.ink, 255)))
    centre_k = int(sw.pick(rng, 1)[0])
    held[centre_k] += np.pi * (0.55 * r) ** 2
    scene.add(Ellipse(*focus, r * 0.55, r * 0.55, (*sw.colours[centre_k], 255)))

    # 2. shapes, big to small so small ones stay visible. They come from a pool of their own
    # stream, each with its own draws, and the picture takes a prefix of one shuffle of it: denser
    # adds shapes and leaves the others put, in colours drawn by weight, so the mix holds.
    # Bigger shapes are fewer (1 / area), so the painted share of the canvas stays.
    shape_seed = int(rng.integers(2**63))
    pool_rng = np.random.default_rng([shape_seed, 0])
    scale = 0.025 + 0.12 * spec.shape_size
    n = max(3, round(SHAPES_AT_NEUTRAL * DENSITY_STEP ** ((spec.density - 0.5) / 0.15) * (SCALE_AT_NEUTRAL / scale) ** 2))
    kinds, weights = repertoire(spec)
    centres = anchor_points(spec.composition, pool_rng, POOL, W, H, spread=1.0 + 0.8 * spec.energy)
    sizes = m * scale * np.exp(np.clip(pool_rng.normal(0, 0.6, POOL), -1.5, 0.8))  # no one shape takes the picture
    order = pool_rng.permutation(POOL)[:min(n, POOL)]
    # each shape, in the order of the shuffle, takes the colour furthest below its weight's share
    # of the area painted so far: any prefix paints each colour by its weight (to within a shape)
    colour_of = dict(zip(order.tolist(), _by_area(sw.weights, np.pi * sizes[order] ** 2, held), strict=True))
    for i in order[np.argsort(-sizes[order], kind="stable")].tolist():
        shape_rng = np.random.default_rng([shape_seed, 1 + i])
        kind = kinds[int(shape_rng.choice(len(kinds), p=weights))]
        fill = _filler(sw, alpha, shape_rng, colour_of[i])
        _shape(scene, kind, centres[i], float(sizes[i]), angle(shape_rng), fill, job, shape_rng)

    # 3. lines cutting across, in parallel groups when rhythm is high. They draw from their own
    # stream, so asking for more or fewer adds or takes lines and leaves every shape and dot put
    line_rng = np.random.default_rng(int(rng.integers(2**63)))
    n_lines = max(1, round(LINES_AT_NEUTRAL * LINE_STEP ** ((spec.line.amount - 0.5) / 0.15)))
    lw = (0.8 + 9 * spec.line.weight**1.5) * job.scale
    group = 1 + round(4 * spec.rhythm)
    made = 0
    while made < n_lines:
        a = angle(line_rng)
        c = anchor_points(spec.composition, line_rng, 1, W, H)[0]
        length = m * line_rng.uniform(0.25, 0.9)
        gap = lw * line_rng.uniform(3, 6)
        d = np.array([np.cos(a), np.sin(a)])
        nrm = np.array([-d[1], d[0]])
        for g in range(min(group, n_lines - made)):
            p = c + nrm * gap * g
            scene.add(Line(np.array([p - d * length / 2, p + d * length / 2]), (*sw.line, 235), lw * (1.6 if g == 0 and made == 0 else 1)))
            made += 1

    # 4. punctuation: small dots, in a regular row when rhythmic
    dots = 3 + round(8 * spec.density)
    if spec.rhythm > 0.5:
        start = anchor_points(spec.composition, rng, 1, W, H)[0]
        a = angle()
        step = m * 0.035
        for k in range(dots):
            p = start + np.array([np.cos(a), np.sin(a)]) * step * (k - dots / 2)
            scene.add(Ellipse(*p, step * 0.3, step * 0.3, (*sw.accent, 255) if k % 3 == 0 else (*sw.line, 255)))
    else:
        for p in anchor_points("scattered", rng, dots, W, H):
            rad = m * rng.uniform(0.006, 0.02)
            scene.add(Ellipse(*p, rad, rad, (*sw.accent, 255) if rng.random() < 0.4 else (*sw.line, 255)))

    image = film.render(scene, job.supersample, job.film)
    return Painting(image, scene.to_svg() if job.want_svg else None, len(scene.shapes))


def _by_area(weights: tuple[float, ...], areas: np.ndarray, held: np.ndarray) -> list[int]:
    """Colour indices for shapes of ``areas`` taken in order: each the colour with the largest
    deficit of painted area against its weight once the shape is counted. A shape's colour depends
    only on the shapes before it, so denser (more shapes) keeps the colours already there and
    each colour's share of the painted area stays its weight's, to within a shape; bigger (the
    same shapes larger, fewer of them) keeps most of them. ``held``: area already painted in each
    colour (the focus), which the shapes balance."""
    w = np.asarray(weights, np.float64)
    painted = np.asarray(held, np.float64).copy()
    out = []
    for a in areas.tolist():
        k = int(np.argmax(w * (painted.sum() + a) - painted))
        painted[k] += a
        out.append(k)
    return out


def _filler(sw, alpha: int, rng: np.random.Generator, first: int) -> Callable[..., RGBA]:
    """A shape's colours: its own (``first``) for the main fill, then swatches drawn by weight
    from the shape's own stream (the inner rings)."""
    used = []

    def fill(a: int = alpha) -> RGBA:
        k = first if not used else int(sw.pick(rng, 1)[0])
        used.append(k)
        return (*sw.colours[k], a)
    return fill


def _rect(cx: float, cy: float, w: float, h: float, a: float) -> np.ndarray:
    corners = np.array([[-w, -h], [w, -h], [w, h], [-w, h]]) / 2
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return corners @ rot.T + [cx, cy]


def _shape(
    scene: Scene, kind: str, c: np.ndarray, size: float, a: float,
    fill: Callable[..., RGBA], job: Job, rng: np.random.Generator,
) -> None:
    """Add one element of ``kind`` centred at ``c`` with rough radius ``size``, drawing from ``rng``."""
    sw = job.swatches
    x, y = float(c[0]), float(c[1])
    if kind == "circle":
        scene.add(Ellipse(x, y, size, size, fill()))
    elif kind == "rings":
        for k, f in enumerate((1.0, 0.68, 0.38)):
            scene.add(Ellipse(x, y, size * f, size * f, fill(255 if k else 230)))
    elif kind == "rect":
        scene.add(Polygon(_rect(x, y, size * 2, size * rng.uniform(0.3, 1.6), a), fill()))
    elif kind == "arc":
        start = float(np.degrees(a))
        width = size * rng.uniform(0.12, 0.3)
        scene.add(Arc(x, y, size, start, start + rng.uniform(90, 230), fill(255), width))
    elif kind == "triangle":
        t = a + np.array([0, 2.1, 4.2]) + rng.normal(0, 0.25, 3)
        scene.add(Polygon(np.stack([x + size * 1.2 * np.cos(t), y + size * 1.2 * np.sin(t)], 1), fill()))
    elif kind == "semicircle":
        t = np.linspace(a, a + np.pi, 40)
        scene.add(Polygon(np.stack([x + size * np.cos(t), y + size * np.sin(t)], 1), fill()))
    elif kind == "checker":
        cells = int(rng.integers(3, 6))
        step = size * 1.6 / cells
        for i in range(cells):
            for j in range(cells):
                if (i + j) % 2 == 0:
                    off = np.array([i - cells / 2 + 0.5, j - cells / 2 + 0.5]) * step
                    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ off
                    scene.add(Polygon(_rect(x + rot[0], y + rot[1], step, step, a), (*sw.line, 235)))
    elif kind == "stripes":
        d = np.array([np.cos(a), np.sin(a)])
        nrm = np.array([-d[1], d[0]])
        colour = fill(255)
        for k in range(5):
            p = np.array([x, y]) + nrm * (k - 2) * size * 0.28
            scene.add(Line(np.array([p - d * size, p + d * size]), colour, size * 0.1))
    elif kind == "zigzag":
        k = int(rng.integers(4, 9))
        t = np.linspace(-size * 1.3, size * 1.3, k)
        off = np.where(np.arange(k) % 2 == 0, -1.0, 1.0) * size * 0.25
        d = np.array([np.cos(a), np.sin(a)])
        nrm = np.array([-d[1], d[0]])
        pts = np.array([x, y]) + t[:, None] * d + off[:, None] * nrm
        scene.add(Line(pts, (*sw.line, 255), max(1.5, size * 0.05)))


STYLE = Style(
    name="geometric",
    vector=True,
    keywords=("geometric", "geometry", "bauhaus", "kandinsky", "constructiv", "shapes", "circle",
              "几何", "构成", "康定斯基", "包豪斯", "圆", "三角"),
    affinity=affinity,
    paint=paint,
    summary="Kandinsky/Bauhaus composition: haloed circles, planes, triangles, arcs, crossing lines",
)
