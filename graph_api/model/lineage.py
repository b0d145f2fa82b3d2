"""Lineage questions and answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.filters import Filter


class LineageRequest(BaseModel):
    """Which part of the graph to walk.

    The start set is the given artifacts and executions, or every artifact and execution
    of `start_context_id`. One hop is one edge (artifact -> execution is one hop, as in
    MLMD). BOTH is the union of the upstream and the downstream closure.
    """

    model_config = ConfigDict(frozen=True)

    start_artifact_ids: list[str] = Field(default_factory=list)
    start_execution_ids: list[str] = Field(default_factory=list)
    start_context_id: str | None = None
    direction: Direction = Direction.BOTH
    max_hops: int | None = Field(default=None, description="Default: the configured default.")
    stop_at: Filter | None = Field(
        default=None, description="Traversal does not continue past a node matching this."
    )
    include_stop_nodes: bool = True
    include_kinds: list[NodeKind] | None = None
    include_types: list[str] | None = None
    max_nodes: int | None = Field(default=None, description="Default: the configured cap.")


class LineageNode(NamedTuple):
    """A node of a lineage answer. `degree`: smallest number of hops from the start set."""

    id: str
    kind: NodeKind
    type: str
    degree: int


class LineageEdge(NamedTuple):
    """An edge in the data-flow direction: INPUT is artifact -> execution, OUTPUT the reverse."""

    source: str
    target: str
    kind: str
    event_type: EventType


@dataclass(frozen=True, slots=True)
class LineageGraph:
    """A lineage answer, in columns: node `i` is `ids[i]`, of `kinds[i]` and `types[i]`, at
    `degrees[i]` hops; edge `j` runs from node `sources[j]` to node `targets[j]` (indexes
    into the node columns, in the data-flow direction) and records an `event_types[j]`
    event. Nodes come nearest first; `truncated` when a node cap cut the answer.

    Answers hold tens of thousands of nodes: a few lists, not an object per node and edge
    (`nodes` and `edges` give those, made on demand).
    """

    ids: list[str] = field(default_factory=list)
    kinds: list[NodeKind] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    degrees: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    event_types: list[EventType] = field(default_factory=list)
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nodes(self) -> list[LineageNode]:
        """The nodes as records, nearest first."""
        return [LineageNode(*n) for n in zip(self.ids, self.kinds, self.types, self.degrees,
                                             strict=True)]

    @property
    def edges(self) -> list[LineageEdge]:
        """The edges as records."""
        ids = self.ids
        return [LineageEdge(ids[s], ids[t], e.relationship, e)
                for s, t, e in zip(self.sources, self.targets, self.event_types, strict=True)]

    def subset(self, keep: Sequence[int]) -> LineageGraph:
        """The answer reduced to the nodes at positions `keep` (in their order) and the
        edges among them."""
        position = {old: new for new, old in enumerate(keep)}
        edges = [j for j, (s, t) in enumerate(zip(self.sources, self.targets, strict=True))
                 if s in position and t in position]
        return LineageGraph(
            [self.ids[i] for i in keep], [self.kinds[i] for i in keep],
            [self.types[i] for i in keep], [self.degrees[i] for i in keep],
            [position[self.sources[j]] for j in edges], [position[self.targets[j]] for j in edges],
            [self.event_types[j] for j in edges], self.truncated)
