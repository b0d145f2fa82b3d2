"""GraphQL types of lineage answers and impact analysis, converted from the domain."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Annotated, Any, ClassVar, NamedTuple, cast

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from graph_api.gc_pause import gc_paused
from graph_api.graphql.context import GraphContext
from graph_api.graphql.enums import Direction, EventType, NodeKind
from graph_api.graphql.filters import FilterInput
from graph_api.graphql.loaders import detached
from graph_api.graphql.nodes.types import Artifact, Context, Execution
from graph_api.model import lineage as domain
from graph_api.model import nodes as domain_nodes
from graph_api.model.enums import NodeKind as DomainKind
from graph_api.model.explore import NodeSummary
from graph_api.services.impact import AffectedContext, ImpactAnswer, Include

Info = strawberry.Info[GraphContext, None]


@strawberry.enum(description="The relationship an edge is stored as.")
class LineageEdgeKind(Enum):
    INPUT = strawberry.enum_value("INPUT", description="Artifact -> execution: it was read.")
    OUTPUT = strawberry.enum_value("OUTPUT", description="Execution -> artifact: it was written.")


ArtifactOrExecution = Annotated[Artifact | Execution, strawberry.union(
    "ArtifactOrExecution", description="An artifact or an execution: a node of a lineage graph.")]


@strawberry.input(description=(
    "Which nodes of a lineage answer to list. The walk itself goes through every node; "
    "the start nodes are always listed."))
class LineageIncludeInput:
    kinds: list[NodeKind] | None = strawberry.field(
        default=None, description="List only nodes of these kinds; null: every kind.")
    types: list[str] | None = strawberry.field(
        default=None, description="List only nodes of these type names; null: every type.")

    def to_domain(self) -> Include:
        return Include.of(self.kinds, self.types)


@strawberry.input(description=(
    "Where a lineage walk starts, which way it goes, where it stops and what it lists. "
    "The start set is the union of the given artifacts, executions and the members of "
    "the given context; give at least one."))
class LineageInput:
    start_artifact_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Artifacts the walk starts from.")
    start_execution_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Executions the walk starts from.")
    start_context_id: strawberry.ID | None = strawberry.field(
        default=None, description="Start from every artifact and execution of this context.")
    direction: Direction = strawberry.field(
        default=Direction.BOTH, description="Which way to walk; BOTH is the union of the two.")
    max_hops: int | None = strawberry.field(default=None, description=(
        "Most edges from the start set (artifact -> execution is one hop, as in MLMD). "
        "Default LINEAGE_DEFAULT_HOPS; above LINEAGE_MAX_HOPS is LIMIT_EXCEEDED."))
    stop_at: FilterInput | None = strawberry.field(default=None, description=(
        "The walk does not continue past a node matching this filter."))
    include_stop_nodes: bool = strawberry.field(default=True, description=(
        "Whether nodes matching stopAt are part of the answer."))
    include: LineageIncludeInput | None = strawberry.field(default=None, description=(
        "Which of the reached nodes to list; default all."))
    max_nodes: int | None = strawberry.field(default=None, description=(
        "Most nodes in the answer, nearest first (then `truncated` is true). Default and "
        "cap LINEAGE_MAX_NODES; above it is LIMIT_EXCEEDED."))

    def to_domain(self) -> domain.LineageRequest:
        """The store's request; raises pydantic's ValidationError for a malformed filter."""
        include = self.include or LineageIncludeInput()
        return domain.LineageRequest(
            start_artifact_ids=[str(i) for i in self.start_artifact_ids],
            start_execution_ids=[str(i) for i in self.start_execution_ids],
            start_context_id=(str(self.start_context_id) if self.start_context_id is not None
                              else None),
            direction=self.direction, max_hops=self.max_hops,
            stop_at=self.stop_at.to_domain() if self.stop_at is not None else None,
            include_stop_nodes=self.include_stop_nodes, include_kinds=include.kinds,
            include_types=include.types, max_nodes=self.max_nodes)


def _fields(selections: Iterable[Selection], name: str) -> list[SelectedField]:
    """The fields called `name` among `selections`, looking through fragments."""
    found = []
    for s in selections:
        if isinstance(s, SelectedField):
            if s.name == name:
                found.append(s)
        elif isinstance(s, InlineFragment | FragmentSpread):
            found += _fields(s.selections, name)
    return found


async def _load_all(loader: DataLoader[str, domain_nodes.Node | None], keys: Sequence[str]
                    ) -> list[domain_nodes.Node | None]:
    """The nodes of `keys`, in order, by one call of the request loader's batch function.

    What `loader.load_many(keys)` would send, without its per-key future, done-callback,
    event-loop turn and cache entry (~10 µs a key: a tenth of a 7,000-node answer's
    time). The keys of one answer are distinct, so the cache would save nothing here.
    """
    values: list[domain_nodes.Node | None] = []
    for value in await loader.load_fn(list(keys)):
        if isinstance(value, BaseException):  # a key that failed fails the answer
            raise value
        values.append(value)
    return values


def selection(info: Info) -> list[SelectedField]:
    """The current field's selection (strawberry converts it anew on every access: take
    it once per resolver)."""
    return [f for f in info.selected_fields if isinstance(f, SelectedField)]


def reaches(top: Sequence[SelectedField], *path: str) -> bool:
    """Whether a selection reaches a field by these names, e.g. `reaches(top, "nodes",
    "node")` for `lineage { nodes { node { … } } }`."""
    level = list(top)
    for name in path:
        level = [f for parent in level for f in _fields(parent.selections, name)]
    return bool(level)


def selects(info: Info, *path: str) -> bool:
    """Whether the current field's selection reaches a field by these names."""
    return reaches(selection(info), *path)


