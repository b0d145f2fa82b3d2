"""What the relation tests share: node makers, an edge probe, and a check that refused
writes change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.errors import LineageError
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.graph_probe import cypher, snapshot

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
INPUT_KINDS = [EventType.INPUT, EventType.DECLARED_INPUT, EventType.INTERNAL_INPUT]
OUTPUT_KINDS = [EventType.OUTPUT, EventType.DECLARED_OUTPUT, EventType.INTERNAL_OUTPUT,
                EventType.PENDING_OUTPUT]




async def edges(db: Database, rel: str) -> list[tuple[str, str]]:
    """(source id, target id) of every `rel` edge, sorted; duplicates stay visible."""
    rows = await cypher(db, f"MATCH (a)-[:{rel}]->(b) RETURN a.id AS a, b.id AS b")
    return sorted((r["a"], r["b"]) for r in rows)


async def artifacts(services: Services, n: int, prefix: str = "a") -> list[str]:
    return await services.ingest.put_nodes(A, [ArtifactInput(type="Dataset", external_id=f"{prefix}{i}")
                                     for i in range(n)])


async def executions(services: Services, n: int, prefix: str = "e") -> list[str]:
    return await services.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id=f"{prefix}{i}")
                                     for i in range(n)])


async def contexts(services: Services, *names: str) -> list[str]:
    return await services.ingest.put_nodes(C, [ContextInput(type="Experiment", name=n) for n in names])


async def refused(db: Database, error: type[LineageError], field: str,
                  write: Any) -> LineageError:
    """Await `write`; assert the error names `field` and the graph did not change."""
    graph = await snapshot(db)
    with pytest.raises(error) as caught:
        await write
    assert caught.value.field == field, caught.value
    assert await snapshot(db) == graph
    return caught.value
