"""What the walk statements return: located nodes and the edges one hop crosses.

A walk runs in one read transaction and addresses the nodes it has reached by their
*handle* (the database's elementId, stable within a transaction): a seek by handle is
cheaper than an index lookup by id. Hops travel as parallel lists, one entry per edge,
so a hop of tens of thousands of edges is a handful of lists rather than as many objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.model.enums import NodeKind


@dataclass(frozen=True, slots=True)
class Located:
    """An artifact, execution or context found by id, with its handle in the walk's
    transaction."""

    id: str
    kind: NodeKind
    type: str
    handle: str


@dataclass(frozen=True, slots=True)
class Hops:
    """The edges one hop crosses from a frontier: entry `i` of every list is edge `i`.

    `source` is the frontier node's handle (or its id, for steps addressed by id), `id`,
    `handle`, `kind` and `type` describe the node reached, `event` is the MLMD event kind
    of the edge, and `stop` says whether the reached node matches the walk's stop filter.
    """

    source: list[str]
    id: list[str]
    handle: list[str]
    kind: list[NodeKind]
    type: list[str]
    event: list[str]
    stop: list[bool]

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class Reach:
    """Every node within a few hops of a frontier with its distance: parallel lists."""

    id: list[str]
    handle: list[str]
    distance: list[int]
    kind: list[NodeKind]
    type: list[str]


@dataclass(frozen=True, slots=True)
class Step:
    """One hop of a walk addressed by id (each step its own transaction): the edges
    crossed, as parallel lists, with what a listing shows of the node reached (name,
    uri, state)."""

    source: list[str]
    id: list[str]
    kind: list[NodeKind]
    type: list[str]
    event: list[str]
    stop: list[bool]
    name: list[str | None]
    uri: list[str | None]
    state: list[str | None]
