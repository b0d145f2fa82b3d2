"""API benchmark: lineage and impact end to end (HTTP + GraphQL + database) vs the services.

Builds the synthetic graph of `bench/synthetic.py`, ingests it with `lineage_bench.ingest`,
starts the API server (`uvicorn graph_api.server:create_app`, its own process, on
loopback) over the same database, and times each question both ways in the same run,
alternating the two so drift hits both alike:

* `upstream` — upstream lineage of a final model (ids, kinds, types, degrees, edges);
  store side: `services.lineage.lineage`;
* `upstream+props` — the same with every node's properties (`node { … }`); store side:
  the walk plus the two by-id reads the DataLoaders make (artifacts, executions);
* `downstream` — downstream lineage of the raw dataset whose answer is closest to
  `--mid-nodes` (5,000) nodes, within the 10,000 the target covers; store side: the walk;
* `downstream+summ` — the same with what the UI draws of each node (`name uri state` and
  the neighbour counts); store side: the walk plus `node_summaries`;
* `impact+props` — downstream impact of the most-shared raw dataset with the properties
  of every node and context; store side: `ImpactService.analyze` plus the by-id reads of
  its artifacts, executions and contexts;
* `export` — `GET /api/v1/impact?format=csv` of the same dataset read to the end; store
  side: `ImpactService.export` consumed in process;
* `listing` — `artifacts(first: 100)` with each one's producers, their inputs and their
  contexts; store side: the calls the DataLoaders make (the page, `producers_of`, then
  `inputs_of` and `contexts_of` concurrently).

Then ingestion: a second synthetic graph (seed 2, `--ingest-pipelines`, default 20 or
`--pipelines` if fewer) is written into a wiped database five times, wiping in between:

* `store ingest` — `lineage_bench.ingest` (one transaction per chunk of pipelines);
* `store put_execution` / `api putExecution` — one `put_execution` per execution (its
  input artifacts by id, its outputs as new artifacts, its pipeline context by
  externalId); over HTTP the same step of up to `maxAliases` (30) pipelines goes in one
  request as aliased mutations (`e0: putExecution(…) e1: …`), each its own transaction;
* `store batch` / `api batch` — per chunk of pipelines the five batch writes
  (putContexts, putArtifacts, putExecutions, putEvents, putAttributionsAndAssociations);
  over HTTP two requests per chunk: the three node writes as one aliased document, then
  the events and memberships as another.

Each ingestion counts nodes and relationships afterwards against `store ingest`'s.

HTTP figures include the client's reading and JSON decoding of the answer. Each question
is asked through two clients, alternated with the store in the same loop: `api` is aiohttp's
(a C-accelerated HTTP parser, a connection pool) decoding with orjson, whose own cost is
close to a browser's, the figure the target applies to, since it measures what HTTP and
GraphQL add rather than a client library's Python; `httpx` is the client the Python SDK
uses (decoding with orjson, as the SDK does), whose own per-request work costs about 2 ms
more on this machine. Each line prints p50 / p95 in milliseconds, the ratio of each
client's p50 to the store's (target: at most 1.25 for answers up to 10,000 nodes) and,
unless `--skip-mlmd`, to ml-metadata's in the same run (`bench/mlmd_baseline.py`, SQLite,
in process): `get_lineage_subgraph` upstream of the same final models for `upstream*`,
downstream of the same dataset for `impact+props` and `export`, and for `listing`
`get_artifacts(limit 100)`, the events of those, their producing executions, the events of
those, their input artifacts and `get_contexts_by_execution` per producer (MLMD has no
batched form). Ingestion is printed in nodes + edges per second with ratios > 1 meaning
the API is faster. The embedded engine is used unless NEO4J_URI is set.

    python bench/api_bench.py --pipelines 100 --steps 30 --fan-in 3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_api.gc_pause import server_collector

from bench import synthetic
from bench.lineage_bench import ingest, register_types, wipe
from bench.synthetic import percentile
from graph_api.config import Settings
from graph_api.embedded import USER, free_port
from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.filters import ListOptions
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.lineage import LineageRequest
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, EventInput
from graph_api.runtime import Runtime, open_runtime
from graph_api.services.container import Services
from graph_api.services.impact import ImpactService

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
LINEAGE = """query ($input: LineageInput!) {
  lineage(input: $input) {
    nodes { id kind type degree NODE }
    edges { source target kind eventType }
    truncated
  }
}"""
IMPACT = """query ($ids: [ID!]!) {
  impact(artifactIds: $ids) {
    nodes { id kind type degree NODE }
    contexts { id type name degree direct affectedMembers
               context { id externalId name properties customProperties createdAt } }
    countsByKind { kind count }
    countsByType { kind type count }
    truncated
  }
}""".replace("NODE", PROPS)
LISTING = """{ artifacts(first: 100) { edges { node {
  id producedBy { id inputs { id } contexts { id } } } } } }"""
BATCH_NODES = """mutation ($c: [ContextInput!]!, $a: [ArtifactInput!]!, $x: [ExecutionInput!]!) {
  contexts: putContexts(input: $c)
  artifacts: putArtifacts(input: $a)
  executions: putExecutions(input: $x)
}"""
BATCH_RELATIONS = """mutation ($ev: [EventInput!]!, $at: [AttributionInput!],
                   $as: [AssociationInput!]) {
  putEvents(input: $ev)
  putAttributionsAndAssociations(attributions: $at, associations: $as)
}"""
RAW = "mutation ($a: [ArtifactInput!]!) { putArtifacts(input: $a) }"

Timed = Callable[[int], Awaitable[int]]  # run the i-th request; return the answer's size


def start_server(runtime: Runtime, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """The API in its own process, over the bench's database."""
    server_env = dict(env)
    if runtime.engine is not None:
        server_env.update(NEO4J_URI=runtime.uri, NEO4J_USER=USER,
                          NEO4J_PASSWORD=runtime.engine.password())
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "graph_api.server:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=server_env, cwd=Path(__file__).resolve().parent.parent)


