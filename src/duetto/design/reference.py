"""A reference image read as a brief: its palette, energy and composition, merged with words.

Why measure and not imitate: an artist who says "like this, but 秋天" wants the picture's colours,
its liveliness and where its weight sits, not a copy. So the image gives numbers a spec already
has (palette colours and ranges, warmth, energy, density, composition, light or dark ground) and
the brief's words win wherever they said something: a spec field the words moved away from its
default is theirs; the image fills the rest. ``ReferenceReading.notes`` says what was taken.

Composition, from the saliency weight (colour distance from the median colour plus edges, like
``analyse.balance_of``): weight massed in the middle → centered; its centre off on both axes →
diagonal; weight changing row by row far more than column by column → horizontal bands (and the
converse → vertical); busy and evenly spread → scattered; otherwise balanced.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from pydantic import BaseModel

from duetto.design.palette import Swatch, extract
from duetto.media.image.analyse import ImageAnalysis, analyse, load_rgb, rgb_to_lab
from duetto.spec import Composition, CreativeSpec, NamedColour, Range, spec_diff

MAX_COLOURS = 5  # colours the reference lends to the palette
MIN_SHARE = 0.04  # smaller specks are not part of its palette


class ReferenceReading(BaseModel):
    """What a reference image says, in spec terms."""

    colours: list[Swatch]
    energy: float
    density: float
    composition: Composition
    warmth: float
    saturation: tuple[float, float]
    lightness: tuple[float, float]
    dark: bool
    analysis: ImageAnalysis


def _clip(x: float, lo: float = 0.05, hi: float = 0.95) -> float:
    return float(min(hi, max(lo, x)))


def composition_of(image: Image.Image | Path | str | np.ndarray, busyness: float) -> Composition:
    """Name where the picture's visual weight sits (see the module docstring)."""
    lab = rgb_to_lab(load_rgb(image, side=96))  # (H, W, 3)
    h, w, _ = lab.shape
    grad = np.zeros((h, w))
    grad[:, :-1] = np.abs(np.diff(lab[..., 0], axis=1))
    grad[:-1, :] = np.maximum(grad[:-1, :], np.abs(np.diff(lab[..., 0], axis=0)))
    ground = np.median(lab.reshape(-1, 3), axis=0)  # the median, not the mean: a small figure
    weight = np.linalg.norm(lab - ground, axis=-1) + 2.0 * grad  # (H, W) does not tint the ground
    total = weight.sum()
    if total <= 1e-9:
        return "balanced"
    ys, xs = np.mgrid[0:h, 0:w]
    nx, ny = (xs + 0.5) / w * 2 - 1, (ys + 0.5) / h * 2 - 1  # -1..1
    cx, cy = float((weight * nx).sum() / total), float((weight * ny).sum() / total)
    spread = float(np.sqrt((weight * ((nx - cx) ** 2 + (ny - cy) ** 2)).sum() / total))
    rows, cols = weight.mean(1), weight.mean(0)
    row_cv, col_cv = float(rows.std() / rows.mean()), float(cols.std() / cols.mean())
    if abs(cx) > 0.12 and abs(cy) > 0.12:
        return "diagonal"
    if spread < 0.5 and abs(cx) < 0.12 and abs(cy) < 0.12:
        return "centered"
    if row_cv > 1.8 * col_cv and row_cv > 0.15:
        return "horizontal"
    if col_cv > 1.8 * row_cv and col_cv > 0.15:
        return "vertical"
    if busyness > 0.3 and max(row_cv, col_cv) < 0.15:
        return "scattered"
    return "balanced"


def read_reference(image: Image.Image | Path | str | np.ndarray, seed: int = 0) -> ReferenceReading:
    """Measure a reference picture once; ``merge`` turns the reading into spec changes."""
    a = analyse(image, k=8, seed=seed)
    colours = [c for c in extract(image, k=8, seed=seed) if (c.share or 0) >= MIN_SHARE][:MAX_COLOURS]
    sat_lo = _clip(a.saturation_mean - a.saturation_spread, 0.0, 0.9)
    light_lo = _clip(a.lightness_mean - a.lightness_spread, 0.05, 0.9)
    return ReferenceReading(
        colours=colours,
        energy=round(_clip(0.1 + 1.5 * a.busyness), 3),
        density=round(_clip(0.15 + 0.75 * (1.0 - a.empty_space)), 3),
        composition=composition_of(image, a.busyness),
        warmth=round(float(np.clip(a.warmth, -1, 1)) * a.chromatic_share, 3),
        saturation=(round(sat_lo, 3), round(_clip(a.saturation_mean + a.saturation_spread, sat_lo + 0.05, 1.0), 3)),
        lightness=(round(light_lo, 3), round(_clip(a.lightness_mean + a.lightness_spread, light_lo + 0.05, 0.97), 3)),
        dark=a.lightness_mean < 0.3,
        analysis=a,
    )


def merge(words: CreativeSpec, ref: ReferenceReading, name: str) -> CreativeSpec:
    """The words' spec with the reference's measures wherever the words left the default.

    Colours: with no colour in the words, the reference's colours are the palette (weighted by
    share); with colours named, those lead and the reference's follow at lower weight, minus any
    the words excluded. Notes say each thing taken from the image.
    """
    default = CreativeSpec(medium=words.medium, brief=words.brief, language=words.language)
    said = set(spec_diff(default, words))
    data = words.model_dump(mode="json")
    taken: list[str] = []
    excluded = {c.hex for c in words.palette.excluded}
    lead = bool(words.palette.colours)
    extra = [
        NamedColour(name=c.name_en, hex=c.hex, weight=round(max(0.1, (c.share or 0) * (1.0 if lead else 4.0)), 3))
        for c in ref.colours if c.hex not in excluded
    ]
    data["palette"]["colours"] += [c.model_dump() for c in extra]
    if extra:
        taken.append("palette " + " ".join(c.hex for c in extra) + (" (after the named colours)" if lead else ""))
    fields = {
        "energy": (ref.energy, f"energy {ref.energy:.2f} (busyness {ref.analysis.busyness:.2f})"),
        "density": (ref.density, f"density {ref.density:.2f} (empty space {ref.analysis.empty_space:.0%})"),
        "composition": (ref.composition, f"composition {ref.composition} (weight centre "
                                         f"{ref.analysis.balance.x:+.2f}, {ref.analysis.balance.y:+.2f})"),
        "palette.warmth": (ref.warmth, f"warmth {ref.warmth:+.2f}"),
    }
    for path, (value, note) in fields.items():
        if path not in said:
            section, _, leaf = path.rpartition(".")
            (data[section] if section else data)[leaf] = value
            taken.append(note)
    for rng in ("saturation", "lightness"):
        if not any(p.startswith(f"palette.{rng}") for p in said):
            lo, hi = getattr(ref, rng)
            data["palette"][rng] = Range(lo=lo, hi=hi).model_dump()
            taken.append(f"{rng} {lo:.2f}..{hi:.2f}")
    if ref.dark and "mood.valence" not in said:
        data["mood"]["valence"] = min(data["mood"]["valence"], -0.3)
        taken.append("a dark ground (the reference is dark)")
    kept = [p for p in fields if p in said]
    kept += [f"palette.{r}" for r in ("saturation", "lightness") if any(p.startswith(f"palette.{r}") for p in said)]
    note = f"from reference image {name}: " + "; ".join(taken)
    if kept:
        note += f" — the brief's words decided {', '.join(kept)}"
    data["notes"] = [*data["notes"], note]
    return CreativeSpec.model_validate(data)
