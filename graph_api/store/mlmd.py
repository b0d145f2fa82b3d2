"""Reads in MLMD's terms: nodes and types by their int64 ids (`mlmdId`), MLMD's listings
(filter query, order, page token), events in insertion order, memberships, parent links
and one hop of MLMD's lineage walk. (Writes go through the batch write: `store.batch`.)
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind
from graph_api.model.mlmd import MlmdEvent, MlmdNode, MlmdOrder
from graph_api.model.types import NodeType
from graph_api.store import records
from graph_api.store.connection import Tx
from graph_api.store.mlmd_filter import compile_filter_query

#: The node keys a listing may look nodes up by, each backed by a constraint or an index.
KEYS = frozenset({"id", "mlmdId", "externalId", "uri", "name", "type"})

_ORDER_KEYS = {MlmdOrder.CREATE_TIME: "createdAt", MlmdOrder.LAST_UPDATE_TIME: "updatedAt",
               MlmdOrder.ID: "mlmdId"}


@dataclass
class Listing:
    """What an MLMD listing selects: conditions the store builds (never user text but the
    compiled filter query), their parameters, and the page wanted."""

    kind: NodeKind
    #: Only the nodes with these values of one indexed key (`KEYS`): an index seek each.
    keys: tuple[str, list[Any]] | None = None
    conditions: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    context_id: int | None = None
    order: MlmdOrder = MlmdOrder.ID
    ascending: bool = True
    limit: int = 100
    token: str | None = None

    def by(self, key: str, values: Iterable[Any]) -> Listing:
        """Only the nodes whose `key` (one of `KEYS`) is one of `values`."""
        if key not in KEYS:
            raise ValueError(f"{key!r} is not a key nodes are looked up by")
        self.keys = (key, list(values))
        return self

    def where(self, condition: str, **params: Any) -> Listing:
        self.conditions.append(condition)
        self.params.update(params)
        return self

    def filter_query(self, text: str) -> Listing:
        """Add MLMD's `filter_query`.

        Raises:
            InvalidInput: it does not parse or names an unknown attribute.
        """
        if text.strip():
            compiled = compile_filter_query(text, self.kind)
            self.where(compiled.expression, **compiled.params)
        return self


def encode_token(value: Any, mlmd_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, mlmd_id]).encode()).decode()


def _decode_token(token: str) -> tuple[Any, int]:
    try:
        value, mlmd_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        if not isinstance(mlmd_id, int):
            raise ValueError(mlmd_id)
    except (ValueError, TypeError, binascii.Error):
        raise InvalidInput("next_page_token: not a token this server gave",
                           field="next_page_token") from None
    return value, mlmd_id


def _node(kind: NodeKind, row: Mapping[str, Any]) -> MlmdNode:
    return MlmdNode(records.node(kind, row["node"]), row["typeId"])


async def page(tx: Tx, listing: Listing) -> tuple[list[MlmdNode], str | None]:
    """One page of a listing and the token of the next (None: no more).

    Raises:
        InvalidInput: a token this server did not give.
    """
    key = _ORDER_KEYS[listing.order]
    direction = "ASC" if listing.ascending else "DESC"
    compare = ">" if listing.ascending else "<"
    conditions = ["n.mlmdId IS NOT NULL", *listing.conditions]
    params = {**listing.params, "limit": listing.limit + 1}
    if listing.token:
        value, last = _decode_token(listing.token)
        if key == "mlmdId":
            conditions.append(f"n.mlmdId {compare} $cursorId")
        else:
            conditions.append(f"(n.{key} {compare} $cursorValue OR "
                              f"(n.{key} = $cursorValue AND n.mlmdId {compare} $cursorId))")
        params |= {"cursorValue": value, "cursorId": last}
    label = listing.kind.value
    if listing.keys is not None:
        key, values = listing.keys
        match = f"UNWIND $keys AS key MATCH (n:{label} {{{key}: key}})"
        params["keys"] = sorted(set(values))
    elif listing.context_id is not None:
        match = (f"MATCH (:Context {{mlmdId: $contextId}})<-[:ATTRIBUTED_TO|ASSOCIATED_WITH]-"
                 f"(n:{label})")
        params["contextId"] = listing.context_id
    else:
        match = f"MATCH (n:{label})"
    order = (f"n.mlmdId {direction}" if key == "mlmdId"
             else f"n.{key} {direction}, n.mlmdId {direction}")
    rows = await tx.run("mlmd/list_nodes", params, {
        "match": match, "where": " AND ".join(f"({c})" for c in conditions), "order": order})
    nodes = [_node(listing.kind, r) for r in rows[:listing.limit]]
    token = None
    if len(rows) > listing.limit and nodes:
        last_node = rows[listing.limit - 1]["node"]
        token = encode_token(last_node.get(key), last_node["mlmdId"])
    return nodes, token


async def types(tx: Tx, kind: NodeKind, *, ids: Sequence[int] | None = None,
                external_ids: Sequence[str] | None = None) -> list[NodeType]:
    """Types of `kind`: all, or those with these mlmdIds or external ids; by mlmdId."""
    where = "t.mlmdId IS NOT NULL"
    params: dict[str, Any] = {}
    if ids is not None:
        where, params = "t.mlmdId IN $ids", {"ids": list(ids)}
    elif external_ids is not None:
        where, params = "t.externalId IN $externalIds", {"externalIds": list(external_ids)}
    row = await tx.single("mlmd/list_types", params,
                          {"type_label": kind.type_label, "where": where})
    return [records.node_type(kind, t) for t in row["types"]]


async def events(tx: Tx, kind: NodeKind, ids: Sequence[int]) -> list[MlmdEvent]:
    """Every event of these artifacts or executions (mlmdIds), in insertion order."""
    name = ("mlmd/events_of_artifacts" if kind is NodeKind.ARTIFACT
            else "mlmd/events_of_executions")
    rows = (await tx.single(name, {"ids": list(ids)}))["events"]
    found = [MlmdEvent(r["artifactId"], r["executionId"], r["kind"],
                       json.loads(r.get("path") or "[]"), r["ts"], r.get("seq") or 0)
             for r in rows]
    return sorted(found, key=lambda e: (e.seq, e.timestamp))


async def _pairs(tx: Tx, name: str, ids: Sequence[int],
                 fragments: dict[str, str] | None = None) -> list[tuple[int, MlmdNode]]:
    rows = (await tx.single(name, {"ids": list(ids)}, fragments))["pairs"]
    return [(p["nodeId"], MlmdNode(records.node(NodeKind.CONTEXT, p["context"]), p["typeId"]))
            for p in rows]


async def contexts_of(tx: Tx, kind: NodeKind, ids: Sequence[int]
                      ) -> list[tuple[int, MlmdNode]]:
    """(node mlmdId, context) for each context these artifacts or executions belong to."""
    return await _pairs(tx, "mlmd/contexts_of_nodes", ids, {"label": kind.value})


async def parents_of(tx: Tx, ids: Sequence[int]) -> list[tuple[int, MlmdNode]]:
    """(context mlmdId, parent) for each direct parent, oldest link first."""
    return await _pairs(tx, "mlmd/parent_contexts", ids)


async def children_of(tx: Tx, ids: Sequence[int]) -> list[tuple[int, MlmdNode]]:
    """(context mlmdId, child) for each direct child, oldest link first."""
    return await _pairs(tx, "mlmd/child_contexts", ids)


async def existing_links(tx: Tx, pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which (child, parent) context links (mlmdIds) exist."""
    rows = [{"child": c, "parent": p} for c, p in pairs]
    found = (await tx.single("mlmd/parent_links", {"rows": rows}))["links"]
    return {(r["child"], r["parent"]) for r in found}


