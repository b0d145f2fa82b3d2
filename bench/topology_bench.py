"""Topology index benchmark, in memory (no database): what the index costs in bytes a node
and how fast it walks, at sizes the database benchmarks cannot reach on one machine.

Builds a lineage graph shaped like `bench/synthetic.py` (pipelines of steps, each step
reading the previous step's output and `fan-in - 1` shared raw datasets, writing one
artifact; each pipeline a run context holding its steps and outputs, under one experiment
per hundred pipelines, under one project) straight into a `Topology`, then prints its
memory, and the time to walk the most-shared raw dataset's downstream closure, to assemble
that answer, and to find the contexts impact analysis lists for it.

    python bench/topology_bench.py --pipelines 13000 --steps 30 --fan-in 3
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_api.ids import new_id
from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.services.topology import contexts, walks
from graph_api.services.topology.index import EVENT_CODE, Topology


def build(pipelines: int, steps: int, fan_in: int, raws: int, seed: int = 1
          ) -> tuple[Topology, int, float]:
    """The graph as a topology index; the number of its most-shared raw dataset, and the
    seconds the build took (numbering every node, then the rows)."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    topo = Topology("bench")
    raw = topo.add_nodes([new_id() for _ in range(raws)], NodeKind.ARTIFACT,
                         ["RawData"] * raws)
    # Per pipeline: a first artifact, then per step an execution and its output.
    executions = topo.add_nodes([new_id() for _ in range(pipelines * steps)],
                                NodeKind.EXECUTION, ["Step"] * (pipelines * steps))
    outputs = topo.add_nodes([new_id() for _ in range(pipelines * steps)], NodeKind.ARTIFACT,
                             ["Dataset"] * (pipelines * steps))
    executions = executions.reshape(pipelines, steps)
    outputs = outputs.reshape(pipelines, steps)
    previous = np.concatenate((raw[rng.integers(0, raws, pipelines)][:, None],
                               outputs[:, :-1]), axis=1)
    shared = raw[np.minimum(rng.zipf(1.6, (pipelines, steps, fan_in - 1)) - 1, raws - 1)]
    inputs = np.concatenate((previous[:, :, None], shared), axis=2)
    source = np.concatenate((inputs.ravel(), executions.ravel()))
    target = np.concatenate((np.repeat(executions.ravel(), fan_in), outputs.ravel()))
    event = np.concatenate((np.full(inputs.size, EVENT_CODE[EventType.INPUT.value]),
                            np.full(outputs.size, EVENT_CODE[EventType.OUTPUT.value])))
    runs = topo.add_nodes([new_id() for _ in range(pipelines)], NodeKind.CONTEXT,
                          ["Run"] * pipelines)
    experiments = topo.add_nodes([new_id() for _ in range(-(-pipelines // 100))],
                                 NodeKind.CONTEXT, ["Experiment"] * -(-pipelines // 100))
    project = topo.add_nodes([new_id()], NodeKind.CONTEXT, ["Project"])
    topo.sort_ids()
    topo.trim()
    topo.set_edges(source.astype(np.int32), target.astype(np.int32), event.astype(np.int8))
    topo.add_memberships(np.concatenate((executions.ravel(), outputs.ravel())),
                         np.tile(np.repeat(runs, steps), 2))
    topo.add_parents(np.concatenate((runs, experiments)),
                     np.concatenate((experiments[np.arange(pipelines) // 100],
                                     np.repeat(project, len(experiments)))))
    seconds = time.perf_counter() - started
    hub = int(raw[np.bincount(np.searchsorted(raw, inputs.ravel()[np.isin(inputs.ravel(), raw)]),
                              minlength=raws).argmax()])
    return topo, hub, seconds


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipelines", type=int, default=13_000)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--fan-in", type=int, default=3)
    parser.add_argument("--raws", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    topo, hub, seconds = build(args.pipelines, args.steps, args.fan_in, args.raws)
    print(f"{topo.size:,} nodes, {topo.edge_count:,} edges: built in {seconds:.2f} s, "
          f"{topo.nbytes() / 1e6:.1f} MB, {topo.nbytes() / topo.size:.0f} bytes a node")
    start = np.array([hub], dtype=np.int32)
    walked, assembled, closed = [], [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        members, degree, _ = walks.reach(topo, start, Direction.DOWNSTREAM, 1000,
                                         topo.size + 1)
        t1 = time.perf_counter()
        answer = walks.answer(topo, members, degree, False)
        t2 = time.perf_counter()
        closure = contexts.closure(topo, answer.ids, answer.degrees)
        t3 = time.perf_counter()
        walked.append(t1 - t0)
        assembled.append(t2 - t1)
        closed.append(t3 - t2)
    print(f"downstream of the most-shared raw dataset: {len(answer):,} nodes, "
          f"{len(answer.sources):,} edges; walk p50 {1000 * float(np.median(walked)):.1f} ms, "
          f"answer p50 {1000 * float(np.median(assembled)):.1f} ms")
    assert closure is not None
    print(f"its impact contexts: {len(closure.contexts):,} "
          f"({sum(h.members for h in closure.held.values()):,} memberships); "
          f"p50 {1000 * float(np.median(closed)):.1f} ms")


if __name__ == "__main__":
    main()
