/**
 * A fast layered layout for very large graphs (thousands of nodes): longest-path layers from
 * the sources, barycenter ordering sweeps, then each node placed near the mean height of its
 * neighbours in the previous layer, pushed down to avoid overlaps. Linear in the graph's size
 * per sweep; no dummy nodes for long edges (that is what makes dagre slow on deep DAGs).
 */
import type { LayoutEdge, LayoutNode, Positions } from "./engine";

export function layeredLayout(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  opts: { layerGap?: number; nodeGap?: number; sweeps?: number } = {},
): Positions {
  const layerGap = opts.layerGap ?? 56;
  const nodeGap = opts.nodeGap ?? 14;
  const sweeps = opts.sweeps ?? 4;
  const n = nodes.length;
  const index = new Map(nodes.map((x, i) => [x.id, i] as const));
  const succ: number[][] = nodes.map(() => []);
  const pred: number[][] = nodes.map(() => []);
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    succ[s].push(t);
    pred[t].push(s);
  }
  // Longest-path layering (Kahn); nodes left on cycles go after their layered predecessors.
  const indeg = pred.map((p) => p.length);
  const layer = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (!indeg[i]) queue.push(i);
  const done = new Array<boolean>(n).fill(false);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    done[v] = true;
    for (const w of succ[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--indeg[w] === 0) queue.push(w);
    }
  }
  for (let i = 0; i < n; i++)
    if (!done[i]) for (const p of pred[i]) if (done[p]) layer[i] = Math.max(layer[i], layer[p] + 1);
  // Pull sources right, next to their first consumer (shorter edges).
  for (let i = 0; i < n; i++)
    if (!pred[i].length && succ[i].length) layer[i] = Math.max(0, Math.min(...succ[i].map((s) => layer[s])) - 1);

  const depth = n ? Math.max(...layer) + 1 : 0;
  const layers: number[][] = Array.from({ length: depth }, () => []);
  for (let i = 0; i < n; i++) layers[layer[i]].push(i);
  const pos = new Float64Array(n);
  const setOrder = () => layers.forEach((l) => l.forEach((v, k) => (pos[v] = k)));
  setOrder();
  const bary = (v: number, nb: number[]) => {
    if (!nb.length) return pos[v];
    let s = 0;
    for (const u of nb) s += pos[u];
    return s / nb.length;
  };
  for (let s = 0; s < sweeps; s++) {
    const down = s % 2 === 0;
    const order = down ? layers : [...layers].reverse();
    for (const l of order) {
      const key = new Map(l.map((v) => [v, bary(v, down ? pred[v] : succ[v])] as const));
      l.sort((a, b) => key.get(a)! - key.get(b)! || a - b);
      l.forEach((v, k) => (pos[v] = k));
    }
  }
  // Coordinates: x by layer; y near the mean of the predecessors' centres, without overlaps.
  const widths = layers.map((l) => l.reduce((m, v) => Math.max(m, nodes[v].width), 0));
  const xs: number[] = [];
  let x = 0;
  for (let k = 0; k < depth; k++) {
    xs.push(x);
    x += widths[k] + layerGap;
  }
  const cy = new Float64Array(n);
  const out: Positions = {};
  for (let k = 0; k < depth; k++) {
    let bottom = -Infinity;
    const l = layers[k];
    const want = l.map((v) => {
      const ps = pred[v].filter((p) => layer[p] < k);
      return ps.length ? ps.reduce((s, p) => s + cy[p], 0) / ps.length : -Infinity;
    });
    for (let j = 0; j < l.length; j++) {
      const v = l[j];
      const h = nodes[v].height;
      let top = Number.isFinite(want[j]) ? want[j] - h / 2 : bottom + nodeGap;
      if (!Number.isFinite(top)) top = 0;
      if (top < bottom + nodeGap) top = bottom + nodeGap;
      cy[v] = top + h / 2;
      bottom = top + h;
      out[nodes[v].id] = { x: xs[k], y: top };
    }
  }
  return out;
}
