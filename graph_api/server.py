"""The app factory: one Starlette app, whose lifespan opens and closes the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.routing import Route

from graph_api.config import Settings
from graph_api.graphql.app import GraphQLApp
from graph_api.http.health import healthz, readyz
from graph_api.runtime import open_runtime


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app; the database opens when the app starts (uvicorn's lifespan)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runtime = await open_runtime(settings)
        app.state.runtime = runtime
        try:
            yield
        finally:
            await runtime.close()

    graphql = GraphQLApp(settings.limits)
    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/graphql", graphql, methods=["GET", "POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
