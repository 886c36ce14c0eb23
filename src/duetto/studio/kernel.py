"""The pieces every studio act shares, public and in one place.

Each act (``operations``, ``restyle``, ``region``, ``design`` …) finds a live version, the recipe
it builds on, an engine, seeds, and stores human versions or uploads the same way. They used to
reach into ``operations`` for underscore helpers and repeat the seed rule eight times; here each
rule is written once, so a change to how seeds are drawn or uploads are read is one edit.
"""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path
from typing import Annotated, Any

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from duetto.engine import Engine, Recipe, Transformer
from duetto.errors import Conflict, InvalidInput, NotReplayable
from duetto.spec import CreativeSpec
from duetto.store.records import (
    ContributionRecord,
    NewVersion,
    VersionRecord,
    WorkRecord,
)
from duetto.store.repository import new_id
from duetto.studio.generate import seeds
from duetto.studio.sheet import contact_sheet
from duetto.studio.studio import Studio

IMPORT_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "TIFF": "tif", "BMP": "bmp"}
MAX_UPLOAD_BYTES = 64 * 1024 * 1024  # a request's file; the HTTP API caps it lower (settings.upload_max_bytes)
MAX_TEXT_BYTES = 2_000_000
MAX_MIDI_BYTES = 5_000_000


class Request(BaseModel):
    """Every act's request: a misspelt field is an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


Variants = Annotated[int, Field(ge=1, le=64, description="How many drafts to make.")]
Seed = Annotated[int | None, Field(None, ge=0, lt=2**63, description="Fix seeds: variant i gets seed+i.")]


class Result(BaseModel):
    """What every generating act returns: the new versions and where to look at them."""

    work: WorkRecord
    versions: list[VersionRecord]
    contact_sheet: Path | None = None
    notes: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)


# -- uploads ------------------------------------------------------------------------------------


def _upload_from(value: Any) -> Any:
    """A ``Path`` (only Python callers — the CLI, tests — can pass one) is read here, so every
    interface hands the act bytes. A JSON string is never taken as a path: a web caller must not
    be able to make the server read its own files."""
    if isinstance(value, Path):
        return Upload.read(value)
    return value


class Upload(BaseModel):
    """A file that comes with a request (an edit, a mask, a reference picture, a MIDI file).

    The name is only a label; the bytes decide what it is. In JSON the bytes are base64, so a
    request with a file can be queued as a job like any other."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("upload", max_length=255, description="A label for the file, e.g. its name.")
    data: Annotated[bytes, BeforeValidator(lambda v: base64.b64decode(v, validate=True) if isinstance(v, str) else v),
                    PlainSerializer(lambda b: base64.b64encode(b).decode("ascii"), return_type=str, when_used="json")] = Field(
        description="The file's bytes (base64 in JSON).")

    @classmethod
    def read(cls, path: Path) -> Upload:
        path = path.expanduser()
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise InvalidInput(f"{path} is a directory, not a file")
            if size > MAX_UPLOAD_BYTES:
                raise InvalidInput(f"{path.name} is {size:,} bytes; files are limited to {MAX_UPLOAD_BYTES:,}")
            return cls(name=path.name, data=path.read_bytes())
        except FileNotFoundError:
            raise InvalidInput(f"no such file: {path}") from None
        except PermissionError:
            raise InvalidInput(f"cannot read {path}: permission denied") from None

    @property
    def stem(self) -> str:
        return Path(self.name).stem or "upload"

    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


UploadField = Annotated[Upload, BeforeValidator(_upload_from)]


def read_image(upload: Upload) -> tuple[bytes, str, tuple[int, int]]:
    """Bytes, extension and size of a real, complete image; anything else is a clear error."""
    data, name = upload.data, upload.name
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format or ""
            im.load()  # decodes every byte: a truncated file fails here, not later
            size = im.size
    except Image.DecompressionBombError as exc:
        raise InvalidInput(f"{name} is too large to import: {exc}") from None
    except UnidentifiedImageError:
        raise InvalidInput(f"{name} is not an image duetto can read") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"{name} is damaged or truncated ({exc})") from None
    if fmt not in IMPORT_FORMATS:
        raise InvalidInput(f"{name} is a {fmt} image; import takes {', '.join(IMPORT_FORMATS)}")
    return data, IMPORT_FORMATS[fmt], size


def image_mime(ext: str) -> str:
    return Image.MIME.get(next((k for k, v in IMPORT_FORMATS.items() if v == ext), ""), "image/*")


