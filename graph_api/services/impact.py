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
* `ImpactService.export` — the same rows without any cap, produced as the walk proceeds,
  for the streaming HTTP export. What it holds while it runs is documented there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass

from graph_api.config import Limits
from graph_api.errors import InvalidInput, LimitExceeded, NotFound
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.lineage import LineageNode, LineageRequest
from graph_api.store.impact import ContextClosure, ImpactReads
from graph_api.store.store import GraphStore

#: Frontier nodes per round trip of the export's walk: bounds the rows one step holds.
EXPORT_SLICE = 2000


@dataclass(frozen=True)
class Include:
    """Which affected nodes to list: of these kinds and of these type names (None: any)."""

    kinds: frozenset[NodeKind] | None = None
    types: frozenset[str] | None = None

    @classmethod
    def of(cls, kinds: Iterable[NodeKind] | None = None,
           types: Iterable[str] | None = None) -> Include:
        return cls(frozenset(kinds) if kinds is not None else None,
                   frozenset(types) if types is not None else None)

    def admits(self, kind: NodeKind, type_: str) -> bool:
        return ((self.kinds is None or kind in self.kinds)
                and (self.types is None or type_ in self.types))


@dataclass(frozen=True, slots=True)
class AffectedContext:
    """A context holding affected nodes, or an ancestor of one (see the module doc)."""

    id: str
    type: str
    name: str
    degree: int
    direct: bool
    affected_members: int  # affected artifacts and executions it holds directly


@dataclass(frozen=True)
class ImpactAnswer:
    nodes: list[LineageNode]  # affected artifacts and executions, nearest first
    contexts: list[AffectedContext]  # nearest first
    counts_by_kind: dict[NodeKind, int]  # of the listed nodes and contexts
    counts_by_type: dict[tuple[NodeKind, str], int]
    truncated: bool


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One affected node of the export: an artifact, an execution or a context."""

    kind: NodeKind
    id: str
    type: str
    degree: int
    name: str | None
    uri: str | None


def hops_bound(limits: Limits, max_hops: int | None) -> int:
    """The hop bound of an impact walk: default the cap, so the answer is the whole closure.

    Raises:
        LimitExceeded: above the configured cap (the message names it and its value).
        InvalidInput: negative.
    """
    hops = limits.max_hops if max_hops is None else max_hops
    if hops > limits.max_hops:
        raise LimitExceeded(f"maxHops: {hops} exceeds the cap maxHops ({limits.max_hops})",
                            field="maxHops")
    if hops < 0:
        raise InvalidInput("maxHops: must not be negative", field="maxHops")
    return hops


def _contexts(closure: ContextClosure, degrees: dict[str, int]) -> list[AffectedContext]:
    """Degrees and direct member counts of the closure's contexts."""
    held: Counter[str] = Counter()
    degree: dict[str, int] = {}
    for member, context in closure.members:
        held[context] += 1
        degree[context] = min(degree.get(context, degrees[member]), degrees[member])
    changed = True
    while changed:  # parent links form a DAG: relax until every ancestor has its minimum
        changed = False
        for child, parent in closure.parents:
            if child in degree and degree[child] < degree.get(parent, 1 << 62):
                degree[parent] = degree[child]
                changed = True
    out = [AffectedContext(c.id, c.type, c.name, degree[c.id], held[c.id] > 0, held[c.id])
           for c in closure.contexts.values()]
    out.sort(key=lambda c: (c.degree, c.id))
    return out


