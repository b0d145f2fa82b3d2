"""Recursive lineage by per-hop frontier expansion (design §5).

Each hop is one round trip that expands the whole frontier and returns one collected
row; the reachable set, every node's degree and the stop conditions are tracked here. A
diamond-shaped DAG therefore costs as much as a chain of the same nodes: paths are never
enumerated. After the walk, one more round trip fetches the incoming edges of the nodes
whose incoming edges are not known yet, so the answer holds every edge among its nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_api.config import Limits
from graph_api.errors import InvalidInput, LimitExceeded, NotFound
from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.lineage import LineageEdge, LineageGraph, LineageNode, LineageRequest
from graph_api.store.connection import Database, Tx
from graph_api.store.filters import Compiled, compile_filter

UP = "lineage/expand_upstream"
DOWN = "lineage/expand_downstream"
EdgeKey = tuple[str, str, str]  # (source, target, event type), in the data-flow direction


@dataclass
class _Found:
    kind: NodeKind
    type: str
    degree: int


@dataclass
class _Walk:
    """State shared by the walks of one request."""

    nodes: dict[str, _Found]
    max_nodes: int
    edges: set[EdgeKey] = field(default_factory=set)
    incoming_known: set[str] = field(default_factory=set)
    truncated: bool = False


def _split(ids: Iterable[str], nodes: dict[str, _Found]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"artifactIds": [], "executionIds": []}
    for i in ids:
        key = "artifactIds" if nodes[i].kind is NodeKind.ARTIFACT else "executionIds"
        out[key].append(i)
    return out


def _edge(direction: Direction, frm: str, to: str, event_kind: str) -> EdgeKey:
    return (to, frm, event_kind) if direction is Direction.UPSTREAM else (frm, to, event_kind)


async def _expand(tx: Tx, statement: str, frontier: dict[str, list[str]],
                  stop: Compiled) -> list[list[Any]]:
    fragments = {"stop": stop.expression} if stop.params or stop.expression != "true" else {}
    row = await tx.single(statement, {**frontier, **stop.params}, fragments)
    rows: list[list[Any]] = row["rows"]
    rows.sort(key=lambda r: (r[0], r[1], r[4]))
    return rows


async def _walk(tx: Tx, walk: _Walk, starts: Sequence[str], direction: Direction,
                max_hops: int, stop: Compiled | None, include_stops: bool) -> None:
    """Breadth-first walk one way from `starts`, adding to `walk.nodes`."""
    statement = UP if direction is Direction.UPSTREAM else DOWN
    seen: dict[str, int] = dict.fromkeys(starts, 0)
    frontier = list(starts)
    no_stop = Compiled("false")
    for hop in range(1, max_hops + 1):
        if not frontier:
            return
        rows = await _expand(tx, statement, _split(frontier, walk.nodes), stop or no_stop)
        if direction is Direction.UPSTREAM:
            walk.incoming_known.update(frontier)
        nxt: list[str] = []
        for frm, to, kind, type_, event_kind, stopped in rows:
            if to not in seen:
                if stopped and not include_stops:
                    continue
                if to not in walk.nodes and len(walk.nodes) >= walk.max_nodes:
                    walk.truncated = True
                    continue
                seen[to] = hop
                if to in walk.nodes:
                    walk.nodes[to].degree = min(walk.nodes[to].degree, hop)
                else:
                    walk.nodes[to] = _Found(NodeKind(kind), type_, hop)
                if not stopped:
                    nxt.append(to)
            if direction is Direction.UPSTREAM:
                walk.edges.add(_edge(direction, frm, to, event_kind))
        frontier = nxt


async def _complete_edges(tx: Tx, walk: _Walk) -> None:
    """Add the edges into nodes whose incoming edges no walk has fetched."""
    pending = [i for i in walk.nodes if i not in walk.incoming_known]
    if not pending:
        return
    rows = await _expand(tx, UP, _split(pending, walk.nodes), Compiled("false"))
    for frm, to, _kind, _type, event_kind, _stop in rows:
        if to in walk.nodes:
            walk.edges.add((to, frm, event_kind))
    walk.incoming_known.update(pending)


def _graph(walk: _Walk, keep: set[str] | None = None) -> LineageGraph:
    ids = [i for i in walk.nodes if keep is None or i in keep]
    ids.sort(key=lambda i: (walk.nodes[i].degree, walk.nodes[i].kind.value, i))
    kept = set(ids)
    nodes = [LineageNode(id=i, kind=walk.nodes[i].kind, type=walk.nodes[i].type,
                         degree=walk.nodes[i].degree) for i in ids]
    edges = [
        LineageEdge(source=s, target=t, kind=EventType(k).relationship, event_type=EventType(k))
        for s, t, k in sorted(walk.edges)
        if s in kept and t in kept
    ]
    return LineageGraph(nodes=nodes, edges=edges, truncated=walk.truncated)


class LineageRepository:
    def __init__(self, db: Database, limits: Limits) -> None:
        self.db = db
        self.limits = limits

    def _bounds(self, request: LineageRequest) -> tuple[int, int]:
        hops = self.limits.default_hops if request.max_hops is None else request.max_hops
        if hops > self.limits.max_hops:
            raise LimitExceeded(f"maxHops: {hops} exceeds the cap maxHops ({self.limits.max_hops})",
                                field="maxHops")
        if hops < 0:
            raise InvalidInput("maxHops: must not be negative", field="maxHops")
        max_nodes = self.limits.max_nodes if request.max_nodes is None else request.max_nodes
        if max_nodes > self.limits.max_nodes:
            raise LimitExceeded(
                f"maxNodes: {max_nodes} exceeds the cap maxNodes ({self.limits.max_nodes})",
                field="maxNodes")
        if max_nodes < 1:
            raise InvalidInput("maxNodes: must be at least 1", field="maxNodes")
        return hops, max_nodes

    async def lineage(self, request: LineageRequest) -> LineageGraph:
        """The lineage subgraph around a start set (MLMD `get_lineage_subgraph`).

        Returns the reachable artifacts and executions with their degree, every edge among
        them, and `truncated` when `max_nodes` cut the answer.

        Raises:
            NotFound: a start node or the start context does not exist.
            InvalidInput: no start node, or a bad stop filter.
            LimitExceeded: `max_hops` or `max_nodes` above the configured caps.
        """
        hops, max_nodes = self._bounds(request)
        stop = compile_filter(request.stop_at, prefix="s", where="stopAt") if (
            request.stop_at is not None) else None

        async def work(tx: Tx) -> LineageGraph:
            starts = await self._starts(tx, request)
            if len(starts) > max_nodes:
                raise LimitExceeded(
                    f"maxNodes: the start set has {len(starts)} nodes, more than maxNodes "
                    f"({max_nodes})", field="maxNodes")
            walk = _Walk(nodes=dict(starts), max_nodes=max_nodes)
            directions = ([Direction.UPSTREAM, Direction.DOWNSTREAM]
                          if request.direction is Direction.BOTH else [request.direction])
            for direction in directions:
                await _walk(tx, walk, list(starts), direction, hops, stop,
                            request.include_stop_nodes)
            await _complete_edges(tx, walk)
            return _graph(walk, _kept(walk, request, set(starts)))

        return await self.db.read(work)

    async def _starts(self, tx: Tx, request: LineageRequest) -> dict[str, _Found]:
        starts: dict[str, _Found] = {}
        if request.start_context_id is not None:
            members = await tx.single("lineage/context_members",
                                      {"contextId": request.start_context_id})
            if not members["found"]:
                raise NotFound(f"startContextId: no context {request.start_context_id!r}",
                               field="startContextId")
            for m in members["artifacts"]:
                starts[m["id"]] = _Found(NodeKind.ARTIFACT, m["type"], 0)
            for m in members["executions"]:
                starts[m["id"]] = _Found(NodeKind.EXECUTION, m["type"], 0)
        wanted = [("startArtifactIds", NodeKind.ARTIFACT, i) for i in request.start_artifact_ids]
        wanted += [("startExecutionIds", NodeKind.EXECUTION, i)
                   for i in request.start_execution_ids]
        if wanted:
            kinds = await self.node_kinds_tx(tx, [i for _, _, i in wanted])
            for where, kind, node_id in wanted:
                found = kinds.get(node_id)
                if found is None or found[0] is not kind:
                    raise NotFound(f"{where}: no {kind.value.lower()} {node_id!r}", field=where)
                starts[node_id] = _Found(kind, found[1], 0)
        if not starts and request.start_context_id is None:
            raise InvalidInput("start: give startArtifactIds, startExecutionIds or "
                               "startContextId", field="start")
        return starts

    async def node_kinds_tx(self, tx: Tx, ids: Sequence[str]) -> dict[str, tuple[NodeKind, str]]:
        rows = (await tx.single("read/node_kinds", {"ids": list(ids)}))["nodes"]
        return {r["id"]: (NodeKind(r["kind"]), r["type"]) for r in rows if r["kind"]}

    async def context_graph(self, context_id: str) -> LineageGraph:
        """The DAG of one context: its artifacts and executions and the edges among them.

        A node's degree is its distance from the context's sources (members with no
        input from inside the context).

        Raises:
            NotFound: no such context.
            LimitExceeded: the context has more members than the maxNodes cap.
        """

        async def work(tx: Tx) -> LineageGraph:
            starts = await self._starts(tx, LineageRequest(start_context_id=context_id))
            if len(starts) > self.limits.max_nodes:
                raise LimitExceeded(
                    f"maxNodes: the context has {len(starts)} nodes, more than maxNodes "
                    f"({self.limits.max_nodes})", field="maxNodes")
            walk = _Walk(nodes=starts, max_nodes=self.limits.max_nodes)
            await _complete_edges(tx, walk)
            _levels(walk)
            return _graph(walk)

        return await self.db.read(work)

    async def shortest_path(self, from_id: str, to_id: str,
                            max_hops: int | None = None) -> LineageGraph | None:
        """A shortest directed path between two artifacts or executions, either way round.

        Bidirectional breadth-first search: downstream from one end and upstream from the
        other, each step expanding the smaller frontier. Returns None when no path of at
        most `max_hops` edges exists.

        Raises:
            NotFound: either id names no artifact or execution.
        """
        hops = self.limits.max_hops if max_hops is None else max_hops
        if hops > self.limits.max_hops:
            raise LimitExceeded(f"maxHops: {hops} exceeds the cap maxHops ({self.limits.max_hops})",
                                field="maxHops")

        async def work(tx: Tx) -> LineageGraph | None:
            kinds = await self.node_kinds_tx(tx, [from_id, to_id])
            nodes: dict[str, _Found] = {}
            for where, node_id in (("fromId", from_id), ("toId", to_id)):
                found = kinds.get(node_id)
                if found is None or found[0] is NodeKind.CONTEXT:
                    raise NotFound(f"{where}: no artifact or execution {node_id!r}", field=where)
                nodes[node_id] = _Found(found[0], found[1], 0)
            if from_id == to_id:
                return _graph(_Walk(nodes=nodes, max_nodes=1))
            for a, b in ((from_id, to_id), (to_id, from_id)):
                path = await _meet(tx, dict(nodes), a, b, hops, self.limits.max_nodes)
                if path is not None:
                    return path
            return None

        return await self.db.read(work)


def _kept(walk: _Walk, request: LineageRequest, starts: set[str]) -> set[str] | None:
    if request.include_kinds is None and request.include_types is None:
        return None
    kinds = set(request.include_kinds) if request.include_kinds is not None else None
    types = set(request.include_types) if request.include_types is not None else None
    return {
        i for i, f in walk.nodes.items()
        if i in starts or ((kinds is None or f.kind in kinds) and (types is None or f.type in types))
    }


def _levels(walk: _Walk) -> None:
    """Set each node's degree to its distance from the sources of the subgraph."""
    incoming: dict[str, list[str]] = {i: [] for i in walk.nodes}
    outgoing: dict[str, list[str]] = {i: [] for i in walk.nodes}
    for s, t, _ in walk.edges:
        incoming[t].append(s)
        outgoing[s].append(t)
    level = {i: 0 for i, ins in incoming.items() if not ins}
    frontier = list(level)
    while frontier:
        nxt = []
        for i in frontier:
            for t in outgoing[i]:
                if t not in level:
                    level[t] = level[i] + 1
                    nxt.append(t)
        frontier = nxt
    for i, found in walk.nodes.items():
        found.degree = level.get(i, 0)


