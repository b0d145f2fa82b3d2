"""Recursive lineage, shortest paths and context DAGs, checked against a reference walk."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest

from graph_api.errors import InvalidInput, LimitExceeded, NotFound
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.filters import Filter
from graph_api.model.lineage import LineageGraph, LineageRequest
from graph_api.services import walk as lineage_walk
from graph_api.services.container import Services
from tests.integration.lineage_graphs import PIPELINE, Built, build, reference


@pytest.fixture(params=["index", "adaptive", "one-hop"], autouse=True)
def walk_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
              services: Services) -> str:
    """Run every test on each path a walk can take: the topology index, and in Cypher the
    adaptive walk and one hop per round trip only."""
    if request.param != "index":
        services.topology.settings = replace(services.topology.settings, enabled=False)
    if request.param == "one-hop":
        monkeypatch.setattr(lineage_walk, "SMALL_FRONTIER", 0)
    return str(request.param)


def degrees(built: Built, graph: LineageGraph) -> dict[str, int]:
    return {built.names[n.id]: n.degree for n in graph.nodes}


def edge_names(built: Built, graph: LineageGraph) -> set[tuple[str, str]]:
    return {(built.names[e.source], built.names[e.target]) for e in graph.edges}


def edges_among(built: Built, names: set[str]) -> set[tuple[str, str]]:
    return {(s, t) for s, t in built.edges if s in names and t in names}


async def lineage(services: Services, built: Built, start: str, direction: Direction,
                  **options: object) -> LineageGraph:
    key = ("start_artifact_ids" if built.kinds[start] is NodeKind.ARTIFACT
           else "start_execution_ids")
    request = LineageRequest(**{key: [built.id(start)]}, direction=direction, **options)
    return await services.lineage.lineage(request)


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("start", ["model", "raw_b", "train", "features"])
async def test_lineage_matches_a_reference_walk(services: Services, start: str,
                                                direction: Direction, walk_mode: str) -> None:
    built = await build(services, PIPELINE)
    graph = await lineage(services, built, start, direction)
    expected = reference(built.edges, [start], direction, 20)
    assert degrees(built, graph) == expected
    assert edge_names(built, graph) == edges_among(built, set(expected))
    assert not graph.truncated


async def test_upstream_of_the_served_model_is_its_whole_recipe(services: Services) -> None:
    built = await build(services, PIPELINE)
    graph = await lineage(services, built, "model_served", Direction.UPSTREAM)
    names = set(degrees(built, graph))
    assert {"raw_a", "raw_b", "train", "model", "metrics", "deploy"} <= names
    assert "other" not in names and "other_use" not in names
    kinds = {built.names[n.id]: n.kind for n in graph.nodes}
    assert kinds["train"] is NodeKind.EXECUTION and kinds["model"] is NodeKind.ARTIFACT
    types = {built.names[n.id]: n.type for n in graph.nodes}
    assert types["raw_a"] == "RawData" and types["deploy"] == "Step"
    model_edges = [e for e in graph.edges if built.names[e.target] == "model"]
    assert [(e.kind, e.event_type.value) for e in model_edges] == [("OUTPUT", "OUTPUT")]


@pytest.mark.parametrize("hops", [0, 1, 2, 3, 5])
async def test_lineage_stops_at_max_hops(services: Services, hops: int, walk_mode: str) -> None:
    built = await build(services, PIPELINE)
    graph = await lineage(services, built, "raw_a", Direction.DOWNSTREAM, max_hops=hops)
    expected = reference(built.edges, ["raw_a"], Direction.DOWNSTREAM, hops)
    assert degrees(built, graph) == expected
    assert max(expected.values()) == min(hops, max(reference(
        built.edges, ["raw_a"], Direction.DOWNSTREAM, 99).values()))
    assert edge_names(built, graph) == edges_among(built, set(expected))


async def test_degree_is_the_shortest_distance_through_a_diamond(services: Services) -> None:
    built = await build(services, PIPELINE)
    graph = await lineage(services, built, "features", Direction.DOWNSTREAM)
    got = degrees(built, graph)
    # test_set reaches evaluate in 1 hop while model reaches it after 3 more:
    assert got["evaluate"] == 3 and got["model"] == 4 and got["metrics"] == 4
    assert got["deploy"] == 5


async def test_stop_condition_keeps_the_stop_node_but_not_beyond(services: Services) -> None:
    built = await build(services, PIPELINE)
    stop = Filter.where("name", "EQ", "featurize")
    graph = await lineage(services, built, "model", Direction.UPSTREAM, stop_at=stop)
    got = degrees(built, graph)
    assert "featurize" in got
    assert "clean" not in got and "ingest" not in got and "raw_a" not in got
    assert "raw_b" in got  # reached through train, not through the stop node


async def test_stop_condition_can_exclude_the_stop_node(services: Services) -> None:
    built = await build(services, PIPELINE)
    stop = Filter.where("type", "EQ", "RawData")
    graph = await lineage(services, built, "clean", Direction.UPSTREAM, stop_at=stop,
                          include_stop_nodes=False)
    assert set(degrees(built, graph)) == {"clean", "ingest"}
    assert edge_names(built, graph) == {("ingest", "clean")}


async def test_stop_condition_on_kind_and_properties(services: Services) -> None:
    built = await build(services, PIPELINE)
    stop = Filter.all_of(Filter.where("kind", "EQ", "Execution"),
                         Filter.where("name", "STARTS_WITH", "tr"))
    graph = await lineage(services, built, "raw_b", Direction.DOWNSTREAM, stop_at=stop)
    got = degrees(built, graph)
    assert "train" in got and "model" not in got
    assert {"ingest", "clean", "other_use", "other"} <= set(got)


async def test_include_kinds_and_types_filter_the_answer(services: Services) -> None:
    built = await build(services, PIPELINE)
    full = reference(built.edges, ["raw_a"], Direction.DOWNSTREAM, 20)
    only_artifacts = await lineage(services, built, "raw_a", Direction.DOWNSTREAM,
                                   include_kinds=[NodeKind.ARTIFACT])
    expected = {n for n in full if built.kinds[n] is NodeKind.ARTIFACT}
    assert set(degrees(built, only_artifacts)) == expected
    assert only_artifacts.edges == []  # no artifact -> artifact edge exists
    models = await lineage(services, built, "raw_a", Direction.DOWNSTREAM, include_types=["Model"])
    assert set(degrees(built, models)) == {"raw_a", "model", "model_served"}
    assert degrees(built, models)["model"] == full["model"]


async def test_max_nodes_truncates_and_says_so(services: Services, walk_mode: str) -> None:
    built = await build(services, PIPELINE)
    graph = await lineage(services, built, "raw_b", Direction.DOWNSTREAM, max_nodes=4)
    assert graph.truncated
    assert len(graph.nodes) == 4
    full = reference(built.edges, ["raw_b"], Direction.DOWNSTREAM, 20)
    got = degrees(built, graph)
    assert all(full[n] == d for n, d in got.items())
    assert max(got.values()) <= sorted(full.values())[3]  # nearest nodes are kept first
    assert edge_names(built, graph) == edges_among(built, set(got))


async def test_lineage_from_a_context_starts_at_all_its_nodes(services: Services) -> None:
    built = await build(services, {"prep": (["raw"], ["ds"])}, context="run-1")
    downstream = await build(services, {"train2": (["ds"], ["model2"])})
    request = LineageRequest(start_context_id=built.id("run-1"), direction=Direction.DOWNSTREAM)
    graph = await services.lineage.lineage(request)
    assert {downstream.names.get(n.id, built.names.get(n.id)) for n in graph.nodes} == {
        "raw", "prep", "ds", "train2", "model2"}
    assert {n.degree for n in graph.nodes if built.names.get(n.id)} == {0}


async def test_a_thirty_level_diamond_is_answered_like_a_chain(services: Services,
                                                               walk_mode: str) -> None:
    levels = 30
    steps = {}
    for i in range(levels):
        steps[f"left{i}"] = ([f"a{i}"], [f"a{i + 1}"])
        steps[f"right{i}"] = ([f"a{i}"], [f"a{i + 1}"])
    built = await build(services, steps)  # 2**30 distinct paths from a0 to a30
    graph = await lineage(services, built, "a30", Direction.UPSTREAM, max_hops=2 * levels)
    got = degrees(built, graph)
    assert len(got) == (levels + 1) + 2 * levels
    assert got["a0"] == 2 * levels and got["left0"] == 2 * levels - 1
    assert len(graph.edges) == 4 * levels
    down = await lineage(services, built, "a0", Direction.DOWNSTREAM, max_hops=2 * levels)
    assert degrees(built, down)["a30"] == 2 * levels


async def test_shortest_path_runs_either_way_round(services: Services) -> None:
    built = await build(services, PIPELINE)
    path = await services.lineage.shortest_path(built.id("raw_a"), built.id("metrics"))
    assert path is not None
    chain = [built.names[n.id] for n in sorted(path.nodes, key=lambda n: n.degree)]
    assert chain[0] == "raw_a" and chain[-1] == "metrics"
    assert len(chain) == 9  # raw_a ingest clean featurize features split test_set evaluate metrics
    assert all((a, b) in built.edges for a, b in pairwise(chain))
    assert edge_names(built, path) == set(pairwise(chain))
    backwards = await services.lineage.shortest_path(built.id("metrics"), built.id("raw_a"))
    assert backwards is not None and len(backwards.nodes) == 9


async def test_no_path_between_unconnected_nodes(services: Services) -> None:
    built = await build(services, PIPELINE)
    assert await services.lineage.shortest_path(built.id("other"), built.id("model")) is None
    assert await services.lineage.shortest_path(built.id("raw_a"), built.id("model_served"),
                                             max_hops=3) is None


async def test_context_graph_is_the_dag_of_its_members(services: Services) -> None:
    built = await build(services, PIPELINE, context="run-7")
    graph = await services.lineage.context_graph(built.id("run-7"))
    members = set(PIPELINE) | {a for ins, outs in PIPELINE.values() for a in (*ins, *outs)}
    assert set(degrees(built, graph)) == members
    assert edge_names(built, graph) == built.edges
    got = degrees(built, graph)
    assert got["raw_a"] == 0 and got["raw_b"] == 0 and got["ingest"] == 1


async def test_bad_lineage_requests_are_refused(services: Services) -> None:
    built = await build(services, PIPELINE)
    with pytest.raises(LimitExceeded, match="maxHops"):
        await lineage(services, built, "model", Direction.UPSTREAM, max_hops=101)
    with pytest.raises(LimitExceeded, match="maxNodes"):
        await lineage(services, built, "model", Direction.UPSTREAM, max_nodes=10_001)
    with pytest.raises(NotFound, match="startArtifactIds"):
        await services.lineage.lineage(LineageRequest(start_artifact_ids=[built.id("train")]))
    with pytest.raises(NotFound, match="startContextId"):
        await services.lineage.lineage(LineageRequest(start_context_id="nope"))
    with pytest.raises(InvalidInput, match="start"):
        await services.lineage.lineage(LineageRequest())
    with pytest.raises(InvalidInput, match="stopAt"):
        await lineage(services, built, "model", Direction.UPSTREAM,
                      stop_at=Filter.where("properties.bad-name", "EQ", 1))
    with pytest.raises(NotFound, match="fromId"):
        await services.lineage.shortest_path("nope", built.id("model"))


@pytest.mark.parametrize(("hops", "error"), [(-1, InvalidInput), (101, LimitExceeded)])
async def test_every_walk_bounds_its_hops_alike(services: Services, hops: int,
                                                error: type[Exception]) -> None:
    """One cap for lineage, paths and impact: above it LIMIT_EXCEEDED, below 0 invalid."""
    built = await build(services, PIPELINE)
    a, b = built.id("raw_a"), built.id("metrics")
    calls = [
        services.lineage.lineage(LineageRequest(start_artifact_ids=[a], max_hops=hops)),
        services.lineage.shortest_path(a, b, max_hops=hops),
        services.impact.analyze([a], max_hops=hops),
        services.impact.export([a], max_hops=hops),
        services.subgraph.stream(LineageRequest(start_artifact_ids=[a], max_hops=hops)),
    ]
    for call in calls:
        with pytest.raises(error, match="maxHops"):
            await call


async def test_a_wide_fan_out_walks_one_hop_at_a_time_and_matches(services: Services) -> None:
    steps = {f"use{i}": (["hub"], [f"out{i}"]) for i in range(40)}
    steps |= {f"next{i}": ([f"out{i}", "side"], [f"final{i}"]) for i in range(40)}
    built = await build(services, steps)
    for start, direction in (("hub", Direction.DOWNSTREAM), ("side", Direction.BOTH),
                             ("final3", Direction.UPSTREAM)):
        graph = await lineage(services, built, start, direction)
        expected = reference(built.edges, [start], direction, 20)
        assert degrees(built, graph) == expected
        assert edge_names(built, graph) == edges_among(built, set(expected))