class ImpactService:
    """Impact analysis over one store. Cheap to build: one per request is fine."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.reads = ImpactReads(store.db)

    async def _check_starts(self, artifact_ids: Sequence[str]) -> list[str]:
        ids = list(dict.fromkeys(artifact_ids))
        if not ids:
            raise InvalidInput("artifactIds: give at least one artifact id", field="artifactIds")
        kinds = await self.reads.kinds(ids)
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
        hops = hops_bound(self.store.limits, max_hops)
        ids = await self._check_starts(artifact_ids)
        include = include or Include()
        graph = await self.store.lineage.lineage(LineageRequest(
            start_artifact_ids=ids, direction=Direction.DOWNSTREAM, max_hops=hops,
            max_nodes=max_nodes))
        degrees = {n.id: n.degree for n in graph.nodes}
        closure = await self.reads.contexts_of(
            [n.id for n in graph.nodes if n.kind is NodeKind.ARTIFACT],
            [n.id for n in graph.nodes if n.kind is NodeKind.EXECUTION])
        starts = set(ids)
        nodes = [n for n in graph.nodes if n.id in starts or include.admits(n.kind, n.type)]
        contexts = [c for c in _contexts(closure, degrees)
                    if include.admits(NodeKind.CONTEXT, c.type)]
        by_type = Counter((n.kind, n.type) for n in nodes)
        by_type.update((NodeKind.CONTEXT, c.type) for c in contexts)
        by_kind: Counter[NodeKind] = Counter()
        for (kind, _), count in by_type.items():
            by_kind[kind] += count
        return ImpactAnswer(nodes, contexts, dict(by_kind), dict(by_type), graph.truncated)

    async def export(self, artifact_ids: Sequence[str], *, max_hops: int | None = None,
                     include: Include | None = None) -> AsyncIterator[list[ExportRow]]:
        """Everything affected by the given artifacts, with no cap, batch by batch.

        Checks the request first (raising here, before any row exists), then returns an
        iterator of row batches: the given artifacts and their contexts, then each slice
        of each hop with the contexts it newly reaches. Degrees are exact because the
        walk is breadth-first: a node is reported at the hop it is first reached. Rows
        are the same set as `analyze` returns without truncation.

        Memory: the walk keeps (a) the ids of every artifact and execution reached so far
        (its visited set: needed to report each node once), (b) the ids of every context
        reported so far (the same for contexts), (c) the current hop's frontier and the
        next hop's frontier as ids, and (d) the rows of one step (at most `EXPORT_SLICE`
        frontier nodes' successors and their contexts) until the caller takes them. No
        reported row is kept. Each step is its own short read transaction, so the export
        is not one snapshot: writes made meanwhile may or may not be seen.

        Raises:
            InvalidInput, NotFound, LimitExceeded: as `analyze` (before any row).
            Unavailable, Timeout: from the iterator, if the database fails midway.
        """
        hops = hops_bound(self.store.limits, max_hops)
        ids = await self._check_starts(artifact_ids)
        return self._export(ids, hops, include or Include())

    async def _export(self, ids: list[str], hops: int, include: Include
                      ) -> AsyncIterator[list[ExportRow]]:
        visited: set[str] = set(ids)
        reported_contexts: set[str] = set()
        starts = await self.store.nodes.by_ids(NodeKind.ARTIFACT, ids)
        frontier = [(NodeKind.ARTIFACT, i) for i in ids]
        batch = [ExportRow(NodeKind.ARTIFACT, n.id, n.type, 0, n.name, getattr(n, "uri", None))
                 for n in starts]
        yield batch + await self._new_contexts(frontier, 0, reported_contexts, include)
        for level in range(1, hops + 1):
            if not frontier:
                break
            nxt: list[tuple[NodeKind, str]] = []
            for start in range(0, len(frontier), EXPORT_SLICE):
                part = frontier[start:start + EXPORT_SLICE]
                reached = await self.reads.downstream_step(
                    [i for k, i in part if k is NodeKind.ARTIFACT],
                    [i for k, i in part if k is NodeKind.EXECUTION])
                new = [r for r in reached if r.id not in visited]
                visited.update(r.id for r in new)
                nxt.extend((r.kind, r.id) for r in new)
                rows = [ExportRow(r.kind, r.id, r.type, level, r.name, r.uri)
                        for r in new if include.admits(r.kind, r.type)]
                rows += await self._new_contexts([(r.kind, r.id) for r in new], level,
                                                 reported_contexts, include)
                if rows:
                    yield rows
            frontier = nxt

    async def _new_contexts(self, nodes: Sequence[tuple[NodeKind, str]], level: int,
                            reported: set[str], include: Include) -> list[ExportRow]:
        """Rows for the contexts (and ancestors) of `nodes` not reported before."""
        if not nodes:
            return []
        closure = await self.reads.contexts_of(
            [i for k, i in nodes if k is NodeKind.ARTIFACT],
            [i for k, i in nodes if k is NodeKind.EXECUTION], known=reported)
        reported.update(closure.contexts)
        return [ExportRow(NodeKind.CONTEXT, c.id, c.type, level, c.name, None)
                for c in sorted(closure.contexts.values())
                if include.admits(NodeKind.CONTEXT, c.type)]
