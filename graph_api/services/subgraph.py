"""The lineage subgraph as a table (`GET /api/v1/subgraph`): one JSON table, or a stream
of partial tables (NDJSON) for answers too large to hold.

A stream's lines are tables of the same shape as the whole one, holding the types, nodes
and edges first reported by the steps of the walk (`stream`), a step's nodes before its
edges, at most `LINE_NODES` nodes or `LINE_EDGES` edges a line; indexes (into `types` and
into the nodes) count across the lines, so concatenating every line's lists gives the whole
table. The last line is `{"end": {"nodes": N, "edges": M}}`: a stream cut short
has no such line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from graph_api.config import Limits
from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind
from graph_api.model.lineage import LineageGraph, LineageRequest
from graph_api.model.table import Column, Details, Table
from graph_api.services.caps import bounded_hops
from graph_api.services.lineage import LineageService, start_set
from graph_api.services.stream import Batch, StreamedWalk, StreamStart, Walked
from graph_api.services.table import (
    CACHEABLE,
    KEYS,
    Columns,
    TableService,
    TypeIndex,
    assemble,
    cached_columns,
    ordered,
    read_columns,
    read_details,
)
from graph_api.services.topology.index import Topology
from graph_api.services.topology.stream import IndexedWalk
from graph_api.store.connection import Database, Tx
from graph_api.store.filters import compile_filter

#: Columns a streamed step reads along with the structure; the others are read per line.
FROM_STEPS = frozenset({Column.NAME, Column.URI, Column.STATE})
#: Most nodes, and most edges, on one line: a step can reach tens of thousands of nodes,
#: and clients read a line whole (some refuse lines past 512 KiB).
LINE_NODES = 1000
LINE_EDGES = 5000


def split(line: Table) -> list[Table]:
    """A step's partial table as lines of at most `LINE_NODES` nodes or `LINE_EDGES` edges:
    its nodes first (the first line with the new types), then its edges, so that an edge
    only names nodes already sent. Every line has every key; none is empty."""
    nodes, edges = line["nodes"], line["edges"]
    no_nodes: dict[str, list[Any]] = {key: [] for key in nodes}
    no_edges: dict[str, list[Any]] = {key: [] for key in edges}
    parts: list[Table] = []
    types = line["types"]
    for start in range(0, len(nodes["id"]), LINE_NODES):
        parts.append({"types": types, "edges": no_edges,
                      "nodes": {key: values[start:start + LINE_NODES]
                                for key, values in nodes.items()}})
        types = []
    for start in range(0, len(edges["source"]), LINE_EDGES):
        parts.append({"types": types, "nodes": no_nodes,
                      "edges": {key: values[start:start + LINE_EDGES]
                                for key, values in edges.items()}})
        types = []
    return parts


class SubgraphService:
    """Lineage answers as tables."""

    def __init__(self, db: Database, limits: Limits, lineage: LineageService,
                 tables: TableService) -> None:
        self.db = db
        self.limits = limits
        self.lineage = lineage
        self.tables = tables

    async def table(self, request: LineageRequest, columns: Iterable[Column] = ()) -> Table:
        """The lineage subgraph as one table (`LineageService.lineage`'s answer, within
        its caps), with the optional `columns`."""
        return (await self.answer(request, columns))[1]

    async def answer(self, request: LineageRequest, columns: Iterable[Column] = ()
                     ) -> tuple[LineageGraph, Table]:
        """The lineage subgraph and its table, walked and read in one transaction: the
        columns are those of the nodes as the walk found them (none deleted since).

        Raises:
            As `LineageService.lineage`.
        """
        wanted = ordered(columns)
        cacheable = Column.PROPERTIES in wanted and CACHEABLE.issuperset(wanted)

        async def read(tx: Tx, graph: LineageGraph, topology: Topology | None
                       ) -> tuple[LineageGraph, Columns]:
            if not wanted:
                return graph, {}
            # The index was made fresh in this read: so was its field cache, which then
            # answers for the nodes it holds without a statement, whatever the answer's size.
            cache = (self.lineage.topology.fields_of(topology)
                     if cacheable and topology is not None else None)
            if cache is None:
                return graph, await read_columns(tx, graph.ids, graph.kinds, wanted, topology)

            async def details(ids: Sequence[str], kinds: Sequence[NodeKind]) -> list[Details]:
                return [await read_details(tx, ids, kinds)]

            return graph, await cached_columns(cache, graph.ids, graph.kinds, wanted, details)

        graph, loaded = await self.lineage.read(request, read)
        return graph, assemble(graph, loaded)

    async def stream(self, request: LineageRequest, columns: Iterable[Column] = ()
                     ) -> AsyncIterator[Table]:
        """The lineage subgraph as partial tables (see the module doc), with no node cap.

        The request is checked and its start set read first, so errors come before any
        line; `maxNodes` does not apply to a stream and is refused.

        Raises:
            InvalidInput, NotFound, LimitExceeded: as `LineageService.lineage`.
            Unavailable, Timeout: from the iterator, if the database fails midway.
        """
        if request.max_nodes is not None:
            raise InvalidInput("maxNodes: a stream has no node cap; ask for format=json to "
                               "cap the answer", field="maxNodes")
        hops = bounded_hops(self.limits, request.max_hops, default=self.limits.default_hops)
        stop = (compile_filter(request.stop_at, prefix="s", where="stopAt")
                if request.stop_at is not None else None)

        async def begin(tx: Tx, topology: Topology | None) -> Walked:
            starts = [StreamStart(s.id, s.kind, s.type) for s in
                      (await start_set(tx, request)).values()]
            if topology is not None:
                return IndexedWalk(self.db, topology, starts, request.direction, hops,
                                   fields=self.lineage.topology)
            return StreamedWalk(self.db, starts, request.direction, hops, stop,
                                request.include_stop_nodes)

        walk = await self.lineage.topology.read(begin, indexed=stop is None)
        return self._lines(walk, request, ordered(columns))

    async def _lines(self, walk: Walked, request: LineageRequest,
                     columns: list[Column]) -> AsyncIterator[Table]:
        types = TypeIndex()
        listed: list[int] = []  # each reported node's index among the listed ones, or -1
        kinds = set(request.include_kinds) if request.include_kinds is not None else None
        names = set(request.include_types) if request.include_types is not None else None
        nodes = edges = 0
        first = True
        async for batch in walk.batches():
            keep = [first or ((kinds is None or k in kinds) and (names is None or t in names))
                    for k, t in zip(batch.kind, batch.type, strict=True)]
            for kept in keep:
                listed.append(nodes if kept else -1)
                nodes += kept
            line = await self._line(batch, keep, listed, types, columns, first)
            first = False
            edges += len(line["edges"]["source"])
            for part in split(line):
                yield part
        yield {"end": {"nodes": nodes, "edges": edges}}

    async def _line(self, batch: Batch, keep: list[bool], listed: list[int], types: TypeIndex,
                    columns: list[Column], first: bool) -> Table:
        """One line: the batch's listed nodes (with their columns) and the edges between
        listed nodes."""
        ids = [i for i, k in zip(batch.id, keep, strict=True) if k]
        kinds: list[NodeKind] = [x for x, k in zip(batch.kind, keep, strict=True) if k]
        known = len(types.listed)
        node_columns = {
            "id": ids,
            "type": [types.of(x, t) for x, t, k in zip(batch.kind, batch.type, keep,
                                                          strict=True) if k],
            "degree": [d for d, k in zip(batch.degree, keep, strict=True) if k],
        }
        read = [c for c in columns if first or c not in FROM_STEPS]
        loaded = await self.tables.columns(ids, kinds, read)
        for column in columns:
            if column in read:
                node_columns.update((key, loaded[key]) for key in KEYS[column])
            else:
                values = getattr(batch, column.value.lower())
                node_columns[KEYS[column][0]] = [v for v, k in zip(values, keep, strict=True)
                                                 if k]
        source, target, event = [], [], []
        for s, t, e in zip(batch.source, batch.target, batch.event, strict=True):
            if listed[s] >= 0 and listed[t] >= 0:
                source.append(listed[s])
                target.append(listed[t])
                event.append(e)
        return {"types": types.added_since(known), "nodes": node_columns,
                "edges": {"source": source, "target": target, "eventType": event}}
