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

What a walk has found is kept in columns indexed by the node's number, and each edge as
one integer: lists and sets of atoms, which the garbage collector need not trace, however
large the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence

from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.lineage import LineageGraph
from graph_api.model.walk import Hops
from graph_api.store import walks
from graph_api.store.connection import Tx
from graph_api.store.filters import Compiled

#: Frontiers up to this size, whose last hop fanned out at most `NARROW_FANOUT` edges per
#: node, use the multi-hop `walks.reach` (which enumerates paths within six hops).
SMALL_FRONTIER = 16
NARROW_FANOUT = 3.0
EVENTS = list(EventType)
_EVENT_CODE = {e.value: code for code, e in enumerate(EVENTS)}


def edge_key(source: int, target: int, event: str) -> int:
    """An edge between two numbered nodes, as one integer (ordered by source, target)."""
    return (source << 36) | (target << 4) | _EVENT_CODE[event]


def edge_parts(key: int) -> tuple[int, int, EventType]:
    return key >> 36, (key >> 4) & 0xFFFFFFFF, EVENTS[key & 15]


class Walk:
    """What the walks of one request have found: node `i` is `ids[i]`."""

    def __init__(self, max_nodes: int) -> None:
        self.max_nodes = max_nodes
        self.number: dict[str, int] = {}
        self.ids: list[str] = []
        self.kinds: list[NodeKind] = []
        self.types: list[str] = []
        self.degrees: list[int] = []
        self.handles: list[str] = []
        self.edges: set[int] = set()  # edge_key of each edge found
        self.known_in: set[int] = set()   # nodes whose incoming edges are all in `edges`
        self.known_out: set[int] = set()  # nodes whose outgoing edges are all in `edges`
        self.truncated = False

    def admit(self, node_id: str, handle: str, kind: NodeKind, type_: str, degree: int
              ) -> int | None:
        """Add a node (or lower its degree); its number, or None when the node cap
        refuses it."""
        number = self.number.get(node_id)
        if number is not None:
            if degree < self.degrees[number]:
                self.degrees[number] = degree
            return number
        if len(self.ids) >= self.max_nodes:
            self.truncated = True
            return None
        number = self.number[node_id] = len(self.ids)
        self.ids.append(node_id)
        self.kinds.append(kind)
        self.types.append(type_)
        self.degrees.append(degree)
        self.handles.append(handle)
        return number

    def graph(self, keep: Iterable[int] | None = None) -> LineageGraph:
        """The answer: the nodes (those numbered in `keep`, if given) nearest first (by
        degree, kind, id), and every edge found among them (by source, target, event)."""
        kinds, degrees, ids = self.kinds, self.degrees, self.ids
        order = sorted(range(len(ids)) if keep is None else keep,
                       key=lambda i: (degrees[i], kinds[i].value, ids[i]))
        position = {number: at for at, number in enumerate(order)}
        edges = []
        for key in self.edges:
            s, t, event = edge_parts(key)
            if s in position and t in position:
                edges.append((ids[s], ids[t], event.value, position[s], position[t], event))
        edges.sort()
        return LineageGraph(
            [ids[i] for i in order], [kinds[i] for i in order],
            [self.types[i] for i in order], [degrees[i] for i in order],
            [e[3] for e in edges], [e[4] for e in edges], [e[5] for e in edges],
            self.truncated)


def _frontier(numbers: Iterable[int], state: Walk) -> tuple[list[str], list[str]]:
    """A frontier's handles, artifacts apart from executions."""
    artifacts: list[str] = []
    executions: list[str] = []
    for i in numbers:
        (artifacts if state.kinds[i] is NodeKind.ARTIFACT else executions).append(
            state.handles[i])
    return artifacts, executions


async def expand(tx: Tx, direction: Direction, frontier: Sequence[int], state: Walk,
                 stop: Compiled | None = None) -> tuple[Hops, list[int]]:
    """One hop from the nodes numbered `frontier`: the hops, and each edge's frontier node
    by number."""
    hops = await walks.expand(tx, direction, *_frontier(frontier, state), stop)
    number_of = {state.handles[i]: i for i in frontier}
    return hops, [number_of[h] for h in hops.source]


