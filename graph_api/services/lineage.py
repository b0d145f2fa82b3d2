"""Lineage questions: the subgraph around a start set, the DAG of a context, and a
shortest path between two nodes. Each is answered in one read transaction (`walk`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from graph_api.config import Limits
from graph_api.errors import InvalidInput, NotFound
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.lineage import LineageGraph, LineageRequest
from graph_api.model.walk import Located
from graph_api.services import walk
from graph_api.services.caps import bounded_hops, bounded_nodes, start_set_within
from graph_api.services.topology import walks as topology_walks
from graph_api.services.topology.cache import TopologyCache
from graph_api.services.topology.index import Topology
from graph_api.store import nodes as node_rows
from graph_api.store.connection import Database, Tx
from graph_api.store.filters import compile_filter

T = TypeVar("T")


async def start_set(tx: Tx, request: LineageRequest) -> dict[str, Located]:
    """The nodes a walk starts from: the given artifacts and executions and the members of
    the given context.

    Raises:
        NotFound: a start node or the start context does not exist.
        InvalidInput: no start at all.
    """
    starts: dict[str, Located] = {}
    if request.start_context_id is not None:
        members = await node_rows.context_members(tx, request.start_context_id)
        if members is None:
            raise NotFound(f"startContextId: no context {request.start_context_id!r}",
                           field="startContextId")
        starts.update((m.id, m) for m in members)
    wanted = [("startArtifactIds", NodeKind.ARTIFACT, i) for i in request.start_artifact_ids]
    wanted += [("startExecutionIds", NodeKind.EXECUTION, i) for i in request.start_execution_ids]
    if wanted:
        located = await node_rows.locate(tx, [i for _, _, i in wanted])
        for where, kind, node_id in wanted:
            found = located.get(node_id)
            if found is None or found.kind is not kind:
                raise NotFound(f"{where}: no {kind.value.lower()} {node_id!r}", field=where)
            starts[node_id] = found
    if not starts and request.start_context_id is None:
        raise InvalidInput("start: give startArtifactIds, startExecutionIds or startContextId",
                           field="start")
    return starts


def _kept(state: walk.Walk, request: LineageRequest, starts: set[int]) -> list[int] | None:
    """The nodes to list, by number: the starts and those of the included kinds and types."""
    if request.include_kinds is None and request.include_types is None:
        return None
    kinds = set(request.include_kinds) if request.include_kinds is not None else None
    types = set(request.include_types) if request.include_types is not None else None
    return [i for i in range(len(state.ids))
            if i in starts or ((kinds is None or state.kinds[i] in kinds)
                               and (types is None or state.types[i] in types))]


def _started(starts: dict[str, Located], max_nodes: int) -> tuple[walk.Walk, list[int]]:
    """A walk holding its start nodes (degree 0), and their numbers."""
    state = walk.Walk(max_nodes)
    numbers = []
    for s in starts.values():
        number = state.admit(s.id, s.handle, s.kind, s.type, 0)
        assert number is not None  # the caller checked the start set against the cap
        numbers.append(number)
    return state, numbers


#: What a caller of `LineageService.read` does with the answer, in the same transaction:
#: given the answer and the topology index it came from (None: walked in Cypher).
Then = Callable[[Tx, LineageGraph, Topology | None], Awaitable[T]]


async def _itself(tx: Tx, graph: LineageGraph, topology: Topology | None) -> LineageGraph:
    return graph


class LineageService:
    """Recursive lineage over one database, within the configured caps: from the topology
    index when the process holds one, else by walks in Cypher (the same answers)."""

    def __init__(self, db: Database, limits: Limits, topology: TopologyCache) -> None:
        self.db = db
        self.limits = limits
        self.topology = topology

    async def lineage(self, request: LineageRequest) -> LineageGraph:
        """The lineage subgraph around a start set (MLMD `get_lineage_subgraph`).

        Returns the reachable artifacts and executions with their degree, every edge among
        them, and `truncated` when `max_nodes` cut the answer (the nearest nodes are kept).

        Raises:
            NotFound: a start node or the start context does not exist.
            InvalidInput: no start node, a bad stop filter, negative maxHops, maxNodes < 1.
            LimitExceeded: `max_hops` or `max_nodes` above the configured caps, or a start
                set larger than `max_nodes`.
        """
        return await self.read(request, _itself)

    async def read(self, request: LineageRequest, then: Then[T]) -> T:
        """Answer `request` (see `lineage`) and pass the answer to `then`, in the same read
        transaction: for callers that read more about the answer's nodes. The request is
        checked before any transaction.

        Raises:
            As `lineage`; and whatever `then` raises.
        """
        hops = bounded_hops(self.limits, request.max_hops, default=self.limits.default_hops)
        max_nodes = bounded_nodes(self.limits, request.max_nodes)
        stop = (compile_filter(request.stop_at, prefix="s", where="stopAt")
                if request.stop_at is not None else None)

        async def work(tx: Tx, topology: Topology | None) -> T:
            starts = (topology_walks.start_set(topology, request) if topology is not None
                      else None) or await start_set(tx, request)
            start_set_within(len(starts), max_nodes)
            if topology is not None:
                graph = topology_walks.lineage(topology, list(starts.values()), request, hops,
                                               max_nodes)
                return await then(tx, graph, topology)
            state, numbers = _started(starts, max_nodes)
            directions = ([Direction.UPSTREAM, Direction.DOWNSTREAM]
                          if request.direction is Direction.BOTH else [request.direction])
            for direction in directions:
                await walk.walk(tx, state, numbers, direction, hops, stop,
                                request.include_stop_nodes)
            await walk.complete_edges(tx, state)
            return await then(tx, state.graph(_kept(state, request, set(numbers))), None)

        # A stop filter is a property test at each hop: that walk stays in Cypher.
        return await self.topology.read(work, indexed=stop is None)

    async def context_graph(self, context_id: str) -> LineageGraph:
        """The DAG of one context: its artifacts and executions and the edges among them.

        A node's degree is its distance from the context's sources (members with no
        input from inside the context).

        Raises:
            NotFound: no such context.
            LimitExceeded: the context has more members than the maxNodes cap.
        """

        async def work(tx: Tx, topology: Topology | None) -> LineageGraph:
            starts = await start_set(tx, LineageRequest(start_context_id=context_id))
            start_set_within(len(starts), self.limits.max_nodes, "the context")
            if topology is not None:
                return topology_walks.context_graph(topology, list(starts.values()),
                                                    self.limits.max_nodes)
            state, _ = _started(starts, self.limits.max_nodes)
            await walk.complete_edges(tx, state)
            walk.levels(state)
            return state.graph()

        return await self.topology.read(work)

    async def shortest_path(self, from_id: str, to_id: str,
                            max_hops: int | None = None) -> LineageGraph | None:
        """A shortest directed path between two artifacts or executions, either way round.

        Returns None when no path of at most `max_hops` edges (default the cap) exists. A
        node's degree is its position on the path.

        Raises:
            NotFound: either id names no artifact or execution.
            LimitExceeded: `max_hops` above the cap.
            InvalidInput: negative `max_hops`.
        """
        hops = bounded_hops(self.limits, max_hops)

        async def work(tx: Tx, topology: Topology | None) -> LineageGraph | None:
            located = await node_rows.locate(tx, [from_id, to_id])
            ends: dict[str, Located] = {}
            for where, node_id in (("fromId", from_id), ("toId", to_id)):
                found = located.get(node_id)
                if found is None or found.kind is NodeKind.CONTEXT:
                    raise NotFound(f"{where}: no artifact or execution {node_id!r}", field=where)
                ends[node_id] = found
            if from_id == to_id:
                return _started(ends, 1)[0].graph()
            expand = (walk.expander(tx) if topology is None
                      else topology_walks.expander(topology))
            for a, b in ((from_id, to_id), (to_id, from_id)):
                state, _ = _started(ends, self.limits.max_nodes)
                path = await walk.shortest(expand, state, state.number[a], state.number[b],
                                           hops)
                if path is not None:
                    return path
            return None

        return await self.topology.read(work)

    async def kinds(self, ids: Sequence[str]) -> dict[str, NodeKind]:
        """The kind of each id that names a node; unknown ids are left out."""

        async def work(tx: Tx) -> dict[str, NodeKind]:
            return {i: n.kind for i, n in (await node_rows.locate(tx, ids)).items()}

        return await self.db.read(work)