Entity = Artifact | Execution


async def load_entities(info: Info, top: Sequence[SelectedField],
                        nodes: Sequence[domain.LineageNode]) -> dict[str, Entity]:
    """The artifacts and executions of an answer with their properties, through the
    request's DataLoaders: one batch per kind, whatever the number of nodes; nothing
    unless the request selects `nodes { node }`."""
    if not reaches(top, "nodes", "node"):
        return {}
    loaders = info.context.loaders
    artifacts, executions = await asyncio.gather(
        _load_all(loaders.artifacts, [n.id for n in nodes if n.kind is DomainKind.ARTIFACT]),
        _load_all(loaders.executions, [n.id for n in nodes if n.kind is DomainKind.EXECUTION]))
    found = (*artifacts, *executions)
    out: dict[str, Entity] = {}
    with gc_paused():
        for n in found:
            if isinstance(n, domain_nodes.Artifact):
                out[n.id] = Artifact.from_domain(n)
            elif isinstance(n, domain_nodes.Execution):
                out[n.id] = Execution.from_domain(n)
    return out


async def load_contexts(info: Info, top: Sequence[SelectedField], ids: Sequence[str]
                        ) -> dict[str, Context]:
    """Contexts with their properties, through the request's DataLoader (one batch);
    nothing unless the request selects `contexts { context }`."""
    if not reaches(top, "contexts", "context"):
        return {}
    found = await _load_all(info.context.loaders.contexts, ids)
    with gc_paused():
        return {n.id: Context.from_domain(n) for n in found
                if isinstance(n, domain_nodes.Context)}


NEIGHBOR_FIELDS = ("upstreamNeighbors", "downstreamNeighbors", "hiddenUpstream",
                   "hiddenDownstream")
SUMMARY_FIELDS = ("name", "uri", "state")


async def load_summaries(info: Info, top: Sequence[SelectedField],
                         nodes: Sequence[domain.LineageNode]
                         ) -> tuple[dict[str, NodeSummary], bool] | None:
    """Name, uri and state of every node of an answer, and its neighbour counts if the
    request selects one of the neighbour fields, in one round trip: (summaries, counted).
    None unless the request selects one of those fields."""
    counts = any(reaches(top, "nodes", f) for f in NEIGHBOR_FIELDS)
    if not counts and not any(reaches(top, "nodes", f) for f in SUMMARY_FIELDS):
        return None
    summaries = await detached(info.context.store.explore.node_summaries(
        [n.id for n in nodes if n.kind is DomainKind.ARTIFACT],
        [n.id for n in nodes if n.kind is DomainKind.EXECUTION], counts=counts))
    return summaries, counts


#: The fields of a lineage node that are loaded after the walk; see `listed`.
LOADED_FIELDS = ("node", *SUMMARY_FIELDS, *NEIGHBOR_FIELDS)


class LoadedNode(NamedTuple):
    """A lineage node with the fields loaded after the walk, as `LineageNode` completes it
    (a tuple: an answer holds thousands, and a strawberry object costs four times as much
    to make)."""

    id: str
    kind: DomainKind
    type: str
    degree: int
    node: Entity | None = None
    name: str | None = None
    uri: str | None = None
    state: str | None = None
    upstream_neighbors: int = 0
    downstream_neighbors: int = 0
    hidden_upstream: int | None = None
    hidden_downstream: int | None = None


