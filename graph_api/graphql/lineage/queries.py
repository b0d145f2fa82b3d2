"""Lineage walks, context DAGs, shortest paths and impact analysis."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.graphql.context import GraphContext
from graph_api.graphql.lineage.types import Impact, LineageGraph, LineageIncludeInput, LineageInput
from graph_api.services.impact import ImpactService

Info = strawberry.Info[GraphContext, None]


def _doc(text: str) -> object:
    return strawberry.argument(description=text)


@strawberry.type
class LineageQuery:
    @strawberry.field(description=(
        "The lineage subgraph around a start set (MLMD's get_lineage_subgraph): every "
        "artifact and execution within maxHops, with its degree, and every edge among them."))
    async def lineage(self, info: Info, input: Annotated[LineageInput, _doc(
            "Where to start, which way to walk, where to stop, what to list.")]
    ) -> LineageGraph:
        return await LineageGraph.build(
            info, await info.context.store.lineage.lineage(input.to_domain()))

    @strawberry.field(description=(
        "The DAG of one context: its artifacts and executions and the edges among them; a "
        "node's degree is its distance from the context's sources. NOT_FOUND for an "
        "unknown context; LIMIT_EXCEEDED when it has more members than LINEAGE_MAX_NODES."))
    async def context_graph(self, info: Info, context_id: Annotated[
            strawberry.ID, _doc("The context (a pipeline run, an experiment…).")]
    ) -> LineageGraph:
        return await LineageGraph.build(
            info, await info.context.store.lineage.context_graph(str(context_id)))

    @strawberry.field(description=(
        "A shortest directed path between two artifacts or executions, whichever way round "
        "it runs; a node's degree is its position on the path. Null when no path has at "
        "most maxHops edges; NOT_FOUND when an id names no artifact or execution."))
    async def lineage_path(
        self, info: Info,
        from_id: Annotated[strawberry.ID, _doc("One end: an artifact or execution.")],
        to_id: Annotated[strawberry.ID, _doc("The other end: an artifact or execution.")],
        max_hops: Annotated[int | None, _doc(
            "Longest path to look for, in edges; default and cap LINEAGE_MAX_HOPS.")] = None,
    ) -> LineageGraph | None:
        path = await info.context.store.lineage.shortest_path(str(from_id), str(to_id), max_hops)
        return await LineageGraph.build(info, path) if path is not None else None

    @strawberry.field(description=(
        "Impact analysis of bad artifacts: every artifact and execution downstream of them, "
        "every context holding one (and the ancestors of those contexts), counts by kind and "
        "type. GET /api/v1/impact exports the same answer as CSV or JSON without a node cap."))
    async def impact(
        self, info: Info,
        artifact_ids: Annotated[list[strawberry.ID], _doc(
            "The bad artifacts (at least one; NOT_FOUND if one names no artifact).")],
        max_hops: Annotated[int | None, _doc(
            "How far downstream to walk; default the cap LINEAGE_MAX_HOPS, so the whole "
            "downstream closure.")] = None,
        include: Annotated[LineageIncludeInput | None, _doc(
            "Which affected nodes and contexts to list and count (the given artifacts are "
            "always listed); default all.")] = None,
        max_nodes: Annotated[int | None, _doc(
            "Most artifacts and executions to list, nearest first (then `truncated`); "
            "default and cap LINEAGE_MAX_NODES.")] = None,
    ) -> Impact:
        answer = await ImpactService(info.context.store).analyze(
            [str(i) for i in artifact_ids], max_hops=max_hops,
            include=include.to_domain() if include is not None else None, max_nodes=max_nodes)
        return await Impact.build(info, answer)
