"""The process's topology index, kept fresh from the delta log: a cache of the graph's
INPUT/OUTPUT adjacency and of its contexts' memberships and parent links, never a second
source of truth.

Freshness. Every write transaction that creates INPUT or OUTPUT edges, attributions,
associations or parent links also creates a `TopologyDelta` node naming them, with a
time-ordered id (UUIDv7). Before a walk, in the walk's own read, the cache reads the
deltas it has not applied and applies them, so a walk sees every edge the read sees.
Deltas are ordered by the time their id was made, which can be up to one transaction's
duration (plus clocks' skew between processes) before they commit: the cache keeps a
*floor* that far behind its last read, re-reads above it, and skips the ids it applied.
Applying a delta twice changes nothing.

Rebuilds. A deletion renews the log's epoch (`store.topology.renew_epoch`), and wiping the
graph removes the log's node: either way the epoch no longer matches the index's, and the
index is built again. So it is when the log was pruned above the floor after the build
began (an index that fell behind past the retention), or when a delta made since the build
names a node that no longer exists (one made before it may: it names a node deleted before
the build, which the build and the delta's application both leave out). A build reads the
graph page by page in short transactions; the deltas made meanwhile are applied after it.
A request waits for a build in progress up to `TopologySettings.wait`; past that, and
whenever the index is off or larger than its cap, walks run in Cypher.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar

import numpy as np

from graph_api.config import TopologySettings
from graph_api.ids import new_id
from graph_api.model.enums import NodeKind
from graph_api.model.topology import DeltaRows
from graph_api.services.topology.fields import FieldCache
from graph_api.services.topology.index import IS_INPUT, KINDS, Topology, codes
from graph_api.store import nodes as node_rows
from graph_api.store import topology as topology_rows
from graph_api.store.connection import Database, Tx

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Executions per page of a build: each page is two short read transactions.
BUILD_PAGE = 10_000
#: Seconds added to the transaction timeout for the floor's lag: the longest a write can
#: take between making its delta's id and committing, plus clocks' skew between processes.
SKEW = 30.0
#: Most deltas one pruning transaction deletes.
PRUNE_BATCH = 10_000


def id_floor(ms: int) -> str:
    """The smallest UUIDv7 string made at `ms` (Unix milliseconds) or later: ids compare
    as strings in the order of their time."""
    ms = max(ms, 0)
    return f"{ms >> 16:08x}-{ms & 0xFFFF:04x}"


def id_time(delta_id: str) -> int:
    """The Unix milliseconds a UUIDv7 string was made at."""
    return int(delta_id[:8] + delta_id[9:13], 16)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class _NoIndex(Exception):
    """No index to walk now (not built yet, or too large): the walk runs in Cypher."""


class StaleIndex(Exception):
    """The index no longer matches the graph: the transaction is run again once it is
    rebuilt (or in Cypher)."""


@dataclass
class Held:
    """An index, how far it has read the delta log, and the fields of nodes it answered
    (kept as fresh as the index: the deltas name the nodes writes updated)."""

    topology: Topology
    floor: int  # ms: every delta made before is applied
    fields: FieldCache
    built_at: int  # ms: when its build began
    #: The log's pruning mark when the build began: what was pruned before, the build read
    #: from the graph itself; only a later pruning can leave the index a gap.
    pruned_at_build: str | None = None
    applied: dict[str, int] = field(default_factory=dict)  # delta ids above the floor


class TopologyCache:
    """The topology index of one process over one database."""

    def __init__(self, db: Database, settings: TopologySettings, query_timeout: float
                 ) -> None:
        self.db = db
        self.settings = settings
        self.lag_ms = int((query_timeout + SKEW) * 1000)
        self.held: Held | None = None
        self.builds = 0
        self.too_large = False
        self._building: asyncio.Task[None] | None = None
        self._pruned_at = time.monotonic()  # the first pruning comes a quarter retention in

    # --- answering -----------------------------------------------------------------------

    async def read(self, work: Callable[[Tx, Topology | None], Awaitable[T]],
                   indexed: bool = True) -> T:
        """Run `work` in one read with the index, fresh as of the read's first statement
        (None: walk in Cypher, in one transaction — the index is off, too large, still
        building, or `indexed` is False)."""
        if indexed and self.settings.enabled and not self.too_large:
            for _ in range(2):
                await self._settled()
                try:
                    return await self.db.read(lambda tx: self._fresh_then(tx, work))
                except StaleIndex:
                    continue
                except _NoIndex:
                    break
        # A walk in Cypher carries handles from one statement to the next: one transaction.
        return await self.db.read(lambda tx: work(tx, None), one_transaction=True)

    async def _fresh_then(self, tx: Tx, work: Callable[[Tx, Topology | None], Awaitable[T]]
                          ) -> T:
        topology = await self.fresh(tx)
        if topology is None:
            raise _NoIndex
        return await work(tx, topology)

    def holds_index(self) -> bool:
        """Whether the process holds an index to answer from now (no freshness check:
        `read` makes it, and may still find the index gone)."""
        return self.settings.enabled and not self.too_large and self.held is not None

    def holds_fields(self) -> bool:
        """Whether the field cache holds any node now (no freshness check: a reader that
        would use it asks `field_cache` in its own transaction)."""
        held = self.held
        return held is not None and len(held.fields) > 0

    def fields_of(self, topology: Topology) -> FieldCache | None:
        """The field cache held with `topology`, which the caller's read has made fresh
        (`read` passed it): fresh as of that read too, with no statement of its own. None
        when the cache is off, or `topology` is no longer the held index."""
        held = self.held
        if held is None or held.topology is not topology or self.settings.field_cache <= 0:
            return None
        return held.fields

    async def field_cache(self, tx: Tx) -> FieldCache | None:
        """The held fields of nodes, with every delta visible to `tx` applied (None: no
        index held, or it is being rebuilt, or the cache is off)."""
        if not self.settings.enabled or self.too_large or self.settings.field_cache <= 0:
            return None
        try:
            topology = await self.fresh(tx)
        except StaleIndex:
            return None
        held = self.held
        return held.fields if topology is not None and held is not None else None

    async def fresh(self, tx: Tx) -> Topology | None:
        """The index with every delta visible to `tx` applied; None when there is none yet.

        Raises:
            StaleIndex: the index must be rebuilt first (a rebuild is under way).
        """
        held = self.held
        if held is None:
            self.start()
            return None
        began = now_ms()
        rows = await topology_rows.deltas(tx, id_floor(held.floor), list(held.applied))
        pruned = rows.log.pruned_before
        if (rows.log.epoch != held.topology.epoch
                or (pruned is not None and pruned != held.pruned_at_build
                    and pruned > id_floor(held.floor))):
            self._drop(held, "the graph changed under it" if pruned is None
                       or rows.log.epoch != held.topology.epoch else "it fell behind the log")
            raise StaleIndex
        if rows.id and not await self._apply(tx, held, rows):
            self._drop(held, "a delta names a node that no longer exists")
            raise StaleIndex
        floor = max(held.floor, began - self.lag_ms)
        if floor > held.floor:
            held.floor = floor
            held.applied = {i: t for i, t in held.applied.items() if t >= floor}
        if held.topology.size > self.settings.max_nodes:
            self._too_large(held.topology.size)
            return None
        self._prune_now_and_then()
        return held.topology

    async def _apply(self, tx: Tx, held: Held, rows: DeltaRows) -> bool:
        """Apply deltas, all at once; False when one made since the index was built names
        a node the graph no longer holds.

        A delta made before the build can name a node deleted before it (the deletion
        renewed the epoch and so caused the build, and the build's floor reads back that
        far): its entries naming such nodes are left out, as the build left the nodes out.
        """
        topo = held.topology
        named = list(dict.fromkeys(i for lists in (rows.artifact, rows.execution, rows.member,
                                                   rows.context, rows.child, rows.parent)
                                   for ids in lists for i in ids))
        unknown = np.array(named)[topo.numbers_of(named) < 0].tolist() if named else []
        if unknown:
            located = await node_rows.locate(tx, unknown)
            gone = set(unknown) - set(located)
            if gone:
                if any(id_time(d) >= held.built_at and _names(rows, k, gone)
                       for k, d in enumerate(rows.id)):
                    return False
                rows = _without(rows, gone)
            for kind in KINDS:
                nodes = [n for n in located.values() if n.kind is kind]
                topo.add_nodes([n.id for n in nodes], kind, [n.type for n in nodes])
        artifacts = [i for edges in rows.artifact for i in edges]
        executions = [i for edges in rows.execution for i in edges]
        events = [e for edges in rows.event for e in edges]
        artifact, execution = topo.numbers_of(artifacts), topo.numbers_of(executions)
        event = codes(events)
        into = IS_INPUT[event]
        topo.add_edges(np.where(into, artifact, execution), np.where(into, execution, artifact),
                       event)
        topo.add_memberships(topo.numbers_of([i for ids in rows.member for i in ids]),
                             topo.numbers_of([i for ids in rows.context for i in ids]))
        topo.add_parents(topo.numbers_of([i for ids in rows.child for i in ids]),
                         topo.numbers_of([i for ids in rows.parent for i in ids]))
        held.fields.forget([i for ids in rows.updated for i in ids])
        for delta_id in rows.id:
            held.applied[delta_id] = id_time(delta_id)
        return True

    # --- building ------------------------------------------------------------------------

    def start(self) -> None:
        """Build the index in the background, unless it is off, built or being built."""
        if not self.settings.enabled or self.too_large or self.held is not None:
            return
        if self._building is None or self._building.done():
            # A context of its own: the build belongs to no request (its writes move no
            # request's position).
            self._building = asyncio.create_task(self._build(), context=contextvars.Context())
            self._building.add_done_callback(_retrieve)

    async def ready(self) -> None:
        """Build the index now (or wait for the build under way)."""
        self.start()
        if self._building is not None:
            await asyncio.shield(self._building)

    async def close(self) -> None:
        """Stop a build under way."""
        if self._building is not None and not self._building.done():
            self._building.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._building

    async def _settled(self) -> None:
        """Wait, up to the configured time, for a build under way."""
        self.start()
        building = self._building
        if self.held is None and building is not None and not building.done():
            # A build that fails is logged by its task; walks then go to Cypher.
            await asyncio.wait([building], timeout=self.settings.wait)

    async def _build(self) -> None:
        began = now_ms()
        state = await self.db.write(lambda tx: topology_rows.open_log(tx, new_id()))
        assert state.epoch is not None
        topo = Topology(state.epoch)
        sources: list[np.ndarray] = []
        targets: list[np.ndarray] = []
        events: list[np.ndarray] = []
        async for page in self._pages(topology_rows.executions_after):
            edges = await self.db.read(partial(topology_rows.edges_of, executions=page))
            artifact = _numbered(topo, edges.artifact, NodeKind.ARTIFACT, edges.artifact_type)
            execution = _numbered(topo, edges.execution, NodeKind.EXECUTION,
                                  edges.execution_type)
            event = codes(edges.event)
            into = IS_INPUT[event]
            sources.append(np.where(into, artifact, execution))
            targets.append(np.where(into, execution, artifact))
            events.append(event)
            if topo.size > self.settings.max_nodes:
                self._too_large(topo.size)
                return
        if not await self._build_contexts(topo):
            return
        topo.sort_ids()
        topo.trim()
        if sources:
            topo.set_edges(np.concatenate(sources).astype(np.int32),
                           np.concatenate(targets).astype(np.int32), np.concatenate(events))
        self.held = Held(topo, began - self.lag_ms, FieldCache(self.settings.field_cache),
                         began, state.pruned_before)
        self.builds += 1
        log.info("topology index built: %d nodes, %d edges, %.1f MB, %.2f s", topo.size,
                 topo.edge_count, topo.nbytes() / 1e6, (now_ms() - began) / 1000)

    async def _pages(self, read_page: Callable[..., Awaitable[list[str]]]
                     ) -> AsyncIterator[list[str]]:
        """The ids `read_page` gives, page after page (each its own short transaction)."""
        after = ""
        while True:
            page = await self.db.read(partial(read_page, after=after, limit=BUILD_PAGE))
            if not page:
                return
            after = page[-1]
            yield page

    async def _build_contexts(self, topo: Topology) -> bool:
        """Number the contexts and read their memberships and parent links into `topo`,
        page by page; False when the graph turned out larger than the cap."""
        member: list[np.ndarray] = []
        held_by: list[np.ndarray] = []
        child: list[np.ndarray] = []
        parent: list[np.ndarray] = []
        async for page in self._pages(topology_rows.contexts_after):
            links = await self.db.read(partial(topology_rows.links_of, contexts=page))
            _numbered(topo, links.context, NodeKind.CONTEXT, links.context_type)
            for ids, types, kind, contexts in (
                    (links.artifact, links.artifact_type, NodeKind.ARTIFACT,
                     links.artifact_context),
                    (links.execution, links.execution_type, NodeKind.EXECUTION,
                     links.execution_context)):
                member.append(_numbered(topo, ids, kind, types))
                held_by.append(topo.numbers_of(contexts))
            parent.append(_numbered(topo, links.parent, NodeKind.CONTEXT, links.parent_type))
            child.append(topo.numbers_of(links.child))
            if topo.size > self.settings.max_nodes:
                self._too_large(topo.size)
                return False
        if member:
            topo.add_memberships(np.concatenate(member).astype(np.int32),
                                 np.concatenate(held_by).astype(np.int32))
            topo.add_parents(np.concatenate(child).astype(np.int32),
                             np.concatenate(parent).astype(np.int32))
        return True

    def _drop(self, held: Held, why: str) -> None:
        if self.held is held:
            log.info("topology index rebuilt: %s", why)
            self.held = None
            self.start()

    def _too_large(self, size: int) -> None:
        log.warning("topology index off: the graph has more than %d nodes "
                    "(LINEAGE_TOPOLOGY_MAX_NODES); walks run in Cypher", size - 1)
        self.too_large = True
        self.held = None

    # --- the log's upkeep ----------------------------------------------------------------

    def _prune_now_and_then(self) -> None:
        """Prune deltas past the retention, at most every quarter of it."""
        at = time.monotonic()
        if at - self._pruned_at < self.settings.retention / 4:
            return
        self._pruned_at = at
        task = asyncio.create_task(self.prune(), context=contextvars.Context())
        task.add_done_callback(_retrieve)

    async def prune(self, before_ms: int | None = None) -> int:
        """Delete the deltas made before `before_ms` (default: past the retention)."""
        before = id_floor(before_ms if before_ms is not None
                          else now_ms() - int(self.settings.retention * 1000))
        deleted = 0
        while True:
            count = await self.db.write(
                lambda tx: topology_rows.prune(tx, before, PRUNE_BATCH))
            deleted += count
            if count < PRUNE_BATCH:
                return deleted


def _names(rows: DeltaRows, k: int, ids: set[str]) -> bool:
    """Whether delta `k` of `rows` names one of `ids` in its edges, memberships or links."""
    return any(i in ids for lists in (rows.artifact, rows.execution, rows.member,
                                      rows.context, rows.child, rows.parent)
               for i in lists[k])


def _without(rows: DeltaRows, gone: set[str]) -> DeltaRows:
    """`rows` without the edges, memberships and links that name a node of `gone`."""
    def kept(a: list[list[str]], b: list[list[str]], *more: list[list[str]]
             ) -> list[list[list[str]]]:
        """`a`, `b` and `more` (parallel lists per delta) where both ends `a`, `b` stay."""
        keep = [[j for j, (x, y) in enumerate(zip(xs, ys, strict=True))
                 if x not in gone and y not in gone] for xs, ys in zip(a, b, strict=True)]
        return [[[column[k][j] for j in js] for k, js in enumerate(keep)]
                for column in (a, b, *more)]

    artifact, execution, event = kept(rows.artifact, rows.execution, rows.event)
    member, context = kept(rows.member, rows.context)
    child, parent = kept(rows.child, rows.parent)
    return replace(rows, artifact=artifact, execution=execution, event=event, member=member,
                   context=context, child=child, parent=parent)


def _numbered(topo: Topology, ids: Sequence[str], kind: NodeKind, types: Sequence[str]
              ) -> np.ndarray:
    """The numbers of a page's nodes, numbering the new ones."""
    return topo.add_nodes(ids, kind, types)


def _retrieve(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("topology index: %s", task.exception())
