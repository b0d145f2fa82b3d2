"""Requests and answers of writes that span several node kinds: MLMD's `put_execution` and
`put_lineage_subgraph`."""

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


def _one_of(index: int | None, ident: str | None, names: str) -> None:
    if (index is None) == (ident is None):
        index_name, ident_name = names.split()
        raise ValueError(f"give exactly one of {index_name} (a position in the batch) and "
                         f"{ident_name} (a stored node)")


class LineageEvent(BaseModel):
    """An event of a lineage batch: each end is a node of the batch, by its position in
    the batch's list of its kind, or a stored node, by id."""

    model_config = ConfigDict(frozen=True)

    artifact_index: int | None = None
    artifact_id: str | None = None
    execution_index: int | None = None
    execution_id: str | None = None
    type: EventType
    path: list[PathStep] = Field(default_factory=list)
    timestamp: int | None = Field(default=None, description="Milliseconds; default: now.")

    @model_validator(mode="after")
    def _ends(self) -> LineageEvent:
        _one_of(self.artifact_index, self.artifact_id, "artifactIndex artifactId")
        _one_of(self.execution_index, self.execution_id, "executionIndex executionId")
        return self


class LineageAttribution(BaseModel):
    """An artifact in a context; each end by position in the batch or by id."""

    model_config = ConfigDict(frozen=True)

    artifact_index: int | None = None
    artifact_id: str | None = None
    context_index: int | None = None
    context_id: str | None = None

    @model_validator(mode="after")
    def _ends(self) -> LineageAttribution:
        _one_of(self.artifact_index, self.artifact_id, "artifactIndex artifactId")
        _one_of(self.context_index, self.context_id, "contextIndex contextId")
        return self


class LineageAssociation(BaseModel):
    """An execution in a context; each end by position in the batch or by id."""

    model_config = ConfigDict(frozen=True)

    execution_index: int | None = None
    execution_id: str | None = None
    context_index: int | None = None
    context_id: str | None = None

    @model_validator(mode="after")
    def _ends(self) -> LineageAssociation:
        _one_of(self.execution_index, self.execution_id, "executionIndex executionId")
        _one_of(self.context_index, self.context_id, "contextIndex contextId")
        return self


@dataclass(frozen=True)
class LineageSubgraphResult:
    """The ids one lineage batch wrote or reused, in the order of its lists."""

    context_ids: list[str]
    artifact_ids: list[str]
    execution_ids: list[str]


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
