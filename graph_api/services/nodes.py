"""Reads of artifacts, executions and contexts: by id or key, listings, and what lies one
step away (events, contexts, parents, children, producers, consumers, inputs, outputs).

Every read answers for many nodes in one round trip, so a DataLoader can batch a whole
level of a nested request into one call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from graph_api.config import Limits
from graph_api.model.enums import NodeKind
from graph_api.model.filters import ListOptions
from graph_api.model.nodes import Node
from graph_api.model.pages import Page
from graph_api.model.relations import Event
from graph_api.services.caps import bounded_page
from graph_api.store import listing
from graph_api.store import nodes as node_rows
from graph_api.store import relations as relation_rows
from graph_api.store.connection import Database, Tx
from graph_api.store.listing import MemberQuery

T = TypeVar("T")

__all__ = ["MemberQuery", "NodeService"]


def _grouped(ids: Sequence[str], pairs: Sequence[tuple[str, Node]]) -> dict[str, list[Node]]:
    """Each id with its nodes, ordered by id (an id without any gets an empty list)."""
    out: dict[str, list[Node]] = defaultdict(list)
    for node_id, node in pairs:
        out[node_id].append(node)
    return {i: sorted(out.get(i, []), key=lambda n: n.id) for i in ids}


class NodeService:
    """Lookups and listings of nodes, and the reads along their relationships.

    (`list` comes last: defined earlier, it would shadow the builtin in the annotations of
    the methods after it.)
    """

    def __init__(self, db: Database, limits: Limits) -> None:
        self.db = db
        self.limits = limits

    async def _read(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        return await self.db.read(work)

    async def by_ids(self, kind: NodeKind, ids: Sequence[str]) -> list[Node]:
        """Nodes by id, in the order of `ids`; unknown ids are left out."""
        found = {n.id: n for n in await self._read(lambda tx: node_rows.by_ids(tx, kind, ids))}
        return [found[i] for i in ids if i in found]

    async def by_external_ids(self, kind: NodeKind, external_ids: Sequence[str]) -> list[Node]:
        """Nodes by external id, in the order given; unknown ones are left out."""
        found = {n.external_id: n for n in await self._read(
            lambda tx: node_rows.by_external_ids(tx, kind, external_ids))}
        return [found[x] for x in external_ids if x in found]

    async def contexts_by_type_and_name(self, keys: Sequence[tuple[str, str]]) -> list[Node]:
        """Contexts by their unique (type, name), in the order given; unknown ones are
        left out."""
        found = {(n.type, n.name): n for n in await self._read(
            lambda tx: node_rows.contexts_by_type_and_name(tx, keys))}
        return [found[k] for k in keys if k in found]

    def check_list_options(self, options: ListOptions, kind: NodeKind) -> None:
        """Validate a listing's options without touching the database.

        Raises:
            InvalidInput: a bad filter, order field or cursor, or a page size below 1.
            LimitExceeded: `limit` above the configured page-size cap.
        """
        bounded_page(self.limits, options.limit)
        listing.prepare(options, kind)

    async def list_in_contexts(self, kind: NodeKind, queries: Sequence[MemberQuery]
                               ) -> list[Page[Node]]:
        """One page of the members of each of several contexts, in one read transaction
        (see `store.listing.pages_in_contexts`); pages in the order of `queries`.

        Raises:
            InvalidInput: a bad filter, order field or cursor (of any query).
            LimitExceeded: a `limit` above the configured page-size cap.
        """
        for q in queries:
            bounded_page(self.limits, q.options.limit)
        if not queries:
            return []
        return await self._read(lambda tx: listing.pages_in_contexts(tx, kind, queries))

    async def events_of(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, list[Event]]:
        """Events of each artifact or execution id (MLMD `get_events_by_*_ids`), oldest
        first."""
        out: dict[str, list[Event]] = {i: [] for i in ids}
        for event in await self._read(lambda tx: relation_rows.events_of(tx, kind, ids)):
            out[event.artifact_id if kind is NodeKind.ARTIFACT else event.execution_id].append(
                event)
        for events in out.values():
            events.sort(key=lambda e: (e.timestamp, e.type.value, e.artifact_id, e.execution_id))
        return out

    async def contexts_of(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, list[Node]]:
        """Contexts each artifact or execution belongs to (MLMD `get_contexts_by_*`), by id."""
        return _grouped(ids, await self._read(lambda tx: relation_rows.contexts_of(tx, kind, ids)))

    async def parents_of(self, ids: Sequence[str]) -> dict[str, list[Node]]:
        """Direct parent contexts of each context id, ordered by id."""
        return _grouped(ids, await self._read(lambda tx: relation_rows.parents_of(tx, ids)))

    async def children_of(self, ids: Sequence[str]) -> dict[str, list[Node]]:
        """Direct child contexts of each context id, ordered by id."""
        return _grouped(ids, await self._read(lambda tx: relation_rows.children_of(tx, ids)))

    async def neighbours(self, which: str, ids: Sequence[str]) -> dict[str, list[Node]]:
        """Each id with its distinct neighbours along events, ordered by id; an unknown id
        gets an empty list. `which`: `producers` (executions that wrote each artifact),
        `consumers` (that read it), `inputs` (artifacts each execution read), `outputs`
        (that it wrote)."""
        return _grouped(ids, await self._read(lambda tx: relation_rows.neighbours(tx, which, ids)))

    async def list(self, kind: NodeKind, options: ListOptions | None = None, *,
                   context_id: str | None = None, with_total: bool = False) -> Page[Node]:
        """One page of nodes of `kind` (optionally members of a context), keyset-paginated,
        with the total count of matches when `with_total` (in the same transaction).

        Raises:
            InvalidInput: a bad filter, order field or cursor.
            LimitExceeded: `limit` above the configured page-size cap.
        """
        options = options or ListOptions()
        bounded_page(self.limits, options.limit)
        return await self._read(lambda tx: listing.page(tx, kind, options, context_id=context_id,
                                                        with_total=with_total))
