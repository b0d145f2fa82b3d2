"""Events, attributions and associations through the services: written once whatever is re-
sent, refused naming the missing node."""

from __future__ import annotations

import time

import pytest

from graph_api.errors import NotFound
from graph_api.model.enums import EventType
from graph_api.model.relations import Association, Attribution, Event, EventInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.graph_probe import cypher, edge_count
from tests.integration.relations.helpers import (
    INPUT_KINDS,
    OUTPUT_KINDS,
    A,
    C,
    E,
    artifacts,
    contexts,
    edges,
    executions,
    refused,
)

# -- events ------------------------------------------------------------------------------


async def test_events_of_all_seven_kinds_round_trip(typed: Services) -> None:
    kinds = [*INPUT_KINDS, *OUTPUT_KINDS]
    aids = await artifacts(typed, len(kinds))
    [eid] = await executions(typed, 1)
    sent = [
        EventInput(artifact_id=aid, execution_id=eid, type=kind,
                   path=["step", i, "out", -1] if i % 2 else [],
                   timestamp=1_700_000_000_000 + i)
        for i, (aid, kind) in enumerate(zip(aids, kinds, strict=True))
    ]
    await typed.ingest.put_events(sent)
    expected = [Event(artifact_id=e.artifact_id, execution_id=e.execution_id, type=e.type,
                      path=e.path, timestamp=e.timestamp or 0) for e in sent]
    by_execution = await typed.nodes.events_of(E, [eid])
    assert by_execution == {eid: expected}
    by_artifact = await typed.nodes.events_of(A, aids)
    assert by_artifact == {e.artifact_id: [e] for e in expected}
    assert [type(step) for step in by_execution[eid][1].path] == [str, int, str, int]


async def test_input_kinds_point_into_the_execution_output_kinds_out_of_it(
    typed: Services, clean_db: Database) -> None:
    kinds = [*INPUT_KINDS, *OUTPUT_KINDS]
    aids = await artifacts(typed, len(kinds))
    [eid] = await executions(typed, 1)
    await typed.ingest.put_events([EventInput(artifact_id=a, execution_id=eid, type=k)
                                      for a, k in zip(aids, kinds, strict=True)])
    rows = await cypher(clean_db, "MATCH (a:Artifact)-[r:INPUT]->(e:Execution) "
                               "RETURN a.id AS a, e.id AS e, r.kind AS kind")
    assert sorted((r["a"], r["e"], r["kind"]) for r in rows) == sorted(
        (a, eid, k.value) for a, k in zip(aids, kinds, strict=True) if k.is_input)
    rows = await cypher(clean_db, "MATCH (e:Execution)-[r:OUTPUT]->(a:Artifact) "
                               "RETURN a.id AS a, e.id AS e, r.kind AS kind")
    assert sorted((r["a"], r["e"], r["kind"]) for r in rows) == sorted(
        (a, eid, k.value) for a, k in zip(aids, kinds, strict=True) if not k.is_input)
    assert await edge_count(clean_db) == len(kinds) + len(aids) + 1  # events and OF_TYPE edges


async def test_an_event_without_a_timestamp_gets_the_current_time(typed: Services) -> None:
    [aid] = await artifacts(typed, 1)
    [eid] = await executions(typed, 1)
    before = int(time.time() * 1000)
    await typed.ingest.put_events([EventInput(artifact_id=aid, execution_id=eid,
                                                 type=EventType.OUTPUT)])
    after = int(time.time() * 1000)
    [event] = (await typed.nodes.events_of(A, [aid]))[aid]
    assert before <= event.timestamp <= after
    assert event.path == []


async def test_events_of_unknown_or_eventless_ids_are_empty(typed: Services) -> None:
    [aid] = await artifacts(typed, 1)
    assert await typed.nodes.events_of(A, [aid, "nope"]) == {aid: [], "nope": []}


async def test_re_putting_events_creates_no_duplicate_edge(typed: Services, clean_db: Database) -> None:
    aids = await artifacts(typed, 2)
    [eid] = await executions(typed, 1)
    events = [
        EventInput(artifact_id=aids[0], execution_id=eid, type=EventType.INPUT,
                   path=["x", 0], timestamp=1),
        EventInput(artifact_id=aids[1], execution_id=eid, type=EventType.OUTPUT,
                   path=["y"], timestamp=2),
    ]
    await typed.ingest.put_events(events)
    first = await typed.nodes.events_of(E, [eid])
    await typed.ingest.put_events(events)
    await typed.ingest.put_events([e.model_copy(update={"timestamp": 99}) for e in events])
    assert await edges(clean_db, "INPUT") == [(aids[0], eid)]
    assert await edges(clean_db, "OUTPUT") == [(eid, aids[1])]
    assert await typed.nodes.events_of(E, [eid]) == first  # the first timestamp stays


