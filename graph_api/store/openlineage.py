"""OpenLineage's dataset identities (`DatasetAlias` nodes) and what writing an event merges
with, each in one round trip."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.model.enums import NodeKind
from graph_api.model.nodes import Node
from graph_api.model.openlineage import Identity
from graph_api.store import records
from graph_api.store.connection import Tx


@dataclass(frozen=True)
class Stored:
    """The stored side of an event: artifacts with their identities, executions and
    contexts, each by id."""

    artifacts: dict[str, Node]
    identities: dict[str, list[Identity]]
    executions: dict[str, Node]
    contexts: dict[str, Node]


def _identity(row: Mapping[str, Any]) -> Identity:
    return Identity(row["namespace"], row["name"], bool(row.get("primary")),
                    bool(row.get("location")))


async def stored(tx: Tx, keys: Sequence[str], executions: Sequence[str],
                 contexts: Sequence[str]) -> Stored:
    """The artifacts named by these alias keys (with all their identities), and the
    executions and contexts of these external ids."""
    row = await tx.single("write/openlineage_stored", {
        "keys": list(keys), "executions": list(executions), "contexts": list(contexts)})
    artifacts = [records.node(NodeKind.ARTIFACT, n) for n in row["artifacts"]]
    return Stored(
        {a.id: a for a in artifacts},
        {a.id: [_identity(i) for i in ids]
         for a, ids in zip(artifacts, row["aliases"], strict=True)},
        {n.id: n for n in (records.node(NodeKind.EXECUTION, x) for x in row["executions"])},
        {n.id: n for n in (records.node(NodeKind.CONTEXT, x) for x in row["contexts"])})


async def put_aliases(tx: Tx, rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Merge identities ({key, artifactId, namespace, name, primary, location}); the
    artifact each key names afterwards (another one than the row's when the name was
    taken meanwhile)."""
    if not rows:
        return {}
    found = (await tx.single("write/put_dataset_aliases", {"rows": list(rows)}))["owners"]
    return {o["key"]: o["artifactId"] for o in found}


async def artifacts_of(tx: Tx, keys: Sequence[str]) -> dict[str, str]:
    """The artifact id each of these alias keys names (unknown keys are left out)."""
    if not keys:
        return {}
    row = await tx.single("read/dataset_aliases", {"keys": list(keys)})
    return {a["key"]: a["artifactId"] for a in row["aliases"]}
