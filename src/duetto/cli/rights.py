"""Rights: publish a version with signed provenance, verify any file, the studio's signing identity."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.markup import escape
from rich.table import Table

from duetto.cli.base import AsJson, Context, Home, Ref, act, app, command, out
from duetto.errors import Conflict, InvalidInput

LICENCE_HELP = ("CC-BY-4.0, CC-BY-SA-4.0, CC-BY-NC-4.0, CC-BY-NC-SA-4.0, CC-BY-ND-4.0, CC0-1.0, "
                "all-rights-reserved, or custom (with --licence-text or --licence-file).")
AskPassphrase = Annotated[bool, typer.Option("--ask-passphrase", help="Ask for the signing keys' passphrase "
                                             "(a new identity's keys are encrypted with it).")]


def _passphrase(ctx: Context, ask: bool) -> None:
    """Ask for the key passphrase when told to, or when the keys are encrypted, none is set
    (DUETTO_IDENTITY_PASSPHRASE) and a person is at the terminal."""
    from duetto.rights.identity import Identity

    if ctx.settings.identity_passphrase is not None:
        return
    identity = Identity(ctx.settings.home.resolve())
    new = not identity.exists()
    if not ask and (new or not identity.state().encrypted or not sys.stdin.isatty()):
        return
    secret = typer.prompt("passphrase for the studio's signing keys", hide_input=True, confirmation_prompt=new,
                          err=True)
    ctx.settings.identity_passphrase = SecretStr(secret)


@app.command()
def publish(
    version: Ref,
    title: Annotated[str | None, typer.Option("--title", help="The work's title [default: the work's].")] = None,
    author: Annotated[list[str] | None, typer.Option("--author", help="An author as credited (repeat for "
                                                     "several) [default: the people of its lineage].")] = None,
    licence: Annotated[str, typer.Option("--licence", "--license", help=LICENCE_HELP)] = "all-rights-reserved",
    licence_text: Annotated[str | None, typer.Option("--licence-text", help="A custom licence's terms.")] = None,
    licence_file: Annotated[Path | None, typer.Option("--licence-file", help="A custom licence's terms, from a "
                                                      "UTF-8 file.")] = None,
    training: Annotated[str, typer.Option("--training", help="AI training and data mining: allowed, notAllowed "
                                          "or constrained.")] = "notAllowed",
    fmt: Annotated[list[str] | None, typer.Option("--format", help="Also sign a rendering: pdf, md, fountain "
                                                  "(text); musicxml, mp3, wav (music). Repeat for several.")] = None,
    thumbnail: Annotated[bool, typer.Option("--thumbnail", help="Embed a thumbnail in the manifest.")] = False,
    mark: Annotated[bool, typer.Option("--watermark", help="Also hide the version id in a picture's pixels "
                                       "(needs duetto[watermark]).")] = False,
    allow_similar: Annotated[bool, typer.Option("--allow-similar", help="Publish even if it is a near duplicate "
                                                "of a work published here or imported.")] = False,
    dest: Annotated[Path | None, typer.Option("--out", help="Copy the published files into this folder.")] = None,
    force: Annotated[bool, typer.Option("--force", help="With --out: overwrite files already there.")] = False,
    ask_passphrase: AskPassphrase = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Publish a version: each file signed with its C2PA provenance, licence and authors.

    PNG, JPEG, WebP, GIF, SVG, WAV and MP3 carry the manifest inside; other files (Markdown,
    Fountain, PDF, MIDI, MusicXML) get a .c2pa sidecar. The first publish makes the studio's
    signing identity. A published version can no longer be deleted."""
    with command(home, as_json) as ctx:
        if licence_file is not None:
            if licence_text is not None:
                raise InvalidInput("give --licence-text or --licence-file, not both")
            try:
                licence_text = licence_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"cannot read {licence_file}: {exc}") from None
        _passphrase(ctx, ask_passphrase)
        result = act(ctx, "publish", what="publishing", version=version, title=title, authors=author or [],
                     licence=licence, licence_text=licence_text, training=training,
                     formats=[f.strip().lower() for f in fmt or []], thumbnail=thumbnail, allow_similar=allow_similar,
                     watermark=mark)
        copied: dict[str, str] = {}
        if dest is not None:
            copied = _copy_out(result.files, result.version.short, dest, force)
        pub = result.publication

        def human() -> None:
            out.print(f"[bold]{result.version.short}[/] published as “{escape(pub.title)}” by "
                      f"{escape(', '.join(pub.authors))} · {pub.licence} · AI training {pub.training}")
            out.print(f"signed by {escape(result.signer.subject)} (serial {result.signer.serial[:16]}…)")
            for f in pub.files:
                how = "manifest embedded" if f.embedded else "sidecar .c2pa"
                out.print(f"  {f.ext:<10} {how}")
            for path in (copied or result.files).values():
                out.print(path)
            for warning in result.likeness.warnings:
                out.print(f"[yellow]warning:[/] {escape(warning)}")
            out.print(f"[dim]compared with: {', '.join(result.likeness.checked) or 'nothing (no perceptual key)'}[/]")

        payload = result.model_dump(mode="json")
        payload["versions"] = [ctx.version_json(result.version)]
        payload.pop("version")
        payload["copied"] = copied
        ctx.emit(payload, human)


