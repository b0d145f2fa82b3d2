"""The read questions of the API benchmark, each asked every way it can be:

* `store` — the services in the bench's process: the walk and the reads an answer needs
  (the database's work, without building or sending the answer);
* `table` — GraphQL's compact `table` (with the columns the question needs);
* `subgraph` — `GET /api/v1/subgraph` (the same table over plain HTTP);
* `typed` — GraphQL's typed `nodes { … } edges { … }`, plain strawberry;
* `before` — the typed document on the server of the `--before` commit, if given.

Questions (on the graph of `bench/synthetic.py`):

* `upstream` — upstream lineage of a final model (ids, kinds, types, degrees, edges);
* `upstream+props` — the same with every node's stored fields and properties;
* `downstream` — downstream lineage of the raw dataset whose answer is closest to
  `--mid-nodes` (5,000) nodes;
* `downstream+summ` — the same with what the UI draws of each node (name, uri, state and
  the neighbour counts);
* `hop5` — 5 hops of downstream lineage of a mid-pipeline artifact (`lineage_bench`'s);
* `hop5+props` — the same with every node's stored fields and properties;
* `impact+props` — impact of the most-shared raw dataset, with every node's stored fields
  and the contexts' (there is no subgraph of an impact: its table is GraphQL's);
* `hub ndjson` — the downstream lineage of the most-shared raw dataset streamed as NDJSON
  (`subgraph` side only; its store side consumes the same stream in process);
* `export (csv)` — `GET /api/v1/impact?format=csv` of that dataset, read to the end;
* `listing` — `artifacts(first: 100)` with each one's producers, their inputs and contexts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from bench import synthetic
from bench.api_servers import Reader, Timed
from bench.lineage_bench import HOP5
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.filters import ListOptions
from graph_api.model.lineage import LineageRequest
from graph_api.model.table import Column
from graph_api.services.container import Services

PROPS = """
node {
  __typename
  ... on Artifact { id externalId typeName name uri artifactState: state properties
                    customProperties createdAt updatedAt }
  ... on Execution { id externalId typeName name executionState: state properties
                     customProperties createdAt updatedAt }
}"""
#: What the UI draws of each node: its summary fields and neighbour counts.
SUMMARY = "name uri state upstreamNeighbors downstreamNeighbors hiddenUpstream hiddenDownstream"
TYPED = """query ($input: LineageInput!) {
  lineage(input: $input) {
    nodes { id kind type degree NODE }
    edges { source target kind eventType }
    truncated
  }
}"""
TABLE = """query ($input: LineageInput!) { lineage(input: $input) { table COLUMNS } }"""
CONTEXTS = """contexts { id type name degree direct affectedMembers
           context { id externalId name properties customProperties createdAt } }
