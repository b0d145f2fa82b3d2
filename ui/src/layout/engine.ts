/**
 * The layout interface: `layout(nodes, edges, previousPositions) -> positions`.
 *
 * The whole graph is laid out left to right off the main thread (ELK layered; dagre for very
 * large graphs), fed in a stable order. Nodes that were already drawn stay exactly where they
 * were; each new node is placed where the fresh layout put it, translated by the offset of its
 * nearest already-drawn node (its anchor), then nudged down until it overlaps nothing.
 */

export interface XY {
  x: number;
  y: number;
}
export type Positions = Record<string, XY>;

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  source: string;
  target: string;
}

export type EngineName = "elk" | "dagre" | "layered";
export type EngineChoice = EngineName | "auto";

export interface RawLayoutResult {
  positions: Positions;
  /** Time spent laying out (in the worker). */
  layoutMs: number;
  engine: EngineName;
}

export type RawLayout = (
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  engine: EngineChoice,
) => Promise<RawLayoutResult>;

/**
 * "auto" picks by size. Measured in the worker in headless Chromium on the 2-core development
 * machine (busy with other work, so absolute figures are high), on lineage answers of the
 * benchmark's synthetic pipeline graph, a fresh page each time (ELK cold):
 *
 * | nodes | ELK layered | dagre   | own layered |
 * |------:|------------:|--------:|------------:|
 * |    23 |     ~0.4 s  |  0.09 s |      2 ms   |
 * |    80 |  0.9–1.5 s  | 0.4–0.6 s |    2 ms   |
 * | 1,272 |      51 s   |   8.3 s |     23 ms   |
 * | 2,003 |          –  |   ~13 s |  25–100 ms  |
 *
 * (a warm ELK, on later layouts in the same page, is several times faster). So ELK draws the small graphs
 * it draws best, dagre the middle, and the own layered layout (no dummy nodes for long
 * edges) the large overviews.
 */
export const ELK_MAX_NODES = 100;
export const DAGRE_MAX_NODES = 250;

/** What "auto" draws a small graph with while ELK is cold (see `pickEngine`). */
export const COLD_ELK_STAND_IN: EngineName = "layered";

/**
 * The engine for a layout of `nodeCount` nodes. ELK's first layout in a page is slow (its
 * chunk to load and a cold engine: 1–2 s for 80 nodes, against ~0.1 s warm), so until one
 * has run (`elkWarm`), "auto" draws small graphs with `COLD_ELK_STAND_IN`; the page warms
 * ELK up once it is idle, and later layouts use it.
 */
export function pickEngine(nodeCount: number, choice: EngineChoice, elkWarm = true): EngineName {
  if (choice !== "auto") return choice;
  if (nodeCount <= ELK_MAX_NODES) return elkWarm ? "elk" : COLD_ELK_STAND_IN;
  return nodeCount <= DAGRE_MAX_NODES ? "dagre" : "layered";
}

/** Nodes by id, edges by (source, target): the same graph always gives the same input. */
export function stableOrder(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ids = new Set(nodes.map((n) => n.id));
  const seen = new Set<string>();
  const es: LayoutEdge[] = [];
  for (const e of edges) {
    const k = `${e.source}\u0000${e.target}`;
    if (ids.has(e.source) && ids.has(e.target) && !seen.has(k)) {
      seen.add(k);
      es.push({ source: e.source, target: e.target });
    }
  }
  return {
    nodes: [...nodes].sort((a, b) => cmp(a.id, b.id)),
    edges: es.sort((a, b) => cmp(a.source, b.source) || cmp(a.target, b.target)),
  };
}

const GAP = 12;

