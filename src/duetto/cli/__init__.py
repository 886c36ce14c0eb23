"""The ``duetto`` command: thin typer wrappers around the operations table, one module per area.

Each command builds the table's request for its act from its arguments and options, runs it and
prints the result (``base.act``); every command answers inside the same envelope (``base``):
``--json`` prints exactly one JSON object on stdout, errors are one line on stderr with the exit
code of the error's class. The areas register their commands on ``base.app`` when imported.
"""

from __future__ import annotations

from duetto.cli import (
    keeping,
    looking,
    making,
    models,
    music,
    people,
    pictures,
    rights,
    shares,
    writing,
)
from duetto.cli.base import app

AREAS = (making, pictures, writing, music, looking, people, keeping, shares, rights, models)
_ORDER = {area.__name__: i for i, area in enumerate(AREAS)}
# `duetto --help` lists commands by area in the order a person meets them, not by import order.
app.registered_commands.sort(key=lambda c: _ORDER.get(getattr(c.callback, "__module__", ""), len(AREAS)))


def main() -> None:
    app()


__all__ = ["AREAS", "app", "main"]
