"""Idempotent schema migrations: every statement under `cypher/schema/`, in name order."""

from __future__ import annotations

import logging
import re

from graph_api.store import catalog
from graph_api.store.connection import Database, Tx

log = logging.getLogger(__name__)

_NAME = re.compile(r"CREATE\s+(?:CONSTRAINT|INDEX)\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def schema_statements() -> list[str]:
    return sorted(name for name in catalog.catalog() if name.startswith("schema/"))


def expected_names() -> set[str]:
    """Names of every constraint and index the schema files create."""
    names = set()
    for name in schema_statements():
        match = _NAME.search(catalog.get(name).text)
        if match is None:
            raise ValueError(f"{name}: a schema statement must create a named constraint or index")
        names.add(match.group(1))
    return names


async def apply_schema(db: Database) -> int:
    """Create every constraint and index that does not exist yet; return how many ran.

    Each statement runs in its own transaction: Neo4j refuses schema changes mixed with
    other writes in one transaction.
    """
    statements = schema_statements()
    for name in statements:

        async def work(tx: Tx, name: str = name) -> None:
            await tx.run(name)

        await db.write(work)
    log.info("schema applied: %d statements", len(statements))
    return len(statements)


async def missing_schema(db: Database) -> set[str]:
    """Expected constraints and indexes that the database does not report as present."""

    async def work(tx: Tx) -> set[str]:
        indexes = {r["name"] for r in await tx.run("admin/show_indexes")}
        constraints = {r["name"] for r in await tx.run("admin/show_constraints")}
        return indexes | constraints

    present = await db.read(work)
    return expected_names() - present
