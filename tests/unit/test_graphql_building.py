"""Inputs built straight from their GraphQL values hold what Strawberry's own conversion
gives: leaves as coerced, nested inputs converted, omitted fields at their defaults, and
default lists not shared between requests."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from graph_api.graphql.building import fast_input


@strawberry.enum
class Kind(Enum):
    IN = "IN"
    OUT = "OUT"


@fast_input
@strawberry.input
class Inner:
    kind: Kind
    when: datetime | None = None


@fast_input
@strawberry.input
class Outer:
    name: str
    ref: strawberry.ID | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    inner: Inner | None = None
    inners: list[Inner] = strawberry.field(default_factory=list)


SEEN: list[list[Outer]] = []


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Mutation:
    @strawberry.mutation
    def put(self, rows: list[Outer]) -> int:
        SEEN.append(rows)
        for row in rows:
            row.tags.append("touched")
        return len(rows)


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)
PUT = "mutation ($rows: [Outer!]!) { put(rows: $rows) }"


def put(rows: list[dict[str, Any]]) -> list[Outer]:
    result = SCHEMA.execute_sync(PUT, {"rows": rows})
    assert result.errors is None, result.errors
    return SEEN[-1]


def test_leaves_nested_inputs_and_defaults_are_built() -> None:
    [full, bare] = put([
        {"name": "a", "ref": "7", "tags": ["x"], "inner": {"kind": "IN"},
         "inners": [{"kind": "OUT", "when": "2026-01-02T03:04:05+00:00"}]},
        {"name": "b"},
    ])
    assert isinstance(full, Outer) and isinstance(full.inner, Inner)
    assert (full.name, full.ref, full.inner.kind, full.inner.when) == ("a", "7", Kind.IN, None)
    [inner] = full.inners
    assert inner.kind is Kind.OUT and inner.when == datetime.fromisoformat(
        "2026-01-02T03:04:05+00:00")
    assert (bare.ref, bare.inner, bare.inners) == (None, None, [])


def test_a_default_list_is_not_shared_between_requests() -> None:
    [first] = put([{"name": "a"}])
    [second] = put([{"name": "b"}])
    assert first.tags == ["touched"] and second.tags == ["touched"]
