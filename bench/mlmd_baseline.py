# mypy: disable-error-code="attr-defined,name-defined"
"""Baseline: Google's ``ml-metadata`` (MLMD) on the synthetic lineage graph.

Ingests a :class:`synthetic.SyntheticGraph` into an MLMD SQLite file store and
times ``get_lineage_subgraph`` for the same three queries our store answers:

* ``upstream``: upstream lineage of a pipeline's final model, full depth;
* ``downstream``: downstream lineage of the most shared raw dataset, full depth;
* ``hop5``: 5-hop downstream lineage of a mid-pipeline artifact;
* ``mid`` (when a start is given): downstream lineage of another raw dataset, full depth.

MLMD hop semantics: one hop is one event, i.e. artifact -> execution or
execution -> artifact, so a pipeline of ``steps`` steps is ``2 * steps`` hops
deep; MLMD silently clamps ``max_num_hops`` to 100 (it logs an INFO line).
``BIDIRECTIONAL`` is a breadth-first search over the undirected event graph,
so it also reaches siblings (other inputs of a consuming execution, other
consumers of a raw dataset): a 5-hop query that touches a popular raw dataset
fans out to thousands of nodes. ``--verify`` checks every answer against
:func:`synthetic.reference_lineage`, which implements these semantics.

``*_nodes`` counts the artifacts and executions of an answer (contexts
excluded) and ``*_edges`` its events; queries use MLMD's default field mask,
so answers also carry contexts, attributions and associations.

Requires ``ml-metadata`` (1.17.1 is the newest release whose wheel installs on
glibc < 2.39, e.g. Debian 12). Usage::

    python bench/mlmd_baseline.py --pipelines 50 --steps 30 --fan-in 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__:  # imported as bench.mlmd_baseline
    from bench import synthetic
else:  # run as a script: bench/ is sys.path[0]
    import synthetic  # type: ignore[no-redef]

from ml_metadata.metadata_store import metadata_store

# The generated protobuf module ships no type stubs: mypy sees none of its
# messages, hence the file-level ignore of attr-defined / name-defined above.
from ml_metadata.proto import metadata_store_pb2 as pb

#: MLMD clamps deeper traversals to this many hops.
MLMD_MAX_HOPS = 100
HOP5 = 5

Q = pb.LineageSubgraphQueryOptions


class _Ingestor:
    """Holds the store, the type ids and the external id -> stored id map."""

    def __init__(self, store: metadata_store.MetadataStore) -> None:
        self.store = store
        self.artifact_type = {
            name: store.put_artifact_type(pb.ArtifactType(name=name))
            for name in synthetic.ARTIFACT_TYPES
        }
        self.execution_type = {
            name: store.put_execution_type(pb.ExecutionType(name=name))
            for name in synthetic.EXECUTION_TYPES
        }
        self.context_type = store.put_context_type(pb.ContextType(name=synthetic.CONTEXT_TYPE))
        self.artifact_ids: dict[str, int] = {}
        self.execution_ids: dict[str, int] = {}
        self.context_ids: dict[str, int] = {}
        # Stored protos of the raw datasets, reused when a pipeline consumes them.
        self.raw_protos: dict[str, pb.Artifact] = {}

    def artifact(self, a: synthetic.SynArtifact) -> pb.Artifact:
        return pb.Artifact(
            type_id=self.artifact_type[a.type], uri=a.uri, name=a.name, external_id=a.external_id
        )

    def execution(self, e: synthetic.SynExecution) -> pb.Execution:
        return pb.Execution(
            type_id=self.execution_type[e.type],
            name=e.name,
            external_id=e.external_id,
            last_known_state=pb.Execution.COMPLETE,
        )

    def context(self, p: synthetic.Pipeline) -> pb.Context:
        return pb.Context(
            type_id=self.context_type, name=p.context_name, external_id=p.context_external_id
        )

    def put_raw_datasets(self, graph: synthetic.SyntheticGraph) -> None:
        protos = [self.artifact(a) for a in graph.raw_datasets]
        ids = self.store.put_artifacts(protos)
        for proto, id_ in zip(protos, ids, strict=True):
            proto.id = id_
            self.artifact_ids[proto.external_id] = id_
            self.raw_protos[proto.external_id] = proto

    # -- strategies: each ingests one pipeline -------------------------------

    def put_lineage_subgraph(self, p: synthetic.Pipeline) -> None:
        """One ``put_lineage_subgraph`` call (one transaction) per pipeline.

        Consumed raw datasets go in the artifact list with their id and stored
        values, so MLMD attributes them to the context too (to MLMD they are
        updates that change nothing).
        """
        produced = [self.artifact(a) for a in p.artifacts]
        consumed_raw = [
            self.raw_protos[a] for a in p.consumed_external_ids() if a in self.raw_protos
        ]
        artifacts = produced + consumed_raw
        a_index = {a.external_id: i for i, a in enumerate(artifacts)}
        e_index = {e.external_id: i for i, e in enumerate(p.executions)}
        edges: list[tuple[int | None, int | None, pb.Event]] = []
        for a, e in p.inputs:
            edges.append((e_index[e], a_index[a], pb.Event(type=pb.Event.INPUT)))
        for e, a in p.outputs:
            edges.append((e_index[e], a_index[a], pb.Event(type=pb.Event.OUTPUT)))
        ex_ids, art_ids, ctx_ids = self.store.put_lineage_subgraph(
            [self.execution(e) for e in p.executions], artifacts, [self.context(p)], edges
        )
        self.execution_ids.update(zip((e.external_id for e in p.executions), ex_ids, strict=True))
        self.artifact_ids.update(zip((a.external_id for a in artifacts), art_ids, strict=True))
        self.context_ids[p.context_external_id] = ctx_ids[0]

    def put_execution(self, p: synthetic.Pipeline) -> None:
        """One ``put_execution`` call (one transaction) per execution, as TFX does."""
        ctx = self.context(p)
        stored: dict[str, pb.Artifact] = dict(self.raw_protos)
        for ex, ins, produced in p.steps():
            pairs: list[tuple[pb.Artifact, pb.Event | None]] = []
            for a in ins:
                pairs.append((stored[a], pb.Event(type=pb.Event.INPUT)))
            outs = [self.artifact(a) for a in produced]
            pairs.extend((o, pb.Event(type=pb.Event.OUTPUT)) for o in outs)
            ex_id, art_ids, ctx_ids = self.store.put_execution(
                self.execution(ex), pairs, [ctx], force_reuse_context=True
            )
            self.execution_ids[ex.external_id] = ex_id
            for (art, _), id_ in zip(pairs, art_ids, strict=True):
                if not art.HasField("id"):
                    art.id = id_
                    stored[art.external_id] = art
                    self.artifact_ids[art.external_id] = id_
            if not ctx.HasField("id"):
                ctx.id = ctx_ids[0]
                self.context_ids[p.context_external_id] = ctx.id

    def put_batched(self, p: synthetic.Pipeline) -> None:
        """Low-level batch calls per pipeline: contexts, artifacts, executions,
        events, attributions/associations (five transactions, not atomic)."""
        [ctx_id] = self.store.put_contexts([self.context(p)])
        art_ids = self.store.put_artifacts([self.artifact(a) for a in p.artifacts])
        ex_ids = self.store.put_executions([self.execution(e) for e in p.executions])
        self.context_ids[p.context_external_id] = ctx_id
        self.artifact_ids.update(zip((a.external_id for a in p.artifacts), art_ids, strict=True))
        self.execution_ids.update(zip((e.external_id for e in p.executions), ex_ids, strict=True))
        ids_a, ids_e = self.artifact_ids, self.execution_ids
        events = [
            pb.Event(artifact_id=ids_a[a], execution_id=ids_e[e], type=pb.Event.INPUT)
            for a, e in p.inputs
        ] + [
            pb.Event(artifact_id=ids_a[a], execution_id=ids_e[e], type=pb.Event.OUTPUT)
            for e, a in p.outputs
        ]
        self.store.put_events(events)
        self.store.put_attributions_and_associations(
            [
                pb.Attribution(artifact_id=ids_a[a], context_id=ctx_id)
                for a in p.attributed_external_ids()
            ],
            [pb.Association(execution_id=id_, context_id=ctx_id) for id_ in ex_ids],
        )


STRATEGIES: dict[str, Callable[[_Ingestor, synthetic.Pipeline], None]] = {
    "lineage_subgraph": _Ingestor.put_lineage_subgraph,
    "put_execution": _Ingestor.put_execution,
    "batched": _Ingestor.put_batched,
}
#: Fastest by far with ml-metadata 1.17.1 (SQLite, 2 cores). ``--compare-ingest``
#: at 50 pipelines x 30 steps x fan-in 3 gave, in nodes + edges per second:
#: lineage_subgraph 33.5k, batched 9.8k, put_execution 2.7k. Each MLMD write
#: call is its own SQLite transaction, so fewer, larger calls win.
DEFAULT_STRATEGY = "lineage_subgraph"


def open_store(path: Path) -> metadata_store.MetadataStore:
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(path)
    config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    return metadata_store.MetadataStore(config)


def ingest(
    graph: synthetic.SyntheticGraph, db_path: Path, strategy: str = DEFAULT_STRATEGY
) -> tuple[_Ingestor, float]:
    """Create a fresh store at ``db_path`` and ingest; returns (ingestor, seconds).

    The timing covers the raw datasets and all pipelines (building the protos
    included), not the store creation or type registration.
    """
    db_path.unlink(missing_ok=True)
    ing = _Ingestor(open_store(db_path))
    put = STRATEGIES[strategy]
    t0 = time.perf_counter()
    ing.put_raw_datasets(graph)
    for p in graph.pipelines:
        put(ing, p)
    return ing, time.perf_counter() - t0


def ingest_seconds(graph: synthetic.SyntheticGraph, db_path: Path,
                   strategy: str = DEFAULT_STRATEGY) -> float:
    """`ingest`'s seconds alone (for a call in another process: the ingestor stays there)."""
    return ingest(graph, db_path, strategy)[1]


