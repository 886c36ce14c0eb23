"""The ``duetto`` command: a thin typer wrapper around ``duetto.studio.operations``.

Every command takes ``--home`` (env ``DUETTO_HOME``) and ``--json``. With ``--json`` stdout holds
exactly one JSON object; without it, rich output for people. Errors are one line on stderr and a
non-zero exit code taken from the error's class.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

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
from rich.table import Table
from rich.tree import Tree as RichTree

from duetto.errors import DuettoError, InvalidInput
from duetto.llm.cli import models_app
from duetto.settings import Settings
from duetto.store.records import VersionRecord
from duetto.studio import Studio, operations, queries
from duetto.studio.choices import SpecChoices

if TYPE_CHECKING:
    from duetto.store.accounts import Accounts
    from duetto.store.marks import Marks
    from duetto.store.records import MembershipRecord, UserRecord

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

app.add_typer(models_app, name="models", help="List, install, verify and remove embedded language models.")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


class Context:
    """What one command invocation works with: the studio and how to print."""

    def __init__(self, home: Path | None, as_json: bool) -> None:
        self.as_json = as_json
        self.started = time.perf_counter()
        settings = Settings(home=home) if home is not None else Settings()
        self.studio = Studio(settings)

    def version_json(self, v: VersionRecord) -> dict[str, Any]:
        data = v.model_dump(mode="json")
        data["path"] = str(self.studio.path_of(v))
        data["files"] = {ext: str(p) for ext, p in self.studio.files_of(v).items()}
        return data

    def emit(self, payload: dict[str, Any], human: Callable[[], None]) -> None:
        if self.as_json:
            payload.setdefault("versions", [])
            payload.setdefault("timings", {})
            payload["timings"]["command_s"] = round(time.perf_counter() - self.started, 4)
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
        else:
            human()


@contextmanager
def command(home: Path | None, as_json: bool) -> Iterator[Context]:
    ctx: Context | None = None
    try:
        ctx = Context(home, as_json)
        yield ctx
    except DuettoError as exc:
        if as_json:
            body = {"error": {"code": exc.code, "message": str(exc)}, "versions": []}
            sys.stdout.write(json.dumps(body, ensure_ascii=False) + "\n")
        err.print(f"[bold red]error:[/] {exc}", soft_wrap=True, markup=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted: every finished version is stored; nothing half-written was kept")
        raise typer.Exit(130) from None
    finally:
        if ctx is not None:
            ctx.studio.close()


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


@contextmanager
def progress_bar(ctx: Context, total: int, what: str) -> Iterator[operations.OnVersion | None]:
    if ctx.as_json or not err.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        yield _Bar(bar, bar.add_task(what, total=total), what)


def _print_result(ctx: Context, result: operations.Result) -> None:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("version", "op", "style", "seconds", "file"):
        table.add_column(col)
    for v in result.versions:
        table.add_row(v.short, v.operation, v.spec.style or "-", f"{v.timings.get('generate_s', 0):.2f}",
                      str(ctx.studio.path_of(v)))
    out.print(f"[bold]work[/] {result.work.id[:10]}  {result.work.title}")
    out.print(table)
    for v in result.versions:
        _print_text(ctx, v)
    if result.contact_sheet:
        out.print(f"contact sheet: {result.contact_sheet}")
    for note in result.notes:
        out.print(f"[yellow]note:[/] {note}")


def _print_text(ctx: Context, v: VersionRecord, max_lines: int = 60) -> None:
    """Text works are read, not opened: show them inline (long ones cut, with a pointer).
    Music gets its key, tempo, form, band and where to listen."""
    if v.ext in ("mid", "midi"):
        _print_music(ctx, v)
        return
    if not v.mime.startswith("text/"):
        return
    lines = ctx.studio.blobs.read(v.sha256, v.ext).decode("utf-8").splitlines()
    out.print(f"\n[bold]{v.short}[/]", markup=True)
    out.print("\n".join(lines[:max_lines]), markup=False)
    if len(lines) > max_lines:
        out.print(f"… {len(lines) - max_lines} more lines in {ctx.studio.path_of(v)}")


def _print_music(ctx: Context, v: VersionRecord, evaluation: bool = False) -> None:
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


def _emit_result(ctx: Context, result: operations.Result) -> None:
    payload = {
        "work": result.work.model_dump(mode="json"),
        "versions": [ctx.version_json(v) for v in result.versions],
        "contact_sheet": str(result.contact_sheet) if result.contact_sheet else None,
        "notes": result.notes,
        "timings": dict(result.timings),
    }
    ctx.emit(payload, lambda: _print_result(ctx, result))


M = TypeVar("M", bound=BaseModel)


def _request(request_model: type[M], /, **fields: Any) -> M:
    """Build an operation's request from command-line values; a value out of range is one
    ``error:`` line naming the option (``--strength: …``) and exit code 2, like every bad input."""
    try:
        return request_model(**fields)
    except ValidationError as exc:
        raise InvalidInput("; ".join(f"--{'.'.join(map(str, e['loc'])).replace('_', '-')}: {e['msg']}"
                                     for e in exc.errors())) from None


def _params(size: int | None, param: list[str] | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if size is not None:
        params.update(width=size, height=size)
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InvalidInput(f"--param takes key=value, got {item!r}")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


# -- making ---------------------------------------------------------------------------------


@app.command()
def new(
    brief: Annotated[str, typer.Argument(help="What you want, in Chinese or English.")],
    variants: Annotated[int, typer.Option("--variants", "-n", min=1, max=64)] = 4,
    media: Annotated[str, typer.Option("--media", help="painting, poem, story, script or music; a comma list "
                                                       "(painting,poem,music) makes a set sharing one spec")] = "painting",
    style: Annotated[str | None, typer.Option("--style", help="Engine style, e.g. flow, ink, geometric.")] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="Engine by name (default: the medium's).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Fixed seeds: same command, same works.")] = None,
    size: Annotated[int | None, typer.Option("--size", help="Square size in pixels (64..2048).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="Engine parameter key=value.")] = None,
    image: Annotated[Path | None, typer.Option("--image", help="Reference picture: sets palette, energy, "
                                                               "composition (the brief's words win).")] = None,
    midi: Annotated[Path | None, typer.Option("--midi", help="Start from your own MIDI file (music): it becomes "
                                                             "the first version, credited to you.")] = None,
    colour: Annotated[list[str] | None, typer.Option("--colour", help="A palette colour #rrggbb (repeat it); "
                                                                      "overrides the brief's colours.")] = None,
    energy: Annotated[float | None, typer.Option("--energy", help="0 still .. 1 energetic; overrides the brief.")] = None,
    density: Annotated[float | None, typer.Option("--density", help="0 sparse .. 1 dense; overrides the brief.")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Start a work from a brief: several drafts and a contact sheet."""
    if midi is not None:
        from duetto.studio import music

        with command(home, as_json) as ctx:
            _emit_result(ctx, music.new_from_midi(ctx.studio, _request(music.NewFromMidiRequest, brief=brief, file=midi)))
        return
    with command(home, as_json) as ctx:
        choices = _request(SpecChoices, colours=colour or [], energy=energy, density=density)
        req = operations.NewRequest(
            brief=brief, media=[m.strip() for m in media.split(",") if m.strip()], style=style,
            engine=engine, variants=variants, seed=seed, params=_params(size, param), choices=choices,
        )
        what = {"painting": "painting", "music": "composing"}.get(req.media[0], "writing") if len(req.media) == 1 else "making"
        with progress_bar(ctx, variants * len(req.media), what) as cb:
            if image is not None:
                from duetto.studio import design

                result = design.new_from_image(ctx.studio, design.NewFromImageRequest(**req.model_dump(), image=image), cb)
            else:
                result = operations.new(ctx.studio, req, cb)
        _emit_result(ctx, result)


