"""Who made a version, in shares: the contribution ledger of its lineage, weighed by one rule.

Every version records its contributions (a person's brief, feedback, selection or edit; an
engine's generation). A version's ledger is those of the version and every ancestor that led to
it, across works where ``derive`` crossed them, each counted once. The rule gives each act a
weight by who did it and what kind of act it was; a contributor's share is their points over all
points. The defaults, and why:

=================  ======  ===============================================================
act                weight  why
=================  ======  ===============================================================
human edit         6       the person's own hand on the pixels, notes or words
human brief        4       the idea the work answers
human feedback     2       steering: "warmer, fewer lines" changes what is made
human reference    2       a picture the work was made after
human selection    1       choosing among drafts, asking for variants or a blend
human palette      1       a recolour's colours
human region       1       where a region revise acts (its feedback counts on its own)
ai generation      3       the making of each draft
=================  ======  ===============================================================

Whether engines hold shares is a choice of the studio (``Settings.share_rule``): by default they
do not (an engine is not a payee in most jurisdictions), and an engine's points go to its
operator, the person whose act asked for that draft. The ledger still says what each engine did.

A split divides an amount by the shares exactly to the currency's minor unit (cent) with the
largest-remainder method: everyone gets the floor of their exact part, and the cents left over go
one each to the largest fractional parts, ties broken by payee name, so the result sums to the
amount, never goes negative and does not depend on the order the ledger was read in.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from duetto.errors import InvalidInput
from duetto.share_rule import ShareRule
from duetto.store.records import VersionRecord
from duetto.studio.generate import OnVersion
from duetto.studio.kernel import Request
from duetto.studio.studio import Studio

# ISO 4217 minor units where they are not 2 (the rest of the world's currencies use cents).
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                     "VND", "VUV", "XAF", "XOF", "XPF"], 0),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}


class LedgerEntry(BaseModel):
    version: str
    contributor: str
    contributor_kind: Literal["human", "ai"]
    kind: str
    detail: str
    points: float
    held_by: str  # the payee: the contributor, or an engine's operator


class Share(BaseModel):
    payee: str
    kind: Literal["human", "ai"]
    points: float
    share: float = Field(description="points / all points, 0..1")
    acts: dict[str, int] = Field(description="how many acts of each kind, their own and those held for engines")
    holds_for: list[str] = Field(default_factory=list, description="engines whose points this payee holds")


class Shares(BaseModel):
    version: VersionRecord
    rule: ShareRule
    ledger: list[LedgerEntry]
    shares: list[Share]
    total_points: float


class SharesRequest(Request):
    version: str = Field(description="The version whose lineage is weighed.")


class SplitRequest(Request):
    version: str = Field(description="The version whose shares divide the amount.")
    amount: Decimal = Field(ge=0, description="The amount to divide, e.g. 1234.56 (no more decimals than the "
                                              "currency has).")
    currency: str = Field(default="EUR", pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code, e.g. EUR, CNY, JPY.")

    @field_validator("currency")
    @classmethod
    def _upper(cls, code: str) -> str:
        return code.upper()


class SplitRow(BaseModel):
    payee: str
    share: float
    amount: str  # exact decimal text, e.g. "411.52"
    minor_units: int  # the same in cents (or the currency's minor unit)


class Split(BaseModel):
    version: str
    currency: str
    amount: str
    rows: list[SplitRow]
    rule: ShareRule


def ledger(studio: Studio, version: VersionRecord, rule: ShareRule) -> list[LedgerEntry]:
    """Every contribution to ``version`` and its ancestors, weighed, in the order they were made."""
    lineage = [version.id, *studio.repo.ancestors(version.id)]
    contributions = studio.repo.contributions_to(lineage)
    operators: dict[str, str] = {}  # version id → the person whose act asked for it
    for c in contributions:
        if c.contributor_kind == "human":
            operators.setdefault(c.version_id, c.contributor)
    entries = []
    for c in contributions:
        kind: Literal["human", "ai"] = "ai" if c.contributor_kind == "ai" else "human"
        held_by = c.contributor
        if kind == "ai" and not rule.engines_hold_shares:
            held_by = operators.get(c.version_id, version.author if version.author_kind == "human" else c.contributor)
        entries.append(LedgerEntry(version=c.version_id, contributor=c.contributor, contributor_kind=kind,
                                   kind=c.kind, detail=c.detail, points=rule.weight(c.contributor_kind, c.kind), held_by=held_by))
    return entries


def shares_of(studio: Studio, version: VersionRecord, rule: ShareRule | None = None) -> Shares:
    """The version's payees with their points and shares, largest first (ties by name)."""
    rule = rule or studio.settings.share_rule
    entries = ledger(studio, version, rule)
    points: dict[str, float] = defaultdict(float)
    kinds: dict[str, Literal["human", "ai"]] = {}
    acts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    holds: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        points[e.held_by] += e.points
        acts[e.held_by][f"{e.contributor_kind}:{e.kind}"] += 1
        if e.held_by != e.contributor:
            holds[e.held_by].add(e.contributor)
        else:
            kinds[e.held_by] = e.contributor_kind
    total = sum(points.values())
    shares = [
        Share(payee=p, kind=kinds.get(p, "human"), points=pts, share=pts / total if total else 0.0,
              acts=dict(acts[p]), holds_for=sorted(holds[p]))
        for p, pts in points.items()
    ]
    shares.sort(key=lambda s: (-s.points, s.payee))
    return Shares(version=version, rule=rule, ledger=entries, shares=shares, total_points=total)