async def _meet(tx: Tx, nodes: dict[str, _Found], source: str, target: str, max_hops: int,
                max_nodes: int) -> LineageGraph | None:
    """Bidirectional BFS for a directed path source -> target."""
    parents: dict[str, tuple[str, str] | None] = {source: None}   # node -> (prev, event)
    children: dict[str, tuple[str, str] | None] = {target: None}  # node -> (next, event)
    fwd, bwd = [source], [target]
    for _ in range(max_hops):
        if not fwd or not bwd or len(parents) + len(children) > max_nodes:
            return None
        forward = len(fwd) <= len(bwd)
        frontier = fwd if forward else bwd
        rows = await _expand(tx, DOWN if forward else UP, _split(frontier, nodes),
                             Compiled("false"))
        nxt: list[str] = []
        meet: str | None = None
        own, other = (parents, children) if forward else (children, parents)
        for frm, to, kind, type_, event_kind, _ in rows:
            if to in own:
                continue
            own[to] = (frm, event_kind)
            nodes.setdefault(to, _Found(NodeKind(kind), type_, 0))
            nxt.append(to)
            if to in other:
                meet = to
                break
        if meet is not None:
            return _path(nodes, parents, children, meet)
        if forward:
            fwd = nxt
        else:
            bwd = nxt
    return None


def _path(nodes: dict[str, _Found], parents: dict[str, tuple[str, str] | None],
          children: dict[str, tuple[str, str] | None], meet: str) -> LineageGraph:
    chain = [meet]
    edges: set[EdgeKey] = set()
    cur = meet
    while (step := parents[cur]) is not None:
        edges.add((step[0], cur, step[1]))
        cur = step[0]
        chain.insert(0, cur)
    cur = meet
    while (step := children[cur]) is not None:
        edges.add((cur, step[0], step[1]))
        cur = step[0]
        chain.append(cur)
    walk = _Walk(nodes={}, max_nodes=len(chain), edges=edges)
    for degree, node_id in enumerate(chain):
        walk.nodes[node_id] = _Found(nodes[node_id].kind, nodes[node_id].type, degree)
    return _graph(walk)
