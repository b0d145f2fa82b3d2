/**
 * The lineage answers every DAG of the UI draws: the fields asked of them, and their
 * conversion into the UI's Graph.
 */
import { graphql } from "../gql";
import type { Direction, DrawnGraphFragment } from "../gql/graphql";
import type { Graph } from "../graph/model";
import { requestAs } from "./client";
import { decodeLineageTable } from "./lineageTable";

/**
 * What a drawing shows, as one compact table (several times cheaper for the server than
 * the typed nodes and edges on large answers): each node's summary (name, uri, state) and
 * its neighbour counts, which tell how many neighbours are not drawn yet.
 */
graphql(`
  fragment DrawnGraph on LineageGraph {
    table(columns: [NAME, URI, STATE, NEIGHBORS])
  }
`);

const LineageDocument = graphql(`
  query Lineage($input: LineageInput!) {
    lineage(input: $input) {
      ...DrawnGraph
    }
  }
`);

/** A drawn lineage answer as the UI's Graph; MalformedAnswer if its table is not one. */
export const toGraph = (g: DrawnGraphFragment): Graph => decodeLineageTable(g.table);

export interface LineageRequest {
  artifactIds: string[];
  executionIds: string[];
  direction: Direction;
  /** Null: the server's default. */
  maxHops: number | null;
}

export async function fetchLineage(req: LineageRequest): Promise<Graph> {
  const input = {
    startArtifactIds: req.artifactIds,
    startExecutionIds: req.executionIds,
    direction: req.direction,
    maxHops: req.maxHops,
  };
  return requestAs("Loading the lineage", LineageDocument, { input }, (d) => toGraph(d.lineage));
}

/** One lineage answer, cached on its own (so that an expansion only fetches the new hop). */
export const lineageQuery = (req: LineageRequest) => ({
  queryKey: ["lineage", req] as const,
  queryFn: () => fetchLineage(req),
  staleTime: 60_000,
});
