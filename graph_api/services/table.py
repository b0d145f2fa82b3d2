"""Lineage and impact answers in their compact, columnar form (`model.table`).

The structure (ids, types, degrees, edges) comes from the walk's records as they are; the
optional columns are read for the whole answer in one transaction: name, uri, state and
the neighbour counts by one statement, every stored field by another. A large answer's
stored fields, and a lineage answer's of any size (`SubgraphService.answer`), come from
the topology index's field cache where it holds them (`services.topology.fields`), and the
nodes it lacks are read and added.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from graph_api.model.enums import NodeKind
from graph_api.model.lineage import LineageGraph
from graph_api.model.table import SUMMARY_COLUMNS, Column, Details, Summaries, Table
from graph_api.services.topology.cache import TopologyCache
from graph_api.services.topology.fields import FieldCache
from graph_api.services.topology.index import Topology
from graph_api.store import explore
from graph_api.store.connection import Database, Tx

Columns = dict[str, list[Any]]
T = TypeVar("T")

#: Past this many nodes, a table's columns are read in slices of about this size, in
#: concurrent read transactions (at most `PARALLEL_READS`): reading a node's stored fields
#: is an index seek per node, which the database serves on several cores at once, while
#: this process decodes one slice as the next arrives.
SLICE = 8_000
PARALLEL_READS = 4
#: From this many nodes on, a table's stored fields are looked up in the field cache
#: first: below it, the database's read costs less than the cache's own transaction (a
#: lineage answer's walk has made the cache fresh already: it always looks).
CACHED_FROM = 1_000
#: The columns the field cache holds (neighbour counts change with every new edge).
CACHEABLE = frozenset({Column.NAME, Column.URI, Column.STATE, Column.PROPERTIES})

#: The columns a node's summary holds (the neighbour counts aside).
SUMMARY_FIELDS = SUMMARY_COLUMNS - {Column.NEIGHBORS}

#: The JSON keys of each optional column.
KEYS: dict[Column, tuple[str, ...]] = {
    Column.NAME: ("name",),
    Column.URI: ("uri",),
    Column.STATE: ("state",),
    Column.NEIGHBORS: ("upstreamNeighbors", "downstreamNeighbors"),
    Column.PROPERTIES: ("externalId", "typeVersion", "properties", "customProperties",
                        "createdAt", "updatedAt"),
}


class TypeIndex:
    """The types of a table, each listed once, in the order first seen."""

    def __init__(self) -> None:
        self.index: dict[tuple[NodeKind, str], int] = {}
        self.listed: list[dict[str, str]] = []

    def of(self, kind: NodeKind, type_: str) -> int:
        """The index of (kind, type), adding it if new."""
        key = (kind, type_)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.listed)
            self.listed.append({"kind": kind.name, "name": type_})
        return found

    def added_since(self, count: int) -> list[dict[str, str]]:
        """The types listed after the first `count`."""
        return self.listed[count:]


class _Aligner:
    """Puts lists of values, one per id in `found`, into the order of `ids` (None for an id
    not found): the positions are worked out once for all the columns of one read."""

    def __init__(self, ids: Sequence[str], found: Sequence[str]) -> None:
        at = {node_id: k for k, node_id in enumerate(found)}
        self.positions = [at.get(i) for i in ids]
        self.same = len(found) == len(ids) and all(
            k == p for k, p in enumerate(self.positions))

    def __call__(self, values: Sequence[Any]) -> list[Any]:
        if self.same:
            return list(values)
        return [values[p] if p is not None else None for p in self.positions]


def _summary_columns(ids: Sequence[str], s: Summaries | Details, columns: Collection[Column]
                     ) -> Columns:
    out: Columns = {}
    aligned = _Aligner(ids, s.id)
    for column, values in ((Column.NAME, s.name), (Column.URI, s.uri), (Column.STATE, s.state)):
        if column in columns:
            out[KEYS[column][0]] = aligned(values)
    if (Column.NEIGHBORS in columns and isinstance(s, Summaries) and s.up is not None
            and s.down is not None):
        out["upstreamNeighbors"] = aligned(s.up)
        out["downstreamNeighbors"] = aligned(s.down)
    return out


def _detail_columns(ids: Sequence[str], d: Details) -> Columns:
    aligned = _Aligner(ids, d.id)
    return {
        "externalId": aligned(d.external_id),
        "typeVersion": aligned(d.type_version),
        "properties": aligned(d.properties),
        "customProperties": aligned(d.custom_properties),
        "createdAt": aligned(d.created_at),
        "updatedAt": aligned(d.updated_at),
    }


async def read_columns(tx: Tx, ids: Sequence[str], kinds: Sequence[NodeKind],
                       columns: Collection[Column], topology: Topology | None = None
                       ) -> Columns:
    """The optional `columns` of the nodes `ids` (of `kinds`), keyed by their JSON names,
    in the order of `ids`; null for a node deleted since the walk. The neighbour counts
    come from `topology` when given (fresh as of `tx`), else from the database."""
    artifacts, executions = by_kind(ids, kinds)
    out: Columns = {}
    details = (await explore.details(tx, artifacts, executions)
               if Column.PROPERTIES in columns else None)
    if details is not None:
        out.update(_detail_columns(ids, details))
    counted = Column.NEIGHBORS in columns and topology is None
    # The stored fields hold name, uri and state too: their own read only for the counts.
    if counted or (details is None and SUMMARY_FIELDS.intersection(columns)):
        out.update(_summary_columns(ids, await explore.summaries(
            tx, artifacts, executions, counts=counted), columns))
    elif details is not None:
        out.update(_summary_columns(ids, details, columns))
    if Column.NEIGHBORS in columns and topology is not None:
        out.update(neighbour_columns(topology, ids, kinds))
    return {key: out[key] for c in ordered(columns) for key in KEYS[c] if key in out}


async def cached_columns(
        cache: FieldCache, ids: Sequence[str], kinds: Sequence[NodeKind],
        columns: Collection[Column],
        read: Callable[[Sequence[str], Sequence[NodeKind]], Awaitable[list[Details]]]
) -> Columns:
    """The `columns` (stored fields only: `CACHEABLE`) of the nodes `ids`, the held ones'
    from `cache`, the others by `read` (their details, in parts) and held from now on. The
    cache must be fresh as of the reads `read` makes (see `FieldCache.put`)."""
    since = cache.generation
    held, missing = cache.get(ids)
    missing = [k for k in missing if kinds[k] is not NodeKind.CONTEXT]  # no fields here
    if missing:
        read_parts = await read([ids[k] for k in missing], [kinds[k] for k in missing])
        for part in read_parts:
            cache.put(part, since)
        held = _joined(held, *read_parts)
    out = _detail_columns(ids, held)
    out.update(_summary_columns(ids, held, columns))
    return {key: out[key] for c in ordered(columns) for key in KEYS[c]}


def neighbour_columns(topology: Topology, ids: Sequence[str], kinds: Sequence[NodeKind]
                      ) -> Columns:
    """The NEIGHBORS columns from the index: each artifact's and execution's distinct
    direct neighbours in the whole graph (null for a context, as the database leaves
    them out)."""
    up, down = topology.neighbour_counts(topology.numbers_of(ids))
    counted = [k is not NodeKind.CONTEXT for k in kinds]
    return {"upstreamNeighbors": [u if c else None for u, c in zip(up.tolist(), counted,
                                                                      strict=True)],
            "downstreamNeighbors": [d if c else None for d, c in zip(down.tolist(), counted,
                                                                        strict=True)]}


async def read_details(tx: Tx, ids: Sequence[str], kinds: Sequence[NodeKind]) -> Details:
    """Every stored field of the artifacts and executions among `ids` (of `kinds`)."""
    return await explore.details(tx, *by_kind(ids, kinds))


def by_kind(ids: Sequence[str], kinds: Sequence[NodeKind]) -> tuple[list[str], list[str]]:
    """The artifacts and the executions among `ids` (contexts have no such columns)."""
    return ([i for i, k in zip(ids, kinds, strict=True) if k is NodeKind.ARTIFACT],
            [i for i, k in zip(ids, kinds, strict=True) if k is NodeKind.EXECUTION])


def ordered(columns: Iterable[Column]) -> list[Column]:
    """`columns` without repeats, in the order the table lists them."""
    wanted = set(columns)
    return [c for c in Column if c in wanted]


class TableService:
    """Builds tables, reading their optional columns."""

    def __init__(self, db: Database, topology: TopologyCache | None = None) -> None:
        self.db = db
        self.topology = topology

    async def columns(self, ids: Sequence[str], kinds: Sequence[NodeKind],
                      columns: Collection[Column]) -> Columns:
        """The optional `columns` of these nodes (see `read_columns`): in one read
        transaction, or, for more than `SLICE` nodes, in slices read by concurrent read
        transactions (each after the request's position); nothing is read when no column
        is asked for. The neighbour counts come from the topology index when the process
        holds one (beside the other columns' read). From `CACHED_FROM` nodes on, when the
        stored fields are asked for, the field cache answers for the nodes it holds (after
        applying the writes made since, in a transaction of its own)."""
        if not columns:
            return {}
        if not ids:
            return {key: [] for c in columns for key in KEYS[c]}
        if (Column.NEIGHBORS not in columns or self.topology is None
                or not self.topology.holds_index()):  # the database counts
            return await self._stored(ids, kinds, columns)
        rest = [c for c in columns if c is not Column.NEIGHBORS]
        counted, stored = await asyncio.gather(
            self.topology.read(lambda tx, topology: _counted(topology, ids, kinds)),
            self._stored(ids, kinds, rest) if rest else _nothing())
        if counted is None:  # the index was dropped meanwhile: the database counts
            return await self._stored(ids, kinds, columns)
        out = stored | counted
        return {key: out[key] for c in ordered(columns) for key in KEYS[c]}

    async def _stored(self, ids: Sequence[str], kinds: Sequence[NodeKind],
                      columns: Collection[Column]) -> Columns:
        """The columns read from the database or held by the field cache."""
        # Names, uris and states alone cost the database about what the cache's own
        # transaction costs: the cache answers for the stored fields.
        cache = (await self.db.read(self.topology.field_cache)
                 if self.topology is not None and len(ids) >= CACHED_FROM
                 and Column.PROPERTIES in columns and CACHEABLE.issuperset(columns) else None)
        if cache is None:
            return await self._read(ids, kinds, columns)
        return await self._cached(cache, ids, kinds, columns)

    async def _cached(self, cache: FieldCache, ids: Sequence[str], kinds: Sequence[NodeKind],
                      columns: Collection[Column]) -> Columns:
        """The columns with the held nodes' fields from `cache`, the others read in slices
        (and held from now on)."""
        async def sliced(missing_ids: Sequence[str], missing_kinds: Sequence[NodeKind]
                         ) -> list[Details]:
            return await self._sliced(missing_ids, missing_kinds, read_details)

        return await cached_columns(cache, ids, kinds, columns, sliced)

    async def _read(self, ids: Sequence[str], kinds: Sequence[NodeKind],
                    columns: Collection[Column]) -> Columns:
        """The columns read from the database, in slices past `SLICE` nodes."""
        wanted = ordered(columns)

        async def work(tx: Tx, part: Sequence[str], part_kinds: Sequence[NodeKind]
                       ) -> Columns:
            return await read_columns(tx, part, part_kinds, wanted)

        read = await self._sliced(ids, kinds, work)
        if len(read) == 1:
            return read[0]
        return {key: [v for part in read for v in part[key]] for key in read[0]}

    async def _sliced(self, ids: Sequence[str], kinds: Sequence[NodeKind],
                      read: Callable[[Tx, Sequence[str], Sequence[NodeKind]], Awaitable[T]]
                      ) -> list[T]:
        """`read` of the nodes in one read transaction, or past `SLICE` nodes of each
        slice in concurrent ones (at most `PARALLEL_READS`), in order."""
        parts = min(PARALLEL_READS, -(-len(ids) // SLICE))
        size = -(-len(ids) // parts)

        def reader(at: int) -> Callable[[Tx], Awaitable[T]]:
            return lambda tx: read(tx, ids[at:at + size], kinds[at:at + size])

        return list(await asyncio.gather(*(self.db.read(reader(at))
                                           for at in range(0, len(ids), size))))

    async def table(self, graph: LineageGraph, columns: Iterable[Column] = ()) -> Table:
        """An answer as one table (`model.table`), with the optional `columns` read for all
        its nodes in one transaction."""
        return assemble(graph, await self.columns(graph.ids, graph.kinds, ordered(columns)))


async def _counted(topology: Topology | None, ids: Sequence[str], kinds: Sequence[NodeKind]
                   ) -> Columns | None:
    return neighbour_columns(topology, ids, kinds) if topology is not None else None


async def _nothing() -> Columns:
    return {}


def _joined(*parts: Details) -> Details:
    """The nodes of all `parts`."""
    return Details(*([v for part in parts for v in getattr(part, f.name)]
                     for f in fields(Details)))


def assemble(graph: LineageGraph, loaded: Columns) -> Table:
    """The table of an answer whose optional columns are `loaded` (`read_columns`)."""
    types = TypeIndex()
    return {
        "types": types.listed,
        "nodes": {"id": graph.ids,
                  "type": [types.of(k, t) for k, t in zip(graph.kinds, graph.types, strict=True)],
                  "degree": graph.degrees, **loaded},
        "edges": {"source": graph.sources, "target": graph.targets,
                  "eventType": [e.value for e in graph.event_types]},
        "truncated": graph.truncated,
    }
