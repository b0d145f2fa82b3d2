"""The GraphQL documents the SDK sends, and conversion between their JSON and the models.

Inputs go out in the API's camelCase; answers come back as `graph_api.model` objects with
timestamps in milliseconds. Kept apart from the calls so each call reads as "this
document, these variables, that conversion".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph_api.client.models import (
    Artifact,
    ArtifactAndEvent,
    ArtifactInput,
    Context,
    ContextInput,
    Event,
    EventInput,
    EventType,
    Execution,
    ExecutionInput,
    Filter,
    LineageAssociation,
    LineageAttribution,
    LineageEvent,
    NodeKind,
    NodeType,
    OrderBy,
    PropertyType,
    TypeInput,
)

ARTIFACT_FIELDS = ("id externalId typeName typeVersion name uri artifactState: state properties "
                   "customProperties createdAt updatedAt")
EXECUTION_FIELDS = ("id externalId typeName typeVersion name executionState: state properties "
                    "customProperties createdAt updatedAt")
CONTEXT_FIELDS = ("id externalId typeName typeVersion name properties customProperties "
                  "createdAt updatedAt")
TYPE_FIELDS = "id kind name version baseType description properties { name type }"
EVENT_FIELDS = "artifactId executionId type path timestamp"

FIELDS = {NodeKind.ARTIFACT: ARTIFACT_FIELDS, NodeKind.EXECUTION: EXECUTION_FIELDS,
          NodeKind.CONTEXT: CONTEXT_FIELDS}
#: The listing query of each kind, and the name of its input type.
LISTING = {NodeKind.ARTIFACT: "artifacts", NodeKind.EXECUTION: "executions",
           NodeKind.CONTEXT: "contexts"}
INPUT_TYPE = {NodeKind.ARTIFACT: "ArtifactInput", NodeKind.EXECUTION: "ExecutionInput",
              NodeKind.CONTEXT: "ContextInput"}
PUT_NODES = {NodeKind.ARTIFACT: "putArtifacts", NodeKind.EXECUTION: "putExecutions",
             NodeKind.CONTEXT: "putContexts"}
PUT_TYPE = {NodeKind.ARTIFACT: "putArtifactType", NodeKind.EXECUTION: "putExecutionType",
            NodeKind.CONTEXT: "putContextType"}
TYPES = {NodeKind.ARTIFACT: "artifactTypes", NodeKind.EXECUTION: "executionTypes",
         NodeKind.CONTEXT: "contextTypes"}


# -- out ------------------------------------------------------------------------------

def _drop_none(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def node_input(item: ArtifactInput | ExecutionInput | ContextInput) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": item.id, "externalId": item.external_id, "type": item.type,
        "typeVersion": item.type_version, "name": item.name,
        "properties": item.properties or None, "customProperties": item.custom_properties or None,
    }
    if isinstance(item, ArtifactInput):
        row["uri"] = item.uri
        row["state"] = item.state.value
    elif isinstance(item, ExecutionInput):
        row["state"] = item.state.value
    return _drop_none(row)


def type_input(item: TypeInput, can_add_fields: bool, can_omit_fields: bool) -> dict[str, Any]:
    return _drop_none({
        "name": item.name, "version": item.version, "baseType": item.base_type,
        "description": item.description,
        "properties": [{"name": n, "type": t.value} for n, t in item.properties.items()],
        "canAddFields": can_add_fields, "canOmitFields": can_omit_fields,
    })


def event_input(event: EventInput) -> dict[str, Any]:
    row: dict[str, Any] = {"artifactId": event.artifact_id, "executionId": event.execution_id,
                           "type": event.type.value, "path": list(event.path)}
    if event.timestamp is not None:
        row["timestamp"] = datetime.fromtimestamp(event.timestamp / 1000, UTC).isoformat()
    return row


def _millis_text(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()


def lineage_event_input(event: LineageEvent) -> dict[str, Any]:
    row = _drop_none({"artifactIndex": event.artifact_index, "artifactId": event.artifact_id,
                      "executionIndex": event.execution_index,
                      "executionId": event.execution_id, "type": event.type.value})
    if event.path:
        row["path"] = list(event.path)
    if event.timestamp is not None:
        row["timestamp"] = _millis_text(event.timestamp)
    return row


def membership_input(item: LineageAttribution | LineageAssociation) -> dict[str, Any]:
    if isinstance(item, LineageAttribution):
        return _drop_none({"artifactIndex": item.artifact_index, "artifactId": item.artifact_id,
                           "contextIndex": item.context_index, "contextId": item.context_id})
    return _drop_none({"executionIndex": item.execution_index, "executionId": item.execution_id,
                       "contextIndex": item.context_index, "contextId": item.context_id})


def artifact_event_input(item: ArtifactAndEvent) -> dict[str, Any]:
    row: dict[str, Any] = {"event": {"type": item.event_type.value, "path": list(item.path)}}
    if item.artifact is not None:
        row["artifact"] = node_input(item.artifact)
    else:
        row["artifactId"] = item.artifact_id
    return row


def filter_input(where: Filter | None) -> dict[str, Any] | None:
    if where is None:
        return None
    dumped: dict[str, Any] = where.model_dump(by_alias=True, exclude_none=True, mode="json")
    return dumped


def order_input(order: OrderBy) -> dict[str, Any]:
    return {"field": order.field, "descending": order.descending}


# -- in -------------------------------------------------------------------------------

def millis(value: str) -> int:
    """An API DateTime (ISO 8601) as milliseconds since the epoch."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def _common(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "external_id": row.get("externalId"), "type": row["typeName"],
            "type_version": row.get("typeVersion"), "name": row.get("name"),
            "properties": row.get("properties") or {},
            "custom_properties": row.get("customProperties") or {},
            "created_at": millis(row["createdAt"]), "updated_at": millis(row["updatedAt"])}


def artifact(row: dict[str, Any]) -> Artifact:
    return Artifact(**_common(row), uri=row.get("uri"), state=row["artifactState"])


def execution(row: dict[str, Any]) -> Execution:
    return Execution(**_common(row), state=row["executionState"])


def context(row: dict[str, Any]) -> Context:
    return Context(**_common(row))


NODE = {NodeKind.ARTIFACT: artifact, NodeKind.EXECUTION: execution, NodeKind.CONTEXT: context}


def node_type(row: dict[str, Any]) -> NodeType:
    return NodeType(id=row["id"], kind=NodeKind[row["kind"]], name=row["name"],
                    version=row.get("version"), base_type=row.get("baseType"),
                    description=row.get("description"),
                    properties={p["name"]: PropertyType(p["type"]) for p in row["properties"]})


def event(row: dict[str, Any]) -> Event:
    return Event(artifact_id=row["artifactId"], execution_id=row["executionId"],
                 type=EventType(row["type"]), path=row.get("path") or [],
                 timestamp=millis(row["timestamp"]))

