"""The ingestion half of the API benchmark: a second synthetic graph written several ways
into a wiped database, each checked to write what the reference wrote:

* `store ingest` — `lineage_bench.ingest` (one `put_lineage_subgraph` per chunk of
  pipelines: one transaction, one statement);
* `engine floor` — the same nodes and edges by the simplest statement that writes them,
  without the store's guarantees (`ingest_floor`): the bound the engine sets;
* `api lineage batch` — the same over HTTP: one `putLineageSubgraph` request per chunk;
* `sdk lineage batches` — the same through the Python SDK's `put_lineage_subgraphs`, which
  keeps two requests under way (the server reads one while the database writes the other);
* `store put_execution` / `api putExecution` — one `put_execution` per execution (its input
  artifacts by id, its outputs as new artifacts, its pipeline context by externalId);
  over HTTP the same step of up to `maxAliases` pipelines goes in one request as aliased
  mutations (`e0: putExecution(…) e1: …`), each its own transaction;
* `store batch` / `api batch` — per chunk of pipelines the five batch writes (putContexts,
  putArtifacts, putExecutions, putEvents, putAttributionsAndAssociations); over HTTP two
  requests per chunk: the three node writes as one aliased document, then the events and
  memberships as another.

With an earlier commit's checkout (`--before`), the ways it has are timed on it too, in the
same run over the same database: `store ingest (before)` runs that checkout's
`lineage_bench.ingest` in a process of its own, the API ways go to its server.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import synthetic
from bench.api_servers import graphql
from bench.ingest_floor import ingest_floor
from bench.lineage_bench import artifact_input, batch_inputs, ingest, register_types, wipe
from graph_api.client import connect_async
from graph_api.embedded import USER
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, EventInput
from graph_api.runtime import Runtime
from graph_api.services.container import Services

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
LINEAGE_BATCH = """mutation ($c: [ContextInput!], $a: [ArtifactInput!], $x: [ExecutionInput!],
                   $e: [LineageEventInput!], $at: [LineageAttributionInput!],
                   $as: [LineageAssociationInput!]) {
  putLineageSubgraph(contexts: $c, artifacts: $a, executions: $x, events: $e,
                     attributions: $at, associations: $as) { contextIds artifactIds executionIds }
}"""
#: `lineage_bench.ingest` of an earlier checkout, run in that checkout over the bench's
#: database; prints the seconds it took.
BEFORE_INGEST = """
import asyncio, json, sys
from bench import synthetic
from bench.lineage_bench import ingest
from graph_api.config import Settings
from graph_api.runtime import open_runtime

async def main():
    pipelines, steps, fan_in, chunk = map(int, sys.argv[1:5])
    runtime = await open_runtime(Settings.from_env())
    try:
        graph = synthetic.build(pipelines, steps, fan_in, seed=2)
        _, seconds = await ingest(runtime, graph, chunk)
    finally:
        await runtime.close()
    print(json.dumps(seconds))

asyncio.run(main())
"""

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
    """(nodes, relationships) in the database, the topology index's delta log left out
    (how many deltas a way writes depends on how many transactions it takes), and the
    sequences of MLMD's ids (a checkout before them has none)."""
    async with runtime.db.driver.session(database=runtime.db.database) as session:
        nodes = await (await session.run(
            "MATCH (n) WHERE NOT n:TopologyDelta AND NOT n:IdSequence "
            "RETURN count(n) AS c")).single()
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


