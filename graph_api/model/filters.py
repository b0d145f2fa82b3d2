"""A structured filter language for listing nodes and for lineage stop conditions.

A `Filter` is exactly one of: a condition (`field`, `op`, `value`), `and_`, `or_` or
`not_`. Fields: `id`, `externalId`, `type`, `state`, `uri`, `name`, `createdAt`,
`updatedAt`, `kind` (`Artifact` / `Execution` / `Context`), `context` (membership, by
context id), `properties.<name>` and `customProperties.<name>`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Op(StrEnum):
    EQ = "EQ"
    NE = "NE"
    LT = "LT"
    LE = "LE"
    GT = "GT"
    GE = "GE"
    IN = "IN"
    IS_NULL = "IS_NULL"
    IS_NOT_NULL = "IS_NOT_NULL"
    CONTAINS = "CONTAINS"
    STARTS_WITH = "STARTS_WITH"
    ENDS_WITH = "ENDS_WITH"
    LIKE = "LIKE"


class Filter(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    field: str | None = None
    op: Op | None = None
    value: Any = None
    and_: list[Filter] | None = Field(default=None, alias="and")
    or_: list[Filter] | None = Field(default=None, alias="or")
    not_: Filter | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _exactly_one(self) -> Filter:
        parts = [self.field is not None, self.and_ is not None, self.or_ is not None,
                 self.not_ is not None]
        if sum(parts) != 1:
            raise ValueError("a filter is exactly one of: a condition (field, op), and, or, not")
        if self.field is not None and self.op is None:
            raise ValueError(f"filter on {self.field!r} needs an op")
        if self.field is None and (self.op is not None or self.value is not None):
            raise ValueError("op and value belong to a condition, which needs a field")
        return self

    @classmethod
    def where(cls, field: str, op: Op | str, value: Any = None) -> Filter:
        return cls(field=field, op=Op(op), value=value)

    @classmethod
    def all_of(cls, *filters: Filter) -> Filter:
        return cls(and_=list(filters))

    @classmethod
    def any_of(cls, *filters: Filter) -> Filter:
        return cls(or_=list(filters))

    @classmethod
    def negate(cls, inner: Filter) -> Filter:
        return cls(not_=inner)


class OrderBy(BaseModel):
    """Sort key: a field of the filter language (not `context` or `kind`)."""

    model_config = ConfigDict(frozen=True)

    field: str = "createdAt"
    descending: bool = False


class ListOptions(BaseModel):
    """MLMD's `ListOptions`: filter, order, page size and a keyset cursor."""

    model_config = ConfigDict(frozen=True)

    filter: Filter | None = None
    filter_query: str | None = Field(default=None, max_length=10_000, description=(
        "A condition in MLMD's filter_query grammar, ANDed with `filter`."))
    order_by: OrderBy = Field(default_factory=OrderBy)
    limit: int = 100
    after: str | None = None
