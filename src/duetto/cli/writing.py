"""Writing: the co-writing acts (``duetto write …``), checking a poem's form, the forms known."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from duetto.cli.base import AsJson, Home, Ref, act, app, command, envelope, out
from duetto.cli.render import emit_result
from duetto.errors import InvalidInput

write_app = typer.Typer(no_args_is_help=True, help="Co-write text: continue, rewrite, keep lines, translate …")
app.add_typer(write_app, name="write")
Alternatives = Annotated[int, typer.Option("--variants", "-n", min=1, max=16, help="How many alternatives.")]
Seed = Annotated[int | None, typer.Option("--seed", help="Fix seeds: alternative i gets seed+i.")]
Instruction = Annotated[str | None, typer.Option("--instruction", "-i", help="What you want, in words.")]
Target = Annotated[str | None, typer.Option("--target", help="A passage quoted exactly from the text.")]
Words = Annotated[int | None, typer.Option("--words", min=10, max=5000, help="About how many words.")]


def cowrite(version: str, edit: dict[str, Any], variants: int, seed: int | None, home: Path | None,
            as_json: bool) -> None:
    with command(home, as_json) as ctx:
        result = act(ctx, "write", total=variants, what=edit["op"], version=version,
                     edit={k: v for k, v in edit.items() if v is not None}, variants=variants, seed=seed)
        emit_result(ctx, result)
        for v in result.versions if not ctx.as_json else []:
            if v.info.get("valid") is False:
                out.print(f"[yellow]form:[/] {'; '.join(v.info.get('issues', [])[:3])}")


def numbers(text: str | None) -> list[int]:
    try:
        return [int(x) for x in (text or "").replace("，", ",").split(",") if x.strip()]
    except ValueError:
        raise InvalidInput(f"--lines takes numbers like 1,3, got {text!r}") from None


@write_app.command("continue")
def write_continue(version: Ref, words: Words = None, instruction: Instruction = None, variants: Alternatives = 1,
                   seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """Write on from the end (stories, scripts: a new scene, free verse)."""
    cowrite(version, {"op": "continue", "words": words, "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("elaborate")
def write_elaborate(version: Ref, target: Target = None, instruction: Instruction = None, variants: Alternatives = 1,
                    seed: Seed = None, home: Home = None, as_json: AsJson = False) -> None:
    """Expand a passage (or the whole text) with detail, action and dialogue."""
    cowrite(version, {"op": "elaborate", "target": target, "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("rewrite")
def write_rewrite(
    version: Ref,
    instruction: Annotated[str, typer.Argument(help='What to change, e.g. "darker", "更含蓄一些".')],
    target: Target = None,
    keep: Annotated[str | None, typer.Option("--keep", help="Poems: lines to keep as they are, e.g. 1,3.")] = None,
    variants: Alternatives = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False,
) -> None:
    """Rewrite the text (or one quoted passage) following an instruction."""
    cowrite(version, {"op": "rewrite", "instruction": instruction, "target": target, "lines": numbers(keep)},
            variants, seed, home, as_json)


@write_app.command("replace")
def write_replace(
    version: Ref,
    target: Annotated[str, typer.Option("--target", help="The passage to replace, quoted exactly.")],
    with_: Annotated[str | None, typer.Option("--with", help="Your own words (no AI involved).")] = None,
    instruction: Instruction = None, variants: Alternatives = 1, seed: Seed = None, home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Replace one passage: by your words (a human edit) or by the AI following an instruction."""
    if with_ is None and instruction is None:
        raise typer.BadParameter("give --with (your words) or --instruction (for the AI)")
    cowrite(version, {"op": "replace", "target": target, "text": with_, "instruction": instruction},
            variants, seed, home, as_json)


