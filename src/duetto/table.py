"""The operations table: every act of the studio, defined once.

Each row names an act, its pydantic request model (fields, limits, descriptions), the function
that runs it (``run(studio, request, on_version) -> pydantic result``), the permission it needs,
how it runs, the media it applies to and which request fields name versions. Every interface
reads this dict: ``access`` takes the permission from it, the job runner runs
``OPERATIONS[kind]``, the HTTP API builds one route per act from it (``api/routes_acts.py``), the
CLI builds the same request and calls the same function, and the page has a control per act
(``data-act="<name>"``). A new act is one row here.

Models and functions are named as ``"module:attribute"`` and imported on first use, so reading
the table (every CLI start does) costs nothing: ``duetto tree`` never imports the diffusion or
style-transfer code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import import_module
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from duetto.errors import InvalidInput

if TYPE_CHECKING:  # access reads this table, so the table names actions without importing it
    from duetto.access import Action

Mode = Literal["job", "sync", "read"]
"""``job``: queued and run in the background with progress (HTTP 202); ``sync``: a quick change
answered at once; ``read``: answers without storing anything."""

ANY: tuple[str, ...] = ()
PICTURES = ("painting",)
TEXTS = ("poem", "story", "script")


def _resolve(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class Operation:
    name: str
    summary: str
    request: str  # "module:Model"
    run: str  # "module:function"
    action: Action
    mode: Mode
    media: tuple[str, ...] = ANY  # the media of the versions it applies to; () = any
    refs: tuple[str, ...] = ()  # request fields that name versions (a str or a list of them)
    path: str | None = None  # the HTTP path, when not /api/versions/{version_id}/<name>
    method: str = "POST"
    handwritten: bool = False  # its HTTP route is written by hand (a download, a multipart upload, a GET)
    web: bool = True  # the page offers it

    @cached_property
    def request_model(self) -> type[BaseModel]:
        return _resolve(self.request)

    @cached_property
    def function(self) -> Any:
        return _resolve(self.run)

    @property
    def path_ref(self) -> str | None:
        """The request field the URL's ``{version_id}`` fills, if the route is per version."""
        return self.refs[0] if self.refs and self.http[1].count("{version_id}") else None

    @property
    def http(self) -> tuple[str, str]:
        return self.method, self.path or f"/api/versions/{{version_id}}/{self.name}"

    def build(self, **fields: Any) -> BaseModel:
        """The request from plain values, validated once, the same way for every interface."""
        from pydantic import ValidationError

        try:
            return self.request_model.model_validate(fields)
        except ValidationError as exc:
            raise InvalidInput(describe_errors(exc), hint=f"see `duetto {self.name} --help`") from None

    def __call__(self, studio: Any, request: BaseModel, on_version: Any = None) -> Any:
        if not isinstance(request, self.request_model):
            request = self.request_model.model_validate(request)
        return self.function(studio, request, on_version)


