"""Database tables (SQLAlchemy 2 declarative). Alembic migrations in ``migrations/`` create them.

Versions form a DAG through ``version_parents`` (a blend or breed has several parents). Rows are
only ever inserted; "delete" sets ``deleted_at`` so a restore loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # 0002_accounts: people who log in. A user made by the CLI (``Settings.user``) has no password
    # and can only work locally.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Work(Base):
    __tablename__ = "works"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    brief: Mapped[str] = mapped_column(Text)
    medium: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Version(Base):
    __tablename__ = "versions"

    # ``num`` is internal: integer keys make the lineage edges small and the recursive walk fast.
    num: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)
    work_id: Mapped[str] = mapped_column(ForeignKey("works.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # order of creation inside the work
    operation: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(200))  # "user:ada" or "engine:painter@1.0.0"
    author_kind: Mapped[str] = mapped_column(String(8))  # "human" | "ai"
    spec: Mapped[dict] = mapped_column(JSON)
    delta: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64))
    ext: Mapped[str] = mapped_column(String(16))
    mime: Mapped[str] = mapped_column(String(100))
    extras: Mapped[dict] = mapped_column(JSON)  # ext -> sha256
    info: Mapped[dict] = mapped_column(JSON)
    timings: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (
        Index("ix_versions_work_seq", "work_id", "seq"),
        # Narrow (num, id) pairs: lineage walks map thousands of nums to ids without touching the
        # wide rows (spec JSON), which would miss the page cache on big studios.
        Index("ix_versions_num_id", "num", "id"),
    )


class VersionParent(Base):
    __tablename__ = "version_parents"

    child: Mapped[int] = mapped_column(ForeignKey("versions.num"), primary_key=True)
    parent: Mapped[int] = mapped_column(ForeignKey("versions.num"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_version_parents_parent", "parent", "child"),
        {"sqlite_with_rowid": False},
    )


class RecipeRow(Base):
    __tablename__ = "recipes"

    version_id: Mapped[str] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), index=True)
    engine: Mapped[str] = mapped_column(String(100))
    engine_version: Mapped[str] = mapped_column(String(50))
    seed: Mapped[int] = mapped_column(BigInteger)
    recipe: Mapped[dict] = mapped_column(JSON)


class FeedbackRow(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("versions.id"), index=True)  # given on
    result_id: Mapped[str | None] = mapped_column(ForeignKey("versions.id"), nullable=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    delta: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Contribution(Base):
    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("versions.id"), index=True)
    contributor: Mapped[str] = mapped_column(String(200))
    contributor_kind: Mapped[str] = mapped_column(String(8))  # "human" | "ai"
    kind: Mapped[str] = mapped_column(String(32))  # brief, feedback, selection, edit, generation
    detail: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


# -- people and access (0002_accounts) ---------------------------------------------------------

ROLE_CHECK = "role IN ('owner', 'editor', 'commenter', 'viewer')"
JOB_STATUS_CHECK = "status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')"


class Membership(Base):
    __tablename__ = "memberships"

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (CheckConstraint(ROLE_CHECK, name="ck_memberships_role"),)


class ApiToken(Base):
    """A personal token for scripts. Only its SHA-256 is kept; ``prefix`` lets a person tell
    their tokens apart in a list without the secret."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class LoginSession(Base):
    """A browser login. The cookie value is never stored: its SHA-256 is the key."""

    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Job(Base):
    """A long operation run by a worker; rows outlive the process so a restart can resume."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))  # the act's name in the operations table (duetto.table)
    request: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    error: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # {"code", "message"}
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (
        Index("ix_jobs_status_created", "status", "created_at"),
        CheckConstraint(JOB_STATUS_CHECK, name="ck_jobs_status"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="ck_jobs_progress"),
    )


# -- marks (0003_marks): what a commenter leaves without making a version ---------------------


class CommentRow(Base):
    """Words about a version that change nothing (revision feedback lives in ``feedback``)."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("versions.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Star(Base):
    """One person's star on one version: the key makes starring twice a no-op."""

    __tablename__ = "stars"

    version_id: Mapped[str] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Vote(Base):
    """One pairwise judgement inside a work: ``winner_id`` was preferred to ``loser_id``."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    work_id: Mapped[str] = mapped_column(ForeignKey("works.id"), index=True)
    winner_id: Mapped[str] = mapped_column(ForeignKey("versions.id"))
    loser_id: Mapped[str] = mapped_column(ForeignKey("versions.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (CheckConstraint("winner_id <> loser_id", name="ck_votes_two_versions"),)


# -- publications (0004_publications): a version published with signed provenance -------------


class PublicationRow(Base):
    """A published version: what was declared (title, authors, licence, training preference),
    the files signed and by which certificate. One a version; a published version is immutable
    (``rm`` refuses it)."""

    __tablename__ = "publications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("versions.id"), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    authors: Mapped[list] = mapped_column(JSON)
    licence: Mapped[str] = mapped_column(String(40))
    licence_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    training: Mapped[str] = mapped_column(String(16))  # allowed | notAllowed | constrained
    files: Mapped[list] = mapped_column(JSON)  # [{ext, sha256, signed_sha256, sidecar_sha256, embedded}]
    manifest: Mapped[dict] = mapped_column(JSON)  # the definition signed (assertions, title …)
    signer_serial: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


# -- the registry (0005_registry): published files by hash and by perceptual key -----------------


class RegistryRow(Base):
    """One published file: its hashes (own bytes, signed, sidecar) and, for pictures, texts and
    MIDI, the key that survives re-encoding: a pHash as 16 hex digits, or 128 MinHash values as
    little-endian uint32 bytes."""

    __tablename__ = "registry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    publication_id: Mapped[str] = mapped_column(ForeignKey("publications.id"), index=True)
    ext: Mapped[str] = mapped_column(String(24))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    signed_sha256: Mapped[str] = mapped_column(String(64), index=True)
    sidecar_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    kind: Mapped[str | None] = mapped_column(String(8), nullable=True)
    phash: Mapped[str | None] = mapped_column(String(16), nullable=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    shingles: Mapped[int] = mapped_column(Integer, default=0)
