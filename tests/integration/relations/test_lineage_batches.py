"""Whole lineage batches (put_lineage_subgraph) through the services: many executions with
their events and memberships in one transaction and one statement, all or nothing, and
the topology index's delta log written with them."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.errors import Conflict, InvalidInput, NotFound
from graph_api.model.enums import EventType
from graph_api.model.ingest import (
    ArtifactAndEvent,
    LineageAssociation,
    LineageAttribution,
    LineageEvent,
)
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, EventInput
from graph_api.model.types import PropertyType, TypeInput
from graph_api.services.container import Services
from graph_api.store import topology as topology_rows
from graph_api.store.connection import Database
from tests.integration.graph_probe import count_nodes, cypher, snapshot
from tests.integration.relations.helpers import A, C, E, artifacts, edges, refused

STEPS = 4


def pipelines(raw_id: str, n: int = 3, prefix: str = "p") -> dict[str, Any]:
    """Keyword arguments of one batch of `n` pipelines of `STEPS` steps each: every step
    reads the previous step's output (the first reads the stored raw dataset, by id) and
    writes one artifact; each pipeline's nodes are in its own context."""
    contexts, arts, execs = [], [], []
    events: list[LineageEvent] = []
    attributions: list[LineageAttribution] = []
    associations: list[LineageAssociation] = []
    for p in range(n):
        contexts.append(ContextInput(type="Pipeline", name=f"{prefix}{p}",
                                     external_id=f"{prefix}{p}"))
        attributions.append(LineageAttribution(artifact_id=raw_id, context_index=p))
        for s in range(STEPS):
            x, a = len(execs), len(arts)
            execs.append(ExecutionInput(type="Trainer", external_id=f"{prefix}{p}-run{s}",
                                        properties={"lr": 0.1 * s}))
            arts.append(ArtifactInput(type="Dataset", external_id=f"{prefix}{p}-out{s}",
                                      uri=f"s3://out/{p}/{s}", properties={"rows": s}))
            source = ({"artifact_id": raw_id} if s == 0 else {"artifact_index": a - 1})
            events.append(LineageEvent(**source, execution_index=x, type=EventType.INPUT,
                                       path=["in", s]))
            events.append(LineageEvent(artifact_index=a, execution_index=x,
                                       type=EventType.OUTPUT))
            attributions.append(LineageAttribution(artifact_index=a, context_index=p))
            associations.append(LineageAssociation(execution_index=x, context_index=p))
    return {"contexts": contexts, "artifacts": arts, "executions": execs, "events": events,
            "attributions": attributions, "associations": associations}


async def deltas(db: Database) -> list[dict[str, Any]]:
    """Every delta's edges, oldest first, as the topology index reads them."""
    rows = await db.read(lambda tx: topology_rows.deltas(tx, "", []))
    return [{"artifact": a, "execution": x, "event": e}
            for a, x, e in zip(rows.artifact, rows.execution, rows.event, strict=True)]


async def raw_dataset(services: Services) -> str:
    [raw] = await services.ingest.put_nodes(A, [ArtifactInput(type="Dataset",
                                                              external_id="raw")])
    return raw


# -- one statement ---------------------------------------------------------------------------


async def test_a_batch_of_pipelines_is_written_in_one_statement(typed: Services,
                                                                clean_db: Database) -> None:
    raw = await raw_dataset(typed)
    await typed.ingest.put_lineage_subgraph(**pipelines(raw, n=1, prefix="warm"))
    sent = clean_db.statements.sent  # the types were read with the first batch
    result = await typed.ingest.put_lineage_subgraph(**pipelines(raw))
    assert clean_db.statements.sent - sent == 1

    assert len(result.context_ids) == 3 and len(set(result.artifact_ids)) == 3 * STEPS
    pipelines_written = 1 + 3
    assert await count_nodes(clean_db, "Execution") == pipelines_written * STEPS
    assert len(await edges(clean_db, "INPUT")) == pipelines_written * STEPS
    assert len(await edges(clean_db, "OUTPUT")) == pipelines_written * STEPS
    assert len(await edges(clean_db, "ATTRIBUTED_TO")) == pipelines_written * (STEPS + 1)
    assert len(await edges(clean_db, "ASSOCIATED_WITH")) == pipelines_written * STEPS
    first = result.execution_ids[0]
    [execution] = await typed.nodes.by_ids(E, [first])
    assert (execution.external_id, execution.properties) == ("p0-run0", {"lr": 0.0})
    events = (await typed.nodes.events_of(E, [first]))[first]
    assert sorted((e.artifact_id, e.type, tuple(e.path)) for e in events) == sorted([
        (raw, EventType.INPUT, ("in", 0)), (result.artifact_ids[0], EventType.OUTPUT, ())])
    members = await typed.nodes.contexts_of(A, [raw, result.artifact_ids[-1]])
    raw_contexts = {c.id for c in members[raw]}  # the warm-up pipeline's and the batch's
    assert len(raw_contexts) == pipelines_written and set(result.context_ids) <= raw_contexts
    assert [c.id for c in members[result.artifact_ids[-1]]] == [result.context_ids[2]]


