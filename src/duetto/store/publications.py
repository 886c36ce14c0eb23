"""Publications: the record of a published version, on one studio's ``Repository``.

The rules live here so every interface keeps them alike:

- a version is published at most once (the table's unique key; a second publish is ``Conflict``);
- a published version is immutable: ``guard_unpublished`` is what ``rm`` asks before hiding one;
- a deleted version cannot be published (``Conflict``: restore it first).

The signed files themselves are blobs; a row names each by the hash of its signed bytes, so a
file handed to ``verify`` is found again by that hash (``by_signed_sha256``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from duetto.errors import Conflict, InvalidInput
from duetto.store.models import PublicationRow, User, Version
from duetto.store.repository import Repository, new_id, now

Training = Literal["allowed", "notAllowed", "constrained"]


class PublishedFile(BaseModel):
    ext: str
    sha256: str = Field(description="The version's own bytes (or the rendering's), before signing.")
    signed_sha256: str = Field(description="The published file: with the manifest inside, or unchanged.")
    sidecar_sha256: str | None = Field(None, description="The .c2pa sidecar, for formats that cannot embed.")
    mime: str

    @property
    def embedded(self) -> bool:
        return self.sidecar_sha256 is None


class PublicationRecord(BaseModel):
    id: str
    version_id: str
    published_by: str  # user name
    title: str
    authors: list[str]
    licence: str
    licence_text: str | None = None
    training: Training
    files: list[PublishedFile]
    manifest: dict[str, Any]
    signer_serial: str
    created_at: datetime


class PublishedVersion(Conflict):
    """A published version cannot be deleted; exit 2 like other refused input, HTTP 409."""

    code = "published"
    exit_code = 2


class Publications:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    @staticmethod
    def _record(row: PublicationRow, user: str) -> PublicationRecord:
        return PublicationRecord(
            id=row.id, version_id=row.version_id, published_by=user, title=row.title, authors=list(row.authors),
            licence=row.licence, licence_text=row.licence_text, training=row.training,  # type: ignore[arg-type]
            files=[PublishedFile.model_validate(f) for f in row.files], manifest=row.manifest,
            signer_serial=row.signer_serial, created_at=row.created_at)

    def add(self, *, version_id: str, user_id: str, title: str, authors: list[str], licence: str,
            licence_text: str | None, training: Training, files: list[PublishedFile], manifest: dict[str, Any],
            signer_serial: str) -> PublicationRecord:
        if not files:
            raise InvalidInput("a publication needs at least one signed file")
        try:
            with self.repo.session() as s:
                version = s.scalar(select(Version).where(Version.id == version_id))
                if version is None:
                    raise InvalidInput(f"no version {version_id[:10]}")
                if version.deleted_at is not None:
                    raise Conflict(f"version {version_id[:10]} is deleted", hint="restore it before publishing")
                if s.scalar(select(PublicationRow.id).where(PublicationRow.version_id == version_id)):
                    raise Conflict(f"version {version_id[:10]} is already published",
                                   hint="a published version is immutable; publish a new version of it instead")
                row = PublicationRow(
                    id=new_id(), version_id=version_id, user_id=user_id, title=title, authors=authors,
                    licence=licence, licence_text=licence_text, training=training,
                    files=[f.model_dump(mode="json") for f in files], manifest=manifest,
                    signer_serial=signer_serial, created_at=now())
                s.add(row)
                s.flush()
                name = s.scalar(select(User.name).where(User.id == user_id)) or user_id
                return self._record(row, name)
        except IntegrityError:  # published meanwhile by another request
            raise Conflict(f"version {version_id[:10]} is already published") from None

    def _one(self, where: Any) -> PublicationRecord | None:
        with self.repo.session() as s:
            found = s.execute(select(PublicationRow, User.name).join(User, User.id == PublicationRow.user_id)
                              .where(where)).first()
            return None if found is None else self._record(found[0], found[1])

    def version_ids(self) -> list[str]:
        """Every published version's id, oldest publication first."""
        with self.repo.session() as s:
            return list(s.scalars(select(PublicationRow.version_id).order_by(PublicationRow.created_at)))

    def by_id(self, publication_id: str) -> PublicationRecord | None:
        return self._one(PublicationRow.id == publication_id)

    def of_version(self, version_id: str) -> PublicationRecord | None:
        return self._one(PublicationRow.version_id == version_id)

    def by_signed_sha256(self, sha256: str) -> PublicationRecord | None:
        """The publication one of whose files (signed, or its sidecar) has these bytes."""
        with self.repo.session() as s:
            rows = s.execute(select(PublicationRow, User.name).join(User, User.id == PublicationRow.user_id)).all()
            for row, name in rows:
                if any(sha256 in (f.get("signed_sha256"), f.get("sidecar_sha256")) for f in row.files):
                    return self._record(row, name)
        return None

    def guard_unpublished(self, version_id: str) -> None:
        found = self.of_version(version_id)
        if found is not None:
            raise PublishedVersion(
                f"version {version_id[:10]} was published on {found.created_at:%Y-%m-%d} and cannot be deleted",
                hint="published works are immutable: their signed files and manifest must stay verifiable")
