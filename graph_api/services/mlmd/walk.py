"""MLMD's lineage walk: breadth-first from a start set, one event a hop, against the data
flow (up), along it (down) or both at each hop (MLMD's BIDIRECTIONAL, which also reaches
siblings); the answer is the nodes reached and the events the walk crossed.

Two ways, one answer: over the topology index in memory (`indexed`), or a frontier
expansion in Cypher (`in_cypher`), which also applies MLMD's ending nodes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from graph_api.model.enums import NodeKind
from graph_api.services.topology.index import EVENTS, KIND_CODE, Numbers, Topology
from graph_api.store import mlmd as rows
from graph_api.store.connection import Tx

A, E = NodeKind.ARTIFACT, NodeKind.EXECUTION

#: Which of a frontier's nodes end the walk (they are not expanded).
Ends = Callable[[Tx, NodeKind, set[str]], Awaitable[set[str]]]


@dataclass
class Walked:
    """The nodes a walk reached, by kind (domain ids), and the events it crossed."""

    nodes: dict[NodeKind, set[str]] = field(default_factory=lambda: {A: set(), E: set()})
    crossed: set[rows.EventKey] = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.nodes[A]) + len(self.nodes[E])


class TooLarge(Exception):
    """The walk passed its node cap."""


def indexed(topology: Topology, starts: Sequence[str], start_kind: NodeKind, hops: int, *,
            up: bool, down: bool, cap: int) -> Walked:
    """The walk over the topology index.

    Raises:
        TooLarge: more than `cap` nodes reached.
    """
    walked = Walked()
    walked.nodes[start_kind] = set(starts)
    numbers = topology.numbers_of(list(starts))
    frontier = np.unique(numbers[numbers >= 0]).astype(np.int32)
    seen = np.zeros(topology.size, dtype=bool)
    seen[frontier] = True
    artifact = KIND_CODE[A]
    for _ in range(hops):
        if not frontier.size:
            break
        sources: list[Numbers] = []
        targets: list[Numbers] = []
        events: list[np.ndarray] = []
        reached: list[Numbers] = []
        if down:  # along the arrows: frontier node -> reached
            node, other, event = topology.downstream(frontier)
            sources.append(node)
            targets.append(other)
            events.append(event)
            reached.append(other)
        if up:  # against them: reached -> frontier node
            node, other, event = topology.upstream(frontier)
            sources.append(other)
            targets.append(node)
            events.append(event)
            reached.append(other)
        source, target = np.concatenate(sources), np.concatenate(targets)
        event = np.concatenate(events)
        is_artifact = topology.kinds[source] == artifact
        artifacts = np.where(is_artifact, source, target)
        executions = np.where(is_artifact, target, source)
        keys = set(zip(topology.id_list(artifacts), topology.id_list(executions),
                       (EVENTS[c].value for c in event.tolist()), strict=True))
        walked.crossed |= keys
        nxt = np.unique(np.concatenate(reached))
        nxt = nxt[~seen[nxt]]
        seen[nxt] = True
        frontier = nxt.astype(np.int32)
        for kind in (A, E):
            walked.nodes[kind].update(topology.id_list(frontier[
                topology.kinds[frontier] == KIND_CODE[kind]]))
        if walked.size > cap:
            raise TooLarge
    return walked


async def in_cypher(tx: Tx, starts: Sequence[str], start_kind: NodeKind, hops: int, *,
                    up: bool, down: bool, cap: int, ends: Ends,
                    include_ends: dict[NodeKind, bool]) -> Walked:
    """The walk in Cypher, a round trip a hop; nodes `ends` names are not expanded, and
    are left out of the answer unless `include_ends` says so for their kind.

    Raises:
        TooLarge: more than `cap` nodes reached.
    """
    walked = Walked()
    walked.nodes[start_kind] = set(starts)
    frontier: dict[NodeKind, set[str]] = {A: set(), E: set()}
    frontier[start_kind] = set(starts)
    dropped: dict[NodeKind, set[str]] = {A: set(), E: set()}
    for _ in range(hops):
        if not frontier[A] and not frontier[E]:
            break
        executions, artifacts, crossed = await rows.lineage_step(
            tx, sorted(frontier[A]), sorted(frontier[E]), up=up, down=down)
        walked.crossed |= crossed
        frontier = {A: set(artifacts) - walked.nodes[A], E: set(executions) - walked.nodes[E]}
        for kind in (A, E):
            walked.nodes[kind] |= frontier[kind]
            stop = await ends(tx, kind, frontier[kind])
            frontier[kind] -= stop
            if not include_ends.get(kind, True):
                dropped[kind] |= stop
        if walked.size > cap:
            raise TooLarge
    for kind in (A, E):
        walked.nodes[kind] -= dropped[kind]
    return walked
