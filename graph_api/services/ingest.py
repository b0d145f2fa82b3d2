"""Writes: batch upserts of nodes, states, events, memberships, parent links, MLMD's
one-call step (`put_execution`) and whole lineage batches (`put_lineage_subgraph`).

Each call is one transaction — written whole or, on any error, not at all — and every
batch write is one statement (`cypher/write/put_batch.cypher`): the nodes, the edges
between them bound by their position in the batch, and the topology delta of its events.
Re-sending a call with external ids writes nothing new.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from graph_api.config import Limits
from graph_api.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from graph_api.ids import new_id
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind
from graph_api.model.ingest import (
    ArtifactAndEvent,
    LineageAssociation,
    LineageAttribution,
    LineageEvent,
    LineageSubgraphResult,
    PutExecutionResult,
)
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput, NodeInput
from graph_api.model.relations import Association, Attribution, EventInput, ParentContext
from graph_api.services.batches import Batch, BatchWriter, End, Event
from graph_api.services.caps import MAX_BATCH, bounded_batch
from graph_api.services.node_writes import NodeRows, now_ms, path_text
from graph_api.services.types import TypeCache
from graph_api.store import nodes as node_rows
from graph_api.store import relations as relation_rows
from graph_api.store.connection import Database, Tx

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT


async def require_ids(tx: Tx, kind: NodeKind, refs: Sequence[tuple[str, str]]) -> None:
    """Raise `NotFound` naming the first (field, id) pair whose node does not exist."""
    if not refs:
        return
    missing = await node_rows.missing(tx, kind, [i for _, i in refs])
    for where, node_id in refs:
        if node_id in missing:
            raise NotFound(f"{where}: no {kind.value.lower()} {node_id!r}", field=where)


def _ends(batch: Batch, kind: NodeKind, given: Sequence[tuple[int | None, str | None]],
          where: str, name: str) -> list[End]:
    """Edges' ends of one kind, each given by position in the batch or by id; edge i is
    named `where[i]` in errors."""
    count = len(batch.rows(kind).inputs)
    ends: list[End] = []
    for i, (index, node_id) in enumerate(given):
        if node_id is not None:
            ends.append(batch.ref(kind, f"{where}[{i}].{name}Id", node_id))
        elif index is not None and 0 <= index < count:
            ends.append(index)
        else:
            field = f"{where}[{i}].{name}Index"
            raise InvalidInput(f"{field}: {index} is not the position of one of the batch's "
                               f"{count} {name}s", field=field)
    return ends


class IngestService:
    """Every write of the metadata graph (types have `TypeService`)."""

    def __init__(self, db: Database, limits: Limits, types: TypeCache | None = None) -> None:
        self.db = db
        self.limits = limits
        self.batches = BatchWriter(db, types or TypeCache())

    # -- MLMD's calls ---------------------------------------------------------------------

    async def put_nodes(self, kind: NodeKind, inputs: Sequence[NodeInput], *,
                        new_only: bool = False, touched: Collection[int] = (),
                        expected: Mapping[int, int] | None = None) -> list[str]:
        """Create or update a batch of nodes of one kind, atomically (MLMD `put_*s`).

        A row with `id` replaces that node's fields and properties; a row with only an
        `externalId` upserts by it; a context row without either upserts by its unique
        (type, name). Re-sending a batch writes nothing new. With `new_only`, a row
        without `id` creates its node or refuses the batch (MLMD's semantics). A row
        that changes nothing is not written unless its position is in `touched`; a row
        whose position `expected` maps to a time is written only if its node's
        `updatedAt` is still that time.

        Returns:
            The ids, in input order.
        Raises:
            NotFound: an `id` or a type does not exist.
            InvalidInput: a property value does not match the type's schema.
            Conflict: a row would change a node's type or take another node's key; with
                `new_only`, a new row's external id or (type, name) is taken.
            FailedPrecondition: a node of `expected` was updated since its time.
            LimitExceeded: more rows than a batch may hold.
        """
        rows = NodeRows.of(kind, inputs, new_only=new_only, touch=touched, expect=expected)
        if not inputs:
            return []
        ids = await self.batches.write(Batch({kind: rows}, [("nodes", kind)]))
        return ids[kind]

    async def update_states(
        self, kind: NodeKind, states: Mapping[str, ArtifactState | ExecutionState | str],
        paths: Mapping[str, str] | None = None,
    ) -> list[str]:
        """Set states by id, atomically; returns the ids set.

        `paths` names an id's place in the caller's request, for the error's field
        (default `id`).

        Raises:
            NotFound: an unknown id (nothing is written).
            InvalidInput: a state that is not one of the kind's (it would make the node
                unreadable), or a context (contexts have no state).
        """
        if kind is NodeKind.CONTEXT:
            raise InvalidInput("contexts have no state", field="kind")
        allowed = {s.value for s in (ArtifactState if kind is NodeKind.ARTIFACT
                                     else ExecutionState)}
        rows = []
        for node_id, state in states.items():
            if state not in allowed:
                raise InvalidInput(f"states.{node_id}: {str(state)!r} is not an "
                                   f"{kind.value.lower()} state", field=f"states.{node_id}")
            rows.append({"id": node_id, "state": str(state)})

        async def work(tx: Tx) -> list[str]:
            updated = await node_rows.set_states(tx, kind, rows, now_ms(), new_id())
            missing = sorted(set(states) - set(updated))
            if missing:
                where = (paths or {}).get(missing[0], "id")
                raise NotFound(f"{where}: no {kind.value.lower()} {missing[0]!r}", field=where)
            return updated

        return await self.db.write(work)

    async def put_events(self, events: Sequence[EventInput]) -> None:
        """Record events atomically (MLMD `put_events`); re-sending one is a no-op.

        Raises:
            NotFound: an artifact or execution does not exist (nothing is written).
            LimitExceeded: more rows than a batch may hold.
        """
        bounded_batch(events, "input")
        if not events:
            return
        batch = Batch({}, [("refs", A), ("refs", E)])
        batch.events = [
            Event(batch.ref(A, f"input[{i}].artifactId", e.artifact_id),
                  batch.ref(E, f"input[{i}].executionId", e.execution_id),
                  e.type, path_text(e.path), e.timestamp)
            for i, e in enumerate(events)]
        await self.batches.write(batch)

    async def put_memberships(self, attributions: Sequence[Attribution],
                              associations: Sequence[Association]) -> None:
        """Put artifacts and executions into contexts, atomically and idempotently (MLMD
        `put_attributions_and_associations`).

        Raises:
            NotFound: a node or context does not exist (nothing is written).
            LimitExceeded: more rows than a batch may hold.
        """
        bounded_batch(attributions, "attributions")
        bounded_batch(associations, "associations")
        if not attributions and not associations:
            return
        batch = Batch({}, [("refs", A), ("refs", E), ("refs", C)])
        artifacts = [batch.ref(A, f"attributions[{i}].artifactId", a.artifact_id)
                     for i, a in enumerate(attributions)]
        executions = [batch.ref(E, f"associations[{i}].executionId", a.execution_id)
                      for i, a in enumerate(associations)]
        batch.attributions = [
            (end, batch.ref(C, f"attributions[{i}].contextId", a.context_id))
            for i, (end, a) in enumerate(zip(artifacts, attributions, strict=True))]
        batch.associations = [
            (end, batch.ref(C, f"associations[{i}].contextId", a.context_id))
            for i, (end, a) in enumerate(zip(executions, associations, strict=True))]
        await self.batches.write(batch)

    async def put_parent_contexts(self, links: Sequence[ParentContext]) -> None:
        """Link child contexts to parents, atomically. A link that closes a cycle is refused.

        Raises:
            NotFound: a context does not exist.
            Conflict: a context would become its own ancestor (nothing is written).
            LimitExceeded: more rows than a batch may hold.
        """
        bounded_batch(links, "input")
        for i, link in enumerate(links):
            if link.child_id == link.parent_id:
                raise Conflict(f"input[{i}].parentId: a context cannot be its own parent",
                               field=f"input[{i}].parentId")

        async def work(tx: Tx) -> None:
            await require_ids(tx, NodeKind.CONTEXT, [
                *((f"input[{i}].childId", x.child_id) for i, x in enumerate(links)),
                *((f"input[{i}].parentId", x.parent_id) for i, x in enumerate(links)),
            ])
            await relation_rows.put_parent_links(
                tx, [{"childId": x.child_id, "parentId": x.parent_id} for x in links],
                delta_id=new_id(), now=now_ms())
            cyclic = set(await relation_rows.cyclic(tx, sorted({x.child_id for x in links})))
            if cyclic:
                i = next(i for i, x in enumerate(links) if x.child_id in cyclic)
                raise Conflict(f"input[{i}]: linking {links[i].child_id!r} under "
                               f"{links[i].parent_id!r} would make a context its own ancestor",
                               field=f"input[{i}]")

        if links:
            await self.db.write(work)

    async def put_execution(self, execution: ExecutionInput,
                            artifact_and_events: Sequence[ArtifactAndEvent] = (),
                            contexts: Sequence[ContextInput] = ()) -> PutExecutionResult:
        """Record one step with its inputs, outputs and contexts in one transaction (MLMD).

        Artifacts given in full are upserted like `put_nodes`; contexts likewise. Every
        artifact is attributed to every context, the execution associated with every
        context. Re-sending the same call (with external ids) writes nothing new.

        Raises:
            NotFound, InvalidInput, Conflict, LimitExceeded: as the batch writes; nothing
                is written.
        """
        new = [(i, ae.artifact) for i, ae in enumerate(artifact_and_events)
               if ae.artifact is not None]
        batch = Batch({
            C: NodeRows.of(C, list(contexts), "contexts"),
            A: NodeRows.of(A, [a for _, a in new], "artifactEvents",
                           [f"artifactEvents[{i}].artifact" for i, _ in new]),
            E: NodeRows.of(E, [execution], "execution", ["execution"]),
        }, [("nodes", C), ("nodes", A), ("refs", A), ("nodes", E)])
        bounded_batch(artifact_and_events, "artifactEvents")
        row_of = {i: j for j, (i, _) in enumerate(new)}
        ends: list[End] = []
        distinct: dict[tuple[str, ...], End] = {}
        for i, ae in enumerate(artifact_and_events):
            if ae.artifact_id is not None:
                end = batch.ref(A, f"artifactEvents[{i}].artifactId", ae.artifact_id)
                distinct.setdefault(("i", ae.artifact_id), end)
            else:
                end = row_of[i]
                artifact = ae.artifact
                assert artifact is not None
                key = (("x", artifact.external_id) if artifact.external_id is not None
                       else ("-", str(i)))
                distinct.setdefault(key, end)
            ends.append(end)
            batch.events.append(Event(end, 0, ae.event_type, path_text(ae.path), None))
        contexts_ = list(range(len(contexts)))
        if len(distinct) * len(contexts_) > MAX_BATCH:
            raise LimitExceeded(f"attributions: at most {MAX_BATCH} rows per batch (maxBatch)",
                                field="attributions")
        batch.attributions = [(a, c) for a in distinct.values() for c in contexts_]
        batch.associations = [(0, c) for c in contexts_]
        ids = await self.batches.write(batch)
        refs = batch.nodes[A].refs
        artifact_ids = [ids[A][end] if end >= 0 else refs[~end][1] for end in ends]
        return PutExecutionResult(ids[E][0], artifact_ids, ids[C])

    async def put_lineage_subgraph(
        self, contexts: Sequence[ContextInput] = (), artifacts: Sequence[ArtifactInput] = (),
        executions: Sequence[ExecutionInput] = (), events: Sequence[LineageEvent] = (),
        attributions: Sequence[LineageAttribution] = (),
        associations: Sequence[LineageAssociation] = (),
        *, new_only: Collection[NodeKind] = (),
        touched: Mapping[NodeKind, Collection[int]] | None = None,
    ) -> LineageSubgraphResult:
        """Write a whole lineage batch in one transaction and one statement (MLMD
        `put_lineage_subgraph`, with memberships given one by one): contexts, artifacts
        and executions upserted like `put_nodes`, and the events, attributions and
        associations between them, each end a node of the batch (by its position in its
        list) or a stored node (by id). Re-sending the batch writes nothing new. Rows
        without `id` of the kinds in `new_only` create their node or refuse the batch;
        the rows at the positions `touched` lists per kind get a new `updatedAt` even if
        they change nothing.

        Returns:
            The ids of the contexts, artifacts and executions, in the order given.
        Raises:
            NotFound: an `id`, a type or an edge's stored end does not exist.
            InvalidInput: a property does not match its type; a position is outside its
                list.
            Conflict: a row would change a node's type or take another node's key; a
                `new_only` row's external id or (type, name) is taken.
            LimitExceeded: more rows than a batch may hold.
            Nothing is written when any is raised.
        """
        touched = touched or {}
        batch = Batch({
            C: NodeRows.of(C, list(contexts), "contexts", new_only=C in new_only,
                           touch=touched.get(C, ())),
            A: NodeRows.of(A, list(artifacts), "artifacts", new_only=A in new_only,
                           touch=touched.get(A, ())),
            E: NodeRows.of(E, list(executions), "executions", new_only=E in new_only,
                           touch=touched.get(E, ())),
        }, [("nodes", C), ("nodes", A), ("refs", A), ("nodes", E), ("refs", E),
            ("refs", C)])
        bounded_batch(events, "events")
        bounded_batch(attributions, "attributions")
        bounded_batch(associations, "associations")
        events_a = _ends(batch, A, [(e.artifact_index, e.artifact_id) for e in events],
                         "events", "artifact")
        events_x = _ends(batch, E, [(e.execution_index, e.execution_id) for e in events],
                         "events", "execution")
        batch.events = [Event(a, x, e.type, path_text(e.path), e.timestamp)
                        for a, x, e in zip(events_a, events_x, events, strict=True)]
        batch.attributions = list(zip(
            _ends(batch, A, [(m.artifact_index, m.artifact_id) for m in attributions],
                  "attributions", "artifact"),
            _ends(batch, C, [(m.context_index, m.context_id) for m in attributions],
                  "attributions", "context"), strict=True))
        batch.associations = list(zip(
            _ends(batch, E, [(m.execution_index, m.execution_id) for m in associations],
                  "associations", "execution"),
            _ends(batch, C, [(m.context_index, m.context_id) for m in associations],
                  "associations", "context"), strict=True))
        if not (contexts or artifacts or executions or events or attributions
                or associations):
            return LineageSubgraphResult([], [], [])
        ids = await self.batches.write(batch)
        return LineageSubgraphResult(ids[C], ids[A], ids[E])
