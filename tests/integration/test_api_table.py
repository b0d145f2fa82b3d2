"""The compact lineage table — GraphQL's `table` and `GET /api/v1/subgraph` as JSON and as
NDJSON — holds exactly the typed answer, node for node and edge for edge."""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

import orjson
import pytest
from starlette.applications import Starlette

from graph_api.model.enums import Direction, NodeKind
from graph_api.model.nodes import ArtifactInput
from graph_api.model.types import PropertyType, TypeInput
from graph_api.services import stream
from graph_api.services import subgraph as subgraph_service
from graph_api.services import table as table_service
from graph_api.services.container import Services
from tests.integration.api import WALK_PATHS, Api, on_each_walk_path, statements
from tests.integration.lineage_graphs import PIPELINE, Built, Steps, build, reference
from tests.integration.tables import (
    ALL_COLUMNS,
    TYPED_NODES,
    as_set,
    edges_of_table,
    edges_of_typed,
    joined,
    multiset,
    rows_of_table,
    rows_of_typed,
    stream_lines,
)

LINEAGE = f"""query ($input: LineageInput!, $columns: [LineageColumn!]) {{
  lineage(input: $input) {{ {TYPED_NODES} table(columns: $columns) }}
}}"""

#: Every test runs against a server with the topology index and one walking in Cypher.
api = pytest.fixture(params=WALK_PATHS)(on_each_walk_path)


def starts(built: Built, names: list[str]) -> dict[str, list[str]]:
    return {
        "startArtifactIds": [built.id(n) for n in names if built.kinds[n] is NodeKind.ARTIFACT],
        "startExecutionIds": [built.id(n) for n in names if built.kinds[n] is NodeKind.EXECUTION],
    }


def params_of(lineage_input: dict[str, Any], columns: list[str], fmt: str) -> list[tuple[str, str]]:
    """The subgraph endpoint's query parameters for a GraphQL `LineageInput`."""
    params = [("artifactId", i) for i in lineage_input.get("startArtifactIds", [])]
    params += [("executionId", i) for i in lineage_input.get("startExecutionIds", [])]
    for key in ("direction", "maxHops", "maxNodes", "startContextId", "includeStopNodes"):
        if lineage_input.get(key) is not None:
            value = lineage_input[key]
            name = "contextId" if key == "startContextId" else key
            params.append((name, str(value).lower() if isinstance(value, bool) else str(value)))
    if "stopAt" in lineage_input:
        params.append(("stopAt", orjson.dumps(lineage_input["stopAt"]).decode()))
    for kind in lineage_input.get("include", {}).get("kinds") or []:
        params.append(("kind", kind))
    for type_ in lineage_input.get("include", {}).get("types") or []:
        params.append(("type", type_))
    params += [("columns", c.lower()) for c in columns]
    return [*params, ("format", fmt)]


def subgraph(api: Api, params: list[tuple[str, str]]) -> Any:
    response = api.client.get(f"{api.url}/api/v1/subgraph", params=params)
    assert response.status_code == 200, response.text
    return response


def check_every_form(api: Api, lineage_input: dict[str, Any],
                     columns: list[str] = ALL_COLUMNS) -> dict[str, Any]:
    """Ask the typed answer with its table, the subgraph as JSON and as NDJSON; assert they
    hold the same nodes and edges. Returns the GraphQL answer."""
    answer = api.data(LINEAGE, {"input": lineage_input, "columns": columns})["lineage"]
    table = answer["table"]
    rows, edges = rows_of_table(table), edges_of_table(table)
    if columns == ALL_COLUMNS:
        assert rows == rows_of_typed(answer)
    else:
        keys = {"id", "kind", "type", "degree"} | set().union(*(
            {"NAME": {"name"}, "URI": {"uri"}, "STATE": {"state"},
             "NEIGHBORS": {"upstreamNeighbors", "downstreamNeighbors"}}[c] for c in columns))
        assert rows == [{k: r[k] for k in keys} for r in rows_of_typed(answer)]
    assert edges == edges_of_typed(answer)
    assert table["truncated"] == answer["truncated"]

    as_json = subgraph(api, params_of(lineage_input, columns, "json"))
    assert as_json.headers["content-type"] == "application/json"
    assert orjson.loads(as_json.content) == table

    if answer["truncated"]:
        return answer  # a stream has no node cap: nothing to compare it with
    as_ndjson = subgraph(api, params_of({k: v for k, v in lineage_input.items()
                                         if k != "maxNodes"}, columns, "ndjson"))
    assert as_ndjson.headers["content-type"].startswith("application/x-ndjson")
    streamed, end = joined(stream_lines(as_ndjson.content))
    assert as_set(rows_of_table(streamed)) == as_set(rows)
    assert multiset(edges_of_table(streamed)) == multiset(edges)
    assert end == {"nodes": len(rows), "edges": len(edges)}
    return answer


