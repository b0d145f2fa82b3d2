/** What the side panel shows of the selected node. */
import { useQuery } from "@tanstack/react-query";
import { request } from "../api/client";
import { graphql } from "../gql";
import type { NodeDetailQuery } from "../gql/graphql";

graphql(`
  fragment DetailedNode on GraphNode {
    id
    externalId
    typeName
    typeVersion
    name
    properties
    customProperties
    createdAt
    updatedAt
  }
`);

// An artifact's and an execution's `state` are of different enums, so one of them needs
// another name in the same selection.
const NodeDetailDocument = graphql(`
  query NodeDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Artifact {
        ...DetailedNode
        uri
        state
        events {
          type
          artifactId
          executionId
          timestamp
          path
        }
        contexts {
          id
          name
          typeName
        }
      }
      ... on Execution {
        ...DetailedNode
        executionState: state
        events {
          type
          artifactId
          executionId
          timestamp
          path
        }
        contexts {
          id
          name
          typeName
        }
      }
      ... on Context {
        ...DetailedNode
      }
    }
  }
`);

/** The node with one `state`, `uri`, `events` and `contexts` whatever its kind (null where it has none). */
export function toNodeDetails(n: NonNullable<NodeDetailQuery["node"]>) {
  switch (n.__typename) {
    case "Artifact":
      return { ...n, uri: n.uri ?? null, state: n.state as string | null };
    case "Execution":
      return { ...n, uri: null, state: n.executionState as string | null };
    case "Context":
      return { ...n, uri: null, state: null, events: null, contexts: null };
  }
}

export type NodeDetails = ReturnType<typeof toNodeDetails>;

/** The node with this id, with its properties, events and contexts; null when it no longer exists. */
export function useNodeDetails(id: string) {
  return useQuery({
    queryKey: ["detail", id],
    queryFn: async () => {
      const d = await request("Loading the node's details", NodeDetailDocument, { id });
      return d.node ? toNodeDetails(d.node) : null;
    },
  });
}
