"""A lineage walk streamed batch by batch, in memory that does not grow with the rows sent:
the NDJSON form of the subgraph, and the impact export.

Each step expands a slice of a frontier in its own short read transaction (`walks.step`),
so a client reading at its own pace never holds a transaction open; the frontier travels
between steps as ids. Levels are walked in order, downstream before upstream within a
level, so a node is reported once, at its degree (the first level that reaches it), and
each batch holds the nodes first reached by one step and the edges that step crossed.

BOTH is the union of the upstream and the downstream closure, exactly as in `walk`: a node
reached both ways is expanded both ways. Each edge is reported once:

* by the downstream expansion of its source, unless its target was expanded upstream
  earlier, at a level when the source was not yet known downstream (that expansion
  reported it);
* by the upstream expansion of its target, unless its source is known to expand
  downstream (that expansion reports it);
* by a last pass over the nodes expanded neither way along the edge (the last level,
  stop nodes, a node reached only upstream that feeds one reached only downstream).

Memory: for every node reached so far, its index and its levels (needed to report each
node and edge once), the current frontiers as ids, and the rows of one step until the
caller takes them. Each step is its own transaction, so the answer is not one snapshot:
writes made meanwhile may or may not be seen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from graph_api.model.enums import Direction, NodeKind
from graph_api.model.walk import Step
from graph_api.store import walks
from graph_api.store.connection import Database, Tx
from graph_api.store.filters import Compiled

#: Frontier nodes per step: bounds the rows one step holds. Larger steps mean fewer round
#: trips (two per step for the export: the step and the contexts it brings).
STEP_SLICE = 5000


@dataclass(frozen=True, slots=True)
class StreamStart:
    """A node a streamed walk starts from, with what a listing shows of it."""

    id: str
    kind: NodeKind
    type: str
    name: str | None = None
    uri: str | None = None
    state: str | None = None


@dataclass
class Batch:
    """Nodes first reached by one step (their indexes follow those of earlier batches) and
    the edges it reports, as parallel lists; edge ends are node indexes."""

    id: list[str] = field(default_factory=list)
    kind: list[NodeKind] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    degree: list[int] = field(default_factory=list)
    name: list[str | None] = field(default_factory=list)
    uri: list[str | None] = field(default_factory=list)
    state: list[str | None] = field(default_factory=list)
    source: list[int] = field(default_factory=list)
    target: list[int] = field(default_factory=list)
    event: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.id or self.source)


class Walked(Protocol):
    """A walk streamed as batches: in Cypher (`StreamedWalk`) or from the topology index
    (`topology.stream.IndexedWalk`)."""

    def batches(self) -> AsyncIterator[Batch]:
        """The batches: the start nodes first; each node once, at its degree; each edge
        once, after both its ends."""
        ...


#: A level not (yet) reached.
NEVER = -1


class StreamedWalk:
    """One streamed walk; iterate `batches()` once.

    What it knows of each node reached is kept in columns indexed by the node's number
    (`seen`: id -> number): its kind, whether it is a stop node, and the level at which
    each way of the walk first reached it. Plain lists of atoms, not an object per node:
    the collector has nothing to trace in them, however many nodes an answer has.
    """

    def __init__(self, db: Database, starts: Sequence[StreamStart], direction: Direction,
                 max_hops: int, stop: Compiled | None = None, include_stops: bool = True,
                 edges: bool = True) -> None:
        self.db = db
        self.starts = starts
        self.directions = ([Direction.DOWNSTREAM, Direction.UPSTREAM]
                           if direction is Direction.BOTH else [direction])
        self.max_hops = max_hops
        self.stop = stop
        self.include_stops = include_stops
        self.edges = edges
        self.seen: dict[str, int] = {}
        self.kind: list[NodeKind] = []
        self.stops: list[bool] = []
        self.up: list[int] = []    # level at which the upstream walk first reached it
        self.down: list[int] = []  # level at which the downstream walk first reached it

    def expands(self, node: int, direction: Direction) -> bool:
        """Whether the walk expands node `node` `direction`-wards (now or later)."""
        level = (self.down if direction is Direction.DOWNSTREAM else self.up)[node]
        return level != NEVER and not self.stops[node] and level < self.max_hops

    def _new(self, node_id: str, kind: NodeKind, stop: bool, up: int, down: int) -> int:
        number = self.seen[node_id] = len(self.seen)
        self.kind.append(kind)
        self.stops.append(stop)
        self.up.append(up)
        self.down.append(down)
        return number

    async def batches(self) -> AsyncIterator[Batch]:
        """The walk's batches: the start nodes first, then one batch per step that
        reaches a node or reports an edge, then the edges of the last pass."""
        first = Batch()
        frontiers: dict[Direction, list[str]] = {}
        up = 0 if Direction.UPSTREAM in self.directions else NEVER
        down = 0 if Direction.DOWNSTREAM in self.directions else NEVER
        for s in self.starts:
            if s.id not in self.seen:
                self._new(s.id, s.kind, False, up, down)
                _add(first, s.id, s.kind, s.type, 0, s.name, s.uri, s.state)
        for direction in self.directions:
            frontiers[direction] = list(self.seen)
        yield first
        for level in range(1, self.max_hops + 1):
            for direction in self.directions:
                frontier, frontiers[direction] = frontiers[direction], []
                for start in range(0, len(frontier), STEP_SLICE):
                    part = frontier[start:start + STEP_SLICE]
                    step = await self.db.read(partial(self._step, direction=direction,
                                                      ids=part, edges=self.edges))
                    batch = self._admit(step, direction, level, frontiers[direction])
                    if batch:
                        yield batch
            if not any(frontiers.values()):
                break
        if self.edges:
            async for batch in self._last_pass():
                yield batch

    async def _step(self, tx: Tx, direction: Direction, ids: Sequence[str],
                    edges: bool = True) -> Step:
        artifacts = [i for i in ids if self.kind[self.seen[i]] is NodeKind.ARTIFACT]
        executions = [i for i in ids if self.kind[self.seen[i]] is NodeKind.EXECUTION]
        if edges:
            return await walks.step(tx, direction, artifacts, executions, self.stop)
        return await walks.nodes(tx, direction, artifacts, executions, self.stop)

    def _admit(self, step: Step, direction: Direction, level: int, nxt: list[str]) -> Batch:
        """The batch of one step: the nodes it reaches first (at `level`), their edges; the
        nodes it reaches first this way go on the way's next frontier `nxt`."""
        batch = Batch()
        seen, ids, stops = self.seen, step.id, step.stop
        levels = self.down if direction is Direction.DOWNSTREAM else self.up
        new: list[int] = []  # the rows of nodes first reached here
        for k, to in enumerate(ids):
            node = seen.get(to)
            if node is None:
                if stops[k] and not self.include_stops:
                    continue
                node = self._new(to, step.kind[k], stops[k], NEVER, NEVER)
                new.append(k)
            if levels[node] == NEVER:
                levels[node] = level
                if not self.stops[node]:
                    nxt.append(to)
            if self.edges:
                self._edge(batch, seen[step.source[k]], node, step.event[k], direction)
        batch.id = [ids[k] for k in new]
        batch.kind = [step.kind[k] for k in new]
        batch.type = [step.type[k] for k in new]
        batch.degree = [level] * len(new)
        batch.name = [step.name[k] for k in new]
        batch.uri = [step.uri[k] for k in new]
        batch.state = [step.state[k] for k in new]
        return batch

    def _edge(self, batch: Batch, frontier: int, reached: int, event: str,
              direction: Direction) -> None:
        """Report the edge between a frontier node and the node its step reached, unless
        another expansion reports it (see the module doc)."""
        if direction is Direction.DOWNSTREAM:  # frontier -> reached
            source, target = frontier, reached
            if (self.expands(target, Direction.UPSTREAM)
                    and self.down[source] > self.up[target] + 1):
                return
        else:  # reached -> frontier
            source, target = reached, frontier
            if self.expands(source, Direction.DOWNSTREAM):
                return
        batch.source.append(source)
        batch.target.append(target)
        batch.event.append(event)

    async def _last_pass(self) -> AsyncIterator[Batch]:
        """The edges between two reached nodes that no expansion crossed: out of the nodes
        not expanded downstream into those not expanded upstream, from the smaller side."""
        sources = {i for i, n in self.seen.items() if not self.expands(n, Direction.DOWNSTREAM)}
        targets = {i for i, n in self.seen.items() if not self.expands(n, Direction.UPSTREAM)}
        if not sources or not targets:
            return
        upstream = len(targets) <= len(sources)
        side, other = (sorted(targets), sources) if upstream else (sorted(sources), targets)
        direction = Direction.UPSTREAM if upstream else Direction.DOWNSTREAM
        for start in range(0, len(side), STEP_SLICE):
            part = side[start:start + STEP_SLICE]
            step = await self.db.read(partial(self._step, direction=direction, ids=part))
            batch = Batch()
            for k, to in enumerate(step.id):
                if to in other:
                    ends = (self.seen[to], self.seen[step.source[k]])
                    source, target = ends if upstream else ends[::-1]
                    batch.source.append(source)
                    batch.target.append(target)
                    batch.event.append(step.event[k])
            if batch:
                yield batch


def _add(batch: Batch, node_id: str, kind: NodeKind, type_: str, degree: int,
         name: str | None, uri: str | None, state: str | None) -> None:
    batch.id.append(node_id)
    batch.kind.append(kind)
    batch.type.append(type_)
    batch.degree.append(degree)
    batch.name.append(name)
    batch.uri.append(uri)
    batch.state.append(state)
