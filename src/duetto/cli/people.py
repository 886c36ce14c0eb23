"""People and taking part: ``duetto users …`` (passwords, roles, tokens) and comments, stars, votes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from duetto.cli.base import (
    AsJson,
    Context,
    Envelope,
    Home,
    Ref,
    act,
    app,
    command,
    envelope,
    err,
    out,
)
from duetto.errors import InvalidInput
from duetto.settings import Settings

if TYPE_CHECKING:
    from duetto.store.accounts import Accounts
    from duetto.store.marks import Marks
    from duetto.store.records import MembershipRecord, UserRecord


users_app = typer.Typer(no_args_is_help=True, help="People who log in to the web studio: passwords, roles, tokens.")
app.add_typer(users_app, name="users")
UserName = Annotated[str, typer.Argument(help="User name: 1-64 letters, digits, '.', '_' or '-'.")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line "
                                                                      "of stdin (else prompt in a terminal).")]


@contextmanager
def people(home: Path | None, as_json: bool, *, create: bool = False) -> Iterator[Accounts]:
    """Like ``command`` (the same envelope) but opens only the studio's database:
    managing people must not create the CLI's own user and project as a side effect. Only
    ``users add`` (``create``) may make the studio; the rest need one that is there."""
    from duetto.errors import StudioUnavailable
    from duetto.store import Repository
    from duetto.store.accounts import Accounts
    from duetto.studio.studio import require_existing

    with envelope(as_json, "interrupted: nothing was changed"):
        settings = Settings(home=home) if home is not None else Settings()
        if not create:
            require_existing(settings)
        if settings.database_url is None:
            try:
                settings.home.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StudioUnavailable(f"cannot use the studio at {settings.home}: {exc.strerror}") from exc
        repo = Repository(settings.db_url)
        try:
            repo.migrate()
            yield Accounts(repo, session_days=settings.session_days)
        finally:
            repo.close()


def _emit_people(as_json: bool, payload: dict[str, Any], line: str) -> None:
    Envelope(as_json).emit(payload, lambda: out.print(line, markup=False))


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

    with people(home, as_json, create=True) as accounts:
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


def marks_of(ctx: Context) -> Marks:
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
        c = act(ctx, "comment", version=version, text=text)
        v = ctx.studio.version(c.version_id)
        ctx.emit({"versions": [ctx.version_json(v)], "comment": c.model_dump(mode="json")},
                 lambda: out.print(f"[bold]{escape(c.user)}[/] on {v.short}: {escape(c.text)}"))


@app.command()
def comments(version: Ref, home: Home = None, as_json: AsJson = False) -> None:
    """The comments on a version, oldest first, with who wrote them."""
    with command(home, as_json) as ctx:
        v = ctx.studio.version(version)
        items = marks_of(ctx).comments(v.id)

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
        s = act(ctx, "star", version=version, undo=undo)
        v = ctx.studio.version(version)
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
        cast = act(ctx, "vote", winner=winner, loser=loser)
        w, lo = ctx.studio.version(winner), ctx.studio.version(loser)
        tally = marks_of(ctx).tally(w.work_id)

        def human() -> None:
            out.print(f"[bold]{escape(cast.user)}[/] prefers {w.short} to {lo.short}")
            table = Table("version", "wins", "losses", "score", box=None, pad_edge=False)
            for r in tally.ranking:
                table.add_row(r.version_id[:10], str(r.wins), str(r.losses), f"{r.score:.0%}")
            out.print(table)
            out.print(f"{tally.votes} vote{'s' if tally.votes != 1 else ''} on this work")

        ctx.emit({"versions": [ctx.version_json(w), ctx.version_json(lo)], "vote": cast.model_dump(mode="json"),
                  "tally": tally.model_dump(mode="json")}, human)
