"""Impact analysis of bad artifacts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.graphql.context import Info, doc
from graph_api.graphql.impact.types import Impact
from graph_api.graphql.lineage.inputs import LineageIncludeInput


@strawberry.type
class ImpactQuery:
    @strawberry.field(description=(
        "Impact analysis of bad artifacts: every artifact and execution downstream of them, "
        "every context holding one (and the ancestors of those contexts), counts by kind and "
        "type. GET /api/v1/impact exports the same answer as CSV or JSON without a node cap."))
    async def impact(
        self, info: Info,
        artifact_ids: Annotated[list[strawberry.ID], doc(
            "The bad artifacts (at least one; NOT_FOUND if one names no artifact).")],
        max_hops: Annotated[int | None, doc(
            "How far downstream to walk; default the cap LINEAGE_MAX_HOPS, so the whole "
            "downstream closure.")] = None,
        include: Annotated[LineageIncludeInput | None, doc(
            "Which affected nodes and contexts to list and count (the given artifacts are "
            "always listed); default all.")] = None,
        max_nodes: Annotated[int | None, doc(
            "Most artifacts and executions to list, nearest first (then `truncated`); "
            "default and cap LINEAGE_MAX_NODES.")] = None,
    ) -> Impact:
        return Impact(answer=await info.context.services.impact.analyze(
            [str(i) for i in artifact_ids], max_hops=max_hops,
            include=include.to_domain() if include is not None else None, max_nodes=max_nodes))
