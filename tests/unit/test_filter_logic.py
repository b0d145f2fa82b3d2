"""Filters combined (and, or, not), LIKE patterns, ordering and the Filter model."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from graph_api.errors import InvalidInput
from graph_api.model.filters import Filter, Op, OrderBy
from graph_api.store.filters import (
    MAX_CONDITIONS,
    MAX_DEPTH,
    compile_filter,
    like_to_regex,
    ordering,
)
from tests.unit.compiled_filters import (
    HOSTILE,
    assert_parameterised,
)

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
    assert_parameterised(compiled)


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
    # Ranges on the index (createdAt, id): a first page from the lowest integer, a later
    # one from the cursor's value (its ties on createdAt broken by id).
    assert o.start == "n.createdAt >= $orderFrom AND n.id IS NOT NULL"
    assert o.start_params == {"orderFrom": -(2**63)}
    assert o.after == ("(n.createdAt >= $cursorValue AND (n.createdAt > $cursorValue OR "
                       "n.id > $cursorId) AND n.id IS NOT NULL)")


def test_descending_creation_order_reads_the_same_range_downwards() -> None:
    o = ordering(OrderBy(field="createdAt", descending=True))

    assert o.order == "n.createdAt DESC, n.id DESC"
    assert o.start == "n.createdAt >= $orderFrom AND n.id IS NOT NULL"
    assert o.after == ("(n.createdAt <= $cursorValue AND (n.createdAt < $cursorValue OR "
                       "n.id < $cursorId) AND n.id IS NOT NULL)")


@pytest.mark.parametrize(("descending", "direction", "cmp"), [(False, "ASC", ">"),
                                                             (True, "DESC", "<")])
def test_id_order_is_its_own_tie_break(descending: bool, direction: str, cmp: str) -> None:
    o = ordering(OrderBy(field="id", descending=descending))

    assert o.order == f"n.id {direction}"
    assert o.start == "n.id >= $orderFrom" and o.start_params == {"orderFrom": ""}
    assert o.after == f"n.id {cmp} $cursorId"


def test_descending_never_null_field_compares_downwards() -> None:
    o = ordering(OrderBy(field="updatedAt", descending=True))

    assert o.descending
    assert o.order == "n.updatedAt DESC, n.id DESC"
    assert o.after == (
        "(n.updatedAt < $cursorValue OR (n.updatedAt = $cursorValue AND n.id < $cursorId))"
    )
    assert o.start == o.present == "n.updatedAt IS NOT NULL"


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


@pytest.mark.parametrize(("field", "present"), [
    ("createdAt", "n.createdAt IS NOT NULL"), ("id", "n.id IS NOT NULL"),
    ("name", "true"), ("properties.auc", "true")])
def test_an_order_on_a_key_never_null_says_so_to_the_planner(field: str, present: str) -> None:
    # A listing's WHERE includes it: the planner may then read the page in index order.
    assert ordering(OrderBy(field=field)).present == present
