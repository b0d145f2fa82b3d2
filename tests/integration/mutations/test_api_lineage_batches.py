"""putLineageSubgraph over HTTP: a batch of steps with their events and memberships in one
request, one transaction and one statement; re-sent, it writes nothing new; a bad row
anywhere in it is refused naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.api import Api, statements
from tests.integration.graph_probe import count_nodes, edge_count
from tests.integration.mutations.helpers import (
    EXECUTION,
    SCHEMA,
    A,
    data,
    edges,
    new_artifacts,
    put_type,
    refused,
    type_spec,
)

PUT_LINEAGE = """mutation($c: [ContextInput!], $a: [ArtifactInput!], $x: [ExecutionInput!],
                   $e: [LineageEventInput!], $at: [LineageAttributionInput!],
                   $as: [LineageAssociationInput!]) {
  putLineageSubgraph(contexts: $c, artifacts: $a, executions: $x, events: $e,
                     attributions: $at, associations: $as) {
    contextIds artifactIds executionIds
  }
}"""
STEPS = 5


def batch(raw_id: str, prefix: str = "s") -> dict[str, Any]:
    """A chain of `STEPS` steps in one context: step 0 reads the stored raw dataset (by
    id), each later step the previous step's output (by position)."""
    events: list[dict[str, Any]] = []
    for s in range(STEPS):
        source = {"artifactId": raw_id} if s == 0 else {"artifactIndex": s - 1}
        events += [{**source, "executionIndex": s, "type": "INPUT", "path": ["in"]},
                   {"artifactIndex": s, "executionIndex": s, "type": "OUTPUT"}]
    return {
        "c": [{"type": "Pipeline", "name": f"{prefix}-run", "externalId": f"{prefix}-run"}],
        "a": [{"type": "Model", "externalId": f"{prefix}-out{s}", "properties": {"layers": s}}
              for s in range(STEPS)],
        "x": [{"type": "Trainer", "externalId": f"{prefix}-step{s}", "name": f"step {s}",
               "state": "COMPLETE", "properties": {"lr": 0.5}} for s in range(STEPS)],
        "e": events,
        "at": [{"artifactIndex": s, "contextIndex": 0} for s in range(STEPS)]
              + [{"artifactId": raw_id, "contextIndex": 0}],
        "as": [{"executionIndex": s, "contextIndex": 0} for s in range(STEPS)],
    }


async def test_a_lineage_batch_round_trips_and_resending_it_is_a_no_op(
        api: Api, typed: Services, clean_db: Database) -> None:
    [raw] = new_artifacts(api, 1)
    variables = batch(raw)
    result = data(api, PUT_LINEAGE, variables)["putLineageSubgraph"]
    assert len(result["contextIds"]) == 1 and len(set(result["artifactIds"])) == STEPS
    step = data(api, EXECUTION, {"id": result["executionIds"][2]})["execution"]
    assert (step["externalId"], step["name"], step["state"], step["properties"]) == (
        "s-step2", "step 2", "COMPLETE", {"lr": 0.5})
    chain = sorted(await edges(clean_db, "INPUT") + await edges(clean_db, "OUTPUT"))
    ids, outs = result["executionIds"], result["artifactIds"]
    assert chain == sorted([(raw, ids[0]), *zip(outs[:-1], ids[1:], strict=True),
                            *zip(ids, outs, strict=True)])
    assert len(await edges(clean_db, "ATTRIBUTED_TO")) == STEPS + 1
    assert len(await edges(clean_db, "ASSOCIATED_WITH")) == STEPS

    nodes, total = await count_nodes(clean_db, "Execution"), await edge_count(clean_db)
    assert data(api, PUT_LINEAGE, variables)["putLineageSubgraph"] == result
    assert (await count_nodes(clean_db, "Execution"), await edge_count(clean_db)) == (
        nodes, total)


async def test_a_bad_row_of_a_lineage_batch_writes_nothing(
        api: Api, typed: Services, clean_db: Database) -> None:
    [raw] = new_artifacts(api, 1)
    good = batch(raw)

    def spoiled(key: str, i: int, row: dict[str, Any]) -> dict[str, Any]:
        rows = list(good[key])
        rows[i] = row
        return {**good, key: rows}

    await refused(api, clean_db, PUT_LINEAGE,
                  spoiled("a", 3, {"type": "Model", "properties": {"layers": "deep"}}),
                  "BAD_USER_INPUT", "artifacts[3].properties.layers")
    await refused(api, clean_db, PUT_LINEAGE,
                  spoiled("e", 4, {"artifactId": "ghost", "executionIndex": 2, "type": "INPUT"}),
                  "NOT_FOUND", "events[4].artifactId")
    await refused(api, clean_db, PUT_LINEAGE,
                  spoiled("e", 4, {"artifactIndex": 9, "executionIndex": 2, "type": "INPUT"}),
                  "BAD_USER_INPUT", "events[4].artifactIndex")
    await refused(api, clean_db, PUT_LINEAGE,
                  spoiled("as", 2, {"executionIndex": 2, "contextId": "ghost"}),
                  "NOT_FOUND", "associations[2].contextId")
    await refused(api, clean_db, PUT_LINEAGE,
                  spoiled("at", 1, {"artifactIndex": 1, "artifactId": raw, "contextIndex": 0}),
                  "BAD_USER_INPUT", "attributions[1]")
    await refused(api, clean_db, PUT_LINEAGE,
                  spoiled("x", 3, {"type": "Nope"}), "NOT_FOUND", "executions[3].type")
    data(api, PUT_LINEAGE, batch(raw, "other"))
    await refused(api, clean_db, PUT_LINEAGE,  # other-out1 is stored as a Model
                  spoiled("a", 2, {"type": "Dataset", "externalId": "other-out1"}),
                  "CONFLICT", "artifacts[2].type")
    assert await count_nodes(clean_db, "Execution") == STEPS  # the other batch's


async def test_a_lineage_batch_request_sends_one_statement(
        counted: tuple[Api, Starlette], clean_db: Database) -> None:
    api, app = counted
    put_type(api, "Artifact", type_spec("Model", {"layers": "INT"}))
    put_type(api, "Execution", type_spec("Trainer", {**SCHEMA, "lr": "DOUBLE"}))
    put_type(api, "Context", type_spec("Pipeline"))
    [raw] = data(api, "mutation { putArtifacts(input: [{type: \"Model\"}]) }")["putArtifacts"]
    data(api, PUT_LINEAGE, batch(raw, "warm"))  # the server reads the types it checks once
    before = statements(app)
    data(api, PUT_LINEAGE, batch(raw))
    assert statements(app) - before == 1
    assert await count_nodes(clean_db, A.value) == 1 + 2 * STEPS
