"""Deterministic synthetic ML lineage graph for benchmarks (MLMD data model).

The graph is plain Python data with no dependencies, so the same instance can
be fed to our Neo4j store and to Google's ``ml-metadata`` baseline and the
answers compared.

Shape (see :func:`build`):

* a pool of shared raw datasets whose popularity follows a Zipf law, so one
  raw dataset feeds most pipelines (a hot spot for downstream queries);
* one context of type ``PipelineRun`` per pipeline, holding ``steps``
  executions run in sequence;
* step ``s`` consumes ``fan_in`` artifacts: the previous step's main output
  (except at step 0) plus artifacts drawn from the pipeline's earlier outputs
  and the raw datasets (step 0 draws ``fan_in`` raw datasets);
* every step produces one main output (``Dataset``, the last step's a
  ``Model``) and every second step also a ``Metrics`` artifact.

Because a step may consume both an output of an earlier step ``k`` and the
previous main output (which itself descends from ``k``), the graph has
diamonds: artifacts reachable through several paths.

At 1,000 pipelines x 30 steps x fan-in 3 it has about 76k nodes and 220k
edges.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

ARTIFACT_TYPES = ("RawDataset", "Dataset", "Model", "Metrics")
EXECUTION_TYPES = ("Transform", "Trainer", "Evaluator")
CONTEXT_TYPE = "PipelineRun"

#: Probability that an extra (non-chained) input of a step >= 1 is a raw
#: dataset rather than an earlier output of the same pipeline. Tuned so that a
#: pipeline consumes ~10 distinct raw datasets at 30 steps x fan-in 3, which
#: gives the ~220k edges target at 1,000 pipelines.
RAW_INPUT_PROBABILITY = 0.15

#: Exponent of the Zipf-like popularity of the raw datasets.
ZIPF_EXPONENT = 1.0


@dataclass(frozen=True)
class SynArtifact:
    external_id: str
    type: str  # "RawDataset" | "Dataset" | "Model" | "Metrics"
    uri: str
    name: str


@dataclass(frozen=True)
class SynExecution:
    external_id: str
    type: str  # "Transform" | "Trainer" | "Evaluator"
    name: str


@dataclass(frozen=True)
class Pipeline:
    """One pipeline run, i.e. one context of type ``PipelineRun``."""

    context_external_id: str
    context_name: str
    executions: list[SynExecution]
    artifacts: list[SynArtifact]  # artifacts produced in this pipeline
    inputs: list[tuple[str, str]]  # (artifact external id, execution external id)
    outputs: list[tuple[str, str]]  # (execution external id, artifact external id)

    def steps(self) -> list[tuple[SynExecution, list[str], list[SynArtifact]]]:
        """Each execution with its inputs (external ids) and the artifacts it produced."""
        inputs: dict[str, list[str]] = {}
        outputs: dict[str, list[str]] = {}
        for a, e in self.inputs:
            inputs.setdefault(e, []).append(a)
        for e, a in self.outputs:
            outputs.setdefault(e, []).append(a)
        by_ext = {a.external_id: a for a in self.artifacts}
        return [(e, inputs.get(e.external_id, []),
                 [by_ext[a] for a in outputs.get(e.external_id, [])]) for e in self.executions]

    def consumed_external_ids(self) -> list[str]:
        """Distinct artifacts consumed by the pipeline, in first-use order."""
        return list(dict.fromkeys(a for a, _ in self.inputs))

    def attributed_external_ids(self) -> list[str]:
        """Artifacts attributed to the pipeline's context: produced and consumed.

        Produced artifacts come first, in production order, then the consumed
        ones not produced here (the raw datasets), in first-use order.
        """
        produced = [a.external_id for a in self.artifacts]
        return list(dict.fromkeys(itertools.chain(produced, self.consumed_external_ids())))


@dataclass(frozen=True)
class SyntheticGraph:
    raw_datasets: list[SynArtifact]
    pipelines: list[Pipeline]
    final_models: list[str]  # external id of each pipeline's final model
    most_shared_dataset: str  # the raw dataset consumed by the most pipelines

    def node_count(self) -> int:
        """Artifacts + executions + contexts."""
        return len(self.raw_datasets) + sum(
            len(p.artifacts) + len(p.executions) + 1 for p in self.pipelines
        )

    def edge_count(self) -> int:
        """INPUT + OUTPUT events + attributions + associations."""
        return sum(
            len(p.inputs) + len(p.outputs) + len(p.attributed_external_ids()) + len(p.executions)
            for p in self.pipelines
        )

    def artifacts(self) -> Iterable[SynArtifact]:
        yield from self.raw_datasets
        for p in self.pipelines:
            yield from p.artifacts

    def executions(self) -> Iterable[SynExecution]:
        for p in self.pipelines:
            yield from p.executions


def _zipf_cum_weights(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


def _execution_type(step: int, steps: int) -> str:
    if step == steps - 1:
        return "Trainer"
    if step % 2 == 1:
        return "Evaluator"  # the steps that also emit Metrics
    return "Transform"


def build(
    pipelines: int,
    steps: int,
    fan_in: int,
    raw_datasets: int | None = None,
    seed: int = 0,
) -> SyntheticGraph:
    """Build the synthetic graph; the result depends only on the arguments.

    ``raw_datasets`` defaults to ``max(10, pipelines // 5)``. Metrics are
    produced by the odd steps (1, 3, 5, ...), so ``steps // 2`` per pipeline.
    """
    if pipelines < 1 or steps < 1 or fan_in < 1:
        raise ValueError("pipelines, steps and fan_in must be >= 1")
    n_raw = max(10, pipelines // 5) if raw_datasets is None else raw_datasets
    if n_raw < fan_in:
        raise ValueError("need at least fan_in raw datasets")
    rng = random.Random(seed)

    raws = [
        SynArtifact(
            external_id=f"raw-{i:05d}",
            type="RawDataset",
            uri=f"synthetic://raw/{i:05d}",
            name=f"raw-dataset-{i:05d}",
        )
        for i in range(n_raw)
    ]
    raw_ids = [a.external_id for a in raws]
    # Shuffle which raw dataset is popular so the hot one is not always raw-00000.
    popularity = raw_ids[:]
    rng.shuffle(popularity)
    cum_weights = _zipf_cum_weights(n_raw, ZIPF_EXPONENT)

    def draw_raw(exclude: list[str]) -> str:
        while True:
            pick = rng.choices(popularity, cum_weights=cum_weights)[0]
            if pick not in exclude:
                return pick

    result: list[Pipeline] = []
    final_models: list[str] = []
    consumers: dict[str, int] = dict.fromkeys(raw_ids, 0)

    for p in range(pipelines):
        run = f"run-{p:05d}"
        executions: list[SynExecution] = []
        artifacts: list[SynArtifact] = []
        inputs: list[tuple[str, str]] = []
        outputs: list[tuple[str, str]] = []
        earlier: list[str] = []  # outputs of steps < s-1 (plus s-1's Metrics)
        previous_main: str | None = None

        for s in range(steps):
            exec_type = _execution_type(s, steps)
            ex = SynExecution(
                external_id=f"{run}/exec-{s:03d}",
                type=exec_type,
                name=f"{run}-{exec_type.lower()}-{s:03d}",
            )
            executions.append(ex)

            chosen: list[str] = []
            if previous_main is None:
                for _ in range(fan_in):
                    chosen.append(draw_raw(chosen))
            else:
                chosen.append(previous_main)
                for _ in range(fan_in - 1):
                    candidates = [a for a in earlier if a not in chosen]
                    if candidates and rng.random() >= RAW_INPUT_PROBABILITY:
                        chosen.append(rng.choice(candidates))
                    else:
                        chosen.append(draw_raw(chosen))
            inputs.extend((a, ex.external_id) for a in chosen)

            main_type = "Model" if s == steps - 1 else "Dataset"
            main = SynArtifact(
                external_id=f"{run}/out-{s:03d}",
                type=main_type,
                uri=f"synthetic://{run}/step-{s:03d}/{main_type.lower()}",
                name=f"{run}-{main_type.lower()}-{s:03d}",
            )
            produced = [main]
            if s % 2 == 1:
                produced.append(
                    SynArtifact(
                        external_id=f"{run}/metrics-{s:03d}",
                        type="Metrics",
                        uri=f"synthetic://{run}/step-{s:03d}/metrics",
                        name=f"{run}-metrics-{s:03d}",
                    )
                )
            for art in produced:
                artifacts.append(art)
                outputs.append((ex.external_id, art.external_id))

            if previous_main is not None:
                earlier.append(previous_main)
            earlier.extend(a.external_id for a in produced[1:])
            previous_main = main.external_id

        pipeline = Pipeline(
            context_external_id=run,
            context_name=f"pipeline-run-{p:05d}",
            executions=executions,
            artifacts=artifacts,
            inputs=inputs,
            outputs=outputs,
        )
        for a in pipeline.consumed_external_ids():
            if a in consumers:
                consumers[a] += 1
        result.append(pipeline)
        assert previous_main is not None
        final_models.append(previous_main)

    # max() keeps the first maximum, so ties resolve to the lowest raw id.
    most_shared = max(raw_ids, key=lambda a: consumers[a])
    return SyntheticGraph(
        raw_datasets=raws,
        pipelines=result,
        final_models=final_models,
        most_shared_dataset=most_shared,
    )


Direction = Literal["upstream", "downstream", "both"]


def reference_lineage(
    graph: SyntheticGraph, start: str, direction: Direction, max_hops: int
) -> tuple[set[str], int]:
    """Reference answer: (artifact and execution external ids, event count).

    Hop semantics follow MLMD's ``get_lineage_subgraph``: one hop is one event,
    i.e. artifact -> execution or execution -> artifact. ``both`` is a
    breadth-first search over the undirected event graph (so it also reaches
    siblings, e.g. the other inputs of a consuming execution). The event count
    is the number of events whose two ends are both in the answer.
    """
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    events: list[tuple[str, str]] = []  # (source, target) in data-flow order
    for p in graph.pipelines:
        events.extend(p.inputs)
        events.extend(p.outputs)
    for src, dst in events:
        down.setdefault(src, []).append(dst)
        up.setdefault(dst, []).append(src)

    seen = {start}
    frontier = deque([(start, 0)])
    while frontier:
        node, depth = frontier.popleft()
        if depth == max_hops:
            continue
        nexts: list[str] = []
        if direction in ("upstream", "both"):
            nexts.extend(up.get(node, ()))
        if direction in ("downstream", "both"):
            nexts.extend(down.get(node, ()))
        for n in nexts:
            if n not in seen:
                seen.add(n)
                frontier.append((n, depth + 1))
    n_events = sum(1 for src, dst in events if src in seen and dst in seen)
    return seen, n_events


def sized_start(graph: SyntheticGraph, target: int, max_hops: int) -> tuple[str, int]:
    """The raw dataset whose downstream lineage within ``max_hops`` (artifacts and
    executions) is closest to ``target`` nodes, and that size."""
    down: dict[str, list[str]] = {}
    for p in graph.pipelines:
        for src, dst in (*p.inputs, *p.outputs):
            down.setdefault(src, []).append(dst)
    best: tuple[str, int] | None = None
    for raw in graph.raw_datasets:
        seen = {raw.external_id}
        frontier = [raw.external_id]
        for _ in range(max_hops):
            reached = []
            for node in frontier:
                for n in down.get(node, ()):
                    if n not in seen:
                        seen.add(n)
                        reached.append(n)
            frontier = reached
        if best is None or abs(len(seen) - target) < abs(best[1] - target):
            best = (raw.external_id, len(seen))
    if best is None:
        raise ValueError("the graph has no raw datasets")
    return best


def percentile(samples: Sequence[float], q: int) -> float:
    """``q``-th percentile (1..99), linear interpolation as numpy's default."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def spread(items: Sequence[str], k: int) -> list[str]:
    """``k`` items spread evenly over ``items`` (deterministic)."""
    k = min(k, len(items))
    return [items[(i * len(items)) // k] for i in range(k)]


def upstream_starts(graph: SyntheticGraph, repeats: int) -> list[str]:
    """Final models used as start nodes of the upstream query, in order."""
    return spread(graph.final_models, repeats)


def hop5_starts(graph: SyntheticGraph, repeats: int) -> list[str]:
    """Mid-pipeline main outputs used as start nodes of the 5-hop query."""
    steps = len(graph.pipelines[0].executions)
    return spread([f"{p.context_external_id}/out-{steps // 2:03d}" for p in graph.pipelines],
                  repeats)


def add_graph_arguments(parser: argparse.ArgumentParser, repeats: int = 20) -> None:
    """The options every benchmark over the synthetic graph takes: its shape, how many
    times to time each question, and how many pipelines go in one write transaction."""
    parser.add_argument("--pipelines", type=int, default=100)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--fan-in", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument("--chunk", type=int, default=10, help="pipelines per transaction")


def from_arguments(args: argparse.Namespace) -> SyntheticGraph:
    """The graph `add_graph_arguments`' options describe (seed 0)."""
    return build(args.pipelines, args.steps, args.fan_in)


def describe(args: argparse.Namespace, graph: SyntheticGraph) -> str:
    return (f"graph: {args.pipelines} pipelines x {args.steps} steps x fan-in {args.fan_in}: "
            f"{graph.node_count()} nodes, {graph.edge_count()} edges")

