"""GraphQL types of lineage answers: typed nodes and edges, and the compact table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from enum import Enum
from typing import Annotated

import strawberry

from graph_api.graphql.context import Info
from graph_api.graphql.enums import Column, EventType, NodeKind
from graph_api.graphql.loaders import SummaryKey
from graph_api.graphql.nodes.types import Artifact, Execution
from graph_api.graphql.scalars import JSON
from graph_api.graphql.selection import selected
from graph_api.model import lineage as domain
from graph_api.model import nodes as domain_nodes
from graph_api.model.enums import NodeKind as DomainKind
from graph_api.model.explore import NodeSummary
from graph_api.model.table import Table

#: What the typed `nodes` / `edges` cost the server beyond `table`, as `bench/api_bench.py`
#: measures it (`typed-table/1k`); the schema states it so that large answers select `table`.
TYPED_COST = ("The typed fields are completed one by one: beyond `table`, they cost the server "
              "about 50 ms per 1,000 nodes (with their edges), about 80 ms with the summary "
              "fields and neighbour counts, about 100 ms with `node` and its properties. "
              "Large answers should select `table`.")

TABLE = """The answer as one compact JSON table: every list under `nodes` has one \
entry per node (in the order of `nodes`), every list under `edges` one per edge.

- `types`: the answer's node types, `[{"kind": "ARTIFACT" | "EXECUTION", "name": …}]`.
- `nodes.id`, `nodes.type` (index into `types`: the node's kind and type name), \
`nodes.degree` (as `LineageNode.degree`): always there.
- With NAME, URI, STATE: `nodes.name`, `nodes.uri` (null for an execution), `nodes.state`.
- With NEIGHBORS: `nodes.upstreamNeighbors`, `nodes.downstreamNeighbors` (as on \
`LineageNode`).
- With PROPERTIES: `nodes.externalId`, `nodes.typeVersion`, `nodes.properties`, \
`nodes.customProperties` (maps by property name), `nodes.createdAt`, `nodes.updatedAt` \
(milliseconds since the Unix epoch).
- `edges.source`, `edges.target` (indexes into the node lists, in the data-flow \
direction), `edges.eventType` (the MLMD event kind; *_INPUT kinds are INPUT edges).
- `truncated`: as `LineageGraph.truncated`.

An optional column holds null for a node deleted since the walk. The columns asked for \
are read for the whole answer in one transaction; `GET /api/v1/subgraph` serves the same \
table over plain HTTP (and streams it as NDJSON)."""


@strawberry.enum(description="The relationship an edge is stored as.")
class LineageEdgeKind(Enum):
    INPUT = strawberry.enum_value("INPUT", description="Artifact -> execution: it was read.")
    OUTPUT = strawberry.enum_value("OUTPUT", description="Execution -> artifact: it was written.")


ArtifactOrExecution = Annotated[Artifact | Execution, strawberry.union(
    "ArtifactOrExecution", description="An artifact or an execution: a node of a lineage graph.")]


#: The fields of a lineage node read from its summary (one batch for the whole answer).
SUMMARY_FIELDS = frozenset({"name", "uri", "state", "upstreamNeighbors", "downstreamNeighbors",
                            "hiddenUpstream", "hiddenDownstream"})
COUNT_FIELDS = frozenset({"upstreamNeighbors", "downstreamNeighbors", "hiddenUpstream",
                          "hiddenDownstream"})


def _shown(edges: Sequence[domain.LineageEdge]) -> tuple[Counter[str], Counter[str]]:
    """How many distinct upstream and downstream neighbours of each node an answer's edges
    show (for the hidden counts)."""
    pairs = {(e.source, e.target) for e in edges}
    return Counter(t for _, t in pairs), Counter(s for s, _ in pairs)


@strawberry.type(description="An artifact or execution of a lineage answer.")
class LineageNode:
    id: strawberry.ID = strawberry.field(description="The node's id.")
    kind: NodeKind = strawberry.field(description="ARTIFACT or EXECUTION.")
    type: str = strawberry.field(description="Name of the node's type.")
    degree: int = strawberry.field(description=(
        "Smallest number of hops from the start set (0 for a start node); in a context "
        "graph, the distance from the context's sources; on a path, the position."))
    node: ArtifactOrExecution | None = strawberry.field(default=None, description=(
        "The artifact or execution itself, with its properties (loaded for the whole "
        "answer in one batch per kind, when asked for); null if it was deleted since the "
        "walk."))
    name: str | None = strawberry.field(default=None, description=(
        "The node's name. With uri, state and the neighbour counts, what a drawing of many "
        "nodes shows: loaded for the whole answer in one batch, lighter than `node`."))
    uri: str | None = strawberry.field(default=None, description=(
        "An artifact's uri (null for an execution); loaded as name."))
    state: str | None = strawberry.field(default=None, description=(
        "The artifact's or execution's state (as `node { state }`); loaded as name; null if "
        "the node was deleted since the walk."))
    upstream_neighbors: int = strawberry.field(default=0, description=(
        "How many distinct nodes lie one edge upstream of this one in the whole graph (an "
        "execution's inputs, an artifact's producers); loaded as name."))
    downstream_neighbors: int = strawberry.field(default=0, description=(
        "How many distinct nodes lie one edge downstream of this one in the whole graph (an "
        "artifact's consumers, an execution's outputs); loaded as name."))
    hidden_upstream: int | None = strawberry.field(default=None, description=(
        "How many of the upstream neighbours this answer leaves out (upstreamNeighbors "
        "minus those with an edge to this node in the answer); null in impact answers, "
        "which list no edges."))
    hidden_downstream: int | None = strawberry.field(default=None, description=(
        "How many of the downstream neighbours this answer leaves out; as hiddenUpstream."))


def _entity(found: domain_nodes.Node | None) -> Artifact | Execution | None:
    if isinstance(found, domain_nodes.Artifact):
        return Artifact.from_domain(found)
    if isinstance(found, domain_nodes.Execution):
        return Execution.from_domain(found)
    return None


async def typed_nodes(info: Info, nodes: Sequence[domain.LineageNode],
                      edges: Sequence[domain.LineageEdge] | None) -> list[LineageNode]:
    """An answer's nodes as GraphQL objects, with what the request selects of them loaded
    for the whole answer at once through the request's DataLoaders: the nodes themselves
    (one batch per kind), and the summaries with the neighbour counts (one batch). The
    hidden counts come from `edges` (None for an impact answer: null)."""
    asked = selected(info)
    loaders = info.context.loaders
    entities: list[domain_nodes.Node | None] = [None] * len(nodes)
    summaries: list[NodeSummary | None] = [None] * len(nodes)
    if "node" in asked:
        by_id: dict[str, domain_nodes.Node | None] = {}
        for kind in (DomainKind.ARTIFACT, DomainKind.EXECUTION):
            ids = [n.id for n in nodes if n.kind is kind]
            by_id.update(zip(ids, await loaders.by_kind(kind).load_many(ids), strict=True))
        entities = [by_id[n.id] for n in nodes]
    if asked & SUMMARY_FIELDS:
        counted = bool(asked & COUNT_FIELDS)
        summaries = await loaders.summaries.load_many(
            [SummaryKey(n.kind, n.id, counted) for n in nodes])
    up, down = _shown(edges) if edges is not None else (Counter[str](), Counter[str]())
    out = []
    for n, found, s in zip(nodes, entities, summaries, strict=True):
        ups, downs = (s.up or 0, s.down or 0) if s is not None else (0, 0)
        out.append(LineageNode(
            id=strawberry.ID(n.id), kind=n.kind, type=n.type, degree=n.degree,
            node=_entity(found), name=s.name if s else None, uri=s.uri if s else None,
            state=s.state if s else None, upstream_neighbors=ups, downstream_neighbors=downs,
            hidden_upstream=max(ups - up[n.id], 0) if edges is not None else None,
            hidden_downstream=max(downs - down[n.id], 0) if edges is not None else None))
    return out


@strawberry.type(description="An edge of a lineage answer, in the data-flow direction.")
class LineageEdge:
    source: strawberry.ID = strawberry.field(description=(
        "Where data comes from: the artifact of an INPUT edge, the execution of an OUTPUT one."))
    target: strawberry.ID = strawberry.field(description=(
        "Where data goes: the execution of an INPUT edge, the artifact of an OUTPUT one."))
    kind: LineageEdgeKind = strawberry.field(description="INPUT or OUTPUT.")
    event_type: EventType = strawberry.field(description="The MLMD event kind it records.")

    @classmethod
    def from_domain(cls, e: domain.LineageEdge) -> LineageEdge:
        return cls(source=strawberry.ID(e.source), target=strawberry.ID(e.target),
                   kind=LineageEdgeKind(e.kind), event_type=e.event_type)


@strawberry.type(description=(
    "A subgraph of the lineage: its artifacts and executions, every edge among them, and "
    "whether a node cap cut it. Select `table` for large answers."))
class LineageGraph:
    answer: strawberry.Private[domain.LineageGraph]
    #: The table, when it was read with the answer: its columns, and itself.
    read: strawberry.Private[tuple[frozenset[Column], Table] | None] = None

    @strawberry.field(description=(
        "The nodes, nearest first (by degree, then kind, then id). " + TYPED_COST))
    async def nodes(self, info: Info) -> list[LineageNode]:
        return await typed_nodes(info, self.answer.nodes, self.answer.edges)

    @strawberry.field(description=(
        "Every INPUT and OUTPUT edge between two listed nodes. " + TYPED_COST))
    def edges(self) -> list[LineageEdge]:
        return [LineageEdge.from_domain(e) for e in self.answer.edges]

    @strawberry.field(description="True when maxNodes cut the answer: the nearest nodes were kept.")
    def truncated(self) -> bool:
        return self.answer.truncated

    @strawberry.field(description=TABLE)
    async def table(self, info: Info, columns: Annotated[list[Column], strawberry.argument(
            description="Optional columns to add; none by default.")] | None = None) -> JSON:
        if self.read is not None and self.read[0] == frozenset(columns or ()):
            return JSON(self.read[1])
        return JSON(await info.context.services.tables.table(self.answer, columns or ()))
