"""Variants of one brief as a spread set: several readings of the brief, and an MMR choice.

Four paintings of "calm blue sea" drawn with four seeds were four copies of one sea: the seed
moves brush marks, not the things a person sees first (where the horizon sits, what is in the
sky, which blue). A *look* is the brief read a little differently in exactly those things:

- composition: another layout where the brief did not set one (balanced, horizontal, centred …),
  and for a scene a higher or a lower horizon (the sky motif's size: more sky or more ground);
- palette: the named colours nudged inside their own hue arc (a deeper or a greener blue, still
  blue and still named so), the light and saturation ranges and the warmth moved a little (a
  cool brief stays cool), another harmony for the companion colours;
- motifs: the moon, sun, birds or the main tree on another third, bigger or smaller, more or
  fewer clouds and stars, and at most two quiet companions that belong with what the brief names
  (clouds and gulls over a sea, a moon and far hills in an autumn night). Nothing named is taken
  away or changed in kind, and nothing against the brief is added (no sun at night, no weather).

The choice is maximal marginal relevance: variant 0 is the plain reading (what a one-variant
``new`` paints); each further variant renders the plain reading and ``CANDIDATES`` looks (fewer where trees
make thumbnails slow) as thumbnails with its own seed and takes the best ``LAMBDA * quality + (1 - LAMBDA) * distance to the nearest chosen``.
Distance is half palette (a chroma-weighted hue histogram and the mean CIELAB colour), half
composition (a z-scored luminance layout and where the detail sits). Quality guards the brief:
no less of its named hues, contrast and overall lightness near the plain reading's.

The chosen look is written into the variant's spec (and its harmony into the params), so a
version replays alone to the same bytes and a revise keeps its composition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from duetto.media.image.analyse import rgb_to_lab
from duetto.media.image.painter.palette import HARMONIES, hls_to_rgb, hue_delta, to_hex
from duetto.spec import CreativeSpec, Motif, NamedColour, Range

CANDIDATES = 8  # looks tried per variant after the first (a thumbnail of a scene is 10-80 ms)
TREE_CANDIDATES = 2  # a scene with trees draws every branch whatever the size: 0.2-0.7 s a thumbnail
LAMBDA = 0.45  # weight of quality against distance in the choice
THUMB = 96  # thumbnail side for the choice
HUE_BINS = 12
LAYOUT = 12  # luminance layout cells per side
DETAIL = 6  # detail (gradient) layout cells per side
HUE_NUDGE = 12.0  # degrees a named colour may turn, inside its own arc
PLACEABLE = ("sun", "moon", "trees", "birds")
SIZED = ("sun", "moon", "trees", "mountains", "clouds")
COUNTED = ("clouds", "stars", "birds", "mountains", "mist", "grass", "flowers")
COMPOSITIONS_CALM = ("balanced", "horizontal", "vertical", "centered", "grid")
COMPOSITIONS_LIVELY = ("balanced", "diagonal", "scattered", "centered", "vertical")

# quiet companions that belong with a motif the brief names; ``moon``/``sun`` only by the hour
COMPANIONS: dict[str, tuple[str, ...]] = {
    "water": ("clouds", "birds", "mountains", "light"),
    "sky": ("clouds", "mountains", "light", "birds", "water", "trees"),
    "trees": ("birds", "mountains", "mist", "grass", "clouds"),
    "mountains": ("mist", "clouds", "birds", "water", "trees"),
    "leaves": ("birds", "mountains", "grass"),
    "flowers": ("grass", "birds", "clouds"),
    "moon": ("mountains", "water", "clouds", "trees"),
    "sun": ("clouds", "birds", "mountains", "water"),
    "stars": ("light", "mountains", "trees", "water"),
    "snow": ("mountains", "trees"),
    "rain": ("mist", "mountains", "trees"),
    "mist": ("mountains", "trees", "water"),
    "birds": ("clouds", "mountains", "light"),
    "grass": ("trees", "birds", "clouds"),
    "clouds": ("birds", "mountains", "light"),
}

Render = Callable[[CreativeSpec, str | None, int], Image.Image]
"""(spec, harmony, seed) → a thumbnail of that painting."""


@dataclass(frozen=True)
class Look:
    spec: CreativeSpec
    harmony: str | None = None


@dataclass(frozen=True)
class Features:
    hues: np.ndarray  # (HUE_BINS + 1,) chroma-weighted hue histogram, last bin the greys; sums to 1
    lab: np.ndarray  # (3,) mean CIELAB
    layout: np.ndarray  # (LAYOUT², ) z-scored luminance
    detail: np.ndarray  # (DETAIL², ) share of gradient energy per cell; sums to 1
    contrast: float  # std of L*
    named: float  # share of the picture inside the brief's hue arcs (1 when it names none)


# -- looks -------------------------------------------------------------------------------------


def is_night(spec: CreativeSpec) -> bool:
    kinds = {m.kind: m for m in spec.motifs}
    return "moon" in kinds or "stars" in kinds or ("sky" in kinds and kinds["sky"].variant == "night")


def _arcs(spec: CreativeSpec) -> list[tuple[float, float]]:
    """The brief's hue arcs as (centre, half width): its hue words, else around its named colours."""
    if spec.palette.hues:
        return [(h.centre, max(8.0, ((h.end - h.start) % 360.0) / 2)) for h in spec.palette.hues]
    return [(c.hls[0], 25.0) for c in spec.palette.colours if c.hls[2] >= 0.15]


