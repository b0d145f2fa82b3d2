"""Turn stored node and type maps into domain models."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graph_api.model.enums import NodeKind, PropertyType
from graph_api.model.nodes import Artifact, Context, Execution, Node
from graph_api.model.relations import Event
from graph_api.model.types import NodeType
from graph_api.store.properties import decode


def version_in(version: str | None) -> str:
    """Unversioned types are stored with version '' so (name, version) is a unique key."""
    return version or ""


def version_out(stored: str | None) -> str | None:
    return stored or None


def node_type(kind: NodeKind, row: Mapping[str, Any]) -> NodeType:
    schema = json.loads(row.get("schema") or "{}")
    return NodeType(
        id=row["id"],
        kind=kind,
        name=row["name"],
        version=version_out(row.get("version")),
        base_type=row.get("baseType"),
        description=row.get("description"),
        external_id=row.get("externalId"),
        mlmd_id=row.get("mlmdId"),
        properties={k: PropertyType(v) for k, v in schema.items()},
    )


def node(kind: NodeKind, row: Mapping[str, Any]) -> Node:
    system, declared, custom = decode(row)
    common: dict[str, Any] = {
        "id": system["id"],
        "type": system["type"],
        "type_version": version_out(system.get("typeVersion")),
        "external_id": system.get("externalId"),
        "name": system.get("name"),
        "properties": declared,
        "custom_properties": custom,
        "created_at": system["createdAt"],
        "updated_at": system["updatedAt"],
        "mlmd_id": system.get("mlmdId"),
    }
    if kind is NodeKind.ARTIFACT:
        return Artifact(**common, uri=system.get("uri"), state=system.get("state", "UNKNOWN"))
    if kind is NodeKind.EXECUTION:
        return Execution(**common, state=system.get("state", "UNKNOWN"))
    return Context(**common)


def event(row: Mapping[str, Any]) -> Event:
    return Event(
        artifact_id=row["artifactId"],
        execution_id=row["executionId"],
        type=row["kind"],
        path=json.loads(row.get("path") or "[]"),
        timestamp=row["ts"],
    )
