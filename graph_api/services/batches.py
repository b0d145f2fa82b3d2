"""A batch write in one transaction and one statement: each kind's node rows, the edges
between them (each end a row of the batch or a stored node named by id), and the checks
that turn what the statement found into the first error of the batch, in order.

The rows are checked against their types before anything is sent, with the types kept
in a `TypeCache` (each batch checks against its own view of it); a type that changed
meanwhile makes the statement write nothing of its rows and the batch is tried again
with the types read anew. A refused row makes the statement only look the batch's keys
up, so the error names the first row at fault in the order the calls always checked
them. Raising rolls the transaction back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from graph_api.errors import Conflict
from graph_api.ids import new_id
from graph_api.model.enums import EventType, NodeKind
from graph_api.services.node_writes import NodeRows, now_ms
from graph_api.services.types import TypeCache
from graph_api.store import batch as batch_rows
from graph_api.store.connection import Database, Tx

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT

#: Attempts of a batch whose types changed between the check of its rows and the write.
TYPE_ATTEMPTS = 3

_INPUTS = frozenset(t for t in EventType if t.is_input)

R = TypeVar("R")

#: The ids a batch wrote or reused: each kind's rows, in order.
Ids = dict[NodeKind, list[str]]

#: An edge's end: `i >= 0` is row i of its kind's inputs, `~j` (negative) its ref j.
End = int


class _StaleTypes(Exception):
    """A batch's rows were checked against a type that changed since: check anew."""


class _Aliased(Exception):
    """Two rows of a kind named one stored node (by its id and by its external id): an
    edge created as new may then be there twice, so the batch merges every edge."""


@dataclass(slots=True)
class Event:
    artifact: End
    execution: End
    type: EventType
    path: str
    timestamp: int | None


@dataclass
class Batch:
    """What one statement writes: each kind's rows, and the edges between them.

    `checks` is the order in which errors are looked for: ("nodes", kind) checks the
    kind's rows, ("refs", kind) the stored nodes its edges name by id.
    """

    nodes: dict[NodeKind, NodeRows]
    checks: list[tuple[str, NodeKind]]
    events: list[Event] = field(default_factory=list)
    attributions: list[tuple[End, End]] = field(default_factory=list)
    associations: list[tuple[End, End]] = field(default_factory=list)

    def rows(self, kind: NodeKind) -> NodeRows:
        return self.nodes.setdefault(kind, NodeRows(kind))

    def ref(self, kind: NodeKind, where: str, node_id: str) -> End:
        """An edge's end that is a stored node, named by id at `where` in the request."""
        return ~self.rows(kind).ref(where, node_id)


