"""Lineage questions and answers."""

from __future__ import annotations

from dataclasses import dataclass
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
    """A node of a lineage answer. `degree`: smallest number of hops from the start set.

    Answers hold tens of thousands of these; named tuples keep building them cheap.
    """

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
    nodes: list[LineageNode]
    edges: list[LineageEdge]
    truncated: bool = False
