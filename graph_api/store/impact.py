"""The reads behind impact analysis's contexts: direct memberships, and parent links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_api.model.impact import ContextRef, Memberships
from graph_api.store.connection import Tx


def _memberships(row: Mapping[str, Any]) -> Memberships:
    return Memberships(row["member"], row["context"],
                       [ContextRef(c["id"], c["type"], c["name"]) for c in row["contexts"]])


async def memberships(tx: Tx, artifacts: Sequence[str], executions: Sequence[str]
                      ) -> Memberships:
    """The contexts that directly hold these artifacts (attribution) and executions
    (association)."""
    return _memberships(await tx.single("lineage/impact_memberships", {
        "artifacts": list(artifacts), "executions": list(executions)}))


async def parents(tx: Tx, ids: Sequence[str]) -> Memberships:
    """The direct parents of these contexts (`member` is the child)."""
    return _memberships(await tx.single("lineage/impact_parents", {"ids": list(ids)}))


async def contexts(tx: Tx, ids: Sequence[str]) -> list[ContextRef]:
    """The id, type and name of these contexts (unknown ids left out)."""
    row = await tx.single("lineage/impact_contexts", {"ids": list(ids)})
    return [ContextRef(c["id"], c["type"], c["name"]) for c in row["contexts"]]
