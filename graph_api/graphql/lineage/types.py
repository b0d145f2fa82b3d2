"""GraphQL types of lineage answers: typed nodes and edges, and the compact table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Annotated

import strawberry

from graph_api.graphql.context import GraphContext
from graph_api.graphql.enums import Column, EventType, NodeKind
from graph_api.graphql.loaders import SummaryKey
from graph_api.graphql.nodes.types import Artifact, Execution
from graph_api.graphql.scalars import JSON
from graph_api.model import lineage as domain
from graph_api.model import nodes as domain_nodes
from graph_api.model.explore import NodeSummary

Info = strawberry.Info[GraphContext, None]

#: What the typed `nodes` / `edges` cost the server, measured by `bench/api_bench.py`
#: (`typed/1k` line); the schema states it so that large answers select `table` instead.
TYPED_COST = ("The typed path completes each node and edge field by field: it costs the "
              "server about 10 ms more per 1,000 nodes than `table`, which large answers "
              "should select instead.")

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

An optional column holds null for a node deleted since the walk. Read with all its \
columns in one round trip for the whole answer; `GET /api/v1/subgraph` serves the same \
table over plain HTTP (and streams it as NDJSON)."""


@strawberry.enum(description="The relationship an edge is stored as.")
class LineageEdgeKind(Enum):
    INPUT = strawberry.enum_value("INPUT", description="Artifact -> execution: it was read.")
    OUTPUT = strawberry.enum_value("OUTPUT", description="Execution -> artifact: it was written.")


ArtifactOrExecution = Annotated[Artifact | Execution, strawberry.union(
    "ArtifactOrExecution", description="An artifact or an execution: a node of a lineage graph.")]


@dataclass
class Drawn:
    """How many of each node's upstream and downstream neighbours an answer's edges
    show (for the hidden counts)."""

    edges: list[domain.LineageEdge]

    @cached_property
    def pairs(self) -> set[tuple[str, str]]:
        return {(e.source, e.target) for e in self.edges}

    @cached_property
    def up(self) -> Counter[str]:
        """Distinct upstream neighbours shown, by node."""
        return Counter(target for _, target in self.pairs)

    @cached_property
    def down(self) -> Counter[str]:
        """Distinct downstream neighbours shown, by node."""
        return Counter(source for source, _ in self.pairs)


@strawberry.type(description="An artifact or execution of a lineage answer.")
class LineageNode:
    id: strawberry.ID = strawberry.field(description="The node's id.")
    kind: NodeKind = strawberry.field(description="ARTIFACT or EXECUTION.")
    type: str = strawberry.field(description="Name of the node's type.")
    degree: int = strawberry.field(description=(
        "Smallest number of hops from the start set (0 for a start node); in a context "
        "graph, the distance from the context's sources; on a path, the position."))
    drawn: strawberry.Private[Drawn | None]

    @classmethod
    def from_domain(cls, n: domain.LineageNode, drawn: Drawn | None) -> LineageNode:
        return cls(id=strawberry.ID(n.id), kind=n.kind, type=n.type, degree=n.degree,
                   drawn=drawn)

    async def _summary(self, info: Info, counted: bool = False) -> NodeSummary | None:
        return await info.context.loaders.summaries.load(
            SummaryKey(self.kind, str(self.id), counted))

    @strawberry.field(description=(
        "The artifact or execution itself, with its properties (loaded for the whole "
        "answer in one batch per kind); null if it was deleted since the walk."))
    async def node(self, info: Info) -> ArtifactOrExecution | None:
        found = await info.context.loaders.by_kind(self.kind).load(str(self.id))
        if isinstance(found, domain_nodes.Artifact):
            return Artifact.from_domain(found)
        if isinstance(found, domain_nodes.Execution):
            return Execution.from_domain(found)
        return None

    @strawberry.field(description=(
        "The node's name. With uri, state and the neighbour counts, what a drawing of many "
        "nodes shows: loaded for the whole answer in one batch, lighter than `node`."))
    async def name(self, info: Info) -> str | None:
        summary = await self._summary(info)
        return summary.name if summary is not None else None

    @strawberry.field(description="An artifact's uri (null for an execution); loaded as name.")
    async def uri(self, info: Info) -> str | None:
        summary = await self._summary(info)
        return summary.uri if summary is not None else None

    @strawberry.field(description=(
        "The artifact's or execution's state (as `node { state }`); loaded as name; null if "
        "the node was deleted since the walk."))
    async def state(self, info: Info) -> str | None:
        summary = await self._summary(info)
        return summary.state if summary is not None else None

    @strawberry.field(description=(
        "How many distinct nodes lie one edge upstream of this one in the whole graph (an "
        "execution's inputs, an artifact's producers); loaded as name."))
    async def upstream_neighbors(self, info: Info) -> int:
        summary = await self._summary(info, counted=True)
        return summary.up or 0 if summary is not None else 0

    @strawberry.field(description=(
        "How many distinct nodes lie one edge downstream of this one in the whole graph (an "
        "artifact's consumers, an execution's outputs); loaded as name."))
    async def downstream_neighbors(self, info: Info) -> int:
        summary = await self._summary(info, counted=True)
        return summary.down or 0 if summary is not None else 0

    @strawberry.field(description=(
        "How many of the upstream neighbours this answer leaves out (upstreamNeighbors "
        "minus those with an edge to this node in the answer); null in impact answers, "
        "which list no edges."))
    async def hidden_upstream(self, info: Info) -> int | None:
        if self.drawn is None:
            return None
        summary = await self._summary(info, counted=True)
        total = summary.up or 0 if summary is not None else 0
        return max(total - self.drawn.up[str(self.id)], 0)

    @strawberry.field(description=(
        "How many of the downstream neighbours this answer leaves out; as hiddenUpstream."))
    async def hidden_downstream(self, info: Info) -> int | None:
        if self.drawn is None:
            return None
        summary = await self._summary(info, counted=True)
        total = summary.down or 0 if summary is not None else 0
        return max(total - self.drawn.down[str(self.id)], 0)


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

    @strawberry.field(description=(
        "The nodes, nearest first (by degree, then kind, then id). " + TYPED_COST))
    def nodes(self) -> list[LineageNode]:
        drawn = Drawn(self.answer.edges)
        return [LineageNode.from_domain(n, drawn) for n in self.answer.nodes]

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
        return JSON(await info.context.services.tables.table(
            self.answer.nodes, self.answer.edges, self.answer.truncated, columns or ()))