def _nudge_colour(c: NamedColour, arcs: list[tuple[float, float]], rng: np.random.Generator) -> NamedColour:
    """Another shade of the same named colour: the hue turns a little but stays in its arc."""
    h, l, s = c.hls
    if s < 0.15:  # a grey, white or black: only its lightness moves
        return c.model_copy(update={"hex": to_hex(hls_to_rgb(h, min(0.95, max(0.05, l + rng.uniform(-0.06, 0.06))), s))})
    turned = h + rng.uniform(-HUE_NUDGE, HUE_NUDGE)
    for centre, half in arcs:  # keep inside the arc that holds it
        if abs(hue_delta(centre, h)) <= half:
            off = max(-half, min(half, hue_delta(centre, turned)))
            turned = centre + off
            break
    lit = min(0.82, max(0.18, l * rng.uniform(0.8, 1.2)))
    sat = min(1.0, max(0.2, s * rng.uniform(0.85, 1.12)))
    return c.model_copy(update={"hex": to_hex(hls_to_rgb(turned % 360.0, lit, sat))})


def _given(spec: CreativeSpec) -> bool:
    """Whether the person gave the colours as exact values (swatches picked by hand, which
    ``studio.choices`` notes as "chosen by hand: colours #…", or hex values in the brief): those
    are kept to the digit in every variant; only colours named in words turn inside their arc."""
    return any("colours #" in n for n in spec.notes) or any(c.hex in spec.brief.lower() for c in spec.palette.colours)


def _shift(r: Range, by: float) -> Range:
    by = max(-r.lo, min(1.0 - r.hi, by))
    return Range(lo=round(r.lo + by, 3), hi=round(r.hi + by, 3))


def _palette(spec: CreativeSpec, rng: np.random.Generator) -> dict:
    pal = spec.palette
    update: dict = {}
    arcs = _arcs(spec)
    if pal.colours and not _given(spec) and rng.random() < 0.75:
        update["colours"] = [_nudge_colour(c, arcs, rng) for c in pal.colours]
    if rng.random() < 0.6:
        update["lightness"] = _shift(pal.lightness, float(rng.uniform(-0.1, 0.1)))
    if rng.random() < 0.5:
        update["saturation"] = _shift(pal.saturation, float(rng.uniform(-0.1, 0.08)))
    if rng.random() < 0.6:  # a cool brief stays cool, a warm one warm
        w = pal.warmth + float(rng.uniform(-0.2, 0.2))
        if abs(pal.warmth) >= 0.15:
            w = max(0.05, w) if pal.warmth > 0 else min(-0.05, w)
        update["warmth"] = round(max(-1.0, min(1.0, w)), 3)
    if rng.random() < 0.5:
        update["variety"] = round(min(1.0, max(0.0, pal.variety + float(rng.uniform(-0.2, 0.25)))), 3)
    return update


def _fits(kind: str, spec: CreativeSpec) -> bool:
    """Whether a companion belongs with the brief: nothing against its hour or its weather."""
    night = is_night(spec)
    if night and kind in ("birds", "sun", "clouds"):  # thin cloud at night reads as a smudge
        return False
    if not night and kind in ("moon", "stars"):
        return False
    if kind == "sun" and any(m.kind in ("rain", "mist") for m in spec.motifs):
        return False
    if not night and kind in ("water", "trees") and [m.kind for m in spec.motifs] == ["sky"]:
        return False  # a day sky alone is the subject: keep it open
    return True


