"""Recursive lineage in one read transaction, by frontier expansion (design §5).

A walk is breadth-first and tracks the reachable set, every node's degree (smallest hop
distance) and the stop conditions here, so paths are never enumerated across the graph: a
diamond-shaped DAG costs what a chain of the same nodes costs. Each round trip expands the
whole frontier:

* a large frontier, or any walk with a stop condition, advances one hop per round trip
  (`walks.expand`), which also yields the edges it crosses;
* a small frontier advances up to six hops per round trip (`walks.reach`): on a narrow
  lineage the round trips, not the rows, are the cost.

Afterwards one more round trip fetches the edges among the answer that no walk crossed
(from the smaller side: into nodes whose incoming edges are unknown, or out of nodes
whose outgoing edges are unknown). Nodes are addressed by their handle within the
transaction (`model.walk`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.lineage import LineageEdge, LineageGraph, LineageNode
from graph_api.model.walk import Hops
from graph_api.store import walks
from graph_api.store.connection import Tx
from graph_api.store.filters import Compiled

#: Frontiers up to this size, whose last hop fanned out at most `NARROW_FANOUT` edges per
#: node, use the multi-hop `walks.reach` (which enumerates paths within six hops).
SMALL_FRONTIER = 16
NARROW_FANOUT = 3.0
_EVENTS = {e.value: (e.relationship, e) for e in EventType}
EdgeKey = tuple[str, str, str]  # (source, target, event type), in the data-flow direction


@dataclass
class Found:
    """A node the walk has reached."""

    kind: NodeKind
    type: str
    degree: int
    handle: str


@dataclass
class Walk:
    """What the walks of one request have found."""

    nodes: dict[str, Found]
    max_nodes: int
    edges: set[EdgeKey] = field(default_factory=set)
    known_in: set[str] = field(default_factory=set)   # all incoming edges are in `edges`
    known_out: set[str] = field(default_factory=set)  # all outgoing edges are in `edges`
    truncated: bool = False

    def admit(self, node_id: str, handle: str, kind: NodeKind, type_: str, degree: int) -> bool:
        """Add a node (or lower its degree); False when the node cap refuses it."""
        found = self.nodes.get(node_id)
        if found is not None:
            found.degree = min(found.degree, degree)
            return True
        if len(self.nodes) >= self.max_nodes:
            self.truncated = True
            return False
        self.nodes[node_id] = Found(kind, type_, degree, handle)
        return True

    def graph(self, keep: set[str] | None = None) -> LineageGraph:
        """The answer: the nodes (those in `keep`, if given) nearest first (by degree, kind,
        id), and every edge found among them."""
        ids = [i for i in self.nodes if keep is None or i in keep]
        nodes = self.nodes
        ids.sort(key=lambda i: (nodes[i].degree, nodes[i].kind.value, i))
        kept = set(ids)
        return LineageGraph(
            [LineageNode(i, nodes[i].kind, nodes[i].type, nodes[i].degree) for i in ids],
            [LineageEdge(s, t, *_EVENTS[k]) for s, t, k in sorted(self.edges)
             if s in kept and t in kept],
            self.truncated)


def _frontier(ids: Iterable[str], nodes: dict[str, Found]) -> tuple[list[str], list[str]]:
    """A frontier's handles, artifacts apart from executions."""
    artifacts: list[str] = []
    executions: list[str] = []
    for i in ids:
        found = nodes[i]
        (artifacts if found.kind is NodeKind.ARTIFACT else executions).append(found.handle)
    return artifacts, executions


async def expand(tx: Tx, direction: Direction, ids: Sequence[str], nodes: dict[str, Found],
                 stop: Compiled | None = None) -> tuple[Hops, list[str]]:
    """One hop from the nodes `ids`: the hops, and each edge's frontier node by id."""
    hops = await walks.expand(tx, direction, *_frontier(ids, nodes), stop)
    id_of = {nodes[i].handle: i for i in ids}
    return hops, [id_of[h] for h in hops.source]


def in_order(hops: Hops, source: Sequence[str], deterministic: bool) -> Iterable[int]:
    """The edges of a hop in the order to admit their nodes: by (frontier id, reached id)
    when `deterministic` (where a node cap may cut the answer, so that which nodes it keeps
    does not depend on the engine's row order), else as they came."""
    if not deterministic:
        return range(len(hops))
    return sorted(range(len(hops)), key=lambda k: (source[k], hops.id[k]))


