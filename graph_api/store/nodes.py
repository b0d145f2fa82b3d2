"""Artifacts, executions and contexts: batch upserts, lookups and filtered listings."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.config import Limits
from graph_api.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from graph_api.ids import new_id
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind
from graph_api.model.filters import ListOptions
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput, Node, NodeInput
from graph_api.model.pages import Page
from graph_api.model.types import NodeType
from graph_api.store import cursors, records
from graph_api.store.connection import Database, Tx
from graph_api.store.filters import compile_filter, ordering
from graph_api.store.properties import encode_custom, encode_declared
from graph_api.store.types import TypeRepository

MAX_BATCH = 10_000


def labels(kind: NodeKind) -> dict[str, str]:
    return {"label": kind.value, "type_label": kind.type_label}


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class _Resolved:
    id: str
    input: NodeInput
    type: NodeType


class NodeRepository:
    def __init__(self, db: Database, types: TypeRepository, limits: Limits) -> None:
        self.db = db
        self.types = types
        self.limits = limits

    # -- writes ---------------------------------------------------------------------

    async def put(self, kind: NodeKind, inputs: Sequence[NodeInput]) -> list[str]:
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
        """

        async def work(tx: Tx) -> list[str]:
            return await self.put_tx(tx, kind, inputs)

        return await self.db.write(work)

    async def put_tx(
        self, tx: Tx, kind: NodeKind, inputs: Sequence[NodeInput], where: str = "input"
    ) -> list[str]:
        if len(inputs) > MAX_BATCH:
            raise LimitExceeded(f"{where}: at most {MAX_BATCH} rows per batch (maxBatch)",
                                field=where)
        if not inputs:
            return []
        _check_kinds(kind, inputs, where)
        types = await self._types_of(tx, kind, inputs, where)
        resolved = await self._resolve(tx, kind, inputs, types, where)
        now = now_ms()
        rows = [
            {
                "id": r.id,
                "type": r.input.type,
                "typeVersion": records.version_in(r.input.type_version),
                "props": _props(r, f"{where}[{i}]"),
            }
            for i, r in enumerate(resolved)
        ]
        written = await tx.single("write/put_nodes", {"rows": rows, "now": now}, labels(kind))
        if written["written"] != len(rows):
            raise Conflict(f"{where}: a type was removed while writing; retry", field=where)
        return [r.id for r in resolved]

    async def _types_of(
        self, tx: Tx, kind: NodeKind, inputs: Sequence[NodeInput], where: str
    ) -> dict[tuple[str, str | None], NodeType]:
        keys = {(i.type, i.type_version) for i in inputs}
        found = await self.types.get_many_tx(tx, kind, keys)
        by_key = {(t.name, t.version): t for t in found}
        for n, item in enumerate(inputs):
            if (item.type, item.type_version) not in by_key:
                version = f" version {item.type_version!r}" if item.type_version else ""
                raise NotFound(
                    f"{where}[{n}].type: no {kind.value.lower()} type {item.type!r}{version}; "
                    "register it first",
                    field=f"{where}[{n}].type",
                )
        return by_key

    async def _resolve(
        self,
        tx: Tx,
        kind: NodeKind,
        inputs: Sequence[NodeInput],
        types: dict[tuple[str, str | None], NodeType],
        where: str,
    ) -> list[_Resolved]:
        # '' rather than null for an absent key: no node has it, and the embedded engine
        # drops an OPTIONAL MATCH row whose pattern property is null.
        rows = [
            {"i": i, "id": item.id or "", "externalId": item.external_id or "",
             "type": item.type, "name": getattr(item, "name", None) or ""}
            for i, item in enumerate(inputs)
        ]
        if kind is NodeKind.CONTEXT:
            found = (await tx.single("read/resolve_contexts", {"rows": rows}))["found"]
        else:
            found = (await tx.single("read/resolve_nodes", {"rows": rows}, labels(kind)))["found"]
        by_index = {f["i"]: _matches(f) for f in found}
        batch_keys: dict[tuple[str, ...], str] = {}
        out: list[_Resolved] = []
        for i, item in enumerate(inputs):
            f = by_index.get(i, {})
            node_id = self._pick_id(kind, item, f, batch_keys, f"{where}[{i}]")
            out.append(_Resolved(node_id, item, types[(item.type, item.type_version)]))
        return out

    @staticmethod
    def _pick_id(
        kind: NodeKind,
        item: NodeInput,
        found: dict[str, Any],
        batch_keys: dict[tuple[str, ...], str],
        where: str,
    ) -> str:
        by_id, by_xid, by_name = found.get("byId"), found.get("byExternalId"), found.get("byName")
        target: dict[str, Any] | None
        if item.id is not None:
            if by_id is None:
                raise NotFound(f"{where}.id: no {kind.value.lower()} {item.id!r}",
                               field=f"{where}.id")
            if by_xid is not None and by_xid["id"] != item.id:
                raise Conflict(f"{where}.externalId: {item.external_id!r} belongs to another "
                               f"{kind.value.lower()}", field=f"{where}.externalId")
            target = by_id
        elif by_xid is not None:
            target = by_xid
        elif by_name is not None:
            if item.external_id is not None and by_name.get("externalId") not in (
                None, item.external_id
            ):
                raise Conflict(
                    f"{where}.name: context {item.type!r}/{item.name!r} exists with "
                    "another externalId",
                    field=f"{where}.name",
                )
            target = by_name
        else:
            target = None
        if target is not None:
            if target["type"] != item.type:
                raise Conflict(
                    f"{where}.type: {kind.value.lower()} {target['id']!r} has type "
                    f"{target['type']!r}; a node's type cannot change",
                    field=f"{where}.type",
                )
            return str(target["id"])
        key: tuple[str, ...] | None = None
        if item.external_id is not None:
            key = ("x", item.external_id)
        elif isinstance(item, ContextInput):
            key = ("n", item.type, item.name)
        if key is None:
            return new_id()
        return batch_keys.setdefault(key, new_id())

    async def update_states(
        self, kind: NodeKind, states: dict[str, ArtifactState] | dict[str, ExecutionState]
    ) -> list[str]:
        """Set states by id, atomically. Raises `NotFound` (nothing written) for an unknown id."""
        if kind is NodeKind.CONTEXT:
            raise InvalidInput("contexts have no state", field="kind")
        rows = [{"id": k, "state": str(v)} for k, v in states.items()]

        async def work(tx: Tx) -> list[str]:
            result = await tx.single("write/update_states", {"rows": rows, "now": now_ms()},
                                     labels(kind))
            missing = sorted(set(states) - set(result["updated"]))
            if missing:
                raise NotFound(f"id: no {kind.value.lower()} {missing[0]!r}", field="id")
            return list(result["updated"])

        return await self.db.write(work)

    # -- reads ----------------------------------------------------------------------

    async def by_ids_tx(self, tx: Tx, kind: NodeKind, ids: Sequence[str]) -> list[Node]:
        row = await tx.single("read/nodes_by_ids", {"ids": list(ids)}, labels(kind))
        return [records.node(kind, n) for n in row["nodes"]]

    async def by_ids(self, kind: NodeKind, ids: Sequence[str]) -> list[Node]:
        """Nodes by id, in the order of `ids`; unknown ids are left out."""

        async def work(tx: Tx) -> list[Node]:
            return await self.by_ids_tx(tx, kind, ids)

        found = {n.id: n for n in await self.db.read(work)}
        return [found[i] for i in ids if i in found]

    async def by_external_ids(self, kind: NodeKind, external_ids: Sequence[str]) -> list[Node]:
        """Nodes by external id, in the order given; unknown ones are left out."""

        async def work(tx: Tx) -> list[Node]:
            row = await tx.single("read/nodes_by_external_ids",
                                  {"externalIds": list(external_ids)}, labels(kind))
            return [records.node(kind, n) for n in row["nodes"]]

        found = {n.external_id: n for n in await self.db.read(work)}
        return [found[x] for x in external_ids if x in found]

    async def contexts_by_type_and_name(self, keys: Sequence[tuple[str, str]]) -> list[Node]:
        """Contexts by their unique (type, name), in the order given."""

        async def work(tx: Tx) -> list[Node]:
            params = [{"type": t, "name": n} for t, n in keys]
            row = await tx.single("read/contexts_by_type_name", {"keys": params})
            return [records.node(NodeKind.CONTEXT, n) for n in row["nodes"]]

        found = {(n.type, n.name): n for n in await self.db.read(work)}
        return [found[k] for k in keys if k in found]

    async def list(
        self,
        kind: NodeKind,
        options: ListOptions | None = None,
        *,
        context_id: str | None = None,
        with_total: bool = False,
    ) -> Page[Node]:
        """One page of nodes of `kind` (optionally members of a context), keyset-paginated.

        Raises:
            InvalidInput: a bad filter, order field or cursor.
            LimitExceeded: `limit` above the configured page-size cap.
        """
        options = options or ListOptions()
        cap = self.limits.max_page_size
        if options.limit > cap:
            raise LimitExceeded(f"limit: {options.limit} exceeds maxPageSize ({cap})",
                                field="limit")
        if options.limit < 1:
            raise InvalidInput("limit: must be at least 1", field="limit")
        compiled = compile_filter(options.filter)
        order = ordering(options.order_by)
        where = compiled.expression
        params: dict[str, Any] = {**compiled.params, "limit": options.limit + 1,
                                  "contextId": context_id}
        if options.after is not None:
            value, after_id = cursors.decode(options.after, options.order_by.field)
            params |= {"cursorValue": value, "cursorId": after_id}
            where = f"({where}) AND {order.after}"
        fragments = {"label": kind.value, "where": where, "order": order.order}
        suffix = "_in_context" if context_id is not None else ""

        async def work(tx: Tx) -> tuple[list[dict[str, Any]], int | None]:
            rows = (await tx.single(f"read/list_nodes{suffix}", params, fragments))["nodes"]
            total = None
            if with_total:
                count_fragments = {"label": kind.value, "where": compiled.expression}
                count_params = {**compiled.params, "contextId": context_id}
                total = (await tx.single(f"read/count_nodes{suffix}", count_params,
                                         count_fragments))["total"]
            return rows, total

        rows, total = await self.db.read(work)
        has_next = len(rows) > options.limit
        rows = rows[: options.limit]
        items = [records.node(kind, r) for r in rows]
        cursor_list = [
            cursors.encode(options.order_by.field, r.get(order.key), r["id"]) for r in rows
        ]
        return Page[Node](items=items, cursors=cursor_list, has_next=has_next, total_count=total)


