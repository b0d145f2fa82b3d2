/** The commits the runs of a lineage view used (`useIngredients`), asked for all runs at once. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useRef } from "react";
import { request } from "../api/client";
import { graphql } from "../gql";
import { byKind, ingredientsId, type IngredientsNode } from "../graph/ingredients";
import type { Graph } from "../graph/model";

const RunIngredientsDocument = graphql(`
  query RunIngredients($ids: [ID!]!) {
    runIngredients(runIds: $ids) {
      runId
      repository
      commit
      message
      entries {
        path
        kind
      }
    }
  }
`);

/** What `useIngredients` gives: the nodes to draw, and whether they are being fetched. */
export interface Ingredients {
  nodes: IngredientsNode[] | undefined;
  fetching: boolean;
}

/** The ingredients nodes of the drawn graph's runs: one request for all of them. */
export function useIngredients(graph: Graph | null, enabled: boolean): Ingredients {
  const runs = (graph?.nodes ?? []).filter((n) => n.kind === "EXECUTION").map((n) => n.id).sort();
  const answer = useQuery({
    queryKey: ["run-ingredients", runs],
    queryFn: () => request("Loading the runs' ingredients", RunIngredientsDocument, { ids: runs }),
    enabled: enabled && runs.length > 0,
    staleTime: 60_000,
    // While the runs of a grown graph are asked for, the ones known stay drawn.
    placeholderData: keepPreviousData,
  });
  const data = answer.data?.runIngredients;
  const key = runs.join(",");
  const last = useRef<{ key: string; nodes: IngredientsNode[] } | null>(null);
  // The same array while the same nodes are drawn: the canvas lays out again only when
  // an ingredients node comes or goes.
  const nodes = useMemo(() => {
    if (!enabled) return undefined;
    const drawn = new Set(key.split(","));
    const nodes = (data ?? [])
      .filter((r) => drawn.has(r.runId))
      .map((r) => ({ id: ingredientsId(r.runId), run: r.runId, repo: r.repository, sha: r.commit, message: r.message, kinds: byKind(r.entries) }));
    const shown = nodes.map((n) => `${n.id}@${n.sha}`).join(",");
    if (last.current?.key !== shown) last.current = { key: shown, nodes };
    return last.current.nodes;
  }, [enabled, data, key]);
  return { nodes, fetching: answer.isFetching };
}
