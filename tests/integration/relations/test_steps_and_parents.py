"""Parent contexts (cycles refused) and MLMD's one-call step, put_execution, through the services."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from graph_api.errors import Conflict, InvalidInput, NotFound
from graph_api.model.enums import EventType
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import ParentContext
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.graph_probe import cypher, snapshot
from tests.integration.relations.helpers import (
    A,
    C,
    E,
    contexts,
    edges,
    refused,
)

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
