"""What every ``duetto`` command shares: the app, the common options, the consoles, and the one
envelope around each command (its output and its errors).

With ``--json`` stdout holds exactly one JSON object; without it, rich output for people. An
error is one line on stderr (and ``{"error": …}`` on stdout with ``--json``) and the exit code of
the error's class: 2 for bad input, never a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from duetto.errors import DuettoError, InvalidInput
from duetto.settings import Settings
from duetto.table import OPERATIONS, describe_errors

if TYPE_CHECKING:  # imported when a command runs, not on every start (`duetto --help`)
    from duetto.store.records import VersionRecord
    from duetto.studio import Studio

app = typer.Typer(
    name="duetto",
    help="Make art with generative models: brief → drafts → feedback → revisions, all kept.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

Home = Annotated[
    Path | None,
    typer.Option("--home", envvar="DUETTO_HOME", help="Studio directory [default: ./duetto-studio]."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
Ref = Annotated[str, typer.Argument(help="Version id or a unique prefix of it.")]
Variants = Annotated[int, typer.Option("--variants", "-n", min=1, max=64, help="How many to make.")]
Seed = Annotated[int | None, typer.Option("--seed", help="Fix seeds: variant i gets seed+i (same command, same works).")]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


class Envelope:
    """One command's way of answering: one JSON object, or rich output for people."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.started = time.perf_counter()

    def emit(self, payload: dict[str, Any], human: Callable[[], Any]) -> None:
        if self.as_json:
            payload.setdefault("versions", [])
            payload.setdefault("timings", {})
            payload["timings"]["command_s"] = round(time.perf_counter() - self.started, 4)
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
        else:
            human()


@contextmanager
def envelope(as_json: bool, interrupted: str = "interrupted: nothing half-done was kept") -> Iterator[Envelope]:
    """Every command runs inside this: a duetto error (or a request that does not validate) is
    one line and its exit code, Ctrl-C is exit 130."""
    try:
        yield Envelope(as_json)
    except (DuettoError, ValidationError) as exc:
        error = exc if isinstance(exc, DuettoError) else InvalidInput(describe_errors(exc))
        if as_json:
            body = {"error": {"code": error.code, "message": str(error), "hint": error.hint}, "versions": []}
            sys.stdout.write(json.dumps(body, ensure_ascii=False) + "\n")
        err.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        err.print(interrupted)
        raise typer.Exit(130) from None


class Context(Envelope):
    """A command that works in the studio: the envelope plus an open studio (made first only
    when ``create``: a command that reads or changes a studio never leaves an empty one behind)."""

    def __init__(self, home: Path | None, as_json: bool, create: bool = False) -> None:
        super().__init__(as_json)
        self.settings = Settings(home=home) if home is not None else Settings()
        self.create = create
        self._studio: Studio | None = None

    @property
    def studio(self) -> Studio:
        """Opened on first use, so a request that does not validate is refused as such (exit 2)
        before the studio is looked for."""
        if self._studio is None:
            from duetto.studio import Studio

            self._studio = Studio(self.settings, create=self.create)
        return self._studio

    def close(self) -> None:
        if self._studio is not None:
            self._studio.close()

    def version_json(self, v: VersionRecord) -> dict[str, Any]:
        data = v.model_dump(mode="json")
        data["path"] = str(self.studio.path_of(v))
        data["files"] = {ext: str(p) for ext, p in self.studio.files_of(v).items()}
        return data


@contextmanager
def command(home: Path | None, as_json: bool, *, create: bool = False) -> Iterator[Context]:
    """The envelope around a studio command. Only commands that start something new pass
    ``create`` (new, demo; check and palette, which can work on a file or a colour alone)."""
    with envelope(as_json, "interrupted: every finished version is stored; nothing half-written was kept"):
        ctx = Context(home, as_json, create)
        try:
            yield ctx
        finally:
            ctx.close()


