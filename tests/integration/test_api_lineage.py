"""GraphQL lineage over HTTP: `lineage`, `contextGraph` and `lineagePath`, checked against
expectations computed here (a reference breadth-first walk over the graph as built)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from starlette.applications import Starlette

from graph_api.model.enums import Direction, NodeKind
from graph_api.services.container import Services
from tests.integration.api import WALK_PATHS, Api, on_each_walk_path, statements
from tests.integration.lineage_graphs import PIPELINE, Built, Steps, build, reference

LINEAGE = """
query Lineage($input: LineageInput!) {
  lineage(input: $input) {
    nodes {
      id kind type degree
      node {
        __typename
        ... on Artifact { id name uri artifactState: state typeName }
        ... on Execution { id name executionState: state typeName }
      }
    }
    edges { source target kind eventType }
    truncated
  }
}
"""

BARE = """
query Lineage($input: LineageInput!) {
  lineage(input: $input) { nodes { id kind type degree } edges { source target } truncated }
}
"""

CONTEXT_GRAPH = """
query ($id: ID!) {
  contextGraph(contextId: $id) {
    nodes { id kind degree node { ... on Artifact { name } ... on Execution { name } } }
    edges { source target kind eventType }
    truncated
  }
}
"""

PATH = """
query ($from: ID!, $to: ID!, $hops: Int) {
  lineagePath(fromId: $from, toId: $to, maxHops: $hops) {
    nodes { id degree node { ... on Artifact { name } ... on Execution { name } } }
    edges { source target kind }
  }
}
"""

#: Every test runs against a server with the topology index and one walking in Cypher.
api = pytest.fixture(params=WALK_PATHS)(on_each_walk_path)


def start(built: Built, name: str) -> dict[str, list[str]]:
    key = ("startArtifactIds" if built.kinds[name] is NodeKind.ARTIFACT
           else "startExecutionIds")
    return {key: [built.id(name)]}


def walk(api: Api, built: Built, name: str, direction: Direction, query: str = LINEAGE,
         **options: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.data(query, {"input": {
        **start(built, name), "direction": direction.value, **options}})["lineage"]
    return result


def degrees(built: Built, graph: dict[str, Any]) -> dict[str, int]:
    return {built.names[n["id"]]: n["degree"] for n in graph["nodes"]}


def edge_names(built: Built, graph: dict[str, Any]) -> set[tuple[str, str]]:
    return {(built.names[e["source"]], built.names[e["target"]]) for e in graph["edges"]}


def edges_among(built: Built, names: set[str]) -> set[tuple[str, str]]:
    return {(s, t) for s, t in built.edges if s in names and t in names}


# --- lineage ----------------------------------------------------------------------------------

@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("name", ["model", "raw_b", "train", "features"])
async def test_lineage_matches_the_reference_walk(api: Api, services: Services, name: str,
                                                  direction: Direction) -> None:
    built = await build(services, PIPELINE)

    graph = walk(api, built, name, direction)

    expected = reference(built.edges, [name], direction, 20)
    assert degrees(built, graph) == expected
    assert edge_names(built, graph) == edges_among(built, set(expected))
    assert graph["truncated"] is False
    ordered = [(n["degree"], n["kind"], n["id"]) for n in graph["nodes"]]
    assert ordered == sorted(ordered)  # nearest first


async def test_lineage_nodes_carry_their_properties_in_the_same_request(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    graph = walk(api, built, "model_served", Direction.UPSTREAM)

    for n in graph["nodes"]:
        name = built.names[n["id"]]
        node = n["node"]
        assert node["id"] == n["id"] and node["name"] == name
        assert node["typeName"] == n["type"]
        if built.kinds[name] is NodeKind.ARTIFACT:
            assert n["kind"] == "ARTIFACT" and node["__typename"] == "Artifact"
            assert node["uri"] == f"mem://{name}" and node["artifactState"] == "UNKNOWN"
        else:
            assert n["kind"] == "EXECUTION" and node["__typename"] == "Execution"
            assert n["type"] == "Step"


async def test_an_answer_with_names_lists_the_nodes_of_the_bare_answer(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)
    variables = {"input": {"startArtifactIds": [built.id("model_served")],
                           "direction": "UPSTREAM"}}

    bare = api.data(BARE, variables)["lineage"]
    named = api.data(BARE.replace("degree", "degree name"), variables)["lineage"]

    assert len(named["nodes"]) > 1
    assert [{k: n[k] for k in ("id", "kind", "type", "degree")} for n in named["nodes"]] \
        == bare["nodes"]
    assert {built.names[n["id"]]: n["name"] for n in named["nodes"]} == {
        built.names[n["id"]]: built.names[n["id"]] for n in bare["nodes"]}


async def test_lineage_edges_name_their_kind_and_event_type(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    graph = walk(api, built, "train", Direction.BOTH, maxHops=1)

    got = {(built.names[e["source"]], built.names[e["target"]], e["kind"], e["eventType"])
           for e in graph["edges"]}
    assert got == {("train_set", "train", "INPUT", "INPUT"), ("raw_b", "train", "INPUT", "INPUT"),
                   ("train", "model", "OUTPUT", "OUTPUT")}


@pytest.mark.parametrize("hops", [0, 1, 3])
async def test_lineage_stops_at_max_hops(api: Api, services: Services, hops: int) -> None:
    built = await build(services, PIPELINE)

    graph = walk(api, built, "raw_a", Direction.DOWNSTREAM, maxHops=hops)

    expected = reference(built.edges, ["raw_a"], Direction.DOWNSTREAM, hops)
    assert degrees(built, graph) == expected
    assert edge_names(built, graph) == edges_among(built, set(expected))


async def test_lineage_stop_at_keeps_the_stop_node_but_goes_no_further(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    graph = walk(api, built, "model", Direction.UPSTREAM,
                 stopAt={"field": "name", "op": "EQ", "value": "featurize"})

    got = degrees(built, graph)
    assert got["featurize"] == reference(built.edges, ["model"], Direction.UPSTREAM, 20)[
        "featurize"]
    assert not {"clean", "ingest", "raw_a"} & set(got)
    assert "raw_b" in got  # reached through train, not through the stop node


async def test_lineage_stop_at_can_leave_the_stop_nodes_out(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    graph = walk(api, built, "clean", Direction.UPSTREAM, includeStopNodes=False,
                 stopAt={"and": [{"field": "kind", "op": "EQ", "value": "Artifact"},
                                 {"field": "type", "op": "EQ", "value": "RawData"}]})

    assert set(degrees(built, graph)) == {"clean", "ingest"}
    assert edge_names(built, graph) == {("ingest", "clean")}


async def test_lineage_include_lists_only_the_given_kinds_and_types(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)
    full = reference(built.edges, ["raw_a"], Direction.DOWNSTREAM, 20)

    artifacts = walk(api, built, "raw_a", Direction.DOWNSTREAM, include={"kinds": ["ARTIFACT"]})
    models = walk(api, built, "raw_a", Direction.DOWNSTREAM, include={"types": ["Model"]})

    assert degrees(built, artifacts) == {n: d for n, d in full.items()
                                         if built.kinds[n] is NodeKind.ARTIFACT}
    assert artifacts["edges"] == []  # no artifact -> artifact edge exists
    assert degrees(built, models) == {n: full[n] for n in ("raw_a", "model", "model_served")}


async def test_lineage_max_nodes_keeps_the_nearest_and_says_truncated(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)
    full = reference(built.edges, ["raw_b"], Direction.DOWNSTREAM, 20)

    graph = walk(api, built, "raw_b", Direction.DOWNSTREAM, maxNodes=4)

    got = degrees(built, graph)
    assert graph["truncated"] is True and len(got) == 4
    assert all(full[n] == d for n, d in got.items())
    assert max(got.values()) <= sorted(full.values())[3]
    assert edge_names(built, graph) == edges_among(built, set(got))
    assert all(n["node"]["name"] == built.names[n["id"]] for n in graph["nodes"])


async def test_lineage_from_a_context_starts_at_every_member(api: Api, services: Services) -> None:
    built = await build(services, {"prep": (["raw"], ["ds"])}, context="run-1")
    after = await build(services, {"train2": (["ds"], ["model2"])})

    graph = api.data(BARE, {"input": {"startContextId": built.id("run-1"),
                                      "direction": "DOWNSTREAM"}})["lineage"]

    names = {n["id"]: n["degree"] for n in graph["nodes"]}
    assert names == {built.id("raw"): 0, built.id("prep"): 0, built.id("ds"): 0,
                     after.id("train2"): 1, after.id("model2"): 2}


async def test_lineage_max_hops_over_the_cap_is_limit_exceeded(api: Api, services: Services
                                                               ) -> None:
    built = await build(services, PIPELINE)

    error = api.error(BARE, {"input": {**start(built, "model"), "maxHops": 101}})

    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["extensions"]["field"] == "maxHops"
    assert "maxHops" in error["message"] and "101" in error["message"]
    assert "100" in error["message"]  # the cap's value


async def test_lineage_max_nodes_over_the_cap_is_limit_exceeded(api: Api, services: Services
                                                                ) -> None:
    built = await build(services, PIPELINE)

    error = api.error(BARE, {"input": {**start(built, "model"), "maxNodes": 10_001}})

    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "maxNodes" in error["message"] and "10001" in error["message"]


@pytest.mark.parametrize(("options", "field"), [
    ({"maxHops": -1}, "maxHops"),
    ({"maxNodes": 0}, "maxNodes"),
    ({"stopAt": {"field": "name", "op": "EQ", "value": "x", "not": {"field": "name",
                                                                    "op": "IS_NULL"}}}, None),
    ({"stopAt": {"field": "no such field", "op": "EQ", "value": 1}}, None),
])
async def test_lineage_bad_input_is_bad_user_input(api: Api, services: Services,
                                                   options: dict[str, Any], field: str | None
                                                   ) -> None:
    built = await build(services, PIPELINE)

    error = api.error(BARE, {"input": {**start(built, "model"), **options}})

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    if field is not None:
        assert error["extensions"]["field"] == field and field in error["message"]


async def test_lineage_without_a_start_is_bad_user_input(api: Api) -> None:
    error = api.error(BARE, {"input": {"direction": "UPSTREAM"}})

    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("key", ["startArtifactIds", "startExecutionIds", "startContextId"])
async def test_lineage_from_an_unknown_start_is_not_found(api: Api, services: Services, key: str
                                                          ) -> None:
    built = await build(services, PIPELINE)
    # An id of the wrong kind is as unknown as an id of nothing.
    wrong = built.id("train") if key != "startExecutionIds" else built.id("model")
    for missing in ("no-such-node", wrong):
        value: Any = missing if key == "startContextId" else [missing]

        error = api.error(BARE, {"input": {key: value}})

        assert error["extensions"]["code"] == "NOT_FOUND"
        assert error["extensions"]["field"] == key and missing in error["message"]


# --- loaders: properties cost a fixed number of statements -------------------------------------

@pytest.mark.parametrize("width", [3, 40])
async def test_node_properties_cost_one_statement_per_kind_whatever_the_size(
        counted: tuple[Api, Starlette], services: Services, width: int) -> None:
    api, app = counted
    steps: Steps = {f"step{i}": (["raw"], [f"out{i}"]) for i in range(width)}
    built = await build(services, steps)
    variables = {"input": {**start(built, "raw"), "direction": "DOWNSTREAM"}}

    # The first walk after the graph was emptied rebuilds the topology index.
    api.data(BARE, variables)
    before = statements(app)
    bare = api.data(BARE, variables)["lineage"]
    middle = statements(app)
    full = api.data(LINEAGE, variables)["lineage"]
    after = statements(app)

    assert len(full["nodes"]) == len(bare["nodes"]) == 1 + 2 * width
    assert all(n["node"]["name"] == built.names[n["id"]] for n in full["nodes"])
    assert (after - middle) - (middle - before) == 2  # artifacts, executions: one batch each


# --- contextGraph ------------------------------------------------------------------------------

async def test_context_graph_is_the_dag_of_the_context(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE, context="run-1")
    await build(services, {"later": (["model_served"], ["report"])})  # outside the context

    graph = api.data(CONTEXT_GRAPH, {"id": built.id("run-1")})["contextGraph"]

    members = set(built.kinds)
    assert {built.names.get(n["id"]) for n in graph["nodes"]} == members
    assert edge_names(built, graph) == edges_among(built, members)
    assert graph["truncated"] is False
    sources = {n for n in members if not any(t == n for _, t in built.edges)}
    expected = reference(built.edges, sources, Direction.DOWNSTREAM, 99)
    assert degrees(built, graph) == expected
    assert all(n["node"]["name"] == built.names[n["id"]] for n in graph["nodes"])


async def test_context_graph_of_an_unknown_context_is_not_found(api: Api) -> None:
    error = api.error(CONTEXT_GRAPH, {"id": "no-such-context"})

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "no-such-context" in error["message"]


# --- lineagePath -------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b"), [("raw_a", "model_served"), ("model_served", "raw_a"),
                                      ("test_set", "deploy"), ("train", "metrics")])
async def test_lineage_path_is_a_shortest_directed_path(api: Api, services: Services, a: str,
                                                        b: str) -> None:
    built = await build(services, PIPELINE)

    path = api.data(PATH, {"from": built.id(a), "to": built.id(b)})["lineagePath"]

    chain = [built.names[n["id"]] for n in sorted(path["nodes"], key=lambda n: n["degree"])]
    assert [n["degree"] for n in path["nodes"]] == list(range(len(chain)))
    assert {chain[0], chain[-1]} == {a, b}
    assert all((s, t) in built.edges for s, t in pairwise(chain))
    source = chain[0]
    distance = reference(built.edges, [source], Direction.DOWNSTREAM, 99)[chain[-1]]
    assert len(chain) - 1 == distance
    assert edge_names(built, path) == set(pairwise(chain))
    assert [n["node"]["name"] for n in path["nodes"]] == [built.names[n["id"]]
                                                          for n in path["nodes"]]


async def test_lineage_path_is_null_when_no_path_exists_within_max_hops(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)
    distance = reference(built.edges, ["raw_a"], Direction.DOWNSTREAM, 99)["model_served"]

    unrelated = api.data(PATH, {"from": built.id("raw_a"), "to": built.id("other")})
    too_short = api.data(PATH, {"from": built.id("raw_a"), "to": built.id("model_served"),
                                "hops": distance - 1})
    just_enough = api.data(PATH, {"from": built.id("raw_a"), "to": built.id("model_served"),
                                  "hops": distance})

    assert unrelated["lineagePath"] is None
    assert too_short["lineagePath"] is None
    assert len(just_enough["lineagePath"]["nodes"]) == distance + 1


async def test_lineage_path_errors(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    unknown = api.error(PATH, {"from": built.id("raw_a"), "to": "no-such-node"})
    over = api.error(PATH, {"from": built.id("raw_a"), "to": built.id("model"), "hops": 101})

    assert unknown["extensions"]["code"] == "NOT_FOUND"
    assert unknown["extensions"]["field"] == "toId" and "no-such-node" in unknown["message"]
    assert over["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "maxHops" in over["message"] and "101" in over["message"]
