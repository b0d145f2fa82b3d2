"""Filtered, ordered, keyset-paginated listings of nodes, of one context or of many.

A listing's filter, order and cursor are compiled here (`filters`, `cursors`); the page-size
cap is the caller's to check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from graph_api.model.enums import NodeKind
from graph_api.model.filters import ListOptions
from graph_api.model.nodes import Node
from graph_api.model.pages import Page
from graph_api.store import cursors, records
from graph_api.store.connection import Tx
from graph_api.store.filters import Compiled, Ordering, compile_filter, ordering
from graph_api.store.mlmd_filter import compile_filter_query


class MemberQuery(NamedTuple):
    """One page of the members of one context, for `pages_in_contexts`."""

    context_id: str
    options: ListOptions
    with_total: bool = False


@dataclass(frozen=True)
class Prepared:
    """A listing's compiled filter, order and decoded cursor."""

    compiled: Compiled
    order: Ordering
    cursor: tuple[Any, str | None]


def prepare(options: ListOptions, kind: NodeKind) -> Prepared:
    """Compile a listing's filter (and MLMD filter query), order and cursor.

    Raises:
        InvalidInput: a bad filter, filter query, order field or cursor.
    """
    cursor: tuple[Any, str | None] = (None, None)
    if options.after is not None:
        cursor = cursors.decode(options.after, options.order_by.field)
    compiled = compile_filter(options.filter)
    if options.filter_query:
        query = compile_filter_query(options.filter_query, kind)
        compiled = Compiled(f"({compiled.expression}) AND ({query.expression})",
                            {**compiled.params, **query.params})
    return Prepared(compiled, ordering(options.order_by), cursor)


def _page(kind: NodeKind, options: ListOptions, order: Ordering, rows: list[dict[str, Any]],
          total: int | None) -> Page[Node]:
    """The page of `rows` (one more than the page size when more follow)."""
    kept = rows[:options.limit]
    return Page[Node](
        items=[records.node(kind, r) for r in kept],
        cursors=[cursors.encode(options.order_by.field, r.get(order.key), r["id"]) for r in kept],
        has_next=len(rows) > options.limit, total_count=total)


async def page(tx: Tx, kind: NodeKind, options: ListOptions, *, context_id: str | None = None,
               with_total: bool = False) -> Page[Node]:
    """One page of nodes of `kind` (members of `context_id` if given), with the total count
    of matches when `with_total`.

    Raises:
        InvalidInput: a bad filter, order field or cursor.
    """
    prepared = prepare(options, kind)
    compiled, order = prepared.compiled, prepared.order
    params: dict[str, Any] = {**compiled.params, "limit": options.limit + 1}
    if options.after is not None:
        params |= {"cursorValue": prepared.cursor[0], "cursorId": prepared.cursor[1]}
        where = f"{order.after} AND ({compiled.expression})"
    else:
        params |= order.start_params
        where = f"{order.start} AND ({compiled.expression})"
    fragments = {"label": kind.value, "where": where, "order": order.order}
    in_context = context_id is not None
    if in_context:
        rows = (await tx.single("read/list_nodes_in_context", {**params, "contextId": context_id},
                                fragments))["nodes"]
    else:
        rows = [r["node"] for r in await tx.run("read/list_nodes", params, fragments)]
    total = None
    if with_total:
        total = (await tx.single(
            "read/count_nodes_in_context" if in_context else "read/count_nodes",
            {**compiled.params, "contextId": context_id},
            {"label": kind.value, "where": compiled.expression}))["total"]
    return _page(kind, options, order, rows, total)


async def pages_in_contexts(tx: Tx, kind: NodeKind, queries: Sequence[MemberQuery]
                            ) -> list[Page[Node]]:
    """One page of the members of each of several contexts, in the order of `queries`.

    Queries that differ only in their context and cursor share one statement (and, when
    they want a total, one count statement), so listing the members of a hundred contexts
    costs what listing those of one does. An unknown context has an empty page (total 0).

    Raises:
        InvalidInput: a bad filter, order field or cursor (of any query).
    """
    prepared = [prepare(q.options, kind) for q in queries]
    groups: dict[tuple[str, bool], list[int]] = {}
    for i, q in enumerate(queries):
        groups.setdefault((q.options.model_dump_json(exclude={"after"}), q.with_total),
                          []).append(i)
    out: list[Page[Node] | None] = [None] * len(queries)
    for (_, with_total), members in groups.items():
        first = prepared[members[0]]
        # The cursor is per row: the keyset condition reads it from the row.
        after = (first.order.after.replace("$cursorValue", "row.cursorValue")
                 .replace("$cursorId", "row.cursorId"))
        where = (f"{first.order.present} AND ({first.compiled.expression}) "
                 f"AND (row.cursorId IS NULL OR {after})")
        rows = [{"index": i, "contextId": queries[i].context_id,
                 "cursorValue": prepared[i].cursor[0], "cursorId": prepared[i].cursor[1]}
                for i in members]
        params = {**first.compiled.params, "rows": rows,
                  "limit": queries[members[0]].options.limit + 1}
        pages = (await tx.single("read/list_nodes_in_contexts", params, {
            "label": kind.value, "where": where, "order": first.order.order}))["pages"]
        totals: dict[str, int] = {}
        if with_total:
            ids = sorted({queries[i].context_id for i in members})
            found = (await tx.single(
                "read/count_nodes_in_contexts", {**first.compiled.params, "ids": ids},
                {"label": kind.value, "where": first.compiled.expression}))["totals"]
            totals = {t["contextId"]: t["total"] for t in found}
        for p in pages:
            i = p["index"]
            total = totals.get(queries[i].context_id, 0) if with_total else None
            out[i] = _page(kind, queries[i].options, prepared[i].order, p["nodes"], total)
    return [p if p is not None else Page[Node](items=[], cursors=[], has_next=False)
            for p in out]
