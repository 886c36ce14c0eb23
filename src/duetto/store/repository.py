"""The one place that talks SQL. Everything above it gets pydantic records.

SQLite runs in WAL mode so readers never block the writer; any SQLAlchemy URL works through
``Settings.database_url``. The schema is owned by Alembic: opening a studio upgrades it to head,
but skips Alembic entirely when the stored revision is already current (it costs ~100 ms a start).
"""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, create_engine, event, func, select, text, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from duetto.errors import Ambiguous, NotFound, StudioUnavailable
from duetto.spec import CreativeSpec, SpecDelta
from duetto.store.models import (
    Contribution,
    FeedbackRow,
    Membership,
    Project,
    RecipeRow,
    User,
    Version,
    VersionParent,
    Work,
)
from duetto.store.record_cache import RecordCache
from duetto.store.records import (
    ContributionRecord,
    NewVersion,
    VersionRecord,
    WorkRecord,
)

HEAD_REVISION = "0005_registry"
MIGRATIONS = Path(__file__).parent / "migrations"


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    return secrets.token_hex(16)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    # 32 MiB page cache (default 2 MiB) and memory-mapped reads: long lineage walks on big
    # studios stay in memory instead of copying pages through read().
    cur.execute("PRAGMA cache_size=-32768")
    cur.execute("PRAGMA mmap_size=268435456")
    cur.close()


def _unavailable(url: str, exc: Exception) -> StudioUnavailable:
    detail = str(getattr(exc, "orig", exc)).splitlines()[0]
    where = url.removeprefix("sqlite:///")
    if "not a database" in detail or "malformed" in detail:
        return StudioUnavailable(
            f"the studio database {where} is corrupt ({detail})",
            hint="restore it from a backup; the blob files next to it are untouched",
        )
    if "readonly" in detail or "read-only" in detail or "unable to open" in detail:
        return StudioUnavailable(
            f"cannot open the studio database {where} for writing ({detail})",
            hint="is the studio directory read-only?",
        )
    return StudioUnavailable(f"the studio database {where} cannot be used: {detail}")