def describe_errors(exc: Any) -> str:
    """A pydantic ValidationError as one line naming each bad field (``parents: at least 2``)."""
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"]) or "request"
        parts.append(f"{where}: {e['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _op(*args: Any, **kwargs: Any) -> tuple[str, Operation]:
    op = Operation(*args, **kwargs)
    return op.name, op


OPS = "duetto.studio.operations"
ACTS = "duetto.studio.acts"

OPERATIONS: dict[str, Operation] = dict([
    # -- making ----------------------------------------------------------------------------------
    _op("new", "Start a work from a brief (and a reference picture or your own MIDI file): drafts.",
        f"{OPS}:NewRequest", f"{ACTS}:new", "create", "job", path="/api/works"),
    _op("revise", "A child from feedback in words; of one region (rect, ellipse, mask) of a picture.",
        f"{OPS}:ReviseRequest", f"{ACTS}:revise", "create", "job", refs=("version",)),
    _op("vary", "Siblings: the same spec with new seeds and a small random step.",
        f"{OPS}:VaryRequest", f"{OPS}:vary", "create", "job", refs=("version",)),
    _op("blend", "A child between two versions of a work.",
        f"{OPS}:BlendRequest", f"{OPS}:blend", "create", "job", refs=("a", "b"), path="/api/blend"),
    _op("breed", "Children that mix several versions of a work, with mutation.",
        f"{OPS}:BreedRequest", f"{OPS}:breed", "create", "job", refs=("parents",), path="/api/breed"),
    _op("derive", "The version in another medium: a poem from a painting, music from a poem.",
        f"{OPS}:DeriveRequest", f"{OPS}:derive", "create", "job", refs=("version",)),
    _op("import", "Your own edit of a version (a picture, text or MIDI file) as its child.",
        f"{OPS}:ImportRequest", f"{OPS}:import_edit", "create", "sync", refs=("version",), handwritten=True),
    # -- pictures ----------------------------------------------------------------------------------
    _op("recolour", "Repaint a picture in a palette, light and dark kept.",
        "duetto.studio.design:RecolourRequest", "duetto.studio.design:recolour", "create", "job", PICTURES,
        refs=("version",)),
    _op("restyle", "Restyle a picture after a built-in style, a blend, a painting, or its colours.",
        "duetto.studio.restyle:RestyleRequest", "duetto.studio.restyle:restyle", "create", "job", PICTURES,
        refs=("source",)),
    _op("animate", "Film a painting being painted (GIF, WebP, MP4).",
        "duetto.studio.animate:AnimateRequest", "duetto.studio.animate:animate", "create", "job", PICTURES,
        refs=("version",)),
    _op("diffuse", "Redraw a picture with a diffusion model on disk, or inpaint a region.",
        "duetto.studio.diffuse:DiffuseRequest", "duetto.studio.diffuse:diffuse", "create", "job", PICTURES,
        refs=("source",), web=False),  # a model folder on the server's disk: a studio admin's choice, not a page's
    _op("layout", "A poster, cover or card from a picture and words (PNG + PDF).",
        "duetto.studio.layout:LayoutRequest", "duetto.studio.layout:layout", "create", "job", PICTURES,
        refs=("image", "poem")),
    _op("palette", "Harmonies from a colour or mood, or the colours of a picture, with contrast.",
        "duetto.studio.design:PaletteRequest", "duetto.studio.design:make_palette", "view", "read", PICTURES,
        refs=("version",), path="/api/palette"),
    # -- writing and music -------------------------------------------------------------------------
    _op("write", "Co-write: continue, rewrite, keep lines, alternatives, character, translate.",
        f"{OPS}:CoWriteRequest", f"{OPS}:cowrite", "create", "job", TEXTS, refs=("version",)),
    _op("music", "Edit music: continue, regenerate bars, reharmonise, vary.",
        f"{OPS}:CoWriteRequest", "duetto.studio.music:edit", "create", "job", ("music",), refs=("version",)),
    _op("check", "Check a poem against its form: each breaking position and its rule.",
        "duetto.studio.checks:CheckRequest", "duetto.studio.checks:check", "view", "read", ("poem",),
        refs=("version",), path="/api/check"),
    _op("critique", "Explain a work and suggest what to try next, each suggestion one click away.",
        "duetto.studio.critique:CritiqueRequest", "duetto.studio.critique:explain", "view", "read",
        ("painting", *TEXTS), refs=("version",)),
    # -- looking ------------------------------------------------------------------------------------
    _op("tree", "The version tree of a work.",
        f"{ACTS}:WorkRequest", f"{ACTS}:tree", "view", "read", path="/api/works/{work_id}/tree", method="GET",
        handwritten=True),
    _op("show", "One version: its spec, recipe and feedback.",
        f"{OPS}:VersionRequest", f"{ACTS}:show", "view", "read", refs=("version",), path="/api/versions/{version_id}",
        method="GET", handwritten=True),
    _op("diff", "What changed between two versions.",
        f"{OPS}:DiffRequest", f"{ACTS}:diff", "view", "read", refs=("a", "b"), path="/api/versions/{a}/diff/{b}",
        method="GET", handwritten=True),
    _op("credits", "Who did what, human and AI, version by version.",
        f"{ACTS}:WorkRequest", f"{ACTS}:credits", "view", "read", path="/api/works/{work_id}/credits", method="GET",
        handwritten=True),
    _op("replay", "Regenerate a version from its recipe and compare the bytes; stores nothing.",
        f"{OPS}:VersionRequest", f"{OPS}:replay", "view", "job", refs=("version",)),
    # -- taking part --------------------------------------------------------------------------------
    _op("comment", "Words about a version that make no new version (revise is the one that does).",
        "duetto.studio.marks:CommentRequest", "duetto.studio.marks:comment", "comment", "sync", refs=("version",),
        path="/api/versions/{version_id}/comments", handwritten=True),
    _op("star", "Star a version (again: no change), or take the star back.",
        "duetto.studio.marks:StarRequest", "duetto.studio.marks:star", "comment", "sync", refs=("version",),
        path="/api/versions/{version_id}/star", method="PUT", handwritten=True),
    _op("vote", "Prefer one version to another of the same work.",
        "duetto.studio.marks:VoteRequest", "duetto.studio.marks:vote", "comment", "sync", refs=("winner", "loser"),
        path="/api/votes", handwritten=True),
    # -- rights -------------------------------------------------------------------------------------
    _op("shares", "Who holds what share of a version: its lineage's contributions, weighed by the studio's rule.",
        "duetto.studio.shares:SharesRequest", "duetto.studio.shares:shares", "view", "read", refs=("version",)),
    _op("split", "Divide an amount by a version's shares, exact to the cent (largest remainder).",
        "duetto.studio.shares:SplitRequest", "duetto.studio.shares:split", "view", "read", refs=("version",)),
    _op("dossier", "A registration dossier: description, authors and roles, history, AI involvement, hashes.",
        "duetto.studio.dossier:DossierRequest", "duetto.studio.dossier:dossier", "view", "read", refs=("version",)),
    _op("publish", "Publish a version: its files signed with C2PA provenance, a licence and its authors.",
        "duetto.studio.publish:PublishRequest", "duetto.studio.publish:publish", "create", "job", refs=("version",)),
    _op("verify", "Check a file's C2PA manifest (embedded or a .c2pa sidecar): who did what, and is it intact.",
        "duetto.studio.publish:VerifyRequest", "duetto.studio.publish:verify", "view", "read", path="/api/verify",
        handwritten=True),
    # -- keeping ------------------------------------------------------------------------------------
    _op("export", "A version's files, its recipe and renderings (PDF, WAV, MusicXML…).",
        f"{OPS}:ExportRequest", f"{OPS}:export", "view", "read", refs=("version",),
        path="/api/versions/{version_id}/export", method="GET", handwritten=True),
    _op("rm", "Soft delete: hidden, kept, restorable.",
        f"{OPS}:VersionRequest", f"{OPS}:remove", "create", "sync", refs=("version",), path="/api/versions/{version_id}",
        method="DELETE", handwritten=True),
    _op("restore", "Undo a soft delete.",
        f"{OPS}:VersionRequest", f"{OPS}:restore", "create", "sync", refs=("version",), handwritten=True),
])


def operation(name: str) -> Operation:
    try:
        return OPERATIONS[name]
    except KeyError:
        raise InvalidInput(f"no act called {name!r}", hint=f"acts: {', '.join(OPERATIONS)}") from None
