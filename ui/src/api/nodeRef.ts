/** A node's kind, name and type: the heading of the lineage and impact views. */
import { useQuery } from "@tanstack/react-query";
import { graphql } from "../gql";
import { request } from "./client";

const NodeRefDocument = graphql(`
  query NodeRef($id: ID!) {
    node(id: $id) {
      __typename
      ... on Artifact {
        id
        name
        typeName
      }
      ... on Execution {
        id
        name
        typeName
      }
      ... on Context {
        id
        name
        typeName
      }
    }
  }
`);

export async function fetchNodeRef(id: string) {
  const d = await request("Looking up the node", NodeRefDocument, { id });
  return d.node;
}

/** Shared by the views and the start-up prefetch, so that they share one request. */
export const nodeRefQuery = (id: string) => ({ queryKey: ["ref", id] as const, queryFn: () => fetchNodeRef(id), staleTime: 60_000 });

/** The node with this id; null when there is none. */
export const useNodeRef = (id: string) => useQuery(nodeRefQuery(id));