def full_depth(graph: synthetic.SyntheticGraph) -> int:
    steps = len(graph.pipelines[0].executions)
    return min(2 * steps + 2, MLMD_MAX_HOPS)


def _query(
    store: metadata_store.MetadataStore, artifact_id: int, direction: int, hops: int
) -> pb.LineageGraph:
    options = Q(
        starting_artifacts=Q.StartingNodes(filter_query=f"id = {artifact_id}"),
        max_num_hops=hops,
        direction=direction,
    )
    return store.get_lineage_subgraph(options)


def time_queries(
    ing: _Ingestor,
    graph: synthetic.SyntheticGraph,
    repeats: int,
    verify: bool = False,
    mid: str | None = None,
) -> dict[str, float]:
    """Time the lineage queries; each is warmed up once untimed. ``mid``, the external id
    of a raw dataset, adds the ``mid`` query: its downstream lineage, full depth.

    With ``verify``, every answer's node and event counts are checked against
    :func:`synthetic.reference_lineage` (raises ``AssertionError`` on mismatch).
    """
    depth = full_depth(graph)
    plans: list[tuple[str, list[str], int, synthetic.Direction]] = [
        ("upstream", synthetic.upstream_starts(graph, repeats), Q.UPSTREAM, "upstream"),
        ("downstream", [graph.most_shared_dataset], Q.DOWNSTREAM, "downstream"),
        ("hop5", synthetic.hop5_starts(graph, repeats), Q.DOWNSTREAM, "downstream"),
    ]
    if mid is not None:
        plans.append(("mid", [mid], Q.DOWNSTREAM, "downstream"))
    out: dict[str, float] = {}
    for key, starts, direction, ref_direction in plans:
        hops = HOP5 if key == "hop5" else depth
        _query(ing.store, ing.artifact_ids[starts[0]], direction, hops)  # warm-up
        times: list[float] = []
        nodes: list[int] = []
        edges: list[int] = []
        for i in range(repeats):
            start = starts[i % len(starts)]
            t0 = time.perf_counter()
            answer = _query(ing.store, ing.artifact_ids[start], direction, hops)
            times.append((time.perf_counter() - t0) * 1000.0)
            nodes.append(len(answer.artifacts) + len(answer.executions))
            edges.append(len(answer.events))
            if verify and i < len(starts):
                ref_nodes, ref_events = synthetic.reference_lineage(
                    graph, start, ref_direction, hops
                )
                got = {a.external_id for a in answer.artifacts}
                got |= {e.external_id for e in answer.executions}
                assert got == ref_nodes, (key, start, len(got), len(ref_nodes))
                assert len(answer.events) == ref_events, (key, start, edges[-1], ref_events)
        out[f"{key}_p50_ms"] = synthetic.percentile(times, 50)
        out[f"{key}_p95_ms"] = synthetic.percentile(times, 95)
        out[f"{key}_nodes"] = statistics.fmean(nodes)
        out[f"{key}_nodes_min"] = float(min(nodes))
        out[f"{key}_nodes_max"] = float(max(nodes))
        out[f"{key}_edges"] = statistics.fmean(edges)
    out["max_num_hops"] = float(depth)
    return out


