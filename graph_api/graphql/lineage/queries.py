"""Lineage walks, context DAGs and shortest paths."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.graphql.context import Info, doc
from graph_api.graphql.enums import Column
from graph_api.graphql.lineage.inputs import LineageInput
from graph_api.graphql.lineage.types import LineageGraph
from graph_api.graphql.selection import arguments_of


@strawberry.type
class LineageQuery:
    @strawberry.field(description=(
        "The lineage subgraph around a start set (MLMD's get_lineage_subgraph): every "
        "artifact and execution within maxHops, with its degree, and every edge among them."))
    async def lineage(self, info: Info, input: Annotated[LineageInput, doc(
            "Where to start, which way to walk, where to stop, what to list.")]
    ) -> LineageGraph:
        request = input.to_domain()
        # A request for the table (the common case: the web UI's, the SDK's) is answered in
        # one transaction, the walk and the columns together.
        tables = {frozenset(Column(c) for c in a.get("columns") or ())
                  for a in arguments_of(info, "table")}
        if len(tables) == 1:
            [columns] = tables
            answer, table = await info.context.services.subgraph.answer(request, columns)
            return LineageGraph(answer=answer, read=(columns, table))
        return LineageGraph(answer=await info.context.services.lineage.lineage(request))

    @strawberry.field(description=(
        "The DAG of one context: its artifacts and executions and the edges among them; a "
        "node's degree is its distance from the context's sources. NOT_FOUND for an "
        "unknown context; LIMIT_EXCEEDED when it has more members than LINEAGE_MAX_NODES."))
    async def context_graph(self, info: Info, context_id: Annotated[
            strawberry.ID, doc("The context (a pipeline run, an experiment…).")]
    ) -> LineageGraph:
        return LineageGraph(answer=await info.context.services.lineage.context_graph(
            str(context_id)))

    @strawberry.field(description=(
        "A shortest directed path between two artifacts or executions, whichever way round "
        "it runs; a node's degree is its position on the path. Null when no path has at "
        "most maxHops edges; NOT_FOUND when an id names no artifact or execution."))
    async def lineage_path(
        self, info: Info,
        from_id: Annotated[strawberry.ID, doc("One end: an artifact or execution.")],
        to_id: Annotated[strawberry.ID, doc("The other end: an artifact or execution.")],
        max_hops: Annotated[int | None, doc(
            "Longest path to look for, in edges; default and cap LINEAGE_MAX_HOPS.")] = None,
    ) -> LineageGraph | None:
        path = await info.context.services.lineage.shortest_path(str(from_id), str(to_id),
                                                                 max_hops)
        return LineageGraph(answer=path) if path is not None else None