@pytest.mark.parametrize("call", ["put_nodes", "put_events", "put_memberships",
                                  "put_execution"])
async def test_each_batch_call_is_one_statement(typed: Services, clean_db: Database,
                                                call: str) -> None:
    [aid, out] = await artifacts(typed, 2)
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id="e")])
    [cid] = await typed.ingest.put_nodes(C, [ContextInput(type="Pipeline", name="c")])
    await typed.ingest.put_nodes(A, [ArtifactInput(type="Model")])  # every type read once
    sent = clean_db.statements.sent
    if call == "put_nodes":
        await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset", external_id=f"n{i}")
                                         for i in range(50)])
    elif call == "put_events":
        await typed.ingest.put_events([
            EventInput(artifact_id=aid, execution_id=eid, type=EventType.INPUT),
            EventInput(artifact_id=out, execution_id=eid, type=EventType.OUTPUT)])
    elif call == "put_memberships":
        await typed.ingest.put_memberships([Attribution(artifact_id=aid, context_id=cid)],
                                           [Association(execution_id=eid, context_id=cid)])
    else:
        await typed.ingest.put_execution(
            ExecutionInput(type="Trainer", external_id="step"),
            [ArtifactAndEvent(artifact_id=aid, event_type=EventType.INPUT),
             ArtifactAndEvent(artifact=ArtifactInput(type="Model", external_id="m"),
                              event_type=EventType.OUTPUT)],
            [ContextInput(type="Pipeline", name="c")])
    assert clean_db.statements.sent - sent == 1


# -- idempotent, all or nothing --------------------------------------------------------------


async def test_re_sending_a_batch_writes_nothing_new(typed: Services, clean_db: Database
                                                     ) -> None:
    raw = await raw_dataset(typed)
    first = await typed.ingest.put_lineage_subgraph(**pipelines(raw))
    nodes, edges_before = await snapshot(clean_db)
    again = await typed.ingest.put_lineage_subgraph(**pipelines(raw))
    assert again == first
    nodes_after, edges_after = await snapshot(clean_db)
    assert len(nodes_after) == len(nodes)  # the nodes were updated, no delta was added
    assert edges_after == edges_before


async def test_a_batch_overlapping_a_stored_one_adds_only_what_is_new(
        typed: Services, clean_db: Database) -> None:
    raw = await raw_dataset(typed)
    first = await typed.ingest.put_lineage_subgraph(**pipelines(raw, n=2))
    more = await typed.ingest.put_lineage_subgraph(**pipelines(raw, n=3))
    assert more.execution_ids[:2 * STEPS] == first.execution_ids
    assert await count_nodes(clean_db, "Execution") == 3 * STEPS
    assert len(await edges(clean_db, "OUTPUT")) == 3 * STEPS


async def test_a_stored_node_named_twice_gets_each_edge_once(typed: Services,
                                                              clean_db: Database) -> None:
    """The raw dataset by id and by its external id, both read by one new execution."""
    raw = await raw_dataset(typed)
    result = await typed.ingest.put_lineage_subgraph(
        artifacts=[ArtifactInput(type="Dataset", external_id="raw", uri="s3://raw")],
        executions=[ExecutionInput(type="Trainer")],
        events=[LineageEvent(artifact_id=raw, execution_index=0, type=EventType.INPUT),
                LineageEvent(artifact_index=0, execution_index=0, type=EventType.INPUT)])
    assert result.artifact_ids == [raw]
    assert await edges(clean_db, "INPUT") == [(raw, result.execution_ids[0])]
    [artifact] = await typed.nodes.by_ids(A, [raw])
    assert artifact.uri == "s3://raw"  # type: ignore[union-attr]


def _bad_row(kind: str, batch: dict[str, Any]) -> tuple[type[Exception], str]:
    """Spoil one row in the middle of `batch`; the error and the field it must name."""
    if kind == "property":
        batch["executions"][5] = ExecutionInput(type="Trainer", properties={"lr": "fast"})
        return InvalidInput, "executions[5].properties.lr"
    if kind == "stored end":
        batch["events"][7] = LineageEvent(artifact_id="gone", execution_index=3,
                                          type=EventType.INPUT)
        return NotFound, "events[7].artifactId"
    if kind == "position":
        batch["associations"][4] = LineageAssociation(execution_index=99, context_index=0)
        return InvalidInput, "associations[4].executionIndex"
    if kind == "type":
        batch["artifacts"][6] = ArtifactInput(type="Nope")
        return NotFound, "artifacts[6].type"
    if kind == "type change":  # p0-out0 is stored as a Dataset
        batch["artifacts"][6] = ArtifactInput(type="Model", external_id="p0-out0")
        return Conflict, "artifacts[6].type"
    batch["contexts"][1] = ContextInput(type="Pipeline", name="p1", id="no-such-context")
    return NotFound, "contexts[1].id"


