"""Listings of artifacts, executions and contexts: filtered, ordered, keyset-paginated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import strawberry

from graph_api.errors import LineageError
from graph_api.graphql.context import Info
from graph_api.graphql.filters import FilterInput, OrderByInput
from graph_api.graphql.loaders import detached
from graph_api.graphql.nodes.lookahead import load_ahead
from graph_api.graphql.nodes.types import Artifact, Context, Execution
from graph_api.graphql.pagination import (
    DEFAULT_PAGE_SIZE,
    Connection,
    first_not_limit,
    list_options,
)
from graph_api.graphql.selection import below, selects
from graph_api.model import nodes as domain
from graph_api.model.enums import NodeKind

T = TypeVar("T")

FilterArg = Annotated[FilterInput | None, strawberry.argument(description=(
    "Only the nodes this filter matches; conditions nest with and, or, not."))]
OrderByArg = Annotated[OrderByInput | None, strawberry.argument(description=(
    "Sort key; default createdAt, oldest first. Ties break by id; nodes without the value "
    "come last."))]
FirstArg = Annotated[int, strawberry.argument(description=(
    f"Page size (default {DEFAULT_PAGE_SIZE}); above the server's maxPageSize the request "
    "fails with LIMIT_EXCEEDED."))]
AfterArg = Annotated[str | None, strawberry.argument(description=(
    "Continue after this cursor: the endCursor of the previous page, asked for with the "
    "same orderBy."))]
FilterQueryArg = Annotated[str | None, strawberry.argument(description=(
    "Only the nodes this condition in MLMD's filter_query grammar matches (ANDed with "
    "filter), e.g. \"name LIKE 'model_%' AND contexts_a.name = 'run-7'\"; `id` is the "
    "int64 id MLMD clients see (see docs/mlmd.md)."))]


async def _page(info: Info, kind: NodeKind, convert: Callable[[domain.Node], T],
                filter: FilterInput | None, order_by: OrderByInput | None, first: int,
                after: str | None, context_id: strawberry.ID | None,
                filter_query: str | None) -> Connection[T]:
    """One store call for the page, with the total in the same transaction if selected."""
    options = list_options(filter, order_by, first, after, filter_query)
    context = str(context_id) if context_id is not None else None
    nodes = info.context.services.nodes
    try:
        page = await detached(nodes.list(kind, options, context_id=context,
                                         with_total=selects(info, "totalCount")))
    except LineageError as error:
        raise first_not_limit(error) from None

    async def count() -> int:
        counted = await detached(nodes.list(
            kind, options.model_copy(update={"limit": 1, "after": None}), context_id=context,
            with_total=True))
        return counted.total_count or 0

    await load_ahead(info.context.loaders, kind, [n.id for n in page.items],
                     below(info, "edges", "node"))
    return Connection[T].from_page(page, convert, after=after, count=count)


def _artifact(n: domain.Node) -> Artifact:
    assert isinstance(n, domain.Artifact)
    return Artifact.from_domain(n)


def _execution(n: domain.Node) -> Execution:
    assert isinstance(n, domain.Execution)
    return Execution.from_domain(n)


def _context(n: domain.Node) -> Context:
    assert isinstance(n, domain.Context)
    return Context.from_domain(n)


@strawberry.type
class ListingQuery:
    @strawberry.field(description=(
        "Artifacts, a page at a time: filtered, ordered, optionally only those of a context."))
    async def artifacts(
        self, info: Info, filter: FilterArg = None, order_by: OrderByArg = None,
        first: FirstArg = DEFAULT_PAGE_SIZE, after: AfterArg = None,
        context_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="Only the artifacts attributed to this context.")] = None,
        filter_query: FilterQueryArg = None,
    ) -> Connection[Artifact]:
        return await _page(info, NodeKind.ARTIFACT, _artifact, filter, order_by, first,
                           after, context_id, filter_query)

    @strawberry.field(description=(
        "Executions, a page at a time: filtered, ordered, optionally only those of a context."))
    async def executions(
        self, info: Info, filter: FilterArg = None, order_by: OrderByArg = None,
        first: FirstArg = DEFAULT_PAGE_SIZE, after: AfterArg = None,
        context_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="Only the executions associated with this context.")] = None,
        filter_query: FilterQueryArg = None,
    ) -> Connection[Execution]:
        return await _page(info, NodeKind.EXECUTION, _execution, filter, order_by, first,
                           after, context_id, filter_query)

    @strawberry.field(description="Contexts, a page at a time: filtered and ordered.")
    async def contexts(
        self, info: Info, filter: FilterArg = None, order_by: OrderByArg = None,
        first: FirstArg = DEFAULT_PAGE_SIZE, after: AfterArg = None,
        filter_query: FilterQueryArg = None,
    ) -> Connection[Context]:
        return await _page(info, NodeKind.CONTEXT, _context, filter, order_by, first, after,
                           None, filter_query)
