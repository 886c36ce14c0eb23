"""Shares and splits: a lineage made by two people and an engine, weighed by the studio's rule,
and money divided by it exactly (largest remainder), checked as arithmetic, as the CLI's CSV and
PDF, over HTTP and through the job queue."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from typer.testing import CliRunner

from duetto.cli import app as cli
from duetto.errors import InvalidInput
from duetto.settings import Settings
from duetto.share_rule import ShareRule
from duetto.studio import Studio, operations
from duetto.studio.shares import (
    SplitRequest,
    largest_remainder,
    shares_of,
    split,
    statement_csv,
    statement_pdf,
)
from duetto.table import OPERATIONS

SMALL = {"width": 64, "height": 64}


@pytest.fixture
def lineage(tmp_path: Path) -> tuple[Path, str]:
    """ana's brief → ben's feedback → ana's own edit (an imported picture): the edit's id."""
    home = tmp_path / "studio"
    ana = Studio(Settings(home=home, user="ana"))
    first = operations.new(ana, operations.NewRequest(brief="calm blue sea", seed=1, params=SMALL)).versions[0]
    ana.close()
    ben = Studio(Settings(home=home, user="ben"))
    revised = operations.revise(ben, operations.ReviseRequest(version=first.id, feedback="warmer")).versions[0]
    ben.close()
    edited = tmp_path / "edit.png"
    Image.new("RGB", (64, 64), (220, 120, 40)).save(edited)
    ana = Studio(Settings(home=home, user="ana"))
    mine = operations.import_edit(ana, operations.ImportRequest(version=revised.id, file=edited)).versions[0]
    ana.close()
    return home, mine.id


def test_the_ledger_weighs_every_act_of_the_lineage_and_engines_points_go_to_who_asked(lineage) -> None:
    home, vid = lineage
    studio = Studio(Settings(home=home, user="ana"))
    s = shares_of(studio, studio.version(vid))
    kinds = [(e.contributor, e.kind, e.points) for e in s.ledger]
    assert ("user:ana", "brief", 4) in kinds and ("user:ben", "feedback", 2) in kinds and ("user:ana", "edit", 6) in kinds
    assert sum(1 for e in s.ledger if e.contributor_kind == "ai") == 2
    by = {sh.payee: sh for sh in s.shares}
    assert set(by) == {"user:ana", "user:ben"}  # engines hold no shares by default
    assert by["user:ana"].points == 4 + 3 + 6 and by["user:ben"].points == 2 + 3  # each holds the draft they asked for
    assert by["user:ana"].holds_for == ["engine:painter@1.0.0"]
    assert abs(by["user:ana"].share - 13 / 18) < 1e-12
    studio.close()


def test_a_studio_rule_changes_the_weights_and_may_give_engines_shares(lineage) -> None:
    home, vid = lineage
    rule = ShareRule(weights={"human:edit": 0}, engines_hold_shares=True)
    assert rule.weights["human:brief"] == 4  # laid over the defaults, not instead of them
    studio = Studio(Settings(home=home, user="ana", share_rule=rule))
    by = {sh.payee: sh.points for sh in shares_of(studio, studio.version(vid)).shares}
    assert by == {"user:ana": 4, "user:ben": 2, "engine:painter@1.0.0": 6}
    studio.close()
    with pytest.raises(ValueError, match="keyed"):
        ShareRule(weights={"edit": 2})


def test_split_is_exact_to_the_cent_and_the_statement_says_so(lineage) -> None:
    home, vid = lineage
    studio = Studio(Settings(home=home, user="ana"))
    result = split(studio, SplitRequest(version=vid, amount=Decimal("100.00"), currency="eur"))
    assert result.currency == "EUR" and result.amount == "100.00"
    assert {r.payee: r.amount for r in result.rows} == {"user:ana": "72.22", "user:ben": "27.78"}  # 7222.2 / 2777.8
    rows = list(csv.reader(io.StringIO(statement_csv(result))))
    assert rows[0] == ["version", "payee", "share", "amount", "currency"] and rows[-1][1:4:2] == ["TOTAL", "100.00"]
    assert sum(Decimal(r[3]) for r in rows[1:-1]) == Decimal("100.00")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(statement_pdf(result, "海"))).pages[0].extract_text().replace("\x00", "")
    assert "72.22" in text and "27.78" in text and "user:ben" in text and "largest-remainder" in text and "海" in text
    yen = split(studio, SplitRequest(version=vid, amount=Decimal("1001"), currency="JPY"))
    assert [r.amount for r in yen.rows] == ["723", "278"]
    with pytest.raises(InvalidInput, match="more decimals"):
        split(studio, SplitRequest(version=vid, amount=Decimal("10.005"), currency="EUR"))
    with pytest.raises(InvalidInput, match="amount"):
        OPERATIONS["split"].build(version=vid, amount="-5", currency="EUR")
    studio.close()


weights = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=4),
                          st.fractions(min_value=0, max_value=1000, max_denominator=64), min_size=1, max_size=12)


@settings(deadline=None)  # exact Fractions; a busy machine must not turn slowness into a failure
@given(units=st.integers(0, 10**9), shares=weights, seed=st.randoms())
def test_largest_remainder_sums_exactly_never_negative_and_ignores_order(units, shares, seed) -> None:
    if sum(shares.values()) == 0:
        with pytest.raises(InvalidInput):
            largest_remainder(units, shares)
        return
    parts = largest_remainder(units, shares)
    assert sum(parts.values()) == units and min(parts.values()) >= 0
    total = sum(shares.values(), Fraction(0))
    assert all(abs(parts[k] - units * w / total) < 1 for k, w in shares.items())  # within one cent of exact
    shuffled = list(shares.items())
    seed.shuffle(shuffled)
    assert largest_remainder(units, dict(shuffled)) == parts


def test_cli_shares_and_split_write_a_statement(lineage, tmp_path: Path) -> None:
    home, vid = lineage
    runner = CliRunner()
    env = {"DUETTO_USER": "ana"}
    r = runner.invoke(cli, ["shares", vid[:10], "--home", str(home), "--json"], env=env)
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert [s["payee"] for s in got["shares"]] == ["user:ana", "user:ben"] and got["versions"][0]["id"] == vid
    out_csv, out_pdf = tmp_path / "s.csv", tmp_path / "s.pdf"
    r = runner.invoke(cli, ["split", vid[:10], "--amount", "1,234.57", "--currency", "CNY", "--csv", str(out_csv),
                            "--pdf", str(out_pdf), "--home", str(home)], env=env)
    assert r.exit_code == 0, r.output
    assert "891.63" in r.stdout and out_pdf.read_bytes().startswith(b"%PDF")  # 13/18 of 1234.57 = 891.634…
    assert out_csv.read_text().splitlines()[-1].endswith("TOTAL,1.000000,1234.57,CNY")
    for bad in (["--amount", "ten"], ["--amount", "1.001"], ["--amount", "5", "--currency", "EURO"]):
        r = runner.invoke(cli, ["split", vid[:10], *bad, "--home", str(home)], env=env)
        assert r.exit_code == 2 and r.output.count("error:") == 1, (bad, r.output)
