"""Concurrent writers in one process: queued (`LINEAGE_WRITE_CONCURRENCY`, default 1) or
all at once.

Writes the synthetic graph of `bench/synthetic.py` as `lineage_bench.ingest` does, a
chunk of pipelines per `put_lineage_subgraph`, by `--writers` concurrent callers of one
process, twice per round: through a `Database` that runs one write transaction at a time
(the server's default) and through one that runs them all at once, over the same driver
and database (emptied before each write). Prints, for each, the median seconds, the
rate (nodes + edges per second) and the statements the writes sent: the queued side sends
each once (one per chunk, and the types' and raw datasets' writes), so the other side's
surplus is conflicts that ran again.

    python bench/write_queue_bench.py --pipelines 80 --steps 20 --chunk 2 --writers 8
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synthetic
from bench.lineage_bench import ingest, wipe
from graph_api.config import Settings
from graph_api.runtime import Runtime, open_runtime
from graph_api.services.container import Services
from graph_api.store.connection import Database, StatementLog


def over(runtime: Runtime, settings: Settings, write_concurrency: int) -> Runtime:
    """`runtime` with its own `Database` (on the same driver) and services."""
    db = Database(runtime.db.driver, database=runtime.db.database, timeout=runtime.db.timeout,
                  write_concurrency=write_concurrency, statement_log=StatementLog())
    return replace(runtime, db=db, services=Services.create(db, settings.limits,
                                                            settings.topology))


async def run(args: argparse.Namespace, data_dir: Path) -> None:
    graph = synthetic.from_arguments(args)
    total = graph.node_count() + graph.edge_count()
    chunks = -(-len(graph.pipelines) // args.chunk)
    settings = Settings.from_env({"LINEAGE_DATA_DIR": str(data_dir),
                                  "LINEAGE_TOPOLOGY_INDEX": "off"})
    runtime = await open_runtime(settings)
    sides = {"queued (1 at a time)": over(runtime, settings, 1),
             f"all at once ({args.writers})": over(runtime, settings, args.writers)}
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    sent: dict[str, list[int]] = {name: [] for name in sides}
    try:
        for side in sides.values():  # warm-up: the engine compiles the statements
            await wipe(side)
            await ingest(side, synthetic.build(max(2, args.chunk), args.steps, 3, seed=1),
                         args.chunk)
        for _ in range(args.rounds):
            for name, side in sides.items():
                await wipe(side)
                before = side.db.statements.sent
                _, took = await ingest(side, graph, args.chunk, writers=args.writers)
                seconds[name].append(took)
                sent[name].append(side.db.statements.sent - before)
    finally:
        await runtime.close()
    print(f"{args.writers} writers, {chunks} chunks of {args.chunk} pipelines "
          f"({total:,} nodes + edges), median of {args.rounds} rounds")
    for name in sides:
        took = statistics.median(seconds[name])
        print(f"{name:<24}{took:>8.2f} s{total / took:>10,.0f} /s   statements "
              f"{statistics.median(sent[name]):>5.0f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    synthetic.add_graph_arguments(parser)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="write-queue-bench-") as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
