"""``create_app``: the FastAPI application over one studio, with its job worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from duetto.api import (
    errors,
    routes_acts,
    routes_auth,
    routes_export,
    routes_import,
    routes_jobs,
    routes_marks,
    routes_members,
    routes_public,
    routes_rights,
    routes_setup,
    routes_tokens,
    routes_versions,
    routes_works,
)
from duetto.api.jobs import Broker, JobRunner
from duetto.api.server import Server
from duetto.settings import Settings


def create_app(settings: Settings, *, start_worker: bool = True, worker_threads: int = 1,
               server: Server | None = None) -> FastAPI:
    """The app; the worker thread starts with the app (lifespan) and stops with it."""
    server = server or Server(settings)
    broker = Broker()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner = JobRunner(server, broker, threads=worker_threads) if start_worker else None
        app.state.runner = runner
        if runner is not None:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()

    app = FastAPI(title="duetto", summary="Make art with generative models, together.", lifespan=lifespan)
    app.state.server, app.state.broker, app.state.runner = server, broker, None
    errors.install(app)
    for module in (routes_auth, routes_setup, routes_works, routes_versions, routes_acts, routes_import, routes_jobs,
                   routes_export, routes_tokens, routes_members, routes_marks, routes_rights, routes_public):
        app.include_router(module.router)
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    """The web studio, when its package offers a router; otherwise a pointer to the API docs."""
    try:
        from duetto.web import router  # type: ignore[attr-defined]
    except ImportError:
        @app.get("/", include_in_schema=False)
        def root() -> dict[str, Any]:
            return {"name": "duetto", "api": "/api", "docs": "/docs", "openapi": "/openapi.json"}
        return
    app.include_router(router)
