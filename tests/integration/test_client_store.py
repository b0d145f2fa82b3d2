"""The SDK's metadata-store calls against a real server and graph database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from graph_api.client import (
    Artifact,
    ArtifactAndEvent,
    ArtifactInput,
    ArtifactState,
    Association,
    AsyncLineageClient,
    Attribution,
    Conflict,
    ContextInput,
    Direction,
    EventInput,
    EventType,
    Execution,
    ExecutionInput,
    ExecutionState,
    Filter,
    InvalidInput,
    LineageAssociation,
    LineageAttribution,
    LineageBatch,
    LineageEvent,
    ListOptions,
    NodeKind,
    NotFound,
    Op,
    OrderBy,
    ParentContext,
    PropertyType,
    TypeInput,
    connect,
    connect_async,
)
from tests.integration.api import Api

pytestmark = pytest.mark.integration


@pytest.fixture
async def client(api: Api) -> AsyncIterator[AsyncLineageClient]:
    client = connect_async(api.url)
    try:
        yield client
    finally:
        await client.close()


async def _types(client: AsyncLineageClient) -> None:
    await client.put_artifact_type(TypeInput(name="Dataset", base_type="DATASET",
                                             properties={"rows": PropertyType.INT}))
    await client.put_artifact_type(TypeInput(name="Model", base_type="MODEL"))
    await client.put_execution_type(TypeInput(name="Trainer", base_type="TRAIN",
                                              properties={"lr": PropertyType.DOUBLE}))
    await client.put_context_type(TypeInput(name="Experiment"))


async def test_types_register_read_and_evolve(client: AsyncLineageClient) -> None:
    await _types(client)
    dataset = await client.get_artifact_type("Dataset")
    assert dataset.base_type == "DATASET" and dataset.properties == {"rows": PropertyType.INT}
    assert (await client.get_execution_type("Trainer")).properties == {"lr": PropertyType.DOUBLE}
    assert [t.name for t in await client.get_context_types()] == ["Experiment"]
    assert {t.name for t in await client.get_artifact_types()} == {"Dataset", "Model"}
    # identical: a no-op with the same id; a changed property type: a conflict
    same = await client.put_artifact_type(TypeInput(name="Dataset", base_type="DATASET",
                                                    properties={"rows": PropertyType.INT}))
    assert same == dataset.id
    with pytest.raises(Conflict) as raised:
        await client.put_artifact_type(TypeInput(name="Dataset",
                                                 properties={"rows": PropertyType.STRING}))
    assert raised.value.code == "CONFLICT"
    # a new field needs can_add_fields
    with pytest.raises(Conflict):
        await client.put_execution_type(TypeInput(name="Trainer", properties={
            "lr": PropertyType.DOUBLE, "depth": PropertyType.INT}))
    await client.put_execution_type(TypeInput(name="Trainer", properties={
        "lr": PropertyType.DOUBLE, "depth": PropertyType.INT}), can_add_fields=True)
    assert set((await client.get_execution_type("Trainer")).properties) == {"lr", "depth"}
    with pytest.raises(NotFound):
        await client.get_context_type("Nope")


async def test_put_and_get_nodes(client: AsyncLineageClient) -> None:
    await _types(client)
    ids = await client.put_artifacts([
        ArtifactInput(type="Dataset", uri=f"s3://d/{i}", name=f"d{i}", properties={"rows": i},
                      custom_properties={"split": {"train": 0.8}, "tags": ["a", "b"]},
                      state=ArtifactState.LIVE)
        for i in range(5)])
    assert len(set(ids)) == 5
    got = await client.get_artifacts_by_id([*list(reversed(ids)), "missing"])
    assert [a.id for a in got] == list(reversed(ids))
    first = got[-1]
    assert isinstance(first, Artifact)
    assert first.properties == {"rows": 0}
    assert first.custom_properties == {"split": {"train": 0.8}, "tags": ["a", "b"]}
    assert first.state is ArtifactState.LIVE and first.uri == "s3://d/0"
    assert first.external_id and first.created_at > 0
    # client-assigned externalIds: re-sending the rows as read writes nothing new
    again = await client.put_artifacts([ArtifactInput(
        type="Dataset", uri=a.uri, external_id=a.external_id, properties={"rows": 9})
        for a in got])
    assert again == [a.id for a in got]
    assert len(await client.get_artifacts()) == 5
    assert [a.properties["rows"] for a in await client.get_artifacts_by_id(ids)] == [9] * 5

    [x] = await client.put_executions([ExecutionInput(type="Trainer", name="t",
                                                      properties={"lr": 0.1},
                                                      state=ExecutionState.RUNNING)])
    [ctx] = await client.put_contexts([ContextInput(type="Experiment", name="e1")])
    assert await client.put_contexts([ContextInput(type="Experiment", name="e1")]) == [ctx]
    [execution] = await client.get_executions_by_id([x])
    assert isinstance(execution, Execution) and execution.state is ExecutionState.RUNNING
    assert execution.properties == {"lr": 0.1}
    assert (await client.get_contexts_by_id([ctx]))[0].name == "e1"
    assert (await client.get_context_by_type_and_name("Experiment", "e1")).id == ctx
    assert await client.get_context_by_type_and_name("Experiment", "nope") is None
    assert [a.id for a in await client.get_artifacts_by_uri("s3://d/3")] == [ids[3]]
    assert {a.id for a in await client.get_artifacts_by_uri(["s3://d/1", "s3://d/2"])} == {
        ids[1], ids[2]}
    assert len(await client.get_artifacts_by_type("Dataset")) == 5
    assert await client.get_artifacts_by_type("Model") == []
    assert [e.id for e in await client.get_executions_by_type("Trainer")] == [x]
    assert [c.id for c in await client.get_contexts_by_type("Experiment")] == [ctx]
    assert [c.id for c in await client.get_contexts()] == [ctx]
    assert [e.id for e in await client.get_executions()] == [x]
    by_xid = await client.get_artifacts_by_external_ids([first.external_id or ""])
    assert [a.id for a in by_xid] == [first.id]

    with pytest.raises(InvalidInput) as raised:
        await client.put_artifacts([ArtifactInput(type="Dataset", properties={"rows": "x"})])
    assert raised.value.field == "input[0].properties.rows"
    with pytest.raises(NotFound):
        await client.put_artifacts([ArtifactInput(type="Nope")])


async def test_listing_filter_order_limit_and_paging(api: Api) -> None:
    client = connect_async(api.url, page_size=7)  # several pages per listing
    await _types(client)
    ids = await client.put_artifacts([
        ArtifactInput(type="Dataset", uri=f"u{i}", properties={"rows": i}) for i in range(30)])
    everything = await client.get_artifacts()
    assert [a.id for a in everything] == ids  # oldest first, across 5 pages
    top = await client.get_artifacts(ListOptions(
        filter=Filter.where("properties.rows", Op.GE, 10),
        order_by=OrderBy(field="properties.rows", descending=True), limit=12))
    assert [a.properties["rows"] for a in top] == list(range(29, 17, -1))
    some = await client.get_artifacts_by_type("Dataset", options=ListOptions(
        filter=Filter.where("properties.rows", Op.LT, 3)))
    assert sorted(a.properties["rows"] for a in some) == [0, 1, 2]
    assert len(await client.get_artifacts_by_id(ids)) == 30
    await client.close()


async def test_events_memberships_parents_and_put_execution(client: AsyncLineageClient) -> None:
    await _types(client)
    [data] = await client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://raw")])
    step = await client.put_execution(
        ExecutionInput(type="Trainer", name="train", properties={"lr": 0.1},
                       state=ExecutionState.COMPLETE),
        [ArtifactAndEvent(artifact_id=data, event_type=EventType.INPUT, path=["train"]),
         ArtifactAndEvent(artifact=ArtifactInput(type="Model", uri="s3://model"),
                          event_type=EventType.OUTPUT)],
        [ContextInput(type="Experiment", name="exp")])
    assert step.artifact_ids[0] == data and len(step.context_ids) == 1
    model = step.artifact_ids[1]
    [ctx] = step.context_ids
    assert {a.id for a in await client.get_artifacts_by_context(ctx)} == {data, model}
    assert [e.id for e in await client.get_executions_by_context(ctx)] == [step.execution_id]
    assert [c.id for c in await client.get_contexts_by_artifact(model)] == [ctx]
    assert [c.id for c in await client.get_contexts_by_execution(step.execution_id)] == [ctx]

    events = await client.get_events_by_execution_ids([step.execution_id])
    assert {(e.artifact_id, e.type) for e in events} == {(data, EventType.INPUT),
                                                         (model, EventType.OUTPUT)}
    assert next(e for e in events if e.artifact_id == data).path == ["train"]
    by_artifacts = await client.get_events_by_artifact_ids([data, model])
    assert len(by_artifacts) == 2

    # an event re-sent is recorded once
    [x2] = await client.put_executions([ExecutionInput(type="Trainer", name="eval")])
    await client.put_events([EventInput(artifact_id=model, execution_id=x2,
                                        type=EventType.INPUT)])
    await client.put_events([EventInput(artifact_id=model, execution_id=x2,
                                        type=EventType.INPUT)])
    assert len(await client.get_events_by_artifact_ids([model])) == 2
    [ctx2, parent] = await client.put_contexts([ContextInput(type="Experiment", name="exp2"),
                                                ContextInput(type="Experiment", name="proj")])
    await client.put_attributions_and_associations(
        [Attribution(artifact_id=model, context_id=ctx2)],
        [Association(execution_id=x2, context_id=ctx2)])
    assert [e.id for e in await client.get_executions_by_context(ctx2)] == [x2]
    assert [a.id for a in await client.get_artifacts_by_context(ctx2)] == [model]
    await client.put_parent_contexts([ParentContext(child_id=ctx2, parent_id=parent),
                                      ParentContext(child_id=ctx, parent_id=parent)])
    assert [c.id for c in await client.get_parent_contexts_by_context(ctx2)] == [parent]
    assert {c.id for c in await client.get_children_contexts_by_context(parent)} == {ctx, ctx2}
    with pytest.raises(Conflict):
        await client.put_parent_contexts([ParentContext(child_id=parent, parent_id=ctx2)])
    with pytest.raises(NotFound):
        await client.get_contexts_by_artifact("nope")


async def test_put_lineage_subgraph_writes_a_batch_in_one_call(
        client: AsyncLineageClient) -> None:
    await _types(client)
    [raw] = await client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://raw")])
    batch = {
        "contexts": [ContextInput(type="Experiment", name="nightly")],
        "artifacts": [ArtifactInput(type="Dataset", uri="s3://clean"),
                      ArtifactInput(type="Model", uri="s3://model")],
        "executions": [ExecutionInput(type="Trainer", name="clean"),
                       ExecutionInput(type="Trainer", name="train", properties={"lr": 0.1})],
        "events": [
            LineageEvent(artifact_id=raw, execution_index=0, type=EventType.INPUT,
                         path=["raw"], timestamp=1_700_000_000_000),
            LineageEvent(artifact_index=0, execution_index=0, type=EventType.OUTPUT),
            LineageEvent(artifact_index=0, execution_index=1, type=EventType.INPUT),
            LineageEvent(artifact_index=1, execution_index=1, type=EventType.OUTPUT)],
        "attributions": [LineageAttribution(artifact_index=i, context_index=0)
                         for i in range(2)],
        "associations": [LineageAssociation(execution_index=i, context_index=0)
                         for i in range(2)],
    }
    written = await client.put_lineage_subgraph(**batch)
    [ctx] = written.context_ids
    clean, model = written.artifact_ids
    assert {a.id for a in await client.get_artifacts_by_context(ctx)} == {clean, model}
    assert {e.id for e in await client.get_executions_by_context(ctx)} == set(
        written.execution_ids)
    up = await client.get_lineage_subgraph(artifact_ids=[model], direction=Direction.UPSTREAM)
    assert {n.id for n in up.nodes} == {model, clean, raw, *written.execution_ids}
    [read] = await client.get_events_by_artifact_ids([raw])
    assert (read.path, read.timestamp) == (["raw"], 1_700_000_000_000)
    # with external ids of its own, a batch sent twice is written once
    keyed = {**batch, **{kind: [n.model_copy(update={"external_id": f"{kind}-{i}"})
                                for i, n in enumerate(batch[kind])]
                         for kind in ("artifacts", "executions")}}
    first = await client.put_lineage_subgraph(**keyed)
    assert await client.put_lineage_subgraph(**keyed) == first
    bad = {**batch, "events": [*batch["events"][:2],
                               LineageEvent(artifact_id="gone", execution_index=1,
                                            type=EventType.INPUT)]}
    with pytest.raises(NotFound) as raised:
        await client.put_lineage_subgraph(**bad)
    assert raised.value.field == "events[2].artifactId"
    assert len(await client.get_executions_by_context(ctx)) == 2 + 2  # nothing more


def _runs(raw: str, count: int, bad: int | None = None) -> list[LineageBatch]:
    """A batch per pipeline run: its context, a step reading `raw` and writing a model;
    the batch at `bad` reads an artifact that does not exist instead."""
    return [LineageBatch(
        contexts=[ContextInput(type="Experiment", name=f"run-{k}")],
        artifacts=[ArtifactInput(type="Model", uri=f"s3://model-{k}")],
        executions=[ExecutionInput(type="Trainer", name=f"train-{k}")],
        events=[LineageEvent(artifact_id="gone" if k == bad else raw, execution_index=0,
                             type=EventType.INPUT),
                LineageEvent(artifact_index=0, execution_index=0, type=EventType.OUTPUT)],
        attributions=[LineageAttribution(artifact_index=0, context_index=0)],
        associations=[LineageAssociation(execution_index=0, context_index=0)])
        for k in range(count)]


def _count_requests_under_way(client: AsyncLineageClient) -> dict[str, int]:
    """How many requests the client has under way now, and at most so far."""
    seen = {"now": 0, "most": 0}
    execute = client.transport.execute

    async def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        seen["now"] += 1
        seen["most"] = max(seen["most"], seen["now"])
        try:
            return await execute(*args, **kwargs)
        finally:
            seen["now"] -= 1

    client.transport.execute = counted  # type: ignore[method-assign]
    return seen


async def _run_names(client: AsyncLineageClient) -> set[str]:
    return {c.name or "" for c in await client.get_contexts_by_type("Experiment")}


async def test_put_lineage_subgraphs_keeps_requests_under_way_and_answers_in_order(
        client: AsyncLineageClient) -> None:
    await _types(client)
    [raw] = await client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://raw")])
    seen = _count_requests_under_way(client)
    written = await client.put_lineage_subgraphs(iter(_runs(raw, 6)), in_flight=2)
    assert seen["most"] == 2  # the next batch goes out while one is written
    contexts = await client.get_contexts_by_id([w.context_ids[0] for w in written])
    assert [c.name for c in contexts] == [f"run-{k}" for k in range(6)]
    models = await client.get_artifacts_by_id([w.artifact_ids[0] for w in written])
    assert [m.uri for m in models] == [f"s3://model-{k}" for k in range(6)]
    down = await client.get_lineage_subgraph(artifact_ids=[raw], direction=Direction.DOWNSTREAM)
    assert {n.id for n in down.nodes} == {raw, *(i for w in written
                                                 for i in w.execution_ids + w.artifact_ids)}
    assert await client.put_lineage_subgraphs([], in_flight=3) == []


@pytest.mark.parametrize("in_flight", [1, 2])
async def test_put_lineage_subgraphs_stops_at_a_bad_batch_and_says_what_it_wrote(
        client: AsyncLineageClient, in_flight: int) -> None:
    await _types(client)
    [raw] = await client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://raw")])
    batches = _runs(raw, 6, bad=2)
    with pytest.raises(NotFound) as raised:
        await client.put_lineage_subgraphs(batches, in_flight=in_flight)
    error: Any = raised.value
    assert error.batch == 2 and error.field == "batches[2].events[0].artifactId"
    assert error.message.startswith("batches[2]: ")
    # what is said to be written is what the store holds; the bad batch wrote nothing,
    # and no batch after the ones under way was sent
    assert {0, 1} <= set(error.written) <= {0, 1, 3}
    assert set(error.written) == {0, 1} or in_flight == 2
    assert await _run_names(client) == {f"run-{k}" for k in error.written}
    first = await client.get_contexts_by_id(error.written[0].context_ids)
    assert [c.name for c in first] == ["run-0"]
    # sending what was not written completes the runs
    rest = [b for k, b in enumerate(_runs(raw, 6)) if k not in error.written]
    await client.put_lineage_subgraphs(rest, in_flight=in_flight)
    assert await _run_names(client) == {f"run-{k}" for k in range(6)}
    assert len(await client.get_executions_by_type("Trainer")) == 6


async def test_put_lineage_subgraphs_refuses_a_bad_in_flight_and_a_broken_iterable(
        client: AsyncLineageClient) -> None:
    await _types(client)
    [raw] = await client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://raw")])
    for bad in (0, 9):
        with pytest.raises(InvalidInput) as raised:
            await client.put_lineage_subgraphs(_runs(raw, 1), in_flight=bad)
        assert raised.value.field == "in_flight"
    assert await _run_names(client) == set()

    def two_then_broken() -> Iterator[LineageBatch]:
        yield from _runs(raw, 2)
        raise RuntimeError("the source of the batches failed")

    with pytest.raises(RuntimeError, match="the source of the batches failed") as broken:
        await client.put_lineage_subgraphs(two_then_broken(), in_flight=1)
    assert set(broken.value.written) == {0, 1}  # type: ignore[attr-defined]
    assert await _run_names(client) == {"run-0", "run-1"}


async def test_lineage_and_impact(client: AsyncLineageClient) -> None:
    await _types(client)
    [raw] = await client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://raw")])
    first = await client.put_execution(
        ExecutionInput(type="Trainer", name="prep"),
        [ArtifactAndEvent(artifact_id=raw, event_type=EventType.INPUT),
         ArtifactAndEvent(artifact=ArtifactInput(type="Dataset", uri="s3://clean"),
                          event_type=EventType.OUTPUT)],
        [ContextInput(type="Experiment", name="pipe")])
    clean = first.artifact_ids[1]
    second = await client.put_execution(
        ExecutionInput(type="Trainer", name="train"),
        [ArtifactAndEvent(artifact_id=clean, event_type=EventType.INPUT),
         ArtifactAndEvent(artifact=ArtifactInput(type="Model", uri="s3://m"),
                          event_type=EventType.OUTPUT)])
    model = second.artifact_ids[1]
    [model_node] = await client.get_artifacts_by_id([model])

    up = await client.get_lineage_subgraph([model_node], Direction.UPSTREAM, max_hops=10)
    assert {n.id for n in up.nodes} == {model, second.execution_id, clean, first.execution_id,
                                         raw}
    assert {n.id: n.degree for n in up.nodes}[raw] == 4
    assert {a.uri for a in up.artifacts} == {"s3://raw", "s3://clean", "s3://m"}
    assert {e.name for e in up.executions} == {"prep", "train"}
    assert len(up.edges) == 4 and not up.truncated
    near = await client.get_lineage_subgraph(artifact_ids=[model], direction=Direction.UPSTREAM,
                                             max_hops=2)
    assert {n.id for n in near.nodes} == {model, second.execution_id, clean}
    stopped = await client.get_lineage_subgraph(
        artifact_ids=[model], direction="UPSTREAM", max_hops=10,
        stop_at=Filter.where("name", Op.EQ, "train"))
    assert {n.id for n in stopped.nodes} == {model, second.execution_id}
    down = await client.get_lineage_subgraph(execution_ids=[first.execution_id],
                                             direction=Direction.DOWNSTREAM)
    assert model in {n.id for n in down.nodes} and raw not in {n.id for n in down.nodes}
    of_context = await client.get_lineage_subgraph(context_id=first.context_ids[0],
                                                   direction=Direction.BOTH, max_hops=1)
    assert {raw, clean, first.execution_id} <= {n.id for n in of_context.nodes}

    impact = await client.get_impact([raw])
    assert {n.id for n in impact.nodes} == {raw, first.execution_id, clean, second.execution_id,
                                            model}
    assert impact.counts_by_kind[NodeKind.ARTIFACT] == 3
    assert [c.name for c in impact.contexts] == ["pipe"] and impact.contexts[0].direct
    with pytest.raises(NotFound):
        await client.get_impact(["nope"])


def test_sync_client_runs_the_same_calls(api: Api) -> None:
    with connect(api.url) as client:
        client.put_artifact_type(TypeInput(name="Dataset"))
        [a] = client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://x")])
        [artifact] = client.get_artifacts_by_id([a])
        assert artifact.uri == "s3://x"
        assert "get_lineage_subgraph" in dir(client)
        client.put_artifact_type(TypeInput(name="Model"))
        client.put_execution_type(TypeInput(name="Trainer"))
        client.put_context_type(TypeInput(name="Experiment"))
        runs = client.put_lineage_subgraphs(_runs(a, 3))
        assert [r.name for r in client.get_contexts_by_id(
            [r.context_ids[0] for r in runs])] == ["run-0", "run-1", "run-2"]
        assert client.get_artifacts_by_uri.__doc__
        with pytest.raises(NotFound):
            client.put_artifacts([ArtifactInput(type="Nope")])


async def test_the_client_reads_its_writes_whichever_server_answers(
        api: Api, api_server_cypher: Api) -> None:
    # Two servers on one database, as behind a load balancer: the client writes through
    # one and reads through the other, which holds a topology index.
    client = connect_async(api_server_cypher.url)
    try:
        await _types(client)
        [raw] = await client.put_artifacts([ArtifactInput(type="Dataset", uri="s3://raw")])
        assert client.transport.position is not None
        await client.get_lineage_subgraph(artifact_ids=[raw])
        for i in range(3):
            client.transport.url = api_server_cypher.url
            step = await client.put_execution(
                ExecutionInput(type="Trainer", name=f"train{i}"),
                [ArtifactAndEvent(artifact_id=raw, event_type=EventType.INPUT)])
            client.transport.url = api.url

            down = await client.get_lineage_subgraph(artifact_ids=[raw],
                                                     direction=Direction.DOWNSTREAM)

            assert step.execution_id in {n.id for n in down.nodes}
    finally:
        await client.close()