def in_order(hops: Hops, source: Sequence[int], state: Walk, deterministic: bool
             ) -> Iterable[int]:
    """The edges of a hop in the order to admit their nodes: by (frontier id, reached id)
    when `deterministic` (where a node cap may cut the answer, so that which nodes it keeps
    does not depend on the engine's row order), else as they came."""
    if not deterministic:
        return range(len(hops))
    ids = state.ids
    return sorted(range(len(hops)), key=lambda k: (ids[source[k]], hops.id[k]))


async def walk(tx: Tx, state: Walk, starts: Sequence[int], direction: Direction,
               max_hops: int, stop: Compiled | None, include_stops: bool) -> None:
    """Breadth-first walk one way from the nodes numbered `starts`, adding to `state`."""
    seen: set[str] = {state.ids[i] for i in starts}
    frontier, level = list(starts), 0
    upstream = direction is Direction.UPSTREAM
    fanout = float("inf")  # edges per frontier node on the last single hop; unknown at first
    while frontier and level < max_hops and not state.truncated:
        remaining = max_hops - level
        narrow = len(frontier) <= SMALL_FRONTIER and fanout <= NARROW_FANOUT
        if stop is None and narrow and remaining > 1:
            depth = min(walks.REACH_DEPTH, remaining)
            reached = await _reach(tx, state, seen, frontier, direction, level, depth)
            if reached is not None:
                frontier, level = reached, level + depth
                continue
            fanout = float("inf")  # the cap cuts within reach: walk hop by hop from here
        hops, source = await expand(tx, direction, frontier, state, stop)
        fanout = len(hops) / len(frontier)
        (state.known_in if upstream else state.known_out).update(frontier)
        nxt = []
        cut = len(state.ids) + len(hops) > state.max_nodes
        for k in in_order(hops, source, state, deterministic=cut):
            to = hops.id[k]
            number = state.number.get(to)
            if to not in seen:
                stopped = hops.stop[k]
                if stopped and not include_stops:
                    continue
                number = state.admit(to, hops.handle[k], hops.kind[k], hops.type[k], level + 1)
                if number is None:
                    continue
                seen.add(to)
                if not stopped:
                    nxt.append(number)
            assert number is not None
            state.edges.add(edge_key(number, source[k], hops.event[k]) if upstream
                            else edge_key(source[k], number, hops.event[k]))
        frontier, level = nxt, level + 1


async def _reach(tx: Tx, state: Walk, seen: set[str], frontier: Sequence[int],
                 direction: Direction, level: int, depth: int) -> list[int] | None:
    """Admit every node within `depth` hops of a small frontier; the new frontier (the
    nodes at exactly `depth`). None, admitting nothing, when the node cap would cut
    within those hops: a cut level is walked hop by hop, so that every walk keeps the
    same nodes."""
    found = await walks.reach(tx, direction, *_frontier(frontier, state), depth)
    new = {i for i in found.id if i not in state.number}
    if len(state.ids) + len(new) > state.max_nodes:
        return None
    nxt = []
    # Nearest first, so that a node cap keeps the nearest nodes.
    for k in sorted(range(len(found.id)), key=lambda k: (found.distance[k], found.id[k])):
        node_id, distance = found.id[k], found.distance[k]
        if node_id in seen:
            continue
        number = state.admit(node_id, found.handle[k], found.kind[k], found.type[k],
                             level + distance)
        if number is None:
            continue
        seen.add(node_id)
        if distance == depth:
            nxt.append(number)
    return nxt


