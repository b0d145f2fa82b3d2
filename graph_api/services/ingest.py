"""Writes: batch upserts of nodes, states, events, memberships, parent links, and MLMD's
one-call step (`put_execution`). Each call is one transaction: written whole or, on any
error, not at all; re-sending a call with external ids writes nothing new."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from graph_api.config import Limits
from graph_api.errors import Conflict, InvalidInput, NotFound
from graph_api.ids import new_id
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind
from graph_api.model.ingest import ArtifactAndEvent, PutExecutionResult
from graph_api.model.nodes import ContextInput, ExecutionInput, NodeInput
from graph_api.model.relations import Association, Attribution, EventInput, ParentContext
from graph_api.services.caps import bounded_batch
from graph_api.services.node_writes import now_ms, put_nodes
from graph_api.store import nodes as node_rows
from graph_api.store import relations as relation_rows
from graph_api.store import topology as topology_rows
from graph_api.store.connection import Database, Tx


async def require_ids(tx: Tx, kind: NodeKind, refs: Sequence[tuple[str, str]]) -> None:
    """Raise `NotFound` naming the first (field, id) pair whose node does not exist."""
    if not refs:
        return
    missing = await node_rows.missing(tx, kind, [i for _, i in refs])
    for where, node_id in refs:
        if node_id in missing:
            raise NotFound(f"{where}: no {kind.value.lower()} {node_id!r}", field=where)


async def _name_missing(tx: Tx, refs: Sequence[tuple[NodeKind, Sequence[tuple[str, str]]]]
                        ) -> None:
    """A write matched fewer rows than it was given: raise `NotFound` for the culprit.

    Writes run first and are checked after, so a correct batch costs no extra round trip;
    raising rolls the whole transaction back.
    """
    for kind, ids in refs:
        await require_ids(tx, kind, ids)
    raise Conflict("a node was deleted while writing; retry")


async def put_events_tx(tx: Tx, events: Sequence[EventInput], where: str = "input") -> None:
    """Record events in `tx`; see `IngestService.put_events`."""
    bounded_batch(events, where)
    if not events:
        return
    now = now_ms()
    inputs: list[dict[str, Any]] = []
    outputs: list[dict[str, Any]] = []
    for e in events:
        row = {"artifactId": e.artifact_id, "executionId": e.execution_id,
               "kind": e.type.value, "path": json.dumps(e.path),
               "ts": e.timestamp if e.timestamp is not None else now}
        (inputs if e.type.is_input else outputs).append(row)
    if await relation_rows.put_events(tx, inputs, outputs) != len(events):
        await _name_missing(tx, [
            (NodeKind.ARTIFACT, [(f"{where}[{i}].artifactId", e.artifact_id)
                                 for i, e in enumerate(events)]),
            (NodeKind.EXECUTION, [(f"{where}[{i}].executionId", e.execution_id)
                                  for i, e in enumerate(events)]),
        ])
    await topology_rows.append_delta(tx, new_id(), [e.artifact_id for e in events],
                                     [e.execution_id for e in events],
                                     [e.type.value for e in events])


async def put_memberships_tx(tx: Tx, attributions: Sequence[Attribution],
                             associations: Sequence[Association]) -> None:
    """Put artifacts and executions into contexts in `tx`; see
    `IngestService.put_memberships`."""
    bounded_batch(attributions, "attributions")
    bounded_batch(associations, "associations")
    written = await relation_rows.put_memberships(
        tx, [{"artifactId": a.artifact_id, "contextId": a.context_id} for a in attributions],
        [{"executionId": a.execution_id, "contextId": a.context_id} for a in associations])
    if written != len(attributions) + len(associations):
        await _name_missing(tx, [
            (NodeKind.ARTIFACT, [(f"attributions[{i}].artifactId", a.artifact_id)
                                 for i, a in enumerate(attributions)]),
            (NodeKind.EXECUTION, [(f"associations[{i}].executionId", a.execution_id)
                                  for i, a in enumerate(associations)]),
            (NodeKind.CONTEXT, [
                *((f"attributions[{i}].contextId", a.context_id)
                  for i, a in enumerate(attributions)),
                *((f"associations[{i}].contextId", a.context_id)
                  for i, a in enumerate(associations))]),
        ])


class IngestService:
    """Every write of the metadata graph (types have `TypeService`)."""

    def __init__(self, db: Database, limits: Limits) -> None:
        self.db = db
        self.limits = limits

    async def put_nodes(self, kind: NodeKind, inputs: Sequence[NodeInput]) -> list[str]:
        """Create or update a batch of nodes of one kind, atomically (MLMD `put_*s`).

        A row with `id` replaces that node's fields and properties; a row with only an
        `externalId` upserts by it; a context row without either upserts by its unique
        (type, name). Re-sending a batch writes nothing new.

        Returns:
            The ids, in input order.
        Raises:
            NotFound: an `id` or a type does not exist.
            InvalidInput: a property value does not match the type's schema.
            Conflict: a row would change a node's type or take another node's key.
            LimitExceeded: more rows than a batch may hold.
        """

        async def work(tx: Tx) -> list[str]:
            return await put_nodes(tx, kind, inputs)

        return await self.db.write(work)

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
            updated = await node_rows.set_states(tx, kind, rows, now_ms())
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

        async def work(tx: Tx) -> None:
            await put_events_tx(tx, events)

        await self.db.write(work)

    async def put_memberships(self, attributions: Sequence[Attribution],
                              associations: Sequence[Association]) -> None:
        """Put artifacts and executions into contexts, atomically and idempotently (MLMD
        `put_attributions_and_associations`).

        Raises:
            NotFound: a node or context does not exist (nothing is written).
            LimitExceeded: more rows than a batch may hold.
        """

        async def work(tx: Tx) -> None:
            await put_memberships_tx(tx, attributions, associations)

        await self.db.write(work)

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
                tx, [{"childId": x.child_id, "parentId": x.parent_id} for x in links])
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

        async def work(tx: Tx) -> PutExecutionResult:
            context_ids = await put_nodes(tx, NodeKind.CONTEXT, list(contexts), "contexts")
            new = [(i, ae.artifact) for i, ae in enumerate(artifact_and_events)
                   if ae.artifact is not None]
            new_ids = await put_nodes(tx, NodeKind.ARTIFACT, [a for _, a in new],
                                      "artifactEvents",
                                      [f"artifactEvents[{i}].artifact" for i, _ in new])
            by_index = {i: node_id for (i, _), node_id in zip(new, new_ids, strict=True)}
            refs = []
            for i, ae in enumerate(artifact_and_events):
                if ae.artifact_id is not None:
                    by_index[i] = ae.artifact_id
                    refs.append((f"artifactEvents[{i}].artifactId", ae.artifact_id))
            await require_ids(tx, NodeKind.ARTIFACT, refs)
            [execution_id] = await put_nodes(tx, NodeKind.EXECUTION, [execution], "execution",
                                             ["execution"])
            artifact_ids = [by_index[i] for i in range(len(artifact_and_events))]
            await put_events_tx(tx, [
                EventInput(artifact_id=artifact_ids[i], execution_id=execution_id,
                           type=ae.event_type, path=ae.path)
                for i, ae in enumerate(artifact_and_events)], "artifactEvents")
            await put_memberships_tx(
                tx,
                [Attribution(artifact_id=a, context_id=c)
                 for a in dict.fromkeys(artifact_ids) for c in context_ids],
                [Association(execution_id=execution_id, context_id=c) for c in context_ids])
            return PutExecutionResult(execution_id, artifact_ids, context_ids)

        return await self.db.write(work)
