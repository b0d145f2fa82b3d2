"""MLMD's reads along the graph over the GraphQL API: events, the lineage subgraph, and
what bad artifacts affect."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.client import tables, wire
from graph_api.client.models import (
    Artifact,
    Direction,
    Event,
    Execution,
    Filter,
    Impact,
    ImpactContext,
    LineageSubgraph,
    NodeKind,
    Op,
)
from graph_api.client.transport import Transport


class AsyncLineage:
    """The graph-walking half of the store calls (`AsyncStore` has the rest)."""

    transport: Transport
    page_size: int

    # -- events -----------------------------------------------------------------------

    async def _events(self, kind: NodeKind, ids: Sequence[str]) -> list[Event]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        field = wire.LISTING[kind]
        out: list[Event] = []
        after: str | None = None
        while True:  # one request unless more nodes than a page
            page = (await self.transport.execute(
                f"query ($f: FilterInput, $first: Int!, $after: String) {{ {field}(filter: $f, "
                f"first: $first, after: $after) {{ edges {{ node {{ events {{ {wire.EVENT_FIELDS}"
                " } } } pageInfo { hasNextPage endCursor } } }",
                {"f": wire.filter_input(Filter.where("id", Op.IN, wanted)),
                 "first": self.page_size, "after": after}))[field]
            out.extend(wire.event(e) for edge in page["edges"] for e in edge["node"]["events"])
            after = page["pageInfo"]["endCursor"]
            if not page["pageInfo"]["hasNextPage"]:
                return out

    async def get_events_by_artifact_ids(self, artifact_ids: Sequence[str]) -> list[Event]:
        """Every event of these artifacts (MLMD)."""
        return await self._events(NodeKind.ARTIFACT, artifact_ids)

    async def get_events_by_execution_ids(self, execution_ids: Sequence[str]) -> list[Event]:
        """Every event of these executions (MLMD)."""
        return await self._events(NodeKind.EXECUTION, execution_ids)

    # -- lineage ----------------------------------------------------------------------

    async def get_lineage_subgraph(
            self, start: Sequence[Artifact | Execution] = (), direction: Direction = Direction.BOTH,
            max_hops: int | None = None, stop_at: Filter | None = None, *,
            artifact_ids: Sequence[str] = (), execution_ids: Sequence[str] = (),
            context_id: str | None = None, include_stop_nodes: bool = True,
            max_nodes: int | None = None) -> LineageSubgraph:
        """The lineage around a start set (MLMD's get_lineage_subgraph): nodes within
        `max_hops` edges `direction`-wards, not past a node matching `stop_at`, with their
        properties and every edge among them. Start from nodes, ids, or a context."""
        start_artifacts = [*artifact_ids, *(n.id for n in start if isinstance(n, Artifact))]
        start_executions = [*execution_ids, *(n.id for n in start if isinstance(n, Execution))]
        data = await self.transport.execute(
            "query ($input: LineageInput!) { lineage(input: $input) { table(columns: "
            + tables.COLUMNS + ") } }",
            {"input": {"startArtifactIds": start_artifacts,
                       "startExecutionIds": start_executions, "startContextId": context_id,
                       "direction": Direction(direction).value, "maxHops": max_hops,
                       "stopAt": wire.filter_input(stop_at),
                       "includeStopNodes": include_stop_nodes, "maxNodes": max_nodes}})
        graph = tables.decode(data["lineage"]["table"])
        return LineageSubgraph(nodes=graph.nodes, edges=graph.edges, artifacts=graph.artifacts,
                               executions=graph.executions, truncated=graph.truncated)

    async def get_impact(self, artifact_ids: Sequence[str], max_hops: int | None = None,
                         max_nodes: int | None = None) -> Impact:
        """What these (bad) artifacts affect: every artifact and execution downstream of
        them, with its degree, and every context holding one (and those contexts' ancestors)."""
        data = await self.transport.execute(
            "query ($ids: [ID!]!, $hops: Int, $max: Int) { impact(artifactIds: $ids, "
            "maxHops: $hops, maxNodes: $max) { table contexts { id type "
            "name degree direct affectedMembers } countsByKind { kind count } truncated } }",
            {"ids": list(artifact_ids), "hops": max_hops, "max": max_nodes})
        impact = data["impact"]
        return Impact(
            nodes=tables.lineage_nodes(impact["table"]),
            contexts=[ImpactContext(id=c["id"], type=c["type"], name=c["name"],
                                    degree=c["degree"], direct=c["direct"],
                                    affected_members=c["affectedMembers"])
                      for c in impact["contexts"]],
            counts_by_kind={NodeKind[c["kind"]]: c["count"] for c in impact["countsByKind"]},
            truncated=impact["truncated"])