def lineage_batch_variables(chunk: Sequence[synthetic.Pipeline], ids: dict[str, str]
                            ) -> dict[str, Any]:
    """One chunk as putLineageSubgraph's variables: its nodes, and the edges among them by
    position (the raw datasets they read by id)."""
    artifacts = [a for p in chunk for a in p.artifacts]
    executions = [e for p in chunk for e in p.executions]
    a_index = {a.external_id: i for i, a in enumerate(artifacts)}
    e_index = {e.external_id: i for i, e in enumerate(executions)}

    def artifact(external_id: str) -> dict[str, Any]:
        i = a_index.get(external_id)
        return {"artifactIndex": i} if i is not None else {"artifactId": ids[external_id]}

    events: list[dict[str, Any]] = []
    attributions: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    for c, p in enumerate(chunk):
        events += [{**artifact(a), "executionIndex": e_index[e], "type": "INPUT"}
                   for a, e in p.inputs]
        events += [{**artifact(a), "executionIndex": e_index[e], "type": "OUTPUT"}
                   for e, a in p.outputs]
        attributions += [{**artifact(a), "contextIndex": c}
                         for a in p.attributed_external_ids()]
        associations += [{"executionIndex": e_index[e.external_id], "contextIndex": c}
                         for e in p.executions]
    return {"c": [_context(p) for p in chunk], "a": [_artifact(a) for a in artifacts],
            "x": [_execution(e) for e in executions], "e": events, "at": attributions,
            "as": associations}


async def api_lineage_batch(client: httpx.AsyncClient, url: str,
                            graph: synthetic.SyntheticGraph, chunk: int) -> int:
    """One putLineageSubgraph request per chunk; returns the number of requests."""
    data = await graphql(client, url, RAW, {"a": [_artifact(a) for a in graph.raw_datasets]})
    ids = dict(zip((a.external_id for a in graph.raw_datasets), data["putArtifacts"],
                   strict=True))
    requests = 1
    for start in range(0, len(graph.pipelines), chunk):
        pipelines = graph.pipelines[start:start + chunk]
        result = (await graphql(client, url, LINEAGE_BATCH,
                                lineage_batch_variables(pipelines, ids)))["putLineageSubgraph"]
        ids.update(zip((a.external_id for p in pipelines for a in p.artifacts),
                       result["artifactIds"], strict=True))
        requests += 1
    return requests


async def sdk_lineage_batches(url: str, graph: synthetic.SyntheticGraph, chunk: int) -> int:
    """The raw datasets, then one `put_lineage_subgraph` per chunk through the SDK's
    `put_lineage_subgraphs` (two under way); returns the number of requests."""
    client = connect_async(url)
    try:
        raw = await client.put_artifacts([artifact_input(a) for a in graph.raw_datasets])
        ids = dict(zip((a.external_id for a in graph.raw_datasets), raw, strict=True))
        starts = range(0, len(graph.pipelines), chunk)
        await client.put_lineage_subgraphs(
            batch_inputs(graph.pipelines[start:start + chunk], ids) for start in starts)
    finally:
        await client.close()
    return 1 + len(starts)


@dataclass(frozen=True)
class Before:
    """An earlier commit: its API server's URL, its checkout, and the bench's settings."""

    url: str
    source: Path
    env: dict[str, str]


def store_ingest_before(runtime: Runtime, before: Before, shape: tuple[int, int, int],
                        chunk: int) -> float:
    """`lineage_bench.ingest` of the earlier checkout, of the graph of this `shape`
    (pipelines, steps, fan-in; seed 2), over the bench's database, in a process of its
    own; the seconds it reports."""
    source = before.source
    env = dict(before.env, PYTHONPATH=str(source))
    if runtime.engine is not None:
        env.update(NEO4J_URI=runtime.uri, NEO4J_USER=USER,
                   NEO4J_PASSWORD=runtime.engine.password())
    done = subprocess.run([sys.executable, "-c", BEFORE_INGEST, *map(str, shape),
                           str(chunk)], env=env, cwd=source, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"store ingest (before) failed:\n{done.stderr}")
    seconds: float = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds


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


#: Every way of writing, in the order they run (each `(before)` way after its own).
WAYS = ("store ingest", "store ingest (before)", "engine floor", "api lineage batch",
        "sdk lineage batches", "api batch", "api batch (before)", "store batch", "store put_execution",
        "api putExecution", "api putExecution (before)")


