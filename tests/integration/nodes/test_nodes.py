"""Batch upserts of artifacts, executions and contexts: round trips, updates and upserts."""

from __future__ import annotations

import asyncio
from typing import Any

from graph_api.model.enums import ArtifactState, ExecutionState
from graph_api.model.nodes import Artifact, ContextInput, ExecutionInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.graph_probe import count_nodes, cypher, snapshot
from tests.integration.nodes.helpers import (
    CUSTOM,
    PROPERTIES,
    A,
    C,
    E,
    dataset,
    now_ms,
)

# -- round trips -------------------------------------------------------------------------


async def test_an_artifact_round_trips_with_every_field(typed: Services) -> None:
    before = now_ms()
    [aid] = await typed.ingest.put_nodes(A, [dataset(
        uri="s3://bucket/train.csv", name="train", state=ArtifactState.LIVE,
        external_id="ds-train", properties=PROPERTIES, custom_properties=CUSTOM,
    )])
    after = now_ms()
    [got] = await typed.nodes.by_ids(A, [aid])
    assert isinstance(got, Artifact)
    assert got.id == aid and got.kind is A
    assert (got.type, got.type_version) == ("Dataset", None)
    assert (got.uri, got.name, got.state, got.external_id) == (
        "s3://bucket/train.csv", "train", ArtifactState.LIVE, "ds-train")
    assert got.properties == PROPERTIES
    assert got.custom_properties == CUSTOM
    assert before <= got.created_at <= after
    assert got.updated_at == got.created_at


async def test_an_execution_round_trips_with_every_field(typed: Services) -> None:
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(
        type="Trainer", name="train-1", state=ExecutionState.RUNNING, external_id="run-1",
        properties=PROPERTIES, custom_properties=CUSTOM,
    )])
    [got] = await typed.nodes.by_ids(E, [eid])
    assert (got.kind, got.type, got.name, got.external_id) == (E, "Trainer", "train-1", "run-1")
    assert got.state is ExecutionState.RUNNING  # type: ignore[union-attr]
    assert got.properties == PROPERTIES
    assert got.custom_properties == CUSTOM


async def test_a_context_round_trips_with_every_field(typed: Services) -> None:
    [cid] = await typed.ingest.put_nodes(C, [ContextInput(
        type="Experiment", name="exp-1", external_id="x-exp-1",
        properties=PROPERTIES, custom_properties=CUSTOM,
    )])
    [got] = await typed.nodes.by_ids(C, [cid])
    assert (got.kind, got.type, got.name, got.external_id) == (C, "Experiment", "exp-1", "x-exp-1")
    assert got.properties == PROPERTIES
    assert got.custom_properties == CUSTOM


async def test_optional_fields_default_when_omitted(typed: Services) -> None:
    [aid] = await typed.ingest.put_nodes(A, [dataset()])
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer")])
    [art] = await typed.nodes.by_ids(A, [aid])
    [exe] = await typed.nodes.by_ids(E, [eid])
    assert (art.uri, art.name, art.external_id, art.state) == (  # type: ignore[union-attr]
        None, None, None, ArtifactState.UNKNOWN)
    assert art.properties == {} and art.custom_properties == {}
    assert exe.state is ExecutionState.UNKNOWN  # type: ignore[union-attr]


async def test_a_double_property_accepts_an_int_and_reads_back_a_float(typed: Services) -> None:
    [aid] = await typed.ingest.put_nodes(A, [dataset(properties={"score": 2, "splits": [1, 2.5]})])
    [got] = await typed.nodes.by_ids(A, [aid])
    assert got.properties == {"score": 2.0, "splits": [1, 2.5]}
    assert isinstance(got.properties["score"], float)


async def test_a_struct_can_be_any_json_value(typed: Services) -> None:
    values: list[Any] = [[1, [2, [3]], {"k": "v"}], "text", 7, {"deep": {"er": {"est": []}}}]
    ids = await typed.ingest.put_nodes(A, [dataset(properties={"meta": v}) for v in values])
    got = await typed.nodes.by_ids(A, ids)
    assert [n.properties["meta"] for n in got] == values


async def test_nodes_are_labelled_by_kind_and_linked_to_their_type(typed: Services,
        clean_db: Database) -> None:
    [aid] = await typed.ingest.put_nodes(A, [dataset()])
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer")])
    [cid] = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="p")])
    rows = await cypher(
        clean_db, "MATCH (n)-[:OF_TYPE]->(t) WHERE n.id IN $ids "
        "RETURN n.id AS id, labels(n) AS nl, labels(t) AS tl, t.name AS type",
        ids=[aid, eid, cid])
    got = {r["id"]: (r["nl"], r["tl"], r["type"]) for r in rows}
    assert got == {
        aid: (["Artifact"], ["ArtifactType"], "Dataset"),
        eid: (["Execution"], ["ExecutionType"], "Trainer"),
        cid: (["Context"], ["ContextType"], "Pipeline"),
    }


# -- updates and upserts ---------------------------------------------------------------


