"""Lineage answered from the topology index: the same answers as the walks in Cypher
(`services.walk`), node for node and edge for edge, computed in memory.

A walk is breadth-first, a whole level at a time: the edges out of the frontier come from
the index's rows in one vectorised step, and only the level where a node cap cuts the
answer is ordered edge by edge, as the Cypher walk orders it (by frontier id, then reached
id), so that both keep the same nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.lineage import LineageGraph, LineageRequest
from graph_api.model.walk import Hops, Located
from graph_api.services import walk
from graph_api.services.topology.index import EVENTS, KIND_CODE, KINDS, Numbers, Topology

#: Each event code's rank by the event's name: answers list edges by (source id, target
#: id, event name).
_EVENT_RANK = np.argsort(np.argsort([e.value for e in EVENTS])).astype(np.int8)
_NEVER = np.iinfo(np.int32).max


class Identified(Protocol):
    """A node as a walk starts from it."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> NodeKind: ...
    @property
    def type(self) -> str: ...


def numbers(topo: Topology, nodes: Sequence[Identified]) -> Numbers:
    """The nodes' numbers (numbering those the index lacks: nodes with no edge yet)."""
    return np.unique(np.array([topo.add_node(n.id, n.kind, n.type) for n in nodes],
                              dtype=np.int32))


def start_set(topo: Topology, request: LineageRequest) -> dict[str, Located] | None:
    """The start nodes as the index knows them (those with an edge); None when a start is
    not in the index, or is of another kind, or is a context: the database says which."""
    if request.start_context_id is not None:
        return None
    wanted = [*((i, NodeKind.ARTIFACT) for i in request.start_artifact_ids),
              *((i, NodeKind.EXECUTION) for i in request.start_execution_ids)]
    if not wanted:
        return None
    numbers = topo.numbers_of([i for i, _ in wanted]).tolist()
    starts: dict[str, Located] = {}
    for (node_id, kind), number in zip(wanted, numbers, strict=True):
        if number < 0 or KINDS[topo.kinds[number]] is not kind:
            return None
        starts[node_id] = Located(node_id, kind, topo.type_names[topo.types[number]], "")
    return starts


def lineage(topo: Topology, starts: Sequence[Located], request: LineageRequest,
            max_hops: int, max_nodes: int) -> LineageGraph:
    """The lineage subgraph around `starts` (see `LineageService.lineage`; no stop filter),
    within `max_hops` and `max_nodes` (which the start set is known to fit)."""
    start = numbers(topo, starts)
    members, degree, truncated = reach(topo, start, request.direction, max_hops, max_nodes)
    keep = _kept(topo, members, request)
    if keep is not None:
        keep |= np.isin(members, start)
        members, degree = members[keep], degree[keep]
    return answer(topo, members, degree, truncated)


def reach(topo: Topology, start: Numbers, direction: Direction, max_hops: int,
          max_nodes: int) -> tuple[Numbers, Numbers, bool]:
    """Breadth-first from the nodes numbered `start` (sorted, unique): every node within
    `max_hops` (in increasing number), its degree (fewest hops from the start set), and
    whether `max_nodes` cut the walk. BOTH walks upstream, then downstream."""
    in_answer = np.zeros(topo.size, dtype=bool)
    in_answer[start] = True
    count = len(start)
    reached_at: list[tuple[Numbers, int]] = [(start, 0)]
    truncated = False
    directions = ([Direction.UPSTREAM, Direction.DOWNSTREAM]
                  if direction is Direction.BOTH else [direction])
    for way in directions:
        expand = topo.upstream if way is Direction.UPSTREAM else topo.downstream
        seen = np.zeros(topo.size, dtype=bool)
        seen[start] = True
        frontier, level = start, 0
        while frontier.size and level < max_hops and not truncated:
            node, reached, _ = expand(frontier)
            fresh = ~seen[reached]
            node, reached = node[fresh], reached[fresh]
            admitted = np.unique(reached)
            new = admitted[~in_answer[admitted]]
            if count + len(new) > max_nodes:
                admitted, truncated = _cut(topo, node, reached, in_answer, max_nodes - count)
                new = admitted[~in_answer[admitted]]
            seen[admitted] = True
            in_answer[new] = True
            count += len(new)
            level += 1
            reached_at.append((admitted, level))
            frontier = admitted
    members = np.flatnonzero(in_answer).astype(np.int32)
    degree = np.full(len(members), _NEVER, dtype=np.int32)
    for numbers, level in reached_at:
        at = np.searchsorted(members, numbers)
        degree[at] = np.minimum(degree[at], level)
    return members, degree, truncated


