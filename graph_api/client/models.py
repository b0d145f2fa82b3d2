"""What the SDK takes and returns: the domain's pydantic models, plus the few the API adds.

Nodes, types, events and filters are `graph_api.model`'s own classes, so code written
against the store in process reads the same against the SDK. Properties are plain Python
values (JSON structs as dicts and lists); timestamps are milliseconds since the epoch.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph_api.model.enums import (
    ArtifactState,
    Direction,
    EventType,
    ExecutionState,
    NodeKind,
    PropertyType,
)
from graph_api.model.filters import Filter, ListOptions, Op, OrderBy
from graph_api.model.ingest import LineageAssociation, LineageAttribution, LineageEvent
from graph_api.model.lineage import LineageEdge, LineageNode
from graph_api.model.nodes import (
    Artifact,
    ArtifactInput,
    Context,
    ContextInput,
    Execution,
    ExecutionInput,
)
from graph_api.model.relations import Association, Attribution, Event, EventInput, ParentContext
from graph_api.model.types import NodeType, TypeInput


class ArtifactAndEvent(BaseModel):
    """One artifact of a step (MLMD's ArtifactAndEvent): a new or updated artifact, or an
    existing one by id, with how the step used it."""

    model_config = ConfigDict(frozen=True)

    artifact: ArtifactInput | None = None
    artifact_id: str | None = None
    event_type: EventType
    path: list[str | int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_artifact(self) -> ArtifactAndEvent:
        if (self.artifact is None) == (self.artifact_id is None):
            raise ValueError("give exactly one of artifact (new or updated) and artifact_id")
        return self


class PutExecutionResult(BaseModel):
    """The ids one `put_execution` wrote or reused, in the order they were given."""

    model_config = ConfigDict(frozen=True)

    execution_id: str
    artifact_ids: list[str]
    context_ids: list[str]


class LineageSubgraphResult(BaseModel):
    """The ids one `put_lineage_subgraph` wrote or reused, in the order they were given."""

    model_config = ConfigDict(frozen=True)

    context_ids: list[str]
    artifact_ids: list[str]
    execution_ids: list[str]


class LineageBatch(BaseModel):
    """The arguments of one `put_lineage_subgraph`, for `put_lineage_subgraphs`: nodes, and
    the events, attributions and associations between them, each end a node of the batch
    (`*_index`: its position in its list) or a stored node (`*_id`)."""

    model_config = ConfigDict(frozen=True)

    contexts: list[ContextInput] = Field(default_factory=list)
    artifacts: list[ArtifactInput] = Field(default_factory=list)
    executions: list[ExecutionInput] = Field(default_factory=list)
    events: list[LineageEvent] = Field(default_factory=list)
    attributions: list[LineageAttribution] = Field(default_factory=list)
    associations: list[LineageAssociation] = Field(default_factory=list)


class LineageSubgraph(BaseModel):
    """MLMD's lineage subgraph: the reached nodes with their degree (hops from the start
    set), the artifacts and executions themselves, and every edge among them."""

    model_config = ConfigDict(frozen=True)

    nodes: list[LineageNode]
    edges: list[LineageEdge]
    artifacts: list[Artifact]
    executions: list[Execution]
    truncated: bool = False


class ImpactContext(BaseModel):
    """A context holding an affected node (`direct`), or an ancestor of one."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    name: str
    degree: int
    direct: bool
    affected_members: int


class Impact(BaseModel):
    """What bad artifacts affect: every node downstream of them and the contexts of those."""

    model_config = ConfigDict(frozen=True)

    nodes: list[LineageNode]
    contexts: list[ImpactContext]
    counts_by_kind: dict[NodeKind, int]
    truncated: bool = False


__all__ = [
    "Artifact",
    "ArtifactAndEvent",
    "ArtifactInput",
    "ArtifactState",
    "Association",
    "Attribution",
    "Context",
    "ContextInput",
    "Direction",
    "Event",
    "EventInput",
    "EventType",
    "Execution",
    "ExecutionInput",
    "ExecutionState",
    "Filter",
    "Impact",
    "ImpactContext",
    "LineageAssociation",
    "LineageAttribution",
    "LineageBatch",
    "LineageEdge",
    "LineageEvent",
    "LineageNode",
    "LineageSubgraph",
    "LineageSubgraphResult",
    "ListOptions",
    "NodeKind",
    "NodeType",
    "Op",
    "OrderBy",
    "ParentContext",
    "PropertyType",
    "PutExecutionResult",
    "TypeInput",
]
