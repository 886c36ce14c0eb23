"""Motif words in a brief or feedback → the figures a picture should show.

A separate, small pass over the same tokens the rule parser reads, because motifs are nouns with
their own little grammar: a negation earlier in the clause asks one away (不要月亮, "no birds"),
and the nearest more/less/bigger/smaller word in the clause changes how many or how big
(落叶多一些, "a bigger moon"), scaled by a degree word (很多, much). Feedback that names a motif the
picture lacks adds it (加一轮月亮).
"""

from __future__ import annotations

from duetto.brief.grammar import clauses
from duetto.brief.lexicon import motif_words
from duetto.brief.tokens import Token
from duetto.spec import Motif, MotifEdit

STEP = 0.25  # what one more/less/bigger/smaller does to a motif's amount or size
RELATIVE_EFFECT: dict[str, tuple[str, float]] = {
    "more": ("amount", 1.0), "less": ("amount", -1.0), "big": ("size", 1.0),
    "small": ("size", -1.0), "thick": ("size", 1.0), "thin": ("size", -1.0),
}


def motif_edits(tokens: list[Token]) -> list[MotifEdit]:
    """Every motif the text names, as edits in text order (a bare mention is an add).

    A negation covers the next motif word and any joined to it by and/or (不要月亮和星星);
    a pair whose variant ends in "?" is context (the night sky a moon implies): it is never
    removed or resized by the words around it.
    """
    out: list[MotifEdit] = []
    for clause in clauses(tokens):
        negating = False
        for i, tok in enumerate(clause):
            kind = tok.term.kind if tok.term is not None else None
            if kind == "negation":
                negating = True
                continue
            pairs = motif_words().get(tok.text) if tok.term is not None else None
            if not pairs:
                continue
            field, amount = _relative(clause, i)
            first = next((k for k, (_, v) in enumerate(pairs) if not v.endswith("?")), 0)
            for n, (motif, variant) in enumerate(pairs):
                context = variant.endswith("?")
                edit: dict[str, object] = {
                    "kind": motif, "variant": variant or None, "word": tok.text,
                    "remove": negating and not context,
                }
                if field and not context and n == first:
                    edit[field] = amount
                out.append(MotifEdit.model_validate(edit))
            after = next((t for t in clause[i + 1:] if t.term is None or t.term.kind != "stop"), None)
            negating = negating and after is not None and after.term is not None and after.term.kind == "conj"
    return out


def brief_motifs(tokens: list[Token]) -> list[Motif]:
    """Motifs for a new spec: one per kind, first word kept; an explicit variant beats one that
    is only implied (黄昏的月亮: a moon in a dusk sky, not a night sky)."""
    found: dict[str, Motif] = {}
    firm: set[str] = set()
    removed: set[str] = set()
    for e in motif_edits(tokens):
        if e.remove:
            removed.add(e.kind)
            continue
        variant = e.variant or ""
        implied = variant.endswith("?")
        variant = variant.rstrip("?")
        old = found.get(e.kind)
        if old is None:
            found[e.kind] = Motif(kind=e.kind, variant=variant, word=e.word)
        elif variant and (not implied and e.kind not in firm or not old.variant):
            found[e.kind] = old.model_copy(update={"variant": variant})
        if variant and not implied:
            firm.add(e.kind)
        m = found[e.kind]
        found[e.kind] = m.model_copy(update={
            "amount": _clamp(m.amount + e.amount), "size": _clamp(m.size + e.size),
        })
    return [m for k, m in found.items() if k not in removed]


def feedback_edits(tokens: list[Token], current: list[Motif]) -> list[MotifEdit]:
    """Edits for ``SpecDelta.motifs``; an implied variant never overrides the picture's own
    (加一轮月亮 to a dusk scene keeps the dusk)."""
    have = {m.kind: m for m in current}
    out = []
    for e in motif_edits(tokens):
        variant = e.variant
        if variant is not None and variant.endswith("?"):
            if e.kind in have:  # context the picture already has: leave it alone
                continue
            variant = variant.rstrip("?")
        out.append(e.model_copy(update={"variant": variant}))
    return out


def _relative(clause: list[Token], i: int) -> tuple[str, float]:
    """The nearest relative word to token i (left wins a tie), times an adjacent degree word."""
    best: tuple[int, int] | None = None
    for j, t in enumerate(clause):
        if t.term is not None and t.term.kind == "relative" and t.term.key in RELATIVE_EFFECT:
            d = abs(j - i)
            if best is None or d < best[0]:
                best = (d, j)
    if best is None:
        before = clause[i - 1].term if i > 0 else None  # 很多鸟, lots of birds: a quantity word
        if before is not None and before.kind == "degree" and before.post and before.factor > 1.0:
            return "amount", round(STEP * (before.factor - 1.0), 3)
        return "", 0.0
    j = best[1]
    field, sign = RELATIVE_EFFECT[clause[j].term.key]  # type: ignore[union-attr]
    factor = 1.0
    for k in (j - 1, j + 1):
        if 0 <= k < len(clause) and clause[k].term is not None and clause[k].term.kind == "degree":
            factor = clause[k].term.factor  # type: ignore[union-attr]
            break
    return field, round(max(-1.0, min(1.0, sign * STEP * factor)), 3)


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))
