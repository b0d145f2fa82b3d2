# mypy: disable-error-code="attr-defined,name-defined"
"""MLMD's client against our gRPC service and against MLMD's own server-less store.

The same synthetic graph (:mod:`synthetic`) is written, the way TFX writes it — one
``put_execution`` call per step, its inputs and outputs and the pipeline's context — by
MLMD's Python ``MetadataStore`` twice, in the same run: once over gRPC to
``lineage serve --mlmd-port`` (started here on a fresh embedded engine, or ``--url`` of a
running server with an empty store), once to MLMD's own SQLite file store (no server).
Then ``get_lineage_subgraph`` — upstream of each pipeline's final model, full depth —
is timed on both, and the answers are compared (nodes and events).

Prints, for each store: ``put_execution`` calls per second and p50 latency, and
``get_lineage_subgraph`` queries per second and p50 latency. Timing the gRPC side times
the whole path: MLMD's client, gRPC, our server, the graph database.

Requires the ``mlmd`` extra. Usage::

    python bench/mlmd_grpc_bench.py --pipelines 20 --steps 20 --fan-in 3
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__:  # imported as bench.mlmd_grpc_bench
    from bench import synthetic
    from bench.mlmd_baseline import _Ingestor, full_depth, open_store
else:  # run as a script: bench/ is sys.path[0]
    import synthetic  # type: ignore[no-redef]
    from mlmd_baseline import _Ingestor, full_depth, open_store  # type: ignore[no-redef]

import httpx
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.compat.mlmd import MetadataStore
from graph_api.embedded import free_port

Q = pb.LineageSubgraphQueryOptions


class Timed:
    """A store whose calls record how long each took, by method name."""

    def __init__(self, store: metadata_store.MetadataStore) -> None:
        self.store = store
        self.samples: dict[str, list[float]] = {}

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.store, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.samples.setdefault(name, []).append(time.perf_counter() - start)

        return timed


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    """``lineage serve --mlmd-port`` on a fresh embedded engine; yields ``host:port``."""
    http, grpc_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env |= {"LINEAGE_DATA_DIR": str(data_dir), "LINEAGE_EMBEDDED_HEAP": "1g"}
    lineage = Path(sys.executable).parent / "lineage"
    server = subprocess.Popen(
        [str(lineage), "serve", "--port", str(http), "--mlmd-port", str(grpc_port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit("lineage serve exited before it was ready")
            try:
                if httpx.get(f"http://127.0.0.1:{http}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("lineage serve did not become ready")
            time.sleep(0.3)
        yield f"127.0.0.1:{grpc_port}"
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def write(store: Timed, graph: synthetic.SyntheticGraph) -> _Ingestor:
    ingestor = _Ingestor(store)  # type: ignore[arg-type]
    ingestor.put_raw_datasets(graph)
    for pipeline in graph.pipelines:
        ingestor.put_execution(pipeline)
    return ingestor


def query(store: Timed, ingestor: _Ingestor, starts: list[str], hops: int
          ) -> list[tuple[int, int]]:
    answers = []
    for start in starts:
        options = Q(starting_artifacts=Q.StartingNodes(
            filter_query=f"id = {ingestor.artifact_ids[start]}"),
            max_num_hops=hops, direction=Q.UPSTREAM)
        graph = store.get_lineage_subgraph(options, ["artifacts", "executions", "events"])
        answers.append((len(graph.artifacts) + len(graph.executions), len(graph.events)))
    return answers


def report(name: str, store: Timed) -> None:
    for method in ("put_execution", "get_lineage_subgraph"):
        samples = store.samples[method]
        print(f"  {name:<22} {method:<21} {len(samples) / sum(samples):>9.1f}/s   "
              f"p50 {synthetic.percentile(samples, 50) * 1000:>8.2f} ms   "
              f"({len(samples)} calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    synthetic.add_graph_arguments(parser, repeats=20)
    parser.add_argument("--url", help="host:port of a running server (empty store); "
                                      "default: start one on a fresh embedded engine")
    args = parser.parse_args()
    graph = synthetic.from_arguments(args)
    print(synthetic.describe(args, graph))
    starts = synthetic.upstream_starts(graph, args.repeats)
    hops = min(full_depth(graph), 100)
    with tempfile.TemporaryDirectory() as tmp:
        mlmd = Timed(open_store(Path(tmp) / "mlmd.sqlite"))
        mlmd_ingestor = write(mlmd, graph)
        mlmd_answers = query(mlmd, mlmd_ingestor, starts, hops)
        with served(Path(tmp) / "engine") if args.url is None else _given(args.url) as url:
            ours = Timed(MetadataStore(url))
            our_ingestor = write(ours, graph)
            our_answers = query(ours, our_ingestor, starts, hops)
    print(f"upstream of {len(starts)} final models, {hops} hops; answers "
          f"{'equal' if our_answers == mlmd_answers else 'DIFFER'} (nodes, events)")
    report("lineage-explorer gRPC", ours)
    report("MLMD SQLite (no server)", mlmd)


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