async def complete_edges(tx: Tx, state: Walk) -> None:
    """Fetch the edges among the nodes found that no walk crossed, from the cheaper side."""
    everyone = range(len(state.ids))
    sources = [i for i in everyone if i not in state.known_out]
    targets = [i for i in everyone if i not in state.known_in]
    if not sources or not targets:
        return
    upstream = len(targets) <= len(sources)
    frontier = targets if upstream else sources
    hops, source = await expand(tx, Direction.UPSTREAM if upstream else Direction.DOWNSTREAM,
                                frontier, state)
    for k, to in enumerate(hops.id):
        number = state.number.get(to)
        if number is not None:
            state.edges.add(edge_key(number, source[k], hops.event[k]) if upstream
                            else edge_key(source[k], number, hops.event[k]))
    (state.known_in if upstream else state.known_out).update(frontier)


def levels(state: Walk) -> None:
    """Set each node's degree to its distance from the sources of the subgraph."""
    outgoing: list[list[int]] = [[] for _ in state.ids]
    has_input = [False] * len(state.ids)
    for key in state.edges:
        s, t, _ = edge_parts(key)
        outgoing[s].append(t)
        has_input[t] = True
    level = {i: 0 for i in range(len(state.ids)) if not has_input[i]}
    frontier = list(level)
    while frontier:
        nxt = []
        for i in frontier:
            for t in outgoing[i]:
                if t not in level:
                    level[t] = level[i] + 1
                    nxt.append(t)
        frontier = nxt
    state.degrees = [level.get(i, 0) for i in range(len(state.ids))]


#: One hop from a frontier of nodes numbered in a walk: the hops, and each edge's frontier
#: node by number (from the database, or from the topology index).
Expand = Callable[[Direction, Sequence[int], Walk], Awaitable[tuple[Hops, list[int]]]]


def expander(tx: Tx) -> Expand:
    """One hop in Cypher, in `tx`."""

    async def one_hop(direction: Direction, frontier: Sequence[int], state: Walk
                      ) -> tuple[Hops, list[int]]:
        return await expand(tx, direction, frontier, state)

    return one_hop


async def shortest(expand_: Expand, state: Walk, source: int, target: int, max_hops: int
                   ) -> LineageGraph | None:
    """A shortest directed path between two nodes numbered in `state` (source -> target)
    by bidirectional breadth-first search, each step expanding the smaller frontier; None
    when none has at most `max_hops` edges (or the search would hold more nodes than the
    state's cap)."""
    parents: dict[int, tuple[int, str] | None] = {source: None}   # node -> (prev, event)
    children: dict[int, tuple[int, str] | None] = {target: None}  # node -> (next, event)
    fwd, bwd = [source], [target]
    for _ in range(max_hops):
        if not fwd or not bwd or len(parents) + len(children) > state.max_nodes:
            return None
        forward = len(fwd) <= len(bwd)
        own, other = (parents, children) if forward else (children, parents)
        hops, sources = await expand_(Direction.DOWNSTREAM if forward else Direction.UPSTREAM,
                                      fwd if forward else bwd, state)
        nxt: list[int] = []
        for k in in_order(hops, sources, state, deterministic=True):  # the same path each time
            number = state.number.get(hops.id[k])
            if number is not None and number in own:
                continue
            if number is None:
                number = state.admit(hops.id[k], hops.handle[k], hops.kind[k], hops.type[k], 0)
                if number is None:
                    return None
            own[number] = (sources[k], hops.event[k])
            nxt.append(number)
            if number in other:
                return _path(state, parents, children, number)
        if forward:
            fwd = nxt
        else:
            bwd = nxt
    return None


def _path(state: Walk, parents: dict[int, tuple[int, str] | None],
          children: dict[int, tuple[int, str] | None], meet: int) -> LineageGraph:
    """The path through `meet`, as an answer whose degrees are the positions on it."""
    chain = [meet]
    edges: set[int] = set()
    cur = meet
    while (step := parents[cur]) is not None:
        edges.add(edge_key(step[0], cur, step[1]))
        cur = step[0]
        chain.insert(0, cur)
    cur = meet
    while (step := children[cur]) is not None:
        edges.add(edge_key(cur, step[0], step[1]))
        cur = step[0]
        chain.append(cur)
    for position, number in enumerate(chain):
        state.degrees[number] = position
    state.edges = edges
    return state.graph(chain)
