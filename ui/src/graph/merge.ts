import { edgeKey, type GEdge, type GNode, type Graph } from "./model";

/**
 * Merge a lineage answer into the drawn graph. Existing nodes keep their place in the
 * order (new ones are appended in the answer's order), so the layout input stays stable.
 * A node seen again keeps its smallest degree and takes any newly known fields.
 */
export function mergeGraphs(base: Graph, add: Graph, degreeOffset = 0): Graph {
  const index = new Map<string, number>();
  const nodes: GNode[] = base.nodes.map((n, i) => {
    index.set(n.id, i);
    return n;
  });
  for (const n of add.nodes) {
    const at = index.get(n.id);
    const degree = n.degree + degreeOffset;
    if (at === undefined) {
      index.set(n.id, nodes.length);
      nodes.push({ ...n, degree });
    } else {
      const old = nodes[at];
      nodes[at] = {
        ...old,
        degree: Math.min(old.degree, degree),
        name: old.name ?? n.name,
        state: n.state ?? old.state,
        uri: old.uri ?? n.uri,
        upTotal: n.upTotal ?? old.upTotal,
        downTotal: n.downTotal ?? old.downTotal,
      };
    }
  }
  const seen = new Set<string>();
  const edges: GEdge[] = [];
  for (const e of [...base.edges, ...add.edges]) {
    const k = edgeKey(e);
    if (!seen.has(k) && index.has(e.source) && index.has(e.target)) {
      seen.add(k);
      edges.push(e);
    }
  }
  return { nodes, edges, truncated: Boolean(base.truncated || add.truncated) };
}

export interface Hidden {
  up: number;
  down: number;
}

/**
 * How many direct neighbours of each node are not in the graph: the API's totals minus the
 * neighbours drawn. Unknown totals give 0.
 */
export function hiddenCounts(graph: Graph): Map<string, Hidden> {
  const up = new Map<string, Set<string>>();
  const down = new Map<string, Set<string>>();
  for (const e of graph.edges) {
    (down.get(e.source) ?? down.set(e.source, new Set()).get(e.source)!).add(e.target);
    (up.get(e.target) ?? up.set(e.target, new Set()).get(e.target)!).add(e.source);
  }
  const out = new Map<string, Hidden>();
  for (const n of graph.nodes) {
    out.set(n.id, {
      up: Math.max(0, (n.upTotal ?? 0) - (up.get(n.id)?.size ?? 0)),
      down: Math.max(0, (n.downTotal ?? 0) - (down.get(n.id)?.size ?? 0)),
    });
  }
  return out;
}
