"""Looking: the tree of a work, one version, two compared, replay, credits, the works, a critique."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree as RichTree

from duetto.cli.base import AsJson, Home, Ref, act, app, command, out
from duetto.cli.render import print_music, print_text

if TYPE_CHECKING:
    from duetto.store.records import VersionRecord


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
        t = act(ctx, "tree", work=work)

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
        shown = act(ctx, "show", version=version)
        v, recipe, feedback = shown.version, shown.recipe, shown.feedback

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
                print_music(ctx, v, evaluation=True)
            else:
                print_text(ctx, v)

        ctx.emit({"versions": [ctx.version_json(v)], "recipe": recipe, "feedback": feedback}, human)


@app.command()
def diff(a: Ref, b: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """How two versions' specs differ, and how they are related."""
    with command(home, as_json) as ctx:
        d = act(ctx, "diff", a=a, b=b)

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
        r = act(ctx, "replay", what="replaying", version=version)
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
        c = act(ctx, "credits", work=work)
        by_id = {v.id: v for v in ctx.studio.versions_of(c.work.id)}

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
        items = ctx.studio.works()

        def human() -> None:
            table = Table("work", "medium", "created", "title", box=None, pad_edge=False)
            for w in items:
                table.add_row(w.id[:10], w.medium, w.created_at.isoformat(timespec="minutes"), w.title)
            out.print(table if items else "no works yet: try duetto new \"<brief>\"")

        ctx.emit({"works": [w.model_dump(mode="json") for w in items]}, human)


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
    with command(home, as_json) as ctx:
        c = act(ctx, "critique", what="critiquing", version=version, use_model=model, lang=lang)
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