def read_text(upload: Upload) -> tuple[bytes, str, int]:
    """Bytes, extension and line count of a UTF-8 text file (a human edit of a text work)."""
    data, name = upload.data, upload.name
    if len(data) > MAX_TEXT_BYTES:
        raise InvalidInput(f"{name} is {len(data):,} bytes; text imports are limited to {MAX_TEXT_BYTES:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise InvalidInput(f"{name} is empty")
    suffix = Path(name).suffix.lower()
    ext = suffix.lstrip(".") if suffix in (".md", ".fountain") else "txt"
    return data, ext, len(text.splitlines())


def read_midi(upload: Upload) -> tuple[bytes, Any]:
    """The bytes and the reading of a MIDI file, or a clear error for anything else."""
    from duetto.media.music.midi import read_midi as parse

    if not upload.data:
        raise InvalidInput(f"{upload.name} is empty")
    if len(upload.data) > MAX_MIDI_BYTES:
        raise InvalidInput(f"{upload.name} is {len(upload.data):,} bytes; MIDI imports are limited to {MAX_MIDI_BYTES:,}")
    return upload.data, parse(upload.data, upload.name)


# -- versions, recipes, engines, seeds -------------------------------------------------------------


def live(studio: Studio, ref: str) -> VersionRecord:
    """The version ``ref`` names, refused when deleted: nothing is made from a deleted version."""
    version = studio.version(ref)
    if version.deleted:
        raise Conflict(f"version {version.short} is deleted", hint=f"`duetto restore {version.short}` first")
    return version


def recipe_of(studio: Studio, version: VersionRecord) -> Recipe:
    """The recipe a derived version builds on: its own, or its nearest generated ancestor's
    (an imported human edit has none of its own)."""
    raw = studio.repo.recipe(version.id)
    if raw is not None:
        return Recipe.model_validate(raw)
    for ancestor in studio.repo.ancestors(version.id):
        raw = studio.repo.recipe(ancestor)
        if raw is not None:
            return Recipe.model_validate(raw)
    if version.spec.medium == "music":  # a work begun from the person's own MIDI: the composer takes over
        engine = studio.registry.for_medium("music")
        return Recipe(engine=engine.name, engine_version=engine.version, spec=version.spec, seed=0,
                      operation="import")
    raise NotReplayable(f"version {version.short} has no generated ancestor to continue from")


def inputs_of(engine: Engine, recipe: Recipe) -> list[str]:
    """A Transformer's child (a variation of a restyled picture) reads what its parent read: the
    source picture again, not the restyled one; other engines read nothing."""
    return recipe.sources() if isinstance(engine, Transformer) else []


def engine_for(studio: Studio, medium: str, name: str | None) -> Engine:
    """The engine asked for by name, or the medium's default; a name of another medium is refused."""
    if name is None:
        return studio.registry.for_medium(medium)
    engine = studio.registry.get(name)
    if engine.medium != medium:
        raise InvalidInput(f"engine {name} makes {engine.medium}, not {medium}")
    return engine


def sheet(studio: Studio, work: WorkRecord, versions: list[VersionRecord], title: str) -> Path | None:
    """A contact sheet of the pictures among ``versions``; none when there are none."""
    images = [v for v in versions if v.mime.startswith("image/")]
    if not images:
        return None
    return contact_sheet(studio, work, images, title)


def human_version(studio: Studio, *, work_id: str, parents: list[str], operation: str, spec: CreativeSpec,
                  data: bytes, ext: str, mime: str, info: dict[str, Any], detail: str,
                  reuse: bool = False, brief: str | None = None) -> VersionRecord:
    """A version the person made (an import, an edit, a mask, a reference picture): their bytes,
    no engine and no recipe, credited to them (for the ``brief`` too, when it begins a work).
    With ``reuse`` the same bytes already imported into the work are that version again, not a
    second copy."""
    if reuse:
        sha = hashlib.sha256(data).hexdigest()
        same = [v for v in studio.repo.versions_of(work_id) if v.sha256 == sha and v.operation == "import"]
        if same:
            return same[0]
    sha, _ = studio.blobs.put(data, ext)
    vid = new_id()
    return studio.repo.add_version(NewVersion(
        id=vid, work_id=work_id, parents=parents, operation=operation, author=studio.human,
        author_kind="human", spec=spec, sha256=sha, ext=ext, mime=mime, info=info,
        contributions=[
            *([ContributionRecord(version_id=vid, contributor=studio.human, contributor_kind="human", kind="brief",
                                  detail=brief)] if brief else []),
            ContributionRecord(version_id=vid, contributor=studio.human, contributor_kind="human", kind="edit",
                               detail=detail),
        ],
    ))


def same_work(versions: list[VersionRecord], op: str) -> None:
    """Blends and breeds mix versions of one work; across works the tree would lie."""
    if len({v.work_id for v in versions}) > 1:
        raise InvalidInput(f"cannot {op} versions of different works",
                           hint="pick versions from one work (`duetto tree <work>` lists them)")


__all__ = [
    "IMPORT_FORMATS", "Request", "Result", "Seed", "Upload", "UploadField", "Variants", "engine_for", "human_version",
    "image_mime", "inputs_of", "live", "read_image", "read_midi", "read_text", "recipe_of", "same_work", "seeds", "sheet",
]
