"""Search across kinds, and counts by type: what a home page shows."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.graphql.context import Info
from graph_api.graphql.enums import NodeKind
from graph_api.graphql.explore.types import SearchHit, TypeCount


@strawberry.type
class ExploreQuery:
    @strawberry.field(description=(
        "Artifacts, executions and contexts whose id or externalId is the text, or whose "
        "name, uri or type name contains it, ignoring case; best matches first (id, equal "
        "name, name prefix, name, then uri or type). Scans the nodes of the kinds asked for: "
        "for type-ahead, pass kinds and a small `first`."))
    async def search(
        self, info: Info,
        text: Annotated[str, strawberry.argument(description=(
            "What to look for (1 to 200 characters).") )],
        kinds: Annotated[list[NodeKind] | None, strawberry.argument(description=(
            "Which kinds to search; null: all three."))] = None,
        first: Annotated[int, strawberry.argument(description=(
            "Most hits to return; at most LINEAGE_MAX_PAGE_SIZE."))] = 20,
    ) -> list[SearchHit]:
        hits = await info.context.services.search.search(
            text, kinds if kinds is not None else list(NodeKind), first)
        return [SearchHit.from_domain(h) for h in hits]

    @strawberry.field(description=(
        "How many artifacts, executions and contexts there are of each type: artifacts, "
        "then executions, then contexts, each by type name."))
    async def type_counts(self, info: Info) -> list[TypeCount]:
        return [TypeCount(kind=c.kind, type_name=c.type, count=c.count)
                for c in await info.context.services.search.type_counts()]
