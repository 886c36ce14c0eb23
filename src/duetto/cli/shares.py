"""Shares and splits: who holds what of a version, and an amount divided by it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from duetto.cli.base import AsJson, Home, Ref, act, app, command, out
from duetto.errors import InvalidInput


@app.command()
def shares(version: Ref, home: Home = None, as_json: AsJson = False,
           ledger: Annotated[bool, typer.Option("--ledger", help="Also list every weighed act.")] = False) -> None:
    """Each contributor's share of a version (its lineage's acts, weighed by the studio's rule)."""
    with command(home, as_json) as ctx:
        s = act(ctx, "shares", version=version)

        def human() -> None:
            out.print(f"[bold]{s.version.short}[/] {s.version.operation} · {s.total_points:g} points "
                      f"from {len(s.ledger)} acts")
            table = Table("payee", "share", "points", "acts", box=None, pad_edge=False)
            for sh in s.shares:
                acts = ", ".join(f"{k.split(':', 1)[1]} ×{n}" if k.startswith("human") else f"{k} ×{n}"
                                 for k, n in sorted(sh.acts.items()))
                held = f"  [dim](holds for {', '.join(sh.holds_for)})[/]" if sh.holds_for else ""
                table.add_row(escape(sh.payee) + held, f"{sh.share:.1%}", f"{sh.points:g}", escape(acts))
            out.print(table)
            if ledger:
                rows = Table("version", "who", "act", "points", "detail", box=None, pad_edge=False)
                for e in s.ledger:
                    rows.add_row(e.version[:10], escape(e.contributor), e.kind, f"{e.points:g}", escape(e.detail[:60]))
                out.print(rows)
            if not s.rule.engines_hold_shares:
                out.print("[dim]engines hold no shares: their points go to the person who asked for each draft "
                          "(DUETTO_SHARE_RULE sets the rule)[/]")

        payload = s.model_dump(mode="json")
        payload["versions"] = [ctx.version_json(s.version)]
        payload.pop("version")
        ctx.emit(payload, human)


@app.command()
def split(
    version: Ref,
    amount: Annotated[str, typer.Option("--amount", help="The amount to divide, e.g. 1234.56.")],
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 code: EUR, CNY, JPY …")] = "EUR",
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Write the statement as CSV here.")] = None,
    pdf_path: Annotated[Path | None, typer.Option("--pdf", help="Write the statement as PDF here.")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Divide an amount by a version's shares, exact to the cent, with a statement."""
    from duetto.studio.shares import statement_csv, statement_pdf

    with command(home, as_json) as ctx:
        try:
            money = Decimal(amount.strip().replace(",", ""))
        except ArithmeticError:
            raise InvalidInput(f"--amount: {amount!r} is not a number", hint="e.g. --amount 1234.56") from None
        result = act(ctx, "split", version=version, amount=money, currency=currency)
        written: dict[str, str] = {}
        if csv_path is not None:
            csv_path.write_text(statement_csv(result), encoding="utf-8")
            written["csv"] = str(csv_path)
        if pdf_path is not None:
            title = ctx.studio.work(result.version).title
            pdf_path.write_bytes(statement_pdf(result, title))
            written["pdf"] = str(pdf_path)

        def human() -> None:
            table = Table("payee", "share", result.currency, box=None, pad_edge=False)
            for r in result.rows:
                table.add_row(escape(r.payee), f"{r.share:.2%}", r.amount)
            table.add_row("[bold]total[/]", "", f"[bold]{result.amount}[/]")
            out.print(table)
            for path in written.values():
                out.print(path)

        payload = result.model_dump(mode="json")
        payload["statement"] = written
        ctx.emit(payload, human)