def _copy_out(files: dict[str, str], short: str, dest: Path, force: bool) -> dict[str, str]:
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create {dest}: {exc.strerror}") from None
    targets = {name: dest / f"{short}.{name}" for name in files}
    clash = [p for p in targets.values() if p.exists()]
    if clash and not force:
        raise Conflict(f"{clash[0]} already exists", hint="use --force to overwrite")
    for name, src in files.items():
        shutil.copyfile(src, targets[name])
    return {name: str(p) for name, p in targets.items()}


def sidecar_beside(file: Path) -> Path | None:
    """``poem.md.c2pa`` or ``poem.c2pa`` next to the file, when there is one."""
    for candidate in (file.with_name(file.name + ".c2pa"), file.with_suffix(".c2pa")):
        if candidate.is_file() and candidate != file:
            return candidate
    return None


@app.command()
def verify(
    file: Annotated[Path, typer.Argument(help="The file to check.")],
    sidecar: Annotated[Path | None, typer.Option("--sidecar", help="Its .c2pa manifest [default: FILE.c2pa or "
                                                 "the same name with .c2pa beside it].")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Check a file's C2PA provenance against this studio's trust anchors and say who did what.

    Exit status: 0 valid and trusted; 10 validly signed by a signer this studio does not trust;
    11 invalid (changed after signing, or a broken signature); 12 signed by a revoked certificate;
    13 no manifest found; 14 no manifest, but the file is a work published here (found in the registry by
    its bytes or its likeness: a stripped or re-encoded copy). Errors: 2 bad input, 3 no studio."""
    from duetto.studio.kernel import Upload

    with command(home, as_json) as ctx:
        upload = Upload.read(file)
        side_path = sidecar or sidecar_beside(file.expanduser())
        side = Upload.read(side_path) if side_path is not None else None
        verdict = act(ctx, "verify", what="verifying", file=upload, sidecar=side)
        verdict.file = str(file)
        verdict.sidecar = str(side_path) if side_path is not None else None
        colour = {"trusted": "green", "untrusted": "yellow", "no_manifest": "yellow", "registered": "yellow"}.get(verdict.status, "red")

        def human() -> None:
            out.print(f"[bold {colour}]{verdict.status}[/]: {escape(verdict.summary)}")
            if verdict.title:
                out.print(f"  title      {escape(verdict.title)}")
            if verdict.signer is not None:
                mine = " — this studio's" if verdict.signer.ours else ""
                out.print(f"  signer     {escape(str(verdict.signer.common_name))} (serial "
                          f"{str(verdict.signer.serial)[:16]}…){mine}")
                if verdict.signer.revoked_reason:
                    out.print(f"  revoked    {escape(verdict.signer.revoked_reason)}")
            if verdict.licence:
                out.print(f"  licence    {escape(str(verdict.licence.get('usageInfo') or verdict.licence.get('license')))}"
                          f" · authors {escape(', '.join(a.get('name', '') for a in verdict.licence.get('author', [])))}")
            if verdict.training:
                uses = {e.get('use') for e in verdict.training.get('entries', {}).values()}
                out.print(f"  AI training {', '.join(sorted(str(u) for u in uses))}")
            if verdict.actions:
                table = Table("action", "by", "source", "operation", "when", box=None, pad_edge=False)
                for a in verdict.actions:
                    table.add_row(a.action, escape(a.by), a.source_type or "", a.operation or "", (a.when or "")[:19])
                out.print(table)
            for ing in verdict.ingredients:
                out.print(f"  ingredient {escape(ing['title'])} ({ing['relationship']})")
            if verdict.publication is not None:
                p = verdict.publication
                out.print(f"  published here as version {p.version_id[:10]} on {p.created_at:%Y-%m-%d} by {escape(p.published_by)}")
            if verdict.registry_match is not None:
                r = verdict.registry_match
                out.print(f"  registry   “{escape(r.title)}”, version {r.version[:10]}, by {r.how}"
                          + (f" (distance {r.distance:.3f})" if r.distance else ""))
            for f in verdict.failures:
                out.print(f"  [red]{escape(f['code'])}[/] {escape(f['explanation'])}")

        ctx.emit(verdict.model_dump(mode="json"), human)
    if verdict.exit_code:
        raise typer.Exit(verdict.exit_code)


@app.command()
def dossier(
    version: Ref,
    dest: Annotated[Path, typer.Option("--out", help="Folder for dossier-<id>.pdf and dossier-<id>.json.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite a dossier already there.")] = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """A registration dossier (PDF + JSON): description, authors and roles, the process history with
    thumbnails, the statement of AI involvement, hashes and the signed manifest."""
    from duetto.studio.dossier import to_json, to_pdf

    with command(home, as_json) as ctx:
        d = act(ctx, "dossier", what="writing the dossier", version=version)
        dest = dest.expanduser()
        dest.mkdir(parents=True, exist_ok=True)
        pdf, js = dest / f"dossier-{d.version[:10]}.pdf", dest / f"dossier-{d.version[:10]}.json"
        for path in (pdf, js):
            if path.exists() and not force:
                raise Conflict(f"{path} exists", hint="--force overwrites it")
        pdf.write_bytes(to_pdf(ctx.studio, d))
        js.write_text(to_json(d), encoding="utf-8")

        def human() -> None:
            out.print(f"[bold]{escape(d.title)}[/] · {len(d.history)} versions · "
                      f"{'published' if d.published else 'not published'}")
            out.print(escape(d.statement))
            out.print(str(pdf))
            out.print(str(js))

        ctx.emit({"dossier": d.model_dump(mode="json"), "files": {"pdf": str(pdf), "json": str(js)}}, human)


identity_app = typer.Typer(no_args_is_help=True, help="The studio's signing identity: certificates, rotation, "
                                                      "revocation.")
app.add_typer(identity_app, name="identity")


def _identity(ctx: Context):  # type: ignore[no-untyped-def]
    from duetto.rights.identity import Identity
    from duetto.studio.studio import require_existing

    require_existing(ctx.settings)
    secret = ctx.settings.identity_passphrase
    return Identity(ctx.settings.home.resolve(), name=ctx.settings.identity_name,
                    passphrase=secret.get_secret_value() if secret is not None else None)


@identity_app.command("show")
def identity_show(home: Home = None, as_json: AsJson = False) -> None:
    """List the studio's certificates: roots, signers, which signs now, which are revoked."""
    with command(home, as_json) as ctx:
        state = _identity(ctx).state()

        def human() -> None:
            out.print(f"[bold]{escape(state.name)}[/] · keys {'encrypted' if state.encrypted else 'unencrypted'}")
            table = Table("role", "serial", "sha-256", "valid until", "status", box=None, pad_edge=False)
            for c in state.certificates:
                status = ("revoked" if c.revoked else "signs now" if c.serial == state.current
                          else "anchor" if c.role == "root" else "retired")
                table.add_row(c.role, c.serial[:16], c.fingerprint[:16], f"{c.not_after:%Y-%m-%d}", status)
            out.print(table)

        ctx.emit(state.model_dump(mode="json"), human)


@identity_app.command("export")
def identity_export(
    dest: Annotated[Path, typer.Argument(help="The PEM file to write: the studio's trust anchors.")],
    chain: Annotated[bool, typer.Option("--chain", help="Write the current signer's chain (leaf + root) "
                                        "instead.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file.")] = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Write the public certificates others need to trust this studio's works (never a key)."""
    with command(home, as_json) as ctx:
        identity = _identity(ctx)
        state = identity.state()
        if chain:
            signer = state.signer
            pem = identity.certificate_pem(signer) + identity.certificate_pem(state.cert(signer.issuer_serial or ""))
        else:
            pem = identity.anchors()
        if dest.exists() and not force:
            raise Conflict(f"{dest} already exists", hint="use --force to overwrite")
        try:
            dest.write_text(pem, encoding="ascii")
        except OSError as exc:
            raise InvalidInput(f"cannot write {dest}: {exc.strerror}") from None
        ctx.emit({"written": str(dest), "certificates": pem.count("BEGIN CERTIFICATE")},
                 lambda: out.print(f"{dest} ({pem.count('BEGIN CERTIFICATE')} certificates)"))


@identity_app.command("rotate")
def identity_rotate(
    root: Annotated[bool, typer.Option("--root", help="A new root certificate too (old roots stay anchors).")] = False,
    ask_passphrase: AskPassphrase = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Issue a new signing certificate; the old one's key is retired, its certificate kept, so
    works signed before still verify. Makes the identity if the studio has none."""
    with command(home, as_json) as ctx:
        _passphrase(ctx, ask_passphrase)
        identity = _identity(ctx)
        made = not identity.exists()
        cert = identity.ensure().signer if made else identity.rotate(root=root)
        ctx.emit({"certificate": cert.model_dump(mode="json"), "created": made},
                 lambda: out.print(f"{'made the identity; ' if made else ''}signing now with {cert.serial[:16]}… "
                                   f"(valid until {cert.not_after:%Y-%m-%d})"))


@identity_app.command("revoke")
def identity_revoke(
    certificate: Annotated[str, typer.Argument(help="The start of its serial or SHA-256 (identity show).")],
    reason: Annotated[str, typer.Option("--reason", help="Why, for the record.")] = "",
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Mark a certificate revoked: verify reports works it signed (or signed under it) as revoked."""
    with command(home, as_json) as ctx:
        cert = _identity(ctx).revoke(certificate, reason)
        hint = " — `duetto identity rotate` before the next publish" if cert.role == "signer" else \
            " — `duetto identity rotate --root` before the next publish"
        ctx.emit({"certificate": cert.model_dump(mode="json")},
                 lambda: out.print(f"{cert.role} {cert.serial[:16]}… revoked{hint}"))
