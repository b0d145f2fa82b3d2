"""Canonical JSON (RFC 8785) and the content addresses built on it."""

from __future__ import annotations

import json

import pytest

from graph_api.services.versioning.canonical import blob_sha, canonical, commit_sha, tree_sha

# RFC 8785, section 3.2.2 (the example of the whole serialisation).
RFC_INPUT = ('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
             ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
             ' "literals": [null, true, false]}')
RFC_OUTPUT = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
              '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')


def test_the_rfc_example_serialises_exactly() -> None:
    assert canonical(json.loads(RFC_INPUT)) == RFC_OUTPUT


def test_members_sort_by_utf16_code_units_as_the_rfc_sorting_example() -> None:
    value = {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001f600": 5, "\u0080": 6, "\u00f6": 7}
    keys = list(json.loads(canonical(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0.0"), (-0.0, "0.0"), (1e21, "1e+21"), (1e-7, "1e-7"), (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (0.000001, "0.000001"),
    (123456789012345680000.0, "123456789012345680000.0"), (-1.5, "-1.5"), (100.0, "100.0"),
    (9007199254740992, "9007199254740992"), (True, "true"),
])
def test_numbers_follow_ecmascript_and_integral_floats_keep_their_point(value: object,
                                                                        text: str) -> None:
    assert canonical(value) == text


def test_an_integer_and_an_equal_float_are_different_blobs() -> None:
    assert blob_sha("config", {"x": 1}) != blob_sha("config", {"x": 1.0})


def test_key_order_does_not_change_a_blob_or_a_tree() -> None:
    assert blob_sha("config", {"a": 1, "b": {"c": 2, "d": 3}}) \
        == blob_sha("config", {"b": {"d": 3, "c": 2}, "a": 1})
    assert tree_sha({"a": "1", "b": "2"}) == tree_sha({"b": "2", "a": "1"})


def test_the_kind_is_part_of_a_blob_and_parent_order_part_of_a_commit() -> None:
    assert blob_sha("config", {}) != blob_sha("dataset", {})
    one = dict(tree="t", author="a", message="m", created_at=1, metadata={})
    assert commit_sha(parents=["p", "q"], **one) != commit_sha(parents=["q", "p"], **one)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {1: "x"}, {"a": {1, 2}}])
def test_what_json_cannot_hold_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        canonical(value)
