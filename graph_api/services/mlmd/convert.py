"""MLMD's messages (`metadata_store_pb2`) to the domain's records and back.

MLMD's `Value` keeps its kind (int, double, string, struct, proto, bool); the store keeps
native values (an int stays an int, a float a float), structs as JSON and proto values as
`ProtoValue`s (type URL and bytes), so a value comes back in the kind it was put. What
JSON cannot hold (NaN and infinity, in a double or a struct) is refused as an invalid
argument, as is a value whose kind is not its declared property type (MLMD's check).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any, TypeAlias

from google.protobuf import json_format  # type: ignore[import-untyped]
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind, PropertyType
from graph_api.model.mlmd import MlmdEvent, MlmdNode
from graph_api.model.nodes import Artifact, Execution, Node, NodeInput
from graph_api.model.relations import PathStep
from graph_api.model.types import NodeType, TypeInput
from graph_api.model.values import ProtoValue

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
                   pb.PROTO: PropertyType.PROTO, pb.BOOLEAN: PropertyType.BOOLEAN}
_PROPERTY_ENUMS = {v: k for k, v in _PROPERTY_TYPES.items()}
#: The `Value` field each declared type takes (LIST, the GraphQL API's own, takes none).
_VALUE_FIELDS = {PropertyType.INT: "int_value", PropertyType.DOUBLE: "double_value",
                 PropertyType.STRING: "string_value", PropertyType.STRUCT: "struct_value",
                 PropertyType.PROTO: "proto_value", PropertyType.BOOLEAN: "bool_value"}


def kind_of(message: NodeMessage | TypeMessage) -> NodeKind:
    for kind, cls in (*NODE_MESSAGES.items(), *TYPE_MESSAGES.items()):
        if isinstance(message, cls):
            return kind
    raise TypeError(type(message).__name__)


# -- types -------------------------------------------------------------------------------


def type_input(message: TypeMessage, where: str) -> TypeInput:
    """A type to register, from MLMD's message.

    Raises:
        InvalidInput: no name, or a property of type UNKNOWN.
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
    """A property value as the store keeps it: a struct as its JSON value, a proto value
    as a `ProtoValue` (its type URL and bytes, as given).

    Raises:
        InvalidInput: an unset value; a double or a struct holding NaN or infinity (the
            store keeps JSON, which has neither).
    """
    which = value.WhichOneof("value")
    if which == "struct_value":
        try:
            return _whole_numbers(json_format.MessageToDict(value.struct_value))
        except ValueError:
            # json_format refuses NaN and infinity in a Struct: JSON cannot write them.
            raise InvalidInput(f"{where}: a struct_value holding NaN or infinity is not "
                               "stored (structs are kept as JSON)", field=where) from None
    if which == "proto_value":
        return ProtoValue(value.proto_value.type_url, value.proto_value.value)
    if which == "double_value" and not math.isfinite(value.double_value):
        raise InvalidInput(f"{where}: a double_value of NaN or infinity is not stored",
                           field=where)
    if which in ("int_value", "double_value", "string_value", "bool_value"):
        return getattr(value, which)
    raise InvalidInput(f"{where}: no value is set", field=where)


#: Doubles up to this magnitude are integers exactly.
_EXACT_INT = 2**53


def _whole_numbers(value: Any) -> Any:
    """A struct's JSON value with whole numbers as ints: a Struct's numbers are doubles, so
    `[64]` would read `[64.0]` in the API, unlike the same value written through GraphQL.
    The double is unchanged (an int below 2**53 is one exactly); -0.0 stays a float, whose
    sign an int would lose."""
    if isinstance(value, float):
        negative_zero = value == 0 and math.copysign(1.0, value) < 0
        if value.is_integer() and abs(value) <= _EXACT_INT and not negative_zero:
            return int(value)
        return value
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    return value


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
    elif isinstance(value, ProtoValue):  # before dict: a ProtoValue is one
        # SetInParent: an empty Any (no type URL, no bytes) is still a proto_value.
        target.proto_value.SetInParent()
        target.proto_value.type_url = value.type_url
        target.proto_value.value = value.data
    elif isinstance(value, dict):
        target.struct_value.SetInParent()
        json_format.ParseDict(value, target.struct_value)
    else:
        return False
    return True


def check_declared_kinds(values: Mapping[str, pb.Value], declared: Mapping[str, PropertyType],
                         where: str, names: Collection[str] | None = None) -> None:
    """Refuse, as MLMD does, a value whose kind is not its property's declared type (an
    `int_value` for a DOUBLE would come back a `double_value`).

    Args:
        values: a node message's `properties`.
        declared: its type's declared properties; undeclared names are left to the store.
        where: the field path of `values`, for the message.
        names: the properties written (an update mask's), default all.

    Raises:
        InvalidInput: MLMD's `Found unmatched property type: NAME`, which clients match,
            then which kind the type declares and which was given.
    """
    for name, value in values.items():
        if name not in declared or (names is not None and name not in names):
            continue
        expected = _VALUE_FIELDS.get(declared[name])
        given = value.WhichOneof("value")
        if expected is not None and given is not None and given != expected:
            raise InvalidInput(f"Found unmatched property type: {name} ({where}.{name}: the "
                               f"type declares {declared[name].value}, which takes "
                               f"{expected}; given {given})", field=f"{where}.{name}")


def properties_of(values: Mapping[str, pb.Value], where: str) -> dict[str, Any]:
    """Property values as the store keeps them.

    Raises:
        InvalidInput: a value without a kind (MLMD's own message, which clients match),
            or one the store cannot keep (see `value_of`).
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


def dump_node(node: Node | NodeInput, exclude: set[str]) -> dict[str, Any]:
    """A node's fields as `model_dump` gives them, but with its property values as they
    are: a dump would turn a `ProtoValue` into a plain map, which the store then keeps as
    a struct."""
    fields = node.model_dump(exclude=exclude | {"properties", "custom_properties"})
    fields["properties"] = dict(node.properties)
    fields["custom_properties"] = dict(node.custom_properties)
    return fields


def masked_fields(stored: NodeInput, message: NodeMessage, paths: list[str],
                  where: str) -> dict[str, Any]:
    """A stored node's fields with those `paths` name taken from `message` (MLMD's
    `update_mask`): a field path, `properties` / `custom_properties` whole, or one of
    their keys; unknown paths are ignored, as MLMD does."""
    fields = dump_node(stored, exclude={"id", "type", "type_version", "mlmd_id"})
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
