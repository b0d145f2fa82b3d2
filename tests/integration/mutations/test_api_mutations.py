"""Types, nodes and states as GraphQL mutations, over HTTP against the running server.

Every mutation is read back, re-sent to check idempotency, and given bad input to check the
error code, the field it names, and that the graph did not change.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.api import Api
from tests.integration.graph_probe import count_nodes, edge_count
from tests.integration.mutations.helpers import (
    ARTIFACT,
    CONTEXT,
    CUSTOM,
    EXECUTION,
    PROPERTIES,
    PUT_ARTIFACTS,
    PUT_CONTEXTS,
    PUT_EVENTS,
    PUT_EXECUTIONS,
    PUT_TYPE,
    SCHEMA,
    TYPE_FIELDS,
    UPDATE_ARTIFACT_STATES,
    UPDATE_EXECUTION_STATES,
    data,
    expected_node,
    new_artifacts,
    new_executions,
    put,
    put_type,
    refused,
    type_spec,
)

# -- types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "base_type"), [("Artifact", "MODEL"), ("Execution", "TRAIN"),
                                                 ("Context", None)])
async def test_a_type_round_trips_and_reregistering_it_is_a_no_op(
    api: Api, graph: Services, kind: str, base_type: str | None
, clean_db: Database) -> None:
    spec = type_spec("Thing", SCHEMA, version="2", baseType=base_type,
                     description="a thing with every property type")
    stored = put_type(api, kind, spec)
    expected = {"kind": kind.upper(), "name": "Thing", "version": "2", "baseType": base_type,
                "description": spec["description"],
                "properties": sorted(spec["properties"], key=lambda p: p["name"])}
    assert {k: v for k, v in stored.items() if k != "id"} == expected
    field = f"{kind.lower()}Types"
    assert data(api, f"{{ {field} {{ {TYPE_FIELDS} }} }}") == {field: [stored]}
    assert put_type(api, kind, spec) == stored
    assert await count_nodes(clean_db, f"{kind}Type") == 1


async def test_types_evolve_by_mlmd_rules(api: Api, graph: Services, clean_db: Database) -> None:
    put_type(api, "Artifact", type_spec("Model", {"layers": "INT"}))
    grown = type_spec("Model", {"layers": "INT", "loss": "DOUBLE"})
    query = PUT_TYPE % ("Artifact", TYPE_FIELDS)
    error = await refused(api, clean_db, query, {"input": grown}, "CONFLICT", "input.properties")
    assert "loss" in error["message"] and "canAddFields" in error["message"]
    assert put_type(api, "Artifact", {**grown, "canAddFields": True})["properties"] == [
        {"name": "layers", "type": "INT"}, {"name": "loss", "type": "DOUBLE"}]

    shrunk = type_spec("Model", {"layers": "INT"})
    error = await refused(api, clean_db, query, {"input": shrunk}, "CONFLICT", "input.properties")
    assert "loss" in error["message"] and "canOmitFields" in error["message"]
    kept = put_type(api, "Artifact", {**shrunk, "canOmitFields": True})
    assert [p["name"] for p in kept["properties"]] == ["layers", "loss"]

    changed = {**type_spec("Model", {"layers": "STRING"}), "canAddFields": True,
               "canOmitFields": True}
    error = await refused(api, clean_db, query, {"input": changed}, "CONFLICT",
                          "input.properties.layers")
    assert "INT" in error["message"] and "STRING" in error["message"]


async def test_bad_type_definitions_are_refused(api: Api, graph: Services, clean_db: Database) -> None:
    query = PUT_TYPE % ("Artifact", "id")
    await refused(api, clean_db, query, {"input": type_spec("Model", baseType="TRAIN")},
                  "BAD_USER_INPUT", "input.baseType")
    twice = {"name": "Model", "properties": [{"name": "x", "type": "INT"},
                                             {"name": "x", "type": "STRING"}]}
    await refused(api, clean_db, query, {"input": twice}, "BAD_USER_INPUT",
                  "input.properties[1].name")
    await refused(api, clean_db, query, {"input": type_spec("Model", {"1x": "INT"})},
                  "BAD_USER_INPUT", "input.properties.1x")
    await refused(api, clean_db, query, {"input": type_spec("")}, "BAD_USER_INPUT", "input.name")
    await refused(api, clean_db, 'mutation { putArtifactType(input: {name: "M", properties: '
                  '[{name: "x", type: DECIMAL}]}) { id } }', None, "BAD_USER_INPUT")
    assert await count_nodes(clean_db, "ArtifactType") == 0


# -- nodes -----------------------------------------------------------------------------------


async def test_artifacts_round_trip_in_input_order(api: Api, typed: Services, clean_db: Database) -> None:
    rows = [
        {"type": "Dataset", "uri": "s3://d/1", "name": "one", "state": "LIVE",
         "externalId": "d1", "properties": PROPERTIES, "customProperties": CUSTOM},
        {"type": "Model", "properties": {"layers": 12}, "state": "PENDING"},
        {"type": "Dataset", "properties": {"score": 1, "rows": None}},
    ]
    ids = put(api, PUT_ARTIFACTS, rows)
    assert len(set(ids)) == 3
    for row, node_id in zip(rows, ids, strict=True):
        got = data(api, ARTIFACT, {"id": node_id})["artifact"]
        assert got == expected_node(row, node_id, uri=None, state="UNKNOWN")
    assert await count_nodes(clean_db, "Artifact") == 3


async def test_executions_and_contexts_round_trip(api: Api, typed: Services) -> None:
    executions = [{"type": "Trainer", "name": "run", "state": "RUNNING",
                   "properties": {**PROPERTIES, "lr": 0.1}, "customProperties": CUSTOM},
                  {"type": "Trainer", "externalId": "e-2"}]
    for row, node_id in zip(executions, put(api, PUT_EXECUTIONS, executions), strict=True):
        got = data(api, EXECUTION, {"id": node_id})["execution"]
        assert got == expected_node(row, node_id, state="UNKNOWN")
    contexts = [{"type": "Experiment", "name": "baseline", "properties": PROPERTIES,
                 "customProperties": CUSTOM, "externalId": "x-1"},
                {"type": "Pipeline", "name": "nightly"}]
    for row, node_id in zip(contexts, put(api, PUT_CONTEXTS, contexts), strict=True):
        got = data(api, CONTEXT, {"type": row["type"], "name": row["name"]})["context"]
        assert got == expected_node(row, node_id)


async def test_a_row_with_an_id_replaces_the_node(api: Api, typed: Services, clean_db: Database) -> None:
    [node_id] = put(api, PUT_ARTIFACTS, [{"type": "Dataset", "uri": "s3://old", "name": "x",
                                          "properties": {"rows": 1}}])
    update = {"id": node_id, "type": "Dataset", "uri": "s3://new", "state": "LIVE",
              "properties": {"format": "parquet"}, "customProperties": {"note": "moved"}}
    assert put(api, PUT_ARTIFACTS, [update]) == [node_id]
    got = data(api, ARTIFACT, {"id": node_id})["artifact"]
    assert got == expected_node({k: v for k, v in update.items() if k != "id"}, node_id)
    assert await count_nodes(clean_db, "Artifact") == 1


async def test_resending_nodes_with_external_ids_creates_nothing(
    api: Api, typed: Services
, clean_db: Database) -> None:
    artifacts = [{"type": "Dataset", "externalId": f"d{i}", "properties": {"rows": i}}
                 for i in range(5)]
    contexts = [{"type": "Experiment", "name": "exp"}, {"type": "Pipeline", "name": "p",
                                                        "externalId": "p"}]
    first = (put(api, PUT_ARTIFACTS, artifacts), put(api, PUT_CONTEXTS, contexts),
             put(api, PUT_EXECUTIONS, [{"type": "Trainer", "externalId": "run"}]))
    counts = [await count_nodes(clean_db, label) for label in ("Artifact", "Execution", "Context")]
    edge_total = await edge_count(clean_db)
    again = (put(api, PUT_ARTIFACTS, artifacts), put(api, PUT_CONTEXTS, contexts),
             put(api, PUT_EXECUTIONS, [{"type": "Trainer", "externalId": "run"}]))
    assert again == first
    assert counts == [5, 1, 2]
    assert [await count_nodes(clean_db, label)
            for label in ("Artifact", "Execution", "Context")] == counts
    assert await edge_count(clean_db) == edge_total


async def test_bad_node_rows_are_refused_and_nothing_is_written(
    api: Api, typed: Services
, clean_db: Database) -> None:
    [existing] = put(api, PUT_ARTIFACTS, [{"type": "Model", "externalId": "m"}])
    ok = {"type": "Dataset", "properties": {"rows": 1}}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"type": "Nope"}, "NOT_FOUND", "input[2].type"),
        ({"type": "Dataset", "properties": {"rows": "many"}}, "BAD_USER_INPUT",
         "input[2].properties.rows"),
        ({"type": "Dataset", "properties": {"undeclared": 1}}, "BAD_USER_INPUT",
         "input[2].properties.undeclared"),
        ({"type": "Dataset", "properties": [1, 2]}, "BAD_USER_INPUT", "input[2].properties"),
        ({"type": "Dataset", "properties": "rows=1"}, "BAD_USER_INPUT", "input[2].properties"),
        ({"type": "Dataset", "customProperties": 3}, "BAD_USER_INPUT",
         "input[2].customProperties"),
        ({"type": "Dataset", "customProperties": {"bad name": 1}}, "BAD_USER_INPUT",
         "input[2].customProperties.bad name"),
        ({"type": "Dataset", "id": "no-such-id"}, "NOT_FOUND", "input[2].id"),
        ({"type": "Dataset", "externalId": "m"}, "CONFLICT", "input[2].type"),
        ({"type": "Dataset", "externalId": ""}, "BAD_USER_INPUT", "input[2].externalId"),
    ]
    for bad, code, field in cases:
        rows = [ok, {**ok, "externalId": "fresh"}, bad]
        await refused(api, clean_db, PUT_ARTIFACTS, {"input": rows}, code, field)
    error = await refused(api, clean_db, PUT_EXECUTIONS, {"input": [
        {"type": "Trainer"}, {"type": "Trainer"}, {"type": "Trainer", "properties": {"lr": "fast"}},
    ]}, "BAD_USER_INPUT", "input[2].properties.lr")
    assert error["message"] == "input[2].properties.lr: expected DOUBLE, got str"
    await refused(api, clean_db, PUT_CONTEXTS, {"input": [{"type": "Pipeline", "name": ""}]},
                  "BAD_USER_INPUT", "input[0].name")
    assert [a["id"] for a in data(api, "{ artifact(externalId: \"m\") { id } }").values()] == [
        existing]
    assert await count_nodes(clean_db, "Artifact") == 1


async def test_a_bad_enum_literal_is_bad_user_input(api: Api, typed: Services, clean_db: Database) -> None:
    await refused(api, clean_db, 'mutation { putArtifacts(input: [{type: "Dataset", '
                  "state: BROKEN}]) }", None, "BAD_USER_INPUT")
    await refused(api, clean_db, 'mutation { updateExecutionStates(states: [{id: "x", '
                  "state: LIVE}]) }", None, "BAD_USER_INPUT")


async def test_a_bad_enum_or_time_in_variables_is_bad_user_input(
    api: Api, typed: Services, clean_db: Database) -> None:
    await refused(api, clean_db, UPDATE_ARTIFACT_STATES, {"states": [{"id": "x", "state": "NOPE"}]},
                  "BAD_USER_INPUT")
    await refused(api, clean_db, PUT_EVENTS, {"input": [{
        "artifactId": "a", "executionId": "e", "type": "INPUT", "timestamp": "yesterday"}]},
        "BAD_USER_INPUT")


# -- states ----------------------------------------------------------------------------------


async def test_states_update_and_unknown_ids_are_refused(api: Api, typed: Services,
        clean_db: Database) -> None:
    aids = new_artifacts(api, 3)
    [eid] = new_executions(api, 1)
    states = [{"id": aids[2], "state": "LIVE"}, {"id": aids[0], "state": "DELETED"}]
    assert data(api, UPDATE_ARTIFACT_STATES, {"states": states}) == {
        "updateArtifactStates": [aids[2], aids[0]]}
    got = {i: data(api, ARTIFACT, {"id": i})["artifact"]["state"] for i in aids}
    assert got == {aids[0]: "DELETED", aids[1]: "UNKNOWN", aids[2]: "LIVE"}
    assert data(api, UPDATE_EXECUTION_STATES, {"states": [{"id": eid, "state": "COMPLETE"}]}
                ) == {"updateExecutionStates": [eid]}
    assert data(api, EXECUTION, {"id": eid})["execution"]["state"] == "COMPLETE"

    await refused(api, clean_db, UPDATE_ARTIFACT_STATES, {"states": [
        {"id": aids[1], "state": "LIVE"}, {"id": "ghost", "state": "LIVE"}]},
        "NOT_FOUND", "states[1].id")
    await refused(api, clean_db, UPDATE_EXECUTION_STATES, {"states": [
        {"id": aids[1], "state": "FAILED"}]}, "NOT_FOUND", "states[0].id")