class _Bar:
    """The CLI's ``OnVersion``: advances one step per stored version and, through ``step``, moves
    within a version as the engine reports (diffusion steps, poem candidates, story scenes)."""

    def __init__(self, bar: Progress, task: Any, what: str) -> None:
        self.bar, self.task, self.what = bar, task, what

    def __call__(self, i: int, n: int, v: VersionRecord) -> None:
        self.bar.update(self.task, completed=i + 1, total=n, description=f"{self.what} {v.short}")

    def step(self, i: int, n: int, fraction: float, what: str) -> None:
        self.bar.update(self.task, completed=i + min(max(fraction, 0.0), 0.999), total=n,
                        description=f"{self.what} {i + 1}/{n}: {what}")


class _Lines:
    """The bar's plain twin for a stderr that is no terminal (a log file, a pipe, CI, ``--json``):
    a line per stored version and per stage the engine reports, written and flushed as it
    happens, so a redirected run shows how far it is while it runs, not only at the end. Stages
    closer than a second apart within one version (diffusion steps) are not all printed, and
    none in the first second: work that is done (or refused) by then needs no progress, and its
    error stays the one line on stderr."""

    EVERY = 1.0  # seconds between two stage lines of one version; also the quiet start

    def __init__(self, what: str) -> None:
        self.what = what
        self.started = time.perf_counter()
        self.last: tuple[int, float] = (-1, 0.0)  # version index and time of the last stage line

    def _say(self, text: str) -> None:
        sys.stderr.write(f"{self.what} {text} ({time.perf_counter() - self.started:.1f} s)\n")
        sys.stderr.flush()

    def __call__(self, i: int, n: int, v: VersionRecord) -> None:
        self._say(f"{i + 1}/{n} stored: {v.short}")

    def step(self, i: int, n: int, fraction: float, what: str) -> None:
        now = time.perf_counter()
        if now - self.started < self.EVERY:
            return
        if i == self.last[0] and now - self.last[1] < self.EVERY and fraction < 1.0:
            return
        self.last = (i, now)
        self._say(f"{i + 1}/{n}: {what}")


@contextmanager
def progress_bar(ctx: Envelope, total: int, what: str) -> Iterator[_Bar | _Lines]:
    """A rich bar on a terminal; plain lines on stderr otherwise (stdout keeps only the answer)."""
    if ctx.as_json or not err.is_terminal:
        yield _Lines(what)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        yield _Bar(bar, bar.add_task(what, total=total), what)


def act(ctx: Context, name: str, /, *, total: int = 1, what: str | None = None, **fields: Any) -> Any:
    """Run the table's act ``name`` as the CLI does every act: build its request from the
    command's values (validated once: a bad value is one line, exit 2), then run it with a
    progress bar of ``total`` steps."""
    op = OPERATIONS[name]
    try:
        request: BaseModel = op.request_model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidInput(option_errors(exc), hint=f"see `duetto {name} --help`") from None
    with progress_bar(ctx, total, what or name) as bar:
        return op(ctx.studio, request, bar)


def option_errors(exc: ValidationError) -> str:
    """A request that does not validate, in the command line's words: each bad field as the
    option that set it (``--strength: …``, ``--bars: …`` for an edit's ``bars``)."""
    parts = []
    for e in exc.errors():
        names = [str(p) for p in e["loc"] if isinstance(p, str)]
        where = f"--{names[-1].replace('_', '-')}" if names else "request"
        parts.append(f"{where}: {e['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def params(size: int | None, param: list[str] | None) -> dict[str, Any]:
    """``--size`` and ``--param key=value`` (values read as JSON when they parse) as engine params."""
    found: dict[str, Any] = {}
    if size is not None:
        found.update(width=size, height=size)
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InvalidInput(f"--param takes key=value, got {item!r}")
        try:
            found[key] = json.loads(value)
        except json.JSONDecodeError:
            found[key] = value
    return found


def floats(text: str, count: int, option: str) -> tuple[float, ...]:
    """``"0,0,0.5,0.4"`` → four floats, or an error that names the option and the form."""
    try:
        values = tuple(float(x) for x in text.replace(" ", "").split(","))
    except ValueError:
        values = ()
    if len(values) != count:
        raise InvalidInput(f"{option} takes {count} numbers separated by commas, got {text!r}")
    return values
