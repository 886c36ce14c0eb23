"""Keeping: export, soft delete and restore; the demo of the whole loop; serving the web studio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from duetto.cli.base import AsJson, Home, Ref, act, app, command, envelope, err, out
from duetto.settings import Settings


@app.command()
def export(
    version: Ref,
    dest: Annotated[Path, typer.Argument(help="Folder to copy the files into.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite files already there.")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="Text works: also write pdf, md, txt or fountain "
                                                              "(comma list, e.g. pdf,md).")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Copy a version's files and its recipe out of the studio (and render text works as PDF …)."""
    from duetto.studio.operations import write_export

    formats = [f.strip().lower() for f in (fmt or "").split(",") if f.strip()]
    with command(home, as_json) as ctx:
        exported = act(ctx, "export", what="exporting", version=version, formats=formats)
        files = write_export(exported, dest, force)
        v = exported.version
        ctx.emit({"versions": [ctx.version_json(v)], "exported": {k: str(p) for k, p in files.items()}},
                 lambda: [out.print(str(p)) for p in files.values()])


@app.command()
def rm(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """Soft-delete a version (restore brings it back; nothing is erased)."""
    with command(home, as_json) as ctx:
        v = act(ctx, "rm", version=version)
        ctx.emit({"versions": [ctx.version_json(v)]},
                 lambda: out.print(f"{v.short} deleted (duetto restore {v.short} brings it back)"))


@app.command()
def restore(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """Undo a soft delete."""
    with command(home, as_json) as ctx:
        v = act(ctx, "restore", version=version)
        ctx.emit({"versions": [ctx.version_json(v)]}, lambda: out.print(f"{v.short} restored"))


@app.command()
def demo(home: Home = None, as_json: AsJson = False) -> None:
    """Run the whole co-creation loop once on the seed brief (what `make run` does)."""
    from duetto.demo import run_demo

    with command(home, as_json, create=True) as ctx:
        report = run_demo(ctx.studio, say=None if as_json else out.print)
        ctx.emit(report, lambda: None)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers_threads: Annotated[int, typer.Option("--workers-threads", min=1, max=16,
                                                 help="Threads that run queued jobs.")] = 1,
    for_seconds: Annotated[float | None, typer.Option("--for", min=1, help="Stop after this many seconds "
                                                      "(a smoke check); default: until Ctrl-C.")] = None,
    home: Home = None,
) -> None:
    """Start the HTTP API and the web studio.

    On a studio where nobody can log in yet, it prints a one-time setup link: open it to create
    the first admin (or make one with `duetto users add NAME --admin`)."""
    import gc
    import threading

    import uvicorn

    from duetto.api.app import create_app
    from duetto.api.server import Server

    settings = Settings(home=home) if home is not None else Settings()
    with envelope(False):
        server = Server(settings)
    base = f"http://{host}:{port}/"
    api = create_app(settings, worker_threads=workers_threads, server=server)
    config = uvicorn.Config(api, host=host, port=port, log_level="warning")
    web = uvicorn.Server(config)
    setup = server.open_setup()
    out.print(f"duetto is serving the studio at [bold]{base}[/]  (API docs: {base}docs)", soft_wrap=True)
    if setup is not None:
        out.print(f"nobody can log in yet. Create the first admin here (the link works once, "
                  f"until this server stops):\n  [bold]{base}#setup={setup}[/]\n"
                  "or stop the server and run:  duetto users add NAME --admin", soft_wrap=True)
    if for_seconds is not None:
        out.print(f"(stopping after {for_seconds:g} s; run `duetto serve` to keep it up)")
        threading.Timer(for_seconds, lambda: setattr(web, "should_exit", True)).start()
    else:
        out.print("press Ctrl-C to stop")
    # What exists now (the modules, the app, the studio) lives as long as the server. Left to
    # the collector, every full collection walks all of it (about 150,000 objects: 60-90 ms
    # with every request waiting); frozen, those walks cover only what requests made.
    gc.collect()
    gc.freeze()
    web.run()
    if not web.started:
        err.print(f"[bold red]error:[/] could not listen on {host}:{port}", highlight=False)
        raise typer.Exit(1)