async def test_update_by_id_replaces_fields_and_properties(typed: Services, clean_db: Database) -> None:
    [aid] = await typed.ingest.put_nodes(A, [dataset(
        uri="s3://a", name="a", state=ArtifactState.PENDING,
        properties={"rows": 1, "format": "csv"}, custom_properties={"owner": "ann", "k": 1},
    )])
    [first] = await typed.nodes.by_ids(A, [aid])
    await asyncio.sleep(0.01)
    updated = await typed.ingest.put_nodes(A, [dataset(
        id=aid, uri="s3://b", state=ArtifactState.LIVE,
        properties={"rows": 2}, custom_properties={"owner": "bob"},
    )])
    assert updated == [aid]
    [got] = await typed.nodes.by_ids(A, [aid])
    assert (got.uri, got.name, got.state) == ("s3://b", None, ArtifactState.LIVE)  # type: ignore[union-attr]
    assert got.properties == {"rows": 2}
    assert got.custom_properties == {"owner": "bob"}
    assert got.created_at == first.created_at
    assert got.updated_at > first.updated_at
    assert await count_nodes(clean_db, "Artifact") == 1


async def test_upsert_by_external_id_updates_the_same_node(typed: Services, clean_db: Database) -> None:
    [first] = await typed.ingest.put_nodes(A, [dataset(external_id="ds-1", uri="s3://v1")])
    [created] = await typed.nodes.by_ids(A, [first])
    await asyncio.sleep(0.01)
    [second] = await typed.ingest.put_nodes(A, [dataset(external_id="ds-1", uri="s3://v2",
                                                 properties={"rows": 5})])
    assert second == first
    rows = await cypher(clean_db, "MATCH (n:Artifact {externalId: 'ds-1'}) RETURN count(n) AS n")
    assert rows[0]["n"] == 1
    assert await count_nodes(clean_db, "Artifact") == 1
    [got] = await typed.nodes.by_external_ids(A, ["ds-1"])
    assert (got.id, got.uri, got.properties) == (first, "s3://v2", {"rows": 5})  # type: ignore[union-attr]
    assert got.created_at == created.created_at and got.updated_at > created.updated_at


async def test_an_update_by_id_may_set_an_external_id(typed: Services, clean_db: Database) -> None:
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer")])
    await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", id=eid, external_id="run-9")])
    [got] = await typed.nodes.by_external_ids(E, ["run-9"])
    assert got.id == eid
    again = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id="run-9")])
    assert again == [eid]
    assert await count_nodes(clean_db, "Execution") == 1


async def test_re_putting_the_same_batch_gives_the_same_ids(typed: Services, clean_db: Database) -> None:
    artifacts = [dataset(external_id=f"ds-{i}", uri=f"s3://d/{i}", properties={"rows": i})
                 for i in range(5)]
    executions = [ExecutionInput(type="Trainer", external_id=f"run-{i}") for i in range(3)]
    contexts = [ContextInput(type="Experiment", name=f"exp-{i}") for i in range(3)]
    first = [await typed.ingest.put_nodes(A, artifacts), await typed.ingest.put_nodes(E, executions),
             await typed.ingest.put_nodes(C, contexts)]
    graph = await snapshot(clean_db)
    second = [await typed.ingest.put_nodes(A, artifacts), await typed.ingest.put_nodes(E, executions),
              await typed.ingest.put_nodes(C, contexts)]
    assert second == first
    assert all(len(set(ids)) == len(ids) for ids in first)
    assert await count_nodes(clean_db, "Artifact") == 5
    assert await count_nodes(clean_db, "Execution") == 3
    assert await count_nodes(clean_db, "Context") == 3
    nodes, edges = await snapshot(clean_db)
    assert len(nodes) == len(graph[0]) and edges == graph[1]


async def test_a_repeated_external_id_within_a_batch_is_one_node(typed: Services, clean_db: Database) -> None:
    ids = await typed.ingest.put_nodes(A, [dataset(external_id="same", uri="s3://1"),
                                    dataset(external_id="same", uri="s3://2")])
    assert ids[0] == ids[1]
    assert await count_nodes(clean_db, "Artifact") == 1
    [got] = await typed.nodes.by_ids(A, ids[:1])
    assert got.uri == "s3://2"  # type: ignore[union-attr]


async def test_nodes_without_external_id_are_created_anew_each_time(typed: Services,
        clean_db: Database) -> None:
    one = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", name="t")])
    two = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", name="t")])
    assert one != two
    assert await count_nodes(clean_db, "Execution") == 2


async def test_contexts_are_unique_per_type_and_name(typed: Services, clean_db: Database) -> None:
    [first] = await typed.ingest.put_nodes(C, [ContextInput(type="Experiment", name="exp")])
    [again] = await typed.ingest.put_nodes(C, [ContextInput(type="Experiment", name="exp",
                                                     properties={"rows": 3})])
    [other_type] = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="exp")])
    assert again == first
    assert other_type != first
    rows = await cypher(clean_db, "MATCH (c:Context {type: 'Experiment', name: 'exp'}) "
                               "RETURN count(c) AS n")
    assert rows[0]["n"] == 1
    [got] = await typed.nodes.by_ids(C, [first])
    assert got.properties == {"rows": 3}


async def test_a_context_put_twice_in_one_batch_is_one_node(typed: Services, clean_db: Database) -> None:
    ids = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="p"),
                                    ContextInput(type="Pipeline", name="q"),
                                    ContextInput(type="Pipeline", name="p")])
    assert ids[0] == ids[2] != ids[1]
    assert await count_nodes(clean_db, "Context") == 2


async def test_a_context_found_by_name_gains_the_external_id(typed: Services) -> None:
    [cid] = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="p")])
    [again] = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="p",
                                                     external_id="pipe-p")])
    assert again == cid
    assert [n.id for n in await typed.nodes.by_external_ids(C, ["pipe-p"])] == [cid]


