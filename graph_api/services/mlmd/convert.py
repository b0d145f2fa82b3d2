"""MLMD's messages (`metadata_store_pb2`) to the domain's records and back.

MLMD's `Value` keeps its kind (int, double, string, struct, bool); the store keeps native
values (an int stays an int, a float a float) and maps as JSON, so a value comes back in
the kind it was put. Property types and values MLMD has and the store has not (PROTO)
are refused as invalid arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from google.protobuf import json_format  # type: ignore[import-untyped]
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind, PropertyType
from graph_api.model.mlmd import MlmdEvent, MlmdNode
from graph_api.model.nodes import Artifact, Execution, NodeInput
from graph_api.model.relations import PathStep
from graph_api.model.types import NodeType, TypeInput

#: MLMD's Artifact, Execution or Context message (its generated modules carry no types).
NodeMessage: TypeAlias = Any
#: MLMD's ArtifactType, ExecutionType or ContextType message.
TypeMessage: TypeAlias = Any

NODE_MESSAGES: dict[NodeKind, type[NodeMessage]] = {
    NodeKind.ARTIFACT: pb.Artifact, NodeKind.EXECUTION: pb.Execution,
    NodeKind.CONTEXT: pb.Context}
TYPE_MESSAGES: dict[NodeKind, type[TypeMessage]] = {
    NodeKind.ARTIFACT: pb.ArtifactType, NodeKind.EXECUTION: pb.ExecutionType,
    NodeKind.CONTEXT: pb.ContextType}

_PROPERTY_TYPES = {pb.INT: PropertyType.INT, pb.DOUBLE: PropertyType.DOUBLE,
                   pb.STRING: PropertyType.STRING, pb.STRUCT: PropertyType.STRUCT,
                   pb.BOOLEAN: PropertyType.BOOLEAN}
_PROPERTY_ENUMS = {v: k for k, v in _PROPERTY_TYPES.items()}


def kind_of(message: NodeMessage | TypeMessage) -> NodeKind:
    for kind, cls in (*NODE_MESSAGES.items(), *TYPE_MESSAGES.items()):
        if isinstance(message, cls):
            return kind
    raise TypeError(type(message).__name__)


# -- types -------------------------------------------------------------------------------


def type_input(message: TypeMessage, where: str) -> TypeInput:
    """A type to register, from MLMD's message.

    Raises:
        InvalidInput: no name, or a property of a type the store does not keep (PROTO,
            UNKNOWN).
    """
    if not message.name:
        raise InvalidInput(f"{where}.name: a type needs a name", field=f"{where}.name")
    properties: dict[str, PropertyType] = {}
    for name, value in message.properties.items():
        if value not in _PROPERTY_TYPES:
            raise InvalidInput(f"{where}.properties.{name}: property type "
                               f"{pb.PropertyType.Name(value)} is not supported",
                               field=f"{where}.properties.{name}")
        properties[name] = _PROPERTY_TYPES[value]
    base_type = None
    if message.HasField("base_type") and message.base_type:
        base_type = type(message).SystemDefinedBaseType.Name(message.base_type)
    return TypeInput(
        name=message.name,
        version=message.version if message.HasField("version") and message.version else None,
        description=message.description if message.HasField("description") else None,
        external_id=message.external_id if message.external_id else None,
        base_type=base_type,
        properties=properties)


def type_message(stored: NodeType) -> TypeMessage:
    """A stored type as MLMD returns it: with exactly the fields it was put with."""
    message = TYPE_MESSAGES[stored.kind]()
    if stored.mlmd_id is not None:
        message.id = stored.mlmd_id
    message.name = stored.name
    if stored.version is not None:
        message.version = stored.version
    if stored.description is not None:
        message.description = stored.description
    if stored.external_id is not None:
        message.external_id = stored.external_id
    if stored.base_type is not None:
        message.base_type = type(message).SystemDefinedBaseType.Value(stored.base_type)
    for name, value in stored.properties.items():
        if value in _PROPERTY_ENUMS:
            message.properties[name] = _PROPERTY_ENUMS[value]
    return message


# -- values ------------------------------------------------------------------------------


def value_of(value: pb.Value, where: str) -> Any:
    """A property value as the store keeps it.

    Raises:
        InvalidInput: an unset value or a proto value.
    """
    which = value.WhichOneof("value")
    if which == "struct_value":
        return json_format.MessageToDict(value.struct_value)
    if which in ("int_value", "double_value", "string_value", "bool_value"):
        return getattr(value, which)
    raise InvalidInput(f"{where}: {'a proto value is' if which else 'no value is'} not "
                       "supported", field=where)


def set_value(target: pb.Value, value: Any) -> bool:
    """Fill MLMD's `Value`; False for a stored value MLMD cannot hold (a list)."""
    if isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, int):
        target.int_value = value
    elif isinstance(value, float):
        target.double_value = value
    elif isinstance(value, str):
        target.string_value = value
    elif isinstance(value, dict):
        json_format.ParseDict(value, target.struct_value)
    else:
        return False
    return True


