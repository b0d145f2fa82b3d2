"""Listing nodes: the filter language, ordering, keyset pagination, totals and bad requests.

Every expectation is computed here from the nodes as stored (read back by id), by
filtering and sorting a Python list — never hard-coded.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from graph_api.errors import InvalidInput, LimitExceeded
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind, PropertyType
from graph_api.model.filters import Filter, ListOptions, Op, OrderBy
from graph_api.model.nodes import Artifact, ArtifactInput, ContextInput, ExecutionInput, Node
from graph_api.model.relations import Attribution
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from tests.integration.expectations import expected_order, field_value, has

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
S = ArtifactState
W = Filter.where

#: The artifacts, written three per batch so some share a createdAt (ties break by id).
SPECS: list[dict[str, Any]] = [
    {"type": "Dataset", "uri": "s3://bucket/train/part_1.csv", "name": "train-1",
     "state": S.LIVE, "properties": {"rows": 100, "score": 0.5, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 3}},
    {"type": "Dataset", "uri": "s3://bucket/train/part_2.csv", "name": "train-2",
     "state": S.LIVE, "properties": {"rows": 250, "format": "parquet"},
     "custom_properties": {"owner": "bob"}},
    {"type": "Dataset", "uri": "s3://bucket/eval/part_1.csv", "name": None,
     "state": S.PENDING, "properties": {"rows": 50, "score": 0.9, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 10}},
    {"type": "Dataset", "uri": "s3://bucket/100%_done/x.csv", "name": "Done",
     "state": S.DELETED, "properties": {"rows": 0, "format": "json"}},
    {"type": "Dataset", "uri": "s3://bucket/1000/x.csv", "name": "thousand", "state": S.LIVE},
    {"type": "Dataset", "uri": "gs://other/partA.csv", "name": None, "state": S.UNKNOWN,
     "properties": {"rows": 100, "format": "csv.gz"}, "custom_properties": {"epochs": 1}},
    {"type": "Dataset", "uri": None, "name": "no-uri", "state": S.ABANDONED,
     "properties": {"rows": 7, "score": 0.25}},
    {"type": "Model", "uri": "s3://bucket/models/m1", "name": "m1", "state": S.LIVE,
     "properties": {"layers": 3}, "custom_properties": {"owner": "cat"}},
    {"type": "Model", "uri": "s3://bucket/models/m2", "name": "alpha", "state": S.PENDING,
     "properties": {"layers": 12}},
    {"type": "Dataset", "uri": "s3://bucket/train/part_10.csv", "name": "zeta",
     "state": S.LIVE, "properties": {"rows": 250, "score": 0.25, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 3}},
    {"type": "Dataset", "uri": "s3://bucket/train/part_3.csv", "name": None, "state": S.LIVE,
     "properties": {"rows": 100, "score": 0.75}},
    {"type": "Dataset", "uri": "file:///tmp/my data #1 (copy).csv", "name": "copy",
     "state": S.REFERENCE, "custom_properties": {"owner": "bob", "epochs": 10}},
]


@dataclass
class World:
    services: Services
    artifacts: list[Artifact]   # as stored, in SPECS order
    contexts: dict[str, str]    # name -> id
    members: dict[str, set[str]]  # context name -> artifact ids


@pytest.fixture
async def world(services: Services) -> World:
    await services.types.put(A, TypeInput(name="Dataset", properties={
        "rows": PropertyType.INT, "score": PropertyType.DOUBLE, "format": PropertyType.STRING}))
    await services.types.put(A, TypeInput(name="Model", properties={"layers": PropertyType.INT}))
    await services.types.put(C, TypeInput(name="Experiment"))
    ids: list[str] = []
    for start in range(0, len(SPECS), 3):
        ids += await services.ingest.put_nodes(A, [ArtifactInput(**s) for s in SPECS[start:start + 3]])
        await asyncio.sleep(0.005)  # the next batch gets a later createdAt
    stored = await services.nodes.by_ids(A, ids)
    contexts = dict(zip(("red", "blue", "empty"), await services.ingest.put_nodes(
        C, [ContextInput(type="Experiment", name=n) for n in ("red", "blue", "empty")]),
        strict=True))
    members = {"red": {ids[0], ids[2], ids[7], ids[9]}, "blue": {ids[2], ids[3]}, "empty": set()}
    await services.ingest.put_memberships(
        [Attribution(artifact_id=a, context_id=contexts[c])
         for c, artifacts in members.items() for a in sorted(artifacts)], [])
    return World(services, [a for a in stored if isinstance(a, Artifact)], contexts, members)


# -- helpers ------------------------------------------------------------------------------


async def walk(services: Services, kind: NodeKind, *, filter: Filter | None = None,
               order: OrderBy | None = None, page_size: int = 3,
               context_id: str | None = None) -> list[Node]:
    """Every page of a listing, checking each page's shape; the nodes in page order."""
    out: list[Node] = []
    after: str | None = None
    for _ in range(100):
        page = await services.nodes.list(kind, ListOptions(
            filter=filter, order_by=order or OrderBy(), limit=page_size, after=after),
            context_id=context_id)
        assert len(page.items) <= page_size
        assert len(page.cursors) == len(page.items)
        out += page.items
        if not page.has_next:
            return out
        assert len(page.items) == page_size
        after = page.end_cursor
    raise AssertionError("the listing never ended")


