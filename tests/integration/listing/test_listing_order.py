"""Ordered, keyset-paginated listings through the services, and refused requests."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from graph_api.errors import InvalidInput, LimitExceeded
from graph_api.model.enums import ExecutionState, PropertyType
from graph_api.model.filters import Filter, ListOptions, Op, OrderBy
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from tests.integration.expectations import expected_order, field_value
from tests.integration.listing.helpers import (
    A,
    C,
    E,
    W,
    World,
    walk,
)

# -- ordering and pagination ---------------------------------------------------------------

ORDERS = [
    ("createdAt", False), ("createdAt", True),
    ("name", False), ("name", True),
    ("uri", False), ("uri", True),
    ("properties.rows", False), ("properties.rows", True),
    ("properties.score", False), ("properties.score", True),
    ("customProperties.owner", False), ("customProperties.epochs", True),
    ("state", False), ("type", True), ("id", True), ("updatedAt", False),
]


@pytest.mark.parametrize(("name", "descending"), ORDERS,
                         ids=[f"{n}{'-desc' if d else ''}" for n, d in ORDERS])
async def test_paging_walks_every_node_once_in_order(
    world: World, name: str, descending: bool,
) -> None:
    got = await walk(world.services, A, order=OrderBy(field=name, descending=descending))
    expected = expected_order(world.artifacts, name, descending)
    assert [n.id for n in got] == expected
    by_id = {a.id: a for a in world.artifacts}
    assert got == [by_id[i] for i in expected]  # whole nodes, not only their ids


@pytest.mark.parametrize("page_size", [1, 2, 4])
@pytest.mark.parametrize("field", ["createdAt", "id"])
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
async def test_pages_that_split_nodes_written_together_continue_by_id(
    world: World, page_size: int, field: str, descending: bool,
) -> None:
    # Nodes written in one batch share a createdAt: a page may end inside the batch, and the
    # next one goes on with the following id, in either direction.
    created = [a.created_at for a in world.artifacts]
    assert len(set(created)) < len(created)
    got = await walk(world.services, A, order=OrderBy(field=field, descending=descending),
                     page_size=page_size)
    assert [n.id for n in got] == expected_order(world.artifacts, field, descending)


async def test_a_filtered_listing_in_creation_order_pages_by_id_within_a_batch(
    world: World,
) -> None:
    condition = W("type", Op.EQ, "Dataset")
    for descending in (False, True):
        got = await walk(world.services, A, filter=condition, page_size=2,
                         order=OrderBy(field="createdAt", descending=descending))
        matching = [a for a in world.artifacts if a.type == "Dataset"]
        assert [n.id for n in got] == expected_order(matching, "createdAt", descending)


async def test_ordering_by_a_nullable_field_puts_nulls_last_both_ways(world: World) -> None:
    without_name = {a.id for a in world.artifacts if a.name is None}
    assert 0 < len(without_name) < len(world.artifacts)
    for descending in (False, True):
        page = await world.services.nodes.list(A, ListOptions(
            order_by=OrderBy(field="name", descending=descending)))
        tail = [n.id for n in page.items[-len(without_name):]]
        assert set(tail) == without_name
        names = [n.name for n in page.items[: -len(without_name)]]
        assert names == sorted(names, reverse=descending)  # type: ignore[type-var]


async def test_the_default_order_is_creation_then_id(world: World) -> None:
    page = await world.services.nodes.list(A)
    assert [n.id for n in page.items] == expected_order(world.artifacts, "createdAt", False)
    assert [n.id for n in page.items] == [a.id for a in world.artifacts]  # ids are time-ordered


async def test_paging_a_filtered_listing_with_a_total(world: World) -> None:
    condition = W("type", Op.EQ, "Dataset")
    order = OrderBy(field="properties.rows", descending=True)
    matching = [a for a in world.artifacts if a.type == "Dataset"]
    expected = expected_order(matching, "properties.rows", True)
    seen: list[str] = []
    after = None
    while True:
        page = await world.services.nodes.list(
            A, ListOptions(filter=condition, order_by=order, limit=4, after=after),
            with_total=True)
        assert page.total_count == len(matching)
        seen += [n.id for n in page.items]
        if not page.has_next:
            break
        after = page.end_cursor
    assert seen == expected


async def test_the_members_of_a_context_page_like_any_listing(world: World) -> None:
    red = world.contexts["red"]
    members = [a for a in world.artifacts if a.id in world.members["red"]]
    got = await walk(world.services, A, context_id=red, page_size=3,
                     order=OrderBy(field="name", descending=True))
    assert [n.id for n in got] == expected_order(members, "name", True)
    page = await world.services.nodes.list(
        A, ListOptions(filter=W("customProperties.owner", Op.EQ, "ann"), limit=1),
        context_id=red, with_total=True)
    assert page.total_count == sum(a.custom_properties.get("owner") == "ann" for a in members)
    assert page.has_next
    empty = await world.services.nodes.list(A, context_id=world.contexts["empty"], with_total=True)
    assert (empty.items, empty.total_count, empty.has_next) == ([], 0, False)


async def test_a_page_exactly_filled_has_no_next(world: World) -> None:
    page = await world.services.nodes.list(A, ListOptions(limit=len(world.artifacts)))
    assert len(page.items) == len(world.artifacts) and not page.has_next
    page = await world.services.nodes.list(A, ListOptions(limit=len(world.artifacts) - 1))
    assert page.has_next
    last = await world.services.nodes.list(A, ListOptions(limit=5, after=page.end_cursor))
    assert [n.id for n in last.items] == [world.artifacts[-1].id] and not last.has_next


async def test_a_node_written_while_paging_appears_on_a_later_page(world: World) -> None:
    first = await world.services.nodes.list(A, ListOptions(limit=4))
    await world.services.ingest.put_nodes(A, [ArtifactInput(type="Dataset", name="late")])
    rest = (await world.services.nodes.list(A, ListOptions(limit=1000,
                                                        after=first.end_cursor))).items
    ids = [n.id for n in first.items] + [n.id for n in rest]
    assert ids[: len(world.artifacts)] == [a.id for a in world.artifacts]
    assert [n.name for n in rest][-1] == "late"


async def test_executions_and_contexts_list_too(services: Services) -> None:
    await services.types.put(E, TypeInput(name="Trainer"))
    await services.types.put(C, TypeInput(name="Run"))
    states = [ExecutionState.COMPLETE, ExecutionState.FAILED, ExecutionState.COMPLETE]
    eids = await services.ingest.put_nodes(E, [ExecutionInput(type="Trainer", state=s) for s in states])
    page = await services.nodes.list(E, ListOptions(filter=W("state", Op.EQ, "COMPLETE")))
    assert [n.id for n in page.items] == [i for i, s in zip(eids, states, strict=True)
                                          if s is ExecutionState.COMPLETE]
    names = ["b", "c", "a"]
    cids = await services.ingest.put_nodes(C, [ContextInput(type="Run", name=n) for n in names])
    got = await walk(services, C, order=OrderBy(field="name"), page_size=2)
    assert [n.name for n in got] == sorted(names)
    # Written in one batch each: by creation time, then id, a page at a time.
    assert [n.id for n in await walk(services, E, page_size=2)] == sorted(eids)
    assert [n.id for n in await walk(services, C, page_size=2,
                                     order=OrderBy(field="createdAt", descending=True))
            ] == sorted(cids, reverse=True)


# -- bad requests ------------------------------------------------------------------------------


def forged(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "not a cursor!", "", forged({"a": 1}), forged(12), forged(["createdAt", [1], "x"]),
    forged(["createdAt", 1, 2]), forged(["name", "a", "some-id"]),
], ids=["garbage", "empty", "a-map", "a-number", "a-list-value", "a-number-id",
        "another-ordering"])
async def test_a_bad_cursor_is_refused(world: World, cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        await world.services.nodes.list(A, ListOptions(after=cursor))
    assert caught.value.field == "after"


async def test_a_cursor_of_another_ordering_is_refused(world: World) -> None:
    page = await world.services.nodes.list(A, ListOptions(order_by=OrderBy(field="name"), limit=2))
    with pytest.raises(InvalidInput, match="'name'") as caught:
        await world.services.nodes.list(A, ListOptions(limit=2, after=page.end_cursor))
    assert caught.value.field == "after"


@pytest.mark.parametrize(("condition", "field", "message"), [
    (W("colour", Op.EQ, "red"), "filter", "unknown field 'colour'"),
    (W("properties.a-b", Op.EQ, 1), "filter", "'a-b' is not a valid name"),
    (W("customProperties.", Op.EQ, 1), "filter", "unknown field"),
    (W("properties.1x", Op.EQ, 1), "filter", "not a valid name"),
    (Filter.all_of(W("name", Op.EQ, "x"), W("nope", Op.EQ, 1)), "filter[1]", "unknown field"),
    (Filter.negate(W("properties.x y", Op.IS_NULL)), "filter.not", "not a valid name"),
    (W("name", Op.IN, "x"), "filter", "IN needs a list"),
    (W("name", Op.LT, ["x"]), "filter", "compares with a scalar"),
    (W("name", Op.CONTAINS, 3), "filter", "needs a string"),
    (W("uri", Op.LIKE, None), "filter", "needs a value"),
    (W("context", Op.LT, "x"), "filter", "context supports EQ"),
    (W("kind", Op.EQ, "Widget"), "filter", "unknown kind"),
], ids=["unknown-field", "bad-property-name", "empty-property-name", "digit-first-name",
        "nested-unknown-field", "bad-name-under-not", "in-without-list", "lt-with-list",
        "contains-with-int", "like-without-value", "context-lt", "unknown-kind"])
async def test_a_bad_filter_is_refused(world: World, condition: Filter, field: str,
                                       message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        await world.services.nodes.list(A, ListOptions(filter=condition))
    assert caught.value.field == field


async def test_too_deep_or_too_large_filters_are_refused(world: World) -> None:
    deep = W("name", Op.EQ, "x")
    for _ in range(10):
        deep = Filter.negate(deep)
    with pytest.raises(InvalidInput, match="nest"):
        await world.services.nodes.list(A, ListOptions(filter=deep))
    wide = Filter.any_of(*(W("name", Op.EQ, str(i)) for i in range(100)))
    with pytest.raises(InvalidInput, match="conditions"):
        await world.services.nodes.list(A, ListOptions(filter=wide))


@pytest.mark.parametrize(("name", "field"), [
    ("colour", "orderBy.field"), ("properties.a-b", "orderBy.field"),
    ("context", "orderBy"), ("kind", "orderBy"),
])
async def test_a_bad_order_field_is_refused(world: World, name: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        await world.services.nodes.list(A, ListOptions(order_by=OrderBy(field=name)))
    assert caught.value.field == field


async def test_a_limit_above_the_page_size_cap_is_refused(world: World) -> None:
    cap = world.services.limits.max_page_size
    page = await world.services.nodes.list(A, ListOptions(limit=cap))
    assert len(page.items) == len(world.artifacts)
    with pytest.raises(LimitExceeded, match=f"maxPageSize \\({cap}\\)") as caught:
        await world.services.nodes.list(A, ListOptions(limit=cap + 1))
    assert caught.value.field == "limit"
    with pytest.raises(InvalidInput) as low:
        await world.services.nodes.list(A, ListOptions(limit=0))
    assert low.value.field == "limit"


async def test_null_tests_see_struct_and_map_values(services: Services) -> None:
    """A declared STRUCT and a custom map are stored as JSON text; they still count as set."""
    await services.types.put(A, TypeInput(name="Doc", properties={"meta": PropertyType.STRUCT,
                                                               "n": PropertyType.INT}))
    values: list[dict[str, Any]] = [
        {"properties": {"meta": {"a": 1}}, "custom_properties": {"extra": {"k": [1, "x"]}}},
        {"properties": {"meta": [1, [2]], "n": 1}, "custom_properties": {"extra": "plain"}},
        {"properties": {"n": 2}},
    ]
    ids = await services.ingest.put_nodes(A, [ArtifactInput(type="Doc", **v) for v in values])
    stored = await services.nodes.by_ids(A, ids)
    for name in ("properties.meta", "customProperties.extra", "properties.n"):
        for op in (Op.IS_NULL, Op.IS_NOT_NULL):
            expected = [n.id for n in stored
                        if (field_value(n, name) is None) is (op is Op.IS_NULL)]
            page = await services.nodes.list(A, ListOptions(filter=W(name, op)))
            assert [n.id for n in page.items] == expected, (name, op)
