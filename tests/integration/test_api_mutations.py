"""MLMD's write surface as GraphQL mutations, over HTTP against the running server.

Every mutation is read back (through the read queries, or the store and Cypher where no read
query exists yet), re-sent to check idempotency, and given bad input to check the error code,
the field it names, and that the graph did not change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from graph_api.model.enums import EventType, NodeKind
from graph_api.model.relations import Event
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.api import Api
from tests.integration.graph_probe import count_nodes, cypher, edge_count, snapshot

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT

#: One declared property of each of the six property types.
SCHEMA = {"rows": "INT", "score": "DOUBLE", "format": "STRING", "public": "BOOLEAN",
          "meta": "STRUCT", "splits": "LIST"}
PROPERTIES: dict[str, Any] = {
    "rows": 1200, "score": 0.875, "format": "csv", "public": True,
    "meta": {"source": {"db": "pg", "tables": ["a", "b"]}, "sizes": [1, [2, 3], {"x": None}]},
    "splits": ["train", "eval", "test"],
}
CUSTOM: dict[str, Any] = {
    "owner": "ann", "epochs": 3, "flag": False, "tags": ["x", "y"],
    "nested": {"a": {"b": [1, 2, {"c": "d"}]}}, "mixed": [1, "two", None],
}
LEAKS = ("Traceback", "MATCH", "neo4j")

TYPE_FIELDS = "id kind name version baseType description properties { name type }"
NODE_FIELDS = "id externalId typeName typeVersion name properties customProperties"

PUT_TYPE = """mutation($input: TypeDefinitionInput!) {
  put%sType(input: $input) { %s }
}"""
PUT_ARTIFACTS = "mutation($input: [ArtifactInput!]!) { putArtifacts(input: $input) }"
PUT_EXECUTIONS = "mutation($input: [ExecutionInput!]!) { putExecutions(input: $input) }"
PUT_CONTEXTS = "mutation($input: [ContextInput!]!) { putContexts(input: $input) }"
PUT_EVENTS = "mutation($input: [EventInput!]!) { putEvents(input: $input) }"
PUT_MEMBERSHIPS = """mutation($attributions: [AttributionInput!], $associations: [AssociationInput!]) {
  putAttributionsAndAssociations(attributions: $attributions, associations: $associations)
}"""
PUT_PARENTS = "mutation($input: [ParentContextInput!]!) { putParentContexts(input: $input) }"
PUT_EXECUTION = """mutation($execution: ExecutionInput!, $events: [ArtifactEventInput!],
                   $contexts: [ContextInput!]) {
  putExecution(execution: $execution, artifactEvents: $events, contexts: $contexts) {
    executionId artifactIds contextIds
  }
}"""
UPDATE_ARTIFACT_STATES = """mutation($states: [ArtifactStateInput!]!) {
  updateArtifactStates(states: $states)
}"""
UPDATE_EXECUTION_STATES = """mutation($states: [ExecutionStateInput!]!) {
  updateExecutionStates(states: $states)
}"""
ARTIFACT = f"query($id: ID!) {{ artifact(id: $id) {{ {NODE_FIELDS} uri state }} }}"
EXECUTION = f"query($id: ID!) {{ execution(id: $id) {{ {NODE_FIELDS} state }} }}"
CONTEXT = f"query($type: String!, $name: String!) {{ context(type: $type, name: $name) {{ {NODE_FIELDS} }} }}"


# -- helpers ---------------------------------------------------------------------------------


def answer(api: Api, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole answer; no error message may leak a stack trace, Cypher or the driver."""
    result = api.graphql(query, variables)
    for error in result.get("errors") or []:
        for leak in LEAKS:
            assert leak.lower() not in error["message"].lower(), error
    return result


