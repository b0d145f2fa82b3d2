"""The topology index: the same answers as the walks in Cypher, kept fresh by the delta
log, rebuilt when the graph changes under it, and switched off past its size cap."""

from __future__ import annotations

import random
from itertools import product

import pytest

from graph_api.config import Limits, TopologySettings
from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.impact import ExportRows, Include
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.lineage import LineageRequest
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, ParentContext
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.services.topology.cache import now_ms
from graph_api.store.connection import Database
from tests.integration.lineage_graphs import Built, Steps, build, delete_execution

OFF = TopologySettings(enabled=False)


def random_steps(seed: int, executions: int = 40) -> Steps:
    """A random pipeline DAG: each step reads a raw dataset and up to three earlier
    artifacts, and writes one or two new ones."""
    rng = random.Random(seed)
    artifacts = [f"raw{i}" for i in range(5)]
    steps: dict[str, tuple[list[str], list[str]]] = {}
    for i in range(executions):
        inputs = sorted({*rng.choices(artifacts, k=rng.randint(1, 3)), f"raw{i % 5}"})
        outputs = [f"model{i}" if rng.random() < 0.2 else f"data{i}_{j}"
                   for j in range(rng.randint(1, 2))]
        steps[f"step{i}"] = (inputs, outputs)
        artifacts.extend(outputs)
    return steps


def requests(built: Built, seed: int) -> list[LineageRequest]:
    rng = random.Random(seed)
    names = rng.sample(sorted(built.ids), 8)
    asked = []
    for name, direction, hops, cap in product(names, Direction, (1, 3, 20), (None, 4, 15)):
        key = ("start_artifact_ids" if built.kinds.get(name) is NodeKind.ARTIFACT
               else "start_execution_ids")
        asked.append(LineageRequest(**{key: [built.id(name)]}, direction=direction,
                                    max_hops=hops, max_nodes=cap))
    start = {"start_artifact_ids": [built.id("raw0")]}
    asked += [LineageRequest(**start, include_kinds=[NodeKind.EXECUTION]),
              LineageRequest(**start, include_types=["Model"], max_nodes=9),
              LineageRequest(**start, start_execution_ids=[built.id("step7")], max_hops=2),
              LineageRequest(start_context_id=built.id("run"), max_hops=1)]
    return asked


async def same_answers(index: Services, cypher: Services, built: Built, seed: int) -> None:
    cut = 0
    for request in requests(built, seed):
        answer = await index.lineage.lineage(request)
        assert answer == await cypher.lineage.lineage(request), request
        cut += answer.truncated
    assert cut > 10  # the caps cut many answers: both walks keep the same nodes
    assert (await index.lineage.context_graph(built.id("run"))
            == await cypher.lineage.context_graph(built.id("run")))
    rng = random.Random(seed)
    for a, b in zip(rng.sample(sorted(built.ids), 10), rng.sample(sorted(built.ids), 10),
                    strict=True):
        if "run" in (a, b):
            continue
        for hops in (2, 20):
            assert (await index.lineage.shortest_path(built.id(a), built.id(b), hops)
                    == await cypher.lineage.shortest_path(built.id(a), built.id(b), hops))
    impact_index = await index.impact.analyze([built.id("raw1")], max_nodes=12)
    impact_cypher = await cypher.impact.analyze([built.id("raw1")], max_nodes=12)
    assert impact_index == impact_cypher


@pytest.mark.parametrize("seed", [1, 2])
async def test_the_index_answers_as_the_cypher_walks_do(clean_db: Database, limits: Limits,
                                                        seed: int) -> None:
    index = Services.create(clean_db, limits)
    cypher = Services.create(clean_db, limits, OFF)
    await index.topology.ready()  # built on the empty graph: every edge comes as a delta
    built = await build(index, random_steps(seed), context="run")

    await same_answers(index, cypher, built, seed)

    assert index.topology.builds == 1
    assert index.topology.held is not None
    assert index.topology.held.topology.edge_count == len(built.edges)
    rebuilt = Services.create(clean_db, limits)  # built from the whole graph at once
    await rebuilt.topology.ready()
    await same_answers(rebuilt, cypher, built, seed)


