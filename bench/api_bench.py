"""API benchmark: lineage and impact end to end (HTTP + GraphQL + database) vs the store.

Builds the synthetic graph of `bench/synthetic.py`, ingests it with `lineage_bench.ingest`,
starts the API server (`uvicorn graph_api.server:create_app`, its own process, on
loopback) over the same database, and times each question both ways in the same run,
alternating the two so drift hits both alike:

* `upstream` — upstream lineage of a final model (ids, kinds, types, degrees, edges);
  store side: `store.lineage.lineage`;
* `upstream+props` — the same with every node's properties (`node { … }`); store side:
  the walk plus the two by-id reads the DataLoaders make (artifacts, executions);
* `impact+props` — downstream impact of the most-shared raw dataset with the properties
  of every node and context; store side: `ImpactService.analyze` plus the by-id reads of
  its artifacts, executions and contexts;
* `export` — `GET /api/v1/impact?format=csv` of the same dataset read to the end; store
  side: `ImpactService.export` consumed in process.

HTTP figures include the client's reading and JSON decoding of the answer. Each line
prints p50 / p95 in milliseconds and the ratio of the API's p50 to the store's (target:
at most 1.25 for answers up to 10,000 nodes). The embedded engine is used unless
NEO4J_URI is set.

    python bench/api_bench.py --pipelines 100 --steps 30 --fan-in 3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synthetic
from bench.lineage_bench import ingest, percentile, wipe
from graph_api.config import Settings
from graph_api.embedded import USER
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.lineage import LineageRequest
from graph_api.runtime import Runtime, open_runtime
from graph_api.services.impact import ImpactService
from graph_api.store.store import GraphStore

PROPS = """
node {
  __typename
  ... on Artifact { id externalId typeName name uri artifactState: state properties
                    customProperties createdAt updatedAt }
  ... on Execution { id externalId typeName name executionState: state properties
                     customProperties createdAt updatedAt }
}"""
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

Timed = Callable[[int], Awaitable[int]]  # run the i-th request; return the answer's size


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


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
    answer: dict[str, Any] = response.json()
    if answer.get("errors"):
        raise SystemExit(f"GraphQL error: {answer['errors'][0]}")
    data: dict[str, Any] = answer["data"]
    return data


async def compare(name: str, store_side: Timed, api_side: Timed, repeats: int
                  ) -> dict[str, float]:
    """Warm both up, then alternate them `repeats` times."""
    for i in range(3):
        await store_side(i)
        await api_side(i)
    times: dict[str, list[float]] = {"store": [], "api": []}
    sizes: list[int] = []
    for i in range(repeats):
        for side, run in (("store", store_side), ("api", api_side)):
            t0 = time.perf_counter()
            size = await run(i)
            times[side].append((time.perf_counter() - t0) * 1000)
        sizes.append(size)
    return {"nodes": sum(sizes) / len(sizes),
            "store_p50": percentile(times["store"], 50), "store_p95": percentile(times["store"], 95),
            "api_p50": percentile(times["api"], 50), "api_p95": percentile(times["api"], 95)}


def _rotating(items: Sequence[str], k: int) -> list[str]:
    k = min(k, len(items))
    return [items[(i * len(items)) // k] for i in range(k)]


async def scenarios(store: GraphStore, client: httpx.AsyncClient, url: str,
                    graph: synthetic.SyntheticGraph, ids: dict[str, str], repeats: int
                    ) -> dict[str, dict[str, float]]:
    steps = len(graph.pipelines[0].executions)
    depth = min(2 * steps + 2, store.limits.max_hops)
    models = [ids[m] for m in _rotating(graph.final_models, repeats)]
    hot = ids[graph.most_shared_dataset]
    impact = ImpactService(store)

    def upstream(i: int) -> LineageRequest:
        return LineageRequest(start_artifact_ids=[models[i % len(models)]],
                              direction=Direction.UPSTREAM, max_hops=depth)

    def upstream_vars(i: int) -> dict[str, Any]:
        return {"input": {"startArtifactIds": [models[i % len(models)]],
                          "direction": "UPSTREAM", "maxHops": depth}}

    async def store_upstream(i: int) -> int:
        return len((await store.lineage.lineage(upstream(i))).nodes)

    async def api_upstream(i: int) -> int:
        data = await graphql(client, url, LINEAGE.replace("NODE", ""), upstream_vars(i))
        return len(data["lineage"]["nodes"])

    async def properties(nodes: Sequence[tuple[NodeKind, str]]) -> None:
        """The by-id reads the request's DataLoaders make, one per kind, concurrently."""
        by_kind = {k: [i for kind, i in nodes if kind is k] for k in NodeKind}
        await asyncio.gather(*(store.nodes.by_ids(k, v) for k, v in by_kind.items() if v))

    async def store_upstream_props(i: int) -> int:
        graph_ = await store.lineage.lineage(upstream(i))
        await properties([(n.kind, n.id) for n in graph_.nodes])
        return len(graph_.nodes)

    async def api_upstream_props(i: int) -> int:
        data = await graphql(client, url, LINEAGE.replace("NODE", PROPS), upstream_vars(i))
        return len(data["lineage"]["nodes"])

    async def store_impact(i: int) -> int:
        answer = await impact.analyze([hot])
        await properties([(n.kind, n.id) for n in answer.nodes]
                         + [(NodeKind.CONTEXT, c.id) for c in answer.contexts])
        return len(answer.nodes)

    async def api_impact(i: int) -> int:
        data = await graphql(client, url, IMPACT, {"ids": [hot]})
        if data["impact"]["truncated"]:
            raise SystemExit("impact answer truncated: raise LINEAGE_MAX_NODES")
        return len(data["impact"]["nodes"])

    async def store_export(i: int) -> int:
        rows = 0
        async for batch in await impact.export([hot]):
            rows += len(batch)
        return rows

    async def api_export(i: int) -> int:
        rows = 0
        async with client.stream("GET", f"{url}/api/v1/impact",
                                 params={"artifactId": hot, "format": "csv"}) as response:
            async for _ in response.aiter_lines():
                rows += 1
        return rows - 1  # the header

    plans = [("upstream", store_upstream, api_upstream),
             ("upstream+props", store_upstream_props, api_upstream_props),
             ("impact+props", store_impact, api_impact),
             ("export (csv)", store_export, api_export)]
    return {name: await compare(name, s, a, repeats) for name, s, a in plans}


