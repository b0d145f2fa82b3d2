"""Events, attributions, associations and parent contexts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph_api.model.enums import EventType

PathStep = str | int


class EventInput(BaseModel):
    """An artifact used (input kinds) or produced (output kinds) by an execution."""

    model_config = ConfigDict(frozen=True)

    artifact_id: str
    execution_id: str
    type: EventType
    path: list[PathStep] = Field(default_factory=list)
    timestamp: int | None = Field(default=None, description="Milliseconds; default: now.")


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    artifact_id: str
    execution_id: str
    type: EventType
    path: list[PathStep] = Field(default_factory=list)
    timestamp: int


class Attribution(BaseModel):
    model_config = ConfigDict(frozen=True)

    artifact_id: str
    context_id: str


class Association(BaseModel):
    model_config = ConfigDict(frozen=True)

    execution_id: str
    context_id: str


class ParentContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    child_id: str
    parent_id: str
