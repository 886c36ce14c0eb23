"""A studio: one directory (or database URL) holding works, their version DAG and their files.

The ``Studio`` object wires settings, repository, blob store, engines and the brief parser
together. It owns no drawing and no SQL: engines draw, the repository stores.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from duetto.brief import BriefParser, RuleParser
from duetto.engine import EngineRegistry
from duetto.errors import InvalidInput, NotFound, StudioUnavailable
from duetto.settings import Settings
from duetto.store import BlobStore, Repository
from duetto.store.records import VersionRecord, WorkRecord


def make_parser(settings: Settings) -> BriefParser:
    """Rules by default; ``DUETTO_PARSER=llm`` merges them with the language model (loaded on
    first use, so commands that parse nothing never pay for it)."""
    if settings.parser == "llm":
        from duetto.brief.llm import LLMBriefParser
        from duetto.llm.factory import provider_from_settings

        return LLMBriefParser(provider_from_settings(settings), RuleParser())
    return RuleParser()


def require_existing(settings: Settings) -> None:
    """Refuse a studio location that holds no studio. Commands that only read or change what a
    studio already holds (show, tree, revise …) must not leave a fresh empty studio behind at a
    mistyped ``--home``; only the commands that start something (``new``, ``demo``, ``users
    add``) may create one. With a database URL the database is the studio, so only a home
    that is not a directory is refused here."""
    home = settings.home.resolve()
    if home.exists() and not home.is_dir():
        raise InvalidInput(f"studio location {home} is a file, not a directory")
    if settings.database_url is not None or (home / "studio.db").is_file():
        return
    raise NotFound(f"no studio at {home}",
                   hint='`duetto new "<brief>"` makes one there; or point --home / DUETTO_HOME at yours')


class Studio:
    def __init__(
        self,
        settings: Settings,
        registry: EngineRegistry | None = None,
        parser: BriefParser | None = None,
        *,
        create: bool = True,
    ) -> None:
        """``create=False`` opens only a studio that is already there (``require_existing``)."""
        if not create:
            require_existing(settings)
        self.settings = settings
        self.home = settings.home.resolve()
        self._prepare_home()
        self.repo = Repository(settings.db_url)
        self.repo.migrate()
        self.blobs = BlobStore(self.home / "blobs")
        self.blobs.prepare()
        self.registry = registry or EngineRegistry.discover(settings)
        self.parser = parser or make_parser(settings)
        self.user = settings.user
        self.user_id = self.repo.ensure_user(settings.user)
        self.project_id = self.repo.ensure_project(settings.project, self.user_id)

    def _prepare_home(self) -> None:
        if self.home.exists() and not self.home.is_dir():
            raise InvalidInput(f"studio location {self.home} is a file, not a directory")
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudioUnavailable(f"cannot create the studio at {self.home}: {exc.strerror}") from exc
        if not os.access(self.home, os.W_OK):
            raise StudioUnavailable(
                f"the studio directory {self.home} is read-only",
                hint="make it writable or choose another with --home / DUETTO_HOME",
            )

    @classmethod
    def shared(
        cls, settings: Settings, repo: Repository, blobs: BlobStore, registry: EngineRegistry,
        parser: BriefParser, *, user: str, user_id: str, project_id: str,
    ) -> Studio:
        """A studio over parts a server already opened, acting as one person in one project.
        Nothing is created or migrated here, and ``close`` must not be called on it: the server
        owns the repository."""
        studio = cls.__new__(cls)
        studio.settings, studio.home = settings, settings.home.resolve()
        studio.repo, studio.blobs, studio.registry, studio.parser = repo, blobs, registry, parser
        studio.user, studio.user_id, studio.project_id = user, user_id, project_id
        return studio

    @classmethod
    def open(cls, home: Path | str | None = None, **overrides: object) -> Studio:
        settings = Settings(**({"home": Path(home)} if home is not None else {}), **overrides)
        return cls(settings)

    def close(self) -> None:
        self.repo.close()

    def __enter__(self) -> Studio:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- lookups used by every interface ----------------------------------------------------

    @property
    def human(self) -> str:
        return f"user:{self.user}"

    def version(self, ref: str) -> VersionRecord:
        return self.repo.version(self.repo.resolve(ref, "version"))

    def work(self, ref: str) -> WorkRecord:
        """A work by its id, or by the id of any of its versions."""
        if self.repo.ids_with_prefix(ref.strip().lower(), "work"):
            return self.repo.work(self.repo.resolve(ref, "work"))
        return self.repo.work(self.version(ref).work_id)

    def works(self, query: str | None = None) -> list[WorkRecord]:
        """Every work in the studio (matching ``query`` in its title or brief), oldest first."""
        return self.repo.works(q=query)

    def versions_of(self, work_id: str) -> list[VersionRecord]:
        return self.repo.versions_of(work_id)

    def path_of(self, version: VersionRecord, ext: str | None = None) -> Path:
        if ext is None or ext == version.ext:
            return self.blobs.path(version.sha256, version.ext)
        return self.blobs.path(version.extras[ext], ext)

    def files_of(self, version: VersionRecord) -> dict[str, Path]:
        files = {version.ext: self.path_of(version)}
        files.update({ext: self.blobs.path(sha, ext) for ext, sha in version.extras.items()})
        return files