async def add_contexts(services: Services, built: Built, seed: int, first: int,
                       count: int) -> list[str]:
    """Contexts `first`..`first + count - 1` of a random hierarchy, each under up to two
    earlier ones (a context can have two parents, and two contexts one ancestor); groups
    hold a random few of the built nodes, projects none; their names."""
    rng = random.Random(seed * 1000 + first)
    names = [f"ctx{i}" for i in range(first, first + count)]
    await services.types.put(NodeKind.CONTEXT, TypeInput(name="Group"))
    await services.types.put(NodeKind.CONTEXT, TypeInput(name="Project"))
    ids = await services.ingest.put_nodes(NodeKind.CONTEXT, [
        ContextInput(type="Project" if i % 4 == 0 else "Group", name=name)
        for i, name in zip(range(first, first + count), names, strict=True)])
    built.ids.update(zip(names, ids, strict=True))
    nodes = sorted(n for n in built.kinds)
    artifacts, executions = [], []
    for i, name in zip(range(first, first + count), names, strict=True):
        for node in rng.sample(nodes, 0 if i % 4 == 0 else 4):
            if built.kinds[node] is NodeKind.ARTIFACT:
                artifacts.append(Attribution(artifact_id=built.id(node),
                                             context_id=built.id(name)))
            else:
                executions.append(Association(execution_id=built.id(node),
                                              context_id=built.id(name)))
    await services.ingest.put_memberships(artifacts, executions)
    links = [ParentContext(child_id=built.id(name), parent_id=built.id(f"ctx{parent}"))
             for i, name in zip(range(first, first + count), names, strict=True) if i
             for parent in sorted(set(rng.choices(range(i), k=2)))]
    await services.ingest.put_parent_contexts(links)
    return names


async def export_rows(services: Services, start: str, include: Include | None = None
                      ) -> list[tuple[str, str, int]]:
    rows = ExportRows()
    async for batch in await services.impact.export([start], include=include):
        rows.id.extend(batch.id)
        rows.kind.extend(batch.kind)
        rows.degree.extend(batch.degree)
    # Both walks give a level's nodes in batches of their own order: compare as sets.
    return sorted(zip(rows.id, [k.name for k in rows.kind], rows.degree, strict=True))


@pytest.mark.parametrize("seed", [4, 5])
async def test_impact_contexts_from_the_index_are_those_of_the_database(
        clean_db: Database, limits: Limits, seed: int) -> None:
    index = Services.create(clean_db, limits)
    cypher = Services.create(clean_db, limits, OFF)
    await build(index, {"warm": (["w0"], ["w1"])})
    await index.topology.ready()
    built = await build(index, random_steps(seed, executions=30))
    await add_contexts(index, built, seed, 0, 12)  # the index learns them from deltas
    rebuilt = Services.create(clean_db, limits)
    await rebuilt.topology.ready()  # ... and this one from the graph
    await add_contexts(index, built, seed, 12, 6)  # both learn these from deltas

    include = Include(kinds=[NodeKind.CONTEXT, NodeKind.ARTIFACT], types=["Group", "Model"])
    asked = 0
    for start in ("raw0", "raw1", "raw3", "data2_0"):
        if start not in built.ids:
            continue
        expected = await cypher.impact.analyze([built.id(start)])
        assert len(expected.contexts) > 3  # the hierarchy is in the answer
        assert any(not c.direct for c in expected.contexts)  # ancestors only, too
        for services in (index, rebuilt):
            assert await services.impact.analyze([built.id(start)]) == expected
            assert (await services.impact.analyze([built.id(start)], include=include)
                    == await cypher.impact.analyze([built.id(start)], include=include))
            assert (await services.impact.analyze([built.id(start)], max_nodes=5)
                    == await cypher.impact.analyze([built.id(start)], max_nodes=5))
            assert (await export_rows(services, built.id(start))
                    == await export_rows(cypher, built.id(start)))
        asked += 1
    assert asked >= 3
    assert index.topology.builds == 1 and rebuilt.topology.builds == 1


