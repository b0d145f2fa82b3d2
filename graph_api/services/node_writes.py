"""Batch upserts of artifacts, executions and contexts inside a write transaction.

A row names the node it writes by `id` (replace that node), by `externalId` (upsert by
it) or, for a context without either, by its unique (type, name). Every row is checked
against its type's declared schema before anything is written, and errors name the row
(`input[2].properties.lr`); raising rolls the whole transaction back.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.errors import Conflict, InvalidInput, NotFound
from graph_api.ids import new_id
from graph_api.model.enums import NodeKind
from graph_api.model.ingest import StoredKey
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput, NodeInput
from graph_api.model.types import NodeType
from graph_api.services.caps import bounded_batch
from graph_api.store import nodes as node_rows
from graph_api.store import records
from graph_api.store import types as type_rows
from graph_api.store.connection import Tx
from graph_api.store.properties import encode_custom, encode_declared

_INPUTS = {NodeKind.ARTIFACT: ArtifactInput, NodeKind.EXECUTION: ExecutionInput,
           NodeKind.CONTEXT: ContextInput}


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class _Existing:
    by_id: dict[str, StoredKey]
    by_external_id: dict[str, StoredKey]
    by_name: dict[tuple[str, str], StoredKey]


@dataclass
class _Resolved:
    id: str
    input: NodeInput
    type: NodeType
    existing: bool


async def put_nodes(tx: Tx, kind: NodeKind, inputs: Sequence[NodeInput], where: str = "input",
                    paths: Sequence[str] | None = None) -> list[str]:
    """Create or update a batch of nodes of one kind in `tx`; their ids, in input order.

    Errors name row i `where[i]`, or `paths[i]` when given (rows picked out of a larger
    request, e.g. `artifactEvents[3].artifact`). Rows of one batch that carry the same key
    are one node (the last row wins).

    Raises:
        LimitExceeded: more rows than a batch may hold.
        NotFound: an `id` or a type does not exist.
        InvalidInput: a row of the wrong kind, or a property that does not match the type.
        Conflict: a row would change a node's type or take another node's key.
    """
    bounded_batch(inputs, where)
    if not inputs:
        return []
    at = list(paths) if paths is not None else [f"{where}[{i}]" for i in range(len(inputs))]
    for i, item in enumerate(inputs):
        if not isinstance(item, _INPUTS[kind]):
            raise InvalidInput(f"{at[i]}: expected a {kind.value.lower()}", field=at[i])
    types = await _types_of(tx, kind, inputs, at)
    resolved = _resolve(kind, inputs, types, await _existing(tx, kind, inputs), at)
    created: dict[str, tuple[_Resolved, dict[str, Any]]] = {}
    updated: dict[str, dict[str, Any]] = {}
    for i, r in enumerate(resolved):
        props = _props(r, at[i])
        if r.existing:
            updated[r.id] = props
        else:
            created[r.id] = (r, props)
    now = now_ms()
    if created:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r, props in created.values():
            key = (r.input.type, records.version_in(r.input.type_version))
            groups.setdefault(key, []).append(props)
        written = await node_rows.create(tx, kind, [
            {"type": t, "typeVersion": v, "rows": rows} for (t, v), rows in groups.items()], now)
        if written != len(created):
            raise Conflict(f"{where}: a type was removed while writing; retry", field=where)
    if updated:
        written = await node_rows.replace(
            tx, kind, [{"id": i, "props": p} for i, p in updated.items()], now)
        if written != len(updated):
            raise Conflict(f"{where}: a node was deleted while writing; retry", field=where)
    return [r.id for r in resolved]


async def _types_of(tx: Tx, kind: NodeKind, inputs: Sequence[NodeInput], at: Sequence[str]
                    ) -> dict[tuple[str, str | None], NodeType]:
    keys = {(i.type, i.type_version) for i in inputs}
    by_key = {(t.name, t.version): t for t in await type_rows.by_keys(tx, kind, keys)}
    for n, item in enumerate(inputs):
        if (item.type, item.type_version) not in by_key:
            version = f" version {item.type_version!r}" if item.type_version else ""
            raise NotFound(f"{at[n]}.type: no {kind.value.lower()} type {item.type!r}{version}; "
                           "register it first", field=f"{at[n]}.type")
    return by_key


async def _existing(tx: Tx, kind: NodeKind, inputs: Sequence[NodeInput]) -> _Existing:
    """The stored nodes the rows name, by id, external id and (contexts) (type, name)."""
    ids = sorted({i.id for i in inputs if i.id is not None})
    xids = sorted({i.external_id for i in inputs if i.external_id is not None})
    names = sorted({(i.type, i.name) for i in inputs if isinstance(i, ContextInput)
                    and i.id is None}) if kind is NodeKind.CONTEXT else []
    return _Existing(
        await node_rows.keys_by_ids(tx, kind, ids) if ids else {},
        await node_rows.keys_by_external_ids(tx, kind, xids) if xids else {},
        await node_rows.keys_by_context_names(tx, names) if names else {})


def _resolve(kind: NodeKind, inputs: Sequence[NodeInput],
             types: dict[tuple[str, str | None], NodeType], existing: _Existing,
             at: Sequence[str]) -> list[_Resolved]:
    batch_keys: dict[tuple[str, ...], str] = {}
    out: list[_Resolved] = []
    for i, item in enumerate(inputs):
        target = _target(kind, item, existing, at[i])
        node_id = target.id if target is not None else _new_id(item, batch_keys)
        out.append(_Resolved(node_id, item, types[(item.type, item.type_version)],
                             target is not None))
    return out


def _target(kind: NodeKind, item: NodeInput, existing: _Existing, where: str
            ) -> StoredKey | None:
    """The stored node a row updates, or None for a new node."""
    by_xid = existing.by_external_id.get(item.external_id) if item.external_id else None
    target: StoredKey | None
    if item.id is not None:
        target = existing.by_id.get(item.id)
        if target is None:
            raise NotFound(f"{where}.id: no {kind.value.lower()} {item.id!r}", field=f"{where}.id")
        if by_xid is not None and by_xid.id != item.id:
            raise Conflict(f"{where}.externalId: {item.external_id!r} belongs to another "
                           f"{kind.value.lower()}", field=f"{where}.externalId")
    elif by_xid is not None:
        target = by_xid
    elif isinstance(item, ContextInput):
        target = existing.by_name.get((item.type, item.name))
        if target is not None and item.external_id is not None and target.external_id not in (
                None, item.external_id):
            raise Conflict(f"{where}.name: context {item.type!r}/{item.name!r} exists "
                           "with another externalId", field=f"{where}.name")
    else:
        target = None
    if target is not None and (target.type, records.version_in(target.type_version)) != (
            item.type, records.version_in(item.type_version)):
        version = f" version {target.type_version!r}" if target.type_version else ""
        raise Conflict(f"{where}.type: {kind.value.lower()} {target.id!r} has type "
                       f"{target.type!r}{version}; a node's type cannot change",
                       field=f"{where}.type")
    return target


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


def _props(r: _Resolved, where: str) -> dict[str, Any]:
    """The row as the node's stored properties (checked against its type)."""
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
