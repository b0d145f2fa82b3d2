"""Recursive lineage by frontier expansion (design §5).

A walk is breadth-first and tracks the reachable set, every node's degree (smallest hop
distance) and the stop conditions here, so paths are never enumerated across the graph: a
diamond-shaped DAG costs what a chain of the same nodes costs. Each round trip expands the
whole frontier and returns one collected row:

* a large frontier, or any walk with a stop condition, advances one hop per round trip
  (`expand_*`), which also yields the edges it crosses;
* a small frontier advances up to six hops per round trip (`reach_*`): on a narrow lineage
  the round trips, not the rows, are the cost.

Afterwards one more round trip fetches the edges among the answer that no walk crossed
(from the smaller side: into nodes whose incoming edges are unknown, or out of nodes
whose outgoing edges are unknown).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graph_api.config import Limits
from graph_api.errors import InvalidInput, LimitExceeded, NotFound
from graph_api.gc_pause import gc_paused
from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.lineage import LineageEdge, LineageGraph, LineageNode, LineageRequest
from graph_api.store.connection import Database, Tx
from graph_api.store.filters import Compiled, compile_filter

EXPAND = {Direction.UPSTREAM: "lineage/expand_upstream",
          Direction.DOWNSTREAM: "lineage/expand_downstream"}
REACH = {Direction.UPSTREAM: "lineage/reach_upstream",
         Direction.DOWNSTREAM: "lineage/reach_downstream"}
#: Frontiers up to this size, whose last hop fanned out at most `NARROW_FANOUT` edges per
#: node, use the multi-hop `reach_*` statements (which enumerate paths within six hops).
SMALL_FRONTIER = 16
NARROW_FANOUT = 3.0
#: Hops per `reach_*` round trip (the statements' variable-length bound).
REACH_DEPTH = 6
KINDS = {"A": NodeKind.ARTIFACT, "E": NodeKind.EXECUTION}
_EVENTS = {e.value: (e.relationship, e) for e in EventType}
EdgeKey = tuple[str, str, str]  # (source, target, event type), in the data-flow direction


@dataclass
class _Found:
    kind: NodeKind
    type: str
    degree: int
    eid: str  # the database's elementId, valid within the walk's one transaction


class _Hop(NamedTuple):
    """One edge row of an `expand_*` answer (a tuple: answers hold tens of thousands)."""

    frm: str
    to: str
    to_eid: str
    event: str
    kind: NodeKind
    stop: bool
    type: str


@dataclass
class _Walk:
    """State shared by the walks of one request."""

    nodes: dict[str, _Found]
    max_nodes: int
    edges: set[EdgeKey] = field(default_factory=set)
    known_in: set[str] = field(default_factory=set)   # all incoming edges are in `edges`
    known_out: set[str] = field(default_factory=set)  # all outgoing edges are in `edges`
    truncated: bool = False

    def admit(self, node_id: str, eid: str, kind: NodeKind, type_: str, degree: int) -> bool:
        """Add a node (or lower its degree); False when the node limit refuses it."""
        if node_id in self.nodes:
            self.nodes[node_id].degree = min(self.nodes[node_id].degree, degree)
            return True
        if len(self.nodes) >= self.max_nodes:
            self.truncated = True
            return False
        self.nodes[node_id] = _Found(kind, type_, degree, eid)
        return True


def _frontier(ids: Iterable[str], nodes: dict[str, _Found]) -> dict[str, list[str]]:
    """The statement parameters of a frontier: its nodes' elementIds, by kind."""
    out: dict[str, list[str]] = {"artifacts": [], "executions": []}
    for i in ids:
        found = nodes[i]
        out["artifacts" if found.kind is NodeKind.ARTIFACT else "executions"].append(found.eid)
    return out


async def _expand(tx: Tx, direction: Direction, ids: Sequence[str], nodes: dict[str, _Found],
                  stop: Compiled | None = None) -> list[_Hop]:
    """One hop from the nodes `ids`; each row names its frontier node by id."""
    fragments = ({"stop": f"CASE WHEN {stop.expression} THEN '1 ' ELSE '0 ' END"}
                 if stop is not None else {})
    params = {**_frontier(ids, nodes), **(stop.params if stop is not None else {})}
    row = await tx.single(EXPAND[direction], params, fragments)
    with gc_paused():
        id_of = {nodes[i].eid: i for i in ids}
        hops = []
        for text in row["rows"]:
            frm, to_eid, to, event, kind, stopped, type_ = text.split(" ", 6)
            hops.append(_Hop(id_of[frm], to, to_eid, event, KINDS[kind], stopped == "1", type_))
        hops.sort()
    return hops


async def _reach(tx: Tx, direction: Direction, ids: Sequence[str], nodes: dict[str, _Found],
                 depth: int) -> list[tuple[str, str, int, NodeKind, str]]:
    """Every node within `depth` hops of the nodes `ids`: (id, eid, distance, kind, type)."""
    row = await tx.single(REACH[direction], {**_frontier(ids, nodes), "depth": depth})
    found = []
    for text in row["rows"]:
        eid, node_id, distance, kind, type_ = text.split(" ", 4)
        found.append((node_id, eid, int(distance), KINDS[kind], type_))
    found.sort(key=lambda f: (f[2], f[0]))
    return found


