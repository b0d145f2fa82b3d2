/** What the versioning views ask: a repository's branches, log and diffs; what is in production. */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { request } from "../../api/client";
import { graphql } from "../../gql";
import type { DiffMode } from "../../gql/graphql";

const RepositoryDocument = graphql(`
  query Repository($name: String!) {
    repository(name: $name) {
      name
      defaultBranch
      protectedBranches
      branches(first: 200) {
        edges {
          node {
            name
            head
            protected
            aheadBehind {
              ahead
              behind
            }
          }
        }
      }
      tags(first: 200) {
        edges {
          node {
            name
            target
          }
        }
      }
    }
  }
`);

const LogDocument = graphql(`
  query RepositoryLog($name: String!, $ref: String!, $path: String, $after: String) {
    repository(name: $name) {
      log(ref: $ref, path: $path, first: 50, after: $after) {
        edges {
          node {
            sha
            message
            author
            createdAt
            generation
            parents
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const DiffDocument = graphql(`
  query RepositoryDiff($name: String!, $from: String!, $to: String!, $mode: DiffMode!) {
    repository(name: $name) {
      diff(from: $from, to: $to, mode: $mode) {
        base
        paths(first: 200) {
          edges {
            node {
              path
              status
              kindBefore
              kindAfter
              counts
              bytesDelta
              changes(first: 200) {
                edges {
                  node {
                    key
                    status
                    before
                    after
                    delta
                    renamedFrom
                  }
                }
                pageInfo {
                  hasNextPage
                }
              }
            }
          }
        }
      }
    }
  }
`);

const ProductionDocument = graphql(`
  query InProduction {
    inProduction {
      model
      alias
      version
      commit
      repository
      branch
      branchHead
      consistent
      since
    }
  }
`);

const AliasHistoryDocument = graphql(`
  query AliasHistory($model: String!, $alias: String!) {
    registeredModel(name: $model) {
      aliasHistory(alias: $alias, first: 100) {
        edges {
          node {
            id
            op
            from
            to
            actor
            at
            reason
            promotionId
          }
        }
      }
    }
  }
`);

export function useRepository(name: string) {
  return useQuery({
    queryKey: ["repository", name],
    queryFn: () => request("Loading the repository", RepositoryDocument, { name }),
  });
}

export function useLog(name: string, ref: string, path: string) {
  return useInfiniteQuery({
    queryKey: ["log", name, ref, path],
    enabled: ref !== "",
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      request("Loading the log", LogDocument, { name, ref, path: path || null, after: pageParam }),
    getNextPageParam: (last) => {
      const info = last.repository?.log.pageInfo;
      return info?.hasNextPage ? (info.endCursor ?? null) : null;
    },
  });
}

export function useDiff(name: string, from: string, to: string, mode: DiffMode) {
  return useQuery({
    queryKey: ["diff", name, from, to, mode],
    enabled: from !== "" && to !== "",
    queryFn: () => request("Comparing", DiffDocument, { name, from, to, mode }),
  });
}

export function useProduction() {
  return useQuery({
    queryKey: ["in-production"],
    queryFn: () => request("Loading what is in production", ProductionDocument, {}),
  });
}

export function useAliasHistory(model: string, alias: string) {
  return useQuery({
    queryKey: ["alias-history", model, alias],
    enabled: model !== "" && alias !== "",
    queryFn: () => request("Loading the alias history", AliasHistoryDocument, { model, alias }),
  });
}

/** A JSON value as a short cell text. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
