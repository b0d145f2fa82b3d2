"""`artifacts`, `executions`, `contexts`: Relay connections over HTTP against the running server.

The graph is written through the store; every expectation is computed here from the nodes
as stored (read back by id), by filtering and sorting Python lists — never hard-coded.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from graph_api.config import Limits
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind, PropertyType
from graph_api.model.nodes import Artifact, ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from tests.integration.api import Api
from tests.integration.expectations import expected_order, has

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
S = ArtifactState
CAP = Limits().max_page_size  # the server under test runs with the default caps

SPECS: list[dict[str, Any]] = [
    {"type": "Dataset", "uri": "s3://raw/train/part_1.csv", "name": "train-1", "state": S.LIVE,
     "properties": {"rows": 100, "score": 0.5, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 3}},
    {"type": "Dataset", "uri": "s3://raw/train/part_2.csv", "name": "train-2", "state": S.LIVE,
     "properties": {"rows": 250, "format": "parquet"}, "custom_properties": {"owner": "bob"}},
    {"type": "Dataset", "uri": "s3://raw/eval/part_1.csv", "name": None, "state": S.PENDING,
     "properties": {"rows": 50, "score": 0.9, "format": "csv"},
     "custom_properties": {"owner": "ann", "epochs": 10}},
    {"type": "Dataset", "uri": "s3://raw/100%_done/x.json", "name": "Done", "state": S.DELETED,
     "properties": {"rows": 0, "format": "json"}},
    {"type": "Model", "uri": "s3://models/m1", "name": "m1", "state": S.LIVE,
     "properties": {"layers": 3}, "custom_properties": {"owner": "cat"}},
    {"type": "Model", "uri": "s3://models/m2", "name": "alpha", "state": S.PENDING,
     "properties": {"layers": 12}},
    {"type": "Dataset", "uri": None, "name": "no-uri", "state": S.ABANDONED,
     "properties": {"rows": 7, "score": 0.25}},
    {"type": "Dataset", "uri": "gs://other/partA.csv", "name": "zeta", "state": S.LIVE,
     "properties": {"rows": 250, "score": 0.75, "format": "csv.gz"},
     "custom_properties": {"owner": "ann", "epochs": 1}},
    {"type": "Model", "uri": "s3://models/m3", "name": None, "state": S.LIVE,
     "properties": {"layers": 3}, "custom_properties": {"epochs": 7}},
    {"type": "Dataset", "uri": "file:///tmp/copy (1).csv", "name": "copy", "state": S.REFERENCE,
     "custom_properties": {"owner": "bob", "epochs": 10}},
]

NODE = "id typeName name uri state properties customProperties createdAt"
LIST = """query($filter: FilterInput, $orderBy: OrderByInput, $first: Int!, $after: String,
               $contextId: ID) {
  artifacts(filter: $filter, orderBy: $orderBy, first: $first, after: $after,
            contextId: $contextId) {
    edges { cursor node { %s } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    %s
  }
}"""


@dataclass
class World:
    services: Services
    artifacts: list[Artifact]   # as stored, in SPECS order (which is createdAt order)
    contexts: dict[str, str]    # name -> id
    members: dict[str, set[str]]  # context name -> artifact ids


@pytest.fixture
async def world(services: Services) -> World:
    await services.types.put(A, TypeInput(name="Dataset", properties={
        "rows": PropertyType.INT, "score": PropertyType.DOUBLE, "format": PropertyType.STRING}))
    await services.types.put(A, TypeInput(name="Model", properties={"layers": PropertyType.INT}))
    await services.types.put(C, TypeInput(name="Experiment"))
    ids: list[str] = []
    for start in range(0, len(SPECS), 3):  # three per batch: some share a createdAt
        ids += await services.ingest.put_nodes(A, [ArtifactInput(**s) for s in SPECS[start:start + 3]])
        await asyncio.sleep(0.005)
    stored = [a for a in await services.nodes.by_ids(A, ids) if isinstance(a, Artifact)]
    names = ("red", "blue", "empty")
    contexts = dict(zip(names, await services.ingest.put_nodes(
        C, [ContextInput(type="Experiment", name=n) for n in names]), strict=True))
    members = {"red": {ids[0], ids[2], ids[4], ids[8]}, "blue": {ids[2], ids[3]}, "empty": set()}
    await services.ingest.put_memberships(
        [Attribution(artifact_id=a, context_id=contexts[c])
         for c, artifacts in members.items() for a in sorted(artifacts)], [])
    return World(services, stored, contexts, members)


# -- helpers ------------------------------------------------------------------------------


def page(api: Api, *, total: bool = False, **variables: Any) -> dict[str, Any]:
    variables.setdefault("first", 100)
    connection: dict[str, Any] = api.data(LIST % (NODE, "totalCount" if total else ""),
                                          variables)["artifacts"]
    return connection


def walk(api: Api, page_size: int, **variables: Any) -> list[dict[str, Any]]:
    """Every page of a listing, checking each page's shape; the nodes in page order."""
    nodes: list[dict[str, Any]] = []
    after: str | None = None
    for number in range(100):
        got = page(api, first=page_size, after=after, **variables)
        edges, info = got["edges"], got["pageInfo"]
        assert len(edges) <= page_size
        assert info["hasPreviousPage"] is (number > 0)
        if edges:
            assert (info["startCursor"], info["endCursor"]) == (edges[0]["cursor"],
                                                                edges[-1]["cursor"])
        nodes += [e["node"] for e in edges]
        if not info["hasNextPage"]:
            return nodes
        assert len(edges) == page_size
        after = info["endCursor"]
    raise AssertionError("the listing never ended")


def cond(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


# -- filters --------------------------------------------------------------------------------

FILTERS: list[Any] = [
    pytest.param(cond("type", "EQ", "Model"), has("type", lambda v: v == "Model"), id="type"),
    pytest.param(cond("state", "NE", "LIVE"), has("state", lambda v: v != "LIVE"), id="state-ne"),
    pytest.param(cond("state", "IN", ["PENDING", "DELETED"]),
                 has("state", lambda v: v in ("PENDING", "DELETED")), id="state-in"),
    pytest.param(cond("uri", "STARTS_WITH", "s3://raw/train/"),
                 has("uri", lambda v: v.startswith("s3://raw/train/")), id="uri-prefix"),
    pytest.param(cond("uri", "ENDS_WITH", ".csv"), has("uri", lambda v: v.endswith(".csv")),
                 id="uri-suffix"),
    pytest.param(cond("uri", "CONTAINS", "part_1"), has("uri", lambda v: "part_1" in v),
                 id="uri-contains"),
    pytest.param(cond("uri", "LIKE", "s3://raw/%/part\\__.csv"),
                 has("uri", lambda v: re.fullmatch(r"s3://raw/.*/part_.\.csv", v) is not None),
                 id="uri-like"),
    pytest.param(cond("uri", "LIKE", "%100\\%%"), has("uri", lambda v: "100%" in v),
                 id="uri-like-escaped"),
    pytest.param(cond("name", "IS_NULL"), lambda a: a.name is None, id="name-null"),
    pytest.param(cond("uri", "IS_NOT_NULL"), lambda a: a.uri is not None, id="uri-not-null"),
    pytest.param(cond("name", "LT", "m"), has("name", lambda v: v < "m"), id="name-lt"),
    pytest.param(cond("properties.rows", "GT", 50), has("properties.rows", lambda v: v > 50),
                 id="rows-gt"),
    pytest.param(cond("properties.rows", "LE", 50), has("properties.rows", lambda v: v <= 50),
                 id="rows-le"),
    pytest.param(cond("properties.score", "GE", 0.5),
                 has("properties.score", lambda v: v >= 0.5), id="score-ge"),
    pytest.param(cond("properties.layers", "IS_NOT_NULL"),
                 lambda a: "layers" in a.properties, id="layers-set"),
    pytest.param(cond("customProperties.owner", "EQ", "ann"),
                 has("customProperties.owner", lambda v: v == "ann"), id="owner"),
    pytest.param(cond("customProperties.epochs", "IN", [1, 7]),
                 has("customProperties.epochs", lambda v: v in (1, 7)), id="epochs-in"),
    pytest.param(cond("customProperties.owner", "IS_NULL"),
                 lambda a: "owner" not in a.custom_properties, id="owner-null"),
    pytest.param({"and": [cond("type", "EQ", "Dataset"), cond("state", "EQ", "LIVE"),
                          cond("properties.rows", "GE", 100)]},
                 lambda a: a.type == "Dataset" and a.state == "LIVE"
                 and a.properties.get("rows", -1) >= 100, id="and"),
    pytest.param({"or": [cond("type", "EQ", "Model"), cond("name", "IS_NULL")]},
                 lambda a: a.type == "Model" or a.name is None, id="or"),
    pytest.param({"not": cond("state", "EQ", "LIVE")}, lambda a: a.state != "LIVE", id="not"),
    pytest.param({"or": [
        {"and": [cond("type", "EQ", "Dataset"),
                 {"not": cond("state", "IN", ["LIVE", "PENDING"])}]},
        {"and": [cond("uri", "STARTS_WITH", "s3://models/"),
                 {"not": cond("properties.layers", "GT", 5)}]}]},
        lambda a: (a.type == "Dataset" and a.state not in ("LIVE", "PENDING"))
        or (has("uri", lambda v: v.startswith("s3://models/"))(a)
            and has("properties.layers", lambda v: not v > 5)(a)),
        id="nested"),
    pytest.param(cond("kind", "EQ", "Artifact"), lambda a: True, id="kind"),
]


@pytest.mark.parametrize(("condition", "predicate"), FILTERS)
async def test_a_filter_lists_exactly_the_matching_artifacts(
    world: World, api: Api, condition: dict[str, Any], predicate: Callable[[Artifact], bool],
) -> None:
    expected = [a for a in world.artifacts if predicate(a)]
    got = page(api, filter=condition, total=True)
    assert [e["node"]["id"] for e in got["edges"]] == [a.id for a in expected]
    assert got["totalCount"] == len(expected)
    assert got["pageInfo"]["hasNextPage"] is False
    if condition != cond("kind", "EQ", "Artifact"):
        assert 0 < len(expected) < len(world.artifacts), "the case should discriminate"


async def test_listed_nodes_carry_their_fields(world: World, api: Api) -> None:
    got = page(api)
    assert [e["node"] for e in got["edges"]] == [{
        "id": a.id, "typeName": a.type, "name": a.name, "uri": a.uri, "state": a.state.value,
        "properties": a.properties, "customProperties": a.custom_properties,
        "createdAt": got["edges"][i]["node"]["createdAt"],
    } for i, a in enumerate(world.artifacts)]


async def test_a_filter_on_a_created_at_range(world: World, api: Api) -> None:
    times = sorted({a.created_at for a in world.artifacts})
    assert len(times) >= 3
    low, high = times[1], times[-1]
    got = page(api, filter={"and": [cond("createdAt", "GE", low), cond("createdAt", "LT", high)]})
    assert [e["node"]["id"] for e in got["edges"]] == [
        a.id for a in world.artifacts if low <= a.created_at < high]


async def test_a_filter_on_context_membership(world: World, api: Api) -> None:
    red, blue = world.contexts["red"], world.contexts["blue"]
    cases = [
        (cond("context", "EQ", red), world.members["red"]),
        (cond("context", "IN", [red, blue]), world.members["red"] | world.members["blue"]),
        ({"not": cond("context", "EQ", red)}, {a.id for a in world.artifacts}
         - world.members["red"]),
    ]
    for condition, ids in cases:
        got = page(api, filter=condition)
        assert {e["node"]["id"] for e in got["edges"]} == ids, condition


# -- ordering and paging ---------------------------------------------------------------------

ORDERS = [("createdAt", False), ("createdAt", True), ("name", False), ("name", True),
          ("uri", True), ("properties.rows", False), ("properties.score", True),
          ("customProperties.owner", False), ("state", True), ("id", False)]


@pytest.mark.parametrize(("name", "descending"), ORDERS,
                         ids=[f"{n}{'-desc' if d else ''}" for n, d in ORDERS])
async def test_paging_walks_every_artifact_exactly_once_in_order(
    world: World, api: Api, name: str, descending: bool,
) -> None:
    got = walk(api, 3, orderBy={"field": name, "descending": descending})
    ids = [n["id"] for n in got]
    assert ids == expected_order(world.artifacts, name, descending)
    assert len(set(ids)) == len(world.artifacts)


async def test_the_default_order_is_creation_then_id(world: World, api: Api) -> None:
    got = page(api)
    assert [e["node"]["id"] for e in got["edges"]] == expected_order(
        world.artifacts, "createdAt", False) == [a.id for a in world.artifacts]


async def test_paging_a_filtered_listing_keeps_its_total(world: World, api: Api) -> None:
    condition = cond("type", "EQ", "Dataset")
    matching = [a for a in world.artifacts if a.type == "Dataset"]
    order = {"field": "properties.rows", "descending": True}
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        got = page(api, filter=condition, orderBy=order, first=2, after=after, total=True)
        pages += 1
        assert got["totalCount"] == len(matching)
        seen += [e["node"]["id"] for e in got["edges"]]
        if not got["pageInfo"]["hasNextPage"]:
            break
        after = got["pageInfo"]["endCursor"]
    assert seen == expected_order(matching, "properties.rows", True)
    assert pages == -(-len(matching) // 2)


async def test_the_default_page_size_is_fifty(services: Services, api: Api) -> None:
    await services.types.put(E, TypeInput(name="Step"))
    ids = await services.ingest.put_nodes(E, [ExecutionInput(type="Step", name=f"s{i}") for i in range(55)])
    got = api.data("{ executions { edges { node { id } } pageInfo { hasNextPage } totalCount } }")
    connection = got["executions"]
    assert [e["node"]["id"] for e in connection["edges"]] == sorted(ids)[:50]
    assert connection["pageInfo"]["hasNextPage"] is True
    assert connection["totalCount"] == 55


async def test_an_empty_listing(world: World, api: Api) -> None:
    got = page(api, filter=cond("type", "EQ", "Nothing"), total=True)
    assert got == {"edges": [], "totalCount": 0, "pageInfo": {
        "hasNextPage": False, "hasPreviousPage": False, "startCursor": None,
        "endCursor": None}}


async def test_total_count_through_a_fragment(world: World, api: Api) -> None:
    got = api.data("""
      fragment Total on ArtifactConnection { totalCount }
      { a: artifacts(first: 1) { ...Total }
        b: artifacts(first: 1, filter: {field: "type", op: EQ, value: "Model"}) {
          ... on ArtifactConnection { totalCount } } }""")
    assert got["a"]["totalCount"] == len(world.artifacts)
    assert got["b"]["totalCount"] == sum(a.type == "Model" for a in world.artifacts)


# -- membership lists and the other kinds ---------------------------------------------------


async def test_the_artifacts_of_a_context(world: World, api: Api) -> None:
    red = [a for a in world.artifacts if a.id in world.members["red"]]
    got = walk(api, 2, contextId=world.contexts["red"],
               orderBy={"field": "name", "descending": True})
    assert [n["id"] for n in got] == expected_order(red, "name", True)
    filtered = page(api, contextId=world.contexts["red"], total=True,
                    filter=cond("customProperties.owner", "EQ", "ann"))
    ann = [a.id for a in red if a.custom_properties.get("owner") == "ann"]
    assert [e["node"]["id"] for e in filtered["edges"]] == ann
    assert filtered["totalCount"] == len(ann)
    empty = page(api, contextId=world.contexts["empty"], total=True)
    assert (empty["edges"], empty["totalCount"]) == ([], 0)


async def test_executions_list_with_filters_and_membership(services: Services, api: Api) -> None:
    await services.types.put(E, TypeInput(name="Trainer",
                                       properties={"lr": PropertyType.DOUBLE}))
    await services.types.put(C, TypeInput(name="Experiment"))
    runs = [(ExecutionState.COMPLETE, 0.1), (ExecutionState.FAILED, 0.01),
            (ExecutionState.COMPLETE, 0.3), (ExecutionState.RUNNING, 0.2)]
    ids = await services.ingest.put_nodes(E, [ExecutionInput(type="Trainer", name=f"run-{i}", state=s,
                                                   properties={"lr": lr})
                                    for i, (s, lr) in enumerate(runs)])
    [exp] = await services.ingest.put_nodes(C, [ContextInput(type="Experiment", name="exp")])
    await services.ingest.put_memberships(
        [], [Association(execution_id=i, context_id=exp) for i in ids[1:]])
    query = """query($filter: FilterInput, $orderBy: OrderByInput, $contextId: ID) {
      executions(filter: $filter, orderBy: $orderBy, contextId: $contextId) {
        edges { node { id state properties } } totalCount } }"""
    got = api.data(query, {"filter": cond("state", "EQ", "COMPLETE")})["executions"]
    assert [e["node"]["id"] for e in got["edges"]] == [
        i for i, (s, _) in zip(ids, runs, strict=True) if s is ExecutionState.COMPLETE]
    by_lr = api.data(query, {"contextId": exp, "orderBy": {
        "field": "properties.lr", "descending": True}})["executions"]
    members = sorted(list(zip(ids, runs, strict=True))[1:], key=lambda r: r[1][1],
                     reverse=True)
    assert [e["node"]["id"] for e in by_lr["edges"]] == [i for i, _ in members]
    assert by_lr["totalCount"] == 3


async def test_contexts_list_with_filters_and_order(services: Services, api: Api) -> None:
    await services.types.put(C, TypeInput(name="Run"))
    await services.types.put(C, TypeInput(name="Project"))
    names = ["b-run", "c-run", "a-run"]
    run_ids = await services.ingest.put_nodes(C, [ContextInput(type="Run", name=n) for n in names])
    await services.ingest.put_nodes(C, [ContextInput(type="Project", name="p")])
    query = """query($filter: FilterInput, $orderBy: OrderByInput, $after: String) {
      contexts(filter: $filter, orderBy: $orderBy, first: 2, after: $after) {
        edges { node { id name typeName } } pageInfo { hasNextPage endCursor } totalCount } }"""
    variables: dict[str, Any] = {"filter": cond("type", "EQ", "Run"),
                                 "orderBy": {"field": "name"}}
    first = api.data(query, variables)["contexts"]
    second = api.data(query, {**variables, "after": first["pageInfo"]["endCursor"]})["contexts"]
    got = [e["node"] for e in first["edges"] + second["edges"]]
    by_name = dict(zip(names, run_ids, strict=True))
    assert got == [{"id": by_name[n], "name": n, "typeName": "Run"} for n in sorted(names)]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"],
            second["pageInfo"]["hasNextPage"]) == (3, True, False)


# -- bad requests --------------------------------------------------------------------------

BAD_FILTERS: list[Any] = [
    pytest.param(cond("color", "EQ", "red"), "filter", "unknown field", id="unknown-field"),
    pytest.param({"and": [cond("type", "EQ", "Model"), cond("state", "IN", "LIVE")]},
                 "filter[1]", "IN needs a list", id="in-without-a-list"),
    pytest.param({"or": [cond("name", "EQ", "x"), {"not": cond("name", "LIKE", 3)}]},
                 "filter[1].not", "needs a string", id="like-a-number"),
    pytest.param(cond("properties.bad-name", "EQ", 1), "filter", None, id="bad-property-name"),
    pytest.param({"field": "type", "op": "EQ", "value": "Model",
                  "and": [cond("name", "EQ", "x")]}, "filter", "exactly one of", id="two-kinds"),
    pytest.param({"and": [cond("name", "EQ", "x"), {"field": "name"}]}, "filter[1]", "needs an op",
                 id="nested-without-op"),
    pytest.param({"not": {"or": [{}]}}, "filter.not[0]", "exactly one of", id="nested-empty"),
    pytest.param(cond("context", "LT", "x"), "filter", "context", id="context-lt"),
]


@pytest.mark.parametrize(("condition", "field", "words"), BAD_FILTERS)
async def test_a_bad_filter_is_bad_user_input_naming_the_field(
    api: Api, condition: dict[str, Any], field: str, words: str | None,
) -> None:
    error = api.error(LIST % ("id", ""), {"filter": condition, "first": 10})
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == field, error
    assert error["message"].startswith(f"{field}:"), error
    if words:
        assert words in error["message"], error


async def test_a_bad_order_field_is_bad_user_input(api: Api) -> None:
    for name, words in (("color", "unknown field"), ("context", "cannot order by")):
        error = api.error(LIST % ("id", ""), {"orderBy": {"field": name}, "first": 10})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"].startswith("orderBy")
        assert words in error["message"]


async def test_a_bad_cursor_is_bad_user_input_naming_after(world: World, api: Api) -> None:
    by_name = page(api, first=2, orderBy={"field": "name"})["pageInfo"]["endCursor"]
    for cursor in ("not-a-cursor", "e30", by_name):  # garbage, JSON {}, another ordering's
        error = api.error(LIST % ("id", ""), {"after": cursor, "first": 2})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}, error
        assert error["message"].startswith("after:")


async def test_first_above_the_cap_is_limit_exceeded(world: World, api: Api) -> None:
    error = api.error(LIST % ("id", ""), {"first": CAP + 1})
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "field": "first"}, error
    assert "maxPageSize" in error["message"] and str(CAP) in error["message"]
    assert str(CAP + 1) in error["message"]
    assert len(page(api, first=CAP)["edges"]) == len(world.artifacts)  # the cap itself is fine


async def test_first_below_one_is_bad_user_input(api: Api) -> None:
    for first in (0, -3):
        error = api.error(LIST % ("id", ""), {"first": first})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}, error


async def test_a_filter_op_that_does_not_exist_is_bad_user_input(api: Api) -> None:
    error = api.error(LIST % ("id", ""), {"filter": {"field": "name", "op": "SOUNDS_LIKE"},
                                          "first": 1})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "SOUNDS_LIKE" in error["message"]
