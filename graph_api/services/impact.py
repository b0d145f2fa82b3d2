"""Impact analysis of bad artifacts: what is downstream of them, and which contexts hold it.

Given artifacts known to be bad (a corrupt dataset, a leaked split), the *affected* nodes
are the artifacts themselves and every artifact and execution downstream of them, each
with its degree (smallest number of hops from the given artifacts). The *affected
contexts* are:

* every context that directly holds an affected node (an artifact attributed to it, an
  execution associated with it) — a pipeline run, an experiment; `direct` is true;
* every ancestor of those contexts through parent links (the experiment of a run, the
  project of an experiment, and so on up), because a grouping that contains an affected
  grouping is affected too; `direct` is false unless it also holds an affected node.

A context's degree is the smallest degree among the affected nodes it holds, or, for an
ancestor, among its affected child contexts. `include` narrows what is *listed* and
counted (kinds and types, contexts included), never where the walk goes; the given
artifacts are always listed.

Two ways to ask:

* `ImpactService.analyze` — the whole answer at once, at most `maxNodes` artifacts and
  executions (nearest first; `truncated` says when it cut), for GraphQL;
* `ImpactService.export` — the same rows without any cap, produced as the walk proceeds
  (`stream`), for the streaming HTTP export.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Collection, Sequence

from graph_api.config import Limits
from graph_api.errors import InvalidInput, NotFound
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.impact import (
    AffectedContext,
    ContextClosure,
    ExportRows,
    Holding,
    ImpactAnswer,
    Include,
)
from graph_api.model.lineage import LineageGraph, LineageRequest
from graph_api.services.caps import bounded_hops
from graph_api.services.lineage import LineageService
from graph_api.services.stream import Batch, StreamedWalk, StreamStart, Walked
from graph_api.services.topology import contexts as topology_contexts
from graph_api.services.topology.index import Topology
from graph_api.services.topology.stream import IndexedWalk
from graph_api.store import impact as impact_rows
from graph_api.store import nodes as node_rows
from graph_api.store.connection import Database, Tx


async def contexts_of(tx: Tx, nodes: Sequence[str], kinds: Sequence[NodeKind],
                      degrees: Sequence[int], known: Collection[str] = (),
                      topology: Topology | None = None) -> ContextClosure:
    """The contexts directly holding the given nodes (artifacts and executions of `kinds`,
    at `degrees`), and all their ancestors.

    From the topology index when there is one and it holds the nodes (in memory, then one
    round trip for the contexts' names); else one round trip for the memberships, then one
    per level of CHILD_OF links (parent links cannot form cycles; the store refuses them).
    Contexts in `known` are taken as already reported together with their ancestors:
    their parents are not walked again and they are left out of `contexts` (what they hold
    is still counted).
    """
    indexed = (topology_contexts.closure(topology, nodes, degrees, known)
               if topology is not None else None)
    if indexed is not None:
        refs = await impact_rows.contexts(tx, list(indexed.contexts))
        return ContextClosure(indexed.held, indexed.parents, {c.id: c for c in refs})
    found = await impact_rows.memberships(
        tx, [i for i, k in zip(nodes, kinds, strict=True) if k is NodeKind.ARTIFACT],
        [i for i, k in zip(nodes, kinds, strict=True) if k is NodeKind.EXECUTION])
    degree_of = dict(zip(nodes, degrees, strict=True))
    held: dict[str, Holding] = {}
    for member, context in zip(found.member, found.context, strict=True):
        members, degree = held.get(context, (0, degree_of[member]))
        held[context] = Holding(members + 1, min(degree, degree_of[member]))
    closure = ContextClosure(held)
    closure.contexts = {c.id: c for c in found.contexts if c.id not in known}
    frontier = list(closure.contexts)
    while frontier:
        parents = await impact_rows.parents(tx, frontier)
        closure.parents.extend(zip(parents.member, parents.context, strict=True))
        frontier = []
        for c in parents.contexts:
            if c.id not in known and c.id not in closure.contexts:
                closure.contexts[c.id] = c
                frontier.append(c.id)
    return closure


def affected_contexts(closure: ContextClosure) -> list[AffectedContext]:
    """Degrees and direct member counts of the closure's contexts, nearest first."""
    degree = {c: h.degree for c, h in closure.held.items()}
    changed = True
    while changed:  # parent links form a DAG: relax until every ancestor has its minimum
        changed = False
        for child, parent in closure.parents:
            if child in degree and degree[child] < degree.get(parent, 1 << 62):
                degree[parent] = degree[child]
                changed = True
    none = Holding(0, 0)
    out = [AffectedContext(c.id, c.type, c.name, degree[c.id],
                           closure.held.get(c.id, none).members > 0,
                           closure.held.get(c.id, none).members)
           for c in closure.contexts.values()]
    out.sort(key=lambda c: (c.degree, c.id))
    return out


class ImpactService:
    """Impact analysis over one database, within the configured caps."""

    def __init__(self, db: Database, limits: Limits, lineage: LineageService) -> None:
        self.db = db
        self.limits = limits
        self.lineage = lineage

    async def _check_starts(self, artifact_ids: Sequence[str]) -> list[str]:
        ids = list(dict.fromkeys(artifact_ids))
        if not ids:
            raise InvalidInput("artifactIds: give at least one artifact id", field="artifactIds")
        kinds = await self.lineage.kinds(ids)
        for i in ids:
            if kinds.get(i) is not NodeKind.ARTIFACT:
                raise NotFound(f"artifactIds: no artifact {i!r}", field="artifactIds")
        return ids

    async def analyze(self, artifact_ids: Sequence[str], *, max_hops: int | None = None,
                      include: Include | None = None, max_nodes: int | None = None
                      ) -> ImpactAnswer:
        """Everything affected by the given artifacts, as one answer.

        Args:
            artifact_ids: the bad artifacts (duplicates are ignored).
            max_hops: how far downstream to walk; default the cap `LINEAGE_MAX_HOPS`.
            include: which nodes and contexts to list and count; default all.
            max_nodes: most artifacts and executions to list (nearest first); default and
                cap `LINEAGE_MAX_NODES`. Contexts of the listed nodes come on top.

        Raises:
            InvalidInput: no artifact id, negative maxHops or maxNodes below 1.
            NotFound: an id names no artifact.
            LimitExceeded: maxHops or maxNodes above their caps.
        """
        hops = bounded_hops(self.limits, max_hops)
        ids = list(dict.fromkeys(artifact_ids))
        if not ids:
            raise InvalidInput("artifactIds: give at least one artifact id", field="artifactIds")
        include = include or Include()

        async def with_contexts(tx: Tx, graph: LineageGraph, topology: Topology | None
                                ) -> tuple[LineageGraph, ContextClosure]:
            return graph, await contexts_of(tx, graph.ids, graph.kinds, graph.degrees,
                                            topology=topology)

        request = LineageRequest(start_artifact_ids=ids, direction=Direction.DOWNSTREAM,
                                 max_hops=hops, max_nodes=max_nodes)
        try:
            graph, closure = await self.lineage.read(request, with_contexts)
        except NotFound as error:  # the walk names its own field; this question's is ids
            where = "artifactIds"
            raise NotFound(error.message.replace("startArtifactIds", where), field=where
                           ) from None
        kinds = graph.kinds
        starts = set(ids)
        keep = [i for i, (node_id, kind, type_) in enumerate(zip(
            graph.ids, kinds, graph.types, strict=True))
            if node_id in starts or include.admits(kind, type_)]
        listed = graph if len(keep) == len(graph) else graph.subset(keep)
        contexts = [c for c in affected_contexts(closure)
                    if include.admits(NodeKind.CONTEXT, c.type)]
        by_type = Counter(zip(listed.kinds, listed.types, strict=True))
        by_type.update((NodeKind.CONTEXT, c.type) for c in contexts)
        by_kind: Counter[NodeKind] = Counter()
        for (kind, _), count in by_type.items():
            by_kind[kind] += count
        return ImpactAnswer(listed, contexts, dict(by_kind), dict(by_type))

    async def export(self, artifact_ids: Sequence[str], *, max_hops: int | None = None,
                     include: Include | None = None) -> AsyncIterator[ExportRows]:
        """Everything affected by the given artifacts, with no node cap, batch by batch.

        Checks the request first (raising here, before any row exists), then returns an
        iterator of row batches: the given artifacts and their contexts, then the nodes
        each step of the walk first reaches, with the contexts they newly bring. Degrees
        are exact (the walk is breadth-first); rows are the same set as `analyze` returns
        without truncation. Memory: what `stream.StreamedWalk` holds, and the ids of the
        contexts reported so far.

        Raises:
            InvalidInput, NotFound, LimitExceeded: as `analyze` (before any row).
            Unavailable, Timeout: from the iterator, if the database fails midway.
        """
        hops = bounded_hops(self.limits, max_hops)
        ids = await self._check_starts(artifact_ids)
        return self._export(ids, hops, include or Include())

    async def _export(self, ids: list[str], hops: int, include: Include
                      ) -> AsyncIterator[ExportRows]:

        async def begin(tx: Tx, topology: Topology | None) -> Walked:
            found = {n.id: n for n in await node_rows.by_ids(tx, NodeKind.ARTIFACT, ids)}
            starts = [StreamStart(i, NodeKind.ARTIFACT, found[i].type, found[i].name,
                                  getattr(found[i], "uri", None)) for i in ids if i in found]
            if topology is not None:
                return IndexedWalk(self.db, topology, starts, Direction.DOWNSTREAM, hops,
                                   edges=False, fields=self.lineage.topology)
            return StreamedWalk(self.db, starts, Direction.DOWNSTREAM, hops, edges=False)

        walk = await self.lineage.topology.read(begin)
        topology = walk.topology if isinstance(walk, IndexedWalk) else None
        reported: set[str] = set()
        async for batch in walk.batches():
            keep = [k for k, (kind, type_, degree) in enumerate(zip(
                batch.kind, batch.type, batch.degree, strict=True))
                if degree == 0 or include.admits(kind, type_)]  # the given ones always
            rows = ExportRows([batch.kind[k] for k in keep], [batch.id[k] for k in keep],
                              [batch.type[k] for k in keep], [batch.degree[k] for k in keep],
                              [batch.name[k] for k in keep], [batch.uri[k] for k in keep])
            level = batch.degree[0] if batch.degree else 0
            await self._add_contexts(rows, batch, level, reported, include, topology)
            if rows:
                yield rows

    async def _add_contexts(self, rows: ExportRows, batch: Batch, level: int,
                            reported: set[str], include: Include, topology: Topology | None
                            ) -> None:
        """Add rows for the contexts (and ancestors) of the batch's nodes not reported
        before (found in `topology` when the walk came from it)."""
        if not batch.id:
            return

        async def work(tx: Tx) -> ContextClosure:
            return await contexts_of(tx, batch.id, batch.kind, batch.degree, known=reported,
                                     topology=topology)

        closure = await self.db.read(work)
        reported.update(closure.contexts)
        for c in sorted(closure.contexts.values()):
            if include.admits(NodeKind.CONTEXT, c.type):
                rows.kind.append(NodeKind.CONTEXT)
                rows.id.append(c.id)
                rows.type.append(c.type)
                rows.degree.append(level)
                rows.name.append(c.name)
                rows.uri.append(None)
