"""Artifact, execution and context nodes: states, reads by id or key, and where a walk
starts. (Batch writes are `store.batch`.)"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from graph_api.model.enums import NodeKind
from graph_api.model.nodes import Node
from graph_api.model.walk import Located
from graph_api.store import records
from graph_api.store.connection import Tx


def labels(kind: NodeKind) -> dict[str, str]:
    """The slot fragments that name a kind's label and its type's label."""
    return {"label": kind.value, "type_label": kind.type_label}


async def set_states(tx: Tx, kind: NodeKind, rows: Sequence[Mapping[str, str]], now: int,
                     delta_id: str) -> list[str]:
    """Set states ({id, state} rows), recorded in the TopologyDelta `delta_id`; returns the
    ids that exist."""
    row = await tx.single("write/update_states", {"rows": list(rows), "now": now,
                                                  "deltaId": delta_id}, labels(kind))
    return list(row["updated"])


async def missing(tx: Tx, kind: NodeKind, ids: Iterable[str]) -> set[str]:
    """Which of `ids` name no node of `kind`."""
    row = await tx.single("read/missing_ids", {"ids": sorted(set(ids))}, {"label": kind.value})
    return set(row["missing"])


async def by_ids(tx: Tx, kind: NodeKind, ids: Sequence[str]) -> list[Node]:
    """Nodes of `kind` by id, in no particular order; unknown ids are left out."""
    row = await tx.single("read/nodes_by_ids", {"ids": list(ids)}, labels(kind))
    return [records.node(kind, n) for n in row["nodes"]]


async def by_external_ids(tx: Tx, kind: NodeKind, external_ids: Sequence[str]) -> list[Node]:
    """Nodes of `kind` by external id, in no particular order; unknown ones are left out."""
    row = await tx.single("read/nodes_by_external_ids", {"externalIds": list(external_ids)},
                          labels(kind))
    return [records.node(kind, n) for n in row["nodes"]]


async def contexts_by_type_and_name(tx: Tx, keys: Sequence[tuple[str, str]]) -> list[Node]:
    """Contexts by their unique (type, name), in no particular order."""
    row = await tx.single("read/contexts_by_type_name",
                          {"keys": [{"type": t, "name": n} for t, n in keys]})
    return [records.node(NodeKind.CONTEXT, n) for n in row["nodes"]]


async def locate(tx: Tx, ids: Sequence[str]) -> dict[str, Located]:
    """Kind, type and handle of each id that names a node, whatever its kind."""
    rows = (await tx.single("read/node_kinds", {"ids": list(ids)}))["nodes"]
    return {r["id"]: Located(r["id"], NodeKind(r["kind"]), r["type"], r["eid"])
            for r in rows if r["kind"]}


async def context_members(tx: Tx, context_id: str) -> list[Located] | None:
    """The artifacts and executions of a context (None: no such context)."""
    row = await tx.single("lineage/context_members", {"contextId": context_id})
    if not row["found"]:
        return None
    return [*(Located(m["id"], NodeKind.ARTIFACT, m["type"], m["eid"]) for m in row["artifacts"]),
            *(Located(m["id"], NodeKind.EXECUTION, m["type"], m["eid"])
              for m in row["executions"])]