async def test_the_same_artifact_may_be_used_under_two_paths(typed: Services, clean_db: Database) -> None:
    [aid] = await artifacts(typed, 1)
    [eid] = await executions(typed, 1)
    await typed.ingest.put_events([
        EventInput(artifact_id=aid, execution_id=eid, type=EventType.INPUT, path=["train"]),
        EventInput(artifact_id=aid, execution_id=eid, type=EventType.INPUT, path=["eval"]),
    ])
    got = (await typed.nodes.events_of(A, [aid]))[aid]
    assert sorted(tuple(e.path) for e in got) == [("eval",), ("train",)]
    assert len(await edges(clean_db, "INPUT")) == 2


@pytest.mark.parametrize(("missing", "field"), [
    ("execution_id", "input[1].executionId"),
    ("artifact_id", "input[1].artifactId"),
])
async def test_an_event_referencing_a_missing_node_writes_nothing(
    typed: Services, missing: str, field: str, clean_db: Database) -> None:
    aids = await artifacts(typed, 2)
    [eid] = await executions(typed, 1)
    ok = EventInput(artifact_id=aids[0], execution_id=eid, type=EventType.INPUT)
    bad = EventInput(artifact_id=aids[1], execution_id=eid, type=EventType.OUTPUT)
    bad = bad.model_copy(update={missing: "no-such-id"})
    error = await refused(clean_db, NotFound, field, typed.ingest.put_events([ok, bad]))
    assert "'no-such-id'" in error.message
    assert await edges(clean_db, "INPUT") == []


async def test_an_artifact_id_is_not_an_execution_id(typed: Services, clean_db: Database) -> None:
    aids = await artifacts(typed, 2)
    await refused(clean_db, NotFound, "input[0].executionId", typed.ingest.put_events(
        [EventInput(artifact_id=aids[0], execution_id=aids[1], type=EventType.INPUT)]))


# -- attributions and associations ---------------------------------------------------


async def test_attributions_and_associations_and_contexts_of(typed: Services, clean_db: Database) -> None:
    aids = await artifacts(typed, 3)
    eids = await executions(typed, 2)
    c1, c2 = await contexts(typed, "one", "two")
    await typed.ingest.put_memberships(
        [Attribution(artifact_id=aids[0], context_id=c1),
         Attribution(artifact_id=aids[0], context_id=c2),
         Attribution(artifact_id=aids[1], context_id=c2)],
        [Association(execution_id=eids[0], context_id=c1)],
    )
    of_artifacts = await typed.nodes.contexts_of(A, aids)
    assert {k: [c.id for c in v] for k, v in of_artifacts.items()} == {
        aids[0]: sorted([c1, c2]), aids[1]: [c2], aids[2]: []}
    assert {c.name for c in of_artifacts[aids[0]]} == {"one", "two"}
    assert all(c.kind is C and c.type == "Experiment" for c in of_artifacts[aids[0]])
    of_executions = await typed.nodes.contexts_of(E, eids)
    assert {k: [c.id for c in v] for k, v in of_executions.items()} == {
        eids[0]: [c1], eids[1]: []}
    assert await edges(clean_db, "ATTRIBUTED_TO") == sorted(
        [(aids[0], c1), (aids[0], c2), (aids[1], c2)])
    assert await edges(clean_db, "ASSOCIATED_WITH") == [(eids[0], c1)]


async def test_re_putting_memberships_creates_no_duplicate_edge(typed: Services, clean_db: Database) -> None:
    [aid] = await artifacts(typed, 1)
    [eid] = await executions(typed, 1)
    [cid] = await contexts(typed, "c")
    attribution = Attribution(artifact_id=aid, context_id=cid)
    association = Association(execution_id=eid, context_id=cid)
    for _ in range(3):
        await typed.ingest.put_memberships([attribution, attribution],
                                                                [association])
    assert await edges(clean_db, "ATTRIBUTED_TO") == [(aid, cid)]
    assert await edges(clean_db, "ASSOCIATED_WITH") == [(eid, cid)]


@pytest.mark.parametrize(("which", "field"), [
    ("attribution-artifact", "attributions[1].artifactId"),
    ("attribution-context", "attributions[1].contextId"),
    ("association-execution", "associations[0].executionId"),
    ("association-context", "associations[0].contextId"),
])
async def test_a_membership_of_a_missing_node_writes_nothing(
    typed: Services, which: str, field: str, clean_db: Database) -> None:
    aids = await artifacts(typed, 2)
    [eid] = await executions(typed, 1)
    [cid] = await contexts(typed, "c")
    attributions = [Attribution(artifact_id=aids[0], context_id=cid),
                    Attribution(artifact_id=aids[1], context_id=cid)]
    associations = [Association(execution_id=eid, context_id=cid)]
    if which == "attribution-artifact":
        attributions[1] = Attribution(artifact_id="gone", context_id=cid)
    elif which == "attribution-context":
        attributions[1] = Attribution(artifact_id=aids[1], context_id=aids[0])
    elif which == "association-execution":
        associations[0] = Association(execution_id="gone", context_id=cid)
    else:
        associations[0] = Association(execution_id=eid, context_id="gone")
    await refused(clean_db, NotFound, field,
                  typed.ingest.put_memberships(attributions, associations))
    assert await edges(clean_db, "ATTRIBUTED_TO") == []


