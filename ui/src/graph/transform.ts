import {
  adjacency,
  closure,
  component,
  edgeKey,
  type AggregateNode,
  type GEdge,
  type GNode,
  type Graph,
  type Side,
} from "./model";

export interface SideRef {
  id: string;
  side: Side;
}

/**
 * Collapse branches: cut each listed node's edges on that side and keep what is still
 * connected to the centre (so a node reachable another way stays).
 */
export function collapseBranches(graph: Graph, centre: string, collapsed: readonly SideRef[]): Graph {
  if (!collapsed.length) return graph;
  const cutDown = new Set(collapsed.filter((c) => c.side === "down").map((c) => c.id));
  const cutUp = new Set(collapsed.filter((c) => c.side === "up").map((c) => c.id));
  const kept = graph.edges.filter((e) => !cutDown.has(e.source) && !cutUp.has(e.target));
  const comp = component([centre], kept);
  for (const c of collapsed) comp.add(c.id);
  const nodes = graph.nodes.filter((n) => comp.has(n.id));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = kept.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { ...graph, nodes, edges };
}

export interface FilterSpec {
  hiddenKinds?: ReadonlySet<string>;
  hiddenTypes?: ReadonlySet<string>;
  /** Nodes that stay visible whatever the filter (the centre). */
  keep?: ReadonlySet<string>;
}

/**
 * Hide nodes by kind or type without losing connectivity: every visible node is joined
 * to each visible node it reaches through hidden nodes only (a BRIDGE edge).
 */
export function filterGraph(graph: Graph, spec: FilterSpec): Graph {
  const hk = spec.hiddenKinds ?? new Set<string>();
  const ht = spec.hiddenTypes ?? new Set<string>();
  if (!hk.size && !ht.size) return graph;
  const keep = spec.keep ?? new Set<string>();
  const hidden = new Set<string>();
  for (const n of graph.nodes) {
    if (!keep.has(n.id) && (hk.has(n.kind) || ht.has(n.type))) hidden.add(n.id);
  }
  if (!hidden.size) return graph;
  const { succ } = adjacency(graph.edges);
  // For a hidden node: the visible nodes it reaches through hidden nodes only (memoised).
  const memo = new Map<string, Set<string>>();
  const reachVisible = (h: string, onPath: Set<string>): Set<string> => {
    const known = memo.get(h);
    if (known) return known;
    const out = new Set<string>();
    onPath.add(h);
    for (const t of succ.get(h) ?? []) {
      if (!hidden.has(t)) out.add(t);
      else if (!onPath.has(t)) for (const v of reachVisible(t, onPath)) out.add(v);
    }
    onPath.delete(h);
    memo.set(h, out);
    return out;
  };
  const nodes = graph.nodes.filter((n) => !hidden.has(n.id));
  const edges: GEdge[] = [];
  const seen = new Set<string>();
  const push = (e: GEdge) => {
    const k = edgeKey(e);
    if (!seen.has(k)) {
      seen.add(k);
      edges.push(e);
    }
  };
  for (const e of graph.edges) {
    if (!hidden.has(e.source) && !hidden.has(e.target)) push(e);
  }
  for (const e of graph.edges) {
    if (!hidden.has(e.source) && hidden.has(e.target)) {
      for (const v of reachVisible(e.target, new Set())) {
        if (v !== e.source) push({ source: e.source, target: v, kind: "BRIDGE" });
      }
    }
  }
  return { ...graph, nodes, edges };
}

/** The data-only view: executions folded into artifact -> artifact edges. */
export function foldExecutions(graph: Graph, keep?: ReadonlySet<string>): Graph {
  return filterGraph(graph, { hiddenKinds: new Set(["EXECUTION"]), keep });
}

