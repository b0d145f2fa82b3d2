"""Whether the database answers and holds the project's schema."""

from __future__ import annotations

from graph_api.store.connection import Database
from graph_api.store.migrations import missing_schema


class HealthService:
    """Probes of the database, for readiness checks."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def ping(self) -> str:
        """The database's agent string, within the connect timeout.

        Raises:
            Unavailable, Timeout: the database cannot be reached or did not answer.
        """
        return await self.db.ping()

    async def missing_schema(self) -> list[str]:
        """The names of the expected constraints and indexes the database lacks, sorted."""
        return sorted(await missing_schema(self.db))
