/** What the impact view asks: the impact analysis of a bad artifact, and its downstream DAG. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { request } from "../api/client";
import { lineageQuery } from "../api/lineageGraph";
import { graphql } from "../gql";

const ImpactDocument = graphql(`
  query Impact($ids: [ID!]!) {
    impact(artifactIds: $ids) {
      truncated
      nodes {
        id
        kind
        type
        degree
        name
        state
      }
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

/** Everything downstream of the artifact, the contexts holding it, and the counts. */
export function useImpact(artifactId: string) {
  return useQuery({
    queryKey: ["impact", artifactId],
    queryFn: async () => (await request("Loading the impact analysis", ImpactDocument, { ids: [artifactId] })).impact,
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
