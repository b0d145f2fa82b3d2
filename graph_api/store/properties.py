"""How property values live on a node, and how they are checked against a type's schema.

User properties are flattened onto the node so they can be indexed and filtered. Keys
carry a fixed prefix that keeps declared and custom properties apart and tells how the
value is stored:

===========  ==========================================  =====================
prefix       holds                                        stored as
===========  ==========================================  =====================
``p_``       declared INT, DOUBLE, STRING, BOOLEAN, LIST  the native value
``ps_``      declared STRUCT                              JSON text
``pp_``      declared PROTO                               JSON text
``c_``       custom scalar or list of scalars             the native value
``cs_``      custom map or nested / mixed list            JSON text
``cp_``      custom proto value                           JSON text
===========  ==========================================  =====================

So a node's map decodes without its type; the type is needed only to validate writes.
A proto value (MLMD's `proto_value`, a `ProtoValue`) is stored as its JSON form,
`{"typeUrl": ..., "value": <base64>}`, under its own prefix: a map of the same shape is a
STRUCT, and each comes back as the kind it was put.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from graph_api.errors import InvalidInput
from graph_api.model.enums import PropertyType
from graph_api.model.values import ProtoValue
from graph_api.store.identifiers import is_valid_name

DECLARED = "p_"
DECLARED_STRUCT = "ps_"
DECLARED_PROTO = "pp_"
CUSTOM = "c_"
CUSTOM_STRUCT = "cs_"
CUSTOM_PROTO = "cp_"
#: `decode`'s lookups: which side (0 properties, 1 custom properties) a key's head names,
#: and, for a value stored as JSON text, whether it is a proto value.
_SCALAR_HEAD, _JSON_HEAD = len(DECLARED), len(DECLARED_STRUCT)
_SCALAR_SIDE = {DECLARED: 0, CUSTOM: 1}
_JSON_SIDE = {DECLARED_STRUCT: (0, False), CUSTOM_STRUCT: (1, False),
              DECLARED_PROTO: (0, True), CUSTOM_PROTO: (1, True)}
assert len(CUSTOM) == _SCALAR_HEAD
assert {len(head) for head in _JSON_SIDE} == {_JSON_HEAD}

MAX_STRUCT_BYTES = 1_000_000


def declared_key(name: str) -> str:
    return DECLARED + name


def custom_key(name: str) -> str:
    return CUSTOM + name


def _scalar_kind(value: Any) -> type | None:
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    if isinstance(value, str):
        return str
    return None


def _is_scalar_list(value: Any) -> bool:
    if not isinstance(value, list):
        return False
    kinds = {_scalar_kind(item) for item in value}
    if None in kinds:
        return False
    return len(kinds) <= 1 or kinds == {int, float}


def _json(value: Any, field: str) -> str:
    try:
        text = json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"{field}: not a JSON value ({error})", field=field) from None
    if len(text) > MAX_STRUCT_BYTES:
        raise InvalidInput(f"{field}: larger than {MAX_STRUCT_BYTES} bytes as JSON", field=field)
    return text


def _proto_json(value: Any, field: str) -> str:
    """A proto value (or its JSON form, as GraphQL sends it) as the JSON text stored."""
    try:
        proto = ProtoValue.from_json(value)
    except ValueError as error:
        raise InvalidInput(f"{field}: expected PROTO ({error}), got {_kind_name(value)}",
                           field=field) from None
    return _json(dict(proto), field)


def _kind_name(value: Any) -> str:
    if isinstance(value, ProtoValue):
        return "a proto value"
    return "list" if isinstance(value, list) else "map" if isinstance(value, dict) else (
        type(value).__name__
    )


def _check_name(name: str, field: str) -> None:
    if not is_valid_name(name):
        raise InvalidInput(
            f"{field}: property name {name!r} must be letters, digits and '_', "
            "not starting with a digit",
            field=field,
        )


def _check_float(value: float, field: str) -> None:
    if math.isnan(value) or math.isinf(value):
        raise InvalidInput(f"{field}: NaN and infinity are not stored", field=field)


def encode_declared(
    values: Mapping[str, Any], schema: Mapping[str, PropertyType], field: str
) -> dict[str, Any]:
    """Check `values` against `schema`; return them as prefixed node properties.

    Raises:
        InvalidInput: a property is undeclared or its value has the wrong type; the
            message names `field.<property>`.
    """
    out: dict[str, Any] = {}
    for name, value in values.items():
        where = f"{field}.{name}"
        if name not in schema:
            declared = ", ".join(sorted(schema)) or "none"
            raise InvalidInput(
                f"{where}: property is not declared by the type (declared: {declared}); "
                "use custom properties for undeclared values",
                field=where,
            )
        if value is None:
            continue
        expected = schema[name]
        if expected is PropertyType.PROTO:
            out[DECLARED_PROTO + name] = _proto_json(value, where)
            continue
        # A proto value is a dict, but a STRUCT would give it back as a struct.
        if expected is PropertyType.STRUCT and not isinstance(value, ProtoValue):
            out[DECLARED_STRUCT + name] = _json(value, where)
            continue
        out[DECLARED + name] = _coerce(value, expected, where)
    return out


def _coerce(value: Any, expected: PropertyType, where: str) -> Any:
    kind = _scalar_kind(value)
    if expected is PropertyType.INT and kind is int:
        return value
    if expected is PropertyType.DOUBLE and kind in (int, float):
        _check_float(float(value), where)
        return float(value)
    if expected is PropertyType.STRING and kind is str:
        return value
    if expected is PropertyType.BOOLEAN and kind is bool:
        return value
    if expected is PropertyType.LIST and _is_scalar_list(value):
        for item in value:
            if isinstance(item, float):
                _check_float(item, where)
        return value
    got = _kind_name(value)
    hint = " (a LIST holds scalars of one type; use STRUCT for anything else)" if (
        expected is PropertyType.LIST
    ) else ""
    raise InvalidInput(f"{where}: expected {expected.value}, got {got}{hint}", field=where)


def encode_custom(values: Mapping[str, Any], field: str) -> dict[str, Any]:
    """Custom properties: any JSON value, or a proto value; scalars and scalar lists stay
    native."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        where = f"{field}.{name}"
        _check_name(name, where)
        if value is None:
            continue
        if isinstance(value, ProtoValue):
            out[CUSTOM_PROTO + name] = _json(dict(value), where)
        elif _scalar_kind(value) is not None or _is_scalar_list(value):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, float):
                    _check_float(item, where)
            out[CUSTOM + name] = value
        else:
            out[CUSTOM_STRUCT + name] = _json(value, where)
    return out


def validate_schema_names(schema: Mapping[str, PropertyType], field: str) -> None:
    for name in schema:
        _check_name(name, f"{field}.{name}")


def decode(node: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Split a stored node map into (system fields, properties, custom properties)."""
    system: dict[str, Any] = {}
    parts: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    # A lookup by a key's head, not a test per prefix: every node of an answer comes here.
    for key, value in node.items():
        side = _SCALAR_SIDE.get(key[:_SCALAR_HEAD])
        if side is not None:
            parts[side][key[_SCALAR_HEAD:]] = value
            continue
        stored_as_json = _JSON_SIDE.get(key[:_JSON_HEAD])
        if stored_as_json is not None:
            side, proto = stored_as_json
            loaded = json.loads(value)
            parts[side][key[_JSON_HEAD:]] = ProtoValue.from_json(loaded) if proto else loaded
            continue
        system[key] = value
    return system, parts[0], parts[1]
