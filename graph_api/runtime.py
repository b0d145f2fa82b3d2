"""Open the graph database the settings point at: a Neo4j server or the embedded engine."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from graph_api.config import Settings
from graph_api.embedded import USER, EmbeddedEngine
from graph_api.errors import LineageError, Timeout, Unavailable
from graph_api.services.container import Services
from graph_api.store.connection import Database
from graph_api.store.migrations import apply_schema

log = logging.getLogger(__name__)

#: Seconds between attempts to apply the schema while the database is unreachable: the
#: first pause, and the longest one (the pause doubles after each failure).
SCHEMA_RETRY_FIRST = 0.5
SCHEMA_RETRY_MAX = 5.0


@dataclass
class Runtime:
    """The process's database, the services over it, and whether the schema is applied.

    A server starts even when the database is not reachable yet: it applies the schema in
    the background until that succeeds (`apply_schema_or_keep_trying`), reports not-ready
    meanwhile, and answers UNAVAILABLE instead of running requests on a database without
    its constraints.
    """

    db: Database
    services: Services
    uri: str
    engine: EmbeddedEngine | None = None
    schema_applied: bool = False
    _applying: asyncio.Task[None] | None = field(default=None, repr=False)
    _retrying: asyncio.Task[None] | None = field(default=None, repr=False)

    async def ensure_schema(self) -> None:
        """Apply the schema unless this process already did.

        Callers that arrive while an attempt runs share it (and its failure), so requests
        to a database that is down do not queue up behind one another.

        Raises:
            Unavailable, Timeout: the database cannot be reached or did not answer.
        """
        if self.schema_applied:
            return
        if self._applying is None or self._applying.done():
            self._applying = asyncio.create_task(self._apply_schema())
            # Retrieve the outcome even when every caller was cancelled meanwhile.
            self._applying.add_done_callback(lambda t: t.cancelled() or t.exception())
        await asyncio.shield(self._applying)

    async def _apply_schema(self) -> None:
        await apply_schema(self.db)
        self.schema_applied = True

    async def apply_schema_or_keep_trying(self) -> bool:
        """Try once; if the database cannot be reached, keep trying in the background.

        Returns whether the schema is applied now. Other failures (bad credentials, a
        bug) are raised: they do not go away by waiting.
        """
        try:
            await self.ensure_schema()
        except (Unavailable, Timeout) as error:
            log.warning("graph database at %s not reachable (%s); serving, not ready, and "
                        "applying the schema when it is", self.uri, error.code)
            self.keep_trying()
            return False
        return True

    def schema_lost(self) -> None:
        """The database no longer has the schema (replaced, wiped): apply it again."""
        self.schema_applied = False
        self.keep_trying()

    def keep_trying(self) -> None:
        """Start the background schema task unless it runs already."""
        if self._retrying is None or self._retrying.done():
            self._retrying = asyncio.create_task(self._retry_schema())

    async def _retry_schema(self) -> None:
        pause = SCHEMA_RETRY_FIRST
        while True:
            await asyncio.sleep(pause)
            try:
                await self.ensure_schema()
            except LineageError as error:
                log.debug("schema not applied yet: %s", error.code)
                pause = min(SCHEMA_RETRY_MAX, pause * 2)
                continue
            log.info("graph database at %s reachable again; schema applied", self.uri)
            return

    async def close(self) -> None:
        for task in (self._retrying, self._applying):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, LineageError):
                    await task
        await self.services.topology.close()
        await self.db.close()


async def open_runtime(settings: Settings, *, detach: bool = False,
                       migrate: bool = True) -> Runtime:
    """Connect (starting the embedded engine when `NEO4J_URI` is unset) and apply the schema.

    Args:
        detach: an embedded engine started here outlives this process.
        migrate: apply `cypher/schema/` before returning (raises `Unavailable` when the
            database cannot be reached); without it, nothing is sent to the database yet.
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
        connect_timeout=settings.connect_timeout,
        write_concurrency=settings.write_concurrency,
        record_to=settings.record_cypher,
    )
    runtime = Runtime(db=db, services=Services.create(db, settings.limits, settings.topology), uri=uri,
                      engine=engine)
    try:
        if migrate:
            await runtime.ensure_schema()
    except BaseException:
        await db.close()
        raise
    return runtime
