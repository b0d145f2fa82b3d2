"""Open the graph database the settings point at: a Neo4j server or the embedded engine."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.config import Settings
from graph_api.embedded import USER, EmbeddedEngine
from graph_api.store.connection import Database
from graph_api.store.migrations import apply_schema
from graph_api.store.store import GraphStore


@dataclass
class Runtime:
    db: Database
    store: GraphStore
    uri: str
    engine: EmbeddedEngine | None = None

    async def close(self) -> None:
        await self.db.close()


async def open_runtime(settings: Settings, *, detach: bool = False,
                       migrate: bool = True) -> Runtime:
    """Connect (starting the embedded engine when `NEO4J_URI` is unset) and apply the schema.

    Args:
        detach: an embedded engine started here outlives this process.
        migrate: apply `cypher/schema/` before returning.
    """
    engine: EmbeddedEngine | None = None
    if settings.neo4j_uri:
        uri, user, password = settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password
    else:
        engine = EmbeddedEngine(settings.data_dir, settings.embedded_heap)
        # Started from this (the main) thread on purpose: a child engine is tied to the
        # lifetime of the thread that starts it (see embedded._die_with).
        info = engine.start(detach=detach)
        uri, user, password = info.uri, USER, engine.password()
    db = Database.connect(
        uri, user, password,
        database=settings.neo4j_database,
        timeout=settings.limits.query_timeout,
        record_to=settings.record_cypher,
    )
    try:
        if migrate:
            await apply_schema(db)
    except BaseException:
        await db.close()
        raise
    return Runtime(db=db, store=GraphStore(db, settings.limits), uri=uri, engine=engine)