async def shut_down(server: subprocess.Popen[bytes] | None, runtime: Runtime) -> None:
    """Stop the API server (if it was started), close the bench's runtime and its engine."""
    if server is not None:
        server.terminate()
        server.wait(timeout=30)
    await runtime.close()
    if runtime.engine is not None:
        runtime.engine.stop()


async def wait_ready(client: httpx.AsyncClient, url: str, server: subprocess.Popen[bytes]
                     ) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the API server exited with {server.returncode}")
        try:
            if (await client.get(f"{url}/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("the API server did not become ready")


async def graphql(client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any]
                  ) -> dict[str, Any]:
    response = await client.post(f"{url}/graphql", json={"query": query, "variables": variables})
    answer: dict[str, Any] = orjson.loads(response.content)  # as the SDK's transport decodes
    if answer.get("errors"):
        raise SystemExit(f"GraphQL error: {answer['errors'][0]}")
    data: dict[str, Any] = answer["data"]
    return data


async def compare(name: str, store_side: Timed, api_sides: dict[str, Timed], repeats: int
                  ) -> dict[str, float]:
    """Warm every side up, then alternate them `repeats` times."""
    sides = {"store": store_side, **api_sides}
    for i in range(3):
        for run in sides.values():
            await run(i)
    times: dict[str, list[float]] = {side: [] for side in sides}
    sizes: list[int] = []
    for i in range(repeats):
        for side, run in sides.items():
            t0 = time.perf_counter()
            size = await run(i)
            times[side].append((time.perf_counter() - t0) * 1000)
        sizes.append(size)
    out = {"nodes": sum(sizes) / len(sizes)}
    for side, samples in times.items():
        out[f"{side}_p50"] = percentile(samples, 50)
        out[f"{side}_p95"] = percentile(samples, 95)
    return out


class Reader:
    """One HTTP client's way of asking the API: a GraphQL request, and the CSV export."""

    def __init__(self, graphql: Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]],
                 export_lines: Callable[[str, dict[str, str]], Awaitable[int]]) -> None:
        self.graphql = graphql
        self.export_lines = export_lines


def httpx_reader(client: httpx.AsyncClient, url: str) -> Reader:
    async def export_lines(path: str, params: dict[str, str]) -> int:
        lines = 0
        async with client.stream("GET", f"{url}{path}", params=params) as response:
            async for _ in response.aiter_lines():
                lines += 1
        return lines

    return Reader(lambda q, v: graphql(client, url, q, v), export_lines)


