"""``duetto models …``: see, install, verify and remove the embedded language models.

A typer sub-app (``models_app``) that the main CLI mounts. Like every duetto command: ``--json``
prints exactly one JSON object on stdout; without it, rich tables and a progress bar for people;
errors are one line on stderr and the error class's exit code.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from duetto.errors import DuettoError
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
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
Name = Annotated[str, typer.Argument(help=f"Model name: {', '.join(models.CATALOGUE)}.")]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def _cache(cache: Path | None) -> Path:
    return cache if cache is not None else Settings().model_cache


def _emit(as_json: bool, started: float, payload: dict[str, Any]) -> None:
    if as_json:
        payload["timings"] = {"command_s": round(time.perf_counter() - started, 4)}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


@contextmanager
def _command(as_json: bool) -> Iterator[float]:
    started = time.perf_counter()
    try:
        yield started
    except DuettoError as exc:
        if as_json:
            sys.stdout.write(json.dumps({"error": {"code": exc.code, "message": str(exc)}}, ensure_ascii=False) + "\n")
        err.print(f"[bold red]error:[/] {exc}", soft_wrap=True, markup=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted: no half-joined model was kept")
        raise typer.Exit(130) from None


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


@models_app.command("list")
def list_cmd(cache: Cache = None, as_json: AsJson = False) -> None:
    """Every known model: its parts, whether it is joined into the cache, and how to install it."""
    with _command(as_json) as started:
        statuses = models.list_models(_cache(cache))
        if as_json:
            _emit(as_json, started, {"models": [s.model_dump(mode="json") for s in statuses]})
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
    with _command(as_json) as started:
        path = models.ensure_model(name, _cache(cache), progress=not as_json and err.is_terminal)
        if as_json:
            _emit(as_json, started, {"model": name, "path": str(path), "sha256": models.CATALOGUE[name].sha256})
        else:
            out.print(f"[green]ready[/] {name}: {path}")


@models_app.command("verify")
def verify_cmd(name: Name, cache: Cache = None, as_json: AsJson = False) -> None:
    """Re-hash the joined file in full and check its GGUF header."""
    with _command(as_json) as started:
        status = models.verify(name, _cache(cache))
        if as_json:
            _emit(as_json, started, {"model": status.model_dump(mode="json"), "ok": True})
        else:
            out.print(f"[green]ok[/] {name}: sha256 {models.CATALOGUE[name].sha256[:16]}… {status.path}")


@models_app.command("remove")
def remove_cmd(name: Name, cache: Cache = None, as_json: AsJson = False) -> None:
    """Delete the joined file from the cache (the part packages stay installed)."""
    with _command(as_json) as started:
        removed = models.remove(name, _cache(cache))
        spec = models.CATALOGUE[name]
        uninstall = f"{sys.executable} -m pip uninstall -y " + " ".join(p.package for p in spec.parts)
        if as_json:
            _emit(as_json, started, {"model": name, "removed": [str(p) for p in removed], "uninstall_parts": uninstall})
        else:
            out.print(f"removed {len(removed)} file(s) of {name}" if removed else f"{name} was not in the cache")
            out.print(f"to free the part packages too: {uninstall}")