class BatchWriter:
    """Writes batches over one database, checking rows against `types`."""

    def __init__(self, db: Database, types: TypeCache) -> None:
        self.db = db
        self.types = types

    async def write(self, batch: Batch) -> Ids:
        """Write `batch` in one transaction; the ids of each kind's rows, in order.

        Raises:
            NotFound, InvalidInput, Conflict: the first error of the batch, in the order of
                `batch.checks`; nothing is written.
        """

        async def plan(tx: Tx) -> Batch:
            return batch

        async def ids(tx: Tx, written: Ids) -> Ids:
            return written

        return await self.write_planned(plan, ids)

    async def write_planned(self, plan: Callable[[Tx], Awaitable[Batch]],
                            then: Callable[[Tx, Ids], Awaitable[R]]) -> R:
        """Write the batch `plan` makes from what it reads, and run `then` after it, all in
        one transaction: for writes that merge what is stored with what is sent (a read,
        the batch statement, and statements that need the batch's ids). `plan` runs again
        on each attempt, so it must build a new batch each time.

        Raises:
            NotFound, InvalidInput, Conflict: as `write`, or raised by `plan` or `then`;
                nothing is written.
        """
        fresh = True
        for _ in range(TYPE_ATTEMPTS):
            try:
                return await self.db.write(partial(self._planned, plan=plan, then=then,
                                                   fresh=fresh))
            except _StaleTypes:
                continue
            except _Aliased:
                fresh = False
        raise Conflict("the types of the batch changed while it was written; retry")

    async def write_in(self, tx: Tx, batch: Batch) -> dict[NodeKind, list[str]]:
        """Write `batch` inside the caller's transaction, for a write that must be atomic
        with statements of its own; edges are merged, never assumed new.

        Raises:
            NotFound, InvalidInput, Conflict: as `write`.
        """
        try:
            return await self._attempt(tx, batch=batch, fresh=False)
        except _StaleTypes:
            raise Conflict("the types of the batch changed while it was written; retry") from None

    async def _planned(self, tx: Tx, *, plan: Callable[[Tx], Awaitable[Batch]],
                       then: Callable[[Tx, Ids], Awaitable[R]], fresh: bool) -> R:
        batch = await plan(tx)
        return await then(tx, await self._attempt(tx, batch=batch, fresh=fresh))

    async def _prepare(self, tx: Tx, batch: Batch, now: int) -> bool:
        """Build every kind's rows; True when they are to be written, False when a row is
        refused (the statement then only looks up what the errors need).

        The rows are checked against this batch's own view of their types, never against
        the shared cache between two awaits: another request may forget a type there
        meanwhile (registering it, or finding it stale), and the batch would then refuse
        its row as of a type that does not exist.
        """
        views = {kind: await self.types.view(tx, kind, rows.type_keys())
                 for kind, rows in batch.nodes.items()}
        for kind, rows in batch.nodes.items():
            rows.prepare(views[kind], now)
        refused = [kind for kind, rows in batch.nodes.items() if rows.has_errors()]
        if not refused:
            return True
        for kind in refused:  # a schema may have grown since it was read: read it anew
            views[kind] = await self.types.load(tx, kind, batch.nodes[kind].type_keys())
        for kind, rows in batch.nodes.items():
            rows.prepare(views[kind], now)
        write = not any(rows.has_errors() for rows in batch.nodes.values())
        if not write:
            for kind, rows in batch.nodes.items():
                rows.prepare(views[kind], now, write=False)
        return write

    @staticmethod
    def _edges(batch: Batch) -> tuple[batch_rows.EdgeRows, ...]:
        """The edges as the statement takes them: ends as positions among its rows, each
        edge once (the first of its copies)."""
        a, x, c = (batch.nodes.get(k) for k in (A, E, C))
        events: dict[tuple[int, int, EventType, str], int | None] = {}
        for e, ai, xi in zip(batch.events,
                             a.positions([e.artifact for e in batch.events]) if a else [],
                             x.positions([e.execution for e in batch.events]) if x else [],
                             strict=True):
            events.setdefault((ai, xi, e.type, e.path), e.timestamp)
        parts = []
        for inputs in (True, False):
            part = [(key, ts) for key, ts in events.items() if (key[2] in _INPUTS) is inputs]
            parts.append(batch_rows.EdgeRows({
                "artifact": [key[0] for key, _ in part],
                "execution": [key[1] for key, _ in part],
                "kind": [key[2].value for key, _ in part], "path": [key[3] for key, _ in part],
                "ts": [ts for _, ts in part]}))
        for pairs, rows, name in ((batch.attributions, a, "artifact"),
                                  (batch.associations, x, "execution")):
            unique = dict.fromkeys(zip(rows.positions([n for n, _ in pairs]) if rows else [],
                                       c.positions([m for _, m in pairs]) if c else [],
                                       strict=True))
            parts.append(batch_rows.EdgeRows({name: [n for n, _ in unique],
                                              "context": [m for _, m in unique]}))
        return tuple(parts)

    async def _attempt(self, tx: Tx, *, batch: Batch, fresh: bool) -> Ids:
        now = now_ms()
        write = await self._prepare(tx, batch, now)
        edges = self._edges(batch if write else Batch(batch.nodes, batch.checks))
        outcome = await batch_rows.write(
            tx, {kind: batch_rows.KindRows(rows.types, rows.sent, rows.sent_refs)
                 for kind, rows in batch.nodes.items()},
            *edges, now=now, delta_id=new_id(), fresh=fresh)
        if write:
            stale = [kind for kind, rows in batch.nodes.items()
                     if rows.stale(outcome.rows[kind])]
            for kind in stale:
                for key in batch.nodes[kind].type_keys():
                    self.types.forget(kind, *key)
            if stale:
                raise _StaleTypes()
        ids: dict[NodeKind, list[str]] = {}
        for check, kind in batch.checks:
            rows = batch.rows(kind)
            if check == "nodes":
                ids[kind] = rows.resolve(outcome.rows[kind])
            else:
                rows.require_refs(outcome.rows[kind], outcome.refs[kind])
        if not write:  # every refused row raised above
            raise Conflict("the batch was refused while it was written; retry")
        if fresh and any(edges) and any(rows.aliased(outcome.rows[kind], outcome.refs[kind])
                                        for kind, rows in batch.nodes.items()):
            raise _Aliased()
        merged = (outcome.inputs, outcome.outputs, outcome.attributions, outcome.associations)
        if merged != tuple(len(e) for e in edges) or not all(
                rows.written(outcome.rows[kind], outcome.refs[kind])
                for kind, rows in batch.nodes.items()):
            raise Conflict("a node was deleted while writing; retry")
        return ids
