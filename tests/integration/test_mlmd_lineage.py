"""`get_lineage_subgraph` over gRPC answers what MLMD's own store answers on the same
graph: every direction, several depths, ending nodes, filters on contexts."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from graph_api.embedded import free_port
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import running_api, settings_for

pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: its wheels exist "
                                          "for CPython 3.11 on glibc Linux and macOS only")

from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.compat.mlmd import MetadataStore

Q = pb.LineageSubgraphQueryOptions
#: Steps as (execution, inputs, outputs, context): raw data through two pipelines that
#: share a dataset, one step reading an output of the other pipeline.
STEPS = [
    ("ingest", ["raw-1", "raw-2"], ["clean"], "run-a"),
    ("split", ["clean"], ["train", "test"], "run-a"),
    ("fit", ["train", "raw-2"], ["model"], "run-a"),
    ("evaluate", ["model", "test"], ["metrics"], "run-a"),
    ("fit-b", ["train"], ["model-b"], "run-b"),
    ("compare", ["model-b", "metrics"], ["report"], "run-b"),
]


def _write(store: Any) -> None:
    data = store.put_artifact_type(pb.ArtifactType(name="LineageData"))
    step = store.put_execution_type(pb.ExecutionType(name="LineageStep"))
    run = store.put_context_type(pb.ContextType(name="LineageRun"))
    stored: dict[str, pb.Artifact] = {}
    contexts: dict[str, pb.Context] = {}
    for name, inputs, outputs, context in STEPS:
        pairs = []
        for uri in inputs:
            artifact = stored.get(uri) or pb.Artifact(type_id=data, uri=uri)
            pairs.append((artifact, pb.Event(type=pb.Event.INPUT)))
        pairs += [(pb.Artifact(type_id=data, uri=uri), pb.Event(type=pb.Event.OUTPUT))
                  for uri in outputs]
        ctx = contexts.get(context) or pb.Context(type_id=run, name=context)
        _, ids, [ctx_id] = store.put_execution(pb.Execution(type_id=step, name=name), pairs,
                                               [ctx], force_reuse_context=True)
        ctx.id = ctx_id
        contexts[context] = ctx
        for (artifact, _), artifact_id in zip(pairs, ids, strict=True):
            artifact.id = artifact_id
            stored[artifact.uri] = artifact


def _answer(store: Any, options: Any) -> tuple[set[str], set[str], int, set[str]]:
    graph = store.get_lineage_subgraph(options)
    return ({a.uri for a in graph.artifacts}, {x.name for x in graph.executions},
            len(graph.events), {c.name for c in graph.contexts})


def _queries() -> list[Any]:
    queries = []
    for start, direction, hops in itertools.product(
            ["uri = 'raw-2'", "uri = 'model'", "uri LIKE 'model%'"],
            [Q.UPSTREAM, Q.DOWNSTREAM, Q.BIDIRECTIONAL], [0, 1, 2, 4, 20]):
        queries.append(Q(starting_artifacts=Q.StartingNodes(filter_query=start),
                         max_num_hops=hops, direction=direction))
    for direction, include in itertools.product([Q.DOWNSTREAM, Q.BIDIRECTIONAL],
                                                [False, True]):
        queries.append(Q(starting_artifacts=Q.StartingNodes(filter_query="uri = 'clean'"),
                         max_num_hops=20, direction=direction,
                         ending_executions=Q.EndingNodes(filter_query="name = 'fit'",
                                                         include_ending_nodes=include)))
        queries.append(Q(starting_artifacts=Q.StartingNodes(filter_query="uri = 'clean'"),
                         max_num_hops=20, direction=direction,
                         ending_artifacts=Q.EndingNodes(filter_query="uri LIKE 'model%'",
                                                        include_ending_nodes=include)))
    queries.append(Q(starting_executions=Q.StartingNodes(
        filter_query="contexts_a.name = 'run-b'"), max_num_hops=3, direction=Q.UPSTREAM))
    return queries


@pytest.mark.parametrize("index", ["on", "off"])  # walks in the topology index, in Cypher
def test_lineage_subgraphs_equal_mlmds_own(graph_server: GraphServer, clean_db: Database,
                                           tmp_path: Path, index: str) -> None:
    config = pb.ConnectionConfig()
    config.sqlite.SetInParent()  # MLMD's own store, in memory
    theirs = metadata_store.MetadataStore(config)
    _write(theirs)
    port = free_port()
    with running_api(settings_for(graph_server, tmp_path, LINEAGE_MLMD_PORT=str(port),
                                  LINEAGE_TOPOLOGY_INDEX=index)):
        ours = MetadataStore(f"127.0.0.1:{port}")
        _write(ours)
        for options in _queries():
            assert _answer(ours, options) == _answer(theirs, options), options
