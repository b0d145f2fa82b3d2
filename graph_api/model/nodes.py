"""Artifacts, executions and contexts: what clients send and what the store returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind

PropertyMap = dict[str, Any]


class _NodeInput(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str | None = Field(default=None, description="Set to update an existing node.")
    external_id: str | None = Field(default=None, min_length=1, max_length=1024)
    type: str = Field(min_length=1)
    type_version: str | None = None
    properties: PropertyMap = Field(default_factory=dict)
    custom_properties: PropertyMap = Field(default_factory=dict)
    mlmd_id: int | None = Field(default=None, description=(
        "The int64 id MLMD clients see, when a new node must keep one it had elsewhere "
        "(an import); default: the next of its kind."))


class ArtifactInput(_NodeInput):
    uri: str | None = None
    name: str | None = None
    state: ArtifactState = ArtifactState.UNKNOWN


class ExecutionInput(_NodeInput):
    name: str | None = None
    state: ExecutionState = ExecutionState.UNKNOWN


class ContextInput(_NodeInput):
    name: str = Field(min_length=1)


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    type_version: str | None = None
    external_id: str | None = None
    name: str | None = None
    properties: PropertyMap = Field(default_factory=dict)
    custom_properties: PropertyMap = Field(default_factory=dict)
    created_at: int = Field(description="Milliseconds since the Unix epoch, set by the store.")
    updated_at: int
    mlmd_id: int | None = Field(default=None, description="The int64 id MLMD clients see.")


class Artifact(_Node):
    kind: NodeKind = NodeKind.ARTIFACT
    uri: str | None = None
    state: ArtifactState = ArtifactState.UNKNOWN


class Execution(_Node):
    kind: NodeKind = NodeKind.EXECUTION
    state: ExecutionState = ExecutionState.UNKNOWN


class Context(_Node):
    kind: NodeKind = NodeKind.CONTEXT
    name: str


Node = Artifact | Execution | Context
NodeInput = ArtifactInput | ExecutionInput | ContextInput