async def _walk(tx: Tx, walk: _Walk, starts: Sequence[str], direction: Direction,
                max_hops: int, stop: Compiled | None, include_stops: bool) -> None:
    """Breadth-first walk one way from `starts`, adding to `walk`."""
    seen: set[str] = set(starts)
    frontier, level = list(starts), 0
    upstream = direction is Direction.UPSTREAM
    fanout = float("inf")  # edges per frontier node on the last single hop; unknown at first
    while frontier and level < max_hops and not walk.truncated:
        remaining = max_hops - level
        narrow = len(frontier) <= SMALL_FRONTIER and fanout <= NARROW_FANOUT
        if stop is None and narrow and remaining > 1:
            depth = min(REACH_DEPTH, remaining)
            nxt = []
            for node_id, eid, distance, kind, type_ in await _reach(
                    tx, direction, frontier, walk.nodes, depth):
                if node_id in seen or not walk.admit(node_id, eid, kind, type_, level + distance):
                    continue
                seen.add(node_id)
                if distance == depth:
                    nxt.append(node_id)
            frontier, level = nxt, level + depth
            continue
        hops = await _expand(tx, direction, frontier, walk.nodes, stop)
        fanout = len(hops) / len(frontier)
        (walk.known_in if direction is Direction.UPSTREAM else walk.known_out).update(frontier)
        nxt = []
        with gc_paused():
            for hop in hops:
                if hop.to not in seen:
                    if hop.stop and not include_stops:
                        continue
                    if not walk.admit(hop.to, hop.to_eid, hop.kind, hop.type, level + 1):
                        continue
                    seen.add(hop.to)
                    if not hop.stop:
                        nxt.append(hop.to)
                walk.edges.add((hop.to, hop.frm, hop.event) if upstream
                               else (hop.frm, hop.to, hop.event))
        frontier, level = nxt, level + 1


async def _complete_edges(tx: Tx, walk: _Walk) -> None:
    """Fetch the edges among `walk.nodes` that no walk crossed, from the cheaper side."""
    sources = [i for i in walk.nodes if i not in walk.known_out]
    targets = [i for i in walk.nodes if i not in walk.known_in]
    if not sources or not targets:
        return
    if len(targets) <= len(sources):
        for hop in await _expand(tx, Direction.UPSTREAM, targets, walk.nodes):
            if hop.to in walk.nodes:
                walk.edges.add((hop.to, hop.frm, hop.event))
        walk.known_in.update(targets)
    else:
        for hop in await _expand(tx, Direction.DOWNSTREAM, sources, walk.nodes):
            if hop.to in walk.nodes:
                walk.edges.add((hop.frm, hop.to, hop.event))
        walk.known_out.update(sources)


def _graph(walk: _Walk, keep: set[str] | None = None) -> LineageGraph:
    with gc_paused():
        return _assemble(walk, keep)


def _assemble(walk: _Walk, keep: set[str] | None) -> LineageGraph:
    ids = [i for i in walk.nodes if keep is None or i in keep]
    ids.sort(key=lambda i: (walk.nodes[i].degree, walk.nodes[i].kind.value, i))
    kept = set(ids)
    nodes = [LineageNode(i, walk.nodes[i].kind, walk.nodes[i].type, walk.nodes[i].degree)
             for i in ids]
    edges = [
        LineageEdge(s, t, *_EVENTS[k])
        for s, t, k in sorted(walk.edges)
        if s in kept and t in kept
    ]
    return LineageGraph(nodes, edges, walk.truncated)


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
            walk = _Walk(nodes={k: _Found(v.kind, v.type, 0, v.eid) for k, v in starts.items()},
                         max_nodes=max_nodes)
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
                starts[m["id"]] = _Found(NodeKind.ARTIFACT, m["type"], 0, m["eid"])
            for m in members["executions"]:
                starts[m["id"]] = _Found(NodeKind.EXECUTION, m["type"], 0, m["eid"])
        wanted = [("startArtifactIds", NodeKind.ARTIFACT, i) for i in request.start_artifact_ids]
        wanted += [("startExecutionIds", NodeKind.EXECUTION, i)
                   for i in request.start_execution_ids]
        if wanted:
            kinds = await self.node_kinds_tx(tx, [i for _, _, i in wanted])
            for where, kind, node_id in wanted:
                found = kinds.get(node_id)
                if found is None or found[0] is not kind:
                    raise NotFound(f"{where}: no {kind.value.lower()} {node_id!r}", field=where)
                starts[node_id] = _Found(kind, found[1], 0, found[2])
        if not starts and request.start_context_id is None:
            raise InvalidInput("start: give startArtifactIds, startExecutionIds or "
                               "startContextId", field="start")
        return starts

    async def node_kinds_tx(self, tx: Tx, ids: Sequence[str]
                            ) -> dict[str, tuple[NodeKind, str, str]]:
        """(kind, type, elementId) of each id that names a node."""
        rows = (await tx.single("read/node_kinds", {"ids": list(ids)}))["nodes"]
        return {r["id"]: (NodeKind(r["kind"]), r["type"], r["eid"]) for r in rows if r["kind"]}

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
                nodes[node_id] = _Found(found[0], found[1], 0, found[2])
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
        direction = Direction.DOWNSTREAM if forward else Direction.UPSTREAM
        own, other = (parents, children) if forward else (children, parents)
        nxt: list[str] = []
        for hop in await _expand(tx, direction, frontier, nodes):
            if hop.to in own:
                continue
            own[hop.to] = (hop.frm, hop.event)
            nodes.setdefault(hop.to, _Found(hop.kind, hop.type, 0, hop.to_eid))
            nxt.append(hop.to)
            if hop.to in other:
                return _path(nodes, parents, children, hop.to)
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
        found = nodes[node_id]
        walk.nodes[node_id] = _Found(found.kind, found.type, degree, found.eid)
    return _graph(walk)
