"""Alembic environment: run migrations on the connection the studio hands over.

The studio upgrades its own database on open, so this env expects ``config.attributes
["connection"]``; running ``alembic`` by hand with ``-x url=...`` works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from duetto.store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