countsByKind { kind count }
countsByType { kind type count }
truncated"""
IMPACT_TYPED = ("query ($ids: [ID!]!) { impact(artifactIds: $ids) { nodes { id kind type "
                "degree NODE } " + CONTEXTS + " } }").replace("NODE", PROPS)
IMPACT_TABLE = ("query ($ids: [ID!]!) { impact(artifactIds: $ids) { table(columns: "
                "[NAME, URI, STATE, PROPERTIES]) " + CONTEXTS + " } }")
LISTING = """{ artifacts(first: 100) { edges { node {
  id producedBy { id inputs { id } contexts { id } } } } } }"""
PROPERTY_COLUMNS = [Column.NAME, Column.URI, Column.STATE, Column.PROPERTIES]
SUMMARY_COLUMNS = [Column.NAME, Column.URI, Column.STATE, Column.NEIGHBORS]

MakeTimed = Callable[[Reader], Timed]


@dataclass
class Question:
    """One question: its store side, and how each API side asks it (`before` on the
    server of the earlier commit, every other side on this checkout's)."""

    name: str
    store: Timed
    sides: dict[str, MakeTimed] = field(default_factory=dict)


def _columns(columns: Sequence[Column]) -> str:
    return f"(columns: [{', '.join(c.value for c in columns)}])" if columns else ""


def lineage_question(name: str, services: Services, requests: Callable[[int], LineageRequest],
                     columns: Sequence[Column], typed_node: str) -> Question:
    """A lineage question asked every way."""

    def variables(i: int) -> dict[str, Any]:
        r = requests(i)
        return {"input": {"startArtifactIds": r.start_artifact_ids,
                          "direction": r.direction.value, "maxHops": r.max_hops}}

    def params(i: int) -> list[tuple[str, str]]:
        r = requests(i)
        return [*(("artifactId", a) for a in r.start_artifact_ids),
                ("direction", r.direction.value), ("maxHops", str(r.max_hops)),
                *(("columns", c.value.lower()) for c in columns)]

    async def store(i: int) -> int:
        graph = await services.lineage.lineage(requests(i))
        if columns:
            await services.tables.columns(graph.ids, graph.kinds, columns)
        return len(graph)

    typed = TYPED.replace("NODE", typed_node)
    table = TABLE.replace("COLUMNS", _columns(columns))

    def ask_typed(r: Reader) -> Timed:
        async def run(i: int) -> int:
            return len((await r.graphql(typed, variables(i)))["lineage"]["nodes"])
        return run

    def ask_table(r: Reader) -> Timed:
        async def run(i: int) -> int:
            answer = (await r.graphql(table, variables(i)))["lineage"]["table"]
            return len(answer["nodes"]["id"])
        return run

    def ask_subgraph(r: Reader) -> Timed:
        async def run(i: int) -> int:
            return len((await r.json("/api/v1/subgraph", params(i)))["nodes"]["id"])
        return run

    return Question(name, store, {"table": ask_table, "subgraph": ask_subgraph,
                                  "typed": ask_typed, "before": ask_typed})


def mid_depth(graph: synthetic.SyntheticGraph, max_hops: int) -> int:
    """The depth of the full-depth questions: the graph's whole depth, within `max_hops`."""
    return min(2 * len(graph.pipelines[0].executions) + 2, max_hops)


def questions(services: Services, graph: synthetic.SyntheticGraph, ids: dict[str, str],
              repeats: int, mid_size: int) -> list[Question]:
    """Every question of the benchmark, on `graph` written with `ids`."""
    depth = mid_depth(graph, services.limits.max_hops)
    mid_start, _ = synthetic.sized_start(graph, mid_size, depth)
    models = [ids[m] for m in synthetic.upstream_starts(graph, repeats)]
    mids = [ids[a] for a in synthetic.hop5_starts(graph, repeats)]
    hot = ids[graph.most_shared_dataset]

    def upstream(i: int) -> LineageRequest:
        return LineageRequest(start_artifact_ids=[models[i % len(models)]],
                              direction=Direction.UPSTREAM, max_hops=depth)

    def downstream(_: int) -> LineageRequest:
        return LineageRequest(start_artifact_ids=[ids[mid_start]],
                              direction=Direction.DOWNSTREAM, max_hops=depth)

    def hop5(i: int) -> LineageRequest:
        return LineageRequest(start_artifact_ids=[mids[i % len(mids)]],
                              direction=Direction.DOWNSTREAM, max_hops=HOP5)

    return [
        lineage_question("upstream", services, upstream, [], ""),
        lineage_question("upstream+props", services, upstream, PROPERTY_COLUMNS, PROPS),
        lineage_question("downstream", services, downstream, [], ""),
        lineage_question("downstream+summ", services, downstream, SUMMARY_COLUMNS, SUMMARY),
        lineage_question("hop5", services, hop5, [], ""),
        lineage_question("hop5+props", services, hop5, PROPERTY_COLUMNS, PROPS),
        impact_question(services, hot),
        hub_stream_question(services, hot, depth),
        export_question(services, hot),
        listing_question(services),
    ]


def impact_question(services: Services, hot: str) -> Question:
    async def store(_: int) -> int:
        answer = await services.impact.analyze([hot])
        await asyncio.gather(
            services.tables.columns(answer.graph.ids, answer.graph.kinds, PROPERTY_COLUMNS),
            services.nodes.by_ids(NodeKind.CONTEXT, [c.id for c in answer.contexts]))
        return len(answer.graph)

    def ask(document: str, nodes: Callable[[dict[str, Any]], int]) -> MakeTimed:
        def make(r: Reader) -> Timed:
            async def run(_: int) -> int:
                answer = (await r.graphql(document, {"ids": [hot]}))["impact"]
                if answer["truncated"]:
                    raise SystemExit("impact answer truncated: raise LINEAGE_MAX_NODES")
                return nodes(answer)
            return run
        return make

    typed = ask(IMPACT_TYPED, lambda a: len(a["nodes"]))
    return Question("impact+props", store, {
        "table": ask(IMPACT_TABLE, lambda a: len(a["table"]["nodes"]["id"])),
        "typed": typed, "before": typed})


def hub_stream_question(services: Services, hot: str, depth: int) -> Question:
    request = LineageRequest(start_artifact_ids=[hot], direction=Direction.DOWNSTREAM,
                             max_hops=depth)

    async def store(_: int) -> int:
        nodes = 0
        async for line in await services.subgraph.stream(request, [Column.NAME]):
            nodes += len(line.get("nodes", {}).get("id", ()))
        return nodes

    def ask(r: Reader) -> Timed:
        async def run(_: int) -> int:
            nodes = 0

            def count(line: bytes) -> None:  # as a client reads the stream: line by line
                nonlocal nodes
                nodes += len(orjson.loads(line).get("nodes", {}).get("id", ()))

            await r.lines("/api/v1/subgraph", [
                ("artifactId", hot), ("direction", "DOWNSTREAM"), ("maxHops", str(depth)),
                ("columns", "name"), ("format", "ndjson")], count)
            return nodes
        return run

    return Question("hub ndjson", store, {"subgraph": ask})


def export_question(services: Services, hot: str) -> Question:
    async def store(_: int) -> int:
        rows = 0
        async for batch in await services.impact.export([hot]):
            rows += len(batch)
        return rows

    def ask(r: Reader) -> Timed:
        async def run(_: int) -> int:
            lines = await r.lines("/api/v1/impact", [("artifactId", hot), ("format", "csv")])
            return lines - 1  # the header
        return run

    return Question("export (csv)", store, {"typed": ask, "before": ask})


def listing_question(services: Services) -> Question:
    async def store(_: int) -> int:
        """The listing's service calls, level by level, as the DataLoaders make them."""
        page = await services.nodes.list(NodeKind.ARTIFACT, ListOptions(limit=100))
        producers = await services.nodes.neighbours("producers", [n.id for n in page.items])
        execution_ids = list(dict.fromkeys(e.id for es in producers.values() for e in es))
        await asyncio.gather(services.nodes.neighbours("inputs", execution_ids),
                             services.nodes.contexts_of(NodeKind.EXECUTION, execution_ids))
        return len(page.items)

    def ask(r: Reader) -> Timed:
        async def run(_: int) -> int:
            return len((await r.graphql(LISTING, {}))["artifacts"]["edges"])
        return run

    return Question("listing", store, {"typed": ask, "before": ask})