@write_app.command("line")
def write_line(
    version: Ref, line: Annotated[int, typer.Argument(min=1, help="Which line (1-based).")],
    instruction: Instruction = None, variants: Alternatives = 3, seed: Seed = None, home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Alternatives for one line of a poem; every other line stays."""
    cowrite(version, {"op": "line", "line": line, "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("keep")
def write_keep(
    version: Ref,
    lines: Annotated[str | None, typer.Option("--lines", help="Lines to keep, e.g. 1,3.")] = None,
    line: Annotated[int | None, typer.Option("--line", min=1, help="A line you rewrite yourself …")] = None,
    text: Annotated[str | None, typer.Option("--text", help="… and its new words.")] = None,
    instruction: Instruction = None, variants: Alternatives = 1, seed: Seed = None, home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Poems: keep some lines (or set one yourself) and let the AI rewrite the rest to fit."""
    if (line is None) != (text is None):
        raise typer.BadParameter("--line and --text go together")
    cowrite(version, {"op": "keep", "lines": numbers(lines), "line": line, "text": text,
                      "instruction": instruction}, variants, seed, home, as_json)


@write_app.command("character")
def write_character(
    version: Ref,
    description: Annotated[str | None, typer.Argument(help="Who they are (optional: the AI invents one).")] = None,
    words: Words = None, variants: Alternatives = 1, seed: Seed = None, home: Home = None, as_json: AsJson = False,
) -> None:
    """Bring a new character into a story or script."""
    cowrite(version, {"op": "character", "instruction": description, "words": words}, variants, seed, home, as_json)


@write_app.command("summarise")
def write_summarise(version: Ref, words: Words = None, seed: Seed = None, home: Home = None,
                    as_json: AsJson = False) -> None:
    """A summary of the text as a new version."""
    cowrite(version, {"op": "summarise", "words": words}, 1, seed, home, as_json)


@write_app.command("translate")
def write_translate(
    version: Ref,
    to: Annotated[str | None, typer.Option("--to", help="zh or en (default: the other one).")] = None,
    seed: Seed = None, home: Home = None, as_json: AsJson = False,
) -> None:
    """Translate between Chinese and English."""
    if to not in (None, "zh", "en"):
        raise typer.BadParameter("--to takes zh or en")
    cowrite(version, {"op": "translate", "language": to}, 1, seed, home, as_json)


@app.command()
def forms(home: Home = None, as_json: AsJson = False) -> None:
    """The forms poems can be written and checked in: classical, English, free verse (``--home``
    is accepted, unused)."""
    from itertools import groupby

    from duetto.media.text.classical.forms import list_forms
    from duetto.media.text.english.forms import list_english_forms

    with envelope(as_json) as env:
        items, english = list_forms(), list_english_forms()

        def human() -> None:
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

        env.emit({"forms": [f.model_dump(mode="json") for f in items],
                  "english": [f.model_dump(mode="json") for f in english],
                  "free_verse": ["free verse", "自由诗", "现代诗"]}, human)


@app.command()
def check(
    poem: Annotated[str, typer.Argument(help="A version id, or a text file with the poem.")],
    form: Annotated[str | None, typer.Option("--form", help="七绝, 如梦令, haiku, sonnet, 自由诗 … (default: the version's).")] = None,
    rhyme: Annotated[str, typer.Option("--rhyme", help="pingshui (平水韵) or xinyun (中华新韵).")] = "pingshui",
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Check a poem against its form: every position that breaks a rule, and which rule (exit 1 if any)."""
    from duetto.studio.kernel import Upload, read_text

    with command(home, as_json, create=True) as ctx:
        path = Path(poem)
        text = read_text(Upload.read(path))[0].decode("utf-8") if path.is_file() else None
        found = act(ctx, "check", version=None if text is not None else poem, text=text, form=form, rhyme=rhyme)
        versions = [ctx.version_json(ctx.studio.version(found.version))] if found.version else []

        def human() -> None:
            verdict = "[green]fits the form[/]" if found.ok else f"[red]{len(found.issues)} issue(s)[/]"
            out.print(f"{escape(found.title)}: {verdict}")
            for issue in found.issues:
                out.print(f"  {issue.message}", markup=False)
            for note in found.notes:
                out.print(f"  [dim]{escape(note)}[/]")

        ctx.emit({"versions": versions, "report": found.report, "notes": found.notes}, human)
        if not found.ok:
            raise typer.Exit(1)


