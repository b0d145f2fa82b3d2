"""Store benchmark: ingest a synthetic lineage graph and time lineage queries.

Builds the graph of `bench/synthetic.py` (pipelines x steps x fan-in, shared raw
datasets), writes it through the store's batch writes (one transaction per chunk of
pipelines), and prints ingestion (nodes + edges per second) and p50 / p95 of:

* upstream lineage of a final model, full depth;
* downstream lineage of the most-shared raw dataset, full depth;
* 5-hop downstream lineage of a mid-pipeline artifact.

Unless `--skip-mlmd`, the same graph goes through Google's ml-metadata (SQLite file
services, `get_lineage_subgraph`) in the same run and every figure is also printed as a
ratio to MLMD's. The embedded engine is used unless NEO4J_URI is set.

    python bench/lineage_bench.py --pipelines 1000 --steps 30 --fan-in 3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synthetic
from graph_api.client.models import LineageBatch
from graph_api.config import Settings
from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.ingest import LineageAssociation, LineageAttribution, LineageEvent
from graph_api.model.lineage import LineageRequest
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.runtime import Runtime, open_runtime
from graph_api.services.container import Services

HOP5 = 5


def artifact_input(a: synthetic.SynArtifact) -> ArtifactInput:
    """A synthetic artifact as the store's input."""
    return ArtifactInput(type=a.type, external_id=a.external_id, uri=a.uri, name=a.name,
                         state="LIVE")


async def register_types(services: Services) -> None:
    for name in synthetic.ARTIFACT_TYPES:
        await services.types.put(NodeKind.ARTIFACT, TypeInput(name=name))
    for name in synthetic.EXECUTION_TYPES:
        await services.types.put(NodeKind.EXECUTION, TypeInput(name=name))
    await services.types.put(NodeKind.CONTEXT, TypeInput(name=synthetic.CONTEXT_TYPE))


def batch_inputs(pipelines: Sequence[synthetic.Pipeline], ids: dict[str, str]) -> LineageBatch:
    """The chunk's contexts, nodes, events and memberships as one `put_lineage_subgraph`'s
    arguments; edges name the chunk's nodes by position, the raw datasets they read by id
    (`ids`, by external id)."""
    artifacts = [a for p in pipelines for a in p.artifacts]
    executions = [e for p in pipelines for e in p.executions]
    a_index = {a.external_id: i for i, a in enumerate(artifacts)}
    e_index = {e.external_id: i for i, e in enumerate(executions)}

    def artifact(external_id: str) -> dict[str, Any]:
        i = a_index.get(external_id)
        return {"artifact_index": i} if i is not None else {"artifact_id": ids[external_id]}

    events: list[LineageEvent] = []
    attributions: list[LineageAttribution] = []
    associations: list[LineageAssociation] = []
    for c, p in enumerate(pipelines):
        events += [LineageEvent(**artifact(a), execution_index=e_index[e], type=EventType.INPUT)
                   for a, e in p.inputs]
        events += [LineageEvent(**artifact(a), execution_index=e_index[e],
                                type=EventType.OUTPUT) for e, a in p.outputs]
        attributions += [LineageAttribution(**artifact(a), context_index=c)
                         for a in p.attributed_external_ids()]
        associations += [LineageAssociation(execution_index=e_index[e.external_id],
                                             context_index=c) for e in p.executions]
    return LineageBatch(
        contexts=[ContextInput(type=synthetic.CONTEXT_TYPE, name=p.context_name,
                               external_id=p.context_external_id) for p in pipelines],
        artifacts=[artifact_input(a) for a in artifacts],
        executions=[ExecutionInput(type=e.type, external_id=e.external_id, name=e.name,
                                   state="COMPLETE") for e in executions],
        events=events, attributions=attributions, associations=associations)


async def ingest_chunk(runtime: Runtime, pipelines: Sequence[synthetic.Pipeline],
                       ids: dict[str, str]) -> None:
    """One transaction (one statement): the chunk's contexts, nodes, events and
    memberships, as one `put_lineage_subgraph`; the raw datasets they read by id."""
    b = batch_inputs(pipelines, ids)
    result = await runtime.services.ingest.put_lineage_subgraph(
        b.contexts, b.artifacts, b.executions, b.events, b.attributions, b.associations)
    ids.update(zip((a.external_id for a in b.artifacts), result.artifact_ids, strict=True))
    ids.update(zip((e.external_id for e in b.executions), result.execution_ids, strict=True))
    ids.update(zip((c.external_id for c in b.contexts), result.context_ids, strict=True))


