"""GraphQL inputs of the write surface, converted to the domain with `to_domain(where)`.

`where` is the GraphQL path of the value (`input[2]`, `artifactEvents[0].artifact`), so an
error raised while converting — pydantic's or ours — names the argument the client sent:
`input[2].properties: expected a JSON object, got list`. Each input is built straight from
its GraphQL value (`fast_input`): a batch carries thousands.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import strawberry
from pydantic import ValidationError

from graph_api.errors import InvalidInput
from graph_api.graphql.building import fast_input
from graph_api.graphql.enums import ArtifactState, EventType, ExecutionState, PropertyType
from graph_api.graphql.scalars import JSON
from graph_api.model import nodes, relations
from graph_api.model.ingest import (
    ArtifactAndEvent,
    LineageAssociation,
    LineageAttribution,
    LineageEvent,
)
from graph_api.model.types import TypeInput

T = TypeVar("T")

_PROPERTIES = (
    "A JSON object, property name -> value; each value must match the type's declaration "
    '(a PROTO property takes {"typeUrl": ..., "value": <base64>}).')
_CUSTOM = ("A JSON object, property name -> any JSON value; not declared by the type (a "
           "JSON object is a struct, whatever its keys).")
_PATH = ("Where in the execution's inputs or outputs the artifact sits: a list of keys "
         "(strings) and indexes (integers), MLMD's event path.")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def validated(where: str, build: Callable[[], T]) -> T:
    """`build()`, with pydantic's ValidationError turned into `InvalidInput` at `where`."""
    try:
        return build()
    except ValidationError as error:
        first = error.errors()[0]
        path = where
        for part in first["loc"]:
            path += f"[{part}]" if isinstance(part, int) else f".{_camel(str(part))}"
        raise InvalidInput(f"{path}: {first['msg']}", field=path) from None


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list" if isinstance(value, list) else type(value).__name__


