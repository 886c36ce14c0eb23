"""Making works: new, revise (of a region too), vary, blend, breed, derive, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from duetto.cli.base import (
    AsJson,
    Home,
    Ref,
    Seed,
    Variants,
    act,
    app,
    command,
    out,
    params,
)
from duetto.cli.render import emit_result

MEDIA_HELP = ("painting, poem, story, script or music; a comma list (painting,poem,music) makes a set sharing "
              "one spec [default: read from the brief]")


@app.command()
def new(
    brief: Annotated[str, typer.Argument(help="What you want, in Chinese or English.")],
    variants: Variants = 4,
    media: Annotated[str | None, typer.Option("--media", help=MEDIA_HELP)] = None,
    style: Annotated[str | None, typer.Option("--style", help="Engine style, e.g. flow, ink, geometric.")] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="Engine by name (default: the medium's).")] = None,
    seed: Seed = None,
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
    """Start a work from a brief: several drafts and a contact sheet. The medium is read from the
    brief (七绝 → a poem, a waltz → music) unless --media names it."""
    with command(home, as_json, create=True) as ctx:
        chosen = [m.strip() for m in media.split(",") if m.strip()] if media else None
        picked = {"colours": colour or [], "energy": energy, "density": density}  # validated with the request
        count = variants * (len(chosen) if chosen else 1)
        result = act(ctx, "new", total=count, what="making", brief=brief, media=chosen, style=style, engine=engine,
                     variants=variants, seed=seed, params=params(size, param), choices=picked, image=image, midi=midi)
        emit_result(ctx, result)


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
    from duetto.studio.region import parse_box

    with command(home, as_json) as ctx:
        result = act(ctx, "revise", what="revising", version=version, feedback=feedback, mask=mask, feather=feather,
                     rect=parse_box(rect, "rect") if rect else None,
                     ellipse=parse_box(ellipse, "ellipse") if ellipse else None)
        emit_result(ctx, result)
        if not ctx.as_json and result.versions and result.versions[0].delta:
            delta = result.versions[0].delta
            changes = [f"{k} {v:+.2f}" for k, v in delta.shift.items()]
            changes += [f"{k} = {v}" for k, v in delta.set.items()]
            changes += [f"+{c.name}" for c in delta.add_colours] + [f"no {c.name}" for c in delta.exclude_colours]
            out.print("changed: " + ", ".join(changes))


@app.command()
def vary(
    version: Ref,
    variants: Variants = 3,
    amount: Annotated[float, typer.Option("--amount", min=0.0, max=0.5, help="Size of the spec step.")] = 0.06,
    seed: Seed = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Same spec, new seeds and a small random step: siblings to choose from."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "vary", total=variants, what="varying", version=version, variants=variants,
                             amount=amount, seed=seed))


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
        emit_result(ctx, act(ctx, "blend", what="blending", a=a, b=b, t=t))


@app.command()
def breed(
    parents: Annotated[list[str], typer.Argument(help="Two or more version ids.")],
    variants: Variants = 4,
    mutation: Annotated[float, typer.Option("--mutation", min=0.0, max=1.0)] = 0.2,
    seed: Seed = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Crossover and mutation of several parents' specs."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "breed", total=variants, what="breeding", parents=parents, variants=variants,
                             mutation=mutation, seed=seed))


@app.command()
def derive(
    version: Ref,
    media: Annotated[str, typer.Option("--media", help="The medium to make: painting, poem, story, script, music.")],
    engine: Annotated[str | None, typer.Option("--engine", help="Engine by name (default: the medium's).")] = None,
    variants: Variants = 1,
    seed: Seed = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="Engine parameter key=value.")] = None,
    sing: Annotated[bool, typer.Option("--sing", help="Music from a poem: set the poem's words to the tune.")] = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Make a work in another medium from a version: a poem for a painting, music for a poem (--sing sets its words)."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "derive", total=variants, what=f"{media} from {version}", version=version,
                             medium=media, engine=engine, variants=variants, seed=seed, sing=sing,
                             params=params(None, param)))


@app.command("import")
def import_(
    version: Ref,
    file: Annotated[Path, typer.Argument(help="Your edited file: an image, UTF-8 text or MIDI, like the version.")],
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Bring a human edit in as a child version authored by you."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "import", version=version, file=file))