async def run(graph: synthetic.SyntheticGraph, repeats: int, chunk: int, data_dir: Path
              ) -> dict[str, dict[str, float]]:
    env = dict(os.environ)
    env.setdefault("LINEAGE_DATA_DIR", str(data_dir))
    env.setdefault("LINEAGE_EMBEDDED_HEAP", "4g")
    settings = Settings.from_env(env)
    runtime = await open_runtime(settings)
    store = runtime.store
    server: subprocess.Popen[bytes] | None = None
    try:
        await wipe(runtime)  # warm the engine up on a small graph, then wipe it
        await ingest(store, synthetic.build(max(2, chunk), len(graph.pipelines[0].executions),
                                            3, seed=1), chunk)
        await wipe(runtime)
        ids, seconds = await ingest(store, graph, chunk)
        print(f"ingested in {seconds:.1f} s")
        port = free_port()
        server = start_server(runtime, env, port)
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(timeout=300) as client:
            await wait_ready(client, url, server)
            return await scenarios(store, client, url, graph, ids, repeats)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        await runtime.close()
        if runtime.engine is not None:
            runtime.engine.stop()


def report(results: dict[str, dict[str, float]]) -> str:
    lines = [f"{'question':<16}{'nodes':>8}{'store p50':>11}{'p95':>8}{'api p50':>10}{'p95':>8}"
             f"{'api/store':>11}"]
    for name, r in results.items():
        lines.append(f"{name:<16}{r['nodes']:>8.0f}{r['store_p50']:>11.1f}{r['store_p95']:>8.1f}"
                     f"{r['api_p50']:>10.1f}{r['api_p95']:>8.1f}"
                     f"{r['api_p50'] / r['store_p50']:>11.2f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipelines", type=int, default=100)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--fan-in", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=10, help="pipelines per transaction")
    args = parser.parse_args(argv)
    graph = synthetic.build(args.pipelines, args.steps, args.fan_in)
    print(f"graph: {args.pipelines} pipelines x {args.steps} steps x fan-in {args.fan_in}: "
          f"{graph.node_count()} nodes, {graph.edge_count()} edges")
    with tempfile.TemporaryDirectory(prefix="api-bench-") as tmp:
        results = asyncio.run(run(graph, args.repeats, args.chunk, Path(tmp) / "engine"))
    print("times in ms (embedded engine unless NEO4J_URI); api/store is the ratio of p50s")
    print(report(results))


if __name__ == "__main__":
    main()
