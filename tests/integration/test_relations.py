"""Events, attributions, associations, parent contexts and MLMD's one-call `put_execution`."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pydantic import ValidationError

from graph_api.errors import Conflict, InvalidInput, LineageError, NotFound
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, Event, EventInput, ParentContext
from graph_api.model.types import PropertyType, TypeInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.graph_probe import cypher, edge_count, snapshot

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
INPUT_KINDS = [EventType.INPUT, EventType.DECLARED_INPUT, EventType.INTERNAL_INPUT]
OUTPUT_KINDS = [EventType.OUTPUT, EventType.DECLARED_OUTPUT, EventType.INTERNAL_OUTPUT,
                EventType.PENDING_OUTPUT]


@pytest.fixture
async def typed(services: Services) -> Services:
    await services.types.put(A, TypeInput(name="Dataset", properties={"rows": PropertyType.INT}))
    await services.types.put(A, TypeInput(name="Model"))
    await services.types.put(E, TypeInput(name="Trainer", properties={"lr": PropertyType.DOUBLE}))
    await services.types.put(C, TypeInput(name="Experiment"))
    await services.types.put(C, TypeInput(name="Pipeline"))
    return services


async def edges(db: Database, rel: str) -> list[tuple[str, str]]:
    """(source id, target id) of every `rel` edge, sorted; duplicates stay visible."""
    rows = await cypher(db, f"MATCH (a)-[:{rel}]->(b) RETURN a.id AS a, b.id AS b")
    return sorted((r["a"], r["b"]) for r in rows)


async def artifacts(services: Services, n: int, prefix: str = "a") -> list[str]:
    return await services.ingest.put_nodes(A, [ArtifactInput(type="Dataset", external_id=f"{prefix}{i}")
                                     for i in range(n)])


async def executions(services: Services, n: int, prefix: str = "e") -> list[str]:
    return await services.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id=f"{prefix}{i}")
                                     for i in range(n)])


async def contexts(services: Services, *names: str) -> list[str]:
    return await services.ingest.put_nodes(C, [ContextInput(type="Experiment", name=n) for n in names])


async def refused(db: Database, error: type[LineageError], field: str,
                  write: Any) -> LineageError:
    """Await `write`; assert the error names `field` and the graph did not change."""
    graph = await snapshot(db)
    with pytest.raises(error) as caught:
        await write
    assert caught.value.field == field, caught.value
    assert await snapshot(db) == graph
    return caught.value


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


# -- parent contexts -----------------------------------------------------------------------


async def test_parent_contexts_and_their_reads(typed: Services, clean_db: Database) -> None:
    project, exp1, exp2, run = await contexts(typed, "project", "exp1", "exp2", "run")
    await typed.ingest.put_parent_contexts([
        ParentContext(child_id=exp1, parent_id=project),
        ParentContext(child_id=exp2, parent_id=project),
        ParentContext(child_id=run, parent_id=exp1),
        ParentContext(child_id=run, parent_id=exp2),  # a diamond is not a cycle
    ])
    parents = await typed.nodes.parents_of([run, exp1, project])
    assert {k: [c.id for c in v] for k, v in parents.items()} == {
        run: sorted([exp1, exp2]), exp1: [project], project: []}
    children = await typed.nodes.children_of([project, exp2, run])
    assert {k: [c.id for c in v] for k, v in children.items()} == {
        project: sorted([exp1, exp2]), exp2: [run], run: []}
    assert {c.name for c in children[project]} == {"exp1", "exp2"}
    assert await edges(clean_db, "CHILD_OF") == sorted(
        [(exp1, project), (exp2, project), (run, exp1), (run, exp2)])


async def test_re_putting_a_parent_link_creates_no_duplicate_edge(typed: Services,
        clean_db: Database) -> None:
    parent, child = await contexts(typed, "p", "c")
    link = ParentContext(child_id=child, parent_id=parent)
    await typed.ingest.put_parent_contexts([link])
    await typed.ingest.put_parent_contexts([link, link])
    assert await edges(clean_db, "CHILD_OF") == [(child, parent)]


async def test_a_link_closing_a_cycle_is_refused(typed: Services, clean_db: Database) -> None:
    a, b, c = await contexts(typed, "a", "b", "c")
    await typed.ingest.put_parent_contexts([ParentContext(child_id=a, parent_id=b),
                                               ParentContext(child_id=b, parent_id=c)])
    [other] = await contexts(typed, "other")
    error = await refused(clean_db, Conflict, "input[1]", typed.ingest.put_parent_contexts([
        ParentContext(child_id=other, parent_id=a),  # fine on its own
        ParentContext(child_id=c, parent_id=a),      # closes a -> b -> c -> a
    ]))
    assert "own ancestor" in error.message
    assert await edges(clean_db, "CHILD_OF") == sorted([(a, b), (b, c)])


async def test_a_cycle_within_one_batch_writes_no_link(typed: Services, clean_db: Database) -> None:
    a, b, c = await contexts(typed, "a", "b", "c")
    await refused(clean_db, Conflict, "input[0]", typed.ingest.put_parent_contexts([
        ParentContext(child_id=a, parent_id=b),
        ParentContext(child_id=b, parent_id=c),
        ParentContext(child_id=c, parent_id=a),
    ]))
    assert await edges(clean_db, "CHILD_OF") == []


async def test_a_context_cannot_be_its_own_parent(typed: Services, clean_db: Database) -> None:
    a, b = await contexts(typed, "a", "b")
    error = await refused(clean_db, Conflict, "input[1].parentId",
                          typed.ingest.put_parent_contexts([
                              ParentContext(child_id=a, parent_id=b),
                              ParentContext(child_id=b, parent_id=b),
                          ]))
    assert "own parent" in error.message
    assert await edges(clean_db, "CHILD_OF") == []


async def test_a_parent_link_to_a_missing_context_is_refused(typed: Services, clean_db: Database) -> None:
    [a] = await contexts(typed, "a")
    await refused(clean_db, NotFound, "input[0].parentId", typed.ingest.put_parent_contexts(
        [ParentContext(child_id=a, parent_id="gone")]))


# -- put_execution ---------------------------------------------------------------------------


def training_step(raw_id: str, *, lr: float = 0.1) -> dict[str, Any]:
    """Keyword arguments of one `put_execution` call: an existing input, two new outputs."""
    return {
        "execution": ExecutionInput(type="Trainer", external_id="train-1", name="train",
                                    properties={"lr": lr}),
        "artifact_and_events": [
            ArtifactAndEvent(artifact_id=raw_id, event_type=EventType.INPUT, path=["data", 0]),
            ArtifactAndEvent(artifact=ArtifactInput(type="Model", external_id="model-1",
                                                    uri="s3://models/1"),
                             event_type=EventType.OUTPUT, path=["model"]),
            ArtifactAndEvent(artifact=ArtifactInput(type="Dataset", external_id="stats-1",
                                                    properties={"rows": 10}),
                             event_type=EventType.DECLARED_OUTPUT, path=["stats", 1]),
        ],
        "contexts": [ContextInput(type="Pipeline", name="nightly"),
                     ContextInput(type="Experiment", name="exp", external_id="exp-x")],
    }


async def test_put_execution_writes_the_step_in_one_call(typed: Services, clean_db: Database) -> None:
    [raw] = await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset", uri="s3://raw")])
    step = training_step(raw)
    result = await typed.ingest.put_execution(**step)

    [execution] = await typed.nodes.by_ids(E, [result.execution_id])
    assert (execution.external_id, execution.name, execution.properties) == (
        "train-1", "train", {"lr": 0.1})
    assert result.artifact_ids[0] == raw
    model, stats = await typed.nodes.by_ids(A, result.artifact_ids[1:])
    assert (model.type, model.external_id, model.uri) == (  # type: ignore[union-attr]
        "Model", "model-1", "s3://models/1")
    assert (stats.type, stats.properties) == ("Dataset", {"rows": 10})
    pipeline, experiment = await typed.nodes.by_ids(C, result.context_ids)
    assert (pipeline.type, pipeline.name) == ("Pipeline", "nightly")
    assert (experiment.type, experiment.name, experiment.external_id) == (
        "Experiment", "exp", "exp-x")

    events = (await typed.nodes.events_of(E, [result.execution_id]))[result.execution_id]
    got = sorted((e.artifact_id, e.type, tuple(e.path)) for e in events)
    assert got == sorted(
        (aid, ae.event_type, tuple(ae.path))
        for aid, ae in zip(result.artifact_ids, step["artifact_and_events"], strict=True))
    all_contexts = sorted(result.context_ids)
    memberships = await typed.nodes.contexts_of(A, result.artifact_ids)
    assert {k: [c.id for c in v] for k, v in memberships.items()} == {
        a: all_contexts for a in result.artifact_ids}
    associated = await typed.nodes.contexts_of(E, [result.execution_id])
    assert [c.id for c in associated[result.execution_id]] == all_contexts
    assert len(await edges(clean_db, "ATTRIBUTED_TO")) == 3 * 2
    assert len(await edges(clean_db, "ASSOCIATED_WITH")) == 2


async def test_re_sending_put_execution_duplicates_nothing(typed: Services, clean_db: Database) -> None:
    [raw] = await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset", uri="s3://raw")])
    first = await typed.ingest.put_execution(**training_step(raw))
    nodes_before, edges_before = await snapshot(clean_db)
    again = await typed.ingest.put_execution(**training_step(raw))
    assert again == first
    nodes_after, edges_after = await snapshot(clean_db)
    assert len(nodes_after) == len(nodes_before)
    assert edges_after == edges_before
    for label in ("Artifact", "Execution", "Context"):
        rows = await cypher(clean_db, f"MATCH (n:{label}) RETURN count(n) AS n")
        assert rows[0]["n"] == {"Artifact": 3, "Execution": 1, "Context": 2}[label]


async def test_re_sending_put_execution_updates_the_execution(typed: Services) -> None:
    [raw] = await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset")])
    first = await typed.ingest.put_execution(**training_step(raw, lr=0.1))
    again = await typed.ingest.put_execution(**training_step(raw, lr=0.5))
    assert again.execution_id == first.execution_id
    [execution] = await typed.nodes.by_ids(E, [first.execution_id])
    assert execution.properties == {"lr": 0.5}


async def test_put_execution_with_a_missing_artifact_writes_nothing(typed: Services,
        clean_db: Database) -> None:
    [raw] = await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset")])
    step = training_step(raw)
    step["artifact_and_events"] = [
        *step["artifact_and_events"],
        ArtifactAndEvent(artifact_id="no-such-artifact", event_type=EventType.INPUT),
    ]
    await refused(clean_db, NotFound, "artifactEvents[3].artifactId", typed.ingest.put_execution(**step))


async def test_put_execution_with_a_bad_property_writes_nothing(typed: Services, clean_db: Database) -> None:
    [raw] = await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset")])
    step = training_step(raw)
    step["execution"] = ExecutionInput(type="Trainer", properties={"lr": "fast"})
    await refused(clean_db, InvalidInput, "execution.properties.lr", typed.ingest.put_execution(**step))


async def test_put_execution_with_a_bad_artifact_writes_nothing(typed: Services, clean_db: Database) -> None:
    [raw] = await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset")])
    step = training_step(raw)
    step["artifact_and_events"] = [
        *step["artifact_and_events"],
        ArtifactAndEvent(artifact=ArtifactInput(type="Dataset", properties={"rows": 1.5}),
                         event_type=EventType.OUTPUT),
    ]
    await refused(clean_db, InvalidInput, "artifactEvents[3].artifact.properties.rows",
                  typed.ingest.put_execution(**step))


async def test_put_execution_names_the_offending_artifact_or_context(
    typed: Services, clean_db: Database) -> None:
    """Errors point into the request as sent: `artifactEvents[i]` counts every entry."""
    [raw] = await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset")])
    step = training_step(raw)
    events = list(step["artifact_and_events"])
    events[2] = ArtifactAndEvent(artifact=ArtifactInput(type="Nope"),
                                 event_type=EventType.OUTPUT)
    await refused(clean_db, NotFound, "artifactEvents[2].artifact.type",
                  typed.ingest.put_execution(**{**step, "artifact_and_events": events}))
    events[2] = ArtifactAndEvent(artifact=ArtifactInput(type="Model", external_id="stats-1"),
                                 event_type=EventType.OUTPUT)
    await typed.ingest.put_execution(**step)  # now stats-1 exists as a Dataset
    await refused(clean_db, Conflict, "artifactEvents[2].artifact.type",
                  typed.ingest.put_execution(**{**step, "artifact_and_events": events}))
    contexts = [*step["contexts"], ContextInput(type="Nope", name="x")]
    await refused(clean_db, NotFound, "contexts[2].type",
                  typed.ingest.put_execution(**{**step, "contexts": contexts}))
    await refused(clean_db, NotFound, "execution.id", typed.ingest.put_execution(
        **{**step, "execution": ExecutionInput(type="Trainer", id="no-such-execution")}))


def test_an_artifact_event_names_exactly_one_artifact() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        ArtifactAndEvent(event_type=EventType.INPUT)
    with pytest.raises(ValidationError, match="exactly one"):
        ArtifactAndEvent(artifact=ArtifactInput(type="Dataset"), artifact_id="a-1",
                         event_type=EventType.INPUT)
