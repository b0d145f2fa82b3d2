"""MLMD's int64 ids in the graph: per kind, increasing in insertion order, kept by updates,
distinct under concurrent writers, and given to nodes written before they were kept."""

from __future__ import annotations

import asyncio

from graph_api.model.enums import EventType, NodeKind
from graph_api.model.nodes import ArtifactInput, ExecutionInput
from graph_api.model.relations import EventInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from graph_api.store.migrations import apply_schema

A, E = NodeKind.ARTIFACT, NodeKind.EXECUTION


async def _mlmd_ids(services: Services, kind: NodeKind, ids: list[str]) -> list[int | None]:
    found = {n.id: n.mlmd_id for n in await services.nodes.by_ids(kind, ids)}
    return [found[i] for i in ids]


async def test_ids_increase_in_insertion_order_and_updates_keep_them(services: Services) -> None:
    await services.types.put(A, TypeInput(name="Data"))
    first = await services.ingest.put_nodes(A, [ArtifactInput(type="Data", uri=f"u{i}")
                                                for i in range(5)])
    second = await services.ingest.put_nodes(A, [ArtifactInput(type="Data", uri="later")])
    ids = await _mlmd_ids(services, A, first + second)
    assert all(isinstance(i, int) for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    await services.ingest.put_nodes(A, [ArtifactInput(id=first[0], type="Data", uri="moved")])
    assert await _mlmd_ids(services, A, [first[0]]) == ids[:1]
    [stored_type] = await services.types.by_keys(A, [("Data", None)])
    assert isinstance(stored_type.mlmd_id, int)


async def test_concurrent_writers_get_distinct_ids(services: Services) -> None:
    await services.types.put(A, TypeInput(name="Data"))
    batches = await asyncio.gather(*(
        services.ingest.put_nodes(A, [ArtifactInput(type="Data", uri=f"w{w}-{i}")
                                      for i in range(20)]) for w in range(6)))
    for batch in batches:
        ids = await _mlmd_ids(services, A, batch)
        assert ids == sorted(ids)
    every = [i for batch in batches for i in await _mlmd_ids(services, A, batch)]
    assert len(set(every)) == 120


async def test_events_come_back_in_insertion_order(services: Services) -> None:
    from graph_api.services.mlmd import MlmdService
    from graph_api.store import mlmd as rows

    await services.types.put(A, TypeInput(name="Data"))
    await services.types.put(E, TypeInput(name="Step"))
    [step] = await services.ingest.put_nodes(E, [ExecutionInput(type="Step")])
    data = await services.ingest.put_nodes(A, [ArtifactInput(type="Data") for _ in range(4)])
    for artifact in reversed(data):  # one call each: the later calls' events come later
        await services.ingest.put_events([EventInput(artifact_id=artifact, execution_id=step,
                                                     type=EventType.INPUT)])
    [step_id] = await _mlmd_ids(services, E, [step])
    assert step_id is not None
    service = MlmdService.of(services)
    found = await service.db.read(lambda tx: rows.events(tx, E, [step_id]))
    assert [e.artifact_id for e in found] == list(reversed(await _mlmd_ids(services, A, data)))


async def test_nodes_written_before_the_ids_were_kept_get_theirs(
        services: Services, clean_db: Database) -> None:
    await services.types.put(A, TypeInput(name="Data"))
    async with clean_db.driver.session(database=clean_db.database) as session:
        await session.run(
            "MATCH (t:ArtifactType {name: 'Data'}) REMOVE t.mlmdId WITH t "
            "UNWIND range(1, 3) AS i "
            "CREATE (n:Artifact {id: 'old-' + toString(i), type: 'Data', typeVersion: '', "
            "createdAt: i, updatedAt: i})-[:OF_TYPE]->(t)")
    await apply_schema(clean_db)
    old = await _mlmd_ids(services, A, ["old-1", "old-2", "old-3"])
    assert all(isinstance(i, int) for i in old) and old == sorted(old)
    [new] = await services.ingest.put_nodes(A, [ArtifactInput(type="Data")])
    [new_id] = await _mlmd_ids(services, A, [new])
    assert new_id is not None and new_id > max(i for i in old if i is not None)
    [stored_type] = await services.types.by_keys(A, [("Data", None)])
    assert isinstance(stored_type.mlmd_id, int)
    await apply_schema(clean_db)  # nothing left to give an id: the ids stay
    assert await _mlmd_ids(services, A, ["old-1", "old-2", "old-3"]) == old
