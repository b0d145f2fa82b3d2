"""Field cache benchmark: the hub's impact with every node's stored fields, through
GraphQL (the `table` form), with the process's field cache and without it, alternating in
one run over one database.

Builds the synthetic graph of `bench/synthetic.py` (as `lineage_bench.ingest` writes it),
then asks `impact(artifactIds: [hub]) { table(columns: [NAME, URI, STATE, PROPERTIES]) … }`
of the app in process (ASGI, no sockets): first once with the cache empty (a cold
answer: every field read from the database and then held), then `--repeats` times each
way — the cache as the server keeps it, and emptied and switched off just before the
request (the database's way). Prints p50s and their ratio.

    python bench/field_cache_bench.py --pipelines 1000 --steps 30 --fan-in 3 --repeats 7
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

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synthetic
from bench.api_questions import IMPACT_TABLE
from bench.lineage_bench import ingest
from graph_api.config import Settings
from graph_api.runtime import open_runtime
from graph_api.server import create_app


async def run(graph: synthetic.SyntheticGraph, repeats: int, data_dir: Path) -> None:
    env = dict(os.environ, LINEAGE_DATA_DIR=str(data_dir), LINEAGE_MAX_NODES="1000000",
               LINEAGE_EMBEDDED_HEAP=os.environ.get("LINEAGE_EMBEDDED_HEAP", "4g"))
    settings = Settings.from_env(env)
    runtime = await open_runtime(settings)
    try:
        ids, seconds = await ingest(runtime, graph, 25)
        print(f"ingested in {seconds:.1f} s", flush=True)
        hub = ids[graph.most_shared_dataset]
        await runtime.services.topology.ready()
        held = runtime.services.topology.held
        assert held is not None, "the topology index is off: nothing to compare"
        app = create_app(settings)
        app.state.runtime = runtime
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                     timeout=600) as client:
            async def ask() -> tuple[float, int]:
                t0 = time.perf_counter()
                response = await client.post("/graphql", json={
                    "query": IMPACT_TABLE, "variables": {"ids": [hub]}})
                elapsed = (time.perf_counter() - t0) * 1000
                answer = response.json()
                assert "errors" not in answer, answer["errors"]
                return elapsed, len(answer["data"]["impact"]["table"]["nodes"]["id"])

            cold, nodes = await ask()
            times: dict[str, list[float]] = {"cached": [], "uncached": []}
            capacity = held.fields.capacity
            for _ in range(repeats):
                times["cached"].append((await ask())[0])
                held.fields.capacity = 0  # hold nothing, and forget what is held
                held.fields.clear()
                times["uncached"].append((await ask())[0])
                held.fields.capacity = capacity
                await ask()  # held again
        p50 = {way: statistics.median(t) for way, t in times.items()}
        print(f"hub impact with properties: {nodes:,} nodes; field cache holds "
              f"{len(held.fields):,} nodes")
        print(f"  cold (first answer, cache empty): {cold:,.0f} ms")
        print(f"  p50 with the cache: {p50['cached']:,.0f} ms; without: "
              f"{p50['uncached']:,.0f} ms; ratio {p50['cached'] / p50['uncached']:.2f}")
    finally:
        await runtime.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    synthetic.add_graph_arguments(parser, repeats=7)
    args = parser.parse_args(argv)
    graph = synthetic.from_arguments(args)
    print(synthetic.describe(args, graph), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(graph, args.repeats, Path(tmp)))


if __name__ == "__main__":
    main()
