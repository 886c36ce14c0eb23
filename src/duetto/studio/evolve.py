"""Spec arithmetic for vary, blend and breed.

These act on specs, not pixels, so they work for every medium whose engine reads a spec. All
randomness comes from a generator the caller seeds (from the new version's seed), so the stored
recipe replays exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from duetto.spec import (
    NUMERIC_FIELDS,
    CreativeSpec,
    NamedColour,
    field_bounds,
    get_path,
    set_path,
)

# Fields a crossover takes whole from one parent: mixing their insides makes no sense.
_WHOLE_FIELDS = ("style", "composition", "subject")


def _clamp(path: str, value: float) -> float:
    lo, hi = field_bounds(path)
    return float(min(hi, max(lo, value)))


def _fix_ranges(data: dict[str, Any]) -> None:
    for name in ("saturation", "lightness"):
        r = data["palette"][name]
        r["lo"], r["hi"] = min(r["lo"], r["hi"]), max(r["lo"], r["hi"])


def perturb(spec: CreativeSpec, rng: np.random.Generator, amount: float = 0.06) -> CreativeSpec:
    """A small random step in every numeric direction: a sibling, not a stranger."""
    data = spec.model_dump(mode="json")
    for path in NUMERIC_FIELDS:
        set_path(data, path, _clamp(path, get_path(data, path) + rng.normal(0.0, amount)))
    _fix_ranges(data)
    return CreativeSpec.model_validate(data)


def _mix_colours(weighted: list[tuple[list[NamedColour], float]]) -> list[dict[str, Any]]:
    """Union of palettes; each colour's weight scales with its parent's share."""
    merged: dict[str, dict[str, Any]] = {}
    for colours, share in weighted:
        for c in colours:
            if share <= 0:
                continue
            entry = merged.setdefault(c.hex, {"name": c.name, "hex": c.hex, "weight": 0.0})
            entry["weight"] = min(10.0, entry["weight"] + c.weight * share)
    return [c for c in merged.values() if c["weight"] >= 0.05]


def blend(a: CreativeSpec, b: CreativeSpec, t: float) -> CreativeSpec:
    """Interpolate: t=0 is ``a``, t=1 is ``b``; choices that cannot be mixed go to the nearer one."""
    near, far = (a, b) if t < 0.5 else (b, a)
    data = near.model_dump(mode="json")
    da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
    for path in NUMERIC_FIELDS:
        set_path(data, path, _clamp(path, (1 - t) * get_path(da, path) + t * get_path(db, path)))
    _fix_ranges(data)
    pal = data["palette"]
    pal["colours"] = _mix_colours([(a.palette.colours, 1 - t), (b.palette.colours, t)])
    pal["hues"] = _union(da["palette"]["hues"], db["palette"]["hues"])
    pal["excluded"] = _union(da["palette"]["excluded"], db["palette"]["excluded"])
    pal["excluded_hues"] = _union(da["palette"]["excluded_hues"], db["palette"]["excluded_hues"])
    data["keywords"] = list(dict.fromkeys(near.keywords + far.keywords))
    data["mood"]["named"] = list(dict.fromkeys(near.mood.named + far.mood.named))
    data["notes"] = []
    return CreativeSpec.model_validate(data)


def breed(parents: list[CreativeSpec], rng: np.random.Generator, mutation: float = 0.2) -> CreativeSpec:
    """Uniform crossover over fields, palettes mixed by random shares, then sparse mutation."""
    dumps = [p.model_dump(mode="json") for p in parents]
    data = dumps[int(rng.integers(len(dumps)))]
    for path in NUMERIC_FIELDS:
        value = get_path(dumps[int(rng.integers(len(dumps)))], path)
        if rng.random() < mutation:
            value += rng.normal(0.0, 0.15)
        set_path(data, path, _clamp(path, value))
    _fix_ranges(data)
    for name in _WHOLE_FIELDS:
        data[name] = dumps[int(rng.integers(len(dumps)))][name]
    shares = rng.dirichlet(np.ones(len(parents)))
    data["palette"]["colours"] = _mix_colours(
        [(p.palette.colours, float(s)) for p, s in zip(parents, shares, strict=True)]
    )
    data["palette"]["excluded"] = _union(*(d["palette"]["excluded"] for d in dumps))
    data["keywords"] = list(dict.fromkeys(k for p in parents for k in p.keywords))
    data["notes"] = []
    if all(d.get("music") for d in dumps):  # music plans cross over field by field
        data["music"] = _cross_music([d["music"] for d in dumps], rng)
    return CreativeSpec.model_validate(data)


def _cross_music(plans: list[dict[str, Any]], rng: np.random.Generator) -> dict[str, Any]:
    """Each part of the plan from one parent; the key note and mode travel together (a tonic
    from one piece with the mode of another is a different key altogether)."""
    pick = lambda: plans[int(rng.integers(len(plans)))]  # noqa: E731
    out = dict(pick())
    key = pick()
    out["tonic"], out["mode"] = key["tonic"], key["mode"]
    for name in ("tempo", "metre", "form", "style", "instruments", "density", "articulation", "dynamics"):
        out[name] = pick()[name]
    if out["style"] == "pentatonic" and out["mode"] not in ("gong", "shang", "jue", "zhi", "yu"):
        out["style"] = "folk"
    return out


def _union(*lists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out


def across(source: CreativeSpec, medium: str, read: CreativeSpec | None = None) -> CreativeSpec:
    """The spec of a work in another medium made *from* ``source`` (a poem for a painting, a
    painting for a poem).

    The source's mood, palette, energy and imagery carry over; the colours it names become
    imagery too (a painting's 金色 is something a poem can say). ``read`` is the source's own
    text read as a brief (what a poem actually says: its moon, its red leaves), whose imagery,
    colours and moods are added. The style is the old medium's and is dropped."""
    data = source.model_dump(mode="json")
    keywords = list(source.keywords)
    keywords += [c.name for c in source.palette.colours]
    if read is not None:
        keywords += read.keywords
        known = {c.name for c in source.palette.colours}
        data["palette"]["colours"] += [c.model_dump(mode="json") for c in read.palette.colours
                                       if c.name not in known]
        data["mood"]["named"] = list(dict.fromkeys(source.mood.named + read.mood.named))
    if read is not None and medium == "painting":  # the poem's moon is in the picture
        data["motifs"] = [m.model_dump(mode="json") for m in shared_motifs(source, read).motifs]
    if medium == "music" and source.style:  # a 七言绝句 asks for a Chinese-flavoured tune
        keywords.append(source.style)
    data.update(medium=medium, style=None, keywords=list(dict.fromkeys(k for k in keywords if k.strip())),
                notes=[f"made from a {source.medium}: its imagery, palette and mood carried over"])
    return CreativeSpec.model_validate(data)


def shared_motifs(spec: CreativeSpec, read: CreativeSpec) -> CreativeSpec:
    """``spec`` with the figures ``read`` names that it lacks: the painting of a work whose poem
    speaks of the moon shows a moon. What the picture already has stays as it is (its own dusk
    sky is not turned to the poem's night); a kind only the poem names joins it."""
    have = {m.kind for m in spec.motifs}
    extra = [m for m in read.motifs if m.kind not in have]
    if not extra:
        return spec
    named = ("、" if spec.language == "zh" else ", ").join(m.word or m.kind for m in extra)
    return spec.model_copy(update={"motifs": [*spec.motifs, *extra],
                                   "notes": [*spec.notes, f"from the words it shares the work with: {named}"]})