async def test_membership_deltas_applied_twice_change_nothing(clean_db: Database,
                                                              limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    await services.topology.ready()
    built = await build(services, random_steps(6, executions=15))
    await add_contexts(services, built, 6, 0, 8)
    first = await services.impact.analyze([built.id("raw0")])
    held = services.topology.held
    assert held is not None
    before = (held.topology.held_by.edges()[0].size, held.topology.parents.edges()[0].size)

    held.floor, held.applied = 0, {}  # forget what was applied: every delta comes again
    again = await services.impact.analyze([built.id("raw0")])

    assert again == first and len(first.contexts) > 3
    assert (held.topology.held_by.edges()[0].size,
            held.topology.parents.edges()[0].size) == before
    assert services.topology.builds == 1


async def test_an_answer_from_the_index_costs_one_statement_however_deep(
        clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    chain: Steps = {f"step{i}": ([f"data{i}"], [f"data{i + 1}"]) for i in range(30)}
    built = await build(services, chain)
    await services.topology.ready()
    request = LineageRequest(start_artifact_ids=[built.id("data0")],
                             direction=Direction.DOWNSTREAM, max_hops=60)

    before = clean_db.statements.sent
    graph = await services.lineage.lineage(request)

    assert len(graph) == 61
    assert clean_db.statements.sent - before == 1  # the deltas: the index knows the start


async def consume(services: Services, built: Built, artifact: str, name: str) -> str:
    """Record a step reading `artifact` and writing a new artifact; the new one's id."""
    answer = await services.ingest.put_execution(
        ExecutionInput(type="Step", name=name),
        [ArtifactAndEvent(artifact_id=built.id(artifact), event_type=EventType.INPUT),
         ArtifactAndEvent(artifact=ArtifactInput(type="Dataset", name=f"{name}-out"),
                          event_type=EventType.OUTPUT)])
    return answer.artifact_ids[1]


def downstream(built: Built, name: str) -> LineageRequest:
    return LineageRequest(start_artifact_ids=[built.id(name)], direction=Direction.DOWNSTREAM)


async def test_a_write_is_in_the_next_answer_of_another_process(
        clean_db: Database, limits: Limits) -> None:
    reader, writer = Services.create(clean_db, limits), Services.create(clean_db, limits)
    built = await build(writer, {"train": (["raw"], ["model"])})
    await reader.topology.ready()

    for i in range(5):
        new = await consume(writer, built, "model", f"eval{i}")
        assert new in (await reader.lineage.lineage(downstream(built, "raw"))).ids

    assert reader.topology.builds == 1


async def test_deltas_applied_twice_change_nothing(clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    await services.topology.ready()
    built = await build(services, random_steps(3, executions=15), context="run")
    request = LineageRequest(start_artifact_ids=[built.id("raw0")])
    first = await services.lineage.lineage(request)
    held = services.topology.held
    assert held is not None
    edges, nodes = held.topology.edge_count, held.topology.size

    held.floor, held.applied = 0, {}  # forget what was applied: every delta comes again
    again = await services.lineage.lineage(request)

    assert again == first
    assert (held.topology.edge_count, held.topology.size) == (edges, nodes)
    assert services.topology.builds == 1


async def test_a_deletion_rebuilds_the_index(clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    built = await build(services, {"train": (["raw"], ["model"]),
                                   "eval": (["model"], ["metrics"])})
    await services.topology.ready()
    assert built.id("metrics") in (await services.lineage.lineage(downstream(built, "raw"))).ids

    await delete_execution(clean_db, built.id("eval"))
    graph = await services.lineage.lineage(downstream(built, "raw"))

    assert set(graph.ids) == {built.id("raw"), built.id("train"), built.id("model")}
    assert services.topology.builds == 2
    # The deltas made before the deletion still name the deleted execution; the rebuilt
    # index reads them back (its floor lags) and leaves that execution out: no rebuild.
    new = await consume(services, built, "model", "eval-again")
    for _ in range(3):
        graph = await services.lineage.lineage(downstream(built, "raw"))
        assert built.id("eval") not in graph.ids and new in graph.ids
    assert services.topology.builds == 2


async def test_a_wiped_graph_rebuilds_the_index(clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    await build(services, {"train": (["raw"], ["model"])})
    await services.topology.ready()
    async with clean_db.driver.session(database=clean_db.database) as session:
        await session.run("MATCH (n) DETACH DELETE n")

    built = await build(services, {"train": (["raw"], ["other"])})
    graph = await services.lineage.lineage(downstream(built, "raw"))

    assert built.named(graph.ids) == {"raw", "train", "other"}
    assert services.topology.builds == 2
    held = services.topology.held
    assert held is not None and held.topology.size == 3


async def test_an_index_behind_the_pruned_log_rebuilds(clean_db: Database, limits: Limits
                                                       ) -> None:
    services = Services.create(clean_db, limits)
    await services.topology.ready()
    built = await build(services, {"train": (["raw"], ["model"])})

    # Every delta is pruned before this index has read it: it cannot catch up.
    assert await services.topology.prune(before_ms=now_ms() + 1000) >= 1
    graph = await services.lineage.lineage(downstream(built, "raw"))

    assert built.named(graph.ids) == {"raw", "train", "model"}
    assert services.topology.builds == 2


async def test_past_its_size_cap_the_index_is_dropped_and_walks_run_in_cypher(
        clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits, TopologySettings(max_nodes=5))
    built = await build(services, {"train": (["raw"], ["model"])})
    small = await services.lineage.lineage(downstream(built, "raw"))
    assert services.topology.held is not None

    await consume(services, built, "model", "eval")
    await consume(services, built, "model", "deploy")
    graph = await services.lineage.lineage(downstream(built, "raw"))

    assert len(small) == 3 and len(graph) == 7
    assert services.topology.too_large and services.topology.held is None
