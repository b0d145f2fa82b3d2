"""Finding one's way around the graph: search, counts by type, and what a drawing shows of
many nodes (name, uri, state, neighbour counts)."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.config import Limits
from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind
from graph_api.model.explore import NodeSummary, SearchHit, TypeCount
from graph_api.services.caps import bounded_page
from graph_api.store import explore
from graph_api.store.connection import Database, Tx

MAX_SEARCH_TEXT = 200


class SearchService:
    """Search and summaries over one database."""

    def __init__(self, db: Database, limits: Limits) -> None:
        self.db = db
        self.limits = limits

    async def search(self, text: str, kinds: Sequence[NodeKind], limit: int) -> list[SearchHit]:
        """Nodes whose id or external id is `text`, or whose name, uri or type name contains
        it (ignoring case), best matches first; at most `limit`.

        Raises:
            InvalidInput: empty or overlong text, no kind, a limit below 1.
            LimitExceeded: a limit above `LINEAGE_MAX_PAGE_SIZE`.
        """
        text = text.strip()
        if not text:
            raise InvalidInput("text: must not be empty", field="text")
        if len(text) > MAX_SEARCH_TEXT:
            raise InvalidInput(f"text: at most {MAX_SEARCH_TEXT} characters", field="text")
        bounded_page(self.limits, limit, "first")
        if not kinds:
            raise InvalidInput("kinds: give at least one kind, or null for all", field="kinds")
        return await self.db.read(lambda tx: explore.search(tx, text, kinds, limit))

    async def type_counts(self) -> list[TypeCount]:
        """How many nodes there are of each type: artifacts, executions, then contexts,
        each by type name."""
        order = list(NodeKind)
        counts = await self.db.read(explore.type_counts)
        return sorted(counts, key=lambda c: (order.index(c.kind), c.type))

    async def summaries(self, artifact_ids: Sequence[str], execution_ids: Sequence[str], *,
                        counts: bool) -> dict[str, NodeSummary]:
        """Name, uri and state of each node and, with `counts`, its distinct direct upstream
        and downstream neighbours; in one round trip. Unknown ids are left out."""

        async def work(tx: Tx) -> dict[str, NodeSummary]:
            s = await explore.summaries(tx, artifact_ids, execution_ids, counts=counts)
            if s.up is None or s.down is None:
                return {i: NodeSummary(n, u, st or explore.UNKNOWN_STATE)
                        for i, n, u, st in zip(s.id, s.name, s.uri, s.state, strict=True)}
            return {i: NodeSummary(n, u, st or explore.UNKNOWN_STATE, up, down)
                    for i, n, u, st, up, down in zip(s.id, s.name, s.uri, s.state, s.up,
                                                      s.down, strict=True)}

        return await self.db.read(work)