def _matches(found: dict[str, Any]) -> dict[str, Any]:
    """{byId, byExternalId, byName} -> {id, type, externalId} or None, from the flat row."""
    out: dict[str, Any] = {}
    for key, prefix in (("byId", "id"), ("byExternalId", "xid"), ("byName", "name")):
        match = found.get(f"{prefix}Match")
        out[key] = None if match is None else {
            "id": match,
            "type": found.get(f"{prefix}Type"),
            "externalId": found.get(f"{prefix}ExternalId"),
            "name": None,
        }
    return out


def _check_kinds(kind: NodeKind, inputs: Sequence[NodeInput], where: str) -> None:
    expected = {NodeKind.ARTIFACT: ArtifactInput, NodeKind.EXECUTION: ExecutionInput,
                NodeKind.CONTEXT: ContextInput}[kind]
    for i, item in enumerate(inputs):
        if not isinstance(item, expected):
            raise InvalidInput(f"{where}[{i}]: expected a {kind.value.lower()}",
                               field=f"{where}[{i}]")


def _props(r: _Resolved, where: str) -> dict[str, Any]:
    item = r.input
    props: dict[str, Any] = {
        "id": r.id,
        "type": item.type,
        "typeVersion": records.version_in(item.type_version),
        "externalId": item.external_id,
        "name": getattr(item, "name", None),
    }
    if isinstance(item, ArtifactInput):
        props["uri"] = item.uri
    if isinstance(item, ArtifactInput | ExecutionInput):
        props["state"] = item.state.value
    props.update(encode_declared(item.properties, r.type.properties, f"{where}.properties"))
    props.update(encode_custom(item.custom_properties, f"{where}.customProperties"))
    return {k: v for k, v in props.items() if v is not None}
