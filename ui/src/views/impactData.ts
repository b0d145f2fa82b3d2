/** What the impact view asks: the impact analysis of a bad artifact, and its downstream DAG. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { requestAs } from "../api/client";
import { lineageQuery } from "../api/lineageGraph";
import { decodeLineageTable } from "../api/lineageTable";
import { graphql } from "../gql";
import type { ImpactQuery } from "../gql/graphql";

const ImpactDocument = graphql(`
  query Impact($ids: [ID!]!) {
    impact(artifactIds: $ids) {
      table(columns: [NAME, STATE])
      contexts {
        id
        type
        name
        degree
        direct
        affectedMembers
      }
      countsByKind {
        kind
        count
      }
      countsByType {
        kind
        type
        count
      }
    }
  }
`);

/**
 * The impact answer with its affected artifacts and executions (nearest first, with name
 * and state) decoded from its table; contexts and counts as the server typed them.
 */
export function toImpact({ table, ...typed }: ImpactQuery["impact"]) {
  const { nodes, truncated } = decodeLineageTable(table);
  return { ...typed, nodes, truncated: Boolean(truncated) };
}

/** Everything downstream of the artifact, the contexts holding it, and the counts. */
export function useImpact(artifactId: string) {
  return useQuery({
    queryKey: ["impact", artifactId],
    queryFn: () => requestAs("Loading the impact analysis", ImpactDocument, { ids: [artifactId] }, (d) => toImpact(d.impact)),
  });
}

/** The artifact's whole downstream lineage (the server's default hops), and how long it took. */
export function useImpactGraph(artifactId: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ["impact-dag", artifactId],
    queryFn: async () => {
      const t0 = performance.now();
      const graph = await qc.fetchQuery(lineageQuery({ artifactIds: [artifactId], executionIds: [], direction: "DOWNSTREAM", maxHops: null }));
      return { graph, fetchMs: Math.round(performance.now() - t0) };
    },
  });
}