@pytest.mark.parametrize("direction", ["UPSTREAM", "DOWNSTREAM", "BOTH"])
@pytest.mark.parametrize("start", [["model"], ["raw_b"], ["train"], ["features", "model_served"]])
async def test_every_form_of_the_answer_holds_the_typed_answer(
        api: Api, services: Services, start: list[str], direction: str) -> None:
    built = await build(services, PIPELINE)

    answer = check_every_form(api, {**starts(built, start), "direction": direction})

    assert {built.names[n["id"]] for n in answer["nodes"]} == set(
        reference(built.edges, start, Direction(direction), 20))


@pytest.mark.parametrize("options", [
    {"maxHops": 0}, {"maxHops": 1}, {"maxHops": 3},
    {"stopAt": {"field": "name", "op": "EQ", "value": "featurize"}},
    {"stopAt": {"field": "type", "op": "EQ", "value": "RawData"}, "includeStopNodes": False},
    {"include": {"kinds": ["ARTIFACT"]}},
    {"include": {"types": ["Model", "Step"]}},
], ids=["hops-0", "hops-1", "hops-3", "stop", "stop-excluded", "artifacts-only", "types"])
async def test_the_forms_agree_with_bounds_stops_and_filters(
        api: Api, services: Services, options: dict[str, Any]) -> None:
    built = await build(services, PIPELINE)

    check_every_form(api, {**starts(built, ["model", "clean"]), "direction": "BOTH", **options})


async def test_a_context_start_and_a_node_cap(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE, context="run-1")

    check_every_form(api, {"startContextId": built.id("run-1"), "direction": "DOWNSTREAM",
                           "maxHops": 2})
    capped = check_every_form(api, {**starts(built, ["raw_b"]), "direction": "DOWNSTREAM",
                                    "maxNodes": 4})

    assert capped["truncated"] is True and len(capped["table"]["nodes"]["id"]) == 4


@pytest.mark.parametrize("columns", [[], ["NAME"], ["URI", "STATE"], ["NEIGHBORS"]])
async def test_a_table_carries_only_the_columns_asked_for(
        api: Api, services: Services, columns: list[str]) -> None:
    built = await build(services, PIPELINE)

    answer = check_every_form(api, {**starts(built, ["model"]), "direction": "BOTH"}, columns)

    expected = {"id", "type", "degree"} | {
        key for c in columns for key in {"NAME": ["name"], "URI": ["uri"], "STATE": ["state"],
                                         "NEIGHBORS": ["upstreamNeighbors",
                                                       "downstreamNeighbors"]}[c]}
    assert set(answer["table"]["nodes"]) == expected
    assert set(answer["table"]) == {"types", "nodes", "edges", "truncated"}