def _plans(runtime: Runtime, client: httpx.AsyncClient, url: str,
           graph: synthetic.SyntheticGraph, shape: tuple[int, int, int], chunk: int,
           max_aliases: int, before: Before | None, seconds_of: dict[str, float]
           ) -> dict[str, Callable[[], Awaitable[int]]]:
    """Each way of writing `graph`, as a call that returns its number of requests (the
    `(before)` store way puts the seconds its process reports into `seconds_of`)."""
    services = runtime.services
    group = max(1, max_aliases)

    async def reference() -> int:
        await ingest(runtime, graph, chunk)
        return 0

    plans: dict[str, Callable[[], Awaitable[int]]] = {
        "store ingest": reference,
        "engine floor": lambda: _none(ingest_floor(runtime, graph, chunk)),
        "api lineage batch": lambda: api_lineage_batch(client, url, graph, chunk),
        "sdk lineage batches": lambda: sdk_lineage_batches(url, graph, chunk),
        "store put_execution": lambda: _none(store_put_execution(services, graph, group)),
        "api putExecution": lambda: api_put_execution(client, url, graph, max_aliases),
        "store batch": lambda: _none(store_batch(services, graph, chunk)),
        "api batch": lambda: api_batch(client, url, graph, chunk),
    }
    if before is not None:
        old = before

        async def store_before() -> int:
            seconds_of["store ingest (before)"] = await asyncio.to_thread(
                store_ingest_before, runtime, old, shape, chunk)
            return 0

        plans["store ingest (before)"] = store_before
        plans["api batch (before)"] = lambda: api_batch(client, old.url, graph, chunk)
        plans["api putExecution (before)"] = lambda: api_put_execution(
            client, old.url, graph, max_aliases)
    return plans


async def ingestion(runtime: Runtime, client: httpx.AsyncClient, url: str,
                    graph: synthetic.SyntheticGraph, shape: tuple[int, int, int], chunk: int,
                    max_aliases: int, before: Before | None = None,
                    ways: Sequence[str] = WAYS, rounds: int = 1, warmup: int = 0
                    ) -> dict[str, dict[str, float]]:
    """Ingest `graph` (built with `shape`: pipelines, steps, fan-in; seed 2) the chosen
    ways into a wiped database, `rounds` times each, the ways alternating; rates in
    nodes + edges per second, of each way's median time. The `(before)` ways need
    `before`. First, untimed, each way writes a graph of `warmup` pipelines one pipeline
    per chunk (the engine compiles a statement's hot paths only after running it)."""
    services = runtime.services
    total = graph.node_count() + graph.edge_count()
    seconds_of: dict[str, float] = {}
    if warmup > 0:
        small = synthetic.build(warmup, shape[1], shape[2], seed=2)
        warm = _plans(runtime, client, url, small, (warmup, shape[1], shape[2]), 1,
                      max_aliases, before, seconds_of)
        for name in [w for w in ways if w in warm]:
            await wipe(runtime)
            await register_types(services)
            await warm[name]()
        seconds_of.clear()
        print(f"  (each way warmed up on {warmup} pipelines)", flush=True)
    plans = _plans(runtime, client, url, graph, shape, chunk, max_aliases, before, seconds_of)
    times: dict[str, list[float]] = {}
    requests: dict[str, int] = {}
    expected: tuple[int, int] | None = None
    for _ in range(rounds):
        for name in [w for w in ways if w in plans]:
            await wipe(runtime)
            await register_types(services)
            t0 = time.perf_counter()
            requests[name] = await plans[name]()
            seconds = seconds_of.pop(name, time.perf_counter() - t0)
            found = await counts(runtime)
            if expected is None:
                expected = found
            elif found != expected:
                raise SystemExit(f"{name}: wrote {found} (nodes, relationships), "
                                 f"{next(iter(times))} wrote {expected}")
            times.setdefault(name, []).append(seconds)
            print(f"  {name}: {seconds:.1f} s", flush=True)
    out: dict[str, dict[str, float]] = {}
    for name, samples in times.items():
        seconds = statistics.median(samples)
        out[name] = {"seconds": seconds, "rate": total / seconds, "requests": requests[name]}
    return out


async def _none(work: Awaitable[None]) -> int:
    await work
    return 0