/** Keep old nodes pinned; move new ones relative to their anchor; avoid overlaps. */
export function placeIncrementally(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  fresh: Positions,
  previous: Positions,
): Positions {
  const old = nodes.filter((n) => previous[n.id] && fresh[n.id]);
  if (!old.length) {
    const out: Positions = {};
    for (const n of nodes) out[n.id] = fresh[n.id] ?? { x: 0, y: 0 };
    return out;
  }
  const out: Positions = {};
  for (const n of nodes) if (previous[n.id]) out[n.id] = { ...previous[n.id] };
  const fresh0 = (id: string) => fresh[id] ?? { x: 0, y: 0 };

  // Multi-source BFS from the old nodes: each new node's anchor is its nearest old node.
  const nb = new Map<string, string[]>();
  for (const e of edges) {
    (nb.get(e.source) ?? nb.set(e.source, []).get(e.source)!).push(e.target);
    (nb.get(e.target) ?? nb.set(e.target, []).get(e.target)!).push(e.source);
  }
  const anchor = new Map<string, string>();
  const order: string[] = [];
  const queue: string[] = [];
  for (const n of old) {
    anchor.set(n.id, n.id);
    queue.push(n.id);
  }
  for (let i = 0; i < queue.length; i++) {
    const cur = queue[i];
    for (const m of nb.get(cur) ?? []) {
      if (!anchor.has(m)) {
        anchor.set(m, anchor.get(cur)!);
        queue.push(m);
        order.push(m);
      }
    }
  }
  // Nodes not connected to any old node: shifted like the old nodes are on average.
  const dx = old.reduce((s, n) => s + previous[n.id].x - fresh0(n.id).x, 0) / old.length;
  const dy = old.reduce((s, n) => s + previous[n.id].y - fresh0(n.id).y, 0) / old.length;
  const size = new Map(nodes.map((n) => [n.id, n] as const));
  for (const n of nodes) if (!anchor.has(n.id)) order.push(n.id);

  // Spatial hash of occupied boxes.
  const CELL = 256;
  const grid = new Map<string, string[]>();
  const cells = (p: XY, n: LayoutNode) => {
    const keys: string[] = [];
    for (let cx = Math.floor(p.x / CELL); cx <= Math.floor((p.x + n.width) / CELL); cx++)
      for (let cy = Math.floor(p.y / CELL); cy <= Math.floor((p.y + n.height) / CELL); cy++)
        keys.push(`${cx},${cy}`);
    return keys;
  };
  const occupy = (id: string) => {
    const n = size.get(id)!;
    for (const k of cells(out[id], n)) (grid.get(k) ?? grid.set(k, []).get(k)!).push(id);
  };
  const overlaps = (p: XY, n: LayoutNode): boolean => {
    for (const k of cells(p, n)) {
      for (const other of grid.get(k) ?? []) {
        const q = out[other];
        const m = size.get(other)!;
        if (p.x < q.x + m.width + GAP && q.x < p.x + n.width + GAP && p.y < q.y + m.height + GAP && q.y < p.y + n.height + GAP)
          return true;
      }
    }
    return false;
  };
  for (const n of old) occupy(n.id);
  for (const id of order) {
    const n = size.get(id);
    if (!n || out[id]) continue;
    const a = anchor.get(id);
    const f = fresh0(id);
    const p =
      a !== undefined
        ? { x: f.x + previous[a].x - fresh0(a).x, y: f.y + previous[a].y - fresh0(a).y }
        : { x: f.x + dx, y: f.y + dy };
    let tries = 0;
    while (overlaps(p, n) && tries++ < 500) p.y += n.height + GAP;
    out[id] = p;
    occupy(id);
  }
  return out;
}

export interface LayoutResult extends RawLayoutResult {}

let workerLayout: RawLayout | null = null;

async function defaultRaw(): Promise<RawLayout> {
  if (!workerLayout) workerLayout = (await import("./workerClient")).layoutInWorker;
  return workerLayout;
}

/** Lay out a graph, keeping previously drawn nodes where they were. */
export async function layout(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  previousPositions: Positions,
  options: { engine?: EngineChoice; raw?: RawLayout } = {},
): Promise<LayoutResult> {
  const ordered = stableOrder(nodes, edges);
  const raw = options.raw ?? (await defaultRaw());
  const r = await raw(ordered.nodes, ordered.edges, options.engine ?? "auto");
  return { ...r, positions: placeIncrementally(ordered.nodes, ordered.edges, r.positions, previousPositions) };
}
