"""Moving a test studio's schema to a chosen Alembic revision, up or down, to test one
migration on data written by the schema before it."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from duetto.store import Repository
from duetto.store.repository import MIGRATIONS


def migrate_to(repo: Repository, target: str, down: bool = False) -> None:
    with repo.engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)
