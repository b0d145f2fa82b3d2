"""A streamed walk answered from the topology index: the batches `stream.StreamedWalk`
yields, for the NDJSON subgraph and the impact export.

The walk itself is done in memory when the stream begins (the nodes as numbers, their
degrees, the edges among them as positions: a few integer arrays). The batches then carry
the start nodes, then the others by degree — one degree at a time, at most `STEP_SLICE`
nodes a batch — each with the name, uri and state of its nodes, those the field cache
holds from there (`TopologyCache.field_cache`, fresh in the batch's own short read
transaction), the others read in it — and lastly the edges. As with the Cypher walk, the
stream is not one snapshot: a node deleted meanwhile comes without name, uri and state.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import numpy as np

from graph_api.model.enums import Direction, NodeKind
from graph_api.model.table import Summaries
from graph_api.services.stream import STEP_SLICE, Batch, StreamStart
from graph_api.services.topology import walks
from graph_api.services.topology.cache import TopologyCache
from graph_api.services.topology.index import EVENTS, KINDS, Topology
from graph_api.store import explore
from graph_api.store.connection import Database, Tx

#: Edges a batch carries.
EDGE_SLICE = 50_000


class IndexedWalk:
    """One streamed walk over the topology index; iterate `batches()` once."""

    def __init__(self, db: Database, topology: Topology, starts: Sequence[StreamStart],
                 direction: Direction, max_hops: int, edges: bool = True,
                 fields: TopologyCache | None = None) -> None:
        self.db = db
        self.fields = fields
        self.starts = list({s.id: s for s in starts}.values())
        start = walks.numbers(topology, self.starts)
        members, degree, _ = walks.reach(topology, start, direction, max_hops,
                                         topology.size + 1)
        others = ~np.isin(members, start)
        members, degree = walks.ordered(topology, members[others], degree[others])
        self.topology = topology
        self.members = np.concatenate(
            (topology.numbers_of([s.id for s in self.starts]), members))
        self.degree = np.concatenate((np.zeros(len(self.starts), dtype=np.int32), degree))
        self.edges = (walks.edges_by_position(topology, self.members) if edges else None)

    async def batches(self) -> AsyncIterator[Batch]:
        """The start nodes, then the others by degree, then the edges (as positions in
        the order the nodes came)."""
        first = Batch()
        for s in self.starts:
            first.id.append(s.id)
            first.kind.append(s.kind)
            first.type.append(s.type)
            first.degree.append(0)
            first.name.append(s.name)
            first.uri.append(s.uri)
            first.state.append(s.state)
        yield first
        begin = len(self.starts)
        while begin < len(self.members):
            level = self.degree[begin]
            end = min(int(np.searchsorted(self.degree, level, side="right")),
                      begin + STEP_SLICE)
            yield await self._nodes(begin, end)
            begin = end
        if self.edges is not None:
            source, target, event = self.edges
            for at in range(0, len(source), EDGE_SLICE):
                yield Batch(source=source[at:at + EDGE_SLICE].tolist(),
                            target=target[at:at + EDGE_SLICE].tolist(),
                            event=[EVENTS[e].value for e in event[at:at + EDGE_SLICE].tolist()])

    async def _nodes(self, begin: int, end: int) -> Batch:
        """Nodes `begin` to `end` with their name, uri and state."""
        topo, numbers = self.topology, self.members[begin:end]
        ids = topo.id_list(numbers)
        kinds: list[NodeKind] = [KINDS[k] for k in topo.kinds[numbers].tolist()]

        async def work(tx: Tx) -> Summaries:
            cache = (await self.fields.field_cache(tx)
                     if self.fields is not None and self.fields.holds_fields() else None)
            held = Summaries([], [], [], [])
            wanted: Sequence[int] = range(len(ids))
            if cache is not None:
                details, wanted = cache.get(ids)
                held = Summaries(details.id, details.name, details.uri, details.state)
            if not wanted:
                return held
            read = await explore.summaries(
                tx, [ids[k] for k in wanted if kinds[k] is NodeKind.ARTIFACT],
                [ids[k] for k in wanted if kinds[k] is NodeKind.EXECUTION], counts=False)
            return Summaries(held.id + read.id, held.name + read.name, held.uri + read.uri,
                             held.state + read.state)

        found = await self.db.read(work)
        at = {node_id: k for k, node_id in enumerate(found.id)}
        rows = [at.get(i) for i in ids]
        return Batch(
            id=ids, kind=kinds, type=[topo.type_names[t] for t in topo.types[numbers].tolist()],
            degree=self.degree[begin:end].tolist(),
            name=[found.name[k] if k is not None else None for k in rows],
            uri=[found.uri[k] if k is not None else None for k in rows],
            state=[found.state[k] if k is not None else None for k in rows])
