"""The filter language compiles to parameterised Cypher, one condition at a time: values
never reach the statement text."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph_api.errors import InvalidInput
from graph_api.model.filters import Filter, Op
from graph_api.store.filters import (
    compile_filter,
    like_to_regex,
)
from tests.unit.compiled_filters import (
    COMPARISONS,
    HOSTILE,
    HOSTILE_PROPERTY,
    assert_parameterised,
)


@pytest.mark.parametrize(("op", "symbol"), COMPARISONS)
def test_comparison_compiles_to_operator_with_value_as_parameter(op: Op, symbol: str) -> None:
    compiled = compile_filter(Filter.where("name", op, HOSTILE))

    assert compiled.expression == f"n.name {symbol} $f0"
    assert compiled.params == {"f0": HOSTILE}


@pytest.mark.parametrize(("op", "keyword"), [
    (Op.CONTAINS, "CONTAINS"),
    (Op.STARTS_WITH, "STARTS WITH"),
    (Op.ENDS_WITH, "ENDS WITH"),
])
def test_string_operator_compiles_to_cypher_keyword_with_parameter(op: Op, keyword: str) -> None:
    compiled = compile_filter(Filter.where("uri", op, HOSTILE))

    assert compiled.expression == f"n.uri {keyword} $f0"
    assert compiled.params == {"f0": HOSTILE}


def test_in_compiles_to_in_list_parameter() -> None:
    compiled = compile_filter(Filter.where("state", Op.IN, [HOSTILE, "LIVE"]))

    assert compiled.expression == "n.state IN $f0"
    assert compiled.params == {"f0": [HOSTILE, "LIVE"]}


def test_like_compiles_to_regex_match_on_a_parameter() -> None:
    compiled = compile_filter(Filter.where("name", Op.LIKE, "model-%"))

    assert compiled.expression == "n.name =~ $f0"
    assert compiled.params == {"f0": like_to_regex("model-%")}


@pytest.mark.parametrize(("op", "expected"), [
    (Op.IS_NULL, "n.externalId IS NULL"),
    (Op.IS_NOT_NULL, "n.externalId IS NOT NULL"),
])
def test_null_tests_take_no_parameter(op: Op, expected: str) -> None:
    compiled = compile_filter(Filter.where("externalId", op))

    assert compiled.expression == expected
    assert compiled.params == {}


@pytest.mark.parametrize("op", [op for op in Op if op not in (Op.IS_NULL, Op.IS_NOT_NULL)])
def test_hostile_value_appears_only_in_params_for_every_operator(op: Op) -> None:
    value: Any = [HOSTILE] if op is Op.IN else HOSTILE
    compiled = compile_filter(Filter.where("name", op, value))

    assert HOSTILE not in compiled.expression
    assert "OR 1=1" not in compiled.expression
    assert "//" not in compiled.expression
    assert len(compiled.params) == 1
    assert_parameterised(compiled)


def test_hostile_value_for_like_is_escaped_inside_the_regex_parameter() -> None:
    compiled = compile_filter(Filter.where("name", Op.LIKE, HOSTILE))

    assert "1=1" not in compiled.expression
    assert re.fullmatch(compiled.params["f0"], HOSTILE)
    assert not re.fullmatch(compiled.params["f0"], "x")


def test_compile_filter_of_none_matches_everything() -> None:
    compiled = compile_filter(None)

    assert compiled.expression == "true"
    assert compiled.params == {}


def test_variable_and_parameter_prefix_are_configurable() -> None:
    compiled = compile_filter(Filter.where("name", Op.EQ, "a"), var="m", prefix="s")

    assert compiled.expression == "m.name = $s0"
    assert compiled.params == {"s0": "a"}


# --- fields -----------------------------------------------------------------------------------

@pytest.mark.parametrize("field", [
    "id", "externalId", "type", "state", "uri", "name", "createdAt", "updatedAt",
])
def test_system_fields_map_to_node_properties_of_the_same_name(field: str) -> None:
    compiled = compile_filter(Filter.where(field, Op.EQ, "v"))

    assert compiled.expression == f"n.{field} = $f0"


def test_declared_property_maps_to_p_prefixed_key() -> None:
    compiled = compile_filter(Filter.where("properties.accuracy", Op.GE, 0.9))

    assert compiled.expression == "n.p_accuracy >= $f0"
    assert compiled.params == {"f0": 0.9}


def test_custom_property_maps_to_c_prefixed_key() -> None:
    compiled = compile_filter(Filter.where("customProperties.owner", Op.EQ, "ana"))

    assert compiled.expression == "n.c_owner = $f0"
    assert compiled.params == {"f0": "ana"}


def test_hostile_property_name_is_refused_naming_the_filter_position() -> None:
    with pytest.raises(InvalidInput) as caught:
        compile_filter(Filter.where(HOSTILE_PROPERTY, Op.EQ, 1))

    assert caught.value.field == "filter"
    assert caught.value.message.startswith("filter:")
    assert "a) DETACH DELETE n //" in caught.value.message


def test_hostile_custom_property_name_inside_and_names_its_position() -> None:
    f = Filter.all_of(
        Filter.where("name", Op.EQ, "ok"),
        Filter.where("customProperties.x`}) DETACH DELETE n //", Op.EQ, 1),
    )

    with pytest.raises(InvalidInput) as caught:
        compile_filter(f)

    assert caught.value.field == "filter[1]"


@pytest.mark.parametrize("field", ["nope", "properties.", "customProperties.", "props.x", ""])
def test_unknown_field_is_refused(field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        compile_filter(Filter.where(field, Op.EQ, 1))

    assert caught.value.field == "filter"
    assert "unknown field" in caught.value.message


def test_where_path_is_used_as_error_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        compile_filter(Filter.where("nope", Op.EQ, 1), where="stopAt")

    assert caught.value.field == "stopAt"


# --- value shape errors ------------------------------------------------------------------------

@pytest.mark.parametrize(("op", "value"), [
    (Op.EQ, None),
    (Op.LT, [1, 2]),
    (Op.GE, {"a": 1}),
    (Op.IN, "LIVE"),
    (Op.CONTAINS, 5),
    (Op.STARTS_WITH, ["a"]),
    (Op.LIKE, 1),
])
def test_value_of_the_wrong_shape_is_refused(op: Op, value: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        compile_filter(Filter.where("name", op, value))

    assert caught.value.field == "filter"


# --- kind and context --------------------------------------------------------------------------

def test_kind_eq_tests_the_label_without_parameters() -> None:
    compiled = compile_filter(Filter.where("kind", Op.EQ, "Artifact"))

    assert compiled.expression == "(n:Artifact)"
    assert compiled.params == {}


def test_kind_in_tests_any_of_the_labels() -> None:
    compiled = compile_filter(Filter.where("kind", Op.IN, ["Artifact", "Context"]))

    assert compiled.expression == "(n:Artifact OR n:Context)"


def test_kind_in_empty_list_matches_nothing() -> None:
    assert compile_filter(Filter.where("kind", Op.IN, [])).expression == "(false)"


def test_kind_ne_negates_the_label_test() -> None:
    compiled = compile_filter(Filter.where("kind", Op.NE, "Execution"))

    assert compiled.expression == "(NOT (n:Execution))"


@pytest.mark.parametrize(("op", "value"), [
    (Op.EQ, "Artifact) DETACH DELETE n //"),
    (Op.EQ, "artifact"),
    (Op.IN, ["Artifact", "Model"]),
    (Op.IN, "Artifact"),
    (Op.LT, "Artifact"),
    (Op.IS_NULL, None),
])
def test_kind_refuses_unknown_kinds_and_other_operators(op: Op, value: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        compile_filter(Filter.where("kind", op, value))

    assert caught.value.field == "filter"


def test_context_eq_is_a_membership_test_with_the_id_as_parameter() -> None:
    compiled = compile_filter(Filter.where("context", Op.EQ, HOSTILE))

    assert compiled.expression == (
        "EXISTS { (n)-[:ATTRIBUTED_TO|ASSOCIATED_WITH]->(:Context {id: $f0}) }"
    )
    assert compiled.params == {"f0": HOSTILE}


def test_context_in_is_a_membership_test_with_the_ids_as_parameter() -> None:
    compiled = compile_filter(Filter.where("context", Op.IN, ["c1", HOSTILE]))

    assert HOSTILE not in compiled.expression
    assert "WHERE c.id IN $f0" in compiled.expression
    assert compiled.params == {"f0": ["c1", HOSTILE]}


@pytest.mark.parametrize(("op", "value"), [
    (Op.NE, "c1"),
    (Op.EQ, 5),
    (Op.IN, ["c1", 2]),
    (Op.IS_NULL, None),
])
def test_context_refuses_other_operators_and_non_string_ids(op: Op, value: Any) -> None:
    with pytest.raises(InvalidInput):
        compile_filter(Filter.where("context", op, value))