@app.command()
def revise(
    version: Ref,
    feedback: Annotated[str, typer.Argument(help='Feedback in words, e.g. "更温暖一些，线条少一点".')],
    rect: Annotated[str | None, typer.Option("--rect", help="Change only x,y,w,h (fractions 0..1).")] = None,
    ellipse: Annotated[str | None, typer.Option("--ellipse", help="Change only cx,cy,rx,ry (fractions).")] = None,
    mask: Annotated[Path | None, typer.Option("--mask", help="Change only where this picture is white.")] = None,
    feather: Annotated[float, typer.Option("--feather", min=0.0, max=0.25, help="Soft edge, fraction of the shorter side.")] = 0.02,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Turn feedback in words into a spec change and a child version (of one region, if given)."""
    with command(home, as_json) as ctx:
        if rect is not None or ellipse is not None or mask is not None:
            from duetto.studio.region import (
                RegionReviseRequest,
                parse_box,
                region_revise,
            )
            req = RegionReviseRequest(version=version, feedback=feedback, mask=mask, feather=feather,
                                      rect=parse_box(rect, "rect") if rect else None,
                                      ellipse=parse_box(ellipse, "ellipse") if ellipse else None)
            result = region_revise(ctx.studio, req)
        else:
            result = operations.revise(ctx.studio, operations.ReviseRequest(version=version, feedback=feedback))
        _emit_result(ctx, result)
        if not ctx.as_json and result.versions and result.versions[0].delta:
            delta = result.versions[0].delta
            changes = [f"{k} {v:+.2f}" for k, v in delta.shift.items()]
            changes += [f"{k} = {v}" for k, v in delta.set.items()]
            changes += [f"+{c.name}" for c in delta.add_colours] + [f"no {c.name}" for c in delta.exclude_colours]
            out.print("changed: " + ", ".join(changes))


@app.command()
def vary(
    version: Ref,
    variants: Annotated[int, typer.Option("--variants", "-n", min=1, max=64)] = 3,
    amount: Annotated[float, typer.Option("--amount", min=0.0, max=0.5, help="Size of the spec step.")] = 0.06,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Same spec, new seeds and a small random step: siblings to choose from."""
    with command(home, as_json) as ctx:
        req = operations.VaryRequest(version=version, variants=variants, amount=amount, seed=seed)
        with progress_bar(ctx, variants, "varying") as cb:
            result = operations.vary(ctx.studio, req, cb)
        _emit_result(ctx, result)


@app.command()
def blend(
    a: Ref,
    b: Ref,
    t: Annotated[float, typer.Option("--t", min=0.0, max=1.0, help="0 is A, 1 is B.")] = 0.5,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Interpolate two versions' specs into a child of both."""
    with command(home, as_json) as ctx:
        _emit_result(ctx, operations.blend(ctx.studio, operations.BlendRequest(a=a, b=b, t=t)))


@app.command()
def breed(
    parents: Annotated[list[str], typer.Argument(help="Two or more version ids.")],
    variants: Annotated[int, typer.Option("--variants", "-n", min=1, max=64)] = 4,
    mutation: Annotated[float, typer.Option("--mutation", min=0.0, max=1.0)] = 0.2,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Crossover and mutation of several parents' specs."""
    with command(home, as_json) as ctx:
        req = operations.BreedRequest(parents=parents, variants=variants, mutation=mutation, seed=seed)
        with progress_bar(ctx, variants, "breeding") as cb:
            result = operations.breed(ctx.studio, req, cb)
        _emit_result(ctx, result)


@app.command()
def derive(
    version: Ref,
    media: Annotated[str, typer.Option("--media", help="The medium to make: painting, poem, story, script, music.")],
    engine: Annotated[str | None, typer.Option("--engine", help="Engine by name (default: the medium's).")] = None,
    variants: Annotated[int, typer.Option("--variants", "-n", min=1, max=64)] = 1,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="Engine parameter key=value.")] = None,
    sing: Annotated[bool, typer.Option("--sing", help="Music from a poem: set the poem's words to the tune.")] = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Make a work in another medium from a version: a poem for a painting, music for a poem (--sing sets its words)."""
    with command(home, as_json) as ctx:
        req = operations.DeriveRequest(version=version, medium=media, engine=engine, variants=variants, seed=seed,
                                       sing=sing, params=_params(None, param))
        with progress_bar(ctx, variants, f"{media} from {version}") as cb:
            result = operations.derive(ctx.studio, req, cb)
        _emit_result(ctx, result)


@app.command("import")
def import_(
    version: Ref,
    file: Annotated[Path, typer.Argument(help="Your edited image (PNG, JPEG, WebP...).")],
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Bring a human edit in as a child version authored by you."""
    with command(home, as_json) as ctx:
        _emit_result(ctx, operations.import_edit(ctx.studio, operations.ImportRequest(version=version, file=file)))


# -- design ---------------------------------------------------------------------------------


@app.command()
def palette(
    source: Annotated[str, typer.Argument(help="A colour (#d4a017, 金色, gold), a mood (平静, calm), an image or a version.")],
    harmony: Annotated[str | None, typer.Option("--harmony", help="complementary, analogous, triadic, "
                                                                  "split-complementary, tetradic, monochrome.")] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=16, help="Colours to extract from a picture.")] = 6,
    n: Annotated[int, typer.Option("--n", min=1, max=12, help="Colours per harmony.")] = 5,
    text_colour: Annotated[str | None, typer.Option("--text-colour", help="WCAG check of this text colour.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Text area x0,y0,x1,y1 (fractions).")] = None,
    out_png: Annotated[Path | None, typer.Option("--out", help="Write a swatch sheet PNG here.")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Harmonies from a colour or mood, or the colours of a picture; swatches, names, contrast."""
    from duetto.design.swatches import table
    from duetto.studio import design

    with command(home, as_json) as ctx:
        box = tuple(_floats(region, 4, "--region")) if region else (0.0, 0.0, 1.0, 1.0)
        res = design.make_palette(ctx.studio, design.PaletteRequest(
            source=source, harmony=harmony, k=k, n=n, text_colour=text_colour, region=box, out=out_png))

        def human() -> None:
            out.print(f"[bold]{escape(res.source)}[/] · {res.kind}")
            out.print(table([(r.label, r.swatches) for r in res.rows]))
            if res.text_on_image:
                t = res.text_on_image
                out.print(f"text {t.text} on the picture: {t.p05.ratio}:1 for 95% of it → {t.p05.level} "
                          f"(worst {t.worst}:1, mean colour {t.mean}:1)" + (f"; {t.better} reads better" if t.better else ""))
            elif res.text_on_swatches:
                out.print(f"text {text_colour} on: " + ", ".join(f"{c.hex} {c.ratio}:1 {c.level}" for c in res.text_on_swatches))
            if res.image:
                out.print(f"swatches: {res.image}")

        ctx.emit(res.model_dump(mode="json"), human)


def _floats(text: str, count: int, option: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        raise InvalidInput(f"{option} takes {count} numbers separated by commas, got {text!r}") from None
    if len(values) != count:
        raise InvalidInput(f"{option} takes {count} numbers separated by commas, got {text!r}")
    return values


@app.command()
def recolour(
    version: Ref,
    palette_: Annotated[str | None, typer.Option("--palette", help='Colours, e.g. "#aabbcc,#112233" or "金色,墨色".')] = None,
    harmony: Annotated[str | None, typer.Option("--harmony", help="Palette as this harmony of --base.")] = None,
    base: Annotated[str | None, typer.Option("--base", help="Base colour or mood (default: the picture's main colour).")] = None,
    strength: Annotated[float, typer.Option("--strength", min=0.0, max=1.0)] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="0: lightness match; others swap colours of close value.")] = 0,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Repaint a picture version in a palette (light and dark kept), as a child version."""
    from duetto.studio import design

    with command(home, as_json) as ctx:
        colours = [c.strip() for c in (palette_ or "").split(",") if c.strip()]
        req = design.RecolourRequest(version=version, palette=colours, harmony=harmony, base=base,
                                     strength=strength, seed=seed)
        _emit_result(ctx, design.recolour(ctx.studio, req))


@app.command()
def restyle(
    source: Annotated[str, typer.Argument(help="A version id, or an image file (imported first as your picture).")],
    style: Annotated[str | None, typer.Option("--style", "-s", help="starry_night | 19 | starry_night:0.6,mosaic:0.4 | "
                                                                    "path/to/painting.jpg (palette: colour words).")] = None,
    strength: Annotated[float | None, typer.Option("--strength", help="0 keeps the picture .. 1 fully restyled [0.8].")] = None,
    method: Annotated[str, typer.Option("--method", help="neural | colour | histogram | palette")] = "neural",
    keep_colours: Annotated[bool, typer.Option("--keep-colours", help="The style's brushwork, your colours.")] = False,
    size: Annotated[int | None, typer.Option("--size", help="Long side of the result, 64..2048 [source's].")] = None,
    variants: Annotated[int, typer.Option("--variants", "-n", help="Bracket stroke scale (or strength).")] = 1,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Restyle a picture after a built-in style, a blend, any painting, or its colours (no model)."""
    from duetto.studio.restyle import RestyleRequest
    from duetto.studio.restyle import restyle as run_restyle

    with command(home, as_json) as ctx:
        req = _request(RestyleRequest, source=source, style=style, strength=strength, method=method,
                       keep_colours=keep_colours, size=size, variants=variants, seed=seed)
        with progress_bar(ctx, variants, "restyling") as cb:
            result = run_restyle(ctx.studio, req, cb)
        _emit_result(ctx, result)


@app.command()
def animate(
    version: Annotated[str, typer.Argument(help="A painter version to film as it is being painted.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="gif | webp | mp4 (mp4: pip install 'duetto[mp4]').")] = "gif",
    seconds: Annotated[float, typer.Option("--seconds", help="Length, up to 20.")] = 4.0,
    fps: Annotated[int, typer.Option("--fps", help="Frames per second, 1..30.")] = 12,
    size: Annotated[int | None, typer.Option("--size", help="Long side, 64..2048 [the painting's].")] = None,
    lossless: Annotated[bool, typer.Option("--lossless", help="WebP: the last frame is the still exactly.")] = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Film a painting being made (strokes accumulating, layers washed in) as a child version."""
    from duetto.studio.animate import AnimateRequest
    from duetto.studio.animate import animate as run_animate

    with command(home, as_json) as ctx:
        req = _request(AnimateRequest, version=version, format=fmt, seconds=seconds, fps=fps, size=size,
                       lossless=lossless)
        with progress_bar(ctx, 1, "animating") as cb:
            result = run_animate(ctx.studio, req, cb)
        _emit_result(ctx, result)


@app.command()
def diffuse(
    source: Annotated[str, typer.Argument(help="The version to start from (a painter picture is the usual start).")],
    model: Annotated[str, typer.Option("--model", help="A diffusers model folder on disk, or a registered name.")],
    mode: Annotated[str, typer.Option("--mode", help="img2img | inpaint")] = "img2img",
    prompt: Annotated[str | None, typer.Option("--prompt", help="Default: built from the version's spec.")] = None,
    negative: Annotated[str | None, typer.Option("--negative", help="Negative prompt.")] = None,
    scheduler: Annotated[str, typer.Option("--scheduler", help="default, euler, euler_a, ddim, dpm++, lcm, …")] = "default",
    steps: Annotated[int | None, typer.Option("--steps", help="Denoising steps [25; 4 for LCM].")] = None,
    guidance: Annotated[float | None, typer.Option("--guidance", help="Classifier-free guidance scale.")] = None,
    strength: Annotated[float | None, typer.Option("--strength", help="How far from the source, 0..1 [0.6; inpaint 1].")] = None,
    rect: Annotated[str | None, typer.Option("--rect", help="Inpaint x,y,w,h (fractions 0..1).")] = None,
    ellipse: Annotated[str | None, typer.Option("--ellipse", help="Inpaint cx,cy,rx,ry (fractions 0..1).")] = None,
    mask: Annotated[Path | None, typer.Option("--mask", help="Inpaint where this picture is white.")] = None,
    variants: Annotated[int, typer.Option("--variants", "-n", min=1, max=16)] = 1,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Redraw a version with a diffusion model on disk (img2img), or only a region of it (inpaint)."""
    from duetto.studio.diffuse import DiffuseRequest
    from duetto.studio.diffuse import diffuse as run_diffuse

    with command(home, as_json) as ctx:
        req = _request(
            DiffuseRequest, source=source, model=model, mode=mode, prompt=prompt, negative_prompt=negative,
            scheduler=scheduler, steps=steps, guidance=guidance, strength=strength,
            rect=tuple(_floats(rect, 4, "--rect")) if rect else None,
            ellipse=tuple(_floats(ellipse, 4, "--ellipse")) if ellipse else None,
            mask=mask, variants=variants, seed=seed)
        with progress_bar(ctx, variants, mode) as cb:
            result = run_diffuse(ctx.studio, req, cb)
        _emit_result(ctx, result)


@app.command()
def styles(
    sheet: Annotated[Path | None, typer.Option("--sheet", help="Also draw every style on --image into this PNG.")] = None,
    image: Annotated[Path | None, typer.Option("--image", help="The picture for the sheet [a painter seed].")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """The 26 built-in styles of `duetto restyle`, by index and name (``--home`` is unused)."""
    from duetto.media.image.stylist.sheet import swatch_sheet
    from duetto.media.image.stylist.styles import STYLES

    rows = [{"index": s.index, "name": s.name, "zh": s.zh, "look": s.look} for s in STYLES]
    try:
        if sheet is not None:
            swatch_sheet(image).save(sheet)
    except (DuettoError, OSError) as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(getattr(exc, "exit_code", 2)) from None
    if as_json:
        sys.stdout.write(json.dumps({"styles": rows, "sheet": str(sheet) if sheet else None, "versions": []},
                                    ensure_ascii=False) + "\n")
        return
    table = Table("#", "name", "中文", "looks like", box=None, pad_edge=False)
    for r in rows:
        table.add_row(str(r["index"]), str(r["name"]), str(r["zh"]), str(r["look"]))
    out.print(table)
    if sheet is not None:
        out.print(f"sheet: {sheet}")


@app.command()
def layout(
    image: Annotated[str, typer.Argument(help="The picture: a painting version id (prefix).")],
    poem: Annotated[str | None, typer.Option("--poem", help="A poem (text version) to set on the page.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="poster (A3) | cover (6×9 in) | card (1200×630) | square.")] = "poster",
    title: Annotated[str, typer.Option("--title", "-t")] = "",
    subtitle: Annotated[str, typer.Option("--subtitle", help="Subtitle or author line.")] = "",
    text: Annotated[str, typer.Option("--text", help="Body text.")] = "",
    vertical: Annotated[bool | None, typer.Option("--vertical/--horizontal", help="竖排 for a Chinese poem [auto].")] = None,
    variants: Annotated[int, typer.Option("--variants", "-n", help="Placements to try.")] = 1,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Compose a poster, book cover or social card from a picture and words (PNG + PDF)."""
    from duetto.studio.layout import LayoutRequest
    from duetto.studio.layout import layout as run_layout

    with command(home, as_json) as ctx:
        req = _request(LayoutRequest, image=image, poem=poem, format=fmt, title=title, subtitle=subtitle,
                       text=text, vertical=vertical, variants=variants, seed=seed)
        with progress_bar(ctx, variants, "laying out") as cb:
            result = run_layout(ctx.studio, req, cb)
        _emit_result(ctx, result)


# -- co-writing -----------------------------------------------------------------------------

write_app = typer.Typer(no_args_is_help=True, help="Co-write text: continue, rewrite, keep lines, translate …")
app.add_typer(write_app, name="write")
Variants = Annotated[int, typer.Option("--variants", "-n", min=1, max=16, help="How many alternatives.")]
Seed = Annotated[int | None, typer.Option("--seed", help="Fix seeds: alternative i gets seed+i.")]
Instruction = Annotated[str | None, typer.Option("--instruction", "-i", help="What you want, in words.")]
Target = Annotated[str | None, typer.Option("--target", help="A passage quoted exactly from the text.")]
Words = Annotated[int | None, typer.Option("--words", min=10, max=5000, help="About how many words.")]


def _cowrite(version: str, edit: dict[str, Any], variants: int, seed: int | None, home: Path | None,
             as_json: bool) -> None:
    from duetto.engine import Edit

    with command(home, as_json) as ctx:
        request = _request(Edit, **edit)
        req = operations.CoWriteRequest(version=version, edit=request, variants=variants, seed=seed)
        with progress_bar(ctx, variants, edit["op"]) as cb:
            result = operations.cowrite(ctx.studio, req, cb)
        _emit_result(ctx, result)
        for v in result.versions if not ctx.as_json else []:
            if v.info.get("valid") is False:
                out.print(f"[yellow]form:[/] {'; '.join(v.info.get('issues', [])[:3])}")


def _numbers(text: str | None) -> list[int]:
    try:
        return [int(x) for x in (text or "").replace("，", ",").split(",") if x.strip()]
    except ValueError:
        raise InvalidInput(f"--lines takes numbers like 1,3, got {text!r}") from None


music_app = typer.Typer(no_args_is_help=True, help="Edit music: continue, regenerate bars, reharmonise, interpolate.")
app.add_typer(music_app, name="music")


def _music_edit(version: str, edit: dict[str, Any], variants: int, seed: int | None, home: Path | None,
                as_json: bool) -> None:
    from duetto.engine import Edit
    from duetto.studio import music

    with command(home, as_json) as ctx:
        req = operations.CoWriteRequest(version=version, edit=_request(Edit, **edit), variants=variants, seed=seed)
        with progress_bar(ctx, variants, edit["op"]) as cb:
            _emit_result(ctx, music.edit(ctx.studio, req, cb))


@music_app.command("continue")
def music_continue(version: Ref,
                   bars: Annotated[int, typer.Option("--bars", "-b", help="How many bars to add (1..64).")] = 8,
                   variants: Variants = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """Go on for N more bars: new harmony closing on the tonic, the opening motif recalled."""
    _music_edit(version, {"op": "continue", "bars": bars}, variants, seed, home, as_json)


def _bar_range(text: str) -> tuple[int, int]:
    first, _, last = text.replace("..", "-").partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise InvalidInput(f"--bars takes a bar or a range like 5-8, got {text!r}") from None


@music_app.command("regenerate")
def music_regenerate(version: Ref,
                     bars: Annotated[str, typer.Option("--bars", "-b", help="Bars to write again, e.g. 5-8 (1-based).")],
                     variants: Variants = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """A new tune for some bars only; every other bar and every other part stays as it was."""
    first, last = _bar_range(bars)
    _music_edit(version, {"op": "regenerate", "first_bar": first, "last_bar": last}, variants, seed, home, as_json)


@music_app.command("reharmonise")
def music_reharmonise(version: Ref,
                      amount: Annotated[float, typer.Option("--amount", help="0 keep close .. 1 change as much as fits.")] = 0.7,
                      variants: Variants = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """New chords under the same tune; the band plays them."""
    _music_edit(version, {"op": "reharmonise", "weight": amount}, variants, seed, home, as_json)


@music_app.command("interpolate")
def music_interpolate(a: Ref, b: Ref,
                      t: Annotated[float, typer.Option("--t", min=0.0, max=1.0, help="0 is A, 1 is B.")] = 0.5,
                      home: Home = None, as_json: AsJson = False) -> None:
    """A piece between two pieces (the same as duetto blend on music)."""
    with command(home, as_json) as ctx:
        _emit_result(ctx, operations.blend(ctx.studio, operations.BlendRequest(a=a, b=b, t=t)))


@write_app.command("continue")
def write_continue(version: Ref, words: Words = None, instruction: Instruction = None, variants: Variants = 1,
                   seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """Write on from the end (stories, scripts: a new scene, free verse)."""
    _cowrite(version, {"op": "continue", "words": words, "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("elaborate")
def write_elaborate(version: Ref, target: Target = None, instruction: Instruction = None, variants: Variants = 1,
                    seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """Expand a passage (or the whole text) with detail, action and dialogue."""
    _cowrite(version, {"op": "elaborate", "target": target, "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("rewrite")
def write_rewrite(
    version: Ref,
    instruction: Annotated[str, typer.Argument(help='What to change, e.g. "darker", "更含蓄一些".')],
    target: Target = None,
    keep: Annotated[str | None, typer.Option("--keep", help="Poems: lines to keep as they are, e.g. 1,3.")] = None,
    variants: Variants = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False,
) -> None:
    """Rewrite the text (or one quoted passage) following an instruction."""
    _cowrite(version, {"op": "rewrite", "instruction": instruction, "target": target, "lines": _numbers(keep)},
             variants, seed, home, as_json)


@write_app.command("replace")
def write_replace(
    version: Ref,
    target: Annotated[str, typer.Option("--target", help="The passage to replace, quoted exactly.")],
    with_: Annotated[str | None, typer.Option("--with", help="Your own words (no AI involved).")] = None,
    instruction: Instruction = None, variants: Variants = 1, seed: Seed = None, home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Replace one passage: by your words (a human edit) or by the AI following an instruction."""
    if with_ is None and instruction is None:
        raise typer.BadParameter("give --with (your words) or --instruction (for the AI)")
    _cowrite(version, {"op": "replace", "target": target, "text": with_, "instruction": instruction},
             variants, seed, home, as_json)


@write_app.command("line")
def write_line(
    version: Ref, line: Annotated[int, typer.Argument(min=1, help="Which line (1-based).")],
    instruction: Instruction = None, variants: Variants = 3, seed: Seed = None, home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Alternatives for one line of a poem; every other line stays."""
    _cowrite(version, {"op": "line", "line": line, "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("keep")
def write_keep(
    version: Ref,
    lines: Annotated[str | None, typer.Option("--lines", help="Lines to keep, e.g. 1,3.")] = None,
    line: Annotated[int | None, typer.Option("--line", min=1, help="A line you rewrite yourself …")] = None,
    text: Annotated[str | None, typer.Option("--text", help="… and its new words.")] = None,
    instruction: Instruction = None, variants: Variants = 1, seed: Seed = None, home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Poems: keep some lines (or set one yourself) and let the AI rewrite the rest to fit."""
    if (line is None) != (text is None):
        raise typer.BadParameter("--line and --text go together")
    _cowrite(version, {"op": "keep", "lines": _numbers(lines), "line": line, "text": text,
                       "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("character")
def write_character(
    version: Ref,
    description: Annotated[str | None, typer.Argument(help="Who they are (optional: the AI invents one).")] = None,
    words: Words = None, variants: Variants = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False,
) -> None:
    """Bring a new character into a story or script."""
    _cowrite(version, {"op": "character", "instruction": description, "words": words}, variants, seed, home, as_json)


@write_app.command("summarise")
def write_summarise(version: Ref, words: Words = None, seed: Seed = None, home: Home = None,
                    as_json: AsJson = False) -> None:
    """A summary of the text as a new version."""
    _cowrite(version, {"op": "summarise", "words": words}, 1, seed, home, as_json)


@write_app.command("translate")
def write_translate(
    version: Ref,
    to: Annotated[str | None, typer.Option("--to", help="zh or en (default: the other one).")] = None,
    seed: Seed = None, home: Home = None, as_json: AsJson = False,
) -> None:
    """Translate between Chinese and English."""
    if to not in (None, "zh", "en"):
        raise typer.BadParameter("--to takes zh or en")
    _cowrite(version, {"op": "translate", "language": to}, 1, seed, home, as_json)


# -- looking --------------------------------------------------------------------------------


def _node_label(v: VersionRecord, extra_parents: list[str]) -> str:
    label = f"[bold]{v.short}[/] {v.operation}"
    if v.spec.style:
        label += f" · {v.spec.style}"
    label += f" [dim]{v.author}[/]"
    if v.delta and v.delta.feedback:
        label += f' [italic]"{v.delta.feedback}"[/]'
    if extra_parents:
        label += f" [dim](also from {', '.join(p[:10] for p in extra_parents)})[/]"
    if v.deleted:
        label = f"[strike dim]{label}[/] [red](deleted)[/]"
    return label


@app.command()
def tree(
    work: Annotated[str, typer.Argument(help="Work id, or any version id of the work.")],
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """The version DAG of a work: branches, merges and who made each step."""
    with command(home, as_json) as ctx:
        t = queries.tree(ctx.studio, work)

        def human() -> None:
            by_id = {v.id: v for v in t.versions}
            kids = t.children()
            root = RichTree(f"[bold]work {t.work.id[:10]}[/] {t.work.title}")

            def add(node: RichTree, v: VersionRecord) -> None:
                branch = node.add(_node_label(v, v.parents[1:]))
                for child in kids.get(v.id, []):
                    if by_id[child].parents[0] == v.id:  # drawn once, under its first parent
                        add(branch, by_id[child])

            for r in t.roots():
                add(root, r)
            out.print(root)

        ctx.emit({"work": t.work.model_dump(mode="json"),
                  "versions": [ctx.version_json(v) for v in t.versions]}, human)


@app.command()
def show(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """Everything about one version: spec, recipe, files, feedback."""
    with command(home, as_json) as ctx:
        v = ctx.studio.version(version)
        recipe = ctx.studio.repo.recipe(v.id)
        feedback = ctx.studio.repo.feedback_on(v.id)

        def human() -> None:
            s = v.spec
            table = Table(show_header=False, box=None, pad_edge=False)
            rows = [
                ("version", v.id + ("  [red](deleted)[/]" if v.deleted else "")),
                ("work", v.work_id),
                ("operation", v.operation),
                ("author", f"{v.author} ({v.author_kind})"),
                ("parents", ", ".join(p[:10] for p in v.parents) or "-"),
                ("created", v.created_at.isoformat(timespec="seconds")),
                ("file", str(ctx.studio.path_of(v))),
                ("style", s.style or "-"),
                ("palette", ", ".join(f"{c.name} {c.hex}" for c in s.palette.colours) or "from hue ranges"),
                ("mood", f"valence {s.mood.valence:+.2f} arousal {s.mood.arousal:.2f} {' '.join(s.mood.named)}"),
                ("energy/rhythm/density", f"{s.energy:.2f} / {s.rhythm:.2f} / {s.density:.2f}"),
                ("line", f"smooth {s.line.smoothness:.2f} amount {s.line.amount:.2f} weight {s.line.weight:.2f}"),
                ("shapes", f"size {s.shape_size:.2f} complexity {s.complexity:.2f} {s.composition}"),
                ("keywords", ", ".join(s.keywords) or "-"),
            ]
            if s.medium != "painting":  # lines and shapes are for pictures
                rows = [r for r in rows if r[0] not in ("line", "shapes")]
            if v.delta:
                rows.append(("feedback", v.delta.feedback))
            if recipe:
                rows.append(("recipe", f"{recipe['engine']} {recipe['engine_version']} seed {recipe['seed']}"))
            rows += [("notes", n) for n in s.notes]
            rows += [("feedback given", f"{f['author']}: {f['text']} → {str(f['result'])[:10]}") for f in feedback]
            for key, value in rows:
                table.add_row(f"[bold]{key}[/]", value)
            out.print(table)
            if v.ext in ("mid", "midi"):
                _print_music(ctx, v, evaluation=True)
            else:
                _print_text(ctx, v)

        ctx.emit({"versions": [ctx.version_json(v)], "recipe": recipe, "feedback": feedback}, human)


@app.command()
def diff(a: Ref, b: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """How two versions' specs differ, and how they are related."""
    with command(home, as_json) as ctx:
        d = queries.diff(ctx.studio, a, b)

        def human() -> None:
            out.print(f"{d.a.short} → {d.b.short}: {d.relation}")
            table = Table("field", d.a.short, d.b.short, box=None, pad_edge=False)
            for path, (x, y) in d.spec.items():
                fmt = lambda z: f"{z:.2f}" if isinstance(z, float) else json.dumps(z, ensure_ascii=False)  # noqa: E731
                table.add_row(path, fmt(x), fmt(y))
            out.print(table if d.spec else "specs are identical")

        ctx.emit({"versions": [ctx.version_json(d.a), ctx.version_json(d.b)], "relation": d.relation,
                  "spec_diff": {k: list(v) for k, v in d.spec.items()}}, human)


@app.command()
def replay(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """Regenerate from the stored recipe; exit 0 only if the bytes are identical."""
    with command(home, as_json) as ctx:
        r = operations.replay(ctx.studio, version)
        ctx.emit(
            {"versions": [ctx.version_json(r.version)], "identical": r.identical,
             "stored_sha256": r.stored_sha256, "replayed_sha256": r.replayed_sha256,
             "timings": {"replay_s": r.seconds}},
            lambda: out.print(f"{r.version.short}: identical bytes ({r.stored_sha256[:16]}) in {r.seconds:.2f}s"),
        )


@app.command()
def credits(
    work: Annotated[str, typer.Argument(help="Work id, or any version id of the work.")],
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Who did what: human and AI contributions per version."""
    with command(home, as_json) as ctx:
        c = queries.credits(ctx.studio, work)
        by_id = {v.id: v for v in ctx.studio.repo.versions_of(c.work.id)}

        def human() -> None:
            out.print(f"[bold]work {c.work.id[:10]}[/] {c.work.title}")
            table = Table("version", "operation", "human", "AI", box=None, pad_edge=False)
            for row in c.versions:
                table.add_row(row.version[:10], row.operation, escape("\n".join(row.human)) or "-",
                              "\n".join(row.ai) or "-")  # people's words may hold [brackets]
            out.print(table)
            out.print(f"people: {', '.join(c.people)}   engines: {', '.join(c.engines)}")
            out.print(f"human acts {sum(c.human_operations.values())} {c.human_operations}  "
                      f"AI acts {sum(c.ai_operations.values())} {c.ai_operations}  "
                      f"human share {c.human_share:.0%}")

        payload = c.model_dump(mode="json")
        payload["credits"] = payload.pop("versions")
        payload["human_share"] = round(c.human_share, 4)
        payload["versions"] = [ctx.version_json(by_id[r.version]) for r in c.versions]
        ctx.emit(payload, human)


@app.command()
def works(home: Home = None, as_json: AsJson = False) -> None:
    """List the works in the studio."""
    with command(home, as_json) as ctx:
        items = ctx.studio.repo.works()

        def human() -> None:
            table = Table("work", "medium", "created", "title", box=None, pad_edge=False)
            for w in items:
                table.add_row(w.id[:10], w.medium, w.created_at.isoformat(timespec="minutes"), w.title)
            out.print(table if items else "no works yet: try duetto new \"<brief>\"")

        ctx.emit({"works": [w.model_dump(mode="json") for w in items]}, human)


@app.command()
def forms(home: Home = None, as_json: AsJson = False) -> None:
    """The forms poems can be written and checked in: classical, English, free verse (``--home``
    is accepted, unused)."""
    from itertools import groupby

    from duetto.media.text.classical.forms import list_forms
    from duetto.media.text.english.forms import list_english_forms

    items, english = list_forms(), list_english_forms()
    if as_json:
        sys.stdout.write(json.dumps({"forms": [f.model_dump(mode="json") for f in items],
                                     "english": [f.model_dump(mode="json") for f in english],
                                     "free_verse": ["free verse", "自由诗", "现代诗"], "versions": []},
                                    ensure_ascii=False) + "\n")
        return
    table = Table("form", "id", "lines", "rhymes on", "first pattern", box=None, pad_edge=False)
    for f in items:
        table.add_row(f.zh_name, f.name, "/".join(map(str, f.line_lengths)), f.rhyme_tone,
                      " ".join(f.variants[0].pattern))
    for e in english:
        runs = [(w, len(list(g))) for w, g in groupby(e.wants(n).split(" ")[0] for n in range(1, e.lines + 1))]
        table.add_row(e.title, e.name, str(e.lines), e.scheme.replace("-", "") or "-",
                      " ".join(f"{w}×{k}" if k > 1 else w for w, k in runs) + " syllables")
    table.add_row("自由诗 / free verse", "free verse", "3-40", "-", "no fixed pattern")
    out.print(table)


def _print_report(title: str, ok: bool, issues: list[str]) -> None:
    verdict = "[green]fits the form[/]" if ok else f"[red]{len(issues)} issue(s)[/]"
    out.print(f"{escape(title)}: {verdict}")
    for message in issues:
        out.print(f"  {message}", markup=False)


@app.command()
def check(
    poem: Annotated[str, typer.Argument(help="A version id, or a text file with the poem.")],
    form: Annotated[str | None, typer.Option("--form", help="七绝, 如梦令, haiku, sonnet, 自由诗 … (default: the version's).")] = None,
    rhyme: Annotated[str, typer.Option("--rhyme", help="pingshui (平水韵) or xinyun (中华新韵).")] = "pingshui",
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Check a poem against its form: every position that breaks a rule, and which rule."""
    from duetto.media.text.classical.validate import validate
    from duetto.media.text.verse import find_modern, report_for

    with command(home, as_json) as ctx:
        path = Path(poem)
        version = None
        if path.is_file():
            text = operations.read_text(path)[0].decode("utf-8")
        else:
            version = ctx.studio.version(poem)
            if not version.mime.startswith("text/"):
                raise InvalidInput(f"version {version.short} is a {version.mime} file, not a poem")
            text = ctx.studio.blobs.read(version.sha256, version.ext).decode("utf-8")
        chosen = form or (version.spec.style if version else None)
        if chosen is None:
            raise InvalidInput("which form? pass --form (see duetto forms)")
        modern = find_modern(chosen, version.spec if version else None)
        if modern is not None:  # haiku, limerick, sonnet, free verse
            found = report_for(text, modern, detect_language=version is None)

            ctx.emit({"versions": [ctx.version_json(version)] if version else [],
                      "report": found.model_dump(mode="json")},
                     lambda: _print_report(found.form, found.ok, [i.message for i in found.issues]))
            if not found.ok:
                raise typer.Exit(1)
            return
        if rhyme not in ("pingshui", "xinyun"):
            raise InvalidInput(f"unknown rhyme system {rhyme!r}", hint="pingshui or xinyun")
        report = validate(text, chosen, rhyme=rhyme)  # type: ignore[arg-type]

        title = f"{report.form_zh} ({report.variant}, {report.rhyme_group or '-'})"
        ctx.emit({"versions": [ctx.version_json(version)] if version else [],
                  "report": report.model_dump(mode="json")},
                 lambda: _print_report(title, report.ok, [i.message for i in report.issues]))
        if not report.ok:
            raise typer.Exit(1)


@app.command()
def critique(
    version: Ref,
    model: Annotated[bool, typer.Option(
        "--model/--no-model",
        help="Also let the language model word an explanation (about a minute on 2 cores; small models "
             "may embellish, so the measured observations always come from the rules).")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en (default: the work's language).")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Explain a work (form, imagery, tone; palette and composition) and suggest what to try."""
    from duetto.studio.critique import critique as run_critique

    with command(home, as_json) as ctx:
        if lang not in (None, "zh", "en"):
            raise InvalidInput(f"unknown language {lang!r}", hint="--lang zh or --lang en")
        c = run_critique(ctx.studio, version, use_model=model, lang=lang)  # type: ignore[arg-type]
        v = ctx.studio.version(c.version)

        def human() -> None:
            zh = c.language == "zh"
            by = f"{c.model}" if c.model else ("规则" if zh else "rules")
            out.print(f"[bold]{v.short}[/] · {c.medium}{' · ' + v.spec.style if v.spec.style else ''} [dim]({by})[/]")
            if v.mime.startswith("text/"):
                lines = ctx.studio.blobs.read(v.sha256, v.ext).decode("utf-8").splitlines()
                out.print("\n" + "\n".join(lines[:16]) + ("\n…" if len(lines) > 16 else ""), markup=False)
            out.print(f"\n{c.summary}", markup=False)
            for title, items in (("所见" if zh else "What I see", c.observations), ("长处" if zh else "Strengths", c.strengths)):
                if items:
                    out.print(f"\n[bold]{title}[/]")
                    for item in items:
                        out.print(f"  • {item}", markup=False)
            if c.suggestions:
                out.print(f"\n[bold]{'建议' if zh else 'Suggestions'}[/]")
            for i, s in enumerate(c.suggestions, start=1):
                out.print(f"  {i}. {s.change}", markup=False)
                out.print(f"     [dim]{'因为' if zh else 'why'}:[/] {escape(s.reason)}")
                if s.command:
                    out.print(f"     [green]{'试试' if zh else 'try'}:[/] {escape(s.command)}")
            for note in c.notes:
                out.print(f"[yellow]note:[/] {note}")

        ctx.emit({"versions": [ctx.version_json(v)], "critique": c.model_dump(mode="json")}, human)


# -- people and access ------------------------------------------------------------------------

users_app = typer.Typer(no_args_is_help=True, help="People who log in to the web studio: passwords, roles, tokens.")
app.add_typer(users_app, name="users")
UserName = Annotated[str, typer.Argument(help="User name: 1-64 letters, digits, '.', '_' or '-'.")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line "
                                                                      "of stdin (else prompt in a terminal).")]


@contextmanager
def people(home: Path | None, as_json: bool) -> Iterator[Accounts]:
    """Like ``command`` (same errors, same exit codes) but opens only the studio's database:
    managing people must not create the CLI's own user and project as a side effect."""
    from duetto.errors import StudioUnavailable
    from duetto.store import Repository
    from duetto.store.accounts import Accounts

    repo: Repository | None = None
    try:
        settings = Settings(home=home) if home is not None else Settings()
        if settings.database_url is None:
            try:
                settings.home.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StudioUnavailable(f"cannot use the studio at {settings.home}: {exc.strerror}") from exc
        repo = Repository(settings.db_url)
        repo.migrate()
        yield Accounts(repo, session_days=settings.session_days)
    except DuettoError as exc:
        if as_json:
            sys.stdout.write(json.dumps({"error": {"code": exc.code, "message": str(exc)}, "versions": []},
                                        ensure_ascii=False) + "\n")
        err.print(f"[bold red]error:[/] {exc}", soft_wrap=True, markup=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted: nothing was changed")
        raise typer.Exit(130) from None
    finally:
        if repo is not None:
            repo.close()


def _emit_people(as_json: bool, payload: dict[str, Any], line: str) -> None:
    if as_json:
        sys.stdout.write(json.dumps({**payload, "versions": []}, ensure_ascii=False, default=str) + "\n")
    else:
        out.print(line, markup=False)


def _password(name: str, from_stdin: bool, optional: bool) -> str | None:
    """From stdin's first line, or typed twice without echo in a terminal. Never a default:
    with neither (a script without --password-stdin) there is no password, or an error."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        if optional:
            return None
        raise InvalidInput("no password given", hint="pipe it in with --password-stdin, or run in a terminal")
    try:
        first = getpass.getpass(f"password for {name}{' (empty: none, tokens only)' if optional else ''}: ")
        if not first and optional:
            return None
        if getpass.getpass("again: ") != first:
            raise InvalidInput("the two passwords differ")
    except EOFError:
        raise InvalidInput("no password given") from None
    return first


def _user_json(user: UserRecord, memberships: list[MembershipRecord]) -> dict[str, Any]:
    return {**user.model_dump(mode="json"), "projects": {m.project: m.role for m in memberships}}


@users_app.command("add")
def users_add(
    name: UserName,
    admin: Annotated[bool, typer.Option("--admin", help="May do anything in every project (needs a password).")] = False,
    display_name: Annotated[str | None, typer.Option("--display-name", help="Name shown in credits.")] = None,
    password_stdin: PasswordStdin = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Add a person. Without a password they can use API tokens but not log in to the browser."""
    from duetto.store.accounts import check_name

    with people(home, as_json) as accounts:
        password = _password(check_name(name), password_stdin, optional=True)
        user = accounts.create_user(name, password=password, is_admin=admin, display_name=display_name)
        kind = "admin" if user.is_admin else "user"
        _emit_people(as_json, {"user": _user_json(user, [])},
                     f"added {kind} {user.name}" + ("" if user.has_password else " (no password: tokens only)"))


@users_app.command("list")
def users_list(home: Home = None, as_json: AsJson = False) -> None:
    """Everyone in the studio, with their projects and roles."""
    with people(home, as_json) as accounts:
        rows = [(u, accounts.memberships_of(u.id)) for u in accounts.users()]
        if as_json:
            _emit_people(True, {"users": [_user_json(u, ms) for u, ms in rows]}, "")
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for col in ("user", "name", "admin", "password", "status", "projects"):
            table.add_column(col)
        for u, ms in rows:
            table.add_row(escape(u.name), escape(u.display_name or "-"), "yes" if u.is_admin else "",
                          "yes" if u.has_password else "no", "disabled" if u.disabled else "active",
                          escape(", ".join(f"{m.project} ({m.role})" for m in ms) or "-"))
        out.print(table)


@users_app.command("passwd")
def users_passwd(name: UserName, password_stdin: PasswordStdin = False, home: Home = None,
                 as_json: AsJson = False) -> None:
    """Set a new password; the person is logged out of every browser."""
    with people(home, as_json) as accounts:
        user = accounts.user(name)
        password = _password(user.name, password_stdin, optional=False)
        accounts.set_password(user.id, password or "")
        ended = accounts.revoke_sessions(user.id)
        _emit_people(as_json, {"user": _user_json(accounts.user_by_id(user.id), []), "sessions_ended": ended},
                     f"password set for {user.name}" + (f"; {ended} login(s) ended" if ended else ""))


@users_app.command("grant")
def users_grant(
    name: UserName,
    project: Annotated[str, typer.Argument(help="Project name.")],
    role: Annotated[str, typer.Argument(help="owner, editor, commenter or viewer.")],
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Give a person a role in a project (or change the one they have). Making someone the
    owner of a project that does not exist yet creates it."""
    from duetto.access import check_role
    from duetto.errors import NotFound

    with people(home, as_json) as accounts:
        check_role(role)
        user = accounts.user(name)
        try:
            project_id = accounts.project(project)
        except NotFound as exc:
            if role != "owner":
                raise NotFound(exc.message, hint=f"create it by giving it an owner: duetto users grant NAME {project} owner") from None
            project_id = accounts.repo.ensure_project(project, user.id)
        member = accounts.grant(project_id, user.id, role)
        _emit_people(as_json, {"membership": member.model_dump(mode="json")},
                     f"{member.user} is {member.role} of {member.project}")


@users_app.command("revoke")
def users_revoke(name: UserName, project: Annotated[str, typer.Argument(help="Project name.")],
                 home: Home = None, as_json: AsJson = False) -> None:
    """Take a person out of a project."""
    with people(home, as_json) as accounts:
        user = accounts.user(name)
        accounts.revoke(accounts.project(project), user.id)
        _emit_people(as_json, {"user": user.name, "project": project}, f"{user.name} is no longer in {project}")


@users_app.command("token")
def users_token(
    name: UserName,
    label: Annotated[str, typer.Option("--name", help="What the token is for, shown in lists.")] = "",
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Make a personal API token and print it (once: only its hash is kept)."""
    with people(home, as_json) as accounts:
        record, token = accounts.create_token(accounts.user(name).id, label)
        if not as_json:
            err.print("store this token now: it is not shown again")
        _emit_people(as_json, {"token": token, "record": record.model_dump(mode="json")}, token)


@users_app.command("disable")
def users_disable(name: UserName, home: Home = None, as_json: AsJson = False) -> None:
    """Lock a person out at once (logins and tokens refused); their work stays credited."""
    with people(home, as_json) as accounts:
        user = accounts.disable_user(accounts.user(name).id)
        _emit_people(as_json, {"user": _user_json(user, [])}, f"{user.name} is disabled")


@users_app.command("enable")
def users_enable(name: UserName, home: Home = None, as_json: AsJson = False) -> None:
    """Let a disabled person back in (their old logins and tokens work again)."""
    with people(home, as_json) as accounts:
        user = accounts.enable_user(accounts.user(name).id)
        _emit_people(as_json, {"user": _user_json(user, [])}, f"{user.name} is enabled")



# -- taking part: comments, stars and votes (no new versions) ----------------------------------


def _marks(ctx: Context) -> Marks:
    from duetto.store.marks import Marks

    return Marks(ctx.studio.repo)


@app.command()
def comment(
    version: Ref,
    text: Annotated[str, typer.Argument(help="What you think of it, in any language (1-2000 characters).")],
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Comment on a version as DUETTO_USER. Nothing is generated: `duetto revise` makes a child."""
    with command(home, as_json) as ctx:
        v = ctx.studio.version(version)
        c = _marks(ctx).comment(v.id, ctx.studio.user_id, text)
        ctx.emit({"versions": [ctx.version_json(v)], "comment": c.model_dump(mode="json")},
                 lambda: out.print(f"[bold]{escape(c.user)}[/] on {v.short}: {escape(c.text)}"))


@app.command()
def comments(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """The comments on a version, oldest first, with who wrote them."""
    with command(home, as_json) as ctx:
        v = ctx.studio.version(version)
        items = _marks(ctx).comments(v.id)

        def human() -> None:
            table = Table("when", "who", "comment", box=None, pad_edge=False)
            for c in items:
                table.add_row(c.created_at.isoformat(timespec="minutes"), escape(c.user), escape(c.text))
            out.print(table if items else f"no comments on {v.short} yet: duetto comment {v.short} \"<words>\"")

        ctx.emit({"versions": [ctx.version_json(v)], "comments": [c.model_dump(mode="json") for c in items]}, human)


@app.command()
def star(
    version: Ref,
    undo: Annotated[bool, typer.Option("--undo", help="Take your star back.")] = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Star a version as DUETTO_USER (again: no change), or take the star back with --undo."""
    with command(home, as_json) as ctx:
        v = ctx.studio.version(version)
        marks = _marks(ctx)
        s = marks.unstar(v.id, ctx.studio.user_id) if undo else marks.star(v.id, ctx.studio.user_id)
        mark = "★" if s.mine else "☆"
        ctx.emit({"versions": [ctx.version_json(v)], "stars": s.model_dump(mode="json")},
                 lambda: out.print(f"{mark} {v.short}: {s.count} star{'s' if s.count != 1 else ''}"
                                   f"{' (one is yours)' if s.mine else ''}"))


@app.command()
def vote(
    winner: Annotated[str, typer.Argument(help="The version you prefer (id or unique prefix).")],
    loser: Annotated[str, typer.Argument(help="The other version, of the same work.")],
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Prefer one version to another of the same work; prints the work's ranking so far."""
    with command(home, as_json) as ctx:
        w, lo = ctx.studio.version(winner), ctx.studio.version(loser)
        marks = _marks(ctx)
        cast = marks.vote(w.id, lo.id, ctx.studio.user_id)
        tally = marks.tally(w.work_id)

        def human() -> None:
            out.print(f"[bold]{escape(cast.user)}[/] prefers {w.short} to {lo.short}")
            table = Table("version", "wins", "losses", "score", box=None, pad_edge=False)
            for r in tally.ranking:
                table.add_row(r.version_id[:10], str(r.wins), str(r.losses), f"{r.score:.0%}")
            out.print(table)
            out.print(f"{tally.votes} vote{'s' if tally.votes != 1 else ''} on this work")

        ctx.emit({"versions": [ctx.version_json(w), ctx.version_json(lo)], "vote": cast.model_dump(mode="json"),
                  "tally": tally.model_dump(mode="json")}, human)


# -- keeping --------------------------------------------------------------------------------


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
    formats = [f.strip().lower() for f in (fmt or "").split(",") if f.strip()]
    with command(home, as_json) as ctx:
        files = operations.export(ctx.studio, version, dest, force, formats)
        v = ctx.studio.version(version)
        ctx.emit({"versions": [ctx.version_json(v)], "exported": {k: str(p) for k, p in files.items()}},
                 lambda: [out.print(str(p)) for p in files.values()])


@app.command()
def rm(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """Soft-delete a version (restore brings it back; nothing is erased)."""
    with command(home, as_json) as ctx:
        v = operations.remove(ctx.studio, version)
        ctx.emit({"versions": [ctx.version_json(v)]},
                 lambda: out.print(f"{v.short} deleted (duetto restore {v.short} brings it back)"))


@app.command()
def restore(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """Undo a soft delete."""
    with command(home, as_json) as ctx:
        v = operations.restore(ctx.studio, version)
        ctx.emit({"versions": [ctx.version_json(v)]}, lambda: out.print(f"{v.short} restored"))


@app.command()
def demo(home: Home = None, as_json: AsJson = False) -> None:
    """Run the whole co-creation loop once on the seed brief (what `make run` does)."""
    from duetto.demo import run_demo

    with command(home, as_json) as ctx:
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
    try:
        server = Server(settings)
    except DuettoError as exc:
        err.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
