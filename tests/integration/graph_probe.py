"""Read the graph directly with Cypher, to check what the services wrote (or did not)."""

from __future__ import annotations

import json
from typing import Any

from graph_api.store.connection import Database


async def cypher(db: Database, query: str, **params: Any) -> list[dict[str, Any]]:
    async with db.driver.session(database=db.database) as session:
        result = await session.run(query, params)
        return [record.data() async for record in result]


async def count_nodes(db: Database, label: str) -> int:
    rows = await cypher(db, f"MATCH (n:{label}) RETURN count(n) AS n")
    return int(rows[0]["n"])


async def edge_count(db: Database) -> int:
    rows = await cypher(db, "MATCH ()-[r]->() RETURN count(r) AS n")
    return int(rows[0]["n"])


async def snapshot(db: Database) -> tuple[list[str], list[str]]:
    """Every node (labels and properties) and edge, as sorted JSON: equal iff the graph is."""
    nodes = await cypher(db, "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    edges = await cypher(
        db,
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS source, b.id AS target, "
        "properties(r) AS props",
    )
    return (
        sorted(json.dumps([sorted(n["labels"]), n["props"]], sort_keys=True) for n in nodes),
        sorted(json.dumps(e, sort_keys=True) for e in edges),
    )
