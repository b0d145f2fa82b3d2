"""Idempotent schema migrations: every statement under `cypher/schema/`, in name order, then
the retirements under `cypher/schema/retired/`.

A schema file whose header starts with `// optional:` creates something a database may
refuse for its edition (a property type constraint: Neo4j Enterprise and the embedded
engine have them, Neo4j Community does not): refused, it is skipped with a warning and is
not expected by `missing_schema`. A retirement drops, if present, an index or constraint
the schema no longer creates.
"""

from __future__ import annotations

import logging
import re

from graph_api.errors import LineageError, Timeout, Unavailable
from graph_api.model.enums import NodeKind
from graph_api.store import catalog
from graph_api.store.connection import Database, Tx

log = logging.getLogger(__name__)

_NAME = re.compile(r"CREATE\s+(?:CONSTRAINT|INDEX)\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_DROP = re.compile(r"DROP\s+(?:CONSTRAINT|INDEX)\s+([A-Za-z_][A-Za-z0-9_]*)\s+IF\s+EXISTS",
                   re.IGNORECASE)
RETIRED = "schema/retired/"
OPTIONAL = "// optional:"


def schema_statements() -> list[str]:
    """The statements that create the schema, in the order they run."""
    return sorted(name for name in catalog.catalog()
                  if name.startswith("schema/") and not name.startswith(RETIRED))


def retired_statements() -> list[str]:
    """The statements that drop what the schema no longer creates, in the order they run."""
    return sorted(name for name in catalog.catalog() if name.startswith(RETIRED))


def optional(name: str) -> bool:
    """Whether a database may refuse schema statement `name` (see the module doc)."""
    return catalog.get(name).text.lstrip().startswith(OPTIONAL)


def created_name(name: str) -> str:
    """The constraint or index schema statement `name` creates."""
    match = _NAME.search(catalog.get(name).text)
    if match is None:
        raise ValueError(f"{name}: a schema statement must create a named constraint or index")
    return match.group(1)


def retired_name(name: str) -> str:
    """The constraint or index retirement `name` drops."""
    match = _DROP.search(catalog.get(name).text)
    if match is None:
        raise ValueError(f"{name}: a retirement must drop a named constraint or index "
                         "IF EXISTS")
    return match.group(1)


def expected_names() -> set[str]:
    """Names of every constraint and index the schema files create and no database may
    refuse."""
    return {created_name(name) for name in schema_statements() if not optional(name)}


async def _run(db: Database, name: str) -> None:
    async def work(tx: Tx) -> None:
        await tx.run(name)

    await db.write(work)


async def apply_schema(db: Database) -> int:
    """Create every constraint and index that does not exist yet, then drop the retired
    ones; return how many statements ran.

    Each statement runs in its own transaction: Neo4j refuses schema changes mixed with
    other writes in one transaction.
    """
    statements = schema_statements()
    for name in statements:
        if not optional(name):
            await _run(db, name)
            continue
        try:
            await _run(db, name)
        except (Unavailable, Timeout):
            raise
        except LineageError as error:
            log.warning("schema: %s not created (%s): the database refuses it; listings "
                        "ordered by that property may sort instead of reading an index",
                        created_name(name), getattr(error.__cause__, "code", None) or error.code)
    retired = retired_statements()
    for name in retired:
        await _run(db, name)
    log.info("schema applied: %d statements", len(statements) + len(retired))
    assigned = await assign_mlmd_ids(db)
    if assigned:
        log.info("MLMD ids given to %d nodes and types written before they were kept",
                 assigned)
    return len(statements) + len(retired)


#: Nodes given an mlmdId per transaction by `assign_mlmd_ids`.
ASSIGN_BATCH = 10_000


async def assign_mlmd_ids(db: Database) -> int:
    """Give every node and type without an mlmdId one (those written before MLMD's ids
    were kept), oldest first, in transactions of `ASSIGN_BATCH`; returns how many got one.
    Nodes written since have theirs (`write/put_batch`): once a sequence's labels are done
    it is marked, and later starts read the marks instead of scanning the labels again (a
    wiped graph loses its marks and is scanned once more)."""
    done = set((await db.read(lambda tx: tx.single("read/mlmd_ids_backfilled", {})))["kinds"])
    labels: dict[str, list[str]] = {kind.value: [kind.value] for kind in NodeKind}
    labels["Type"] = [kind.type_label for kind in NodeKind]
    total = 0
    for sequence, of_sequence in labels.items():
        if sequence in done:
            continue
        for label in of_sequence:
            while True:
                async def work(tx: Tx, label: str = label, sequence: str = sequence) -> int:
                    row = await tx.single("write/assign_mlmd_ids",
                                          {"kind": sequence, "limit": ASSIGN_BATCH},
                                          {"label": label})
                    return int(row["assigned"] or 0)

                assigned = await db.write(work)
                total += assigned
                if assigned < ASSIGN_BATCH:
                    break

        async def mark(tx: Tx, sequence: str = sequence) -> None:
            await tx.run("write/mark_mlmd_ids_backfilled", {"kind": sequence})

        await db.write(mark)
    return total


async def missing_schema(db: Database) -> set[str]:
    """Expected constraints and indexes that the database does not report as present."""

    async def work(tx: Tx) -> set[str]:
        indexes = {r["name"] for r in await tx.run("admin/show_indexes")}
        constraints = {r["name"] for r in await tx.run("admin/show_constraints")}
        return indexes | constraints

    present = await db.read(work)
    return expected_names() - present
