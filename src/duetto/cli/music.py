"""Music: ``duetto music …`` edits a piece (continue, regenerate bars, reharmonise, interpolate)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from duetto.cli.base import AsJson, Home, Ref, act, app, command
from duetto.cli.render import emit_result
from duetto.cli.writing import Alternatives, Seed
from duetto.errors import InvalidInput

music_app = typer.Typer(no_args_is_help=True, help="Edit music: continue, regenerate bars, reharmonise, interpolate.")
app.add_typer(music_app, name="music")


def music_edit(version: str, edit: dict[str, Any], variants: int, seed: int | None, home: Path | None,
               as_json: bool) -> None:
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "music", total=variants, what=edit["op"], version=version, edit=edit,
                             variants=variants, seed=seed))


def bar_range(text: str) -> tuple[int, int]:
    first, _, last = text.replace("..", "-").partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise InvalidInput(f"--bars takes a bar or a range like 5-8, got {text!r}") from None


@music_app.command("continue")
def music_continue(version: Ref,
                   bars: Annotated[int, typer.Option("--bars", "-b", help="How many bars to add (1..64).")] = 8,
                   variants: Alternatives = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """Go on for N more bars: new harmony closing on the tonic, the opening motif recalled."""
    music_edit(version, {"op": "continue", "bars": bars}, variants, seed, home, as_json)


@music_app.command("regenerate")
def music_regenerate(version: Ref,
                     bars: Annotated[str, typer.Option("--bars", "-b", help="Bars to write again, e.g. 5-8 (1-based).")],
                     variants: Alternatives = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """A new tune for some bars only; every other bar and every other part stays as it was."""
    first, last = bar_range(bars)
    music_edit(version, {"op": "regenerate", "first_bar": first, "last_bar": last}, variants, seed, home, as_json)


@music_app.command("reharmonise")
def music_reharmonise(version: Ref,
                      amount: Annotated[float, typer.Option("--amount", help="0 keep close .. 1 change as much as fits.")] = 0.7,
                      variants: Alternatives = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """New chords under the same tune; the band plays them."""
    music_edit(version, {"op": "reharmonise", "weight": amount}, variants, seed, home, as_json)


@music_app.command("interpolate")
def music_interpolate(a: Ref, b: Ref,
                      t: Annotated[float, typer.Option("--t", min=0.0, max=1.0, help="0 is A, 1 is B.")] = 0.5,
                      home: Home = None, as_json: AsJson = False) -> None:
    """A piece between two pieces (the same act as duetto blend, on music)."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "blend", what="interpolating", a=a, b=b, t=t))
