"""scene: a figurative picture composed from the spec's motifs (落叶, 月夜, 江南烟雨 ...).

The painter picks this style whenever a spec has motifs and no style was named; a style the
artist names wins (水墨 stays ink, whose ridges already read as mountains). Asked for with no
motifs, it paints a quiet lake under mountains.

Composition rules, in order:
- the hour comes from the sky motif (dawn/day/dusk/night; a moon or stars imply night), the
  season from the spec's words (autumn colours leaves, winter bares the trees);
- the horizon sits on a third line: low (2/3 down) when the subject is in the sky (sun, moon,
  birds, falling leaves), high when it is on the ground (water, grass, flowers);
- the light (sun or moon) takes one upper thirds point, the main tree the opposite side;
- depth: sky → mountains far to near → water and ground → trees → grass and flowers → birds
  and leaves → weather, each sized by distance and hazed toward the horizon colour.

The spec's palette and mood tint the light (``Light.of``); its named colours colour leaves and
flowers; energy (and wind words) set the wind that bends trees, grass, rain and drifting leaves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
from PIL import Image

from duetto.media.image.painter import film
from duetto.media.image.painter.motifs import (
    birds,
    celestial,
    land,
    leaves,
    plants,
    sky,
    trees,
    water,
    weather,
)
from duetto.media.image.painter.motifs.stage import Light, Pen, Stage, season_of
from duetto.media.image.painter.palette import mix
from duetto.media.image.painter.styles.base import Job, Painting, Style
from duetto.spec import CreativeSpec, Motif

SKY_SUBJECTS = ("sun", "moon", "stars", "clouds", "birds")
GROUND_SUBJECTS = ("water", "grass", "flowers")
WIND_WORDS = ("风", "wind", "breeze", "飘", "舞", "drift", "flutter", "sway", "gust")
DEFAULT_MOTIFS = (Motif(kind="sky"), Motif(kind="mountains"), Motif(kind="water", variant="calm"))
LAYER_WEIGHT = 60.0  # a soft layer (sky, mountains, water) counts for this many crisp marks on film


def affinity(spec: CreativeSpec) -> float:
    return 1.0 if spec.motifs else 0.0


def stage_for(job: Job) -> Stage:
    spec, rng = job.spec, job.rng
    motifs = {m.kind: m for m in (spec.motifs or DEFAULT_MOTIFS)}
    time = motifs["sky"].variant if "sky" in motifs and motifs["sky"].variant else (
        "night" if "moon" in motifs or "stars" in motifs else "day")
    light = Light.of(time, spec, job.swatches)
    if "rain" in motifs or "mist" in motifs:  # overcast: the light goes grey and soft
        k = 0.55 if "rain" in motifs else 0.3
        grey = (150, 156, 166) if time != "night" else (40, 44, 56)
        light = dataclasses.replace(light, top=mix(light.top, grey, k), mid=mix(light.mid, grey, k),
                                    horizon=mix(light.horizon, grey, k), haze=mix(light.haze, grey, k))
    text = " ".join([*spec.keywords, spec.brief]).lower()
    side = 1 if rng.random() < 0.5 else -1
    gust = 0.35 + 0.6 * spec.energy if any(w in text for w in WIND_WORDS) else 0.25 * spec.energy
    sky_w = sum(k in motifs for k in SKY_SUBJECTS) + (motifs.get("leaves", Motif(kind="leaves")).variant == "falling")
    ground_w = sum(k in motifs for k in GROUND_SUBJECTS) + ("mountains" in motifs)
    third = 2 / 3 if sky_w >= ground_w else 0.5
    if spec.composition == "horizontal":
        third = 0.5
    horizon = job.height * (third + rng.uniform(-0.03, 0.03))
    return Stage(spec=spec, swatches=job.swatches, width=job.width, height=job.height, rng=rng,
                 motifs=motifs, light=light, season=season_of(spec), wind=-side * gust,
                 horizon=horizon, side=side)


def paint(job: Job) -> Painting:
    st = stage_for(job)
    has = st.has
    layer = _layer_film(job, st)
    sky.paint_sky(st)
    layer()
    if has("stars") or (st.light.time == "night" and not has("rain")):
        sky.paint_stars(st)
        layer()
    light_x = None
    if has("sun"):
        sky_x = celestial.sun_place(st)
        celestial.paint_sun(st)
        light_x = sky_x[0]
        layer()
    if has("moon"):
        moon = celestial.moon_place(st)
        celestial.paint_moon(st)
        light_x = moon[0]
        layer()
    if has("clouds") or has("rain"):
        sky.paint_clouds(st)
        layer()
    ridges = land.paint_mountains(st) if has("mountains") else []
    layer()
    sea = has("water") and st.variant("water") == "waves"
    if not ridges and not sea:
        land.paint_hills(st)
    land.paint_ground(st)
    layer()
    ground_plants = has("grass") or has("flowers") and st.variant("flowers") != "petals"
    water_bottom = st.height * (0.8 if ground_plants else 1.0)
    if has("water"):
        water.paint_water(st, light_x, water_bottom)
        layer()
    if has("mist") or has("rain"):
        levels = [st.horizon] + [float(np.mean(r)) + st.height * 0.05 for r in ridges[:-1]]
        weather.paint_mist(st, levels)
        layer()
    if has("rain"):
        weather.rain_veil(st)
        layer()

    k = max(1, job.supersample)
    base = Image.fromarray(np.clip(st.rgb, 0, 255).astype(np.uint8))
    big = base.resize((st.width * k, st.height * k), Image.Resampling.BILINEAR) if k > 1 else base
    pen = film.pen(big, k, job.film)
    if sea:
        water.paint_crests(st, pen, water_bottom)
    source = _trees(st, pen, water_bottom if has("water") else None)
    plants_top = water_bottom if has("water") else st.horizon + (st.height - st.horizon) * 0.35
    if has("grass"):
        plants.paint_grass(st, pen, plants_top if has("water") else st.horizon)
    if has("flowers"):
        plants.paint_flowers(st, pen, plants_top)
    if source is None and (has("leaves") and st.variant("leaves") != "scattered"
                           or st.variant("flowers") == "petals"):
        trees.paint_bough(st, pen)
        source = (st.width * (0.85 if st.side > 0 else 0.15), st.height * 0.12)
    if has("birds"):
        birds.paint_birds(st, pen, (light_x, 0.0) if light_x is not None else None)
    if has("leaves"):
        leaves.paint_leaves(st, pen, source)
    if has("snow"):
        weather.paint_snow(st, pen)
    if has("rain"):
        weather.paint_rain(st, pen)
    image = big.reduce(k) if k > 1 else big
    return Painting(image, None, len(st.motifs))


def _layer_film(job: Job, st: Stage) -> Callable[[], None]:
    """After each soft layer: let the film (when animating) see the canvas so far."""
    def layer() -> None:
        if job.film is not None:
            job.film.tick(lambda: Image.fromarray(np.clip(st.rgb, 0, 255).astype(np.uint8)), LAYER_WEIGHT)
    return layer


def _trees(st: Stage, pen: Pen, bank: float | None) -> tuple[float, float] | None:
    """Far trees along the horizon, then the main tree on the subject's third; returns the
    main crown (where leaves fall from)."""
    if not st.has("trees"):
        return None
    rng = st.rng
    kind = st.variant("trees")
    many = kind in ("pine", "forest")
    for _ in range(st.count("trees", 9 if many else 5)):  # far row, sized by distance
        x = rng.uniform(0, st.width)
        tall = st.height * rng.uniform(0.08, 0.16) if many else st.height * rng.uniform(0.06, 0.1)
        trees.paint_tree(st, pen, x, st.horizon + rng.uniform(0, 4), tall, 0.8, kind)
    if many:  # a middle row: bigger, less hazed
        for _ in range(st.count("trees", 4)):
            y = st.horizon + (st.height - st.horizon) * rng.uniform(0.15, 0.35)
            trees.paint_tree(st, pen, rng.uniform(0, st.width), y, st.height * rng.uniform(0.2, 0.3),
                             0.45, kind)
    x = st.position_x("trees", st.width * (0.76 if st.side > 0 else 0.24))
    base_y = (bank + st.height * 0.04) if bank is not None else st.height * rng.uniform(0.9, 0.96)
    height = st.height * (0.5 + 0.3 * st.size("trees"))
    trees.paint_tree(st, pen, x, base_y, height, 0.0, kind)
    if kind == "willow" or st.amount("trees") > 0.6:  # a second, smaller tree for rhythm
        x2 = x - st.side * st.width * rng.uniform(0.14, 0.2)
        trees.paint_tree(st, pen, x2, base_y - st.height * 0.03, height * 0.7, 0.2, kind)
    return x, base_y - height * 0.8


STYLE = Style(
    name="scene",
    vector=False,
    keywords=(),
    affinity=affinity,
    paint=paint,
    summary="figurative scene from motifs: sky, sun/moon, mountains, water, trees, leaves, weather",
)
