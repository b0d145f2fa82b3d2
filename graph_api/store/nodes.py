"""Artifacts, executions and contexts: batch upserts, lookups and filtered listings."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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
from graph_api.store.filters import Compiled, Ordering, compile_filter, ordering
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
    existing: bool


@dataclass
class _Existing:
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_external_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_name: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


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
        self,
        tx: Tx,
        kind: NodeKind,
        inputs: Sequence[NodeInput],
        where: str = "input",
        paths: Sequence[str] | None = None,
    ) -> list[str]:
        """`put` inside `tx`. Errors name row i `where[i]`, or `paths[i]` when given (rows
        picked out of a larger request, e.g. `artifactEvents[3].artifact`)."""
        if len(inputs) > MAX_BATCH:
            raise LimitExceeded(f"{where}: at most {MAX_BATCH} rows per batch (maxBatch)",
                                field=where)
        if not inputs:
            return []
        at = list(paths) if paths is not None else [f"{where}[{i}]" for i in range(len(inputs))]
        _check_kinds(kind, inputs, at)
        types = await self._types_of(tx, kind, inputs, at)
        resolved = await self._resolve(tx, kind, inputs, types, at)
        props = [_props(r, at[i]) for i, r in enumerate(resolved)]
        created: dict[str, tuple[_Resolved, dict[str, Any]]] = {}
        updated: dict[str, dict[str, Any]] = {}
        for r, p in zip(resolved, props, strict=True):
            if r.existing:
                updated[r.id] = p
            else:
                created[r.id] = (r, p)  # a key repeated in the batch: the last row wins
        now = now_ms()
        if created:
            groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for r, p in created.values():
                key = (r.input.type, records.version_in(r.input.type_version))
                groups.setdefault(key, []).append(p)
            params = [{"type": t, "typeVersion": v, "rows": rows}
                      for (t, v), rows in groups.items()]
            result = await tx.single("write/create_nodes", {"groups": params, "now": now},
                                     labels(kind))
            if result["written"] != len(created):
                raise Conflict(f"{where}: a type was removed while writing; retry", field=where)
        if updated:
            rows = [{"id": i, "props": p} for i, p in updated.items()]
            result = await tx.single("write/update_nodes", {"rows": rows, "now": now},
                                     labels(kind))
            if result["written"] != len(updated):
                raise Conflict(f"{where}: a node was deleted while writing; retry", field=where)
        return [r.id for r in resolved]

    async def _types_of(
        self, tx: Tx, kind: NodeKind, inputs: Sequence[NodeInput], at: Sequence[str]
    ) -> dict[tuple[str, str | None], NodeType]:
        keys = {(i.type, i.type_version) for i in inputs}
        found = await self.types.get_many_tx(tx, kind, keys)
        by_key = {(t.name, t.version): t for t in found}
        for n, item in enumerate(inputs):
            if (item.type, item.type_version) not in by_key:
                version = f" version {item.type_version!r}" if item.type_version else ""
                raise NotFound(
                    f"{at[n]}.type: no {kind.value.lower()} type {item.type!r}{version}; "
                    "register it first",
                    field=f"{at[n]}.type",
                )
        return by_key

    async def _lookup(self, tx: Tx, kind: NodeKind, inputs: Sequence[NodeInput]) -> _Existing:
        """The stored nodes the rows name, by id, external id and (contexts) (type, name)."""
        ids = sorted({i.id for i in inputs if i.id is not None})
        xids = sorted({i.external_id for i in inputs if i.external_id is not None})
        found = _Existing()
        if ids:
            rows = (await tx.single("read/resolve_ids", {"ids": ids}, labels(kind)))["found"]
            found.by_id = {r["id"]: r for r in rows}
        if xids:
            rows = (await tx.single("read/resolve_external_ids", {"externalIds": xids},
                                    labels(kind)))["found"]
            found.by_external_id = {r["externalId"]: r for r in rows}
        if kind is NodeKind.CONTEXT:
            keys = sorted({(i.type, i.name) for i in inputs
                           if isinstance(i, ContextInput) and i.id is None})
            if keys:
                rows = (await tx.single("read/resolve_context_names", {
                    "keys": [{"type": t, "name": n} for t, n in keys]}))["found"]
                found.by_name = {(r["type"], r["name"]): r for r in rows}
        return found

    async def _resolve(
        self,
        tx: Tx,
        kind: NodeKind,
        inputs: Sequence[NodeInput],
        types: dict[tuple[str, str | None], NodeType],
        at: Sequence[str],
    ) -> list[_Resolved]:
        existing = await self._lookup(tx, kind, inputs)
        batch_keys: dict[tuple[str, ...], str] = {}
        out: list[_Resolved] = []
        for i, item in enumerate(inputs):
            target = self._target(kind, item, existing, at[i])
            if target is not None:
                node_id, is_existing = str(target["id"]), True
            else:
                node_id, is_existing = self._new_id(item, batch_keys), False
            out.append(_Resolved(node_id, item, types[(item.type, item.type_version)],
                                 is_existing))
        return out

    @staticmethod
    def _target(kind: NodeKind, item: NodeInput, existing: _Existing,
                where: str) -> dict[str, Any] | None:
        """The stored node a row updates, or None for a new node."""
        by_xid = existing.by_external_id.get(item.external_id) if item.external_id else None
        target: dict[str, Any] | None
        if item.id is not None:
            target = existing.by_id.get(item.id)
            if target is None:
                raise NotFound(f"{where}.id: no {kind.value.lower()} {item.id!r}",
                               field=f"{where}.id")
            if by_xid is not None and by_xid["id"] != item.id:
                raise Conflict(f"{where}.externalId: {item.external_id!r} belongs to another "
                               f"{kind.value.lower()}", field=f"{where}.externalId")
        elif by_xid is not None:
            target = by_xid
        elif isinstance(item, ContextInput):
            target = existing.by_name.get((item.type, item.name))
            if target is not None and item.external_id is not None and target.get(
                    "externalId") not in (None, item.external_id):
                raise Conflict(f"{where}.name: context {item.type!r}/{item.name!r} exists "
                               "with another externalId", field=f"{where}.name")
        else:
            target = None
        if target is not None and (target["type"], target.get("typeVersion") or "") != (
                item.type, records.version_in(item.type_version)):
            version = f" version {target['typeVersion']!r}" if target.get("typeVersion") else ""
            raise Conflict(
                f"{where}.type: {kind.value.lower()} {target['id']!r} has type "
                f"{target['type']!r}{version}; a node's type cannot change",
                field=f"{where}.type",
            )
        return target

    @staticmethod
    def _new_id(item: NodeInput, batch_keys: dict[tuple[str, ...], str]) -> str:
        """A fresh id, shared by rows of one batch that carry the same key."""
        key: tuple[str, ...] | None = None
        if item.external_id is not None:
            key = ("x", item.external_id)
        elif isinstance(item, ContextInput):
            key = ("n", item.type, item.name)
        if key is None:
            return new_id()
        return batch_keys.setdefault(key, new_id())

    async def update_states(
        self, kind: NodeKind, states: dict[str, ArtifactState] | dict[str, ExecutionState],
        paths: Mapping[str, str] | None = None,
    ) -> list[str]:
        """Set states by id, atomically. Raises `NotFound` (nothing written) for an unknown id,
        `InvalidInput` for a state that is not one of the kind's (it would make the node
        unreadable). `paths` names an id's place in the caller's request, for the error's
        field (default `id`)."""
        if kind is NodeKind.CONTEXT:
            raise InvalidInput("contexts have no state", field="kind")
        allowed = ArtifactState if kind is NodeKind.ARTIFACT else ExecutionState
        rows = []
        for node_id, state in states.items():
            if state not in {s.value for s in allowed}:
                raise InvalidInput(f"states.{node_id}: {str(state)!r} is not an "
                                   f"{kind.value.lower()} state", field=f"states.{node_id}")
            rows.append({"id": node_id, "state": str(state)})

        async def work(tx: Tx) -> list[str]:
            result = await tx.single("write/update_states", {"rows": rows, "now": now_ms()},
                                     labels(kind))
            missing = sorted(set(states) - set(result["updated"]))
            if missing:
                where = (paths or {}).get(missing[0], "id")
                raise NotFound(f"{where}: no {kind.value.lower()} {missing[0]!r}", field=where)
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

    async def node_types(self, kind: NodeKind,
                         keys: Sequence[tuple[str, str | None]]) -> list[NodeType]:
        """Types of `kind` by (name, version), in one round trip; unknown keys are left out.

        Returns:
            The types found, in no particular order.
        """

        async def work(tx: Tx) -> list[NodeType]:
            return await self.types.get_many_tx(tx, kind, keys)

        return await self.db.read(work) if keys else []

    def check_list_options(self, options: ListOptions) -> None:
        """Validate a listing's options without touching the database.

        Raises:
            InvalidInput: a bad filter, order field or cursor.
            LimitExceeded: `limit` above the configured page-size cap.
        """
        _prepare_listing(options, self.limits.max_page_size)

    async def list_in_contexts(self, kind: NodeKind,
                               queries: Sequence[MemberQuery]) -> list[Page[Node]]:
        """One page of the members of each of several contexts, in one read transaction.

        Queries that differ only in their context and cursor share one statement (and, when
        they want a total, one count statement), so listing the members of a hundred
        contexts costs what listing those of one does. Pages are keyset-paginated exactly
        like `list(kind, options, context_id=…)`, with the same cursors.

        Args:
            queries: (context id, options, with_total) each; an unknown context has an
                empty page (and total 0).
        Returns:
            The pages, in the order of `queries`.
        Raises:
            InvalidInput: a bad filter, order field or cursor (of any query).
            LimitExceeded: a `limit` above the configured page-size cap.
        """
        prepared = [_prepare_listing(q.options, self.limits.max_page_size) for q in queries]
        groups: dict[tuple[str, bool], list[int]] = {}
        for i, q in enumerate(queries):
            key = (q.options.model_dump_json(exclude={"after"}), q.with_total)
            groups.setdefault(key, []).append(i)

        async def work(tx: Tx) -> list[tuple[list[dict[str, Any]], int | None]]:
            out: list[tuple[list[dict[str, Any]], int | None]] = [([], None)] * len(queries)
            for (_, with_total), members in groups.items():
                first = prepared[members[0]]
                # The cursor is per row: the keyset condition reads it from the row.
                after = (first.order.after.replace("$cursorValue", "row.cursorValue")
                         .replace("$cursorId", "row.cursorId"))
                where = f"({first.compiled.expression}) AND (row.cursorId IS NULL OR {after})"
                rows = [{"index": i, "contextId": queries[i].context_id,
                         "cursorValue": prepared[i].cursor[0], "cursorId": prepared[i].cursor[1]}
                        for i in members]
                params = {**first.compiled.params, "rows": rows,
                          "limit": queries[members[0]].options.limit + 1}
                pages = (await tx.single("read/list_nodes_in_contexts", params, {
                    "label": kind.value, "where": where, "order": first.order.order}))["pages"]
                totals: dict[str, int] = {}
                if with_total:
                    ids = sorted({queries[i].context_id for i in members})
                    found = (await tx.single(
                        "read/count_nodes_in_contexts", {**first.compiled.params, "ids": ids},
                        {"label": kind.value, "where": first.compiled.expression}))["totals"]
                    totals = {t["contextId"]: t["total"] for t in found}
                for page in pages:
                    i = page["index"]
                    out[i] = (page["nodes"], totals.get(queries[i].context_id, 0)
                              if with_total else None)
            return out

        results = await self.db.read(work) if queries else []
        pages: list[Page[Node]] = []
        for q, p, (rows, total) in zip(queries, prepared, results, strict=True):
            limit = q.options.limit
            kept = rows[:limit]
            pages.append(Page[Node](
                items=[records.node(kind, r) for r in kept],
                cursors=[cursors.encode(q.options.order_by.field, r.get(p.order.key), r["id"])
                         for r in kept],
                has_next=len(rows) > limit, total_count=total))
        return pages


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
        in_context = context_id is not None
        list_name = "read/list_nodes_in_context" if in_context else "read/list_nodes"
        count_name = "read/count_nodes_in_context" if in_context else "read/count_nodes"

        async def work(tx: Tx) -> tuple[list[dict[str, Any]], int | None]:
            rows = (await tx.single(list_name, params, fragments))["nodes"]
            total = None
            if with_total:
                count_fragments = {"label": kind.value, "where": compiled.expression}
                count_params = {**compiled.params, "contextId": context_id}
                total = (await tx.single(count_name, count_params,
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



def _check_kinds(kind: NodeKind, inputs: Sequence[NodeInput], at: Sequence[str]) -> None:
    expected = {NodeKind.ARTIFACT: ArtifactInput, NodeKind.EXECUTION: ExecutionInput,
                NodeKind.CONTEXT: ContextInput}[kind]
    for i, item in enumerate(inputs):
        if not isinstance(item, expected):
            raise InvalidInput(f"{at[i]}: expected a {kind.value.lower()}", field=at[i])


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


class MemberQuery(NamedTuple):
    """One page of the members of one context, for `NodeRepository.list_in_contexts`."""

    context_id: str
    options: ListOptions
    with_total: bool = False


@dataclass(frozen=True)
class _Listing:
    compiled: Compiled
    order: Ordering
    cursor: tuple[Any, str | None]


def _prepare_listing(options: ListOptions, cap: int) -> _Listing:
    """Check a listing's options and compile its filter, order and cursor (as `list`)."""
    if options.limit > cap:
        raise LimitExceeded(f"limit: {options.limit} exceeds maxPageSize ({cap})", field="limit")
    if options.limit < 1:
        raise InvalidInput("limit: must be at least 1", field="limit")
    compiled = compile_filter(options.filter)
    order = ordering(options.order_by)
    cursor: tuple[Any, str | None] = (None, None)
    if options.after is not None:
        cursor = cursors.decode(options.after, options.order_by.field)
    return _Listing(compiled, order, cursor)
