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
    parallel lists `artifact[i]`, `execution[i]`, `event[i]`, whose memberships are
    `member[i]` (artifact or execution ids) held by `context[i]`, whose parent links
    are `child[i]` part of `parent[i]`, and whose writes changed the stored fields of the
    artifacts and executions `updated[i]`."""

    log: LogState
    id: list[str]
    artifact: list[list[str]]
    execution: list[list[str]]
    event: list[list[str]]
    member: list[list[str]]
    context: list[list[str]]
    child: list[list[str]]
    parent: list[list[str]]
    updated: list[list[str]]


@dataclass(frozen=True, slots=True)
class ContextPage:
    """Contexts with their members and parent links, as parallel lists: the contexts
    (`context`, `context_type`); one entry per attribution (`artifact`, `artifact_type`,
    `artifact_context`) and per association (`execution`, ...); one per parent link
    (`child`, `parent`, `parent_type`)."""

    context: list[str]
    context_type: list[str]
    artifact: list[str]
    artifact_type: list[str]
    artifact_context: list[str]
    execution: list[str]
    execution_type: list[str]
    execution_context: list[str]
    child: list[str]
    parent: list[str]
    parent_type: list[str]
