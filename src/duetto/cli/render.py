"""How the CLI shows what an act made: a table of versions, texts inline, music's key and tempo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from duetto.cli.base import Context, out

if TYPE_CHECKING:
    from duetto.store.records import VersionRecord
    from duetto.studio.kernel import Result


def print_result(ctx: Context, result: Result) -> None:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("version", "op", "style", "seconds", "file"):
        table.add_column(col)
    for v in result.versions:
        table.add_row(v.short, v.operation, v.spec.style or "-", f"{v.timings.get('generate_s', 0):.2f}",
                      str(ctx.studio.path_of(v)))
    out.print(f"[bold]work[/] {result.work.id[:10]}  {result.work.title}")
    out.print(table)
    for v in result.versions:
        print_text(ctx, v)
    if result.contact_sheet:
        out.print(f"contact sheet: {result.contact_sheet}")
    for note in result.notes:
        out.print(f"[yellow]note:[/] {note}")


def print_text(ctx: Context, v: VersionRecord, max_lines: int = 60) -> None:
    """Text works are read, not opened: show them inline (long ones cut, with a pointer).
    Music gets its key, tempo, form, band and where to listen."""
    if v.ext in ("mid", "midi"):
        print_music(ctx, v)
        return
    if not v.mime.startswith("text/"):
        return
    lines = ctx.studio.blobs.read(v.sha256, v.ext).decode("utf-8").splitlines()
    out.print(f"\n[bold]{v.short}[/]", markup=True)
    out.print("\n".join(lines[:max_lines]), markup=False)
    if len(lines) > max_lines:
        out.print(f"… {len(lines) - max_lines} more lines in {ctx.studio.path_of(v)}")


def print_music(ctx: Context, v: VersionRecord, evaluation: bool = False) -> None:
    i = v.info
    if "key" not in i:
        return
    form = " ".join(f"{label}" for label, _, _ in i.get("sections", []))
    out.print(f"\n[bold]{v.short}[/]  {i['key']} · {i['tempo']:g} bpm · {i['metre']} · {i['bars']} bars "
              f"({i['seconds']:.1f} s) · {form}")
    out.print(f"  chords: {i.get('chords', '')[:160]}", markup=False)
    out.print("  parts: " + ", ".join(f"{t['name']} ({t['role']}, {t['notes']} notes)" for t in i.get("tracks", [])),
              markup=False)
    files = ctx.studio.files_of(v)
    for ext in ("wav", "ogg", "score.png", "roll.png"):
        if ext in files:
            out.print(f"  {ext.split('.')[0]:6} {files[ext]}", markup=False)
    if i.get("renderer"):
        out.print(f"  audio by {i['renderer']}", markup=False)
    if evaluation and i.get("evaluation"):
        from duetto.media.music.evaluate import MusicReport, load_corpus_figures

        out.print("  [bold]measured[/] (the corpus's own figures in brackets)")
        for line in MusicReport.model_validate(i["evaluation"]).lines(load_corpus_figures()):
            out.print(f"    {line}", markup=False)


def emit_result(ctx: Context, result: Result, **extra: Any) -> None:
    payload = {
        "work": result.work.model_dump(mode="json"),
        "versions": [ctx.version_json(v) for v in result.versions],
        "contact_sheet": str(result.contact_sheet) if result.contact_sheet else None,
        "notes": result.notes,
        "timings": dict(result.timings),
        **extra,
    }
    ctx.emit(payload, lambda: print_result(ctx, result))