export interface AggregateSpec {
  /** Most neighbours drawn on one side before aggregating (default 40). */
  limit?: number;
  /** Per node and side, a raised limit ("show more"). Key: `${side}:${id}`. */
  more?: ReadonlyMap<string, number>;
  /** The centre: nodes no longer connected to it are dropped. Null keeps every other node. */
  centre?: string | null;
  /** The API's total neighbour counts, for the label. */
}

export interface AggregatedGraph extends Graph {
  aggregates: AggregateNode[];
}

export const aggregateId = (side: Side, owner: string): string => `agg:${side}:${owner}`;

/**
 * High fan-out: a node with more than `limit` drawn neighbours on one side keeps the first
 * `limit` (in graph order; the centre is always kept) and gets one aggregate node standing
 * for the rest. Nodes only reachable through the aggregated neighbours are dropped too.
 */
export function aggregateFanOut(graph: Graph, spec: AggregateSpec = {}): AggregatedGraph {
  const limit = spec.limit ?? 40;
  const order = new Map(graph.nodes.map((n, i) => [n.id, i] as const));
  const { succ, pred } = adjacency(graph.edges);
  const cut = new Set<string>(); // edge keys removed
  const aggregates: AggregateNode[] = [];
  const hiddenAll = new Set<string>();
  for (const n of graph.nodes) {
    for (const side of ["down", "up"] as const) {
      const list = (side === "down" ? succ : pred).get(n.id) ?? [];
      const lim = spec.more?.get(`${side}:${n.id}`) ?? limit;
      if (list.length <= lim) continue;
      const sorted = [...new Set(list)].sort((a, b) => {
        if (a === spec.centre) return -1;
        if (b === spec.centre) return 1;
        return (order.get(a) ?? 0) - (order.get(b) ?? 0);
      });
      if (sorted.length <= lim) continue;
      const hiddenIds = sorted.slice(lim);
      for (const h of hiddenIds) {
        cut.add(side === "down" ? `${n.id}->${h}` : `${h}->${n.id}`);
        hiddenAll.add(h);
      }
      const total = Math.max(sorted.length, (side === "down" ? n.downTotal : n.upTotal) ?? 0);
      aggregates.push({ id: aggregateId(side, n.id), owner: n.id, side, shown: lim, total, hiddenIds });
    }
  }
  if (!aggregates.length) return { ...graph, aggregates };
  const kept = graph.edges.filter((e) => !cut.has(edgeKey(e)));
  let alive: Set<string>;
  if (spec.centre) {
    alive = component([spec.centre], kept);
    alive.add(spec.centre);
  } else {
    const roots = graph.nodes.map((n) => n.id).filter((id) => !hiddenAll.has(id));
    alive = component(roots, kept);
  }
  const nodes: GNode[] = graph.nodes.filter((n) => alive.has(n.id));
  const edges: GEdge[] = kept.filter((e) => alive.has(e.source) && alive.has(e.target));
  const aggs = aggregates.filter((a) => alive.has(a.owner));
  for (const a of aggs) {
    edges.push(
      a.side === "down"
        ? { source: a.owner, target: a.id, kind: "AGGREGATE" }
        : { source: a.id, target: a.owner, kind: "AGGREGATE" },
    );
  }
  return { ...graph, nodes, edges, aggregates: aggs };
}

/** Nodes and edges on any directed path between a and b (either way round). */
export function pathsBetween(edges: readonly GEdge[], a: string, b: string): { nodes: Set<string>; edges: Set<string> } {
  const { succ, pred } = adjacency(edges);
  const nodes = new Set<string>();
  for (const [from, to] of [
    [a, b],
    [b, a],
  ]) {
    const down = closure(from, succ);
    if (!down.has(to)) continue;
    const up = closure(to, pred);
    nodes.add(from).add(to);
    for (const x of down) if (up.has(x)) nodes.add(x);
  }
  const es = new Set<string>();
  for (const e of edges) if (nodes.has(e.source) && nodes.has(e.target)) es.add(edgeKey(e));
  return { nodes, edges: es };
}

