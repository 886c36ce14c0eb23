"""The parts one API process shares: opened once from ``Settings``, used by every request.

A request never opens its own database or engine registry; it asks ``studio_for`` for a
``Studio`` that shares these parts but acts as the person asking, in the project addressed.
"""

from __future__ import annotations

import hmac
import secrets
import threading

from duetto.brief import BriefParser
from duetto.engine import EngineRegistry
from duetto.errors import Conflict, Unauthorized
from duetto.settings import Settings
from duetto.store import BlobStore, Repository
from duetto.store.accounts import Accounts
from duetto.store.jobs import Jobs
from duetto.store.records import UserRecord
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
        # Engines that read files a request names (diffusion model folders) only take registered names here.
        self.registry = registry or EngineRegistry.discover(settings.model_copy(update={"diffusion_paths": False}))
        self.parser = parser or make_parser(settings)
        self.accounts = Accounts(self.repo, session_days=settings.session_days)
        self.jobs = Jobs(self.repo)
        self._setup_token: str | None = None
        self._setup_lock = threading.Lock()

    # -- first run ------------------------------------------------------------------------------
    # A fresh studio has nobody who can log in. Rather than a default password, the serving
    # process makes a one-time secret and prints it in a URL on its own console: whoever can
    # read that console may create the first admin, and the secret dies with the process.

    def can_log_in(self) -> bool:
        return any(u.has_password and not u.disabled for u in self.accounts.users())

    def open_setup(self) -> str | None:
        """The one-time setup secret, or None when someone can already log in."""
        with self._setup_lock:
            if self.can_log_in():
                self._setup_token = None
            elif self._setup_token is None:
                self._setup_token = secrets.token_urlsafe(24)
            return self._setup_token

    def setup_needed(self) -> bool:
        return self._setup_token is not None and not self.can_log_in()

    def finish_setup(self, token: str, name: str, password: str, project: str | None) -> UserRecord:
        """Create the first admin (and a first project) if ``token`` is this process's secret."""
        with self._setup_lock:  # two browsers racing: exactly one becomes the admin
            if self._setup_token is None or self.can_log_in():
                self._setup_token = None
                raise Conflict("this studio is already set up", hint="log in, or ask an admin for an account")
            if not hmac.compare_digest(token.encode(), self._setup_token.encode()):
                raise Unauthorized("the setup link is not valid",
                                   hint="use the link `duetto serve` printed when it started")
            user = self.accounts.create_user(name, password=password, is_admin=True)
            if project:
                self.repo.ensure_project(project, user.id)
            self._setup_token = None
            return user

    def studio_for(self, user: str, user_id: str, project_id: str) -> Studio:
        """A studio acting as ``user`` in ``project_id``; cheap, made per request or job."""
        return Studio.shared(self.settings, self.repo, self.blobs, self.registry, self.parser,
                             user=user, user_id=user_id, project_id=project_id)

    def close(self) -> None:
        self.repo.close()
