"""Reads behind impact analysis: the contexts that hold a set of nodes (with their
ancestors), and one downstream step addressed by id, the unit of the streaming export.

The GraphQL answer walks with `LineageRepository.lineage` (one transaction, elementIds,
multi-hop round trips) and then asks `contexts_of` once. The export cannot hold one
transaction open while a client reads at its own pace, so it walks with `downstream_step`:
one short read transaction per slice of the frontier, the frontier carried as ids.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graph_api.model.enums import NodeKind
from graph_api.store.connection import Database, Tx

_KINDS = {"A": NodeKind.ARTIFACT, "E": NodeKind.EXECUTION}


class Reached(NamedTuple):
    """A node one step downstream of a frontier."""

    id: str
    kind: NodeKind
    type: str
    name: str | None
    uri: str | None


class ContextRef(NamedTuple):
    id: str
    type: str
    name: str


@dataclass
class ContextClosure:
    """The contexts holding some nodes, and every ancestor of those contexts.

    `members`: (node id, context id) for each direct membership; `parents`: (child id,
    parent id) for each CHILD_OF link walked; `contexts`: every context named in either,
    by id, except those the caller said it already knew (see `ImpactReads.contexts_of`).
    """

    members: list[tuple[str, str]] = field(default_factory=list)
    parents: list[tuple[str, str]] = field(default_factory=list)
    contexts: dict[str, ContextRef] = field(default_factory=dict)


def _pairs(rows: Sequence[str]) -> list[tuple[str, str]]:
    out = []
    for text in rows:
        a, b = text.split(" ", 1)
        out.append((a, b))
    return out


class ImpactReads:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def kinds(self, ids: Sequence[str]) -> dict[str, NodeKind]:
        """The kind of each id that names a node; unknown ids are left out."""

        async def work(tx: Tx) -> dict[str, NodeKind]:
            rows = (await tx.single("read/node_kinds", {"ids": list(ids)}))["nodes"]
            return {r["id"]: NodeKind(r["kind"]) for r in rows if r["kind"]}

        return await self.db.read(work)

    async def downstream_step(self, artifacts: Sequence[str], executions: Sequence[str]
                              ) -> list[Reached]:
        """The distinct nodes one hop downstream of the given artifacts and executions."""

        async def work(tx: Tx) -> list[Reached]:
            row = await tx.single("lineage/impact_step", {"artifacts": list(artifacts),
                                                          "executions": list(executions)})
            return [Reached(i, _KINDS[k], t, name, uri) for i, k, t, name, uri in row["nodes"]]

        return await self.db.read(work)

    async def contexts_of(self, artifacts: Sequence[str], executions: Sequence[str],
                          known: Collection[str] = ()) -> ContextClosure:
        """The contexts directly holding the given nodes, and all their ancestors.

        One transaction: the memberships, then one round trip per level of CHILD_OF
        links (parent links cannot form cycles; the store refuses them). Contexts in
        `known` are taken as already reported together with their ancestors: their
        parents are not walked again and they are left out of `contexts` (their
        memberships are still listed).
        """

        async def work(tx: Tx) -> ContextClosure:
            row = await tx.single("lineage/impact_memberships",
                                  {"artifacts": list(artifacts), "executions": list(executions)})
            closure = ContextClosure(members=_pairs(row["pairs"]))
            for i, t, n in row["contexts"]:
                if i not in known:
                    closure.contexts[i] = ContextRef(i, t, n)
            frontier = list(closure.contexts)
            while frontier:
                row = await tx.single("lineage/impact_parents", {"ids": frontier})
                closure.parents.extend(_pairs(row["pairs"]))
                frontier = []
                for i, t, n in row["parents"]:
                    if i not in known and i not in closure.contexts:
                        closure.contexts[i] = ContextRef(i, t, n)
                        frontier.append(i)
            return closure

        return await self.db.read(work)
