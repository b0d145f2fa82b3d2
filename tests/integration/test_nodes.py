"""Artifacts, executions and contexts: round trips, updates, upserts, lookups, bad input."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from graph_api.errors import Conflict, InvalidInput, LineageError, NotFound
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind, PropertyType
from graph_api.model.nodes import Artifact, ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.graph_probe import count_nodes, cypher, snapshot

P = PropertyType
A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT

#: One declared property of each of the six types.
SCHEMA = {
    "rows": P.INT,
    "score": P.DOUBLE,
    "format": P.STRING,
    "public": P.BOOLEAN,
    "meta": P.STRUCT,
    "splits": P.LIST,
}
PROPERTIES: dict[str, Any] = {
    "rows": 1200,
    "score": 0.875,
    "format": "csv",
    "public": True,
    "meta": {"source": {"db": "pg", "tables": ["a", "b"]}, "sizes": [1, [2, 3], {"x": None}]},
    "splits": ["train", "eval", "test"],
}
CUSTOM: dict[str, Any] = {
    "owner": "ann",
    "epochs": 3,
    "lr": 0.001,
    "flag": False,
    "tags": ["x", "y"],
    "numbers": [1, 2.5],
    "nested": {"a": {"b": [1, 2, {"c": "d"}]}, "empty": {}},
    "mixed": [1, "two", 3.5, True, None],
    "matrix": [[1, 2], [3, 4]],
}


async def register_types(services: Services) -> None:
    for kind, name in ((A, "Dataset"), (E, "Trainer"), (C, "Experiment")):
        await services.types.put(kind, TypeInput(name=name, properties=SCHEMA))
    await services.types.put(A, TypeInput(name="Model", properties={"layers": P.INT}))
    await services.types.put(C, TypeInput(name="Pipeline"))


@pytest.fixture
async def typed(services: Services) -> Services:
    """The store with Dataset/Model artifact, Trainer execution, Experiment/Pipeline types."""
    await register_types(services)
    return services


def dataset(**fields: Any) -> ArtifactInput:
    return ArtifactInput(**{"type": "Dataset", **fields})


def now_ms() -> int:
    return int(time.time() * 1000)


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


# -- reads ---------------------------------------------------------------------------------


async def test_get_by_ids_keeps_the_order_asked_and_skips_unknown_ids(typed: Services) -> None:
    ids = await typed.ingest.put_nodes(A, [dataset(name=f"d{i}") for i in range(4)])
    asked = [ids[2], "no-such-id", ids[0], ids[3]]
    got = await typed.nodes.by_ids(A, asked)
    assert [n.id for n in got] == [ids[2], ids[0], ids[3]]
    assert [n.name for n in got] == ["d2", "d0", "d3"]
    assert await typed.nodes.by_ids(E, ids) == []  # an artifact id is not an execution


async def test_get_by_external_ids(typed: Services) -> None:
    ids = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id=f"r{i}")
                                    for i in range(3)])
    got = await typed.nodes.by_external_ids(E, ["r2", "missing", "r0"])
    assert [(n.id, n.external_id) for n in got] == [(ids[2], "r2"), (ids[0], "r0")]


async def test_get_contexts_by_type_and_name(typed: Services) -> None:
    ids = await typed.ingest.put_nodes(C, [ContextInput(type="Experiment", name="a"),
                                    ContextInput(type="Pipeline", name="a"),
                                    ContextInput(type="Pipeline", name="b")])
    got = await typed.nodes.contexts_by_type_and_name(
        [("Pipeline", "b"), ("Experiment", "b"), ("Experiment", "a"), ("Pipeline", "a")])
    assert [n.id for n in got] == [ids[2], ids[0], ids[1]]


async def test_update_states_sets_the_state_and_advances_updated_at(typed: Services) -> None:
    ids = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", state=ExecutionState.NEW)
                                    for _ in range(3)])
    before = {n.id: n for n in await typed.nodes.by_ids(E, ids)}
    await asyncio.sleep(0.01)
    updated = await typed.ingest.update_states(
        E, {ids[0]: ExecutionState.COMPLETE, ids[2]: ExecutionState.FAILED})
    assert sorted(updated) == sorted([ids[0], ids[2]])
    after = {n.id: n for n in await typed.nodes.by_ids(E, ids)}
    assert [after[i].state for i in ids] == [  # type: ignore[union-attr]
        ExecutionState.COMPLETE, ExecutionState.NEW, ExecutionState.FAILED]
    assert after[ids[0]].updated_at > before[ids[0]].updated_at
    assert after[ids[0]].created_at == before[ids[0]].created_at
    assert after[ids[1]] == before[ids[1]]


async def test_update_states_of_artifacts(typed: Services) -> None:
    [aid] = await typed.ingest.put_nodes(A, [dataset(state=ArtifactState.PENDING)])
    await typed.ingest.update_states(A, {aid: ArtifactState.LIVE})
    [got] = await typed.nodes.by_ids(A, [aid])
    assert got.state is ArtifactState.LIVE  # type: ignore[union-attr]


async def test_update_states_with_an_unknown_id_changes_nothing(typed: Services, clean_db: Database) -> None:
    [aid] = await typed.ingest.put_nodes(A, [dataset(state=ArtifactState.PENDING)])
    graph = await snapshot(clean_db)
    with pytest.raises(NotFound, match="no-such") as caught:
        await typed.ingest.update_states(A, {aid: ArtifactState.LIVE,
                                            "no-such": ArtifactState.LIVE})
    assert caught.value.field == "id"
    assert await snapshot(clean_db) == graph


async def test_contexts_have_no_state(typed: Services) -> None:
    [cid] = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="p")])
    with pytest.raises(InvalidInput) as caught:
        await typed.ingest.update_states(C, {cid: ArtifactState.LIVE})
    assert caught.value.field == "kind"


# -- bad input: refused, named, and nothing written ---------------------------------------

BAD_VALUES = [
    pytest.param("rows", "12", "expected INT, got str", id="int-given-a-string"),
    pytest.param("rows", 1.5, "expected INT, got float", id="int-given-a-float"),
    pytest.param("rows", True, "expected INT, got bool", id="int-given-a-bool"),
    pytest.param("score", True, "expected DOUBLE, got bool", id="double-given-a-bool"),
    pytest.param("score", "0.5", "expected DOUBLE, got str", id="double-given-a-string"),
    pytest.param("score", float("nan"), "NaN", id="double-given-nan"),
    pytest.param("format", 3, "expected STRING, got int", id="string-given-an-int"),
    pytest.param("public", 1, "expected BOOLEAN, got int", id="boolean-given-an-int"),
    pytest.param("splits", [1, "a"], "expected LIST", id="list-of-mixed-types"),
    pytest.param("splits", [[1], [2]], "expected LIST", id="list-of-lists"),
    pytest.param("splits", [{"a": 1}], "expected LIST", id="list-of-maps"),
    pytest.param("splits", "a", "expected LIST, got str", id="list-given-a-string"),
    pytest.param("format", {"a": 1}, "expected STRING, got map", id="string-given-a-map"),
]


async def prefilled(services: Services) -> tuple[str, str, str]:
    """A small graph that bad writes must leave exactly as it is."""
    [aid] = await services.ingest.put_nodes(A, [dataset(external_id="ds", uri="s3://ds",
                                              properties={"rows": 1})])
    [eid] = await services.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id="run")])
    [cid] = await services.ingest.put_nodes(C, [ContextInput(type="Experiment", name="exp")])
    return aid, eid, cid


async def refused(services: Services, db: Database, error: type[LineageError], field: str,
                  kind: NodeKind, rows: list[Any]) -> LineageError:
    """Put `rows`; assert the error, its field, and that the graph did not change."""
    graph = await snapshot(db)
    with pytest.raises(error) as caught:
        await services.ingest.put_nodes(kind, rows)
    assert caught.value.field == field, caught.value
    assert field in caught.value.message
    assert await snapshot(db) == graph
    return caught.value


@pytest.mark.parametrize(("name", "value", "message"), BAD_VALUES)
async def test_a_wrong_value_type_for_a_declared_property_is_refused(
    typed: Services, name: str, value: Any, message: str, clean_db: Database) -> None:
    await prefilled(typed)
    error = await refused(typed, clean_db, InvalidInput, f"input[0].properties.{name}", A,
                          [dataset(properties={name: value})])
    assert message in error.message


async def test_an_undeclared_property_is_refused(typed: Services, clean_db: Database) -> None:
    await prefilled(typed)
    error = await refused(typed, clean_db, InvalidInput, "input[1].properties.colour", A,
                          [dataset(), dataset(properties={"rows": 1, "colour": "red"})])
    assert "custom properties" in error.message


async def test_a_property_of_another_type_is_undeclared(typed: Services, clean_db: Database) -> None:
    await refused(typed, clean_db, InvalidInput, "input[0].properties.rows", A,
                  [ArtifactInput(type="Model", properties={"rows": 3})])


async def test_an_unknown_type_is_refused(typed: Services, clean_db: Database) -> None:
    await prefilled(typed)
    await refused(typed, clean_db, NotFound, "input[1].type", E,
                  [ExecutionInput(type="Trainer"), ExecutionInput(type="Nope")])
    await refused(typed, clean_db, NotFound, "input[0].type", A,
                  [dataset(type_version="2")])
    await refused(typed, clean_db, NotFound, "input[0].type", C,
                  [ContextInput(type="Dataset", name="not-a-context-type")])


async def test_an_unknown_id_for_update_is_refused(typed: Services, clean_db: Database) -> None:
    await prefilled(typed)
    await refused(typed, clean_db, NotFound, "input[1].id", A,
                  [dataset(uri="s3://new"), dataset(id="no-such-id")])


async def test_an_artifact_id_is_not_an_execution_to_update(typed: Services, clean_db: Database) -> None:
    aid, _, _ = await prefilled(typed)
    await refused(typed, clean_db, NotFound, "input[0].id", E, [ExecutionInput(type="Trainer", id=aid)])


async def test_changing_a_nodes_type_by_id_is_refused(typed: Services, clean_db: Database) -> None:
    aid, _, cid = await prefilled(typed)
    error = await refused(typed, clean_db, Conflict, "input[0].type", A,
                          [ArtifactInput(type="Model", id=aid)])
    assert "'Dataset'" in error.message
    await refused(typed, clean_db, Conflict, "input[0].type", C,
                  [ContextInput(type="Pipeline", name="exp", id=cid)])


async def test_changing_a_nodes_type_by_external_id_is_refused(typed: Services, clean_db: Database) -> None:
    await prefilled(typed)
    await refused(typed, clean_db, Conflict, "input[1].type", A,
                  [dataset(uri="s3://fine"), ArtifactInput(type="Model", external_id="ds")])


async def test_an_external_id_of_another_node_is_refused(typed: Services, clean_db: Database) -> None:
    await prefilled(typed)
    [other] = await typed.ingest.put_nodes(A, [dataset(external_id="other")])
    await refused(typed, clean_db, Conflict, "input[0].externalId", A,
                  [dataset(id=other, external_id="ds")])


async def test_a_context_name_taken_with_another_external_id_is_refused(
    typed: Services, clean_db: Database) -> None:
    await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="p", external_id="one")])
    await refused(typed, clean_db, Conflict, "input[0].name", C,
                  [ContextInput(type="Pipeline", name="p", external_id="two")])


@pytest.mark.parametrize("name", ["bad-name", "1st", "has space", "dot.ted", "", "x" * 129,
                                  "trailing_newline\n", "ünï"])
async def test_an_invalid_custom_property_name_is_refused(typed: Services, name: str,
        clean_db: Database) -> None:
    await prefilled(typed)
    await refused(typed, clean_db, InvalidInput, f"input[0].customProperties.{name}", A,
                  [dataset(custom_properties={name: 1})])


@pytest.mark.parametrize("value", [float("inf"), float("nan"), [0.5, float("-inf")],
                                   {"a": [float("nan")]}], ids=["inf", "nan", "list", "map"])
async def test_a_non_finite_custom_double_is_refused(typed: Services, value: Any, clean_db: Database) -> None:
    await refused(typed, clean_db, InvalidInput, "input[0].customProperties.loss", E,
                  [ExecutionInput(type="Trainer", custom_properties={"loss": value})])


async def test_a_batch_whose_last_row_is_bad_writes_nothing(typed: Services, clean_db: Database) -> None:
    aid, _, _ = await prefilled(typed)
    good = [
        dataset(id=aid, uri="s3://changed", properties={"rows": 99}),  # an update
        dataset(external_id="ds", uri="s3://changed-again"),  # an upsert of the same node
        *(dataset(external_id=f"new-{i}", properties={"rows": i}) for i in range(5)),
    ]
    bad_rows = [
        (dataset(properties={"rows": "many"}), InvalidInput, "properties.rows"),
        (dataset(properties={"colour": "red"}), InvalidInput, "properties.colour"),
        (ArtifactInput(type="Nope"), NotFound, "type"),
        (dataset(id="no-such-id"), NotFound, "id"),
        (ArtifactInput(type="Model", external_id="ds"), Conflict, "type"),
        (dataset(custom_properties={"a-b": 1}), InvalidInput, "customProperties.a-b"),
    ]
    last = len(good)
    for row, error, field in bad_rows:
        await refused(typed, clean_db, error, f"input[{last}].{field}", A, [*good, row])
    [stored] = await typed.nodes.by_ids(A, [aid])
    assert (stored.uri, stored.properties) == ("s3://ds", {"rows": 1})  # type: ignore[union-attr]
    assert await count_nodes(clean_db, "Artifact") == 1


async def test_a_batch_of_the_wrong_kind_is_refused(typed: Services, clean_db: Database) -> None:
    await refused(typed, clean_db, InvalidInput, "input[1]", A,
                  [dataset(), ExecutionInput(type="Trainer")])


# -- versions, renames and empty requests -------------------------------------------------


async def test_a_versioned_type_round_trips_on_the_node(typed: Services, clean_db: Database) -> None:
    await typed.types.put(E, TypeInput(name="Trainer", version="2", properties={"x": P.INT}))
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", type_version="2",
                                                     properties={"x": 1})])
    [got] = await typed.nodes.by_ids(E, [eid])
    assert (got.type, got.type_version, got.properties) == ("Trainer", "2", {"x": 1})
    rows = await cypher(clean_db, "MATCH (:Execution {id: $id})-[:OF_TYPE]->(t) "
                               "RETURN t.name AS name, t.version AS version", id=eid)
    assert rows == [{"name": "Trainer", "version": "2"}]


async def test_changing_a_nodes_type_version_is_refused(typed: Services, clean_db: Database) -> None:
    await typed.types.put(E, TypeInput(name="Trainer", version="2", properties={"x": P.INT}))
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id="run")])
    await refused(typed, clean_db, Conflict, "input[0].type", E,
                  [ExecutionInput(type="Trainer", type_version="2", id=eid)])
    await refused(typed, clean_db, Conflict, "input[0].type", E,
                  [ExecutionInput(type="Trainer", type_version="2", external_id="run")])


async def test_renaming_a_context_onto_a_taken_name_is_refused(typed: Services, clean_db: Database) -> None:
    first, _ = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="a"),
                                         ContextInput(type="Pipeline", name="b")])
    graph = await snapshot(clean_db)
    with pytest.raises(Conflict):
        await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="b", id=first)])
    assert await snapshot(clean_db) == graph


async def test_empty_requests_are_answered_empty(typed: Services) -> None:
    assert await typed.ingest.put_nodes(A, []) == []
    assert await typed.nodes.by_ids(A, []) == []
    assert await typed.nodes.by_external_ids(E, []) == []
    assert await typed.nodes.contexts_by_type_and_name([]) == []
    assert await typed.ingest.update_states(E, {}) == []
    assert await typed.nodes.by_ids(A, ["nope"]) == []


@pytest.mark.parametrize(("kind", "state"), [
    (E, ArtifactState.LIVE), (A, ExecutionState.RUNNING), (A, "BOGUS"),
], ids=["artifact-state-on-execution", "execution-state-on-artifact", "unknown-state"])
async def test_update_states_refuses_a_state_of_another_kind(
    typed: Services, kind: NodeKind, state: Any, clean_db: Database) -> None:
    [nid] = await typed.ingest.put_nodes(kind, [dataset() if kind is A
                                         else ExecutionInput(type="Trainer")])
    graph = await snapshot(clean_db)
    with pytest.raises(InvalidInput) as caught:
        await typed.ingest.update_states(kind, {nid: state})
    assert caught.value.field == f"states.{nid}"
    assert await snapshot(clean_db) == graph
    [node] = await typed.nodes.by_ids(kind, [nid])  # still readable
    assert node.state.value == "UNKNOWN"  # type: ignore[union-attr]