def minor_unit(currency: str) -> int:
    return MINOR_UNITS.get(currency.upper(), 2)


def largest_remainder(units: int, weights: dict[str, Fraction]) -> dict[str, int]:
    """``units`` divided in proportion to ``weights``, in whole units, summing exactly to
    ``units``: floors first, then one unit each to the largest remainders (ties by key)."""
    if units < 0:
        raise InvalidInput("cannot split a negative amount")
    total = sum(weights.values(), Fraction(0))
    if not weights or total <= 0:
        raise InvalidInput("nobody holds a share of this version", hint="its ledger has no weighed contributions")
    exact = {k: units * w / total for k, w in weights.items()}
    out = {k: int(x) for k, x in exact.items()}  # floor: every x >= 0
    left = units - sum(out.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - out[k]), k))[:left]:
        out[k] += 1
    return out


def split(studio: Studio, req: SplitRequest, on_version: OnVersion | None = None) -> Split:
    """``req.amount`` divided by the version's shares, exact to the currency's minor unit."""
    version = studio.version(req.version)
    held = shares_of(studio, version)
    digits = minor_unit(req.currency)
    try:
        units = req.amount.scaleb(digits)
        if units != units.to_integral_value():
            raise InvalidInput(f"{req.amount} {req.currency} has more decimals than {req.currency}'s {digits}",
                               hint=f"round it to {digits} decimals first")
    except InvalidOperation:
        raise InvalidInput(f"{req.amount} is not an amount") from None
    # Fractions of the float points are exact binary values: identical inputs, identical cents.
    weights = {s.payee: Fraction(s.points) for s in held.shares}
    parts = largest_remainder(int(units), weights)
    rows = [SplitRow(payee=s.payee, share=s.share, minor_units=parts[s.payee],
                     amount=str(Decimal(parts[s.payee]).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))))
            for s in held.shares]
    amount = str(req.amount.quantize(Decimal(1).scaleb(-digits)))
    return Split(version=version.id, currency=req.currency, amount=amount, rows=rows, rule=held.rule)


def shares(studio: Studio, req: SharesRequest, on_version: OnVersion | None = None) -> Shares:
    return shares_of(studio, studio.version(req.version))


def statement_csv(result: Split) -> str:
    """The split as a spreadsheet: one row a payee, then the total."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["version", "payee", "share", "amount", "currency"])
    for r in result.rows:
        w.writerow([result.version, r.payee, f"{r.share:.6f}", r.amount, result.currency])
    w.writerow([result.version, "TOTAL", f"{sum(r.share for r in result.rows):.6f}", result.amount, result.currency])
    return buf.getvalue()


def statement_pdf(result: Split, title: str = "") -> bytes:
    """The split as a signed-off sheet a person can send: who gets what, and by which rule."""
    from duetto.media.text.export import table_pdf

    rule = result.rule
    weights = ", ".join(f"{k} {w:g}" for k, w in sorted(rule.weights.items()))
    return table_pdf(
        f"Revenue statement{': ' + title if title else ''}",
        [f"Version {result.version}", f"Amount {result.amount} {result.currency}, divided by contribution shares"],
        ["payee", "share", f"amount ({result.currency})"],
        [[r.payee, f"{r.share:.2%}", r.amount] for r in result.rows] + [["total", "100.00%", result.amount]],
        [f"Weights: {weights}; other acts: human {rule.other_human:g}, AI {rule.other_ai:g}.",
         "Engines hold shares." if rule.engines_hold_shares else
         "Engines hold no shares: an engine's points go to the person whose act asked for that draft.",
         "Cents are divided by the largest-remainder method: floors first, the rest to the largest remainders."],
    )
