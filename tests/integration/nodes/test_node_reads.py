"""Reads of nodes, bad input (refused, named, nothing written), versions and renames."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graph_api.errors import Conflict, InvalidInput, LineageError, NotFound
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.graph_probe import count_nodes, cypher, snapshot
from tests.integration.nodes.helpers import (
    A,
    C,
    E,
    P,
    dataset,
)

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
