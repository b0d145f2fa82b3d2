"""Property values are checked against the declared type and stored flat on the node.

Key prefixes: `p_` declared native, `ps_` declared STRUCT (JSON), `pp_` declared PROTO
(JSON), `c_` custom native, `cs_` custom map or nested / mixed list (JSON), `cp_` custom
proto value (JSON). `decode` inverts the encoding.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from graph_api.errors import InvalidInput
from graph_api.model.enums import PropertyType
from graph_api.model.values import ProtoValue
from graph_api.store.properties import (
    MAX_STRUCT_BYTES,
    decode,
    encode_custom,
    encode_declared,
    validate_schema_names,
)

FIELD = "input[0].properties"
CUSTOM_FIELD = "input[0].customProperties"


def _declared(ptype: PropertyType, value: Any) -> dict[str, Any]:
    return encode_declared({"x": value}, {"x": ptype}, FIELD)


def _refused(ptype: PropertyType, value: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        _declared(ptype, value)
    assert caught.value.field == f"{FIELD}.x"
    return caught.value


# --- INT ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [0, -7, 2**62])
def test_int_stores_integers_natively(value: int) -> None:
    assert _declared(PropertyType.INT, value) == {"p_x": value}


@pytest.mark.parametrize("value", [True, False])
def test_int_refuses_booleans(value: bool) -> None:
    error = _refused(PropertyType.INT, value)

    assert "expected INT" in error.message
    assert "bool" in error.message


@pytest.mark.parametrize("value", [1.0, 1.5, "1", [1], {"a": 1}])
def test_int_refuses_floats_strings_and_containers(value: Any) -> None:
    _refused(PropertyType.INT, value)


# --- DOUBLE ------------------------------------------------------------------------------------

def test_double_stores_floats_natively() -> None:
    assert _declared(PropertyType.DOUBLE, 0.25) == {"p_x": 0.25}


def test_double_accepts_an_int_and_stores_it_as_float() -> None:
    stored = _declared(PropertyType.DOUBLE, 3)

    assert stored == {"p_x": 3.0}
    assert type(stored["p_x"]) is float


@pytest.mark.parametrize("value", [True, "0.5", [0.5]])
def test_double_refuses_booleans_strings_and_lists(value: Any) -> None:
    _refused(PropertyType.DOUBLE, value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_double_refuses_nan_and_infinity(value: float) -> None:
    error = _refused(PropertyType.DOUBLE, value)

    assert "NaN" in error.message


# --- BOOLEAN / STRING --------------------------------------------------------------------------

@pytest.mark.parametrize("value", [True, False])
def test_boolean_stores_booleans(value: bool) -> None:
    assert _declared(PropertyType.BOOLEAN, value) == {"p_x": value}


@pytest.mark.parametrize("value", [0, 1, "true", 1.0])
def test_boolean_refuses_ints_strings_and_floats(value: Any) -> None:
    _refused(PropertyType.BOOLEAN, value)


@pytest.mark.parametrize("value", ["", "s3://bucket/key", "ünïcødé"])
def test_string_stores_strings(value: str) -> None:
    assert _declared(PropertyType.STRING, value) == {"p_x": value}


@pytest.mark.parametrize("value", [1, True, ["a"], {"a": "b"}])
def test_string_refuses_non_strings(value: Any) -> None:
    _refused(PropertyType.STRING, value)


# --- LIST --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    [],
    [1, 2, 3],
    [0.5, 1.5],
    [1, 2.5, 3],
    ["a", "b"],
    [True, False],
])
def test_list_stores_homogeneous_scalar_lists_natively(value: list[Any]) -> None:
    assert _declared(PropertyType.LIST, value) == {"p_x": value}


@pytest.mark.parametrize("value", [
    [[1, 2]],
    [1, "a"],
    [True, 1],
    [{"a": 1}],
    [None],
    {"a": 1},
    "abc",
    3,
])
def test_list_refuses_nested_mixed_and_map_values(value: Any) -> None:
    error = _refused(PropertyType.LIST, value)

    assert "expected LIST" in error.message


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_list_refuses_nan_and_infinity_items(bad: float) -> None:
    _refused(PropertyType.LIST, [1.0, bad])


# --- STRUCT ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    {"b": 1, "a": [1, {"c": None}]},
    [[1, 2], [3]],
    [1, "mixed", True],
    "plain",
    42,
    {},
])
def test_struct_stores_json_text_under_ps_prefix(value: Any) -> None:
    stored = _declared(PropertyType.STRUCT, value)

    assert list(stored) == ["ps_x"]
    assert isinstance(stored["ps_x"], str)
    assert json.loads(stored["ps_x"]) == value


def test_struct_json_is_canonical_with_sorted_keys() -> None:
    first = _declared(PropertyType.STRUCT, {"b": 1, "a": 2})
    second = _declared(PropertyType.STRUCT, {"a": 2, "b": 1})

    assert first == second
    assert first["ps_x"].index('"a"') < first["ps_x"].index('"b"')


@pytest.mark.parametrize("value", [{"x": math.nan}, [math.inf], {"s": {1, 2}}, {"o": object()}])
def test_struct_refuses_values_that_are_not_json(value: Any) -> None:
    error = _refused(PropertyType.STRUCT, value)

    assert "not a JSON value" in error.message


def test_struct_larger_than_the_cap_is_refused() -> None:
    error = _refused(PropertyType.STRUCT, {"blob": "a" * MAX_STRUCT_BYTES})

    assert str(MAX_STRUCT_BYTES) in error.message


# --- declared: general -------------------------------------------------------------------------

def test_undeclared_property_is_refused_with_its_path() -> None:
    with pytest.raises(InvalidInput) as caught:
        encode_declared({"name": "m"}, {"accuracy": PropertyType.DOUBLE}, FIELD)

    assert caught.value.field == "input[0].properties.name"
    assert "accuracy" in caught.value.message
    assert "custom properties" in caught.value.message


def test_undeclared_property_on_a_type_without_properties_says_none() -> None:
    with pytest.raises(InvalidInput) as caught:
        encode_declared({"name": "m"}, {}, FIELD)

    assert "declared: none" in caught.value.message


def test_declared_none_values_are_not_stored() -> None:
    assert encode_declared({"x": None}, {"x": PropertyType.INT}, FIELD) == {}


def test_declared_properties_of_every_type_encode_together() -> None:
    schema = {
        "n": PropertyType.INT,
        "d": PropertyType.DOUBLE,
        "s": PropertyType.STRING,
        "b": PropertyType.BOOLEAN,
        "l": PropertyType.LIST,
        "st": PropertyType.STRUCT,
    }
    values = {"n": 1, "d": 2, "s": "t", "b": False, "l": [1, 2], "st": {"k": [1]}}

    assert encode_declared(values, schema, FIELD) == {
        "p_n": 1,
        "p_d": 2.0,
        "p_s": "t",
        "p_b": False,
        "p_l": [1, 2],
        "ps_st": '{"k": [1]}',
    }


@pytest.mark.parametrize("name", ["a-b", "1a", "a b", "x`y", ""])
def test_schema_with_a_bad_property_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_schema_names({name: PropertyType.INT}, "type.properties")

    assert caught.value.field == f"type.properties.{name}"


# --- custom ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [1, 0.5, "s", True, [], [1, 2], [1, 2.5], ["a"], [False]])
def test_custom_scalars_and_scalar_lists_are_stored_natively(value: Any) -> None:
    assert encode_custom({"x": value}, CUSTOM_FIELD) == {"c_x": value}


@pytest.mark.parametrize("value", [
    {"a": 1},
    {},
    [[1], [2]],
    [1, "a"],
    [True, 1],
    [{"a": 1}],
    [None],
])
def test_custom_maps_and_nested_or_mixed_lists_are_stored_as_json(value: Any) -> None:
    stored = encode_custom({"x": value}, CUSTOM_FIELD)

    assert list(stored) == ["cs_x"]
    assert json.loads(stored["cs_x"]) == value


@pytest.mark.parametrize("value", [math.nan, math.inf, {"a": math.nan}])
def test_custom_nan_and_infinity_are_refused(value: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        encode_custom({"x": value}, CUSTOM_FIELD)

    assert caught.value.field == f"{CUSTOM_FIELD}.x"


@pytest.mark.parametrize("name", ["a-b", "1a", "a b", "x`y", "", "a" * 129])
def test_custom_property_with_a_bad_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        encode_custom({name: 1}, CUSTOM_FIELD)

    assert caught.value.field == f"{CUSTOM_FIELD}.{name}"


def test_custom_none_values_are_not_stored() -> None:
    assert encode_custom({"x": None}, CUSTOM_FIELD) == {}


# --- decode ------------------------------------------------------------------------------------

ROUND_TRIP_DECLARED: list[tuple[PropertyType, Any]] = [
    (PropertyType.INT, 0),
    (PropertyType.INT, -(2**40)),
    (PropertyType.DOUBLE, 0.1),
    (PropertyType.DOUBLE, -1e300),
    (PropertyType.DOUBLE, 7),
    (PropertyType.STRING, ""),
    (PropertyType.STRING, "with \"quotes\" and {braces}"),
    (PropertyType.BOOLEAN, True),
    (PropertyType.BOOLEAN, False),
    (PropertyType.LIST, []),
    (PropertyType.LIST, [1, 2.5]),
    (PropertyType.LIST, ["a", "b"]),
    (PropertyType.LIST, [True]),
    (PropertyType.STRUCT, {"layers": [{"units": 64}, {"units": 10}], "name": None}),
    (PropertyType.STRUCT, [[1, 2], [3, [4]]]),
    (PropertyType.STRUCT, "just text"),
    (PropertyType.STRUCT, 3.5),
    (PropertyType.STRUCT, True),
    (PropertyType.STRUCT, {}),
]

ROUND_TRIP_CUSTOM: list[Any] = [
    0, -3, 2.5, "", "s", True, False,
    [], [1, 2], [1, 2.5], ["a"], [False, True],
    {}, {"a": {"b": [1, "x", None]}}, [[1], [2, 3]], [1, "a"], [True, 1], [None], [{"k": 1}],
]


@pytest.mark.parametrize(("ptype", "value"), ROUND_TRIP_DECLARED)
def test_decode_inverts_encode_declared(ptype: PropertyType, value: Any) -> None:
    node = {"id": "n1", **encode_declared({"x": value}, {"x": ptype}, FIELD)}

    system, declared, custom = decode(node)

    assert system == {"id": "n1"}
    assert declared == {"x": value}
    assert custom == {}


def test_decoded_double_given_as_int_is_a_float() -> None:
    _, declared, _ = decode(encode_declared({"x": 7}, {"x": PropertyType.DOUBLE}, FIELD))

    assert type(declared["x"]) is float


@pytest.mark.parametrize("value", ROUND_TRIP_CUSTOM)
def test_decode_inverts_encode_custom(value: Any) -> None:
    node = {"id": "n1", **encode_custom({"x": value}, CUSTOM_FIELD)}

    system, declared, custom = decode(node)

    assert system == {"id": "n1"}
    assert declared == {}
    assert custom == {"x": value}
    assert type(custom["x"]) is type(value)


def test_decode_keeps_declared_custom_and_system_fields_apart() -> None:
    schema = {name: ptype for name, (ptype, _) in zip(
        (f"d{i}" for i in range(len(ROUND_TRIP_DECLARED))), ROUND_TRIP_DECLARED, strict=True
    )}
    declared_in = {f"d{i}": value for i, (_, value) in enumerate(ROUND_TRIP_DECLARED)}
    custom_in = {f"c{i}": value for i, value in enumerate(ROUND_TRIP_CUSTOM)}
    system_in = {
        "id": "0190", "externalId": "ext", "type": "Model", "state": "LIVE", "uri": "s3://m",
        "name": "m", "createdAt": 1, "updatedAt": 2,
    }
    # A declared and a custom property may share a name without clashing.
    declared_in["same"] = 1
    schema["same"] = PropertyType.INT
    custom_in["same"] = "custom"

    node = {
        **system_in,
        **encode_declared(declared_in, schema, FIELD),
        **encode_custom(custom_in, CUSTOM_FIELD),
    }

    assert decode(node) == (system_in, declared_in, custom_in)


@pytest.mark.parametrize("value", [[float("nan")], [float("inf"), 1.0], [1, float("-inf")]])
def test_custom_lists_with_nan_or_infinity_are_refused(value: list[Any]) -> None:
    with pytest.raises(InvalidInput, match=r"c\.x"):
        encode_custom({"x": value}, "c")


# --- PROTO -------------------------------------------------------------------------------------

STATS = ProtoValue("type.googleapis.com/tensorflow.metadata.v0.DatasetFeatureStatistics",
                   b"\x00\x01\xffraw")


def test_a_proto_value_is_its_json_form() -> None:
    assert dict(STATS) == {"typeUrl": STATS.type_url, "value": "AAH/cmF3"}
    assert STATS.data == b"\x00\x01\xffraw"
    assert json.loads(json.dumps({"p": STATS})) == {"p": dict(STATS)}


@pytest.mark.parametrize("value", [STATS, ProtoValue("", b"")])
def test_proto_values_are_stored_apart_from_structs_and_decode_as_proto_values(
        value: ProtoValue) -> None:
    node = {"id": "n1", **encode_declared({"x": value}, {"x": PropertyType.PROTO}, FIELD),
            **encode_custom({"x": value}, CUSTOM_FIELD)}

    assert sorted(node) == ["cp_x", "id", "pp_x"]
    _, declared, custom = decode(node)
    for decoded in (declared["x"], custom["x"]):
        assert type(decoded) is ProtoValue
        assert (decoded.type_url, decoded.data) == (value.type_url, value.data)


def test_a_map_shaped_like_a_proto_value_stays_a_custom_struct() -> None:
    _, _, custom = decode(encode_custom({"x": dict(STATS)}, CUSTOM_FIELD))

    assert type(custom["x"]) is dict and custom["x"] == dict(STATS)


def test_a_declared_proto_takes_its_json_form_as_graphql_sends_it() -> None:
    stored = _declared(PropertyType.PROTO, {"typeUrl": "t/x", "value": "YWI="})
    _, declared, _ = decode(stored)

    assert type(declared["x"]) is ProtoValue and declared["x"].data == b"ab"


@pytest.mark.parametrize("value", [
    {"typeUrl": "t/x"}, {"typeUrl": "t/x", "value": "not base64!"},
    {"typeUrl": 1, "value": ""}, {"typeUrl": "t/x", "value": "", "extra": 1}, "t/x", [1],
])
def test_a_declared_proto_refuses_anything_else(value: Any) -> None:
    error = _refused(PropertyType.PROTO, value)

    assert "expected PROTO" in error.message


def test_a_declared_struct_refuses_a_proto_value() -> None:
    error = _refused(PropertyType.STRUCT, STATS)

    assert "expected STRUCT, got a proto value" in error.message
