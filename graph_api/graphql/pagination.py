"""Relay connections over the store's keyset pages, and the helpers listings share.

A connection is `edges { node cursor }`, `pageInfo` and `totalCount`. Cursors are the
store's opaque keyset cursors: pass `pageInfo.endCursor` as `after` for the next page.
`totalCount` costs a count over every match, so resolvers ask for it only when the client
selected it (`selection.selects`); should a client reach it another way, it is counted on
demand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry
from pydantic import ValidationError

from graph_api.errors import InvalidInput, LineageError
from graph_api.graphql.filters import FilterInput, OrderByInput
from graph_api.model.filters import Filter, ListOptions, OrderBy
from graph_api.model.pages import Page

#: Page size when a listing's `first` is not given.
DEFAULT_PAGE_SIZE = 50

N = TypeVar("N")
D = TypeVar("D")


@strawberry.type(description="Where a page of a connection starts and ends, and what follows.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More nodes follow: ask again with `after: endCursor`.")
    has_previous_page: bool = strawberry.field(
        description="The page was asked for with `after`, so nodes precede it.")
    start_cursor: str | None = strawberry.field(
        description="Cursor of the page's first node; null for an empty page.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the page's last node (the `after` of the next page); null "
                    "for an empty page.")


@strawberry.type(description="One node of a connection and its cursor.")
class Edge(Generic[N]):
    node: N = strawberry.field(description="The node.")
    cursor: str = strawberry.field(
        description="Opaque keyset cursor: `after` this cursor continues behind the node.")


@strawberry.type(description=(
    "One page of a listing (a Relay connection): the nodes with their cursors, where the "
    "page ends and how many nodes match in all."))
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The page's nodes, in order.")
    page_info: PageInfo = strawberry.field(description="Where the page ends; whether more follow.")
    total: strawberry.Private[int | None]
    count: strawberry.Private[Callable[[], Awaitable[int]] | None]

    @strawberry.field(description=(
        "How many nodes match the filter across all pages (ignores `first` and `after`)."))
    async def total_count(self) -> int:
        if self.total is None and self.count is not None:
            self.total = await self.count()
        return self.total or 0

    @classmethod
    def from_page(cls, page: Page[D], convert: Callable[[D], N], *, after: str | None,
                  count: Callable[[], Awaitable[int]] | None = None) -> Connection[N]:
        """The connection of a store page; `count` computes the total if the page has none."""
        edges = [Edge(node=convert(item), cursor=cursor)
                 for item, cursor in zip(page.items, page.cursors, strict=True)]
        info = PageInfo(has_next_page=page.has_next, has_previous_page=after is not None,
                        start_cursor=page.cursors[0] if page.cursors else None,
                        end_cursor=page.end_cursor)
        return cls(edges=edges, page_info=info, total=page.total_count, count=count)


def list_options(filter: FilterInput | None, order_by: OrderByInput | None, first: int,
                 after: str | None, filter_query: str | None = None) -> ListOptions:
    """The store's `ListOptions` from a listing's arguments.

    Raises:
        InvalidInput: a malformed filter, naming where in it (`filter[1].not`).
    """
    return ListOptions(filter=domain_filter(filter), filter_query=filter_query,
                       order_by=order_by.to_domain() if order_by is not None else OrderBy(),
                       limit=first, after=after)


def domain_filter(f: FilterInput | None, where: str = "filter") -> Filter | None:
    """`f` as a domain filter; a malformed part is reported by its path, as the store does."""
    if f is None:
        return None
    try:
        return f.to_domain()
    except ValidationError as error:
        where = _locate(f, where)
        message = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise InvalidInput(f"{where}: {message}", field=where) from None


def _locate(f: FilterInput, where: str) -> str:
    """The path of the innermost malformed part of `f` (which is malformed)."""
    children: Sequence[tuple[FilterInput, str]] = [
        *((c, f"{where}[{i}]") for i, c in enumerate(f.and_ or f.or_ or [])),
        *(((f.not_, f"{where}.not"),) if f.not_ is not None else ()),
    ]
    for child, path in children:
        try:
            child.to_domain()
        except ValidationError:
            return _locate(child, path)
    return where


def first_not_limit(error: LineageError) -> LineageError:
    """The store calls the page size `limit`; GraphQL clients know it as `first`."""
    if error.field != "limit":
        return error
    return type(error)("first" + error.message.removeprefix("limit"), field="first")