def properties_of(values: Mapping[str, pb.Value], where: str) -> dict[str, Any]:
    """Property values as the store keeps them.

    Raises:
        InvalidInput: a value without a kind (MLMD's own message, which clients match),
            or a proto value.
    """
    for name, value in values.items():
        if value.WhichOneof("value") is None:
            raise InvalidInput(f"Found unmatched property type: {name}",
                               field=f"{where}.{name}")
    return {name: value_of(v, f"{where}.{name}") for name, v in values.items()}


# -- nodes -------------------------------------------------------------------------------


def node_message(found: MlmdNode) -> NodeMessage:
    """A stored node as MLMD returns it, with its type's name and id."""
    node = found.node
    message = NODE_MESSAGES[node.kind]()
    if node.mlmd_id is not None:
        message.id = node.mlmd_id
    if found.type_id is not None:
        message.type_id = found.type_id
    message.type = node.type
    if node.name is not None:
        message.name = node.name
    if node.external_id is not None:
        message.external_id = node.external_id
    for name, value in node.properties.items():
        if not set_value(message.properties[name], value):
            del message.properties[name]
    for name, value in node.custom_properties.items():
        if not set_value(message.custom_properties[name], value):
            del message.custom_properties[name]
    message.create_time_since_epoch = node.created_at
    message.last_update_time_since_epoch = node.updated_at
    if isinstance(node, Artifact):
        assert isinstance(message, pb.Artifact)
        if node.uri is not None:
            message.uri = node.uri
        if node.state.value != "UNKNOWN":
            message.state = pb.Artifact.State.Value(node.state.value)
    elif isinstance(node, Execution):
        assert isinstance(message, pb.Execution)
        if node.state.value != "UNKNOWN":
            message.last_known_state = pb.Execution.State.Value(node.state.value)
    return message


def node_fields(message: NodeMessage, where: str) -> dict[str, Any]:
    """The fields of an MLMD node message that are set, as `NodeInput` keywords (without
    `type`, which the caller resolves from `type_id`)."""
    fields: dict[str, Any] = {}
    if message.HasField("name") and message.name:
        fields["name"] = message.name
    if message.HasField("external_id") and message.external_id:
        fields["external_id"] = message.external_id
    fields["properties"] = properties_of(message.properties, f"{where}.properties")
    fields["custom_properties"] = properties_of(message.custom_properties,
                                                f"{where}.custom_properties")
    if isinstance(message, pb.Artifact):
        if message.HasField("uri"):
            fields["uri"] = message.uri
        if message.HasField("state"):
            fields["state"] = pb.Artifact.State.Name(message.state)
    elif isinstance(message, pb.Execution) and message.HasField("last_known_state"):
        fields["state"] = pb.Execution.State.Name(message.last_known_state)
    return fields


def masked_fields(stored: NodeInput, message: NodeMessage, paths: list[str],
                  where: str) -> dict[str, Any]:
    """A stored node's fields with those `paths` name taken from `message` (MLMD's
    `update_mask`): a field path, `properties` / `custom_properties` whole, or one of
    their keys; unknown paths are ignored, as MLMD does."""
    fields = stored.model_dump(exclude={"id", "type", "type_version", "mlmd_id"})
    given = node_fields(message, where)
    for path in paths:
        head, _, key = path.partition(".")
        if head in ("properties", "custom_properties"):
            if not key:
                fields[head] = given[head]
            elif key in given[head]:
                fields[head] = {**fields[head], key: given[head][key]}
            else:
                fields[head] = {k: v for k, v in fields[head].items() if k != key}
        elif head in ("name", "external_id", "uri", "state") and head in fields:
            fields[head] = given.get(head)
        elif head == "last_known_state" and "state" in fields:
            fields["state"] = given.get("state")
    return {k: v for k, v in fields.items() if v is not None}


# -- events ------------------------------------------------------------------------------


def path_of(event: pb.Event) -> list[PathStep]:
    steps: list[PathStep] = []
    for step in event.path.steps:
        steps.append(step.index if step.WhichOneof("value") == "index" else step.key)
    return steps


def event_message(event: MlmdEvent) -> pb.Event:
    message = pb.Event(artifact_id=event.artifact_id, execution_id=event.execution_id,
                       type=pb.Event.Type.Value(event.kind),
                       milliseconds_since_epoch=event.timestamp)
    for step in event.path:
        if isinstance(step, int):
            message.path.steps.add().index = step
        else:
            message.path.steps.add().key = step
    return message


def event_kind(event: pb.Event, where: str) -> str:
    """The event's kind by name.

    Raises:
        InvalidInput: the type is unset (UNKNOWN).
    """
    if event.type == pb.Event.UNKNOWN:
        raise InvalidInput(f"{where}.type: an event needs a type", field=f"{where}.type")
    return str(pb.Event.Type.Name(event.type))
