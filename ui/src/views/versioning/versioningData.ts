/** What the versioning views ask: a repository's branches, log and diffs; what is in production. */
import { useInfiniteQuery, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
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

const AliasVersionDocument = graphql(`
  query AliasVersion($model: String!, $alias: String!) {
    registeredModel(name: $model) {
      alias(name: $alias) {
        version
      }
      versions(first: 200) {
        edges {
          node {
            version
            artifactId
            runId
            commit
            repository
          }
        }
      }
    }
  }
`);

const VersionRunDocument = graphql(`
  query VersionRun($run: ID!, $repo: String!, $sha: String!) {
    execution(id: $run) {
      id
      name
      typeName
      properties
    }
    repository(name: $repo) {
      commit(sha: $sha) {
        sha
        message
        author
      }
    }
  }
`);

const SetAliasDocument = graphql(`
  mutation RollBackAlias($model: String!, $alias: String!, $version: Int!, $expected: Int!, $reason: String!) {
    setAlias(model: $model, alias: $alias, version: $version, expectedVersion: $expected, reason: $reason) {
      __typename
      ... on AliasSet {
        alias {
          version
        }
      }
      ... on StaleAlias {
        current
      }
    }
  }
`);

const GraphLogDocument = graphql(`
  query GraphLog($name: String!, $ref: String!, $path: String) {
    repository(name: $name) {
      log(ref: $ref, path: $path, first: 200) {
        edges {
          node {
            sha
            message
            createdAt
            generation
            parents
          }
        }
      }
    }
  }
`);

const CommitDocument = graphql(`
  query CommitPage($repo: String!, $sha: String!) {
    repository(name: $repo) {
      commit(sha: $sha) {
        sha
        message
        author
        createdAt
        generation
        parents
        metadata
        tree(first: 500) {
          edges {
            node {
              path
              kind
              blobSha
            }
          }
        }
        runs(first: 200) {
          id
          name
          typeName
          state
        }
      }
    }
  }
`);

/** The first 200 commits of each branch's log (with `path`: only those that changed it), for the commit graph. */
export function useBranchLogs(name: string, branches: string[], path: string) {
  return useQueries({
    queries: branches.map((ref) => ({
      queryKey: ["graph-log", name, ref, path],
      queryFn: () => request("Loading the commit graph", GraphLogDocument, { name, ref, path: path || null }),
    })),
  });
}

export function useCommit(repo: string, sha: string) {
  return useQuery({
    queryKey: ["commit", repo, sha],
    queryFn: () => request("Loading the commit", CommitDocument, { repo, sha }),
  });
}

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

/** An alias's version with the run that made it (its properties: metrics, parameters) and the commit it used. */
export function useAliasChain(model: string, alias: string) {
  const versions = useQuery({
    queryKey: ["alias-version", model, alias],
    enabled: model !== "" && alias !== "",
    queryFn: () => request("Loading the alias's version", AliasVersionDocument, { model, alias }),
  });
  const current = versions.data?.registeredModel?.alias?.version;
  const version = versions.data?.registeredModel?.versions.edges.map((e) => e.node).find((v) => v.version === current);
  const run = useQuery({
    queryKey: ["version-run", version?.runId, version?.repository, version?.commit],
    enabled: !!version?.runId && !!version.repository && !!version.commit,
    queryFn: () =>
      request("Loading the version's run", VersionRunDocument, {
        run: version?.runId ?? "",
        repo: version?.repository ?? "",
        sha: version?.commit ?? "",
      }),
  });
  return { version, run: run.data, error: versions.error ?? run.error };
}

/** Point an alias back at an earlier version (setAlias, compare-and-set on the current one); refreshes the production views. */
export function useRollBack() {
  const qc = useQueryClient();
  return async (model: string, alias: string, version: number, expected: number, reason: string) => {
    const answer = await request("Rolling back", SetAliasDocument, { model, alias, version, expected, reason });
    await qc.invalidateQueries({ queryKey: ["in-production"] });
    await qc.invalidateQueries({ queryKey: ["alias-history", model, alias] });
    await qc.invalidateQueries({ queryKey: ["alias-version", model, alias] });
    return answer.setAlias;
  };
}

/** A JSON value as a short cell text. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