async def ingest(runtime: Runtime, graph: synthetic.SyntheticGraph, chunk: int,
                 writers: int = 1) -> tuple[dict[str, str], float]:
    """Write `graph` (its types first), one transaction per `chunk` pipelines, by
    `writers` concurrent callers (each takes the next chunk when its last is written);
    the ids by external id, and the seconds the nodes and edges took."""
    services = runtime.services
    await register_types(services)
    ids: dict[str, str] = {}
    t0 = time.perf_counter()
    raw_ids = await services.ingest.put_nodes(
        NodeKind.ARTIFACT, [artifact_input(a) for a in graph.raw_datasets])
    ids.update(zip((a.external_id for a in graph.raw_datasets), raw_ids, strict=True))
    chunks = iter(range(0, len(graph.pipelines), chunk))

    async def writer() -> None:
        for start in chunks:  # shared: each chunk goes to one writer
            await ingest_chunk(runtime, graph.pipelines[start:start + chunk], ids)

    await asyncio.gather(*(writer() for _ in range(writers)))
    return ids, time.perf_counter() - t0


async def time_queries(services: Services, graph: synthetic.SyntheticGraph, ids: dict[str, str],
                       repeats: int) -> dict[str, float]:
    steps = len(graph.pipelines[0].executions)
    depth = min(2 * steps + 2, services.limits.max_hops)
    plans = [
        ("upstream", synthetic.upstream_starts(graph, repeats), Direction.UPSTREAM, depth),
        ("downstream", [graph.most_shared_dataset], Direction.DOWNSTREAM, depth),
        ("hop5", synthetic.hop5_starts(graph, repeats), Direction.DOWNSTREAM, HOP5),
    ]
    out: dict[str, float] = {}
    for key, starts, direction, hops in plans:
        def request(start: str, direction: Direction = direction, hops: int = hops
                    ) -> LineageRequest:
            return LineageRequest(start_artifact_ids=[ids[start]], direction=direction,
                                  max_hops=hops)

        for start in starts[:3]:  # warm-up: the engine's JIT compiles the hot paths
            await services.lineage.lineage(request(start))
        times, sizes = [], []
        for i in range(repeats):
            t0 = time.perf_counter()
            answer = await services.lineage.lineage(request(starts[i % len(starts)]))
            times.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(answer.nodes))
            assert not answer.truncated, f"{key}: answer truncated; raise LINEAGE_MAX_NODES"
        out[f"{key}_p50_ms"] = synthetic.percentile(times, 50)
        out[f"{key}_p95_ms"] = synthetic.percentile(times, 95)
        out[f"{key}_nodes"] = statistics.mean(sizes)
    return out


async def wipe(runtime: Any) -> None:
    async with runtime.db.driver.session(database=runtime.db.database) as session:
        await session.run("MATCH (n) DETACH DELETE n")


async def run_store(graph: synthetic.SyntheticGraph, repeats: int, chunk: int,
                    data_dir: Path) -> dict[str, float]:
    env = dict(os.environ)
    env.setdefault("LINEAGE_DATA_DIR", str(data_dir))
    env.setdefault("LINEAGE_MAX_NODES", "200000")
    env.setdefault("LINEAGE_EMBEDDED_HEAP", "4g")
    settings = Settings.from_env(env)
    runtime = await open_runtime(settings)
    services = runtime.services
    try:
        # Warm the engine up on a small graph first (a JVM compiles its hot paths only
        # after running them), then wipe it: the timed figures are of a warmed-up engine.
        await wipe(runtime)
        await ingest(runtime, synthetic.build(max(2, chunk), len(graph.pipelines[0].executions),
                                              3, seed=1), chunk)
        await wipe(runtime)
        ids, seconds = await ingest(runtime, graph, chunk)
        total = graph.node_count() + graph.edge_count()
        result = {"ingest_seconds": seconds, "ingest_rate": total / seconds}
        result.update(await time_queries(services, graph, ids, repeats))
        return result
    finally:
        await runtime.close()
        if runtime.engine is not None:
            runtime.engine.stop()


def report(ours: dict[str, float], mlmd: dict[str, float] | None) -> str:
    lines = []
    for key, value in ours.items():
        line = f"{key:<22}{value:>14.1f}"
        if mlmd is not None and key in mlmd:
            line += f"   mlmd {mlmd[key]:>12.1f}   ratio {value / mlmd[key]:6.2f}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    synthetic.add_graph_arguments(parser)
    parser.add_argument("--skip-mlmd", action="store_true")
    args = parser.parse_args(argv)
    graph = synthetic.from_arguments(args)
    print(synthetic.describe(args, graph))
    with tempfile.TemporaryDirectory(prefix="lineage-bench-") as tmp:
        mlmd: dict[str, Any] | None = None
        if not args.skip_mlmd:
            from bench.mlmd_baseline import run_mlmd

            mlmd = run_mlmd(graph, Path(tmp) / "mlmd", args.repeats)
        ours = asyncio.run(run_store(graph, args.repeats, args.chunk, Path(tmp) / "engine"))
    print("store (embedded engine unless NEO4J_URI)" + ("   vs ml-metadata" if mlmd else ""))
    print(report(ours, mlmd))
    if mlmd is not None:
        print("ingest ratio > 1 is faster than MLMD; query ratios < 1 are faster than MLMD")


if __name__ == "__main__":
    main()