def _companion(kind: str, spec: CreativeSpec, rng: np.random.Generator, season: str) -> Motif:
    variant = {"water": "calm", "trees": "bare" if season in ("autumn", "winter") else "pine"}.get(kind, "")
    return Motif(kind=kind, variant=variant, amount=round(float(rng.uniform(0.2, 0.45)), 3),
                 size=round(float(rng.uniform(0.3, 0.6)), 3))


def _motifs(spec: CreativeSpec, rng: np.random.Generator) -> list[Motif]:
    from duetto.media.image.painter.motifs.stage import season_of

    out = []
    for m in spec.motifs:
        update: dict = {}
        if m.kind in PLACEABLE and m.position == "auto" and rng.random() < 0.5:
            update["position"] = str(rng.choice(["left", "right", "center"] if m.kind in ("sun", "moon")
                                                else ["left", "right"]))
        if m.kind in SIZED and m.size == 0.5 and rng.random() < 0.5:
            update["size"] = round(float(rng.uniform(0.3, 0.8)), 3)
        if m.kind in COUNTED and m.amount == 0.5 and m.count is None and rng.random() < 0.5:
            update["amount"] = round(float(rng.uniform(0.3, 0.75)), 3)
        out.append(m.model_copy(update=update) if update else m)
    if rng.random() < 0.55:  # how much sky: a higher or a lower horizon (Stage reads the sky's size)
        size = round(float(rng.uniform(0.1, 0.32) if rng.random() < 0.5 else rng.uniform(0.68, 0.9)), 3)
        sky = next((i for i, m in enumerate(out) if m.kind == "sky"), None)
        if sky is None:
            out.append(Motif(kind="sky", size=size))
        elif out[sky].size == 0.5:
            out[sky] = out[sky].model_copy(update={"size": size})
    have = {m.kind for m in out}
    light = "moon" if is_night(spec) else "sun"
    offered = [light if k == "light" else k for m in spec.motifs for k in COMPANIONS.get(m.kind, ())]
    offered = [k for k in dict.fromkeys(offered) if k not in have and _fits(k, spec)]
    n = int(rng.choice(3, p=[0.35, 0.45, 0.2]))
    season = season_of(spec)
    for kind in rng.permutation(np.array(offered, dtype=object))[:n] if offered else []:
        out.append(_companion(str(kind), spec, rng, season))
    return out


def look(spec: CreativeSpec, rng: np.random.Generator) -> Look:
    """One reading of the brief, a little different from the plain one (see the module doc)."""
    update: dict = {}
    pal = _palette(spec, rng)
    if pal:
        update["palette"] = spec.palette.model_copy(update=pal)
    if spec.composition == "balanced" and rng.random() < 0.6:  # a composition the brief set stays
        options = COMPOSITIONS_CALM if spec.energy < 0.45 else COMPOSITIONS_LIVELY
        update["composition"] = str(rng.choice(options))
    if spec.motifs:
        update["motifs"] = _motifs(spec, rng)
    harmony = str(rng.choice(list(HARMONIES))) if rng.random() < 0.6 else None
    # validate the whole spec again: every field set above is checked as the brief's own would be
    return Look(CreativeSpec.model_validate(spec.model_copy(update=update).model_dump()), harmony)


# -- features and distances --------------------------------------------------------------------


def features(image: Image.Image, spec: CreativeSpec) -> Features:
    im = image.convert("RGB")
    if max(im.size) > THUMB:
        im = im.resize((THUMB, max(1, round(THUMB * im.height / im.width))), Image.Resampling.BOX)
    rgb = np.asarray(im, np.float64) / 255.0  # (h, w, 3)
    lab = rgb_to_lab(rgb)  # (h, w, 3)
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    chroma = np.hypot(a, b).ravel()
    hue = (np.degrees(np.arctan2(b, a)).ravel()) % 360.0
    w = np.clip(chroma / 25.0, 0.0, 1.0)  # how chromatic: a grey adds to the last bin
    pos = hue / (360.0 / HUE_BINS) - 0.5  # soft binning: a hue between two bins shares itself
    lo = np.floor(pos).astype(int) % HUE_BINS
    frac = pos - np.floor(pos)
    hist = np.zeros(HUE_BINS + 1)
    np.add.at(hist, lo, w * (1 - frac))
    np.add.at(hist, (lo + 1) % HUE_BINS, w * frac)
    hist[HUE_BINS] = float((1 - w).sum())
    hist /= hist.sum()
    lum = Image.fromarray(np.clip(L * 2.55, 0, 255).astype(np.uint8))
    layout = np.asarray(lum.resize((LAYOUT, LAYOUT), Image.Resampling.BOX), np.float64).ravel() / 2.55
    layout = (layout - layout.mean()) / (layout.std() + 4.0)  # near-flat pictures stay near zero
    gy, gx = np.gradient(L)
    energy = Image.fromarray(np.hypot(gx, gy).astype(np.float32), "F")
    detail = np.asarray(energy.resize((DETAIL, DETAIL), Image.Resampling.BOX), np.float64).ravel()
    detail = detail / detail.sum() if detail.sum() > 1e-9 else np.full(DETAIL * DETAIL, 1.0 / DETAIL**2)
    arcs = _arcs(spec)
    if arcs:  # the brief's arcs are HLS hues, as the palette words give them
        hls_hue = _hls_hue(rgb.reshape(-1, 3))
        inside = np.zeros_like(hls_hue, bool)
        for centre, half in arcs:
            inside |= np.abs((hls_hue - centre + 180.0) % 360.0 - 180.0) <= half + 10.0
        named = float((w * inside).sum() / len(w))
    else:
        named = 1.0
    return Features(hist, lab.reshape(-1, 3).mean(0), layout, detail, float(L.std()), named)


