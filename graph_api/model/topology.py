"""What the topology index reads from the graph: pages of edges, and the delta log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LogState:
    """The delta log's epoch (renewed by any deletion: indexes of an older epoch are
    rebuilt) and the id below which its deltas were pruned (None: never pruned). `epoch`
    is None when the log has no epoch node (an empty or wiped graph)."""

    epoch: str | None
    pruned_before: str | None


@dataclass(frozen=True, slots=True)
class EdgePage:
    """INPUT and OUTPUT edges as parallel lists, one entry per edge: the artifact and the
    execution it joins (ids and type names), and the event kind (which gives the edge's
    direction)."""

    artifact: list[str]
    artifact_type: list[str]
    execution: list[str]
    execution_type: list[str]
    event: list[str]

    def __len__(self) -> int:
        return len(self.event)


@dataclass(frozen=True, slots=True)
class DeltaRows:
    """The log's state and the deltas read: delta `i` is `id[i]`, whose edges are the
    parallel lists `artifact[i]`, `execution[i]`, `event[i]`."""

    log: LogState
    id: list[str]
    artifact: list[list[str]]
    execution: list[list[str]]
    event: list[list[str]]