def listed(top: Sequence[SelectedField], nodes: Sequence[domain.LineageNode],
           entities: dict[str, Entity], summaries: tuple[dict[str, NodeSummary], bool] | None,
           edges: Sequence[domain.LineageEdge] | None) -> list[LineageNode]:
    """An answer's nodes as the request reads them (see `LineageNode.__plain_sources__`):
    the store's records as they are when it selects none of the loaded fields, else
    `LoadedNode`s with the node (from `entities`), the summary fields and, if counted, the
    neighbour counts (from `summaries`); `edges` (the answer's) give the hidden counts,
    unless None (an impact answer lists no edges)."""
    if not any(reaches(top, "nodes", f) for f in LOADED_FIELDS):
        return cast("list[LineageNode]", nodes)
    found, counted = summaries if summaries is not None else ({}, False)
    drawn_up: dict[str, set[str]] = defaultdict(set)
    drawn_down: dict[str, set[str]] = defaultdict(set)
    if counted:
        for e in edges or ():
            drawn_up[e.target].add(e.source)
            drawn_down[e.source].add(e.target)
    out = []
    for n in nodes:
        summary = found.get(n.id)
        loaded: tuple[Any, ...] = ()  # summary not asked for, or node deleted since the walk
        if summary is not None:
            loaded = (summary.name, summary.uri, summary.state)
        if summary is not None and counted:
            up, down = summary.up or 0, summary.down or 0
            hidden = ((max(up - len(drawn_up.get(n.id, ())), 0),
                       max(down - len(drawn_down.get(n.id, ())), 0)) if edges is not None
                      else (None, None))
            loaded = (*loaded, up, down, *hidden)
        out.append(LoadedNode(n.id, n.kind, n.type, n.degree, entities.get(n.id), *loaded))
    return cast("list[LineageNode]", out)


@strawberry.type(description="An artifact or execution of a lineage answer.")
class LineageNode:
    # Never made: an answer's nodes are completed from the store's records (which have the
    # attributes of the fields a walk sets: id, kind, type, degree), or, when a request
    # selects a field loaded after the walk, from `LoadedNode`s. See `listed`.
    __plain_sources__: ClassVar[tuple[type, ...]] = (domain.LineageNode, LoadedNode)

    id: strawberry.ID = strawberry.field(description="The node's id.")
    kind: NodeKind = strawberry.field(description="ARTIFACT or EXECUTION.")
    type: str = strawberry.field(description="Name of the node's type.")
    degree: int = strawberry.field(description=(
        "Smallest number of hops from the start set (0 for a start node); in a context "
        "graph, the distance from the context's sources; on a path, the position."))

    node: ArtifactOrExecution | None = strawberry.field(default=None, description=(
        "The artifact or execution itself, with its properties. Loaded for the whole "
        "answer in one batch per kind, and only when asked for; null if it was deleted "
        "since the walk."))
    name: str | None = strawberry.field(default=None, description=(
        "The node's name. With uri and state, what a drawing of many nodes shows: loaded "
        "for the whole answer in one batch (with the neighbour counts, when asked for those "
        "too), several times lighter than `node` for thousands of nodes."))
    uri: str | None = strawberry.field(default=None, description=(
        "An artifact's uri (null for an execution); loaded as name."))
    state: str | None = strawberry.field(default=None, description=(
        "The artifact's or execution's state (as `node { state }`); loaded as name; null if "
        "the node was deleted since the walk."))
    upstream_neighbors: int = strawberry.field(default=0, description=(
        "How many distinct nodes lie one edge upstream of this one in the whole graph (an "
        "execution's inputs, an artifact's producers). Loaded for the whole answer in one "
        "batch, and only when asked for."))
    downstream_neighbors: int = strawberry.field(default=0, description=(
        "How many distinct nodes lie one edge downstream of this one in the whole graph (an "
        "artifact's consumers, an execution's outputs); loaded as upstreamNeighbors."))
    hidden_upstream: int | None = strawberry.field(default=None, description=(
        "How many of the upstream neighbours this answer leaves out (upstreamNeighbors "
        "minus those with an edge to this node in the answer); null in impact answers, "
        "which list no edges."))
    hidden_downstream: int | None = strawberry.field(default=None, description=(
        "How many of the downstream neighbours this answer leaves out; as hiddenUpstream."))


@strawberry.type(description="An edge of a lineage answer, in the data-flow direction.")
class LineageEdge:
    # The store's edges have these fields' attributes (`kind` holds the enum's value): an
    # answer's edges are completed as the store made them, not copied one by one.
    __plain_sources__: ClassVar[tuple[type, ...]] = (domain.LineageEdge,)

    source: strawberry.ID = strawberry.field(description=(
        "Where data comes from: the artifact of an INPUT edge, the execution of an OUTPUT one."))
    target: strawberry.ID = strawberry.field(description=(
        "Where data goes: the execution of an INPUT edge, the artifact of an OUTPUT one."))
    kind: LineageEdgeKind = strawberry.field(description="INPUT or OUTPUT.")
    event_type: EventType = strawberry.field(description="The MLMD event kind it records.")


@strawberry.type(description=(
    "A subgraph of the lineage: its artifacts and executions, every edge among them, and "
    "whether a node cap cut it."))