class Repository:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._records = RecordCache()

    # -- lifecycle --------------------------------------------------------------------------

    def migrate(self) -> None:
        try:
            with self.engine.begin() as conn:
                has_table = conn.execute(
                    text("SELECT 1 FROM alembic_version WHERE version_num = :v"), {"v": HEAD_REVISION}
                ).first() if self.engine.dialect.has_table(conn, "alembic_version") else None
                if has_table:
                    return
                from alembic import command
                from alembic.config import Config

                cfg = Config()
                cfg.set_main_option("script_location", str(MIGRATIONS))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except (OperationalError, DatabaseError) as exc:
            raise _unavailable(self.url, exc) from exc

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as s:
                yield s
        except (OperationalError, DatabaseError) as exc:
            raise _unavailable(self.url, exc) from exc

    # -- people and places ------------------------------------------------------------------

    def ensure_user(self, name: str) -> str:
        """The id of the user called ``name``, created (without a password) the first time.
        Names that differ only in case are one person, as for accounts made with a password,
        unless the studio already holds both spellings; then only the exact one matches."""
        with self.session() as s:
            uid = s.scalar(select(User.id).where(User.name == name))
            if uid is None:
                same = s.scalars(select(User.id).where(func.lower(User.name) == name.lower()).limit(2)).all()
                uid = same[0] if len(same) == 1 else None
            if uid is None:
                uid = new_id()
                s.add(User(id=uid, name=name, created_at=now()))
            return uid

    def projects(self) -> list[tuple[str, str]]:
        """Every project as (id, name), by name: what an admin may see."""
        with self.session() as s:
            return [(pid, name) for pid, name in s.execute(select(Project.id, Project.name).order_by(Project.name))]

    def ensure_project(self, name: str, owner_id: str) -> str:
        """The project's id, creating it (with its owner as ``owner`` member) the first time."""
        with self.session() as s:
            pid = s.scalar(select(Project.id).where(Project.name == name))
            if pid is None:
                pid, stamp = new_id(), now()
                s.add(Project(id=pid, name=name, owner_id=owner_id, created_at=stamp))
                s.flush()
                s.add(Membership(project_id=pid, user_id=owner_id, role="owner", created_at=stamp))
            return pid

    def create_work(self, project_id: str, user_id: str, brief: str, medium: str) -> WorkRecord:
        title = brief.strip().splitlines()[0][:80] if brief.strip() else "untitled"
        with self.session() as s:
            row = Work(
                id=new_id(), project_id=project_id, title=title, brief=brief, medium=medium,
                created_by=user_id, created_at=now(),
            )
            s.add(row)
            s.flush()
            return self._work_record(s, row)

    def _work_record(self, s: Session, row: Work, project: str | None = None, user: str | None = None) -> WorkRecord:
        """``project`` and ``user`` are the names, when the caller's query already joined them."""
        if project is None:
            project = s.scalar(select(Project.name).where(Project.id == row.project_id)) or ""
        if user is None:
            user = s.scalar(select(User.name).where(User.id == row.created_by)) or ""
        return WorkRecord(
            id=row.id, project=project, title=row.title, brief=row.brief, medium=row.medium,
            created_by=user, created_at=row.created_at, deleted=row.deleted_at is not None,
        )

    # -- versions ---------------------------------------------------------------------------

    def add_version(self, new: NewVersion) -> VersionRecord:
        """Insert a version with its parents, recipe, feedback and ledger rows in one transaction."""
        with self.session() as s:
            seq = (s.scalar(select(func.max(Version.seq)).where(Version.work_id == new.work_id)) or 0) + 1
            stamp = now()
            row = Version(
                    id=new.id, work_id=new.work_id, seq=seq, operation=new.operation,
                    author=new.author, author_kind=new.author_kind,
                    spec=new.spec.model_dump(mode="json"),
                    delta=new.delta.model_dump(mode="json") if new.delta else None,
                    sha256=new.sha256, ext=new.ext, mime=new.mime, extras=new.extras,
                    info=new.info, timings=new.timings, created_at=stamp,
            )
            s.add(row)
            s.flush()
            nums = dict(s.execute(select(Version.id, Version.num).where(Version.id.in_(new.parents))).all())
            missing = [p for p in new.parents if p not in nums]
            if missing:
                raise NotFound(f"parent version {missing[0]} does not exist")
            for pos, parent in enumerate(new.parents):
                s.add(VersionParent(child=row.num, parent=nums[parent], position=pos))
            if new.recipe is not None:
                s.add(
                    RecipeRow(
                        version_id=new.id, digest=new.recipe_digest or "", engine=new.recipe["engine"],
                        engine_version=new.recipe["engine_version"], seed=new.recipe["seed"],
                        recipe=new.recipe,
                    )
                )
            for c in new.contributions:
                s.add(Contribution(created_at=stamp, **c.model_dump()))
            if new.feedback is not None:
                on, author, words = new.feedback
                s.add(
                    FeedbackRow(
                        version_id=on, result_id=new.id, author=author, text=words,
                        delta=new.delta.model_dump(mode="json") if new.delta else {}, created_at=stamp,
                    )
                )
            s.flush()
            return self._version_record(s, row)

    def _version_record(self, s: Session, row: Version, parents: list[str] | None = None) -> VersionRecord:
        if parents is None:
            parents = list(s.scalars(
                select(Version.id)
                .join(VersionParent, VersionParent.parent == Version.num)
                .where(VersionParent.child == row.num)
                .order_by(VersionParent.position)
            ))
        return VersionRecord(
            id=row.id, work_id=row.work_id, seq=row.seq, parents=list(parents),
            operation=row.operation, author=row.author, author_kind=row.author_kind,
            spec=CreativeSpec.model_validate(row.spec),
            delta=SpecDelta.model_validate(row.delta) if row.delta else None,
            sha256=row.sha256, ext=row.ext, mime=row.mime, extras=row.extras, info=row.info,
            timings=row.timings, created_at=row.created_at, deleted=row.deleted_at is not None,
        )

    def version(self, version_id: str) -> VersionRecord:
        with self.session() as s:
            row = s.scalar(select(Version).where(Version.id == version_id))
            if row is None:
                raise NotFound(f"no version {version_id}")
            return self._version_record(s, row)

    @staticmethod
    def _works_named() -> Select[tuple[Work, str | None, str | None]]:
        """Works with their project's and creator's names, in one query (every API read of a
        work goes through here, so no extra query per name)."""
        return (select(Work, Project.name, User.name)
                .outerjoin(Project, Project.id == Work.project_id)
                .outerjoin(User, User.id == Work.created_by))

    def work(self, work_id: str) -> WorkRecord:
        with self.session() as s:
            found = s.execute(self._works_named().where(Work.id == work_id)).first()
            if found is None:
                raise NotFound(f"no work {work_id}")
            row, project, user = found
            return self._work_record(s, row, project or "", user or "")

    def versions_of(self, work_id: str) -> list[VersionRecord]:
        """Every version of a work with its parents, oldest first.

        The API's tree endpoint asks for this on every request, so it costs one narrow query
        when the records are already known (versions do not change, apart from the deleted
        mark read here) and two more otherwise, never one per version. The records are shared
        with later callers: read them, do not change them."""
        with self.session() as s:
            heads = s.execute(
                select(Version.id, Version.deleted_at).where(Version.work_id == work_id).order_by(Version.seq)
            ).all()
            known = {h.id: self._records.get(h.id, h.deleted_at is not None) for h in heads}
            if any(record is None for record in known.values()):
                rows = s.scalars(select(Version).where(Version.work_id == work_id)).all()
                edges = s.execute(
                    select(VersionParent.child, Version.id)
                    .join(Version, VersionParent.parent == Version.num)
                    .where(VersionParent.child.in_(select(Version.num).where(Version.work_id == work_id)))
                    .order_by(VersionParent.child, VersionParent.position)
                )
                parents: dict[int, list[str]] = {}
                for num, parent_id in edges:
                    parents.setdefault(num, []).append(parent_id)
                for row in rows:
                    known[row.id] = self._version_record(s, row, parents.get(row.num, []))
                    self._records.put(known[row.id])
            return [known[h.id] for h in heads]  # type: ignore[misc]  # every None was replaced

    def works(self, project_id: str | None = None, q: str | None = None) -> list[WorkRecord]:
        """Every work, oldest first; only one project's with ``project_id``, and only those whose
        title or brief contains ``q`` (ignoring case) when given."""
        query = self._works_named().order_by(Work.created_at)
        if project_id is not None:
            query = query.where(Work.project_id == project_id)
        if q:
            needle = f"%{q.lower()}%"
            query = query.where(func.lower(Work.title).like(needle) | func.lower(Work.brief).like(needle))
        with self.session() as s:
            return [self._work_record(s, r, p or "", u or "") for r, p, u in s.execute(query)]

    def recipe(self, version_id: str) -> dict[str, Any] | None:
        with self.session() as s:
            return s.scalar(select(RecipeRow.recipe).where(RecipeRow.version_id == version_id))

    def contributions(self, work_id: str) -> list[tuple[VersionRecord, list[ContributionRecord]]]:
        with self.session() as s:
            out = []
            for row in s.scalars(select(Version).where(Version.work_id == work_id).order_by(Version.seq)):
                rows = s.scalars(
                    select(Contribution).where(Contribution.version_id == row.id).order_by(Contribution.id)
                )
                out.append((
                    self._version_record(s, row),
                    [
                        ContributionRecord(
                            version_id=c.version_id, contributor=c.contributor,
                            contributor_kind=c.contributor_kind, kind=c.kind, detail=c.detail,
                        )
                        for c in rows
                    ],
                ))
            return out

    def contributions_to(self, version_ids: list[str]) -> list[ContributionRecord]:
        """The contributions recorded on these versions, in the order they were made: the ledger a
        version's shares are read from (its lineage may cross works, through derive)."""
        with self.session() as s:
            rows = s.scalars(
                select(Contribution).where(Contribution.version_id.in_(version_ids)).order_by(Contribution.id)
            )
            return [
                ContributionRecord(version_id=c.version_id, contributor=c.contributor,
                                   contributor_kind=c.contributor_kind, kind=c.kind, detail=c.detail)
                for c in rows
            ]

    def feedback_on(self, version_id: str) -> list[dict[str, Any]]:
        with self.session() as s:
            rows = s.scalars(select(FeedbackRow).where(FeedbackRow.version_id == version_id))
            return [
                {"author": r.author, "text": r.text, "result": r.result_id, "at": r.created_at.isoformat()}
                for r in rows
            ]

    def set_deleted(self, version_id: str, deleted: bool) -> None:
        with self.session() as s:
            s.execute(
                update(Version).where(Version.id == version_id).values(deleted_at=now() if deleted else None)
            )

    # -- ids ----------------------------------------------------------------------------------

    def resolve(self, prefix: str, kind: str = "version") -> str:
        """Full id from a unique prefix; unknown ids get close matches as a hint."""
        model = Version if kind == "version" else Work
        needle = prefix.strip().lower()
        if not needle or not all(c in "0123456789abcdef" for c in needle):
            raise NotFound(f"{prefix!r} is not a {kind} id (ids are hexadecimal)")
        with self.session() as s:
            hits = s.scalars(select(model.id).where(model.id.startswith(needle)).limit(6)).all()
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                shown = ", ".join(h[:12] for h in hits[:5])
                raise Ambiguous(f"{kind} id {prefix!r} is ambiguous", hint=f"matches {shown}; type more of it")
            every = s.scalars(select(model.id)).all()
        close = difflib.get_close_matches(needle, [i[: len(needle)] for i in every], n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "`duetto works` lists the works"
        raise NotFound(f"no {kind} with id {prefix!r}", hint=hint)

    def ids_with_prefix(self, prefix: str, kind: str) -> int:
        model = Version if kind == "version" else Work
        with self.session() as s:
            return len(s.scalars(select(model.id).where(model.id.startswith(prefix)).limit(2)).all())

    # -- lineage (recursive CTE) ----------------------------------------------------------------

    def ancestors(self, version_id: str) -> list[str]:
        return self._walk(version_id, up=True)

    def descendants(self, version_id: str) -> list[str]:
        return self._walk(version_id, up=False)

    def _walk(self, version_id: str, up: bool) -> list[str]:
        """All versions reachable through parent (up) or child (down) edges, in one query.

        The recursion runs on integer keys; UNION (not UNION ALL) keeps each version once where
        merges make several paths. Plain SQL because SQLAlchemy's SQLite dialect drops index
        hints, and the hint is what keeps the num → id mapping off the wide rows."""
        start, step = ("child", "parent") if up else ("parent", "child")
        hint = " INDEXED BY ix_versions_num_id" if self.engine.dialect.name == "sqlite" else ""
        query = text(
            "WITH RECURSIVE reach(num) AS ("
            f" SELECT vp.{step} FROM version_parents vp"
            f"  WHERE vp.{start} = (SELECT num FROM versions WHERE id = :vid)"
            f" UNION SELECT vp.{step} FROM version_parents vp JOIN reach ON vp.{start} = reach.num)"
            f" SELECT v.id FROM reach JOIN versions v{hint} ON v.num = reach.num"
        )
        try:
            with self.engine.connect() as conn:  # read-only: no ORM session needed
                return list(conn.execute(query, {"vid": version_id}).scalars().all())
        except (OperationalError, DatabaseError) as exc:
            raise _unavailable(self.url, exc) from exc