def aiohttp_reader(session: aiohttp.ClientSession, url: str) -> Reader:
    async def ask(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        async with session.post(f"{url}/graphql",
                                json={"query": query, "variables": variables}) as response:
            answer: dict[str, Any] = orjson.loads(await response.read())
        if answer.get("errors"):
            raise SystemExit(f"GraphQL error: {answer['errors'][0]}")
        data: dict[str, Any] = answer["data"]
        return data

    async def export_lines(path: str, params: dict[str, str]) -> int:
        lines = 0
        async with session.get(f"{url}{path}", params=params) as response:
            async for _ in response.content:  # line by line
                lines += 1
        return lines

    return Reader(ask, export_lines)


async def scenarios(services: Services, readers: dict[str, Reader],
                    graph: synthetic.SyntheticGraph, ids: dict[str, str], repeats: int,
                    mid_size: int) -> dict[str, dict[str, float]]:
    steps = len(graph.pipelines[0].executions)
    depth = min(2 * steps + 2, services.limits.max_hops)
    mid_start, _ = synthetic.sized_start(graph, mid_size, depth)
    mid = ids[mid_start]
    models = [ids[m] for m in synthetic.upstream_starts(graph, repeats)]
    hot = ids[graph.most_shared_dataset]
    impact = ImpactService(services)

    def upstream(i: int) -> LineageRequest:
        return LineageRequest(start_artifact_ids=[models[i % len(models)]],
                              direction=Direction.UPSTREAM, max_hops=depth)

    def upstream_vars(i: int) -> dict[str, Any]:
        return {"input": {"startArtifactIds": [models[i % len(models)]],
                          "direction": "UPSTREAM", "maxHops": depth}}

    async def store_upstream(i: int) -> int:
        return len((await services.lineage.lineage(upstream(i))).nodes)

    def api_upstream(r: Reader) -> Timed:
        async def run(i: int) -> int:
            data = await r.graphql(LINEAGE.replace("NODE", ""), upstream_vars(i))
            return len(data["lineage"]["nodes"])
        return run

    async def properties(nodes: Sequence[tuple[NodeKind, str]]) -> None:
        """The by-id reads the request's DataLoaders make, one per kind, concurrently."""
        by_kind = {k: [i for kind, i in nodes if kind is k] for k in NodeKind}
        await asyncio.gather(*(services.nodes.by_ids(k, v) for k, v in by_kind.items() if v))

    async def store_upstream_props(i: int) -> int:
        graph_ = await services.lineage.lineage(upstream(i))
        await properties([(n.kind, n.id) for n in graph_.nodes])
        return len(graph_.nodes)

    def api_upstream_props(r: Reader) -> Timed:
        async def run(i: int) -> int:
            data = await r.graphql(LINEAGE.replace("NODE", PROPS), upstream_vars(i))
            return len(data["lineage"]["nodes"])
        return run

    def downstream(_: int) -> LineageRequest:
        return LineageRequest(start_artifact_ids=[mid], direction=Direction.DOWNSTREAM,
                              max_hops=depth)

    downstream_vars = {"input": {"startArtifactIds": [mid], "direction": "DOWNSTREAM",
                                 "maxHops": depth}}

    async def store_downstream(i: int) -> int:
        return len((await services.lineage.lineage(downstream(i))).nodes)

    def api_downstream(r: Reader) -> Timed:
        async def run(i: int) -> int:
            data = await r.graphql(LINEAGE.replace("NODE", ""), downstream_vars)
            return len(data["lineage"]["nodes"])
        return run

    async def store_downstream_summaries(i: int) -> int:
        answer = await services.lineage.lineage(downstream(i))
        await services.search.summaries(
            [n.id for n in answer.nodes if n.kind is NodeKind.ARTIFACT],
            [n.id for n in answer.nodes if n.kind is NodeKind.EXECUTION], counts=True)
        return len(answer.nodes)

    def api_downstream_summaries(r: Reader) -> Timed:
        async def run(i: int) -> int:
            data = await r.graphql(LINEAGE.replace("NODE", SUMMARY), downstream_vars)
            return len(data["lineage"]["nodes"])
        return run

    async def store_impact(i: int) -> int:
        answer = await impact.analyze([hot])
        await properties([(n.kind, n.id) for n in answer.nodes]
                         + [(NodeKind.CONTEXT, c.id) for c in answer.contexts])
        return len(answer.nodes)

    def api_impact(r: Reader) -> Timed:
        async def run(i: int) -> int:
            data = await r.graphql(IMPACT, {"ids": [hot]})
            if data["impact"]["truncated"]:
                raise SystemExit("impact answer truncated: raise LINEAGE_MAX_NODES")
            return len(data["impact"]["nodes"])
        return run

    async def store_export(i: int) -> int:
        rows = 0
        async for batch in await impact.export([hot]):
            rows += len(batch)
        return rows

    def api_export(r: Reader) -> Timed:
        async def run(i: int) -> int:
            lines = await r.export_lines("/api/v1/impact", {"artifactId": hot, "format": "csv"})
            return lines - 1  # the header
        return run

    async def store_listing(i: int) -> int:
        """The listing's store calls, level by level, as the request's DataLoaders make them."""
        page = await services.nodes.list(NodeKind.ARTIFACT, ListOptions(limit=100))
        producers = await services.nodes.neighbours("producers", [n.id for n in page.items])
        execution_ids = list(dict.fromkeys(e.id for es in producers.values() for e in es))
        await asyncio.gather(services.nodes.neighbours("inputs", execution_ids),
                             services.nodes.contexts_of(NodeKind.EXECUTION, execution_ids))
        return len(page.items)

    def api_listing(r: Reader) -> Timed:
        async def run(i: int) -> int:
            data = await r.graphql(LISTING, {})
            return len(data["artifacts"]["edges"])
        return run

    plans = [("upstream", store_upstream, api_upstream),
             ("upstream+props", store_upstream_props, api_upstream_props),
             ("downstream", store_downstream, api_downstream),
             ("downstream+summ", store_downstream_summaries, api_downstream_summaries),
             ("impact+props", store_impact, api_impact),
             ("export (csv)", store_export, api_export),
             ("listing", store_listing, api_listing)]
    return {name: await compare(name, s, {side: a(r) for side, r in readers.items()}, repeats)
            for name, s, a in plans}


# -- ingestion ------------------------------------------------------------------------


def _artifact(a: synthetic.SynArtifact) -> dict[str, Any]:
    return {"type": a.type, "externalId": a.external_id, "uri": a.uri, "name": a.name,
            "state": "LIVE"}


def _execution(e: synthetic.SynExecution) -> dict[str, Any]:
    return {"type": e.type, "externalId": e.external_id, "name": e.name, "state": "COMPLETE"}


def _context(p: synthetic.Pipeline) -> dict[str, Any]:
    return {"type": synthetic.CONTEXT_TYPE, "externalId": p.context_external_id,
            "name": p.context_name}


def step_waves(graph: synthetic.SyntheticGraph, group: int) -> list[list[tuple[
        synthetic.Pipeline, synthetic.SynExecution, list[str], list[synthetic.SynArtifact]]]]:
    """putExecution calls in order, `group` pipelines at a time, one wave per step: a wave's
    calls are independent (different pipelines), so one HTTP request can carry them all."""
    waves = []
    for start in range(0, len(graph.pipelines), group):
        pipelines = graph.pipelines[start:start + group]
        steps = [p.steps() for p in pipelines]
        for s in range(len(steps[0])):
            waves.append([(p, *st[s]) for p, st in zip(pipelines, steps, strict=True)])
    return waves


def put_execution_document(n: int, aliased: bool = True) -> str:
    """`n` aliased putExecution mutations (`e<i>:`) over variables $x<i>, $a<i>, $c<i>;
    unaliased (the field's own name) when the alias cap is 0, then `n` must be 1."""
    assert aliased or n == 1
    params = ", ".join(f"$x{i}: ExecutionInput!, $a{i}: [ArtifactEventInput!], "
                       f"$c{i}: [ContextInput!]" for i in range(n))
    fields = "\n".join(f"  {f'e{i}: ' if aliased else ''}putExecution(execution: $x{i}, "
                       f"artifactEvents: $a{i}, contexts: $c{i}) {{ executionId artifactIds }}"
                       for i in range(n))
    return f"mutation ({params}) {{\n{fields}\n}}"


async def counts(runtime: Runtime) -> tuple[int, int]:
    """(nodes, relationships) in the database."""
    async with runtime.db.driver.session(database=runtime.db.database) as session:
        nodes = await (await session.run("MATCH (n) RETURN count(n) AS c")).single()
        rels = await (await session.run("MATCH ()-[r]->() RETURN count(r) AS c")).single()
        assert nodes is not None and rels is not None
        return int(nodes["c"]), int(rels["c"])


async def store_put_execution(services: Services, graph: synthetic.SyntheticGraph, group: int
                              ) -> None:
    """One `Services.put_execution` per execution, in process, in the API's order."""
    raw = await services.ingest.put_nodes(NodeKind.ARTIFACT, [ArtifactInput(**_snake(_artifact(a)))
                                                    for a in graph.raw_datasets])
    ids = dict(zip((a.external_id for a in graph.raw_datasets), raw, strict=True))
    for wave in step_waves(graph, group):
        for p, e, ins, outs in wave:
            result = await services.ingest.put_execution(
                ExecutionInput(**_snake(_execution(e))),
                [ArtifactAndEvent(artifact_id=ids[a], event_type=EventType.INPUT) for a in ins]
                + [ArtifactAndEvent(artifact=ArtifactInput(**_snake(_artifact(a))),
                                    event_type=EventType.OUTPUT) for a in outs],
                [ContextInput(**_snake(_context(p)))])
            ids.update(zip((a.external_id for a in outs), result.artifact_ids[len(ins):],
                           strict=True))


async def api_put_execution(client: httpx.AsyncClient, url: str,
                            graph: synthetic.SyntheticGraph, max_aliases: int) -> int:
    """The same calls over HTTP, one wave (up to `max_aliases` aliased mutations, or one
    unaliased when the cap is 0) per request; returns the number of requests."""
    aliased = max_aliases > 0
    group = max(1, max_aliases)
    data = await graphql(client, url, RAW, {"a": [_artifact(a) for a in graph.raw_datasets]})
    ids = dict(zip((a.external_id for a in graph.raw_datasets), data["putArtifacts"],
                   strict=True))
    documents: dict[int, str] = {}
    requests = 1
    for wave in step_waves(graph, group):
        n = len(wave)
        document = documents.setdefault(n, put_execution_document(n, aliased))
        variables: dict[str, Any] = {}
        for i, (p, e, ins, outs) in enumerate(wave):
            variables[f"x{i}"] = _execution(e)
            variables[f"a{i}"] = (
                [{"artifactId": ids[a], "event": {"type": "INPUT"}} for a in ins]
                + [{"artifact": _artifact(a), "event": {"type": "OUTPUT"}} for a in outs])
            variables[f"c{i}"] = [_context(p)]
        data = await graphql(client, url, document, variables)
        requests += 1
        for i, (_, _, ins, outs) in enumerate(wave):
            result = data[f"e{i}" if aliased else "putExecution"]
            ids.update(zip((a.external_id for a in outs), result["artifactIds"][len(ins):],
                           strict=True))
    return requests


def _snake(row: dict[str, Any]) -> dict[str, Any]:
    """A GraphQL input row (camelCase) as the store's model's keyword arguments."""
    return {("external_id" if k == "externalId" else k): v for k, v in row.items()}


def _relations(chunk: Sequence[synthetic.Pipeline], ids: dict[str, str]
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(events, attributions, associations) of a chunk, as GraphQL input rows."""
    events: list[dict[str, Any]] = []
    attributions: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    for p in chunk:
        cid = ids[p.context_external_id]
        events += [{"artifactId": ids[a], "executionId": ids[e], "type": "INPUT"}
                   for a, e in p.inputs]
        events += [{"artifactId": ids[a], "executionId": ids[e], "type": "OUTPUT"}
                   for e, a in p.outputs]
        attributions += [{"artifactId": ids[a], "contextId": cid}
                         for a in p.attributed_external_ids()]
        associations += [{"executionId": ids[e.external_id], "contextId": cid}
                         for e in p.executions]
    return events, attributions, associations


async def store_batch(services: Services, graph: synthetic.SyntheticGraph, chunk: int) -> None:
    """The five batch writes per chunk of pipelines, in process (five transactions)."""
    raw = await services.ingest.put_nodes(NodeKind.ARTIFACT, [ArtifactInput(**_snake(_artifact(a)))
                                                    for a in graph.raw_datasets])
    ids = dict(zip((a.external_id for a in graph.raw_datasets), raw, strict=True))
    for start in range(0, len(graph.pipelines), chunk):
        pipelines = graph.pipelines[start:start + chunk]
        artifacts = [a for p in pipelines for a in p.artifacts]
        executions = [e for p in pipelines for e in p.executions]
        ids.update(zip((p.context_external_id for p in pipelines), await services.ingest.put_nodes(
            NodeKind.CONTEXT, [ContextInput(**_snake(_context(p))) for p in pipelines]),
            strict=True))
        ids.update(zip((a.external_id for a in artifacts), await services.ingest.put_nodes(
            NodeKind.ARTIFACT, [ArtifactInput(**_snake(_artifact(a))) for a in artifacts]),
            strict=True))
        ids.update(zip((e.external_id for e in executions), await services.ingest.put_nodes(
            NodeKind.EXECUTION, [ExecutionInput(**_snake(_execution(e))) for e in executions]),
            strict=True))
        events, attributions, associations = _relations(pipelines, ids)
        await services.ingest.put_events([
            EventInput(artifact_id=e["artifactId"], execution_id=e["executionId"],
                       type=EventType(e["type"])) for e in events])
        await services.ingest.put_memberships(
            [Attribution(artifact_id=a["artifactId"], context_id=a["contextId"])
             for a in attributions],
            [Association(execution_id=a["executionId"], context_id=a["contextId"])
             for a in associations])


async def api_batch(client: httpx.AsyncClient, url: str, graph: synthetic.SyntheticGraph,
                    chunk: int) -> int:
    """The same writes over HTTP, two requests per chunk; returns the number of requests."""
    data = await graphql(client, url, RAW, {"a": [_artifact(a) for a in graph.raw_datasets]})
    ids = dict(zip((a.external_id for a in graph.raw_datasets), data["putArtifacts"],
                   strict=True))
    requests = 1
    for start in range(0, len(graph.pipelines), chunk):
        pipelines = graph.pipelines[start:start + chunk]
        artifacts = [a for p in pipelines for a in p.artifacts]
        executions = [e for p in pipelines for e in p.executions]
        data = await graphql(client, url, BATCH_NODES, {
            "c": [_context(p) for p in pipelines], "a": [_artifact(a) for a in artifacts],
            "x": [_execution(e) for e in executions]})
        ids.update(zip((p.context_external_id for p in pipelines), data["contexts"],
                       strict=True))
        ids.update(zip((a.external_id for a in artifacts), data["artifacts"], strict=True))
        ids.update(zip((e.external_id for e in executions), data["executions"], strict=True))
        events, attributions, associations = _relations(pipelines, ids)
        await graphql(client, url, BATCH_RELATIONS,
                      {"ev": events, "at": attributions, "as": associations})
        requests += 2
    return requests


async def ingestion(runtime: Runtime, client: httpx.AsyncClient, url: str,
                    graph: synthetic.SyntheticGraph, chunk: int, max_aliases: int
                    ) -> dict[str, dict[str, float]]:
    """Ingest `graph` five ways into a wiped database; rates in nodes + edges per second."""
    services = runtime.services
    total = graph.node_count() + graph.edge_count()
    group = max(1, max_aliases)

    async def reference() -> int:
        await ingest(services, graph, chunk)
        return 0

    plans: list[tuple[str, Callable[[], Awaitable[int]]]] = [
        ("store ingest", reference),
        ("store put_execution", lambda: _none(store_put_execution(services, graph, group))),
        ("api putExecution", lambda: api_put_execution(client, url, graph, max_aliases)),
        ("store batch", lambda: _none(store_batch(services, graph, chunk))),
        ("api batch", lambda: api_batch(client, url, graph, chunk)),
    ]
    out: dict[str, dict[str, float]] = {}
    expected: tuple[int, int] | None = None
    for name, write in plans:
        await wipe(runtime)
        await register_types(services)
        t0 = time.perf_counter()
        requests = await write()
        seconds = time.perf_counter() - t0
        found = await counts(runtime)
        if expected is None:
            expected = found
        elif found != expected:
            raise SystemExit(f"{name}: wrote {found} (nodes, relationships), "
                             f"store ingest wrote {expected}")
        out[name] = {"seconds": seconds, "rate": total / seconds, "requests": requests}
        print(f"  {name}: {seconds:.1f} s", flush=True)
    return out


async def _none(work: Awaitable[None]) -> int:
    await work
    return 0


async def run(graph: synthetic.SyntheticGraph, repeats: int, chunk: int, data_dir: Path,
              ingest_graph: synthetic.SyntheticGraph | None = None, mid_size: int = 5000
              ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    env = dict(os.environ)
    env.setdefault("LINEAGE_DATA_DIR", str(data_dir))
    env.setdefault("LINEAGE_EMBEDDED_HEAP", "4g")
    settings = Settings.from_env(env)
    runtime = await open_runtime(settings)
    services = runtime.services
    server: subprocess.Popen[bytes] | None = None
    collector = ExitStack()
    try:
        await wipe(runtime)  # warm the engine up on a small graph, then wipe it
        await ingest(services, synthetic.build(max(2, chunk), len(graph.pipelines[0].executions),
                                            3, seed=1), chunk)
        await wipe(runtime)
        ids, seconds = await ingest(services, graph, chunk)
        print(f"ingested in {seconds:.1f} s")
        # The collector as the server sets it, so the store's figures do not pay for
        # collections the server's do not.
        collector.enter_context(server_collector())
        port = free_port()
        server = start_server(runtime, env, port)
        url = f"http://127.0.0.1:{port}"
        timeout = aiohttp.ClientTimeout(total=300)
        async with httpx.AsyncClient(timeout=300) as client, aiohttp.ClientSession(
                timeout=timeout) as session:
            await wait_ready(client, url, server)
            readers = {"api": aiohttp_reader(session, url), "httpx": httpx_reader(client, url)}
            queries = await scenarios(services, readers, graph, ids, repeats, mid_size)
            writes: dict[str, dict[str, float]] = {}
            if ingest_graph is not None:
                print("ingestion (a second graph, written five ways):", flush=True)
                writes = await ingestion(runtime, client, url, ingest_graph, chunk,
                                         settings.limits.max_aliases)
            return queries, writes
    finally:
        collector.close()
        await shut_down(server, runtime)


# -- ml-metadata ----------------------------------------------------------------------

#: MLMD's figure each question is compared with.
MLMD_EQUIVALENT = {"upstream": "upstream", "upstream+props": "upstream",
                   "impact+props": "downstream", "export (csv)": "downstream",
                   "listing": "listing"}
#: MLMD's ingestion strategy (`mlmd_baseline.STRATEGIES`) each way of writing is compared with.
MLMD_INGEST = {"store ingest": "lineage_subgraph", "store put_execution": "put_execution",
               "api putExecution": "put_execution", "store batch": "batched",
               "api batch": "batched"}
#: The in-process store figure each API way of writing is compared with.
STORE_INGEST = {"api putExecution": "store put_execution", "api batch": "store batch"}


def mlmd_listing(services: Any, repeats: int) -> dict[str, float]:
    """The 100-artifact nested listing through MLMD's read API, timed like `compare`."""
    from ml_metadata.metadata_store import metadata_store as ms
    from ml_metadata.proto import metadata_store_pb2 as pb

    options = ms.ListOptions(limit=100, order_by=ms.OrderByField.CREATE_TIME, is_asc=True)

    def once() -> int:
        artifacts = services.get_artifacts(list_options=options)
        events = services.get_events_by_artifact_ids([a.id for a in artifacts])
        producers = list(dict.fromkeys(e.execution_id for e in events
                                       if e.type == pb.Event.OUTPUT))  # type: ignore[attr-defined]
        services.get_executions_by_id(producers)
        inputs = list(dict.fromkeys(e.artifact_id
                                    for e in services.get_events_by_execution_ids(producers)
                                    if e.type == pb.Event.INPUT))  # type: ignore[attr-defined]
        services.get_artifacts_by_id(inputs)
        for execution_id in producers:  # MLMD has no batched form of this read
            services.get_contexts_by_execution(execution_id)
        return len(artifacts)

    for _ in range(3):
        once()
    times, sizes = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sizes.append(once())
        times.append((time.perf_counter() - t0) * 1000)
    return {"listing_p50_ms": percentile(times, 50), "listing_p95_ms": percentile(times, 95),
            "listing_nodes": sum(sizes) / len(sizes)}


def run_mlmd_all(graph: synthetic.SyntheticGraph, ingest_graph: synthetic.SyntheticGraph | None,
                 workdir: Path, repeats: int) -> dict[str, float]:
    """`mlmd_baseline.run_mlmd` on `graph`, the listing on the same services, then the
    ingestion of `ingest_graph` by each MLMD strategy into a fresh file."""
    from bench.mlmd_baseline import ingest as mlmd_ingest
    from bench.mlmd_baseline import open_store, run_mlmd

    out = run_mlmd(graph, workdir, repeats)
    out.update(mlmd_listing(open_store(workdir / "mlmd.sqlite"), repeats))
    if ingest_graph is not None:
        total = ingest_graph.node_count() + ingest_graph.edge_count()
        for strategy in sorted(set(MLMD_INGEST.values())):
            _, seconds = mlmd_ingest(ingest_graph, workdir / f"ingest-{strategy}.sqlite",
                                     strategy)
            out[f"ingest_rate_{strategy}"] = total / seconds
    return out


def _ratio(a: float | None, b: float | None, width: int) -> str:
    return f"{a / b:>{width}.2f}" if a and b else f"{'-':>{width}}"


def report(results: dict[str, dict[str, float]], mlmd: dict[str, float] | None = None) -> str:
    lines = [f"{'question':<16}{'nodes':>8}{'store p50':>11}{'p95':>8}{'api p50':>10}{'p95':>8}"
             f"{'httpx p50':>11}{'mlmd p50':>10}{'mlmd nodes':>12}{'api/store':>11}"
             f"{'httpx/store':>13}{'api/mlmd':>10}{'store/mlmd':>12}"]
    for name, r in results.items():
        key = MLMD_EQUIVALENT.get(name)
        m = mlmd.get(f"{key}_p50_ms") if mlmd and key else None
        m_nodes = mlmd.get(f"{key}_nodes") if mlmd and key else None
        lines.append(f"{name:<16}{r['nodes']:>8.0f}{r['store_p50']:>11.1f}{r['store_p95']:>8.1f}"
                     f"{r['api_p50']:>10.1f}{r['api_p95']:>8.1f}{r['httpx_p50']:>11.1f}"
                     + (f"{m:>10.1f}" if m else f"{'-':>10}")
                     + (f"{m_nodes:>12.0f}" if m_nodes else f"{'-':>12}")
                     + _ratio(r["api_p50"], r["store_p50"], 11)
                     + _ratio(r["httpx_p50"], r["store_p50"], 13)
                     + _ratio(r["api_p50"], m, 10) + _ratio(r["store_p50"], m, 12))
    return "\n".join(lines)


def report_ingest(writes: dict[str, dict[str, float]], mlmd: dict[str, float] | None) -> str:
    """Rates in nodes + edges per second; every ratio > 1 means the row is faster."""
    ref = writes["store ingest"]["rate"]
    best = mlmd.get("ingest_rate_lineage_subgraph") if mlmd else None
    lines = [f"{'writes':<20}{'seconds':>9}{'requests':>10}{'rate /s':>10}{'/store same':>13}"
             f"{'/store ingest':>15}{'mlmd same /s':>14}{'/mlmd same':>12}{'/mlmd best':>12}"]
    for name, w in writes.items():
        same = writes[STORE_INGEST[name]]["rate"] if name in STORE_INGEST else None
        m = mlmd.get(f"ingest_rate_{MLMD_INGEST[name]}") if mlmd else None
        lines.append(f"{name:<20}{w['seconds']:>9.1f}"
                     + (f"{w['requests']:>10.0f}" if w["requests"] else f"{'-':>10}")
                     + f"{w['rate']:>10.0f}" + _ratio(w["rate"], same, 13)
                     + _ratio(w["rate"], ref, 15) + (f"{m:>14.0f}" if m else f"{'-':>14}")
                     + _ratio(w["rate"], m, 12) + _ratio(w["rate"], best, 12))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    synthetic.add_graph_arguments(parser)
    parser.add_argument("--ingest-pipelines", type=int, default=None, help=(
        "pipelines of the ingestion graph (default min(--pipelines, 20): one transaction "
        "per execution is slow; 0: skip)"))
    parser.add_argument("--skip-mlmd", action="store_true")
    parser.add_argument("--mid-nodes", type=int, default=5000, help=(
        "size of the mid-size downstream answer: the raw dataset whose downstream lineage "
        "is closest to it (default 5000)"))
    args = parser.parse_args(argv)
    graph = synthetic.from_arguments(args)
    print(synthetic.describe(args, graph))
    n_ingest = (min(args.pipelines, 20) if args.ingest_pipelines is None
                else args.ingest_pipelines)
    ingest_graph = (synthetic.build(n_ingest, args.steps, args.fan_in, seed=2)
                    if n_ingest > 0 else None)
    if ingest_graph is not None:
        print(f"ingestion graph (seed 2): {n_ingest} pipelines: {ingest_graph.node_count()} "
              f"nodes, {ingest_graph.edge_count()} edges")
    with tempfile.TemporaryDirectory(prefix="api-bench-") as tmp:
        mlmd: dict[str, float] | None = None
        if not args.skip_mlmd:
            t0 = time.perf_counter()
            mlmd = run_mlmd_all(graph, ingest_graph, Path(tmp) / "mlmd", args.repeats)
            print(f"ml-metadata done in {time.perf_counter() - t0:.1f} s", flush=True)
        results, writes = asyncio.run(run(graph, args.repeats, args.chunk,
                                          Path(tmp) / "engine", ingest_graph, args.mid_nodes))
    print("times in ms (embedded engine unless NEO4J_URI); ratios of p50s, < 1 is faster"
          + ("; mlmd: ml-metadata 1.17 SQLite in process" if mlmd else ""))
    print(report(results, mlmd))
    if writes:
        print(f"\ningestion of the second graph in nodes + edges per second; ratios > 1 are "
              f"faster. putExecution: up to {max(1, Settings.from_env().limits.max_aliases)} "
              "aliased mutations (one step of as many pipelines) per request; batch: "
              f"{args.chunk} pipelines per chunk, 2 requests per chunk")
        print(report_ingest(writes, mlmd))


if __name__ == "__main__":
    main()
