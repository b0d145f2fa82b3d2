"""The filter language compiles to parameterised Cypher: values never reach the statement text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from graph_api.errors import InvalidInput
from graph_api.model.filters import Filter, Op, OrderBy
from graph_api.store.filters import (
    MAX_CONDITIONS,
    MAX_DEPTH,
    Compiled,
    compile_filter,
    like_to_regex,
    ordering,
)

HOSTILE = "x' OR 1=1 //"
HOSTILE_PROPERTY = "properties.a) DETACH DELETE n //"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _referenced_params(compiled: Compiled) -> set[str]:
    return set(_PARAM.findall(compiled.expression))


def _assert_parameterised(compiled: Compiled, prefix: str = "f") -> None:
    """Every `$name` in the text is a parameter, every parameter is used, names are `$<prefix><n>`."""
    assert _referenced_params(compiled) == set(compiled.params)
    for name in compiled.params:
        assert re.fullmatch(rf"{prefix}\d+", name), name


# --- one condition per operator ------------------------------------------------------------

COMPARISONS = [
    (Op.EQ, "="),
    (Op.NE, "<>"),
    (Op.LT, "<"),
    (Op.LE, "<="),
    (Op.GT, ">"),
    (Op.GE, ">="),
]


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
    _assert_parameterised(compiled)


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


# --- and / or / not ----------------------------------------------------------------------------

def test_nested_and_or_not_compile_with_parameters_numbered_in_order() -> None:
    f = Filter.all_of(
        Filter.any_of(Filter.where("name", Op.EQ, "a"), Filter.where("uri", Op.STARTS_WITH, "s3:")),
        Filter.negate(Filter.where("state", Op.EQ, "DELETED")),
    )

    compiled = compile_filter(f)

    assert compiled.expression == (
        "((n.name = $f0 OR n.uri STARTS WITH $f1) AND (NOT n.state = $f2))"
    )
    assert compiled.params == {"f0": "a", "f1": "s3:", "f2": "DELETED"}


def test_empty_and_matches_everything_and_empty_or_matches_nothing() -> None:
    assert compile_filter(Filter.all_of()).expression == "true"
    assert compile_filter(Filter.any_of()).expression == "false"


def test_filter_parses_from_json_with_and_or_not_aliases() -> None:
    f = Filter.model_validate({
        "or": [
            {"field": "name", "op": "EQ", "value": "a"},
            {"not": {"field": "kind", "op": "EQ", "value": "Context"}},
        ],
    })

    assert compile_filter(f).expression == "(n.name = $f0 OR (NOT (n:Context)))"


def _nested_nots(levels: int) -> Filter:
    f = Filter.where("name", Op.EQ, "a")
    for _ in range(levels):
        f = Filter.negate(f)
    return f


def test_filters_nested_to_the_maximum_depth_compile() -> None:
    compiled = compile_filter(_nested_nots(MAX_DEPTH))

    assert compiled.expression.count("NOT") == MAX_DEPTH


def test_filters_nested_deeper_than_the_maximum_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        compile_filter(_nested_nots(MAX_DEPTH + 1))

    assert str(MAX_DEPTH) in caught.value.message


def test_maximum_number_of_conditions_compiles() -> None:
    f = Filter.all_of(*[Filter.where("name", Op.EQ, str(i)) for i in range(MAX_CONDITIONS)])

    compiled = compile_filter(f)

    assert len(compiled.params) == MAX_CONDITIONS
    _assert_parameterised(compiled)


def test_more_conditions_than_the_cap_are_refused_even_when_spread_over_branches() -> None:
    half = MAX_CONDITIONS // 2 + 1
    branch = [Filter.where("name", Op.EQ, str(i)) for i in range(half)]
    f = Filter.any_of(Filter.all_of(*branch), Filter.all_of(*branch))

    with pytest.raises(InvalidInput) as caught:
        compile_filter(f)

    assert str(MAX_CONDITIONS) in caught.value.message


# --- LIKE --------------------------------------------------------------------------------------

LIKE_CASES: list[tuple[str, list[str], list[str]]] = [
    # pattern, matches, does not match
    ("model%", ["model", "model-v2", "model\nline"], ["a model", "mode"]),
    ("%.csv", ["data.csv", ".csv"], ["data.csv.gz", "dataxcsv"]),
    ("a_c", ["abc", "a_c", "a\nc"], ["ac", "abbc"]),
    ("100\\%", ["100%"], ["100", "1000", "100%x"]),
    ("a\\_b", ["a_b"], ["axb", "ab"]),
    ("a\\\\b", ["a\\b"], ["ab", "a\\\\b"]),
    ("end\\", ["end\\"], ["end"]),
    ("(x)*[y]+{2}|z?^$", ["(x)*[y]+{2}|z?^$"], ["xyyz", "x"]),
    ("a.b", ["a.b"], ["axb"]),
    ("%", ["", "anything"], []),
    ("", [""], ["a"]),
]


@pytest.mark.parametrize(("pattern", "good", "bad"), LIKE_CASES)
def test_like_pattern_becomes_a_full_match_regex(
    pattern: str, good: list[str], bad: list[str]
) -> None:
    regex = like_to_regex(pattern)

    for text in good:
        assert re.fullmatch(regex, text), (pattern, regex, text)
    for text in bad:
        assert not re.fullmatch(regex, text), (pattern, regex, text)


@pytest.mark.parametrize("pattern", [p for p, _, _ in LIKE_CASES] + [HOSTILE, "tab\there", "ü%"])
def test_like_regex_uses_only_java_compatible_escapes(pattern: str) -> None:
    """Java reserves a backslash before a letter or digit; a literal is escaped otherwise."""
    regex = like_to_regex(pattern)

    assert regex.startswith("(?s)")
    body = regex[len("(?s)"):]
    assert "(?" not in body
    i = 0
    while i < len(body):
        if body[i] == "\\":
            assert i + 1 < len(body), regex
            assert not body[i + 1].isalnum(), regex
            i += 2
        else:
            i += 1


# --- ordering ----------------------------------------------------------------------------------

def test_default_order_is_creation_time_then_id_ascending() -> None:
    o = ordering(OrderBy())

    assert o.key == "createdAt"
    assert not o.nullable
    assert not o.descending
    assert o.order == "n.createdAt ASC, n.id ASC"
    assert o.after == (
        "(n.createdAt > $cursorValue OR (n.createdAt = $cursorValue AND n.id > $cursorId))"
    )


def test_descending_never_null_field_compares_downwards() -> None:
    o = ordering(OrderBy(field="updatedAt", descending=True))

    assert o.descending
    assert o.order == "n.updatedAt DESC, n.id DESC"
    assert o.after == (
        "(n.updatedAt < $cursorValue OR (n.updatedAt = $cursorValue AND n.id < $cursorId))"
    )


@pytest.mark.parametrize("descending", [False, True])
def test_nullable_field_orders_nulls_last_in_either_direction(descending: bool) -> None:
    o = ordering(OrderBy(field="name", descending=descending), var="m")
    direction, cmp = ("DESC", "<") if descending else ("ASC", ">")

    assert o.nullable
    assert o.order == f"(m.name IS NULL) ASC, m.name {direction}, m.id {direction}"
    # After a non-null cursor value: later values, ties broken by id, then every null.
    assert f"m.name {cmp} $cursorValue" in o.after
    assert f"m.name = $cursorValue AND m.id {cmp} $cursorId" in o.after
    # After a null cursor value: only the remaining nulls, by id.
    assert f"$cursorValue IS NULL AND m.name IS NULL AND m.id {cmp} $cursorId" in o.after


@pytest.mark.parametrize(("field", "key"), [
    ("properties.score", "p_score"),
    ("customProperties.owner", "c_owner"),
    ("externalId", "externalId"),
])
def test_property_order_fields_are_nullable_and_use_the_stored_key(field: str, key: str) -> None:
    o = ordering(OrderBy(field=field))

    assert o.key == key
    assert o.nullable
    assert f"n.{key} ASC" in o.order


@pytest.mark.parametrize("field", ["kind", "context"])
def test_ordering_by_kind_or_context_is_refused(field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        ordering(OrderBy(field=field))

    assert caught.value.field == "orderBy"


def test_ordering_by_hostile_property_name_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        ordering(OrderBy(field="properties.x DESC, n.secret //"))

    assert caught.value.field == "orderBy.field"


# --- the Filter model --------------------------------------------------------------------------

def test_filter_that_is_both_a_condition_and_an_and_is_refused() -> None:
    with pytest.raises(ValidationError, match="exactly one of"):
        Filter(field="name", op=Op.EQ, value="a", and_=[Filter.where("uri", Op.EQ, "b")])


def test_filter_parsed_with_condition_and_and_alias_is_refused() -> None:
    with pytest.raises(ValidationError, match="exactly one of"):
        Filter.model_validate({
            "field": "name", "op": "EQ", "value": "a",
            "and": [{"field": "uri", "op": "EQ", "value": "b"}],
        })


def test_filter_that_is_both_or_and_not_is_refused() -> None:
    inner = Filter.where("name", Op.EQ, "a")
    with pytest.raises(ValidationError, match="exactly one of"):
        Filter(or_=[inner], not_=inner)


def test_empty_filter_is_refused() -> None:
    with pytest.raises(ValidationError, match="exactly one of"):
        Filter()


def test_condition_without_op_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs an op"):
        Filter(field="name", value="a")


def test_unknown_operator_is_refused() -> None:
    with pytest.raises(ValidationError):
        Filter.model_validate({"field": "name", "op": "BETWEEN", "value": [1, 2]})
