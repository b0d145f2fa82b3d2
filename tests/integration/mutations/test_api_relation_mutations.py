"""Events, memberships, parent links and putExecution as GraphQL mutations, over HTTP.

Every mutation is read back, re-sent to check idempotency, and given bad input to check the
error code, the field it names, and that the graph did not change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph_api.model.enums import EventType
from graph_api.model.relations import Event
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.api import Api
from tests.integration.graph_probe import count_nodes, edge_count
from tests.integration.mutations.helpers import (
    ARTIFACT,
    CONTEXT,
    EXECUTION,
    PUT_EVENTS,
    PUT_EXECUTION,
    PUT_MEMBERSHIPS,
    PUT_PARENTS,
    A,
    E,
    data,
    edges,
    expected_node,
    new_artifacts,
    new_contexts,
    new_executions,
    refused,
)

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
