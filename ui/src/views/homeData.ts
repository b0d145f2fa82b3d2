/** What the home page asks: search hits, counts by type, the newest artifacts. */
import { useQuery } from "@tanstack/react-query";
import { request } from "../api/client";
import { graphql } from "../gql";
import type { SearchHitsQuery } from "../gql/graphql";

const SearchHitsDocument = graphql(`
  query SearchHits($text: String!, $first: Int!) {
    search(text: $text, first: $first) {
      id
      kind
      typeName
      name
      uri
      externalId
    }
  }
`);

const TypeCountsDocument = graphql(`
  query TypeCounts {
    typeCounts {
      kind
      typeName
      count
    }
  }
`);

const NewestArtifactsDocument = graphql(`
  query NewestArtifacts($n: Int!) {
    artifacts(first: $n, orderBy: { field: "createdAt", descending: true }) {
      edges {
        node {
          id
          name
          typeName
          uri
          state
          createdAt
        }
      }
    }
  }
`);

export type SearchHit = SearchHitsQuery["search"][number];

/** The best `first` matches of a search text (none asked for an empty text). */
export function useSearchHits(text: string, first = 20) {
  return useQuery({
    queryKey: ["search", text, first],
    enabled: text.length > 0,
    queryFn: async () => (await request("Searching", SearchHitsDocument, { text, first })).search,
  });
}

/** How many nodes of each type there are: artifacts, then executions, then contexts. */
export function useTypeCounts() {
  return useQuery({
    queryKey: ["typeCounts"],
    queryFn: async () => (await request("Counting nodes by type", TypeCountsDocument, {})).typeCounts,
  });
}

/** The `n` artifacts created last, newest first. */
export function useNewestArtifacts(n = 8) {
  return useQuery({
    queryKey: ["newest", n],
    queryFn: async () => (await request("Loading the newest artifacts", NewestArtifactsDocument, { n })).artifacts.edges.map((e) => e.node),
  });
}
