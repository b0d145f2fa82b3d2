/** The layout algorithms themselves; run inside the layout worker. */
import "./elkShim";
import type ELKType from "elkjs/lib/elk.bundled.js";
import dagre from "@dagrejs/dagre";
import { layeredLayout } from "./layered";
import type { EngineName, LayoutEdge, LayoutNode, Positions } from "./engine";

// ELK is large (1.4 MB): its own chunk, loaded on first use or when the page is idle, never
// while a first answer is on its way (the parse would compete with the server for the CPU).
let elkModule: Promise<{ default: typeof ELKType }> | null = null;
let elk: InstanceType<typeof ELKType> | null = null;

export async function elkLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Promise<Positions> {
  if (!elk) {
    elkModule ??= import("elkjs/lib/elk.bundled.js");
    const ELK = (await elkModule).default;
    elk ??= new ELK();
  }
  const graph = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": "18",
      "elk.layered.spacing.nodeNodeBetweenLayers": "56",
      "elk.spacing.componentComponent": "40",
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.layered.thoroughness": "3",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      "elk.edgeRouting": "POLYLINE",
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
  const out: Positions = {};
  for (const c of graph.children ?? []) out[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return out;
}

export function dagreLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 14, ranksep: 56, ranker: "longest-path" });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out: Positions = {};
  for (const n of nodes) {
    const p = g.node(n.id);
    out[n.id] = { x: (p?.x ?? 0) - n.width / 2, y: (p?.y ?? 0) - n.height / 2 };
  }
  return out;
}

export async function compute(engine: EngineName, nodes: LayoutNode[], edges: LayoutEdge[]): Promise<Positions> {
  if (engine === "layered") return layeredLayout(nodes, edges);
  return engine === "dagre" ? dagreLayout(nodes, edges) : elkLayout(nodes, edges);
}