async def test_the_properties_column_holds_each_nodes_stored_fields(
        api: Api, services: Services) -> None:
    await services.types.put(NodeKind.ARTIFACT, TypeInput(
        name="Dataset", version="2", properties={"rows": PropertyType.INT,
                                                 "schema": PropertyType.STRUCT}))
    built = await build(services, {"train": (["data"], ["model"])})
    [data] = await services.ingest.put_nodes(NodeKind.ARTIFACT, [ArtifactInput(
        type="Dataset", type_version="2", external_id="data-v2", name="data-v2",
        properties={"rows": 12, "schema": {"cols": ["a", "b"]}},
        custom_properties={"quality": "CORRUPTED", "checks": [1, 2]})])

    answer = check_every_form(api, {"startArtifactIds": [data, built.id("data")],
                                    "direction": "DOWNSTREAM"})

    row = next(r for r in rows_of_table(answer["table"]) if r["id"] == data)
    assert (row["externalId"], row["typeVersion"]) == ("data-v2", "2")
    assert row["properties"] == {"rows": 12, "schema": {"cols": ["a", "b"]}}
    assert row["customProperties"] == {"quality": "CORRUPTED", "checks": [1, 2]}
    assert row["createdAt"] == row["updatedAt"] > 0


def random_dag(seed: int, executions: int) -> Steps:
    """Steps each reading 1 to 3 earlier artifacts (or raw ones) and writing 1 or 2 new."""
    rng = random.Random(seed)
    artifacts = [f"raw_{i}" for i in range(4)]
    steps: dict[str, tuple[list[str], list[str]]] = {}
    for e in range(executions):
        inputs = rng.sample(artifacts, min(len(artifacts), rng.randint(1, 3)))
        outputs = [f"a{e}_{k}" for k in range(rng.randint(1, 2))]
        steps[f"step{e}"] = (inputs, outputs)
        artifacts += outputs
    return steps


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_stream_matches_the_walk_on_random_graphs_in_small_steps(
        api: Api, services: Services, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Several starts (some downstream of others) walked both ways, in steps of three
    frontier nodes: the stream reports each node once at its degree, each edge once."""
    monkeypatch.setattr(stream, "STEP_SLICE", 3)
    steps = random_dag(seed, 25)
    built = await build(services, steps)
    rng = random.Random(seed)
    names = sorted(built.ids)
    for hops in (1, 2, 5, 40):
        chosen = rng.sample(names, 3)
        for direction in ("UPSTREAM", "DOWNSTREAM", "BOTH"):
            answer = check_every_form(api, {**starts(built, chosen), "direction": direction,
                                            "maxHops": hops}, ["NAME", "STATE"])
            expected = reference(built.edges, chosen, Direction(direction), hops)
            got = {built.names[n["id"]]: n["degree"] for n in answer["nodes"]}
            assert got == expected


async def test_the_stream_streams_a_line_per_step(api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)
    params = params_of({**starts(built, ["raw_a"]), "direction": "DOWNSTREAM"}, ["NAME"],
                       "ndjson")

    lines = stream_lines(subgraph(api, params).content)

    # The start, then what each hop first reaches: degrees rise line by line.
    degrees = [line["nodes"]["degree"] for line in lines[:-1] if line["nodes"]["id"]]
    assert degrees[0] == [0] and len(degrees) > 3
    assert all(max(a) <= min(b) for a, b in pairwise(degrees))
    count = edges = 0
    for line in lines[:-1]:
        count += len(line["nodes"]["id"])
        edges += len(line["edges"]["source"])
        for s, t in zip(line["edges"]["source"], line["edges"]["target"], strict=True):
            assert s < count and t < count  # an edge names nodes already sent
    reached = set(reference(built.edges, ["raw_a"], Direction.DOWNSTREAM, 20))
    among = {(s, t) for s, t in built.edges if s in reached and t in reached}
    assert lines[-1] == {"end": {"nodes": len(reached), "edges": len(among)}}
    assert (count, edges) == (len(reached), len(among))


async def test_tables_of_different_columns_in_one_request_each_hold_theirs(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE)
    both = api.data("""query ($input: LineageInput!) { lineage(input: $input) {
        named: table(columns: [NAME]) stated: table(columns: [STATE]) bare: table } }""",
                    {"input": {**starts(built, ["model"]), "direction": "BOTH"}})["lineage"]

    assert set(both["named"]["nodes"]) == {"id", "type", "degree", "name"}
    assert set(both["stated"]["nodes"]) == {"id", "type", "degree", "state"}
    assert set(both["bare"]["nodes"]) == {"id", "type", "degree"}
    assert both["named"]["nodes"]["id"] == both["stated"]["nodes"]["id"] \
        == both["bare"]["nodes"]["id"]
    assert both["named"]["nodes"]["name"] == [built.names[i] for i in both["bare"]["nodes"]["id"]]


async def test_a_stream_line_holds_at_most_a_line_of_nodes_or_of_edges(
        api: Api, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subgraph_service, "LINE_NODES", 2)
    monkeypatch.setattr(subgraph_service, "LINE_EDGES", 3)
    built = await build(services, PIPELINE)
    request = {**starts(built, ["features"]), "direction": "BOTH"}

    lines = stream_lines(subgraph(api, params_of(request, ["NAME"], "ndjson")).content)

    for line in lines[:-1]:
        sizes = (len(line["nodes"]["id"]), len(line["edges"]["source"]))
        assert sizes[0] <= 2 and sizes[1] <= 3 and (sizes[0] == 0) != (sizes[1] == 0)
        assert set(line["nodes"]) == {"id", "type", "degree", "name"}
    streamed, _ = joined(lines)
    table = api.data(LINEAGE, {"input": request, "columns": ["NAME"]})["lineage"]["table"]
    assert as_set(rows_of_table(streamed)) == as_set(rows_of_table(table))
    assert multiset(edges_of_table(streamed)) == multiset(edges_of_table(table))


@pytest.mark.parametrize("width", [3, 40])
async def test_a_tables_columns_cost_a_fixed_number_of_statements(
        counted: tuple[Api, Starlette], services: Services, width: int) -> None:
    api, app = counted
    built = await build(services, {f"step{i}": (["raw"], [f"out{i}"]) for i in range(width)})
    variables = {"input": {"startArtifactIds": [built.id("raw")], "direction": "DOWNSTREAM"}}
    query = "query ($input: LineageInput!) { lineage(input: $input) { table COLUMNS } }"

    # The first walk after the graph was emptied rebuilds the topology index.
    api.data(query.replace("COLUMNS", ""), variables)
    before = statements(app)
    bare = api.data(query.replace("COLUMNS", ""), variables)["lineage"]["table"]
    middle = statements(app)
    full = api.data(query.replace("COLUMNS", "(columns: [NAME, NEIGHBORS, PROPERTIES])"),
                    variables)["lineage"]["table"]
    after = statements(app)

    assert len(full["nodes"]["id"]) == len(bare["nodes"]["id"]) == 1 + 2 * width
    # One statement for the stored fields (the name among them); the neighbour counts
    # come from the topology index the walk used.
    assert (after - middle) - (middle - before) == 1


async def test_a_large_tables_columns_read_in_slices_are_the_whole_read(
        counted: tuple[Api, Starlette], services: Services, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    api, app = counted
    built = await build(services, {f"step{i}": (["raw"], [f"out{i}"]) for i in range(12)})
    query = """query ($ids: [ID!]!) { impact(artifactIds: $ids) {
        table(columns: [NAME, URI, STATE, NEIGHBORS, PROPERTIES]) } }"""
    variables = {"ids": [built.id("raw")]}
    api.data(query, variables)  # the first walk after the graph was emptied builds the index

    before = statements(app)
    whole = api.data(query, variables)["impact"]["table"]
    middle = statements(app)
    monkeypatch.setattr(table_service, "SLICE", 4)  # 25 nodes: four slices of 7 or fewer
    sliced = api.data(query, variables)["impact"]["table"]
    after = statements(app)

    assert len(whole["nodes"]["id"]) == 25
    assert sliced == whole
    # Three more slices, one statement each: the neighbour counts come from the index.
    assert (after - middle) - (middle - before) == 3


async def test_context_graphs_paths_and_impact_have_tables_too(
        api: Api, services: Services) -> None:
    built = await build(services, PIPELINE, context="run-1")
    typed = f"{TYPED_NODES} table(columns: [NAME, URI, STATE, NEIGHBORS, PROPERTIES])"

    graph = api.data(f"query ($id: ID!) {{ contextGraph(contextId: $id) {{ {typed} }} }}",
                     {"id": built.id("run-1")})["contextGraph"]
    path = api.data(f"query ($a: ID!, $b: ID!) {{ lineagePath(fromId: $a, toId: $b) "
                    f"{{ {typed} }} }}", {"a": built.id("raw_a"), "b": built.id("metrics")}
                    )["lineagePath"]
    impact = api.data("""query ($ids: [ID!]!) { impact(artifactIds: $ids) {
        nodes { id kind type degree name uri state }
        table(columns: [NAME, URI, STATE]) } }""", {"ids": [built.id("raw_b")]})["impact"]
    downstream = api.data(LINEAGE, {"input": {**starts(built, ["raw_b"]),
                                              "direction": "DOWNSTREAM", "maxHops": 100},
                                    "columns": []})["lineage"]

    for answer in (graph, path):
        assert rows_of_table(answer["table"]) == rows_of_typed(answer)
        assert edges_of_table(answer["table"]) == edges_of_typed(answer)
    assert [built.names[i] for i in path["table"]["nodes"]["id"]] == [
        "raw_a", "ingest", "clean", "featurize", "features", "split", "test_set", "evaluate",
        "metrics"]
    assert rows_of_table(impact["table"]) == impact["nodes"]
    assert edges_of_table(impact["table"]) == edges_of_typed(downstream)


@pytest.mark.parametrize(("params", "status", "code", "field"), [
    ([], 400, "BAD_USER_INPUT", "start"),
    ([("artifactId", "X"), ("colour", "red")], 400, "BAD_USER_INPUT", "colour"),
    ([("artifactId", "X"), ("direction", "SIDEWAYS")], 400, "BAD_USER_INPUT", "direction"),
    ([("artifactId", "X"), ("format", "xml")], 400, "BAD_USER_INPUT", "format"),
    ([("artifactId", "X"), ("columns", "name,colour")], 400, "BAD_USER_INPUT", "columns"),
    ([("artifactId", "X"), ("maxHops", "101")], 400, "LIMIT_EXCEEDED", "maxHops"),
    ([("artifactId", "X"), ("maxHops", "-1")], 400, "BAD_USER_INPUT", "maxHops"),
    ([("artifactId", "X"), ("maxHops", "two")], 400, "BAD_USER_INPUT", "maxHops"),
    ([("artifactId", "X"), ("maxNodes", "0")], 400, "BAD_USER_INPUT", "maxNodes"),
    ([("artifactId", "X"), ("maxNodes", "5"), ("format", "ndjson")], 400, "BAD_USER_INPUT",
     "maxNodes"),
    ([("artifactId", "X"), ("stopAt", "{not json")], 400, "BAD_USER_INPUT", "stopAt"),
    ([("artifactId", "X"), ("stopAt", '{"op": "EQ"}')], 400, "BAD_USER_INPUT", "stopAt"),
    ([("artifactId", "X"), ("stopAt", '{"field": "colour", "op": "EQ", "value": 1}')], 400,
     "BAD_USER_INPUT", "stopAt"),
    ([("artifactId", "X"), ("includeStopNodes", "maybe")], 400, "BAD_USER_INPUT",
     "includeStopNodes"),
    ([("artifactId", "no-such-node")], 404, "NOT_FOUND", "startArtifactIds"),
    ([("executionId", "no-such-node"), ("format", "ndjson")], 404, "NOT_FOUND",
     "startExecutionIds"),
], ids=["no-start", "unknown-parameter", "direction", "format", "columns", "hops-cap",
        "hops-negative", "hops-not-a-number", "nodes-zero", "nodes-in-a-stream", "stop-json",
        "stop-shape", "stop-field", "include-stop", "unknown-artifact", "unknown-execution"])
async def test_a_bad_request_is_refused_before_any_row_naming_the_parameter(
        api: Api, services: Services, params: list[tuple[str, str]], status: int, code: str,
        field: str) -> None:
    built = await build(services, PIPELINE)
    params = [(k, built.id("model") if v == "X" else v) for k, v in params]

    response = api.client.get(f"{api.url}/api/v1/subgraph", params=params)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["code"] == code
    assert field in response.json()["message"]
    assert set(response.json()) == {"code", "message"}