def _hls_hue(rgb: np.ndarray) -> np.ndarray:
    """(n, 3) sRGB 0..1 → (n,) hue in degrees as colorsys gives it (HLS and HSV share it)."""
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    hi, lo = rgb.max(1), rgb.min(1)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    h = np.where(hi == r, (g - b) / span % 6.0, np.where(hi == g, (b - r) / span + 2.0, (r - g) / span + 4.0))
    return h * 60.0 % 360.0


def palette_distance(x: Features, y: Features) -> float:
    """0 same colours .. 1: half hue histogram (L1 / 2), half mean colour (ΔE76 / 40, capped)."""
    return 0.5 * float(np.abs(x.hues - y.hues).sum() / 2) + 0.5 * min(1.0, float(np.linalg.norm(x.lab - y.lab)) / 40.0)


def composition_distance(x: Features, y: Features) -> float:
    """0 same layout .. 1: half luminance layout ((1 - correlation) / 2), half detail layout (L1 / 2)."""
    corr = float(np.mean(x.layout * y.layout))
    scale = float(np.sqrt(np.mean(x.layout**2) * np.mean(y.layout**2))) or 1.0
    lum = (1.0 - max(-1.0, min(1.0, corr / scale))) / 2 if scale > 0.05 else 0.5 * float(np.abs(x.layout - y.layout).mean())
    return 0.5 * lum + 0.5 * float(np.abs(x.detail - y.detail).sum() / 2)


def distance(x: Features, y: Features) -> float:
    return 0.5 * palette_distance(x, y) + 0.5 * composition_distance(x, y)


def quality(x: Features, plain: Features) -> float:
    """1 when the look keeps what the brief asked as well as the plain reading does: as much of
    its named hues, as much contrast, about as light; lower as it loses them."""
    named = min(1.0, x.named / max(0.05, plain.named)) ** 3  # a sixth less blue costs half
    contrast = min(1.0, x.contrast / max(1.0, 0.75 * plain.contrast))
    light = max(0.0, 1.0 - max(0.0, abs(float(x.lab[0] - plain.lab[0])) - 12.0) / 25.0)
    return named * contrast * light


# -- the choice --------------------------------------------------------------------------------


def choose(spec: CreativeSpec, seeds: list[int], render: Render, pool_seed: int) -> list[Look]:
    """One look per seed: the plain reading first, then MMR (see the module doc). Deterministic:
    the looks come from ``pool_seed`` and the seeds, the thumbnails from the renderer."""
    plain = Look(spec)
    chosen = [plain]
    chosen_f = [features(render(spec, None, seeds[0]), spec)]
    for i, seed in enumerate(seeds[1:], start=1):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([pool_seed, 0x5E7, i])))
        ref = features(render(spec, None, seed), spec)
        near = min(distance(ref, g) for g in chosen_f)
        best: tuple[float, int, Look, Features] = (LAMBDA + (1 - LAMBDA) * near, -1, plain, ref)
        for k in range(TREE_CANDIDATES if any(m.kind == "trees" for m in spec.motifs) else CANDIDATES):
            cand = look(spec, rng)
            f = features(render(cand.spec, cand.harmony, seed), cand.spec)
            near = min(distance(f, g) for g in chosen_f)
            score = LAMBDA * quality(f, ref) + (1 - LAMBDA) * near
            if score > best[0] + 1e-12:
                best = (score, k, cand, f)
        chosen.append(best[2])
        chosen_f.append(best[3])
    return chosen
