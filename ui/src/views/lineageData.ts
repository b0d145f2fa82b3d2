import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { lineageQuery, type LineageRequest } from "../api/lineageGraph";
import type { Direction } from "../gql/graphql";
import { hiddenCounts, mergeGraphs } from "../graph/merge";
import type { Graph } from "../graph/model";
import type { LineageState, SideRef } from "../state/urlState";

export interface LineageLoad {
  id: string;
  isExecution: boolean;
  up: number;
  down: number;
  exp: SideRef[];
  xall: number;
}

export interface LoadedLineage {
  graph: Graph;
  fetchMs: number;
}

function start(ids: { id: string; isExecution: boolean }[]): Pick<LineageRequest, "artifactIds" | "executionIds"> {
  return {
    artifactIds: ids.filter((i) => !i.isExecution).map((i) => i.id),
    executionIds: ids.filter((i) => i.isExecution).map((i) => i.id),
  };
}

/** The lineage requests for a centre and its hop counts (one BOTH walk when they are equal). */
export function baseRequests(id: string, isExecution: boolean, up: number, down: number): LineageRequest[] {
  const s = start([{ id, isExecution }]);
  const req = (direction: Direction, maxHops: number): LineageRequest => ({ ...s, direction, maxHops });
  if (up === down) return [req("BOTH", up)];
  const out: LineageRequest[] = [];
  if (up > 0) out.push(req("UPSTREAM", up));
  if (down > 0) out.push(req("DOWNSTREAM", down));
  return out;
}

/**
 * The drawn graph of a lineage view: the centre's walk(s), then each one-hop expansion, then
 * the "expand all" rounds, merged in that order. Every answer is cached on its own, so an
 * expansion only fetches the new hop.
 */
export async function loadLineage(qc: QueryClient, load: LineageLoad): Promise<LoadedLineage> {
  const t0 = performance.now();
  const get = (req: LineageRequest) => qc.fetchQuery(lineageQuery(req));
  const parts = await Promise.all(baseRequests(load.id, load.isExecution, load.up, load.down).map(get));
  let graph: Graph = parts.reduce((acc, g) => mergeGraphs(acc, g), { nodes: [], edges: [] } as Graph);
  for (const e of load.exp) {
    const node = graph.nodes.find((n) => n.id === e.id);
    if (!node) continue;
    const g = await get({
      ...start([{ id: node.id, isExecution: node.kind === "EXECUTION" }]),
      direction: e.side === "up" ? "UPSTREAM" : "DOWNSTREAM",
      maxHops: 1,
    });
    graph = mergeGraphs(graph, g, node.degree);
  }
  for (let round = 0; round < load.xall; round++) {
    const hidden = hiddenCounts(graph);
    const frontier = graph.nodes.filter((n) => {
      const h = hidden.get(n.id);
      return h !== undefined && (h.up > 0 || h.down > 0);
    });
    if (!frontier.length) break;
    const g = await get({
      ...start(frontier.map((n) => ({ id: n.id, isExecution: n.kind === "EXECUTION" }))),
      direction: "BOTH",
      maxHops: 1,
    });
    graph = mergeGraphs(graph, g, 1);
  }
  return { graph, fetchMs: Math.round(performance.now() - t0) };
}

/**
 * The lineage view's query for a centre, its URL state and the node's kind as far as known
 * (undefined: not yet looked up, assumed an artifact). The view and the start-up prefetch
 * (`src/prefetch.ts`) share it, so they share one request.
 */
export function lineageViewQuery(qc: QueryClient, id: string, st: LineageState, kind: string | undefined) {
  const isExecution = kind === "Execution";
  return {
    queryKey: ["lineage-view", id, isExecution ? "Execution" : "Artifact", st.up, st.down, JSON.stringify(st.exp), st.xall] as const,
    queryFn: () => loadLineage(qc, { id, isExecution, up: st.up, down: st.down, exp: st.exp, xall: st.xall }),
    // A prefetched answer is as fresh as the page: do not fetch (and lay out) it again on mount.
    staleTime: 60_000,
  };
}

/**
 * The lineage view's answer. Started at once (by the start-up prefetch when the page opened
 * here), assuming an artifact; asked again when the node lookup says it is an execution.
 * The previous answer stays on screen while a changed view loads; a context has none.
 */
export function useLineageAnswer(id: string, st: LineageState, kind: string | undefined) {
  const qc = useQueryClient();
  return useQuery({ ...lineageViewQuery(qc, id, st, kind), enabled: kind !== "Context", placeholderData: keepPreviousData });
}
