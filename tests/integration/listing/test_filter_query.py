"""MLMD's filter_query grammar on the listings: the services', a context's members', and
GraphQL's `filterQuery`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph_api.errors import InvalidInput
from graph_api.model.filters import ListOptions
from graph_api.model.nodes import Artifact
from graph_api.services.nodes import MemberQuery
from tests.integration.api import Api
from tests.integration.listing.helpers import A, World

Check = Callable[[Artifact, World], bool]

QUERIES: list[tuple[str, Check]] = [
    ("name LIKE 'train%'", lambda a, w: (a.name or "").startswith("train")),
    ("uri LIKE '%100\\%_done%'", lambda a, w: "100%_done" in (a.uri or "")),
    ("properties.rows.int_value >= 100 AND NOT type = 'Model'",
     lambda a, w: (a.properties.get("rows") or -1) >= 100 and a.type != "Model"),
    ("custom_properties.owner.string_value IN ('ann', 'cat')",
     lambda a, w: a.custom_properties.get("owner") in ("ann", "cat")),
    ("state = LIVE OR state = PENDING", lambda a, w: a.state.value in ("LIVE", "PENDING")),
    ("name IS NULL", lambda a, w: a.name is None),
    ("properties.score.double_value IS NOT NULL AND properties.score.double_value < 0.6",
     lambda a, w: a.properties.get("score") is not None and a.properties["score"] < 0.6),
    ("contexts_a.name = 'red'", lambda a, w: a.id in w.members["red"]),
    ("NOT contexts_a.name = 'red' AND uri LIKE 's3://%'",
     lambda a, w: a.id not in w.members["red"] and (a.uri or "").startswith("s3://")),
    ("name = 'train-1\\' OR true'", lambda a, w: False),  # a quote inside the value
]


def _ordered(world: World, check: Check) -> list[str]:
    return [a.id for a in sorted(world.artifacts, key=lambda a: (a.created_at, a.id))
            if check(a, world)]


@pytest.mark.parametrize(("query", "check"), QUERIES, ids=[q for q, _ in QUERIES])
async def test_a_filter_query_lists_exactly_the_matching_nodes(
        world: World, query: str, check: Check) -> None:
    page = await world.services.nodes.list(A, ListOptions(filter_query=query, limit=100),
                                           with_total=True)
    assert [n.id for n in page.items] == _ordered(world, check)
    assert page.total_count == len(page.items)


async def test_a_filter_query_applies_to_a_contexts_members(world: World) -> None:
    options = ListOptions(filter_query="properties.format.string_value = 'csv'", limit=100)
    [page] = await world.services.nodes.list_in_contexts(
        A, [MemberQuery(world.contexts["red"], options)])
    assert [n.id for n in page.items] == _ordered(
        world, lambda a, w: a.id in w.members["red"] and a.properties.get("format") == "csv")


async def test_a_bad_filter_query_is_invalid_input_naming_the_problem(world: World) -> None:
    with pytest.raises(InvalidInput, match="cannot parse"):
        await world.services.nodes.list(A, ListOptions(filter_query="name = "))
    with pytest.raises(InvalidInput, match="unknown attribute 'colour'"):
        await world.services.nodes.list(A, ListOptions(filter_query="colour = 'red'"))


async def test_graphql_listings_take_a_filter_query(world: World, api: Api) -> None:
    data = api.data('{ artifacts(filterQuery: "name LIKE \'train%\'") { edges { node { name } } } '
                    ' contexts(filterQuery: "name = \'red\'") { edges { node { '
                    '   artifacts(filterQuery: "properties.rows.int_value = 100") { '
                    '     edges { node { name } } } } } } }')
    assert [e["node"]["name"] for e in data["artifacts"]["edges"]] == ["train-1", "train-2"]
    [red] = data["contexts"]["edges"]
    assert [e["node"]["name"] for e in red["node"]["artifacts"]["edges"]] == ["train-1"]
    error = api.error('{ artifacts(filterQuery: "invalid syntax") { edges { node { id } } } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
