"""The one small interface every generator sits behind, and the recipe that makes it replayable.

An engine is pure with respect to its inputs: ``generate(spec, params, seed)`` must return the same
bytes for the same arguments (and the same engine version). It never touches the database or the
file system; the studio stores what it returns. Later engines (text, music, diffusion, trained
models) register themselves through the ``duetto.engines`` entry-point group and need no change
to the core.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from duetto.errors import InvalidInput, NotFound
from duetto.settings import Settings
from duetto.spec import CreativeSpec, SpecDelta, canonical_json

Progress = Callable[[float, str], None]
"""``progress(fraction 0..1, what)``: engines call it on long work; the CLI draws a bar."""


@dataclass(frozen=True)
class Artefact:
    """What an engine made: the main file plus optional extra renderings (e.g. an SVG).

    ``resolved`` holds spec fields the engine decided on its own (the style it picked), so the
    stored spec describes the version fully and a revision keeps those choices.
    """

    data: bytes
    ext: str  # "png", "svg", "txt", "mid"...
    mime: str
    extras: dict[str, bytes] = field(default_factory=dict)  # ext -> bytes
    resolved: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@runtime_checkable
class Engine(Protocol):
    name: ClassVar[str]
    version: ClassVar[str]
    medium: ClassVar[str]
    Params: ClassVar[type[BaseModel]]

    def generate(
        self,
        spec: CreativeSpec,
        params: BaseModel,
        seed: int,
        progress: Progress | None = None,
    ) -> Artefact: ...


@runtime_checkable
class Reviser(Protocol):
    """Optional: an engine that can *edit* its parent's artefact instead of starting afresh.

    The studio calls ``revise`` for revisions when an engine has it, passing the parent's bytes;
    replay passes the same stored parent bytes again, so the result is still reproducible.
    Engines without it regenerate from the revised spec with the parent's seed.
    """

    def revise(
        self,
        parent: Artefact,
        spec: CreativeSpec,
        params: BaseModel,
        seed: int,
        progress: Progress | None = None,
    ) -> Artefact: ...


EditOp = Literal[
    "continue", "elaborate", "rewrite", "replace", "line", "keep", "character", "summarise",
    "translate", "blend", "vary", "regenerate", "reharmonise",
]


class Edit(BaseModel):
    """An edit of an existing text or piece of music: what to do to the parent(s), in plain data.

    It is stored in the recipe (so replay re-applies it to the same stored parent bytes) and
    shown in the history. Which fields matter depends on ``op``:

    - ``continue``: write on from the end (``words`` more, ``instruction`` optional).
    - ``elaborate``: expand ``target`` (a passage quoted from the text; whole text if None).
    - ``rewrite``: rewrite the whole text (or ``target``) following ``instruction``.
    - ``replace``: replace ``target`` by ``text`` (a human's words) or by AI text following
      ``instruction``; the rest of the text is kept byte for byte.
    - ``line``: an alternative for line ``line`` (poems) — everything else kept.
    - ``keep``: poems: keep ``lines`` (and line ``line`` set to ``text`` when given) and let the
      AI rewrite every other line to fit them.
    - ``character``: bring a new character into the story or script (``instruction`` describes
      them, optional).
    - ``summarise``: a summary of about ``words`` words.
    - ``translate``: into ``language``.
    - ``blend``: a text-level blend of the two parents, ``weight`` toward the second (music: an
      interpolation between two pieces).

    Music uses ``continue`` (``bars`` more bars), ``regenerate`` (bars ``first_bar``..``last_bar``),
    ``vary`` and ``reharmonise`` (``weight`` says how much changes) and ``blend``.
    """

    model_config = ConfigDict(extra="forbid")

    op: EditOp
    instruction: str | None = Field(None, max_length=2000)
    target: str | None = Field(None, max_length=20000, description="A passage quoted exactly from the text.")
    text: str | None = Field(None, max_length=20000, description="Words the human supplies.")
    line: int | None = Field(None, ge=1, le=1000)
    lines: list[int] = Field(default_factory=list)
    words: int | None = Field(None, ge=10, le=5000)
    language: Literal["zh", "en"] | None = None
    weight: float = Field(0.5, ge=0.0, le=1.0)
    bars: int | None = Field(None, ge=1, le=64, description="Music: how many bars to continue by.")
    first_bar: int | None = Field(None, ge=1, le=128, description="Music: first bar to regenerate (1-based).")
    last_bar: int | None = Field(None, ge=1, le=128, description="Music: last bar to regenerate (inclusive).")

    def describe(self) -> str:
        """One line for the history and the credits: "keep lines 1,3, line 2 as '…'"."""
        if self.op == "line":
            bits = [f"a new line {self.line}"]
        elif self.bars is not None or self.first_bar is not None:
            bits = [f"continue by {self.bars} bars" if self.op == "continue"
                    else f"{self.op} bars {self.first_bar}-{self.last_bar or self.first_bar}"]
        elif self.op in ("vary", "reharmonise"):
            bits = [f"{self.op} (amount {self.weight})"]
        elif self.op == "keep":
            bits = ["keep" + (" lines " + ",".join(map(str, self.lines)) if self.lines else "")]
            if self.line is not None and self.text:
                bits.append(f"line {self.line} as {self.text[:24]!r}")
        else:
            bits = [self.op + (f" to {self.language}" if self.language else "")]
            if self.target:
                bits.append(f"{self.target[:24]!r}")
            if self.text:
                bits.append(f"with {self.text[:24]!r}")
        if self.instruction:
            bits.append(repr(self.instruction[:60]))
        return ", ".join(bits)


@runtime_checkable
class CoWriter(Protocol):
    """Optional: an engine that edits its parents in place: text (continue, rewrite, keep
    lines, blend …) or music (continue, regenerate bars, vary, reharmonise, interpolate).

    ``parents`` are the stored parent artefacts (two for a blend); replay passes the same bytes.
    ``edits`` (optional class attribute) names the ops the engine takes; the studio uses it to
    route ``vary`` and ``blend`` to the engine's own edit instead of a new draft."""

    def cowrite(
        self,
        parents: list[Artefact],
        edit: Edit,
        spec: CreativeSpec,
        params: BaseModel,
        seed: int,
        progress: Progress | None = None,
    ) -> Artefact: ...


@runtime_checkable
class Transformer(Protocol):
    """Optional: an engine whose output is made *from* its parents' bytes — a restyle, a
    recolour, an image-to-image model. The studio hands it the stored parent artefacts for every
    recipe that has parents (replay passes the same bytes again); with no parents it generates."""

    def transform(
        self,
        parents: list[Artefact],
        spec: CreativeSpec,
        params: BaseModel,
        seed: int,
        progress: Progress | None = None,
    ) -> Artefact: ...


@runtime_checkable
class Absorber(Protocol):
    """Optional: an engine that takes part of a piece of feedback its own way before the spec
    changes: the painter turns colour feedback into a grade of the finished picture, so that
    "warmer" changes the colours and not the drawing. The studio stores the absorbed delta, so
    the history says what was done."""

    def absorb(self, delta: SpecDelta, spec: CreativeSpec) -> SpecDelta: ...


@runtime_checkable
class Blender(Protocol):
    """Optional: an engine that says how two of its works mix. The studio gives it the spec
    interpolated field by field, the nearer parent's spec and the farther parent's bytes with its
    share; the painter keeps the near palette and matches colour toward the far picture."""

    def toward(self, blended: CreativeSpec, near: CreativeSpec, far: bytes, share: float) -> CreativeSpec: ...


@runtime_checkable
class Checker(Protocol):
    """Optional: say before anything is stored whether a spec and params can be made at all
    (an unknown style or form), so a bad request leaves no empty work behind."""

    def check(self, spec: CreativeSpec, params: BaseModel) -> None: ...


class Recipe(BaseModel):
    """Everything needed to make a version's bytes again."""

    model_config = ConfigDict(extra="forbid")

    engine: str
    engine_version: str
    spec: CreativeSpec
    params: dict[str, Any] = Field(default_factory=dict)
    seed: int = Field(ge=0, lt=2**63)
    parents: list[str] = Field(default_factory=list)
    operation: str
    edit: Edit | None = Field(None, description="For co-writing: what was done to the parents' text.")
    inputs: list[str] = Field(
        default_factory=list,
        description="Versions whose bytes a Transformer reads, when they are not the parents: a "
                    "variation of a restyled picture restyles the same source again.",
    )

    def sources(self) -> list[str]:
        """The versions a Transformer engine reads."""
        return self.inputs or self.parents

    def digest(self) -> str:
        """The cache key for artefacts: a hash of every input (ComfyUI-style). A co-writing edit
        or a transform also depends on the bytes it reads, so those versions' ids are part of
        its key."""
        reads = self.edit is not None or bool(self.inputs)
        exclude = {"operation"} | (set() if reads else {"parents", "edit"}) | (set() if self.inputs else {"inputs"})
        payload = self.model_dump(mode="json", exclude=exclude)
        return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


class EngineRegistry:
    """Engines by name. Built per studio (no global registry), filled from entry points."""

    def __init__(self, engines: list[Engine] | None = None, defaults: dict[str, str] | None = None) -> None:
        self._engines: dict[str, Engine] = {}
        self.defaults = dict(defaults or {})  # medium → engine name (settings.default_engines)
        for engine in engines or []:
            self.register(engine)

    def register(self, engine: Engine) -> None:
        for attr in ("name", "version", "medium", "Params", "generate"):
            if not hasattr(engine, attr):
                raise TypeError(f"{type(engine).__name__} is not an Engine: it has no {attr!r}")
        self._engines[engine.name] = engine

    def get(self, name: str) -> Engine:
        try:
            return self._engines[name]
        except KeyError:
            raise NotFound(
                f"no engine named {name!r}", hint=f"installed: {', '.join(sorted(self._engines))}"
            ) from None

    def for_medium(self, medium: str) -> Engine:
        """The default engine of a medium: the one the settings name, else (a registry built by
        hand, in tests) the first registered for it. Never whichever entry point sorts first: a
        newly installed engine must not take over a medium by its name."""
        named = self.defaults.get(medium)
        if named is not None and named in self._engines and self._engines[named].medium == medium:
            return self._engines[named]
        for engine in self._engines.values():
            if engine.medium == medium:
                return engine
        raise InvalidInput(
            f"no engine makes {medium!r} yet",
            hint=f"media with engines: {', '.join(sorted({e.medium for e in self._engines.values()}))}",
        )

    def names(self) -> list[str]:
        return sorted(self._engines)

    @classmethod
    def discover(cls, settings: Settings | None = None) -> EngineRegistry:
        """Every engine installed under the ``duetto.engines`` entry-point group.

        A factory that takes a ``settings`` argument gets the studio's settings (model cache,
        threads); engines that need nothing are built with no arguments."""
        registry = cls(defaults=settings.default_engines if settings is not None else Settings().default_engines)
        for ep in sorted(entry_points(group="duetto.engines"), key=lambda e: e.name):
            factory = ep.load()
            wants = "settings" in inspect.signature(factory).parameters
            registry.register(factory(settings=settings) if wants and settings else factory())
        return registry


def parse_params(engine: Engine, raw: dict[str, Any]) -> BaseModel:
    """Validate user-supplied params against the engine's own model, with a readable error."""
    try:
        return engine.Params.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidInput(f"bad parameters for engine {engine.name}: {problems}") from None
