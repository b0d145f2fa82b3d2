"""Artifact, execution and context types with their declared property schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph_api.model.enums import NodeKind, PropertyType


class TypeInput(BaseModel):
    """A type to register. `(name, version)` identifies it; `version` may be omitted."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=256)
    version: str | None = Field(default=None, max_length=128)
    base_type: str | None = None
    description: str | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=1024)
    properties: dict[str, PropertyType] = Field(default_factory=dict)
    mlmd_id: int | None = Field(default=None, description=(
        "The int64 id MLMD clients see, when a new type must keep one it had elsewhere (an "
        "import); default: the next of the types' sequence."))


class NodeType(BaseModel):
    """A stored type."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: NodeKind
    name: str
    version: str | None = None
    base_type: str | None = None
    description: str | None = None
    external_id: str | None = None
    mlmd_id: int | None = Field(default=None, description="The int64 id MLMD clients see.")
    properties: dict[str, PropertyType] = Field(default_factory=dict)
