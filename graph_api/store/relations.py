"""Events, attributions, associations and parent contexts, and the reads along them."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from graph_api.errors import Conflict, LimitExceeded, NotFound
from graph_api.model.enums import NodeKind
from graph_api.model.nodes import Node
from graph_api.model.relations import Association, Attribution, Event, EventInput, ParentContext
from graph_api.store import records
from graph_api.store.connection import Database, Tx

MAX_BATCH = 10_000


async def require_ids(tx: Tx, kind: NodeKind, ids: Sequence[tuple[str, str]]) -> None:
    """Raise `NotFound` naming the first (field, id) pair whose node does not exist."""
    unique = sorted({i for _, i in ids})
    if not unique:
        return
    row = await tx.single("read/missing_ids", {"ids": unique}, {"label": kind.value})
    missing = set(row["missing"])
    for where, node_id in ids:
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


def _check_size(rows: Sequence[object], where: str) -> None:
    if len(rows) > MAX_BATCH:
        raise LimitExceeded(f"{where}: at most {MAX_BATCH} rows per batch (maxBatch)",
                            field=where)


class RelationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- writes ---------------------------------------------------------------------

    async def put_events(self, events: Sequence[EventInput]) -> None:
        """Record events atomically (MLMD `put_events`); re-sending one is a no-op.

        Raises:
            NotFound: an artifact or execution does not exist (nothing is written).
        """

        async def work(tx: Tx) -> None:
            await self.put_events_tx(tx, events)

        await self.db.write(work)

    async def put_events_tx(self, tx: Tx, events: Sequence[EventInput],
                            where: str = "input") -> None:
        _check_size(events, where)
        if not events:
            return
        now = int(time.time() * 1000)
        inputs: list[dict[str, Any]] = []
        outputs: list[dict[str, Any]] = []
        for e in events:
            row = {
                "artifactId": e.artifact_id,
                "executionId": e.execution_id,
                "kind": e.type.value,
                "path": json.dumps(e.path),
                "ts": e.timestamp if e.timestamp is not None else now,
            }
            (inputs if e.type.is_input else outputs).append(row)
        written = 0
        if inputs:
            written += (await tx.single("write/put_input_events", {"rows": inputs}))["written"]
        if outputs:
            written += (await tx.single("write/put_output_events", {"rows": outputs}))["written"]
        if written != len(events):
            await _name_missing(tx, [
                (NodeKind.ARTIFACT, [(f"{where}[{i}].artifactId", e.artifact_id)
                                     for i, e in enumerate(events)]),
                (NodeKind.EXECUTION, [(f"{where}[{i}].executionId", e.execution_id)
                                      for i, e in enumerate(events)]),
            ])

    async def put_attributions_and_associations(
        self, attributions: Sequence[Attribution], associations: Sequence[Association]
    ) -> None:
        """Put artifacts and executions into contexts, atomically and idempotently.

        Raises:
            NotFound: a node or context does not exist (nothing is written).
        """

        async def work(tx: Tx) -> None:
            await self.put_memberships_tx(tx, attributions, associations)

        await self.db.write(work)

    async def put_memberships_tx(
        self, tx: Tx, attributions: Sequence[Attribution], associations: Sequence[Association]
    ) -> None:
        _check_size(attributions, "attributions")
        _check_size(associations, "associations")
        written = 0
        if attributions:
            written += (await tx.single("write/put_attributions", {"rows": [
                {"artifactId": a.artifact_id, "contextId": a.context_id}
                for a in attributions]}))["written"]
        if associations:
            written += (await tx.single("write/put_associations", {"rows": [
                {"executionId": a.execution_id, "contextId": a.context_id}
                for a in associations]}))["written"]
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

    async def put_parent_contexts(self, links: Sequence[ParentContext]) -> None:
        """Link child contexts to parents, atomically. A link that closes a cycle is refused.

        Raises:
            NotFound: a context does not exist.
            Conflict: a context would become its own ancestor (nothing is written).
        """
        _check_size(links, "input")

        async def work(tx: Tx) -> None:
            for i, link in enumerate(links):
                if link.child_id == link.parent_id:
                    raise Conflict(f"input[{i}].parentId: a context cannot be its own parent",
                                   field=f"input[{i}].parentId")
            await require_ids(tx, NodeKind.CONTEXT, [
                *((f"input[{i}].childId", x.child_id) for i, x in enumerate(links)),
                *((f"input[{i}].parentId", x.parent_id) for i, x in enumerate(links)),
            ])
            rows = [{"childId": x.child_id, "parentId": x.parent_id} for x in links]
            await tx.run("write/put_parent_contexts", {"rows": rows})
            children = sorted({x.child_id for x in links})
            cyclic = (await tx.single("read/context_cycles", {"ids": children}))["cyclic"]
            if cyclic:
                i = next(i for i, x in enumerate(links) if x.child_id in set(cyclic))
                raise Conflict(
                    f"input[{i}]: linking {links[i].child_id!r} under {links[i].parent_id!r} "
                    "would make a context its own ancestor",
                    field=f"input[{i}]",
                )

        if links:
            await self.db.write(work)

    # -- reads ----------------------------------------------------------------------

    async def events_of(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, list[Event]]:
        """Events of each artifact or execution id (MLMD `get_events_by_*_ids`)."""
        name = {NodeKind.ARTIFACT: "read/events_of_artifacts",
                NodeKind.EXECUTION: "read/events_of_executions"}[kind]

        async def work(tx: Tx) -> list[Event]:
            row = await tx.single(name, {"ids": list(ids)})
            return [records.event(e) for e in row["events"]]

        out: dict[str, list[Event]] = {i: [] for i in ids}
        for event in await self.db.read(work):
            key = event.artifact_id if kind is NodeKind.ARTIFACT else event.execution_id
            out[key].append(event)
        for events in out.values():
            events.sort(key=lambda e: (e.timestamp, e.type.value, e.artifact_id, e.execution_id))
        return out

    async def contexts_of(self, kind: NodeKind, ids: Sequence[str]) -> dict[str, list[Node]]:
        """Contexts each artifact or execution belongs to (MLMD `get_contexts_by_*`)."""
        return await self._pairs("read/contexts_of_nodes", ids, {"label": kind.value})

    async def parents_of(self, ids: Sequence[str]) -> dict[str, list[Node]]:
        """Direct parent contexts of each context id."""
        return await self._pairs("read/parent_contexts", ids)

    async def children_of(self, ids: Sequence[str]) -> dict[str, list[Node]]:
        """Direct child contexts of each context id."""
        return await self._pairs("read/child_contexts", ids)

    async def _pairs(self, name: str, ids: Sequence[str],
                     fragments: dict[str, str] | None = None) -> dict[str, list[Node]]:
        async def work(tx: Tx) -> list[dict[str, object]]:
            rows: list[dict[str, object]] = (await tx.single(name, {"ids": list(ids)},
                                                             fragments))["pairs"]
            return rows

        out: dict[str, list[Node]] = defaultdict(list)
        for pair in await self.db.read(work):
            out[str(pair["nodeId"])].append(records.node(NodeKind.CONTEXT, pair["context"]))  # type: ignore[arg-type]
        return {i: sorted(out.get(i, []), key=lambda c: c.id) for i in ids}

    async def producers_of(self, artifact_ids: Sequence[str]) -> dict[str, list[Node]]:
        """The executions that wrote each artifact (an output event), by artifact id.

        Args:
            artifact_ids: artifacts to look up; an unknown id gets an empty list.
        Returns:
            Each id mapped to its distinct producing executions, ordered by id.
        """
        return await self._neighbours("read/producers_of_artifacts", NodeKind.EXECUTION,
                                      artifact_ids)

    async def consumers_of(self, artifact_ids: Sequence[str]) -> dict[str, list[Node]]:
        """The executions that read each artifact (an input event), by artifact id; as
        `producers_of`."""
        return await self._neighbours("read/consumers_of_artifacts", NodeKind.EXECUTION,
                                      artifact_ids)

    async def inputs_of(self, execution_ids: Sequence[str]) -> dict[str, list[Node]]:
        """The artifacts each execution read (an input event), by execution id; an unknown
        id gets an empty list; each list is distinct and ordered by id."""
        return await self._neighbours("read/inputs_of_executions", NodeKind.ARTIFACT,
                                      execution_ids)

    async def outputs_of(self, execution_ids: Sequence[str]) -> dict[str, list[Node]]:
        """The artifacts each execution wrote (an output event), by execution id; as
        `inputs_of`."""
        return await self._neighbours("read/outputs_of_executions", NodeKind.ARTIFACT,
                                      execution_ids)

    async def _neighbours(self, name: str, kind: NodeKind,
                          ids: Sequence[str]) -> dict[str, list[Node]]:
        """Run a `pairs` statement ({nodeId, node}) for all `ids` in one round trip."""

        async def work(tx: Tx) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = (await tx.single(name, {"ids": list(ids)}))["pairs"]
            return rows

        out: dict[str, list[Node]] = defaultdict(list)
        for pair in await self.db.read(work):
            out[str(pair["nodeId"])].append(records.node(kind, pair["node"]))
        return {i: sorted(out.get(i, []), key=lambda n: n.id) for i in ids}
