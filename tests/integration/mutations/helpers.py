"""What the mutation tests share: documents, sample properties, and helpers that send,
read back and probe."""

from __future__ import annotations

from typing import Any

from graph_api.model.enums import NodeKind
from graph_api.store.connection import Database
from tests.integration.api import Api
from tests.integration.graph_probe import cypher, snapshot

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