def data(api: Api, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    result = answer(api, query, variables)
    assert not result.get("errors"), result["errors"]
    out: dict[str, Any] = result["data"]
    return out


async def refused(api: Api, db: Database, query: str, variables: dict[str, Any] | None,
                  code: str, field: str | None = None) -> dict[str, Any]:
    """Send a bad request: one error with `code` naming `field`, and the graph unchanged."""
    before = await snapshot(db)
    result = answer(api, query, variables)
    assert result.get("errors"), result
    [error] = result["errors"]
    assert error["extensions"]["code"] == code, error
    if field is not None:
        assert error["extensions"].get("field") == field, error
        assert error["message"].startswith(f"{field}:"), error
    assert await snapshot(db) == before
    return error


def type_spec(name: str, properties: dict[str, str] | None = None, **extra: Any
              ) -> dict[str, Any]:
    return {"name": name, **extra,
            "properties": [{"name": k, "type": v} for k, v in (properties or {}).items()]}


def put_type(api: Api, kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = data(api, PUT_TYPE % (kind, TYPE_FIELDS), {"input": spec})[
        f"put{kind}Type"]
    return out


def put(api: Api, query: str, rows: list[dict[str, Any]]) -> list[str]:
    [ids] = data(api, query, {"input": rows}).values()
    assert isinstance(ids, list)
    return ids


def expected_node(row: dict[str, Any], node_id: str, **defaults: Any) -> dict[str, Any]:
    """What reading back a node written from `row` must give."""
    out = {"id": node_id, "externalId": None, "typeVersion": None, "name": None,
           "properties": {}, "customProperties": {}, **defaults}
    out.update({k: v for k, v in row.items() if k != "type"})
    out["typeName"] = row["type"]
    for key in ("properties", "customProperties"):  # null values are not stored
        out[key] = {k: v for k, v in out[key].items() if v is not None}
    return out


@pytest.fixture
def graph(api: Api, database: Database) -> Services:
    """A store on the server's (emptied) database, to probe what the mutations wrote."""
    return Services.create(database)


@pytest.fixture
def typed(api: Api, graph: Services) -> Services:
    """Types registered through the API: Dataset/Model, Trainer, Experiment/Pipeline."""
    put_type(api, "Artifact", type_spec("Dataset", SCHEMA, baseType="DATASET"))
    put_type(api, "Artifact", type_spec("Model", {"layers": "INT"}))
    put_type(api, "Execution", type_spec("Trainer", {**SCHEMA, "lr": "DOUBLE"}))
    put_type(api, "Context", type_spec("Experiment", SCHEMA))
    put_type(api, "Context", type_spec("Pipeline"))
    return graph


def new_artifacts(api: Api, n: int, prefix: str = "a") -> list[str]:
    return put(api, PUT_ARTIFACTS, [{"type": "Dataset", "externalId": f"{prefix}{i}"}
                                    for i in range(n)])


def new_executions(api: Api, n: int, prefix: str = "e") -> list[str]:
    return put(api, PUT_EXECUTIONS, [{"type": "Trainer", "externalId": f"{prefix}{i}"}
                                     for i in range(n)])


def new_contexts(api: Api, *names: str) -> list[str]:
    return put(api, PUT_CONTEXTS, [{"type": "Experiment", "name": n} for n in names])


async def edges(db: Database, rel: str) -> list[tuple[str, str]]:
    rows = await cypher(db, f"MATCH (a)-[:{rel}]->(b) RETURN a.id AS a, b.id AS b")
    return sorted((r["a"], r["b"]) for r in rows)


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


# -- events, memberships, parent contexts ----------------------------------------------------


async def test_events_round_trip_and_resending_them_is_a_no_op(
    api: Api, typed: Services
, clean_db: Database) -> None:
    aids = new_artifacts(api, 3)
    [eid] = new_executions(api, 1)
    at = datetime(2026, 3, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    sent = [
        {"artifactId": aids[0], "executionId": eid, "type": "INPUT", "path": ["train", 0],
         "timestamp": at.isoformat()},
        {"artifactId": aids[1], "executionId": eid, "type": "DECLARED_INPUT",
         "timestamp": "2026-03-01T12:30:15"},
        {"artifactId": aids[2], "executionId": eid, "type": "OUTPUT", "path": ["model"]},
    ]
    before = int(datetime.now(UTC).timestamp() * 1000)
    assert data(api, PUT_EVENTS, {"input": sent}) == {"putEvents": True}
    ms = int(at.timestamp() * 1000)
    got = (await typed.nodes.events_of(E, [eid]))[eid]
    written_now = next(e.timestamp for e in got if e.type is EventType.OUTPUT)
    assert written_now >= before
    assert sorted(got, key=lambda e: e.artifact_id) == [
        Event(artifact_id=aids[0], execution_id=eid, type=EventType.INPUT,
              path=["train", 0], timestamp=ms),
        Event(artifact_id=aids[1], execution_id=eid, type=EventType.DECLARED_INPUT,
              timestamp=ms - 250),
        Event(artifact_id=aids[2], execution_id=eid, type=EventType.OUTPUT, path=["model"],
              timestamp=written_now),
    ]
    assert await edges(clean_db, "INPUT") == sorted([(aids[0], eid), (aids[1], eid)])
    assert await edges(clean_db, "OUTPUT") == [(eid, aids[2])]
    total = await edge_count(clean_db)
    assert data(api, PUT_EVENTS, {"input": sent}) == {"putEvents": True}
    assert await edge_count(clean_db) == total


async def test_bad_events_are_refused(api: Api, typed: Services, clean_db: Database) -> None:
    [aid] = new_artifacts(api, 1)
    [eid] = new_executions(api, 1)
    ok = {"artifactId": aid, "executionId": eid, "type": "INPUT"}
    await refused(api, clean_db, PUT_EVENTS, {"input": [ok, {**ok, "executionId": "ghost"}]},
                  "NOT_FOUND", "input[1].executionId")
    await refused(api, clean_db, PUT_EVENTS, {"input": [{**ok, "artifactId": "ghost",
                                                      "type": "OUTPUT"}]},
                  "NOT_FOUND", "input[0].artifactId")
    for step in (1.5, {"k": 1}, True, [0], None):
        await refused(api, clean_db, PUT_EVENTS, {"input": [{**ok, "path": ["a", step]}]},
                      "BAD_USER_INPUT", "input[0].path[1]")
    await refused(api, clean_db, f'mutation {{ putEvents(input: [{{artifactId: "{aid}", '
                  f'executionId: "{eid}", type: INPUTS}}]) }}', None, "BAD_USER_INPUT")


async def test_attributions_and_associations_round_trip_idempotently(
    api: Api, typed: Services
, clean_db: Database) -> None:
    aids = new_artifacts(api, 2)
    [eid] = new_executions(api, 1)
    cids = new_contexts(api, "one", "two")
    attributions = [{"artifactId": a, "contextId": c} for a in aids for c in cids]
    associations = [{"executionId": eid, "contextId": cids[1]}]
    variables = {"attributions": attributions, "associations": associations}
    assert data(api, PUT_MEMBERSHIPS, variables) == {"putAttributionsAndAssociations": True}
    assert await edges(clean_db, "ATTRIBUTED_TO") == sorted((a, c) for a in aids for c in cids)
    assert await edges(clean_db, "ASSOCIATED_WITH") == [(eid, cids[1])]
    of_artifacts = await typed.nodes.contexts_of(A, aids)
    assert {a: [c.id for c in cs] for a, cs in of_artifacts.items()} == {
        a: sorted(cids) for a in aids}
    total = await edge_count(clean_db)
    assert data(api, PUT_MEMBERSHIPS, variables) == {"putAttributionsAndAssociations": True}
    assert data(api, PUT_MEMBERSHIPS, {"associations": associations}) == {
        "putAttributionsAndAssociations": True}
    assert await edge_count(clean_db) == total

    await refused(api, clean_db, PUT_MEMBERSHIPS, {"attributions": [
        {"artifactId": aids[0], "contextId": cids[0]}, {"artifactId": aids[1], "contextId": "x"}
    ]}, "NOT_FOUND", "attributions[1].contextId")
    await refused(api, clean_db, PUT_MEMBERSHIPS, {"associations": [
        {"executionId": aids[0], "contextId": cids[0]}]}, "NOT_FOUND",
        "associations[0].executionId")


async def test_parent_contexts_round_trip_and_cycles_are_refused(
    api: Api, typed: Services, clean_db: Database) -> None:
    project, exp, run = new_contexts(api, "project", "experiment", "run")
    links = [{"childId": exp, "parentId": project}, {"childId": run, "parentId": exp}]
    assert data(api, PUT_PARENTS, {"input": links}) == {"putParentContexts": True}
    assert await edges(clean_db, "CHILD_OF") == sorted([(exp, project), (run, exp)])
    parents = await typed.nodes.parents_of([exp, run, project])
    assert {k: [c.id for c in v] for k, v in parents.items()} == {
        exp: [project], run: [exp], project: []}
    assert data(api, PUT_PARENTS, {"input": links}) == {"putParentContexts": True}
    assert await edges(clean_db, "CHILD_OF") == sorted([(exp, project), (run, exp)])

    [other] = new_contexts(api, "other")
    error = await refused(api, clean_db, PUT_PARENTS, {"input": [
        {"childId": other, "parentId": run}, {"childId": project, "parentId": run}]},
        "CONFLICT", "input[1]")
    assert "own ancestor" in error["message"]
    await refused(api, clean_db, PUT_PARENTS, {"input": [{"childId": run, "parentId": run}]},
                  "CONFLICT", "input[0].parentId")
    await refused(api, clean_db, PUT_PARENTS, {"input": [
        {"childId": other, "parentId": project}, {"childId": other, "parentId": "ghost"}]},
        "NOT_FOUND", "input[1].parentId")


# -- putExecution ----------------------------------------------------------------------------


def step_variables(data_id: str) -> dict[str, Any]:
    return {
        "execution": {"type": "Trainer", "externalId": "run-42", "name": "xgb",
                      "state": "COMPLETE", "properties": {"lr": 0.1}},
        "events": [
            {"artifactId": data_id, "event": {"type": "INPUT", "path": ["train"]}},
            {"artifact": {"type": "Model", "externalId": "model-42", "uri": "s3://m/42",
                          "properties": {"layers": 8}},
             "event": {"type": "OUTPUT", "path": ["model", 0]}},
            {"artifact": {"type": "Dataset", "externalId": "metrics-42"},
             "event": {"type": "DECLARED_OUTPUT"}},
        ],
        "contexts": [{"type": "Experiment", "name": "baseline"},
                     {"type": "Pipeline", "name": "nightly", "externalId": "nightly"}],
    }


async def test_put_execution_writes_a_step_and_resending_it_writes_nothing(
    api: Api, typed: Services
, clean_db: Database) -> None:
    [data_id] = new_artifacts(api, 1)
    variables = step_variables(data_id)
    result = data(api, PUT_EXECUTION, variables)["putExecution"]
    eid, aids, cids = result["executionId"], result["artifactIds"], result["contextIds"]
    assert aids[0] == data_id and len(set(aids)) == 3 and len(set(cids)) == 2

    got = data(api, EXECUTION, {"id": eid})["execution"]
    assert got == expected_node(variables["execution"], eid)
    model = data(api, ARTIFACT, {"id": aids[1]})["artifact"]
    assert model == expected_node(variables["events"][1]["artifact"], aids[1], state="UNKNOWN")
    for ctx, cid in zip(variables["contexts"], cids, strict=True):
        assert data(api, CONTEXT, {"type": ctx["type"], "name": ctx["name"]})["context"][
            "id"] == cid
    events = (await typed.nodes.events_of(E, [eid]))[eid]
    assert sorted((e.artifact_id, e.type.value, e.path) for e in events) == sorted([
        (aids[0], "INPUT", ["train"]), (aids[1], "OUTPUT", ["model", 0]),
        (aids[2], "DECLARED_OUTPUT", [])])
    assert await edges(clean_db, "ATTRIBUTED_TO") == sorted((a, c) for a in aids for c in cids)
    assert await edges(clean_db, "ASSOCIATED_WITH") == sorted((eid, c) for c in cids)

    counts = [await count_nodes(clean_db, label) for label in ("Artifact", "Execution", "Context")]
    total = await edge_count(clean_db)
    assert counts == [3, 1, 2]
    assert data(api, PUT_EXECUTION, variables)["putExecution"] == result
    assert [await count_nodes(clean_db, label)
            for label in ("Artifact", "Execution", "Context")] == counts
    assert await edge_count(clean_db) == total


async def test_a_bad_put_execution_writes_nothing(api: Api, typed: Services, clean_db: Database) -> None:
    [data_id] = new_artifacts(api, 1)
    good = step_variables(data_id)

    def with_event(i: int, event: dict[str, Any]) -> dict[str, Any]:
        events = list(good["events"])
        events[i] = event
        return {**good, "events": events}

    both = {**good["events"][1], "artifactId": data_id}
    await refused(api, clean_db, PUT_EXECUTION, with_event(1, both), "BAD_USER_INPUT",
                  "artifactEvents[1]")
    await refused(api, clean_db, PUT_EXECUTION, with_event(1, {"event": {"type": "OUTPUT"}}),
                  "BAD_USER_INPUT", "artifactEvents[1]")
    await refused(api, clean_db, PUT_EXECUTION,
                  with_event(0, {"artifactId": "ghost", "event": {"type": "INPUT"}}),
                  "NOT_FOUND", "artifactEvents[0].artifactId")
    bad_artifact = {**good["events"][1]["artifact"], "properties": {"layers": "deep"}}
    await refused(api, clean_db, PUT_EXECUTION,
                  with_event(1, {**good["events"][1], "artifact": bad_artifact}),
                  "BAD_USER_INPUT", "artifactEvents[1].artifact.properties.layers")
    await refused(api, clean_db, PUT_EXECUTION,
                  with_event(1, {**good["events"][1], "event": {"type": "OUTPUT",
                                                                "path": [None]}}),
                  "BAD_USER_INPUT", "artifactEvents[1].event.path[0]")
    await refused(api, clean_db, PUT_EXECUTION,
                  with_event(1, {**good["events"][1], "event": {"type": "OUTPUT",
                                                                "path": [0.5]}}),
                  "BAD_USER_INPUT", "artifactEvents[1].event.path[0]")
    await refused(api, clean_db, PUT_EXECUTION,
                  {**good, "execution": {**good["execution"], "properties": ["lr"]}},
                  "BAD_USER_INPUT", "execution.properties")
    await refused(api, clean_db, PUT_EXECUTION,
                  {**good, "execution": {**good["execution"], "type": "Nope"}},
                  "NOT_FOUND", "execution.type")
    await refused(api, clean_db, PUT_EXECUTION,
                  {**good, "contexts": [*good["contexts"], {"type": "Nope", "name": "x"}]},
                  "NOT_FOUND", "contexts[2].type")
    assert await count_nodes(clean_db, "Execution") == 0
