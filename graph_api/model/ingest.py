"""Requests and answers of writes that span several node kinds: MLMD's `put_execution`."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph_api.model.enums import EventType
from graph_api.model.nodes import ArtifactInput
from graph_api.model.relations import PathStep


class ArtifactAndEvent(BaseModel):
    """One artifact of a step: a new or updated artifact, or an existing one by id."""

    model_config = ConfigDict(frozen=True)

    artifact: ArtifactInput | None = None
    artifact_id: str | None = None
    event_type: EventType
    path: list[PathStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_artifact(self) -> ArtifactAndEvent:
        if (self.artifact is None) == (self.artifact_id is None):
            raise ValueError("give exactly one of artifact (new or updated) and artifactId")
        return self


@dataclass(frozen=True)
class PutExecutionResult:
    """The ids one `put_execution` wrote or reused, in the order of its request."""

    execution_id: str
    artifact_ids: list[str]
    context_ids: list[str]


@dataclass(frozen=True, slots=True)
class StoredKey:
    """What a batch write needs to know of a stored node it names: its identity and type."""

    id: str
    type: str
    type_version: str | None
    external_id: str | None
    name: str | None = None