def like(pattern: str, text: str) -> bool:
    """SQL LIKE, written independently of the services: `%`, `_`, and `\\` escapes."""
    tokens: list[str | None] = []  # None: any run; "": any one character; else a literal
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            tokens.append(next(chars, "\\"))
        else:
            tokens.append(None if ch == "%" else "" if ch == "_" else ch)

    def match(t: int, s: int) -> bool:
        if t == len(tokens):
            return s == len(text)
        token = tokens[t]
        if token is None:
            return any(match(t + 1, k) for k in range(s, len(text) + 1))
        if s == len(text) or (token != "" and text[s] != token):
            return False
        return match(t + 1, s + 1)

    return match(0, 0)


# -- filters ---------------------------------------------------------------------------------

Predicate = Callable[[Artifact], bool]
FILTERS: list[Any] = [
    pytest.param(W("type", Op.EQ, "Model"), has("type", lambda v: v == "Model"), id="type"),
    pytest.param(W("state", Op.EQ, "LIVE"), has("state", lambda v: v == "LIVE"), id="state"),
    pytest.param(W("state", Op.IN, ["PENDING", "DELETED"]),
                 has("state", lambda v: v in ("PENDING", "DELETED")), id="state-in"),
    pytest.param(W("uri", Op.EQ, "s3://bucket/eval/part_1.csv"),
                 has("uri", lambda v: v == "s3://bucket/eval/part_1.csv"), id="uri-exact"),
    pytest.param(W("uri", Op.STARTS_WITH, "s3://bucket/train/"),
                 has("uri", lambda v: v.startswith("s3://bucket/train/")), id="uri-prefix"),
    pytest.param(W("uri", Op.ENDS_WITH, ".csv"), has("uri", lambda v: v.endswith(".csv")),
                 id="uri-suffix"),
    pytest.param(W("uri", Op.CONTAINS, "part_1"), has("uri", lambda v: "part_1" in v),
                 id="uri-contains"),
    *(pytest.param(W("uri", Op.LIKE, p), has("uri", lambda v, p=p: like(p, v)), id=f"like:{p}")
      for p in ["s3://bucket/%/part__.csv",   # '_' is one character: not part_10
                "s3://bucket/train/%",
                "%100\\%%",                   # an escaped, literal '%'
                "%100%%",                     # unescaped: also matches 1000
                "gs://other/part_.csv",
                "gs://other/part[A].csv",     # regex syntax is literal text
                "s3://bucket",                # LIKE matches the whole value
                "%my data #_ (copy).csv",     # spaces, '#' and parentheses are literal
                "%(copy)%",
                "%.csv",
                "%"]),
    pytest.param(W("name", Op.EQ, "zeta"), has("name", lambda v: v == "zeta"), id="name"),
    pytest.param(W("name", Op.IS_NULL), lambda a: a.name is None, id="name-null"),
    pytest.param(W("uri", Op.IS_NOT_NULL), lambda a: a.uri is not None, id="uri-not-null"),
    *(pytest.param(W("properties.rows", op, 100), has("properties.rows", test),
                   id=f"rows-{op.value}")
      for op, test in [(Op.EQ, lambda v: v == 100), (Op.NE, lambda v: v != 100),
                       (Op.LT, lambda v: v < 100), (Op.LE, lambda v: v <= 100),
                       (Op.GT, lambda v: v > 100), (Op.GE, lambda v: v >= 100)]),
    pytest.param(W("properties.rows", Op.IN, [0, 7, 250]),
                 has("properties.rows", lambda v: v in (0, 7, 250)), id="rows-in"),
    pytest.param(W("properties.score", Op.GT, 0.3),
                 has("properties.score", lambda v: v > 0.3), id="score-gt"),
    pytest.param(W("properties.rows", Op.IS_NULL), lambda a: "rows" not in a.properties,
                 id="rows-null"),
    pytest.param(W("properties.layers", Op.IS_NOT_NULL), lambda a: "layers" in a.properties,
                 id="layers-not-null"),
    pytest.param(W("properties.format", Op.CONTAINS, "sv"),
                 has("properties.format", lambda v: "sv" in v), id="format-contains"),
    pytest.param(W("properties.format", Op.STARTS_WITH, "csv"),
                 has("properties.format", lambda v: v.startswith("csv")), id="format-prefix"),
    pytest.param(W("properties.format", Op.ENDS_WITH, "json"),
                 has("properties.format", lambda v: v.endswith("json")), id="format-suffix"),
    pytest.param(W("customProperties.owner", Op.EQ, "ann"),
                 has("customProperties.owner", lambda v: v == "ann"), id="owner"),
    pytest.param(W("customProperties.owner", Op.NE, "ann"),
                 has("customProperties.owner", lambda v: v != "ann"), id="owner-ne"),
    pytest.param(W("customProperties.epochs", Op.GE, 3),
                 has("customProperties.epochs", lambda v: v >= 3), id="epochs-ge"),
    pytest.param(W("customProperties.epochs", Op.LT, 10),
                 has("customProperties.epochs", lambda v: v < 10), id="epochs-lt"),
    pytest.param(W("customProperties.owner", Op.IN, ["bob", "cat"]),
                 has("customProperties.owner", lambda v: v in ("bob", "cat")), id="owner-in"),
    pytest.param(W("customProperties.owner", Op.IS_NULL),
                 lambda a: "owner" not in a.custom_properties, id="owner-null"),
    pytest.param(W("customProperties.owner", Op.STARTS_WITH, "a"),
                 has("customProperties.owner", lambda v: v.startswith("a")), id="owner-prefix"),
    pytest.param(Filter.all_of(W("type", Op.EQ, "Dataset"), W("state", Op.EQ, "LIVE"),
                               W("properties.rows", Op.GE, 100)),
                 lambda a: a.type == "Dataset" and a.state == "LIVE"
                 and a.properties.get("rows", -1) >= 100, id="and"),
    pytest.param(Filter.any_of(W("type", Op.EQ, "Model"), W("name", Op.IS_NULL)),
                 lambda a: a.type == "Model" or a.name is None, id="or"),
    pytest.param(Filter.negate(W("state", Op.EQ, "LIVE")), lambda a: a.state != "LIVE",
                 id="not"),
    pytest.param(Filter.negate(W("properties.rows", Op.GT, 50)),
                 has("properties.rows", lambda v: not v > 50), id="not-on-a-missing-value"),
    pytest.param(Filter.any_of(
        Filter.all_of(W("type", Op.EQ, "Dataset"),
                      Filter.negate(W("state", Op.IN, ["LIVE", "PENDING"]))),
        Filter.all_of(W("uri", Op.STARTS_WITH, "s3://bucket/train/"),
                      Filter.negate(W("properties.score", Op.LT, 0.3)))),
        lambda a: (a.type == "Dataset" and a.state not in ("LIVE", "PENDING"))
        or (has("uri", lambda v: v.startswith("s3://bucket/train/"))(a)
            and has("properties.score", lambda v: not v < 0.3)(a)),
        id="nested"),
    pytest.param(Filter.all_of(), lambda a: True, id="empty-and"),
    pytest.param(Filter.any_of(), lambda a: False, id="empty-or"),
    pytest.param(W("kind", Op.EQ, "Artifact"), lambda a: True, id="kind"),
    pytest.param(W("kind", Op.NE, "Artifact"), lambda a: False, id="kind-ne"),
]


