"""Marquez's lineage answer (`GET /api/v1/lineage?nodeId=…&depth=N`), so that tools built
on Marquez's read API work: `{"graph": [{"id", "type", "data", "inEdges", "outEdges"}]}`,
node ids `dataset:NAMESPACE:NAME` and `job:NAMESPACE:NAME`, edges `{origin, destination}`.

It is the explorer's own lineage walk (the topology index, or Cypher) with each run folded
into its job, as Marquez draws it: a job's inputs and outputs are those of all its runs
within reach. Nodes written another way than by OpenLineage (a model a training run
wrote through the SDK) are there too, in the namespace `lineage-explorer`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from graph_api.errors import InvalidInput, NotFound
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.lineage import LineageGraph, LineageRequest
from graph_api.model.nodes import Node
from graph_api.model.openlineage import alias_key
from graph_api.services.lineage import LineageService
from graph_api.services.openlineage import mapping as m
from graph_api.services.topology.index import Topology
from graph_api.store import nodes as node_rows
from graph_api.store import openlineage as ol_rows
from graph_api.store.connection import Database, Tx

#: The namespace of nodes that did not come from OpenLineage.
OWN_NAMESPACE = "lineage-explorer"


def _splits(rest: str) -> list[tuple[str, str]]:
    """Every (namespace, name) a `NS:NAME` may mean: both may hold ':'."""
    return [(rest[:i], rest[i + 1:]) for i, ch in enumerate(rest) if ch == ":"]


async def _start(tx: Tx, node_id: str) -> LineageRequest:
    kind, _, rest = node_id.partition(":")
    if kind == "dataset":
        owners = await ol_rows.artifacts_of(tx, [alias_key(n, x) for n, x in _splits(rest)])
        if owners:
            return LineageRequest(start_artifact_ids=[sorted(owners.items())[0][1]])
    elif kind == "job":
        found = await node_rows.by_external_ids(tx, NodeKind.CONTEXT, ["openlineage:" + node_id])
        if found:
            return LineageRequest(start_context_id=found[0].id)
    else:
        raise InvalidInput("nodeId: expected dataset:NAMESPACE:NAME or job:NAMESPACE:NAME",
                           field="nodeId")
    raise NotFound(f"nodeId: no {kind} {rest!r}", field="nodeId")


def _time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def dataset_id(node: Node) -> tuple[str, str]:
    """A dataset's (namespace, name) as Marquez names it."""
    namespace = node.custom_properties.get("namespace")
    if isinstance(namespace, str) and node.name:
        return namespace, node.name
    return OWN_NAMESPACE, node.external_id or node.name or node.id


def job_id(node: Node) -> tuple[str, str]:
    """The job of a run as Marquez names it."""
    namespace, name = node.custom_properties.get("jobNamespace"), node.custom_properties.get(
        "jobName")
    if isinstance(namespace, str) and isinstance(name, str):
        return namespace, name
    return OWN_NAMESPACE, node.name or node.type


def _dataset_data(node: Node) -> dict[str, Any]:
    namespace, name = dataset_id(node)
    facets = m.facets_of(node.custom_properties)
    schema = _dict(facets.get("schema"))
    source = _dict(facets.get("dataSource"))
    return {
        "id": {"namespace": namespace, "name": name}, "type": "DB_TABLE", "name": name,
        "physicalName": name, "namespace": namespace, "sourceName": source.get("name"),
        "createdAt": _time(node.created_at), "updatedAt": _time(node.updated_at),
        "lastModifiedAt": _time(node.updated_at),
        "fields": [{"name": f.get("name"), "type": f.get("type"), "tags": [],
                    "description": f.get("description")}
                   for f in schema.get("fields") or [] if isinstance(f, dict)],
        "tags": [], "description": None, "facets": facets}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _job_data(runs: Sequence[Node], inputs: set[tuple[str, str]],
              outputs: set[tuple[str, str]]) -> dict[str, Any]:
    latest = max(runs, key=lambda r: (r.updated_at, r.id))
    namespace, name = job_id(latest)
    return {
        "id": {"namespace": namespace, "name": name}, "type": "BATCH", "name": name,
        "simpleName": name, "namespace": namespace,
        "createdAt": _time(min(r.created_at for r in runs)),
        "updatedAt": _time(latest.updated_at),
        "inputs": [{"namespace": n, "name": x} for n, x in sorted(inputs)],
        "outputs": [{"namespace": n, "name": x} for n, x in sorted(outputs)],
        "latestRun": {"id": latest.custom_properties.get("runId", latest.id),
                      "state": str(getattr(latest, "state", "UNKNOWN")),
                      "updatedAt": _time(latest.updated_at)},
        "facets": m.facets_of(latest.custom_properties, m.JOB_FACET)}


def answer(graph: LineageGraph, nodes: Mapping[str, Node]) -> dict[str, Any]:
    """Marquez's graph of a lineage answer whose nodes are `nodes` by id."""
    ids: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    datasets: dict[str, Node] = {}
    runs: dict[str, list[Node]] = defaultdict(list)
    for node_id, kind in zip(graph.ids, graph.kinds, strict=True):
        node = nodes.get(node_id)
        if node is None:
            continue
        if kind is NodeKind.ARTIFACT:
            names[node_id] = dataset_id(node)
            ids[node_id] = "dataset:{}:{}".format(*names[node_id])
            datasets[ids[node_id]] = node
        else:
            ids[node_id] = "job:{}:{}".format(*job_id(node))
            runs[ids[node_id]].append(node)
    edges: set[tuple[str, str]] = set()
    inputs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    outputs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for edge in graph.edges:
        if edge.source in ids and edge.target in ids:
            edges.add((ids[edge.source], ids[edge.target]))
            if edge.source in names:
                inputs[ids[edge.target]].add(names[edge.source])
            elif edge.target in names:
                outputs[ids[edge.source]].add(names[edge.target])
    into: dict[str, list[dict[str, str]]] = defaultdict(list)
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for origin, destination in sorted(edges):
        out[origin].append({"origin": origin, "destination": destination})
        into[destination].append({"origin": origin, "destination": destination})
    nodes_out = []
    for key, node in sorted(datasets.items()):
        nodes_out.append({"id": key, "type": "DATASET", "data": _dataset_data(node),
                          "inEdges": into[key], "outEdges": out[key]})
    for key, job_runs in sorted(runs.items()):
        nodes_out.append({"id": key, "type": "JOB",
                          "data": _job_data(job_runs, inputs[key], outputs[key]),
                          "inEdges": into[key], "outEdges": out[key]})
    return {"graph": nodes_out}


async def lineage(db: Database, service: LineageService, node_id: str, depth: int
                  ) -> dict[str, Any]:
    """The lineage around `node_id`, `depth` jobs away either way.

    Raises:
        InvalidInput: not a dataset or job node id.
        NotFound: no such dataset or job.
    """
    start = await db.read(lambda tx: _start(tx, node_id))
    request = start.model_copy(update={"direction": Direction.BOTH, "max_hops": 2 * depth})

    async def then(tx: Tx, graph: LineageGraph, topology: Topology | None) -> dict[str, Any]:
        wanted: dict[NodeKind, list[str]] = defaultdict(list)
        for node_id_, kind in zip(graph.ids, graph.kinds, strict=True):
            wanted[kind].append(node_id_)
        found: dict[str, Node] = {}
        for kind, ids in wanted.items():
            found.update({n.id: n for n in await node_rows.by_ids(tx, kind, ids)})
        return answer(graph, found)

    return await service.read(request, then)
