"""``duetto models …``: see, install, verify and remove the embedded language models.

A typer sub-app (``models_app``) mounted on the main app, in the same envelope as every command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from duetto.cli.base import AsJson, app, envelope, err, out
from duetto.llm import models
from duetto.settings import Settings

models_app = typer.Typer(
    name="models",
    help="Embedded language models: list, install (join from PyPI parts), verify, remove.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

Cache = Annotated[
    Path | None,
    typer.Option("--cache", envvar="DUETTO_MODEL_CACHE", help="Model cache directory [default: ~/.cache/duetto]."),
]
Name = Annotated[str, typer.Argument(help=f"Model name: {', '.join(models.CATALOGUE)}.")]
app.add_typer(models_app, name="models", help="List, install, verify and remove embedded language models.")


def _cache(cache: Path | None) -> Path:
    return cache if cache is not None else Settings().model_cache


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


@models_app.command("list")
def list_cmd(cache: Cache = None, as_json: AsJson = False) -> None:
    """Every known model: its parts, whether it is joined into the cache, and how to install it."""
    with envelope(as_json, "interrupted: no half-joined model was kept") as env:
        statuses = models.list_models(_cache(cache))
        if as_json:
            env.emit({"models": [s.model_dump(mode="json") for s in statuses]}, lambda: None)
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for col in ("model", "role", "size", "parts", "cached", "licence"):
            table.add_column(col)
        for s in statuses:
            parts = f"{s.parts_installed}/{s.parts_total}"
            cached = "[green]yes[/]" if s.verified else ("[yellow]unverified[/]" if s.cached else "no")
            table.add_row(s.name, s.role, _gib(s.size), parts if not s.missing_packages else f"[red]{parts}[/]",
                          cached, s.licence)
        out.print(table)
        for s in statuses:
            if s.install_command:
                out.print(f"[yellow]{s.name}[/] parts missing; install with: {s.install_command}")


@models_app.command("install")
def install_cmd(name: Name, cache: Cache = None, as_json: AsJson = False) -> None:
    """Join a model's installed part packages into the cache and verify it (no network)."""
    with envelope(as_json, "interrupted: no half-joined model was kept") as env:
        path = models.ensure_model(name, _cache(cache), progress=not as_json and err.is_terminal)
        if as_json:
            env.emit({"model": name, "path": str(path), "sha256": models.CATALOGUE[name].sha256}, lambda: None)
        else:
            out.print(f"[green]ready[/] {name}: {path}")


@models_app.command("verify")
def verify_cmd(name: Name, cache: Cache = None, as_json: AsJson = False) -> None:
    """Re-hash the joined file in full and check its GGUF header."""
    with envelope(as_json, "interrupted: no half-joined model was kept") as env:
        status = models.verify(name, _cache(cache))
        if as_json:
            env.emit({"model": status.model_dump(mode="json"), "ok": True}, lambda: None)
        else:
            out.print(f"[green]ok[/] {name}: sha256 {models.CATALOGUE[name].sha256[:16]}… {status.path}")


@models_app.command("remove")
def remove_cmd(name: Name, cache: Cache = None, as_json: AsJson = False) -> None:
    """Delete the joined file from the cache (the part packages stay installed)."""
    with envelope(as_json, "interrupted: no half-joined model was kept") as env:
        removed = models.remove(name, _cache(cache))
        spec = models.CATALOGUE[name]
        uninstall = f"{sys.executable} -m pip uninstall -y " + " ".join(p.package for p in spec.parts)
        if as_json:
            env.emit({"model": name, "removed": [str(p) for p in removed], "uninstall_parts": uninstall}, lambda: None)
        else:
            out.print(f"removed {len(removed)} file(s) of {name}" if removed else f"{name} was not in the cache")
            out.print(f"to free the part packages too: {uninstall}")
