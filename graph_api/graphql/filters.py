"""The filter language as GraphQL input: conditions nest with `and`, `or` and `not`."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from graph_api.graphql.scalars import JSON
from graph_api.model.filters import Filter, Op, OrderBy

strawberry.enum(Op, description=(
    "Comparison of a field with a value: EQ NE LT LE GT GE; IN a list; IS_NULL and "
    "IS_NOT_NULL take no value; CONTAINS, STARTS_WITH, ENDS_WITH on strings; LIKE a SQL "
    "pattern (% any run, _ one character, \\ escapes)."))


@strawberry.input(description=(
    "Exactly one of: a condition (field, op, value), and, or, not. Fields: id, externalId, "
    "type, state, uri, name, createdAt, updatedAt (milliseconds since the epoch), kind, "
    "context (a context id: membership), properties.<name>, customProperties.<name>."))
class FilterInput:
    field: str | None = strawberry.field(default=None, description="The field to test.")
    op: Op | None = strawberry.field(default=None, description="How to compare it.")
    value: JSON | None = strawberry.field(default=None, description="The value to compare with.")
    and_: list[FilterInput] | None = strawberry.field(
        default=None, name="and", description="Every one of these holds.")
    or_: list[FilterInput] | None = strawberry.field(
        default=None, name="or", description="At least one of these holds.")
    not_: FilterInput | None = strawberry.field(
        default=None, name="not", description="This does not hold.")

    def to_domain(self) -> Filter:
        """The domain filter; raises pydantic's ValidationError for a malformed one."""
        return Filter(
            field=self.field, op=self.op, value=_plain(self.value),
            and_=[f.to_domain() for f in self.and_] if self.and_ is not None else None,
            or_=[f.to_domain() for f in self.or_] if self.or_ is not None else None,
            not_=self.not_.to_domain() if self.not_ is not None else None,
        )


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@strawberry.input(description="Sort key of a listing: a field of the filter language.")
class OrderByInput:
    field: str = strawberry.field(default="createdAt", description="The field to sort by.")
    descending: bool = strawberry.field(default=False, description="Largest first.")

    def to_domain(self) -> OrderBy:
        return OrderBy(field=self.field, descending=self.descending)
