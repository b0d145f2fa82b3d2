"""SDK benchmark: `run.log_metric` in a training loop, and `put_execution`, end to end.

Starts the embedded engine (unless NEO4J_URI is set) and the API server in its own
process with `bench/api_bench.py`'s own start-up code, then prints:

* `log_metric` — calls per second of `run.log_metric` in a loop through the blocking
  client (buffered, `flush_every` records per flush, flushes and the exit flush included),
  the same through the async client, and the unbuffered baseline (a flush per call) with
  the ratio buffered / unbuffered;
* `put_execution` — executions per second of one `put_execution` per step (an input
  artifact by id, a new output artifact, the pipeline context: one request each), of
  `put_executions` with `--batch` executions per request, and of the store's in-process
  `put_execution` as the baseline, with the SDK's ratio to it.

    python bench/sdk_bench.py --metrics 20000 --executions 300
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import api_servers
from bench.lineage_bench import wipe
from graph_api.client import (
    ArtifactAndEvent,
    ArtifactInput,
    AsyncLineageClient,
    ContextInput,
    EventType,
    ExecutionInput,
    TypeInput,
    connect,
    connect_async,
)
from graph_api.config import Settings
from graph_api.model.enums import NodeKind
from graph_api.model.ingest import ArtifactAndEvent as StoreArtifactAndEvent
from graph_api.model.nodes import ArtifactInput as StoreArtifactInput
from graph_api.model.nodes import ContextInput as StoreContextInput
from graph_api.model.nodes import ExecutionInput as StoreExecutionInput
from graph_api.runtime import Runtime, open_runtime


def log_metrics_sync(url: str, calls: int, flush_every: int) -> float:
    """Calls per second of `log_metric` through the blocking client."""
    with connect(url) as client:
        experiment = client.project("bench").experiment("log-metric")
        run = experiment.run(f"sync-{flush_every}", flush_every=flush_every)
        t0 = time.perf_counter()
        with run:
            for step in range(calls):
                run.log_metric("loss", 1.0 / (step + 1), step=step)
        return calls / (time.perf_counter() - t0)


async def log_metrics_async(url: str, calls: int, flush_every: int) -> float:
    client = connect_async(url)
    experiment = await (await client.project("bench")).experiment("log-metric")
    run = experiment.run(f"async-{flush_every}", flush_every=flush_every)
    t0 = time.perf_counter()
    async with run:
        for step in range(calls):
            await run.log_metric("loss", 1.0 / (step + 1), step=step)
    rate = calls / (time.perf_counter() - t0)
    await client.close()
    return rate


async def _types(client: AsyncLineageClient) -> str:
    await client.put_artifact_type(TypeInput(name="Data"))
    await client.put_execution_type(TypeInput(name="Step", base_type="TRANSFORM"))
    await client.put_context_type(TypeInput(name="Pipeline"))
    [source] = await client.put_artifacts([ArtifactInput(type="Data", uri="s3://source")])
    return source


async def put_execution_sdk(url: str, n: int) -> float:
    client = connect_async(url)
    source = await _types(client)
    t0 = time.perf_counter()
    for i in range(n):
        await client.put_execution(
            ExecutionInput(type="Step", name=f"step-{i}"),
            [ArtifactAndEvent(artifact_id=source, event_type=EventType.INPUT),
             ArtifactAndEvent(artifact=ArtifactInput(type="Data", uri=f"s3://out/{i}"),
                              event_type=EventType.OUTPUT)],
            [ContextInput(type="Pipeline", name="bench")])
    rate = n / (time.perf_counter() - t0)
    await client.close()
    return rate


async def put_executions_batched(url: str, n: int, batch: int) -> float:
    client = connect_async(url)
    await _types(client)
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        await client.put_executions([ExecutionInput(type="Step", name=f"b-{i}")
                                     for i in range(start, min(n, start + batch))])
    rate = n / (time.perf_counter() - t0)
    await client.close()
    return rate


async def put_execution_store(runtime: Runtime, n: int) -> float:
    """The same steps through the store in process: the baseline without HTTP."""
    services = runtime.services
    [source] = await services.ingest.put_nodes(NodeKind.ARTIFACT, [StoreArtifactInput(
        type="Data", uri="s3://store-source")])
    t0 = time.perf_counter()
    for i in range(n):
        await services.ingest.put_execution(
            StoreExecutionInput(type="Step", name=f"store-{i}"),
            [StoreArtifactAndEvent(artifact_id=source, event_type=EventType.INPUT),
             StoreArtifactAndEvent(artifact=StoreArtifactInput(type="Data", uri=f"s3://s/{i}"),
                                   event_type=EventType.OUTPUT)],
            [StoreContextInput(type="Pipeline", name="bench")])
    return n / (time.perf_counter() - t0)


async def run(args: argparse.Namespace, data_dir: Path) -> list[str]:
    env = dict(os.environ)
    env.setdefault("LINEAGE_DATA_DIR", str(data_dir))
    runtime = await open_runtime(Settings.from_env(env))
    server = api_servers.start(runtime, env)
    url = server.url
    lines: list[str] = []
    try:
        await api_servers.wait_ready(server)
        await wipe(runtime)
        # warm-up: the server's first requests compile documents and warm the engine
        await asyncio.to_thread(log_metrics_sync, url, 2000, 500)
        await put_execution_sdk(url, 20)
        await wipe(runtime)

        buffered = await asyncio.to_thread(log_metrics_sync, url, args.metrics, args.flush_every)
        in_async = await log_metrics_async(url, args.metrics, args.flush_every)
        unbuffered = await asyncio.to_thread(log_metrics_sync, url, args.unbuffered, 1)
        lines += [
            f"log_metric, blocking client, flush every {args.flush_every}: {buffered:10,.0f} calls/s"
            f"  ({args.metrics} calls)",
            f"log_metric, async client,    flush every {args.flush_every}: {in_async:10,.0f} calls/s",
            f"log_metric, unbuffered (a flush per call):      {unbuffered:10,.0f} calls/s"
            f"  ({args.unbuffered} calls); buffered / unbuffered: {buffered / unbuffered:,.0f}x",
        ]
        await wipe(runtime)
        single = await put_execution_sdk(url, args.executions)
        batched = await put_executions_batched(url, args.executions * 10, args.batch)
        in_process = await put_execution_store(runtime, args.executions)
        lines += [
            f"put_execution, SDK (one request each):        {single:10,.1f} executions/s"
            f"  ({args.executions}); SDK / in process: {single / in_process:.2f}",
            f"put_executions, SDK ({args.batch} per request):      {batched:10,.1f} executions/s"
            f"  ({args.executions * 10})",
            f"put_execution, services in process (baseline):   {in_process:10,.1f} executions/s",
        ]
        return lines
    finally:
        await api_servers.shut_down([server], runtime)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metrics", type=int, default=20_000, help="log_metric calls")
    parser.add_argument("--flush-every", type=int, default=1000)
    parser.add_argument("--unbuffered", type=int, default=200,
                        help="log_metric calls of the unbuffered baseline")
    parser.add_argument("--executions", type=int, default=300)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sdk-bench-") as tmp:
        lines = asyncio.run(run(args, Path(tmp)))
    print("embedded engine unless NEO4J_URI; API server in its own process on loopback")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