def verify_store(ing: _Ingestor, graph: synthetic.SyntheticGraph) -> None:
    """Check that the store holds exactly the graph's nodes and edges."""
    s = ing.store
    assert len(s.get_artifacts()) == len(graph.raw_datasets) + sum(
        len(p.artifacts) for p in graph.pipelines
    )
    assert len(s.get_executions()) == sum(len(p.executions) for p in graph.pipelines)
    assert len(s.get_contexts()) == len(graph.pipelines)
    events = s.get_events_by_execution_ids(list(ing.execution_ids.values()))
    assert len(events) == sum(len(p.inputs) + len(p.outputs) for p in graph.pipelines)
    for p in graph.pipelines:
        ctx_id = ing.context_ids[p.context_external_id]
        attributed = {a.external_id for a in s.get_artifacts_by_context(ctx_id)}
        assert attributed == set(p.attributed_external_ids()), p.context_external_id
        associated = {e.external_id for e in s.get_executions_by_context(ctx_id)}
        assert associated == {e.external_id for e in p.executions}, p.context_external_id


def run_mlmd(
    graph: synthetic.SyntheticGraph,
    workdir: Path,
    repeats: int = 20,
    strategy: str = DEFAULT_STRATEGY,
    verify: bool = False,
    mid: str | None = None,
) -> dict[str, float]:
    """Ingest ``graph`` into a fresh MLMD SQLite store in ``workdir`` and time queries
    (``mid``: see :func:`time_queries`).

    ``ingest_rate`` is (nodes + edges) / second, with the same counts as
    ``graph.node_count()`` and ``graph.edge_count()``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    ing, seconds = ingest(graph, workdir / "mlmd.sqlite", strategy)
    if verify:
        verify_store(ing, graph)
    nodes, edges = graph.node_count(), graph.edge_count()
    result: dict[str, float] = {
        "nodes": float(nodes),
        "edges": float(edges),
        "ingest_seconds": seconds,
        "ingest_rate": (nodes + edges) / seconds,
    }
    result.update(time_queries(ing, graph, repeats, verify=verify, mid=mid))
    return result


def compare_ingest(graph: synthetic.SyntheticGraph, workdir: Path) -> dict[str, float]:
    """Ingestion rate of every strategy on ``graph`` (nodes + edges per second)."""
    workdir.mkdir(parents=True, exist_ok=True)
    total = graph.node_count() + graph.edge_count()
    rates: dict[str, float] = {}
    for name in STRATEGIES:
        ing, seconds = ingest(graph, workdir / f"mlmd-{name}.sqlite", name)
        verify_store(ing, graph)
        rates[f"ingest_rate_{name}"] = total / seconds
    return rates


def _format(figures: dict[str, Any]) -> str:
    return "\n".join(
        f"{k} {v:.3f}" if isinstance(v, float) and not v.is_integer() else f"{k} {int(v)}"
        for k, v in figures.items()
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipelines", type=int, default=50)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--fan-in", type=int, default=3)
    parser.add_argument("--raw-datasets", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp dir")
    parser.add_argument("--strategy", choices=sorted(STRATEGIES), default=DEFAULT_STRATEGY)
    parser.add_argument(
        "--verify", action="store_true", help="check store contents and answers (slow)"
    )
    parser.add_argument(
        "--compare-ingest", action="store_true", help="only compare ingestion strategies"
    )
    args = parser.parse_args(argv)
    graph = synthetic.build(
        args.pipelines, args.steps, args.fan_in, raw_datasets=args.raw_datasets, seed=args.seed
    )
    with tempfile.TemporaryDirectory(prefix="mlmd-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        if args.compare_ingest:
            figures = compare_ingest(graph, workdir)
        else:
            figures = run_mlmd(graph, workdir, args.repeats, args.strategy, args.verify)
    print(_format(figures))


if __name__ == "__main__":
    main()
