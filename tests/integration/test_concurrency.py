"""Concurrent writers of the same keys: one node each, no error (design §5: retry MERGE races).

A process runs one write transaction at a time, so the races are between processes: the
writers here run on a `Database` that lets all of them write at once, as that many
processes would."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar

import pytest

from graph_api.config import Limits
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.ingest import ArtifactAndEvent, LineageEvent
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import PropertyType, TypeInput
from graph_api.services.container import Services
from graph_api.store import types as type_rows
from graph_api.store.connection import Database
from tests.integration.graph_probe import cypher

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
WRITERS = 20
T = TypeVar("T")


async def with_types(services: Services) -> Services:
    await services.types.put(A, TypeInput(name="Dataset", properties={"rows": PropertyType.INT}))
    await services.types.put(E, TypeInput(name="Trainer"))
    await services.types.put(C, TypeInput(name="Experiment"))
    return services


@pytest.fixture
async def typed(clean_db: Database, limits: Limits) -> Services:
    """Services whose writes all run at once, as writers in as many processes would."""
    racing = Database(clean_db.driver, database=clean_db.database, timeout=clean_db.timeout,
                      write_concurrency=WRITERS, statement_log=clean_db.statements)
    return await with_types(Services.create(racing, limits))


async def all_of(calls: Iterable[Awaitable[T]]) -> list[T]:
    """Run `calls` concurrently; wait for every one (none left running), then fail on errors."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, f"{len(errors)} of {len(results)} writers failed: {errors[0]!r}"
    return results  # type: ignore[return-value]


async def count(db: Database, pattern: str) -> int:
    rows = await cypher(db, f"MATCH {pattern} RETURN count(*) AS n")
    return int(rows[0]["n"])


async def test_concurrent_puts_of_one_context_make_one_node(typed: Services, clean_db: Database) -> None:
    results = await all_of(
        typed.ingest.put_nodes(C, [ContextInput(type="Experiment", name="shared",
                                         custom_properties={"writer": i})])
        for i in range(WRITERS))
    ids = {cid for [cid] in results}
    assert len(ids) == 1
    assert await count(clean_db, "(c:Context {type: 'Experiment', name: 'shared'})") == 1
    assert await count(clean_db, "(:Context)-[:OF_TYPE]->(:ContextType)") == 1
    [context] = await typed.nodes.by_ids(C, list(ids))
    assert context.custom_properties["writer"] in range(WRITERS)  # one writer won last


async def test_concurrent_put_executions_sharing_a_context(typed: Services, clean_db: Database) -> None:
    def step(i: int) -> Any:
        return typed.ingest.put_execution(
            ExecutionInput(type="Trainer", name=f"step-{i}"),
            [ArtifactAndEvent(artifact=ArtifactInput(type="Dataset", uri=f"s3://out/{i}"),
                              event_type=EventType.OUTPUT)],
            [ContextInput(type="Experiment", name="shared")],
        )

    results = await all_of(step(i) for i in range(WRITERS))
    assert len({r.context_ids[0] for r in results}) == 1
    [cid] = results[0].context_ids
    assert len({r.execution_id for r in results}) == WRITERS
    assert await count(clean_db, "(c:Context)") == 1
    assert await count(clean_db, "(:Execution)") == WRITERS
    assert await count(clean_db, "(:Artifact)") == WRITERS
    assert await count(clean_db, "(:Execution)-[:ASSOCIATED_WITH]->(:Context)") == WRITERS
    assert await count(clean_db, "(:Artifact)-[:ATTRIBUTED_TO]->(:Context)") == WRITERS
    assert await count(clean_db, "(:Execution)-[:OUTPUT]->(:Artifact)") == WRITERS
    members = await typed.nodes.contexts_of(E, [r.execution_id for r in results])
    assert all([c.id for c in v] == [cid] for v in members.values())


async def test_concurrent_put_executions_sharing_an_input_artifact(typed: Services,
        clean_db: Database) -> None:
    def step(i: int) -> Any:
        return typed.ingest.put_execution(
            ExecutionInput(type="Trainer", external_id=f"run-{i}"),
            [ArtifactAndEvent(artifact=ArtifactInput(type="Dataset", external_id="shared-input"),
                              event_type=EventType.INPUT)],
            [ContextInput(type="Experiment", name="shared")],
        )

    results = await all_of(step(i) for i in range(WRITERS))
    assert len({r.artifact_ids[0] for r in results}) == 1
    assert await count(clean_db, "(:Artifact)") == 1
    assert await count(clean_db, "(:Context)") == 1
    assert await count(clean_db, "(:Artifact)-[:INPUT]->(:Execution)") == WRITERS
    assert await count(clean_db, "(:Artifact)-[:ATTRIBUTED_TO]->(:Context)") == 1