async def walk(tx: Tx, state: Walk, starts: Sequence[str], direction: Direction,
               max_hops: int, stop: Compiled | None, include_stops: bool) -> None:
    """Breadth-first walk one way from `starts`, adding to `state`."""
    seen: set[str] = set(starts)
    frontier, level = list(starts), 0
    upstream = direction is Direction.UPSTREAM
    fanout = float("inf")  # edges per frontier node on the last single hop; unknown at first
    while frontier and level < max_hops and not state.truncated:
        remaining = max_hops - level
        narrow = len(frontier) <= SMALL_FRONTIER and fanout <= NARROW_FANOUT
        if stop is None and narrow and remaining > 1:
            frontier = await _reach(tx, state, seen, frontier, direction, level,
                                    min(walks.REACH_DEPTH, remaining))
            level += min(walks.REACH_DEPTH, remaining)
            continue
        hops, source = await expand(tx, direction, frontier, state.nodes, stop)
        fanout = len(hops) / len(frontier)
        (state.known_in if upstream else state.known_out).update(frontier)
        nxt = []
        for k in in_order(hops, source, len(state.nodes) + len(hops) > state.max_nodes):
            to = hops.id[k]
            if to not in seen:
                stopped = hops.stop[k]
                if stopped and not include_stops:
                    continue
                if not state.admit(to, hops.handle[k], hops.kind[k], hops.type[k], level + 1):
                    continue
                seen.add(to)
                if not stopped:
                    nxt.append(to)
            state.edges.add((to, source[k], hops.event[k]) if upstream
                            else (source[k], to, hops.event[k]))
        frontier, level = nxt, level + 1


async def _reach(tx: Tx, state: Walk, seen: set[str], frontier: Sequence[str],
                 direction: Direction, level: int, depth: int) -> list[str]:
    """Admit every node within `depth` hops of a small frontier; the new frontier (the
    nodes at exactly `depth`)."""
    found = await walks.reach(tx, direction, *_frontier(frontier, state.nodes), depth)
    nxt = []
    # Nearest first, so that a node cap keeps the nearest nodes.
    for k in sorted(range(len(found.id)), key=lambda k: (found.distance[k], found.id[k])):
        node_id, distance = found.id[k], found.distance[k]
        if node_id in seen or not state.admit(node_id, found.handle[k], found.kind[k],
                                              found.type[k], level + distance):
            continue
        seen.add(node_id)
        if distance == depth:
            nxt.append(node_id)
    return nxt


async def complete_edges(tx: Tx, state: Walk) -> None:
    """Fetch the edges among `state.nodes` that no walk crossed, from the cheaper side."""
    sources = [i for i in state.nodes if i not in state.known_out]
    targets = [i for i in state.nodes if i not in state.known_in]
    if not sources or not targets:
        return
    upstream = len(targets) <= len(sources)
    frontier = targets if upstream else sources
    hops, source = await expand(tx, Direction.UPSTREAM if upstream else Direction.DOWNSTREAM,
                                frontier, state.nodes)
    for k, to in enumerate(hops.id):
        if to in state.nodes:
            state.edges.add((to, source[k], hops.event[k]) if upstream
                            else (source[k], to, hops.event[k]))
    (state.known_in if upstream else state.known_out).update(frontier)


def levels(state: Walk) -> None:
    """Set each node's degree to its distance from the sources of the subgraph."""
    incoming: dict[str, list[str]] = {i: [] for i in state.nodes}
    outgoing: dict[str, list[str]] = {i: [] for i in state.nodes}
    for s, t, _ in state.edges:
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
    for i, found in state.nodes.items():
        found.degree = level.get(i, 0)


async def shortest(tx: Tx, nodes: dict[str, Found], source: str, target: str, max_hops: int,
                   max_nodes: int) -> LineageGraph | None:
    """A shortest directed path source -> target by bidirectional breadth-first search,
    each step expanding the smaller frontier; None when none has at most `max_hops` edges
    (or the search would hold more than `max_nodes` nodes)."""
    parents: dict[str, tuple[str, str] | None] = {source: None}   # node -> (prev, event)
    children: dict[str, tuple[str, str] | None] = {target: None}  # node -> (next, event)
    fwd, bwd = [source], [target]
    for _ in range(max_hops):
        if not fwd or not bwd or len(parents) + len(children) > max_nodes:
            return None
        forward = len(fwd) <= len(bwd)
        own, other = (parents, children) if forward else (children, parents)
        hops, source_ids = await expand(
            tx, Direction.DOWNSTREAM if forward else Direction.UPSTREAM,
            fwd if forward else bwd, nodes)
        nxt: list[str] = []
        for k in in_order(hops, source_ids, deterministic=True):  # the same path every time
            to = hops.id[k]
            if to in own:
                continue
            own[to] = (source_ids[k], hops.event[k])
            nodes.setdefault(to, Found(hops.kind[k], hops.type[k], 0, hops.handle[k]))
            nxt.append(to)
            if to in other:
                return _path(nodes, parents, children, to)
        if forward:
            fwd = nxt
        else:
            bwd = nxt
    return None


def _path(nodes: dict[str, Found], parents: dict[str, tuple[str, str] | None],
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
    state = Walk(nodes={}, max_nodes=len(chain), edges=edges)
    for degree, node_id in enumerate(chain):
        found = nodes[node_id]
        state.nodes[node_id] = Found(found.kind, found.type, degree, found.handle)
    return state.graph()
