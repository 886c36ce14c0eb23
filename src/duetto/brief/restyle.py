"""Feedback on a restyled picture: "更像梵高一些", "less stylised", "more mosaic, 风格淡一点".

Only a version whose ``spec.style`` is a stylist style (``starry_night:0.6,mosaic:0.4``,
``image:…``) is read this way, so the same words on a painter's work change nothing here.

- Strength words move ``spec.stylisation`` by ``STEP`` (more / less stylised, 风格强一点 / 淡一点,
  closer to the original, 更写实).
- A named style ("梵高", "mosaic") moves ``TOWARD`` of the blend's weight to it; asking for the
  style a picture already has makes it stronger instead. "less X" / "少一点X" halves X's weight.
"""

from __future__ import annotations

import re

import numpy as np

from duetto.media.image.stylist.styles import (
    IMAGE_PREFIX,
    STYLES,
    canonical,
    find_words,
    is_stylist_style,
    weights_of,
)
from duetto.spec import CreativeSpec, SpecDelta

STEP = 0.2
TOWARD = 0.4
LESS = re.compile(r"less|fewer|weaker|subtler|not so|不那么|不要太|少|淡|弱|轻")
LESS_STYLE = re.compile(
    r"less styli[sz]ed|less stylized|subtler|not so styli[sz]ed|closer to the original|more realistic|"
    r"不那么风格化|风格(?:淡|弱|轻|少)|淡一点风格|少一点风格|更写实|更接近原[图画]|更像原[图画]")
MORE_STYLE = re.compile(r"more styli[sz]ed|stronger style|more painterly|风格(?:强|浓|重|更强|更浓|更重)|更风格化|更有风格")


def restyle_feedback(text: str, spec: CreativeSpec, delta: SpecDelta) -> SpecDelta:
    """``delta`` with the stylist's changes added (or unchanged when ``spec`` is not restyled)."""
    if not is_stylist_style(spec.style):
        named = find_words(text.lower())
        if not named:
            return delta
        hint = f"{STYLES[named[0]].zh}/{STYLES[named[0]].name} is a restyle: duetto restyle <version> --style {STYLES[named[0]].name}"
        return delta.model_copy(update={"notes": [*delta.notes, hint]})
    low = text.lower()
    shift = dict(delta.shift)
    set_ = dict(delta.set)
    heard: list[str] = []
    if LESS_STYLE.search(low):
        shift["stylisation"] = shift.get("stylisation", 0.0) - STEP
        heard += ["stylised", "stylized", "subtler", "realistic", "写实"]
    elif MORE_STYLE.search(low):
        shift["stylisation"] = shift.get("stylisation", 0.0) + STEP
        heard += ["stylised", "stylized", "painterly"]
    named = find_words(low)
    if named:
        style = spec.style or ""
        weights = (np.zeros(len(STYLES), np.float32) if style.startswith(IMAGE_PREFIX) else weights_of(style))
        for index in named:
            words = (*STYLES[index].words, STYLES[index].zh)
            heard += [w for w in words if w in low]
            before = _clause_before(low, words)
            if LESS.search(before) and weights[index] >= 0.95:  # the only style: less of it is weaker
                shift["stylisation"] = shift.get("stylisation", 0.0) - STEP
            elif LESS.search(before):
                weights[index] *= 0.5
            elif weights[index] >= 0.95:  # already that style: more of it means stronger
                shift["stylisation"] = shift.get("stylisation", 0.0) + STEP / 2
            else:
                weights = (1.0 - TOWARD) * weights
                weights[index] += TOWARD
        if weights.sum() > 0 and canonical(weights) != style:  # a painting's style becomes the named one
            set_["style"] = canonical(weights)
    notes = [n for n in delta.notes if not (n.startswith("not understood") and any(w in n for w in heard))
             and n != "no change could be read from the feedback"]
    return delta.model_copy(update={"shift": {k: round(v, 3) for k, v in shift.items() if abs(v) >= 0.005},
                                    "set": set_, "notes": notes})


def _clause_before(text: str, words: tuple[str, ...]) -> str:
    """The few characters before the first of ``words``: where "less" / "少一点" would sit."""
    at = min((text.find(w) for w in words if w and text.find(w) >= 0), default=0)
    return text[max(0, at - 12):at]
