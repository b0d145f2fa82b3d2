"""Search, counts by type, and neighbour counts of lineage nodes, over HTTP, checked against
expectations computed from the graph each test builds."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from starlette.applications import Starlette

from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind
from graph_api.services.container import Services
from tests.integration.api import Api, statements
from tests.integration.lineage_graphs import PIPELINE, Built, Steps, artifact_type, build

NEIGHBORS = """
query ($input: LineageInput!) {
  lineage(input: $input) {
    nodes { id upstreamNeighbors downstreamNeighbors hiddenUpstream hiddenDownstream }
    edges { source target }
  }
}
"""

SEARCH = """
query ($text: String!, $kinds: [NodeKind!], $first: Int! = 20) {
  search(text: $text, kinds: $kinds, first: $first) { id kind typeName name uri externalId }
}
"""


def neighbours(built: Built, name: str) -> tuple[set[str], set[str]]:
    """(upstream, downstream) direct neighbours of `name` in the whole built graph."""
    return ({s for s, t in built.edges if t == name}, {t for s, t in built.edges if s == name})


def walk(api: Api, built: Built, name: str, direction: str, hops: int) -> dict[str, Any]:
    key = "startArtifactIds" if built.kinds[name] is NodeKind.ARTIFACT else "startExecutionIds"
    graph: dict[str, Any] = api.data(NEIGHBORS, {"input": {
        key: [built.id(name)], "direction": direction, "maxHops": hops}})["lineage"]
    return graph


# --- neighbour counts ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "direction", "hops"), [
    ("train", "BOTH", 1), ("raw_b", "DOWNSTREAM", 1), ("model", "UPSTREAM", 2),
    ("features", "BOTH", 3)])
async def test_lineage_nodes_count_their_neighbours_and_those_left_out(
        api: Api, services: Services, name: str, direction: str, hops: int) -> None:
    built = await build(services, PIPELINE)

    graph = walk(api, built, name, direction, hops)

    listed = {built.names[n["id"]] for n in graph["nodes"]}
    for n in graph["nodes"]:
        up, down = neighbours(built, built.names[n["id"]])
        assert (n["upstreamNeighbors"], n["downstreamNeighbors"]) == (len(up), len(down))
        assert n["hiddenUpstream"] == len(up - listed)
        assert n["hiddenDownstream"] == len(down - listed)
    # the start's own side is fully drawn at one hop, so a UI can show "+n" only elsewhere
    assert any(n["hiddenUpstream"] or n["hiddenDownstream"] for n in graph["nodes"])


async def test_neighbour_counts_count_distinct_neighbours(api: Api, services: Services) -> None:
    built = await build(services, {"join": (["raw_a", "raw_a", "raw_b"], ["out"])})

    graph = walk(api, built, "join", "BOTH", 0)

    [node] = graph["nodes"]
    assert (node["upstreamNeighbors"], node["downstreamNeighbors"]) == (2, 1)
    assert (node["hiddenUpstream"], node["hiddenDownstream"]) == (2, 1)


async def test_impact_nodes_count_neighbours_but_list_no_hidden_counts(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    impact = api.data("""query ($ids: [ID!]!) { impact(artifactIds: $ids) {
        nodes { id upstreamNeighbors downstreamNeighbors hiddenUpstream hiddenDownstream } } }""",
                      {"ids": [built.id("raw_b")]})["impact"]

    assert len(impact["nodes"]) > 5
    for n in impact["nodes"]:
        up, down = neighbours(built, built.names[n["id"]])
        assert (n["upstreamNeighbors"], n["downstreamNeighbors"]) == (len(up), len(down))
        assert n["hiddenUpstream"] is None and n["hiddenDownstream"] is None


@pytest.mark.parametrize("width", [3, 40])
async def test_neighbour_counts_cost_one_statement_whatever_the_size(
        counted: tuple[Api, Starlette], services: Services, width: int) -> None:
    api, app = counted
    steps: Steps = {f"step{i}": (["raw"], [f"out{i}"]) for i in range(width)}
    built = await build(services, steps)
    variables = {"input": {"startArtifactIds": [built.id("raw")], "direction": "DOWNSTREAM"}}

    bare = "query ($input: LineageInput!) { lineage(input: $input) { nodes { id } } }"
    # The first walk after the graph was emptied rebuilds the topology index.
    api.data(bare, variables)
    before = statements(app)
    api.data(bare, variables)
    middle = statements(app)
    counts = api.data(NEIGHBORS, variables)["lineage"]
    after = statements(app)

    assert len(counts["nodes"]) == 1 + 2 * width
    assert (after - middle) - (middle - before) == 1


SUMMARIES = """
query ($input: LineageInput!) {
  lineage(input: $input) {
    nodes { id name uri state
      node { ... on Artifact { name uri state } ... on Execution { name executionState: state } } }
  }
}
"""


async def test_lineage_nodes_carry_the_name_uri_and_state_of_their_node(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)
    await services.ingest.update_states(NodeKind.ARTIFACT, {built.id("raw_b"): ArtifactState.DELETED})
    await services.ingest.update_states(NodeKind.EXECUTION, {built.id("train"): ExecutionState.FAILED})

    graph = api.data(SUMMARIES, {"input": {"startArtifactIds": [built.id("model")],
                                           "direction": "BOTH", "maxHops": 4}})["lineage"]

    by_name = {built.names[n["id"]]: n for n in graph["nodes"]}
    assert {"raw_b", "train", "model", "deploy"} <= set(by_name)
    for name, n in by_name.items():
        artifact = built.kinds[name] is NodeKind.ARTIFACT
        assert (n["name"], n["uri"]) == (name, f"mem://{name}" if artifact else None)
        node = n["node"]
        assert n["state"] == (node["state"] if artifact else node["executionState"])
    assert (by_name["raw_b"]["state"], by_name["train"]["state"]) == ("DELETED", "FAILED")
    assert by_name["model"]["state"] == "UNKNOWN"


@pytest.mark.parametrize("fields", [
    "name uri state", "upstreamNeighbors", "name state hiddenDownstream downstreamNeighbors"])
async def test_summaries_and_neighbour_counts_together_cost_one_statement(
        counted: tuple[Api, Starlette], services: Services, fields: str) -> None:
    api, app = counted
    built = await build(services, PIPELINE)
    variables = {"input": {"startArtifactIds": [built.id("raw_b")], "direction": "DOWNSTREAM"}}
    query = "query ($input: LineageInput!) { lineage(input: $input) { nodes { id FIELDS } } }"

    # The first walk after the graph was emptied rebuilds the topology index.
    api.data(query.replace("FIELDS", ""), variables)
    before = statements(app)
    api.data(query.replace("FIELDS", ""), variables)
    middle = statements(app)
    nodes = api.data(query.replace("FIELDS", fields), variables)["lineage"]["nodes"]
    after = statements(app)

    assert (after - middle) - (middle - before) == 1
    if "name" in fields:
        assert {n["name"] for n in nodes} == {built.names[n["id"]] for n in nodes}


async def test_impact_nodes_carry_name_uri_and_state(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    impact = api.data("""query ($ids: [ID!]!) { impact(artifactIds: $ids) {
        nodes { id name uri state } } }""", {"ids": [built.id("raw_b")]})["impact"]

    assert len(impact["nodes"]) > 5
    for n in impact["nodes"]:
        name = built.names[n["id"]]
        artifact = built.kinds[name] is NodeKind.ARTIFACT
        assert (n["name"], n["uri"], n["state"]) == (
            name, f"mem://{name}" if artifact else None, "UNKNOWN")


# --- search -------------------------------------------------------------------------------------

def hit_names(api: Api, built: Built, text: str, **variables: Any) -> list[str]:
    hits = api.data(SEARCH, {"text": text, **variables})["search"]
    return [built.names[h["id"]] for h in hits]


async def test_search_finds_names_containing_the_text_ignoring_case(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    found = hit_names(api, built, "RAW_")

    assert set(found) == {n for n in built.ids if "raw_" in n}


async def test_search_finds_by_id_external_id_uri_and_type(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    assert hit_names(api, built, built.id("featurize")) == ["featurize"]
    assert hit_names(api, built, "model_served")[0] == "model_served"
    assert hit_names(api, built, "mem://metrics") == ["metrics"]
    by_type = hit_names(api, built, "rawdata", kinds=["ARTIFACT"])
    assert set(by_type) == {n for n, k in built.kinds.items()
                            if k is NodeKind.ARTIFACT and artifact_type(n) == "RawData"}


async def test_search_ranks_exact_names_then_prefixes_then_the_rest(
        api: Api, services: Services) -> None:
    built = await build(services, {"fit_model": (["data"], ["model"]),
                                "model_eval": (["model"], ["scores"])})

    found = hit_names(api, built, "model")

    assert found == ["model", "model_eval", "fit_model"]


async def test_search_returns_what_a_hit_list_shows(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE, context="nightly-run")

    [hit] = api.data(SEARCH, {"text": "nightly"})["search"]
    [artifact] = api.data(SEARCH, {"text": "test_set"})["search"]

    assert hit == {"id": built.id("nightly-run"), "kind": "CONTEXT", "typeName": "PipelineRun",
                   "name": "nightly-run", "uri": None, "externalId": None}
    assert artifact == {"id": built.id("test_set"), "kind": "ARTIFACT", "typeName": "Dataset",
                        "name": "test_set", "uri": "mem://test_set", "externalId": "test_set"}


async def test_search_keeps_to_the_kinds_and_the_count_asked_for(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)

    executions = hit_names(api, built, "in", kinds=["EXECUTION"])  # also train_set
    two = hit_names(api, built, "a", first=2)

    assert set(executions) == {"ingest", "train"}
    assert len(two) == 2


@pytest.mark.parametrize(("variables", "code", "field"), [
    ({"text": "  "}, "BAD_USER_INPUT", "text"),
    ({"text": "x" * 201}, "BAD_USER_INPUT", "text"),
    ({"text": "x", "first": 0}, "BAD_USER_INPUT", "first"),
    ({"text": "x", "first": 1001}, "LIMIT_EXCEEDED", "first"),
    ({"text": "x", "kinds": []}, "BAD_USER_INPUT", "kinds"),
])
async def test_search_refuses_bad_input_naming_the_field(
        api: Api, variables: dict[str, Any], code: str, field: str) -> None:
    error = api.error(SEARCH, variables)

    assert error["extensions"]["code"] == code
    assert error["message"].startswith(f"{field}:")


# --- type counts --------------------------------------------------------------------------------

async def test_type_counts_count_every_node_by_kind_and_type(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE, context="nightly-run")

    counts = api.data("{ typeCounts { kind typeName count } }")["typeCounts"]

    expected = Counter(
        ("ARTIFACT", artifact_type(n)) if k is NodeKind.ARTIFACT else ("EXECUTION", "Step")
        for n, k in built.kinds.items())
    expected[("CONTEXT", "PipelineRun")] = 1
    assert {(c["kind"], c["typeName"]): c["count"] for c in counts} == dict(expected)
    kinds = ["ARTIFACT", "EXECUTION", "CONTEXT"]
    assert [(c["kind"], c["typeName"]) for c in counts] == sorted(
        expected, key=lambda k: (kinds.index(k[0]), k[1]))