@pytest.mark.parametrize(("condition", "predicate"), FILTERS)
async def test_a_filter_lists_exactly_the_matching_nodes(
    world: World, condition: Filter, predicate: Predicate,
) -> None:
    expected = [a.id for a in sorted(world.artifacts, key=lambda a: (a.created_at, a.id))
                if predicate(a)]
    page = await world.services.nodes.list(A, ListOptions(filter=condition, limit=100),
                                        with_total=True)
    assert [n.id for n in page.items] == expected
    assert page.total_count == len(expected)
    assert not page.has_next


ALL_OR_NOTHING = {"like:s3://bucket", "like:gs://other/part[A].csv", "empty-and", "empty-or",
                  "kind", "kind-ne"}


async def test_the_filter_cases_are_not_vacuous(world: World) -> None:
    """Each condition above matches some but not all nodes, unless it is meant not to."""
    for case in FILTERS:
        matched = sum(map(case.values[1], world.artifacts))
        partial = 0 < matched < len(world.artifacts)
        assert partial is (case.id not in ALL_OR_NOTHING), case.id


async def test_a_filter_on_context_membership(world: World) -> None:
    red, blue, empty = (world.contexts[n] for n in ("red", "blue", "empty"))
    cases = [
        (W("context", Op.EQ, red), world.members["red"]),
        (W("context", Op.EQ, empty), set()),
        (W("context", Op.IN, [red, blue]), world.members["red"] | world.members["blue"]),
        (Filter.all_of(W("context", Op.EQ, red), W("context", Op.EQ, blue)),
         world.members["red"] & world.members["blue"]),
        (Filter.negate(W("context", Op.IN, [red, blue])),
         {a.id for a in world.artifacts} - world.members["red"] - world.members["blue"]),
    ]
    for condition, ids in cases:
        page = await world.services.nodes.list(A, ListOptions(filter=condition))
        assert {n.id for n in page.items} == ids, condition