async def mlmd_ids(tx: Tx, ids: Mapping[NodeKind, Sequence[str]]
                   ) -> dict[NodeKind, list[int | None]]:
    """The mlmdIds of nodes by their ids, per kind, in the order given (None: no node)."""
    row = await tx.single("mlmd/mlmd_ids", {
        "contexts": list(ids.get(NodeKind.CONTEXT, ())),
        "artifacts": list(ids.get(NodeKind.ARTIFACT, ())),
        "executions": list(ids.get(NodeKind.EXECUTION, ()))})
    return {NodeKind.CONTEXT: [x[0] for x in row["contexts"]],
            NodeKind.ARTIFACT: [x[0] for x in row["artifacts"]],
            NodeKind.EXECUTION: [x[0] for x in row["executions"]]}


#: An event as a lineage walk names it: (artifact id, execution id, kind). Events of one
#: kind between two nodes (their paths differ) are crossed together.
EventKey = tuple[str, str, str]


async def lineage_step(tx: Tx, artifacts: Sequence[str], executions: Sequence[str], *,
                       up: bool, down: bool) -> tuple[list[str], list[str], set[EventKey]]:
    """One hop from a frontier (ids): (executions next to `artifacts`, artifacts next to
    `executions`, the events crossed), against the data flow when `up`, along it when
    `down`."""
    row = await tx.single("mlmd/lineage_step", {"artifacts": list(artifacts),
                                                "executions": list(executions),
                                                "up": up, "down": down})
    crossed = {(e["artifact"], e["execution"], e["kind"]) for e in row["events"]}
    return list(row["executions"]), list(row["artifacts"]), crossed