def json_object(value: Any, where: str) -> dict[str, Any]:
    """A properties map: a JSON object (absent or null is empty); anything else is refused."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(f"{where}: expected a JSON object, got {_json_kind(value)}",
                           field=where)
    return value


def event_path(steps: list[Any] | None, where: str) -> list[str | int]:
    """An event path: strings and integers only (MLMD's keys and indexes)."""
    out: list[str | int] = []
    for j, step in enumerate(steps or []):
        if isinstance(step, bool) or not isinstance(step, str | int):
            raise InvalidInput(f"{where}[{j}]: a path step is a string or an integer, got "
                               f"{_json_kind(step)}", field=f"{where}[{j}]")
        out.append(step)
    return out


def millis(at: datetime | None) -> int | None:
    """Milliseconds since the epoch; a time without a zone is taken as UTC."""
    if at is None:
        return None
    return int((at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp() * 1000)


# -- types ---------------------------------------------------------------------------------


@fast_input
@strawberry.input(description="One property a type declares.")
class PropertyDeclarationInput:
    name: str = strawberry.field(description="The property's name: letters, digits and '_'.")
    type: PropertyType = strawberry.field(description="The value type it must hold.")


@fast_input
@strawberry.input(description=(
    "A type to register (MLMD put_*_type). (name, version) identifies it. Re-registering "
    "it identically is a no-op; a changed property type is a CONFLICT."))
class TypeDefinitionInput:
    name: str = strawberry.field(description="The type's name.")
    version: str | None = strawberry.field(
        default=None, description="The type's version; types of one name and different "
        "versions are distinct.")
    base_type: str | None = strawberry.field(
        default=None, description="MLMD's base type: DATASET, MODEL, METRICS, STATISTICS "
        "for artifacts; TRAIN, TRANSFORM, PROCESS, EVALUATE, DEPLOY for executions.")
    description: str | None = strawberry.field(
        default=None, description="Free text about the type.")
    properties: list[PropertyDeclarationInput] = strawberry.field(
        default_factory=list, description="The declared property schema.")
    can_add_fields: bool = strawberry.field(
        default=False, description="Accept properties the stored type does not declare yet.")
    can_omit_fields: bool = strawberry.field(
        default=False, description="Accept leaving out properties the stored type declares "
        "(they stay declared).")

    def to_domain(self, where: str) -> TypeInput:
        schema: dict[str, PropertyType] = {}
        for j, p in enumerate(self.properties):
            if p.name in schema:
                raise InvalidInput(f"{where}.properties[{j}].name: {p.name!r} is declared twice",
                                   field=f"{where}.properties[{j}].name")
            schema[p.name] = p.type
        return validated(where, lambda: TypeInput(
            name=self.name, version=self.version, base_type=self.base_type,
            description=self.description, properties=schema))


# -- nodes ---------------------------------------------------------------------------------


@fast_input
@strawberry.input(description=(
    "An artifact to write. With id: replaces that artifact's fields and properties. With "
    "externalId only: creates it, or updates the artifact holding that externalId. With "
    "neither: creates a new artifact."))
class ArtifactInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Id of the artifact to update; NOT_FOUND if none.")
    external_id: str | None = strawberry.field(
        default=None, description="Client-chosen unique id: re-sending it upserts.")
    type: str = strawberry.field(description="Name of a registered artifact type.")
    type_version: str | None = strawberry.field(
        default=None, description="Version of the type, if versioned.")
    uri: str | None = strawberry.field(
        default=None, description="Where the artifact's content lives.")
    name: str | None = strawberry.field(default=None, description="Human-readable name.")
    state: ArtifactState = strawberry.field(
        default=ArtifactState.UNKNOWN, description="The artifact's state.")
    properties: JSON | None = strawberry.field(default=None, description=_PROPERTIES)
    custom_properties: JSON | None = strawberry.field(default=None, description=_CUSTOM)

    def to_domain(self, where: str) -> nodes.ArtifactInput:
        properties = json_object(self.properties, f"{where}.properties")
        custom = json_object(self.custom_properties, f"{where}.customProperties")
        return validated(where, lambda: nodes.ArtifactInput(
            id=self.id, external_id=self.external_id, type=self.type,
            type_version=self.type_version, uri=self.uri, name=self.name, state=self.state,
            properties=properties, custom_properties=custom))


@fast_input
@strawberry.input(description=(
    "An execution to write; id and externalId work as for artifacts."))
class ExecutionInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Id of the execution to update; NOT_FOUND if none.")
    external_id: str | None = strawberry.field(
        default=None, description="Client-chosen unique id: re-sending it upserts.")
    type: str = strawberry.field(description="Name of a registered execution type.")
    type_version: str | None = strawberry.field(
        default=None, description="Version of the type, if versioned.")
    name: str | None = strawberry.field(default=None, description="Human-readable name.")
    state: ExecutionState = strawberry.field(
        default=ExecutionState.UNKNOWN, description="The last known state.")
    properties: JSON | None = strawberry.field(default=None, description=_PROPERTIES)
    custom_properties: JSON | None = strawberry.field(default=None, description=_CUSTOM)

    def to_domain(self, where: str) -> nodes.ExecutionInput:
        properties = json_object(self.properties, f"{where}.properties")
        custom = json_object(self.custom_properties, f"{where}.customProperties")
        return validated(where, lambda: nodes.ExecutionInput(
            id=self.id, external_id=self.external_id, type=self.type,
            type_version=self.type_version, name=self.name, state=self.state,
            properties=properties, custom_properties=custom))


@fast_input
@strawberry.input(description=(
    "A context to write. id and externalId work as for artifacts; without either, the "
    "context is upserted by its unique (type, name)."))
class ContextInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Id of the context to update; NOT_FOUND if none.")
    external_id: str | None = strawberry.field(
        default=None, description="Client-chosen unique id: re-sending it upserts.")
    type: str = strawberry.field(description="Name of a registered context type.")
    type_version: str | None = strawberry.field(
        default=None, description="Version of the type, if versioned.")
    name: str = strawberry.field(description="The context's name, unique within its type.")
    properties: JSON | None = strawberry.field(default=None, description=_PROPERTIES)
    custom_properties: JSON | None = strawberry.field(default=None, description=_CUSTOM)

    def to_domain(self, where: str) -> nodes.ContextInput:
        properties = json_object(self.properties, f"{where}.properties")
        custom = json_object(self.custom_properties, f"{where}.customProperties")
        return validated(where, lambda: nodes.ContextInput(
            id=self.id, external_id=self.external_id, type=self.type,
            type_version=self.type_version, name=self.name,
            properties=properties, custom_properties=custom))


# -- relations -----------------------------------------------------------------------------


@fast_input
@strawberry.input(description=(
    "An event: an artifact read (*_INPUT kinds) or written (*_OUTPUT kinds) by an execution."))
class EventInput:
    artifact_id: strawberry.ID = strawberry.field(description="The artifact's id.")
    execution_id: strawberry.ID = strawberry.field(description="The execution's id.")
    type: EventType = strawberry.field(description="The event's kind.")
    path: list[JSON | None] = strawberry.field(default_factory=list, description=_PATH)
    timestamp: datetime | None = strawberry.field(
        default=None, description="When it happened (UTC if no zone is given); default: now.")

    def to_domain(self, where: str) -> relations.EventInput:
        path = event_path(self.path, f"{where}.path")
        return validated(where, lambda: relations.EventInput(
            artifact_id=self.artifact_id, execution_id=self.execution_id, type=self.type,
            path=path, timestamp=millis(self.timestamp)))


@fast_input
@strawberry.input(description="An artifact's membership of a context (MLMD Attribution).")
class AttributionInput:
    artifact_id: strawberry.ID = strawberry.field(description="The artifact's id.")
    context_id: strawberry.ID = strawberry.field(description="The context's id.")

    def to_domain(self) -> relations.Attribution:
        return relations.Attribution(artifact_id=self.artifact_id, context_id=self.context_id)


@fast_input
@strawberry.input(description="An execution's membership of a context (MLMD Association).")
class AssociationInput:
    execution_id: strawberry.ID = strawberry.field(description="The execution's id.")
    context_id: strawberry.ID = strawberry.field(description="The context's id.")

    def to_domain(self) -> relations.Association:
        return relations.Association(execution_id=self.execution_id,
                                     context_id=self.context_id)


@fast_input
@strawberry.input(description="A child context under a parent context (MLMD ParentContext).")
class ParentContextInput:
    child_id: strawberry.ID = strawberry.field(description="The child context's id.")
    parent_id: strawberry.ID = strawberry.field(description="The parent context's id.")

    def to_domain(self) -> relations.ParentContext:
        return relations.ParentContext(child_id=self.child_id, parent_id=self.parent_id)


# -- putExecution --------------------------------------------------------------------------


@fast_input
@strawberry.input(description="How a step used an artifact: the event's kind and path.")
class StepEventInput:
    type: EventType = strawberry.field(description="The event's kind.")
    path: list[JSON | None] = strawberry.field(default_factory=list, description=_PATH)


@fast_input
@strawberry.input(description=(
    "One artifact of a step: exactly one of artifact (new or updated, written with the "
    "step) and artifactId (an existing artifact), with the event that links it."))
class ArtifactEventInput:
    artifact: ArtifactInput | None = strawberry.field(
        default=None, description="An artifact to write with the step.")
    artifact_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of an existing artifact.")
    event: StepEventInput = strawberry.field(description="How the step used the artifact.")

    def to_domain(self, where: str) -> ArtifactAndEvent:
        artifact = self.artifact.to_domain(f"{where}.artifact") if self.artifact else None
        path = event_path(self.event.path, f"{where}.event.path")
        return validated(where, lambda: ArtifactAndEvent(
            artifact=artifact, artifact_id=self.artifact_id, event_type=self.event.type,
            path=path))


# -- putLineageSubgraph -------------------------------------------------------------------

_INDEX = "Its position in the batch's {} (from 0); give this or {}Id."
_BY_ID = "The id of a stored {}; give this or {}Index."


@fast_input
@strawberry.input(description=(
    "An event of a lineage batch: each end is a node of the batch (by position) or a "
    "stored node (by id)."))
class LineageEventInput:
    artifact_index: int | None = strawberry.field(
        default=None, description=_INDEX.format("artifacts", "artifact"))
    artifact_id: strawberry.ID | None = strawberry.field(
        default=None, description=_BY_ID.format("artifact", "artifact"))
    execution_index: int | None = strawberry.field(
        default=None, description=_INDEX.format("executions", "execution"))
    execution_id: strawberry.ID | None = strawberry.field(
        default=None, description=_BY_ID.format("execution", "execution"))
    type: EventType = strawberry.field(description="The event's kind.")
    path: list[JSON | None] = strawberry.field(default_factory=list, description=_PATH)
    timestamp: datetime | None = strawberry.field(
        default=None, description="When it happened (UTC if no zone is given); default: now.")

    def to_domain(self, where: str) -> LineageEvent:
        path = event_path(self.path, f"{where}.path")
        return validated(where, lambda: LineageEvent(
            artifact_index=self.artifact_index, artifact_id=self.artifact_id,
            execution_index=self.execution_index, execution_id=self.execution_id,
            type=self.type, path=path, timestamp=millis(self.timestamp)))


@fast_input
@strawberry.input(description=(
    "An artifact of a lineage batch in a context (MLMD Attribution); each end by position "
    "or by id."))
class LineageAttributionInput:
    artifact_index: int | None = strawberry.field(
        default=None, description=_INDEX.format("artifacts", "artifact"))
    artifact_id: strawberry.ID | None = strawberry.field(
        default=None, description=_BY_ID.format("artifact", "artifact"))
    context_index: int | None = strawberry.field(
        default=None, description=_INDEX.format("contexts", "context"))
    context_id: strawberry.ID | None = strawberry.field(
        default=None, description=_BY_ID.format("context", "context"))

    def to_domain(self, where: str) -> LineageAttribution:
        return validated(where, lambda: LineageAttribution(
            artifact_index=self.artifact_index, artifact_id=self.artifact_id,
            context_index=self.context_index, context_id=self.context_id))


@fast_input
@strawberry.input(description=(
    "An execution of a lineage batch in a context (MLMD Association); each end by position "
    "or by id."))
class LineageAssociationInput:
    execution_index: int | None = strawberry.field(
        default=None, description=_INDEX.format("executions", "execution"))
    execution_id: strawberry.ID | None = strawberry.field(
        default=None, description=_BY_ID.format("execution", "execution"))
    context_index: int | None = strawberry.field(
        default=None, description=_INDEX.format("contexts", "context"))
    context_id: strawberry.ID | None = strawberry.field(
        default=None, description=_BY_ID.format("context", "context"))

    def to_domain(self, where: str) -> LineageAssociation:
        return validated(where, lambda: LineageAssociation(
            execution_index=self.execution_index, execution_id=self.execution_id,
            context_index=self.context_index, context_id=self.context_id))


# -- states --------------------------------------------------------------------------------


@fast_input
@strawberry.input(description="A new state for one artifact.")
class ArtifactStateInput:
    id: strawberry.ID = strawberry.field(description="The artifact's id.")
    state: ArtifactState = strawberry.field(description="Its new state.")


@fast_input
@strawberry.input(description="A new state for one execution.")
class ExecutionStateInput:
    id: strawberry.ID = strawberry.field(description="The execution's id.")
    state: ExecutionState = strawberry.field(description="Its new state.")
