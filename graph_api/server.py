"""The app factory: one Starlette app, whose lifespan opens and closes the database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from graph_api.config import Settings
from graph_api.graphql.app import GraphQLApp
from graph_api.http.health import healthz, readyz
from graph_api.http.impact import impact_export
from graph_api.http.openlineage import get_lineage, post_event
from graph_api.http.position import PositionMiddleware
from graph_api.http.request_id import RequestIdMiddleware
from graph_api.http.static_ui import StaticUI
from graph_api.http.subgraph import subgraph
from graph_api.runtime import open_runtime

log = logging.getLogger(__name__)

#: Seconds in-flight MLMD calls may take to finish when the server stops.
MLMD_GRACE = 5.0


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app; the database opens when the app starts (uvicorn's lifespan).

    The app starts even when the database cannot be reached yet: `/readyz` says 503 and
    GraphQL answers UNAVAILABLE until the schema is applied, which is retried meanwhile.
    """
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runtime = await open_runtime(settings, migrate=False)
        app.state.runtime = runtime
        mlmd: Any = None
        try:
            if await runtime.apply_schema_or_keep_trying():
                runtime.services.topology.start()  # in the background; walks use Cypher till then
            if settings.mlmd_port is not None:
                # Imported here: MLMD's service needs the `mlmd` extra, the HTTP API does not.
                from graph_api.grpc.server import start

                mlmd, port = await start(runtime, settings.host, settings.mlmd_port)
                log.info("MLMD gRPC MetadataStoreService on %s:%d", settings.host, port)
            yield
        finally:
            if mlmd is not None:
                await mlmd.stop(MLMD_GRACE)
            await runtime.close()

    graphql = GraphQLApp(settings.limits)
    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/api/v1/impact", impact_export, methods=["GET"]),
        Route("/api/v1/subgraph", subgraph, methods=["GET"]),
        Route("/api/v1/lineage", post_event, methods=["POST"]),
        Route("/api/v1/lineage", get_lineage, methods=["GET"]),
        # Last: the web UI's files, and its index.html for every other page path.
        Route("/{path:path}", StaticUI(settings.ui_dir)),
    ]
    return Starlette(routes=routes, lifespan=lifespan,
                     middleware=[Middleware(RequestIdMiddleware),
                                 Middleware(PositionMiddleware)])