def _cut(topo: Topology, node: Numbers, reached: Numbers, in_answer: npt.NDArray[np.bool_],
         room: int) -> tuple[Numbers, bool]:
    """The nodes a level admits when the cap leaves `room` new ones: every node already in
    the answer, and new nodes in the order of their first edge by (frontier id, reached
    id); and whether a node was refused."""
    order = np.lexsort((topo.ids[reached], topo.ids[node]))
    admitted: dict[int, None] = {}
    refused = False
    for target in reached[order].tolist():
        if target in admitted:
            continue
        if in_answer[target]:
            admitted[target] = None
        elif room > 0:
            room -= 1
            admitted[target] = None
        else:
            refused = True
    return np.array(sorted(admitted), dtype=np.int32), refused


def _kept(topo: Topology, members: Numbers, request: LineageRequest
          ) -> npt.NDArray[np.bool_] | None:
    """Which members the request lists by kind and type (None: all of them)."""
    if request.include_kinds is None and request.include_types is None:
        return None
    keep = np.ones(len(members), dtype=bool)
    if request.include_kinds is not None:
        wanted = [KIND_CODE[k] for k in request.include_kinds if k in KIND_CODE]
        keep &= np.isin(topo.kinds[members], wanted)
    if request.include_types is not None:
        names = set(request.include_types)
        wanted = [code for code, name in enumerate(topo.type_names) if name in names]
        keep &= np.isin(topo.types[members], wanted)
    return keep


def ordered(topo: Topology, members: Numbers, degree: Numbers) -> tuple[Numbers, Numbers]:
    """Nodes and their degrees in the order answers list them: by (degree, kind, id)."""
    order = np.lexsort((topo.ids[members], topo.kinds[members], degree))
    return members[order], degree[order]


def edges_by_position(topo: Topology, members: Numbers
                      ) -> tuple[Numbers, Numbers, npt.NDArray[np.int8]]:
    """Every edge among `members`, its ends as positions in `members`, ordered by (source
    id, target id, event name)."""
    by_number = np.argsort(members)
    ascending = members[by_number]
    source, target, event = topo.edges_among(ascending)
    order = np.lexsort((_EVENT_RANK[event], topo.ids[target], topo.ids[source]))
    source, target, event = source[order], target[order], event[order]
    return (by_number[np.searchsorted(ascending, source)].astype(np.int32),
            by_number[np.searchsorted(ascending, target)].astype(np.int32), event)


def answer(topo: Topology, members: Numbers, degree: Numbers, truncated: bool
           ) -> LineageGraph:
    """The answer of these nodes (at these degrees) and every edge among them, ordered as
    `walk.Walk.graph` orders it: nodes by (degree, kind, id), edges by (source id, target
    id, event name)."""
    members, degree = ordered(topo, members, degree)
    source, target, event = edges_by_position(topo, members)
    return LineageGraph(
        topo.id_list(members), [KINDS[k] for k in topo.kinds[members].tolist()],
        [topo.type_names[t] for t in topo.types[members].tolist()], degree.tolist(),
        source.tolist(), target.tolist(), [EVENTS[e] for e in event.tolist()], truncated)


def context_graph(topo: Topology, members: Sequence[Located], max_nodes: int
                  ) -> LineageGraph:
    """The DAG of a context's members: every edge among them, each node's degree its
    distance from the members with no input from inside (see `walk.levels`)."""
    state = walk.Walk(max_nodes)
    for m in members:
        state.admit(m.id, m.handle, m.kind, m.type, 0)
    source, target, event = topo.edges_among(numbers(topo, members))
    number_in_state = state.number
    for s, t, e in zip(topo.id_list(source), topo.id_list(target), event.tolist(),
                       strict=True):
        state.edges.add(walk.edge_key(number_in_state[s], number_in_state[t],
                                      EVENTS[e].value))
    walk.levels(state)
    return state.graph()


def expander(topo: Topology) -> walk.Expand:
    """`walk.shortest`'s one hop, from the index instead of the database."""

    async def expand(direction: Direction, frontier: Sequence[int], state: walk.Walk
                     ) -> tuple[Hops, list[int]]:
        numbers = topo.numbers_of([state.ids[i] for i in frontier])
        step = topo.upstream if direction is Direction.UPSTREAM else topo.downstream
        node, reached, event = step(numbers[numbers >= 0])
        in_state = {number: i for number, i in zip(numbers.tolist(), frontier, strict=True)}
        ids = topo.id_list(reached)
        kinds: list[NodeKind] = [KINDS[k] for k in topo.kinds[reached].tolist()]
        events: list[str] = [EventType(EVENTS[e]).value for e in event.tolist()]
        hops = Hops([], ids, [""] * len(ids), kinds,
                    [topo.type_names[t] for t in topo.types[reached].tolist()], events,
                    [False] * len(ids))
        return hops, [in_state[n] for n in node.tolist()]

    return expand
