/** The graph the UI draws: artifacts and executions joined by data-flow edges. */

export type Kind = "ARTIFACT" | "EXECUTION";
export type Side = "up" | "down";

export interface GNode {
  id: string;
  kind: Kind;
  type: string;
  /** Hops from the start node of the answer that first listed it. */
  degree: number;
  name?: string | null;
  state?: string | null;
  uri?: string | null;
  /** Total direct upstream neighbours in the whole graph (from the API), if known. */
  upTotal?: number;
  /** Total direct downstream neighbours in the whole graph (from the API), if known. */
  downTotal?: number;
}

export type EdgeKind = "INPUT" | "OUTPUT" | "BRIDGE" | "AGGREGATE";

export interface GEdge {
  source: string;
  target: string;
  kind?: EdgeKind;
}

export interface Graph {
  nodes: GNode[];
  edges: GEdge[];
  truncated?: boolean;
}

/** A stand-in for the neighbours of one node that are not drawn (high fan-out). */
export interface AggregateNode {
  id: string;
  owner: string;
  side: Side;
  shown: number;
  total: number;
  hiddenIds: string[];
}

export const edgeKey = (e: { source: string; target: string }): string => `${e.source}->${e.target}`;

export interface Adjacency {
  succ: Map<string, string[]>;
  pred: Map<string, string[]>;
}

export function adjacency(edges: readonly GEdge[]): Adjacency {
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const e of edges) {
    let s = succ.get(e.source);
    if (!s) succ.set(e.source, (s = []));
    s.push(e.target);
    let p = pred.get(e.target);
    if (!p) pred.set(e.target, (p = []));
    p.push(e.source);
  }
  return { succ, pred };
}

/** Every node reachable from `start` along `next` (not including start unless on a cycle). */
export function closure(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const cur = stack.pop()!;
    for (const n of next.get(cur) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/** Nodes connected to any of `roots` ignoring edge direction. */
export function component(roots: Iterable<string>, edges: readonly GEdge[]): Set<string> {
  const nb = new Map<string, string[]>();
  const add = (a: string, b: string) => {
    let l = nb.get(a);
    if (!l) nb.set(a, (l = []));
    l.push(b);
  };
  for (const e of edges) {
    add(e.source, e.target);
    add(e.target, e.source);
  }
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const r of roots) {
    if (!seen.has(r)) {
      seen.add(r);
      stack.push(r);
    }
  }
  while (stack.length) {
    const cur = stack.pop()!;
    for (const n of nb.get(cur) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}
