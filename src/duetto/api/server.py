"""The parts one API process shares: opened once from ``Settings``, used by every request.

A request never opens its own database or engine registry; it asks ``studio_for`` for a
``Studio`` that shares these parts but acts as the person asking, in the project addressed.
"""

from __future__ import annotations

from duetto.brief import BriefParser
from duetto.engine import EngineRegistry
from duetto.settings import Settings
from duetto.store import BlobStore, Repository
from duetto.store.accounts import Accounts
from duetto.store.jobs import Jobs
from duetto.studio.studio import Studio, make_parser


class Server:
    def __init__(
        self, settings: Settings, registry: EngineRegistry | None = None, parser: BriefParser | None = None
    ) -> None:
        self.settings = settings
        home = settings.home.resolve()
        home.mkdir(parents=True, exist_ok=True)
        self.repo = Repository(settings.db_url)
        self.repo.migrate()
        self.blobs = BlobStore(home / "blobs")
        self.blobs.prepare()
        self.registry = registry or EngineRegistry.discover(settings)
        self.parser = parser or make_parser(settings)
        self.accounts = Accounts(self.repo, session_days=settings.session_days)
        self.jobs = Jobs(self.repo)

    def studio_for(self, user: str, user_id: str, project_id: str) -> Studio:
        """A studio acting as ``user`` in ``project_id``; cheap, made per request or job."""
        return Studio.shared(self.settings, self.repo, self.blobs, self.registry, self.parser,
                             user=user, user_id=user_id, project_id=project_id)

    def close(self) -> None:
        self.repo.close()
