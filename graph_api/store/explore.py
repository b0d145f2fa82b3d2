"""Reads that help people find their way around the graph: search, counts by type, what a
drawing shows of a node, and how many neighbours it has beyond what an answer shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph_api.config import Limits
from graph_api.errors import InvalidInput, LimitExceeded
from graph_api.model.enums import NodeKind
from graph_api.model.explore import NodeSummary, SearchHit, TypeCount
from graph_api.store.connection import Database, Tx

MAX_SEARCH_TEXT = 200
#: A stored node without a state has the models' default state.
UNKNOWN_STATE = "UNKNOWN"


class ExploreRepository:
    def __init__(self, db: Database, limits: Limits) -> None:
        self.db = db
        self.limits = limits

    async def search(self, text: str, kinds: Sequence[NodeKind], limit: int) -> list[SearchHit]:
        """Nodes whose id or external id is `text`, or whose name, uri or type name contains
        it (ignoring case), best matches first; at most `limit`."""
        text = text.strip()
        if not text:
            raise InvalidInput("text: must not be empty", field="text")
        if len(text) > MAX_SEARCH_TEXT:
            raise InvalidInput(f"text: at most {MAX_SEARCH_TEXT} characters", field="text")
        if limit > self.limits.max_page_size:
            raise LimitExceeded(f"first: {limit} exceeds maxPageSize ({self.limits.max_page_size})",
                                field="first")
        if limit < 1:
            raise InvalidInput("first: must be at least 1", field="first")
        if not kinds:
            raise InvalidInput("kinds: give at least one kind, or null for all", field="kinds")
        params = {"exact": text, "text": text.lower(), "limit": limit,
                  "kinds": [k.value for k in kinds]}

        async def work(tx: Tx) -> list[dict[str, Any]]:
            hits: list[dict[str, Any]] = (await tx.single("explore/search_nodes", params))["hits"]
            return hits

        return [SearchHit(h["id"], NodeKind(h["kind"]), h["type"], h["name"], h["uri"],
                          h["externalId"]) for h in await self.db.read(work)]

    async def type_counts(self) -> list[TypeCount]:
        """How many nodes there are of each type: artifacts, executions, then contexts,
        each by type name."""

        async def work(tx: Tx) -> list[dict[str, Any]]:
            counts: list[dict[str, Any]] = (await tx.single("explore/type_counts", {}))["counts"]
            return counts

        order = list(NodeKind)
        counts = [TypeCount(NodeKind(c["kind"]), c["type"], c["count"])
                  for c in await self.db.read(work)]
        return sorted(counts, key=lambda c: (order.index(c.kind), c.type))

    async def node_summaries(self, artifact_ids: Sequence[str], execution_ids: Sequence[str],
                             *, counts: bool) -> dict[str, NodeSummary]:
        """Name, uri and state of each node and, with `counts`, its distinct direct upstream
        and downstream neighbours; in one round trip. Unknown ids are left out."""
        params = {"artifacts": list(artifact_ids), "executions": list(execution_ids)}
        statement = "explore/neighbor_counts" if counts else "explore/node_summaries"

        async def work(tx: Tx) -> list[list[Any]]:
            rows: list[list[Any]] = (await tx.single(statement, params))["rows"]
            return rows

        # Rows are [id, name, uri, state] and, with counts, [up, down] after them.
        return {r[0]: NodeSummary(r[1], r[2], r[3] or UNKNOWN_STATE, *r[4:])
                for r in await self.db.read(work)}
