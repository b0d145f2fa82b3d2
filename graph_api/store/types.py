"""Type nodes: read by (name, version), listed, saved."""

from __future__ import annotations

import json
from collections.abc import Iterable

from graph_api.model.enums import NodeKind
from graph_api.model.types import NodeType
from graph_api.store import records
from graph_api.store.connection import Tx


def _label(kind: NodeKind) -> dict[str, str]:
    return {"type_label": kind.type_label}


async def by_keys(tx: Tx, kind: NodeKind, keys: Iterable[tuple[str, str | None]]
                  ) -> list[NodeType]:
    """The types of `kind` with these (name, version) keys; unknown keys are left out."""
    params = [{"name": n, "version": records.version_in(v)} for n, v in keys]
    row = await tx.single("read/types_by_key", {"keys": params}, _label(kind))
    return [records.node_type(kind, t) for t in row["types"]]


async def with_schemas(tx: Tx, kind: NodeKind, keys: Iterable[tuple[str, str | None]]
                       ) -> list[tuple[NodeType, str]]:
    """Like `by_keys`, each type with its schema as stored (JSON text): what a batch write
    checks, in its statement, that its rows were validated against."""
    params = [{"name": n, "version": records.version_in(v)} for n, v in keys]
    row = await tx.single("read/types_by_key", {"keys": params}, _label(kind))
    return [(records.node_type(kind, t), str(t.get("schema") or "")) for t in row["types"]]


async def every(tx: Tx, kind: NodeKind) -> list[NodeType]:
    """Every type of `kind`, ordered by name and version."""
    row = await tx.single("read/list_types", {}, _label(kind))
    return [records.node_type(kind, t) for t in row["types"]]


async def save(tx: Tx, kind: NodeKind, *, new_id: str, name: str, version: str | None,
               base_type: str | None, description: str | None, schema: dict[str, str],
               now: int, external_id: str | None = None, mlmd_id: int | None = None
               ) -> NodeType:
    """Create the type (with `new_id`) or replace its base type, description and schema."""
    row = await tx.single("write/put_type", {
        "id": new_id, "name": name, "version": records.version_in(version),
        "baseType": base_type, "description": description, "externalId": external_id,
        "mlmdId": mlmd_id,
        "schema": json.dumps(schema, sort_keys=True), "now": now,
    }, _label(kind))
    return records.node_type(kind, row["type"])