@pytest.mark.parametrize("kind", ["property", "stored end", "position", "type",
                                  "type change", "id"])
async def test_a_bad_row_in_the_middle_writes_nothing(typed: Services, clean_db: Database,
                                                      kind: str) -> None:
    raw = await raw_dataset(typed)
    await typed.ingest.put_lineage_subgraph(**pipelines(raw, n=1))
    batch = pipelines(raw, n=3)
    error, field = _bad_row(kind, batch)
    await refused(clean_db, error, field, typed.ingest.put_lineage_subgraph(**batch))


async def test_the_first_error_in_order_is_named(typed: Services, clean_db: Database) -> None:
    """Contexts before artifacts, a row's keys before its properties, rows in order."""
    raw = await raw_dataset(typed)
    batch = pipelines(raw)
    batch["artifacts"][9] = ArtifactInput(type="Dataset", properties={"rows": "many"})
    batch["artifacts"][2] = ArtifactInput(type="Dataset", id="gone")
    await refused(clean_db, NotFound, "artifacts[2].id",
                  typed.ingest.put_lineage_subgraph(**batch))
    batch["contexts"][2] = ContextInput(type="Nope", name="x")
    await refused(clean_db, NotFound, "contexts[2].type",
                  typed.ingest.put_lineage_subgraph(**batch))


def test_an_edge_end_is_a_position_or_an_id() -> None:
    with pytest.raises(ValueError, match="exactly one of artifactIndex"):
        LineageEvent(execution_index=0, type=EventType.INPUT)
    with pytest.raises(ValueError, match="exactly one of contextIndex"):
        LineageAttribution(artifact_index=0, context_index=0, context_id="c")


# -- the topology index's delta log ----------------------------------------------------------


async def test_a_batch_records_the_edges_it_created_in_one_delta(
        typed: Services, clean_db: Database) -> None:
    raw = await raw_dataset(typed)
    result = await typed.ingest.put_lineage_subgraph(**pipelines(raw, n=1))
    [delta] = await deltas(clean_db)
    got = sorted(zip(delta["artifact"], delta["execution"], delta["event"], strict=True))
    outputs = list(zip(result.artifact_ids, result.execution_ids, strict=True))
    inputs = zip([raw, *result.artifact_ids[:-1]], result.execution_ids, strict=True)
    assert got == sorted([*((a, x, "INPUT") for a, x in inputs),
                          *((a, x, "OUTPUT") for a, x in outputs)])

    await typed.ingest.put_lineage_subgraph(**pipelines(raw, n=1))  # nothing new
    await typed.ingest.put_nodes(A, [ArtifactInput(type="Dataset")])  # no edge
    assert len(await deltas(clean_db)) == 1
    await typed.ingest.put_events([EventInput(artifact_id=result.artifact_ids[-1],
                                              execution_id=result.execution_ids[0],
                                              type=EventType.DECLARED_INPUT)])
    assert (await deltas(clean_db))[1:] == [{
        "artifact": [result.artifact_ids[-1]], "execution": [result.execution_ids[0]],
        "event": ["DECLARED_INPUT"]}]


# -- types kept between calls ----------------------------------------------------------------


async def test_a_type_evolved_elsewhere_is_read_again(typed: Services, clean_db: Database
                                                      ) -> None:
    """Another process (other services over the same database) adds a property."""
    await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", properties={"lr": 0.1})])
    other = Services.create(clean_db)
    await other.types.put(E, TypeInput(name="Trainer", properties={
        "lr": PropertyType.DOUBLE, "epochs": PropertyType.INT}), can_add_fields=True)
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer",
                                                            properties={"epochs": 3})])
    [execution] = await typed.nodes.by_ids(E, [eid])
    assert execution.properties == {"epochs": 3}


async def test_a_type_registered_anew_elsewhere_is_checked_anew(
        typed: Services, clean_db: Database) -> None:
    """The graph wiped and the type registered again with another property type: the
    rows are checked against the type as it is now, never as it was."""
    await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer", properties={"lr": 0.1})])
    await cypher(clean_db, "MATCH (n) DETACH DELETE n")
    other = Services.create(clean_db)
    await other.types.put(E, TypeInput(name="Trainer", properties={"lr": PropertyType.STRING}))
    await refused(clean_db, InvalidInput, "input[0].properties.lr", typed.ingest.put_nodes(
        E, [ExecutionInput(type="Trainer", properties={"lr": 0.5})]))
    [eid] = await typed.ingest.put_nodes(E, [ExecutionInput(type="Trainer",
                                                            properties={"lr": "fast"})])
    [execution] = await typed.nodes.by_ids(E, [eid])
    assert execution.properties == {"lr": "fast"}