async def test_concurrent_upserts_by_external_id_make_one_node(typed: Services, clean_db: Database) -> None:
    results = await all_of(
        typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset", external_id="the-dataset",
                                          uri=f"s3://v/{i}", properties={"rows": i})])
        for i in range(WRITERS))
    ids = {aid for [aid] in results}
    assert len(ids) == 1
    assert await count(clean_db, "(a:Artifact {externalId: 'the-dataset'})") == 1
    assert await count(clean_db, "(:Artifact)") == 1
    assert await count(clean_db, "(:Artifact)-[:OF_TYPE]->(:ArtifactType)") == 1
    [artifact] = await typed.nodes.by_external_ids(A, ["the-dataset"])
    assert artifact.uri == f"s3://v/{artifact.properties['rows']}"  # type: ignore[union-attr]


async def test_concurrent_batches_overlapping_in_external_ids(typed: Services, clean_db: Database) -> None:
    """Writers whose batches share some keys, in different orders, still agree on ids."""
    keys = [f"x{i}" for i in range(6)]

    def batch(i: int) -> Any:
        chosen = keys[i % 3: i % 3 + 4]
        if i % 2:
            chosen = chosen[::-1]
        return typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset", external_id=k) for k in chosen])

    results = await all_of(batch(i) for i in range(WRITERS))
    by_key: dict[str, set[str]] = {}
    for i, ids in enumerate(results):
        chosen = keys[i % 3: i % 3 + 4]
        for key, node_id in zip(chosen[::-1] if i % 2 else chosen, ids, strict=True):
            by_key.setdefault(key, set()).add(node_id)
    assert all(len(ids) == 1 for ids in by_key.values())
    assert await count(clean_db, "(:Artifact)") == len(by_key)


async def test_a_batch_is_written_while_other_clients_register_its_types(
        typed: Services, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registering a type, even unchanged, makes the server read it anew for the next
    batch. A batch that reads some of its types while other clients register the others
    checks its rows against the types it found, and is written (no 'no such type')."""
    await typed.types.put(C, TypeInput(name="Project"))
    specs = [(A, TypeInput(name="Dataset", properties={"rows": PropertyType.INT})),
             (E, TypeInput(name="Trainer")), (C, TypeInput(name="Experiment")),
             (C, TypeInput(name="Project"))]

    def step(i: int) -> Any:
        return typed.ingest.put_execution(
            ExecutionInput(type="Trainer", name=f"step-{i}"),
            [ArtifactAndEvent(artifact=ArtifactInput(type="Dataset", uri=f"s3://in/{i}"),
                              event_type=EventType.INPUT)],
            [ContextInput(type="Experiment", name="e"), ContextInput(type="Project", name="p")])

    await step(0)  # every type is known to the server now
    await typed.types.put(C, TypeInput(name="Experiment"))  # ... but this one, read anew
    read = type_rows.with_schemas

    async def read_while_others_register(tx: Any, kind: NodeKind, keys: Any) -> Any:
        found = await read(tx, kind, keys)
        for other, spec in specs:  # what other clients' registrations do meanwhile
            if (other, spec.name) not in {(kind, name) for name, _ in keys}:
                await typed.types.put(other, spec)
        return found

    monkeypatch.setattr(type_rows, "with_schemas", read_while_others_register)
    written = await step(1)
    assert written.execution_id is not None
    assert await count(clean_db, "(:Execution)-[:ASSOCIATED_WITH]->(:Context)") == 4


async def test_one_processs_concurrent_batches_wait_their_turn_and_are_each_sent_once(
        services: Services, clean_db: Database) -> None:
    """Within one process, concurrent batches queue for the database instead of fighting
    over the id sequences: none is sent twice, and every one is stored."""
    await with_types(services)

    def batch(i: int) -> Awaitable[Any]:
        return services.ingest.put_lineage_subgraph(
            artifacts=[ArtifactInput(type="Dataset", external_id=f"in-{i}"),
                       ArtifactInput(type="Dataset", external_id=f"out-{i}")],
            executions=[ExecutionInput(type="Trainer", external_id=f"run-{i}")],
            events=[LineageEvent(artifact_index=0, execution_index=0, type=EventType.INPUT),
                    LineageEvent(artifact_index=1, execution_index=0, type=EventType.OUTPUT)])

    await batch(-2)  # the first batch reads the types too
    before = clean_db.statements.sent
    await batch(-1)
    each = clean_db.statements.sent - before
    before = clean_db.statements.sent
    await all_of(batch(i) for i in range(WRITERS))

    assert clean_db.statements.sent - before == WRITERS * each  # not one ran again
    assert await count(clean_db, "(:Artifact)-[:INPUT]->(:Execution)-[:OUTPUT]->(:Artifact)"
                       ) == WRITERS + 2