class LineageGraph:
    nodes: list[LineageNode] = strawberry.field(description=(
        "The nodes, nearest first (by degree, then kind, then id)."))
    edges: list[LineageEdge] = strawberry.field(description=(
        "Every INPUT and OUTPUT edge between two listed nodes."))
    truncated: bool = strawberry.field(description=(
        "True when maxNodes cut the answer: the nearest nodes were kept."))

    @classmethod
    async def build(cls, info: Info, g: domain.LineageGraph) -> LineageGraph:
        """The answer, with node properties and neighbour counts loaded if the request
        selects them."""
        top = selection(info)
        entities, summaries = await asyncio.gather(load_entities(info, top, g.nodes),
                                                   load_summaries(info, top, g.nodes))
        with gc_paused():
            return cls(
                nodes=listed(top, g.nodes, entities, summaries, g.edges),
                edges=cast("list[LineageEdge]", g.edges),  # see LineageEdge.__plain_sources__
                truncated=g.truncated)


@strawberry.type(description=(
    "A context affected by bad artifacts: it holds an affected artifact or execution "
    "(direct), or it is an ancestor (parent, grandparent…) of such a context."))
class ImpactContext:
    id: strawberry.ID = strawberry.field(description="The context's id.")
    type: str = strawberry.field(description="Name of the context's type.")
    name: str = strawberry.field(description="The context's name.")
    degree: int = strawberry.field(description=(
        "Smallest degree among the affected nodes it holds; for an ancestor, among its "
        "affected child contexts."))
    direct: bool = strawberry.field(description=(
        "True when it holds an affected node itself; false for an ancestor only."))
    affected_members: int = strawberry.field(description=(
        "How many affected artifacts and executions it holds directly (counting every "
        "affected node, whatever `include` lists)."))

    context: Context | None = strawberry.field(default=None, description=(
        "The context itself, with its properties: loaded for all contexts in one batch, "
        "and only when asked for."))

    @classmethod
    def from_domain(cls, c: AffectedContext, contexts: dict[str, Context]) -> ImpactContext:
        return cls(id=strawberry.ID(c.id), type=c.type, name=c.name, degree=c.degree,
                   direct=c.direct, affected_members=c.affected_members,
                   context=contexts.get(c.id))


@strawberry.type(description="How many listed nodes are of one kind.")
class ImpactKindCount:
    kind: NodeKind = strawberry.field(description="ARTIFACT, EXECUTION or CONTEXT.")
    count: int = strawberry.field(description="How many listed nodes are of this kind.")


@strawberry.type(description="How many listed nodes are of one type.")
class ImpactTypeCount:
    kind: NodeKind = strawberry.field(description="The kind the type is of.")
    type: str = strawberry.field(description="The type's name.")
    count: int = strawberry.field(description="How many listed nodes are of this type.")


@strawberry.type(description=(
    "What bad artifacts affect: themselves (degree 0), every artifact and execution "
    "downstream of them, and every context holding one of those (with its ancestors)."))
class Impact:
    nodes: list[LineageNode] = strawberry.field(description=(
        "The affected artifacts and executions, nearest first."))
    contexts: list[ImpactContext] = strawberry.field(description=(
        "The affected contexts, nearest first: of the listed nodes when truncated."))
    counts_by_kind: list[ImpactKindCount] = strawberry.field(description=(
        "How many nodes and contexts are listed, by kind (kinds with none are left out)."))
    counts_by_type: list[ImpactTypeCount] = strawberry.field(description=(
        "How many nodes and contexts are listed, by kind and type name."))
    truncated: bool = strawberry.field(description=(
        "True when maxNodes cut the artifacts and executions: the nearest were kept. The "
        "export (GET /api/v1/impact) has no such cap."))

    @classmethod
    async def build(cls, info: Info, a: ImpactAnswer) -> Impact:
        """The answer, with node and context properties loaded if the request selects them."""
        top = selection(info)
        entities, contexts, summaries = await asyncio.gather(
            load_entities(info, top, a.nodes),
            load_contexts(info, top, [c.id for c in a.contexts]),
            load_summaries(info, top, a.nodes))
        with gc_paused():
            return cls._of(a, listed(top, a.nodes, entities, summaries, None), contexts)

    @classmethod
    def _of(cls, a: ImpactAnswer, nodes: list[LineageNode], contexts: dict[str, Context]
            ) -> Impact:
        return cls(
            nodes=nodes,
            contexts=[ImpactContext.from_domain(c, contexts) for c in a.contexts],
            counts_by_kind=[ImpactKindCount(kind=k, count=c)
                            for k, c in sorted(a.counts_by_kind.items())],
            counts_by_type=[ImpactTypeCount(kind=k, type=t, count=c)
                            for (k, t), c in sorted(a.counts_by_type.items())],
            truncated=a.truncated)
