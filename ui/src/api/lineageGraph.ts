/**
 * The lineage answers every DAG of the UI draws: the fields asked of them, and their
 * conversion into the UI's Graph.
 */
import { graphql } from "../gql";
import type { Direction, DrawnGraphFragment, NodeKind } from "../gql/graphql";
import type { GEdge, GNode, Graph, Kind } from "../graph/model";
import { request } from "./client";

/**
 * What a drawing shows of each node: the summary fields (name, uri, state; several times
 * lighter than the whole node for thousands of nodes) and its neighbour counts, which tell
 * how many neighbours are not drawn yet.
 */
graphql(`
  fragment DrawnGraph on LineageGraph {
    truncated
    nodes {
      id
      kind
      type
      degree
      upstreamNeighbors
      downstreamNeighbors
      name
      uri
      state
    }
    edges {
      source
      target
      kind
    }
  }
`);

const LineageDocument = graphql(`
  query Lineage($input: LineageInput!) {
    lineage(input: $input) {
      ...DrawnGraph
    }
  }
`);

/** Lineage answers list artifacts and executions only. */
const drawnKind = (kind: NodeKind): Kind => (kind === "EXECUTION" ? "EXECUTION" : "ARTIFACT");

export function toGraph(g: DrawnGraphFragment): Graph {
  const nodes: GNode[] = g.nodes.map((n) => ({
    id: n.id,
    kind: drawnKind(n.kind),
    type: n.type,
    degree: n.degree,
    name: n.name,
    uri: n.uri,
    state: n.state,
    upTotal: n.upstreamNeighbors,
    downTotal: n.downstreamNeighbors,
  }));
  const edges: GEdge[] = g.edges.map((e) => ({ source: e.source, target: e.target, kind: e.kind }));
  return { nodes, edges, truncated: g.truncated };
}

export interface LineageRequest {
  artifactIds: string[];
  executionIds: string[];
  direction: Direction;
  /** Null: the server's default. */
  maxHops: number | null;
}

export async function fetchLineage(req: LineageRequest): Promise<Graph> {
  const d = await request("Loading the lineage", LineageDocument, {
    input: {
      startArtifactIds: req.artifactIds,
      startExecutionIds: req.executionIds,
      direction: req.direction,
      maxHops: req.maxHops,
    },
  });
  return toGraph(d.lineage);
}

/** One lineage answer, cached on its own (so that an expansion only fetches the new hop). */
export const lineageQuery = (req: LineageRequest) => ({
  queryKey: ["lineage", req] as const,
  queryFn: () => fetchLineage(req),
  staleTime: 60_000,
});
