"""Keyset cursors are opaque and checked; identifiers are the gate for text put into Cypher."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from graph_api.errors import InvalidInput
from graph_api.store import cursors, identifiers
from graph_api.store.identifiers import MAX_NAME_LENGTH

# --- cursors -----------------------------------------------------------------------------------

def _raw_cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize("value", [1718000000000, 0.5, "model-a", "", True, None, "ü/+="])
def test_cursor_round_trips_its_sort_value_and_id(value: Any) -> None:
    cursor = cursors.encode("createdAt", value, "0190a-id")

    assert cursors.decode(cursor, "createdAt") == (value, "0190a-id")


def test_cursor_is_url_safe_without_padding() -> None:
    cursor = cursors.encode("name", "a?b/c+d" * 5, "id-1")

    assert cursor.strip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""


def test_cursor_of_a_listing_ordered_by_another_field_is_refused() -> None:
    cursor = cursors.encode("createdAt", 1, "id-1")

    with pytest.raises(InvalidInput) as caught:
        cursors.decode(cursor, "name")

    assert caught.value.field == "after"
    assert "createdAt" in caught.value.message


@pytest.mark.parametrize("garbage", ["", "!!!!", "not a cursor", "abc", "%%%=", "\x00\xff"])
def test_garbage_cursor_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        cursors.decode(garbage, "createdAt")

    assert caught.value.field == "after"


@pytest.mark.parametrize("payload", [
    {"field": "createdAt", "value": 1, "id": "x"},
    5,
    None,
    "createdAt",
    ["createdAt", 1],
    ["createdAt", 1, "id", "extra"],
])
def test_base64_of_something_other_than_a_three_item_list_is_refused(payload: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        cursors.decode(_raw_cursor(payload), "createdAt")

    assert caught.value.field == "after"


@pytest.mark.parametrize("payload", [
    ["createdAt", 1, 42],
    ["createdAt", {"$gt": 1}, "id"],
    ["createdAt", [1, 2], "id"],
])
def test_cursor_with_a_non_string_id_or_a_container_value_is_refused(payload: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        cursors.decode(_raw_cursor(payload), "createdAt")

    assert caught.value.field == "after"


# --- identifiers.name --------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["a_1", "_", "A", "_private", "CamelCase9", "a" * MAX_NAME_LENGTH])
def test_name_accepts_letters_digits_and_underscores(value: str) -> None:
    assert identifiers.name(value, field="properties") == value


@pytest.mark.parametrize("value", [
    "1a",
    "a-b",
    "a b",
    "a`b",
    "`a`",
    "",
    "a.b",
    "a)",
    "a" * (MAX_NAME_LENGTH + 1),
    "ünï",
])
def test_name_refuses_anything_else_naming_the_field(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        identifiers.name(value, field="input[2].properties")

    assert caught.value.field == "input[2].properties"
    assert caught.value.message.startswith("input[2].properties:")


def test_name_limit_is_128_characters() -> None:
    assert MAX_NAME_LENGTH == 128
    assert not identifiers.is_valid_name("a" * 129)


# --- identifiers.bounded_int -------------------------------------------------------------------

@pytest.mark.parametrize("value", [1, 50, 100])
def test_bounded_int_accepts_integers_within_the_bounds(value: int) -> None:
    assert identifiers.bounded_int(value, low=1, high=100, field="hops") == value


@pytest.mark.parametrize("value", [True, False, 1.0, 5.5, "5", None, 0, 101, -1])
def test_bounded_int_refuses_bools_floats_strings_and_out_of_range(value: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        identifiers.bounded_int(value, low=1, high=100, field="hops")

    assert caught.value.field == "hops"
    assert "1 to 100" in caught.value.message


@pytest.mark.parametrize("value", ["a\n", "a\nb", "\na"])
def test_a_name_with_a_newline_is_refused(value: str) -> None:
    assert not identifiers.is_valid_name(value)
    with pytest.raises(InvalidInput):
        identifiers.name(value, field="f")
