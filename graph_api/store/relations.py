"""Events, attributions, associations and parent links: parent links' batch write, and the
reads along them (each for many nodes in one round trip). (The other edges are written
with their batch: `store.batch`.)"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph_api.model.enums import NodeKind
from graph_api.model.nodes import Node
from graph_api.model.relations import Event
from graph_api.store import records
from graph_api.store.connection import Tx

#: Statements of the reads that pair a node with its neighbours, by name.
NEIGHBOURS = {
    "producers": ("read/producers_of_artifacts", NodeKind.EXECUTION),
    "consumers": ("read/consumers_of_artifacts", NodeKind.EXECUTION),
    "inputs": ("read/inputs_of_executions", NodeKind.ARTIFACT),
    "outputs": ("read/outputs_of_executions", NodeKind.ARTIFACT),
}


async def put_parent_links(tx: Tx, rows: Sequence[Mapping[str, str]], delta_id: str) -> int:
    """Merge CHILD_OF edges ({childId, parentId}), recording those created in a
    TopologyDelta of id `delta_id`; returns how many found both contexts."""
    if not rows:
        return 0
    written: int = (await tx.single("write/put_parent_contexts", {
        "rows": list(rows), "deltaId": delta_id}))["written"]
    return written


async def cyclic(tx: Tx, ids: Sequence[str]) -> list[str]:
    """Which of these contexts are their own ancestor."""
    return list((await tx.single("read/context_cycles", {"ids": list(ids)}))["cyclic"])


async def events_of(tx: Tx, kind: NodeKind, ids: Sequence[str]) -> list[Event]:
    """Every event of these artifacts or executions, in no particular order."""
    name = ("read/events_of_artifacts" if kind is NodeKind.ARTIFACT
            else "read/events_of_executions")
    row = await tx.single(name, {"ids": list(ids)})
    return [records.event(e) for e in row["events"]]


async def _contexts(tx: Tx, name: str, ids: Sequence[str],
                    fragments: dict[str, str] | None = None) -> list[tuple[str, Node]]:
    rows = (await tx.single(name, {"ids": list(ids)}, fragments))["pairs"]
    return [(str(p["nodeId"]), records.node(NodeKind.CONTEXT, p["context"])) for p in rows]


async def contexts_of(tx: Tx, kind: NodeKind, ids: Sequence[str]) -> list[tuple[str, Node]]:
    """(node id, context) for every context these artifacts or executions belong to."""
    return await _contexts(tx, "read/contexts_of_nodes", ids, {"label": kind.value})


async def parents_of(tx: Tx, ids: Sequence[str]) -> list[tuple[str, Node]]:
    """(context id, parent) for every direct parent of these contexts."""
    return await _contexts(tx, "read/parent_contexts", ids)


async def children_of(tx: Tx, ids: Sequence[str]) -> list[tuple[str, Node]]:
    """(context id, child) for every direct child of these contexts."""
    return await _contexts(tx, "read/child_contexts", ids)


async def neighbours(tx: Tx, which: str, ids: Sequence[str]) -> list[tuple[str, Node]]:
    """(node id, neighbour) for each distinct neighbour of these nodes along events:
    `producers` / `consumers` of artifacts, `inputs` / `outputs` of executions."""
    name, kind = NEIGHBOURS[which]
    rows = (await tx.single(name, {"ids": list(ids)}))["pairs"]
    return [(str(p["nodeId"]), records.node(kind, p["node"])) for p in rows]
