/**
 * Large graphs (hundreds to thousands of nodes) bypass React Flow's per-node machinery
 * (a wrapper, store subscriptions and a measuring pass per node): the nodes are plain
 * positioned elements and the edges one SVG path per highlight class, both inside React
 * Flow's viewport, so pan and zoom stay React Flow's. Nodes keep React Flow's class and
 * `data-id` attribute.
 */
import { memo, useCallback, useEffect, useMemo, useRef, type MouseEvent } from "react";
import { EdgeLabelRenderer, useReactFlow, useStore, type Node } from "@xyflow/react";
import { edgeKey, type GEdge } from "../graph/model";
import type { Positions } from "../layout/engine";
import { typeColor } from "./colors";
import { AggregateBody, LineageNodeBody, type AggregateNodeData, type LineageNodeData } from "./nodes";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function boundsOf(nodes: readonly Node[]): Box {
  if (!nodes.length) return { x: 0, y: 0, width: 1, height: 1 };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of nodes) {
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + (n.width ?? 0));
    y1 = Math.max(y1, n.position.y + (n.height ?? 0));
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const BigNode = memo(function BigNode({ node, detail }: { node: Node; detail: boolean }) {
  const agg = node.type === "aggregate";
  const data = node.data as LineageNodeData;
  const base = `react-flow__node react-flow__node-${node.type} big-node ${node.className ?? ""}`;
  const transform = `translate(${node.position.x}px, ${node.position.y}px)`;
  if (!detail) {
    // Zoomed far out: one bare coloured box per node, the fewest elements and styles to lay out.
    const kind = agg ? "aggregate" : String(data.kind).toLowerCase();
    return (
      <div
        className={`${base} big-bare big-bare-${kind}`}
        data-id={node.id}
        style={{ transform, width: node.width, height: node.height, background: agg ? "#999" : typeColor(String(data.type)) }}
      />
    );
  }
  return (
    <div className={base} data-id={node.id} style={{ transform, width: node.width, height: node.height }}>
      {agg ? <AggregateBody data={node.data as AggregateNodeData} handles={false} /> : <LineageNodeBody id={node.id} data={data} handles={false} />}
    </div>
  );
});

export interface BigNodeLayerProps {
  nodes: Node[];
  /** False when zoomed far out: bare boxes only. */
  detail: boolean;
  onNodeClick?: (id: string, shift: boolean) => void;
  onNodeHover?: (id: string | null) => void;
}

export const BigNodeLayer = memo(function BigNodeLayer({ nodes, detail, onNodeClick, onNodeHover }: BigNodeLayerProps) {
  const idOf = (e: MouseEvent) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>(".big-node");
    return el && !el.classList.contains("react-flow__node-aggregate") ? el.dataset.id ?? null : null;
  };
  return (
    <EdgeLabelRenderer>
      <div
        className="big-nodes"
        onClick={(e) => {
          const id = idOf(e);
          if (id && !(e.target as HTMLElement).closest("button, input")) onNodeClick?.(id, e.shiftKey);
        }}
        onMouseOver={(e) => onNodeHover?.(idOf(e))}
        onMouseLeave={() => onNodeHover?.(null)}
      >
        {nodes.map((n) => (
          <BigNode key={n.id} node={n} detail={detail} />
        ))}
      </div>
    </EdgeLabelRenderer>
  );
});

export interface EdgeLayerProps {
  edges: readonly GEdge[];
  nodes: readonly Node[];
  classes?: Map<string, string>;
}

/** Every edge drawn by one SVG path per class, under the nodes. */
export const EdgeLayer = memo(function EdgeLayer({ edges, nodes, classes }: EdgeLayerProps) {
  const paths = useMemo(() => {
    const at = new Map(nodes.map((n) => [n.id, n] as const));
    const groups = new Map<string, string[]>();
    // Whole pixels: thousands of edges, and toFixed is several times slower than rounding.
    const f = Math.round;
    for (const e of edges) {
      const s = at.get(e.source);
      const t = at.get(e.target);
      if (!s || !t) continue;
      const sx = s.position.x + (s.width ?? 0);
      const sy = s.position.y + (s.height ?? 0) / 2;
      const tx = t.position.x;
      const ty = t.position.y + (t.height ?? 0) / 2;
      const dx = Math.max(20, (tx - sx) / 2);
      const key = [e.kind === "BRIDGE" ? "edge-bridge" : e.kind === "AGGREGATE" ? "edge-aggregate" : "", classes?.get(edgeKey(e)) ?? ""]
        .join(" ")
        .trim();
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(`M${f(sx)},${f(sy)}C${f(sx + dx)},${f(sy)} ${f(tx - dx)},${f(ty)} ${f(tx)},${f(ty)}`);
    }
    return [...groups.entries()].sort((a, b) => (a[0] ? 1 : 0) - (b[0] ? 1 : 0));
  }, [edges, nodes, classes]);
  return (
    <EdgeLabelRenderer>
      <svg className="edge-layer" width={1} height={1}>
        {paths.map(([cls, ds]) => (
          <path key={cls || "plain"} className={`edge-path ${cls}`} d={ds.join("")} />
        ))}
      </svg>
    </EdgeLabelRenderer>
  );
});

const MINI_W = 150;
const MINI_H = 96;

/** A minimap drawn on a canvas (React Flow's draws an element per node); click to pan there. */
export function BigMiniMap({ nodes, positions }: { nodes: readonly Node[]; positions: Positions }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const flow = useReactFlow();
  const transform = useStore((s) => s.transform);
  const size = useStore((s) => [s.width, s.height] as const, (a, b) => a[0] === b[0] && a[1] === b[1]);
  const box = useMemo(() => boundsOf(nodes as Node[]), [nodes]);
  const scale = Math.min(MINI_W / box.width, MINI_H / box.height) * 0.92;
  const ox = (MINI_W - box.width * scale) / 2;
  const oy = (MINI_H - box.height * scale) / 2;
  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, MINI_W, MINI_H);
    for (const n of nodes) {
      const p = positions[n.id] ?? n.position;
      const d = n.data as Partial<LineageNodeData>;
      ctx.fillStyle = d.type ? typeColor(d.type) : "#999";
      ctx.fillRect(ox + (p.x - box.x) * scale, oy + (p.y - box.y) * scale, Math.max(1, (n.width ?? 0) * scale), Math.max(1, (n.height ?? 0) * scale));
    }
    const [tx, ty, zoom] = transform;
    ctx.strokeStyle = "#1d2430";
    ctx.lineWidth = 1;
    ctx.strokeRect(ox + (-tx / zoom - box.x) * scale, oy + (-ty / zoom - box.y) * scale, (size[0] / zoom) * scale, (size[1] / zoom) * scale);
  }, [nodes, positions, transform, size, box, scale, ox, oy]);
  const onClick = useCallback(
    (e: MouseEvent<HTMLCanvasElement>) => {
      const r = e.currentTarget.getBoundingClientRect();
      const x = (e.clientX - r.left - ox) / scale + box.x;
      const y = (e.clientY - r.top - oy) / scale + box.y;
      flow.setCenter(x, y, { zoom: flow.getViewport().zoom, duration: 150 });
    },
    [flow, box, scale, ox, oy],
  );
  return <canvas ref={canvas} className="big-minimap react-flow__minimap" width={MINI_W} height={MINI_H} onClick={onClick} />;
}
