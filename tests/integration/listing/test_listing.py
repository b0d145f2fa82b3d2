"""Filtered listings through the services: every operator and field, checked against a reference filter."""

from __future__ import annotations

import pytest

from graph_api.model.filters import Filter, ListOptions, Op
from graph_api.model.nodes import ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from tests.integration.listing.helpers import (
    FILTERS,
    A,
    E,
    Predicate,
    W,
    World,
)


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


