/** What the context view asks: the context with its runs, and its DAG. */
import { useQuery } from "@tanstack/react-query";
import { request, requestAs } from "../api/client";
import { toGraph } from "../api/lineageGraph";
import { graphql } from "../gql";

/** What the run comparison shows of an execution. */
graphql(`
  fragment ComparedRun on Execution {
    id
    name
    typeName
    state
    properties
    customProperties
    createdAt
  }
`);

const ContextDocument = graphql(`
  query Context($id: ID!) {
    context(id: $id) {
      id
      externalId
      name
      typeName
      properties
      customProperties
      createdAt
      parents {
        id
        name
        typeName
      }
      children {
        id
        name
        typeName
      }
      executions(first: 200) {
        totalCount
        edges {
          node {
            ...ComparedRun
          }
        }
      }
      artifacts(first: 1) {
        totalCount
      }
    }
  }
`);

const ContextGraphDocument = graphql(`
  query ContextGraph($id: ID!) {
    contextGraph(contextId: $id) {
      ...DrawnGraph
    }
  }
`);

/** The context with its parents, children, member counts and (the first 200) runs; null when there is none. */
export function useContextDetails(id: string) {
  return useQuery({
    queryKey: ["context", id],
    queryFn: async () => (await request("Loading the context", ContextDocument, { id })).context,
  });
}

/** The DAG of the context's artifacts and executions, and how long the server took. */
export function useContextGraph(id: string) {
  return useQuery({
    queryKey: ["context-graph", id],
    queryFn: async () => {
      const t0 = performance.now();
      const graph = await requestAs("Loading the context's graph", ContextGraphDocument, { id }, (d) => toGraph(d.contextGraph));
      return { graph, fetchMs: Math.round(performance.now() - t0) };
    },
  });
}