async def test_a_filter_on_a_created_at_range(world: World) -> None:
    times = sorted({a.created_at for a in world.artifacts})
    assert len(times) >= 3, "the batches should have distinct createdAt values"
    low, high = times[1], times[-1]
    condition = Filter.all_of(W("createdAt", Op.GE, low), W("createdAt", Op.LT, high))
    expected = [a.id for a in sorted(world.artifacts, key=lambda a: (a.created_at, a.id))
                if low <= a.created_at < high]
    page = await world.services.nodes.list(A, ListOptions(filter=condition))
    assert [n.id for n in page.items] == expected
    assert 0 < len(expected) < len(world.artifacts)


async def test_a_filter_by_id_and_external_id(services: Services) -> None:
    await services.types.put(E, TypeInput(name="Trainer"))
    ids = await services.ingest.put_nodes(E, [ExecutionInput(type="Trainer", external_id=f"run-{i}")
                                    for i in range(4)])
    page = await services.nodes.list(E, ListOptions(filter=Filter.any_of(
        W("id", Op.IN, [ids[0], ids[3]]), W("externalId", Op.EQ, "run-2"))))
    assert [n.id for n in page.items] == [ids[0], ids[2], ids[3]]


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
    await services.ingest.put_nodes(C, [ContextInput(type="Run", name=n) for n in names])
    got = await walk(services, C, order=OrderBy(field="name"), page_size=2)
    assert [n.name for n in got] == sorted(names)


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
