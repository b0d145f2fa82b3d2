import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MutableRefObject, type ReactNode } from "react";
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  getViewportForBounds,
  useReactFlow,
  type Edge,
  type Node,
  type NodeMouseHandler,
  type Viewport,
} from "@xyflow/react";
import { edgeKey, type AggregateNode, type GEdge, type Graph } from "../graph/model";
import type { Hidden } from "../graph/merge";
import { layout, type EngineChoice, type Positions } from "../layout/engine";
import { BigMiniMap, BigNodeLayer, boundsOf, EdgeLayer } from "./BigGraph";
import { typeColor } from "./colors";
import type { IngredientsNode } from "../graph/ingredients";
import { NODE_SIZE, nodeTypes, type AggregateNodeData, type IngredientsNodeData, type LineageNodeData } from "./nodes";

export interface Timings {
  fetchMs: number;
  layoutMs: number;
  renderMs: number;
  engine: string;
}

declare global {
  interface Window {
    __lineageTimings?: Timings;
  }
}

export interface Decorations {
  nodes: Map<string, string>;
  edges: Map<string, string>;
  dim: boolean;
}

export interface GraphCanvasProps {
  graph: Graph;
  aggregates?: AggregateNode[];
  /** The commits runs used, each drawn before its run (which must be in `graph`). */
  ingredients?: IngredientsNode[];
  hidden?: Map<string, Hidden>;
  labelOf?: (id: string) => string;
  centre?: string | null;
  decorations?: Decorations;
  /** The data behind the graph is still loading. */
  loading?: boolean;
  /** What the canvas says while `loading`. */
  loadingText?: string;
  fetchMs?: number;
  onNodeClick?: (id: string, shift: boolean) => void;
  onNodeHover?: (id: string | null) => void;
  onPaneClick?: () => void;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  positionsRef?: MutableRefObject<Positions>;
  toolbar?: ReactNode;
  exportName?: string;
  /** Recentre the viewport on this node when it changes. */
  focus?: string | null;
  engine?: EngineChoice;
  /** A different view of the data (filters, folding): lay out afresh instead of pinning. */
  resetKey?: string;
}

interface Snapshot {
  graph: Graph;
  aggregates: AggregateNode[];
  ingredients: IngredientsNode[];
  hidden?: Map<string, Hidden>;
  positions: Positions;
  receivedAt: number;
  layoutMs: number;
  engine: string;
  /** Nodes not in the previous picture. */
  added: string[];
  /** The first picture's fitted viewport, worked out before its nodes are in the DOM. */
  fit: Viewport | null;
}

const NONE: Node[] = [];
const NO_AGGREGATES: AggregateNode[] = [];
const NO_INGREDIENTS: IngredientsNode[] = [];
const LOW_ZOOM = 0.45;
const TINY_ZOOM = 0.15;
/** Minimal node style when zoomed out: names only, then bare boxes. */
const zoomClassOf = (zoom: number) => (zoom < TINY_ZOOM ? " zoom-low zoom-tiny" : zoom < LOW_ZOOM ? " zoom-low" : "");
/** Above this many nodes: nodes without handles and all edges in one SVG layer. */
const BIG = 300;

function sizeOf(kind: string) {
  return kind === "EXECUTION" ? NODE_SIZE.EXECUTION : kind === "AGGREGATE" ? NODE_SIZE.AGGREGATE : NODE_SIZE.ARTIFACT;
}

function Canvas(props: GraphCanvasProps) {
  const { graph, aggregates = NO_AGGREGATES, ingredients = NO_INGREDIENTS, hidden, decorations, fetchMs = 0 } = props;
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [ready, setReady] = useState(false);
  const [layoutError, setLayoutError] = useState<string | null>(null);
  const [zoomClass, setZoomClass] = useState("");
  const positions = useRef<Positions>({});
  const fitted = useRef(false);
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const lastReset = useRef(props.resetKey);

  // Lay out whenever the drawn graph changes; the previous picture stays until then.
  useEffect(() => {
    let stale = false;
    setReady(false);
    if (lastReset.current !== props.resetKey) {
      lastReset.current = props.resetKey;
      positions.current = {};
      fitted.current = false;
    }
    const lnodes = [
      ...graph.nodes.map((n) => ({ id: n.id, ...sizeOf(n.kind) })),
      ...aggregates.map((a) => ({ id: a.id, ...NODE_SIZE.AGGREGATE })),
      ...ingredients.map((i) => ({ id: i.id, ...NODE_SIZE.INGREDIENTS })),
    ];
    const ledges = ingredients.length ? [...graph.edges, ...ingredients.map((i) => ({ source: i.id, target: i.run }))] : graph.edges;
    // Nothing to lay out (a view waiting for its first answer): no trip to the worker.
    const laidOut = lnodes.length
      ? layout(lnodes, ledges, positions.current, { engine: props.engine ?? "auto" })
      : Promise.resolve({ positions: {} as Positions, layoutMs: 0, engine: "none" });
    laidOut
      .then((r) => {
        if (stale) return;
        const had = positions.current;
        const added = Object.keys(had).length ? lnodes.map((n) => n.id).filter((id) => !had[id]) : [];
        positions.current = r.positions;
        if (props.positionsRef) props.positionsRef.current = r.positions;
        setLayoutError(null);
        let fit: Viewport | null = null;
        if (!fitted.current) {
          // Fit now, while the canvas is empty: measuring it once thousands of nodes are in
          // would force a style and layout pass over all of them. The first render then also
          // has the right level of detail.
          const el = wrapper.current?.querySelector(".react-flow");
          if (el) {
            const { width, height } = el.getBoundingClientRect();
            const box = boundsOf(lnodes.map((n) => ({ id: n.id, position: r.positions[n.id] ?? { x: 0, y: 0 }, width: n.width, height: n.height, data: {} })));
            fit = getViewportForBounds(box, width, height, lnodes.length > 200 ? 0.02 : 0.3, 1.2, 0.12);
            setZoomClass(zoomClassOf(fit.zoom));
          }
        }
        setSnap({ graph, aggregates, ingredients, hidden, positions: r.positions, receivedAt: performance.now(), layoutMs: r.layoutMs, engine: r.engine, added, fit });
      })
      .catch((e: unknown) => {
        if (!stale) setLayoutError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      stale = true;
    };
  }, [graph, aggregates, ingredients, hidden, props.engine]);

  // Before the laid-out graph is painted: fit it (first time) or reveal new nodes.
  useLayoutEffect(() => {
    if (!snap) return;
    const el = wrapper.current?.querySelector(".react-flow");
    if (!fitted.current && snap.graph.nodes.length) {
      fitted.current = true;
      if (snap.fit) void flow.setViewport(snap.fit);
      else fitAll(1.2, 0);
    } else if (snap.added.length && el) {
      // New nodes off screen: zoom out (never in) just enough to show everything; nothing moves.
      const vp = flow.getViewport();
      const { width, height } = el.getBoundingClientRect();
      const off = snap.added.some((id) => {
        const p = snap.positions[id];
        if (!p) return false;
        const sx = p.x * vp.zoom + vp.x;
        const sy = p.y * vp.zoom + vp.y;
        return sx < 0 || sy < 0 || sx + 150 * vp.zoom > width || sy + 50 * vp.zoom > height;
      });
      if (off) fitAll(vp.zoom, 200);
    }
    setZoomClass(zoomClassOf(flow.getViewport().zoom));
  }, [snap]);

  // After it is painted: mark ready, publish timings.
  useEffect(() => {
    if (!snap) return;
    let cancelled = false;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (cancelled) return;
        window.__lineageTimings = {
          fetchMs,
          layoutMs: Math.round(snap.layoutMs * 10) / 10,
          renderMs: Math.round((performance.now() - snap.receivedAt) * 10) / 10,
          engine: snap.engine,
        };
        setReady(true);
        // The first picture is up: ELK (small graphs' engine) can load now.
        if (snap.graph.nodes.length) void import("../layout/workerClient").then((m) => m.prewarmWhenIdle());
      }),
    );
    return () => {
      cancelled = true;
    };
  }, [snap]);

  useEffect(() => {
    if (!props.focus || !snap) return;
    const p = snap.positions[props.focus];
    if (!p) return;
    const vp = flow.getViewport();
    const el = document.querySelector(".react-flow");
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    const sx = p.x * vp.zoom + vp.x;
    const sy = p.y * vp.zoom + vp.y;
    if (sx < 0 || sy < 0 || sx > width - 100 || sy > height - 40) {
      flow.setCenter(p.x + 90, p.y + 25, { zoom: vp.zoom, duration: 200 });
    }
  }, [props.focus]);

  const big = (snap?.graph.nodes.length ?? 0) > BIG;

  /** Fit the whole drawn graph (at most maxZoom). */
  const fitAll = (maxZoom: number, duration: number) => {
    const el = wrapper.current?.querySelector(".react-flow");
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    const minZoom = baseNodesRef.current.length > 200 ? 0.02 : 0.3;
    const vp = getViewportForBounds(boundsOf(baseNodesRef.current), width, height, minZoom, maxZoom, 0.12);
    void flow.setViewport(vp, { duration });
  };

  // Node objects only change when the layout does, or when their own highlight does, so
  // React Flow re-renders just those nodes (dimming the rest is a class on the canvas).
  const baseNodes: Node[] = useMemo(() => {
    if (!snap) return [];
    const out: Node[] = snap.graph.nodes.map((n) => {
      const h = snap.hidden?.get(n.id);
      const data: LineageNodeData = {
        kind: n.kind,
        type: n.type,
        name: n.name || n.uri || n.id,
        state: n.state ?? null,
        hiddenUp: h?.up ?? 0,
        hiddenDown: h?.down ?? 0,
        centre: n.id === props.centre,
      };
      const size = sizeOf(n.kind);
      return {
        id: n.id,
        type: "lineage",
        position: snap.positions[n.id] ?? { x: 0, y: 0 },
        data,
        width: size.width,
        height: size.height,
        draggable: false,
        connectable: false,
      };
    });
    const label = props.labelOf ?? ((id: string) => id);
    for (const a of snap.aggregates) {
      const data: AggregateNodeData = {
        owner: a.owner,
        side: a.side,
        label: aggregateLabel(a, snap.graph),
        hidden: a.hiddenIds.map((id) => ({ id, label: label(id) })),
      };
      out.push({
        id: a.id,
        type: "aggregate",
        position: snap.positions[a.id] ?? { x: 0, y: 0 },
        data,
        width: NODE_SIZE.AGGREGATE.width,
        height: NODE_SIZE.AGGREGATE.height,
        draggable: false,
        connectable: false,
      });
    }
    for (const i of snap.ingredients) {
      const data: IngredientsNodeData = { ingredients: i };
      out.push({
        id: i.id,
        type: "ingredients",
        position: snap.positions[i.id] ?? { x: 0, y: 0 },
        data,
        width: NODE_SIZE.INGREDIENTS.width,
        height: NODE_SIZE.INGREDIENTS.height,
        draggable: false,
        connectable: false,
      });
    }
    return out;
  }, [snap, props.centre, props.labelOf]);

  const baseNodesRef = useRef<Node[]>([]);
  baseNodesRef.current = baseNodes;

  const nodes: Node[] = useMemo(() => {
    const cls = decorations?.nodes;
    if (!cls?.size) return baseNodes;
    return baseNodes.map((n) => {
      const c = cls.get(n.id);
      return c ? { ...n, className: c } : n;
    });
  }, [baseNodes, decorations]);

  const edges: Edge[] = useMemo(() => {
    if (!snap || big) return [];
    const cls = decorations?.edges;
    const drawn: Edge[] = snap.graph.edges.map((e: GEdge) => {
      const k = edgeKey(e);
      const c = cls?.get(k);
      return {
        id: k,
        source: e.source,
        target: e.target,
        type: "default",
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        className: [`edge-${(e.kind ?? "INPUT").toLowerCase()}`, c].filter(Boolean).join(" "),
        selectable: false,
      };
    });
    for (const i of snap.ingredients) {
      drawn.push({
        id: `${i.id}->${i.run}`,
        source: i.id,
        target: i.run,
        type: "default",
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        className: "edge-ingredients",
        selectable: false,
      });
    }
    return drawn;
  }, [snap, decorations, big]);

  const onMove = useCallback((_: unknown, vp: Viewport) => setZoomClass(zoomClassOf(vp.zoom)), []);
  const onNodeClick: NodeMouseHandler = useCallback(
    (ev, node) => {
      if (node.type === "aggregate" || node.type === "ingredients") return;
      props.onNodeClick?.(node.id, ev.shiftKey);
    },
    [props.onNodeClick],
  );
  const onEnter: NodeMouseHandler = useCallback(
    (_, n) => props.onNodeHover?.(n.type === "aggregate" || n.type === "ingredients" ? null : n.id),
    [props.onNodeHover],
  );
  const onLeave: NodeMouseHandler = useCallback(() => props.onNodeHover?.(null), [props.onNodeHover]);

  const exportImage = async (format: "png" | "svg") => {
    const el = document.querySelector<HTMLElement>(".react-flow__viewport");
    if (!el) return;
    const bounds = boundsOf(baseNodesRef.current);
    const width = Math.min(4000, Math.max(800, bounds.width + 80));
    const height = Math.min(4000, Math.max(500, bounds.height + 80));
    const vp = getViewportForBounds(bounds, width, height, 0.05, 2, 0.05);
    const opts = {
      backgroundColor: "#ffffff",
      width,
      height,
      style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
    };
    const { toPng, toSvg } = await import("html-to-image");
    const url = format === "png" ? await toPng(el, opts) : await toSvg(el, opts);
    const a = document.createElement("a");
    a.href = url;
    a.download = `${props.exportName ?? "lineage"}.${format}`;
    a.click();
  };

  // Ready once the layout is of what is drawn now: the graph and its ingredients nodes.
  const layoutState = ready && !props.loading && snap?.graph === graph && snap.ingredients === ingredients ? "ready" : "pending";
  const drawnNodes = snap ? snap.graph.nodes.length + snap.aggregates.length : 0;
  return (
    <div
      ref={wrapper}
      className={`canvas${zoomClass}${big ? " big" : ""}${decorations?.dim ? " dimmed" : ""}`}
      data-testid="lineage-canvas"
      data-layout={layoutState}
      data-node-count={drawnNodes}
      data-edge-count={snap ? snap.graph.edges.length : 0}
      tabIndex={0}
      onKeyDown={props.onKeyDown}
    >
      <div className="canvas-toolbar">
        {props.toolbar}
        <span className="spacer" />
        <button onClick={() => fitAll(1.2, 200)} title="Fit the whole graph in view">
          Fit
        </button>
        <button onClick={() => void exportImage("png")} title="Download the drawn graph as PNG">
          PNG
        </button>
        <button onClick={() => void exportImage("svg")} title="Download the drawn graph as SVG">
          SVG
        </button>
      </div>
      {layoutState === "pending" && (
        <div className="canvas-busy">{props.loading ? props.loadingText ?? "Loading…" : snap ? "Updating layout…" : "Laying out…"}</div>
      )}
      {layoutError && <div className="error">Layout failed: {layoutError}</div>}
      <ReactFlow
        nodes={big ? NONE : nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={onNodeClick}
        onNodeMouseEnter={onEnter}
        onNodeMouseLeave={onLeave}
        onPaneClick={props.onPaneClick}
        onMove={onMove}
        onlyRenderVisibleElements={big}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        minZoom={0.02}
        maxZoom={2.5}
        proOptions={{ hideAttribution: true }}
      >
        {big && snap && <EdgeLayer edges={snap.graph.edges} nodes={baseNodes} classes={decorations?.edges} />}
        {big && <BigNodeLayer nodes={nodes} detail={!zoomClass.includes("zoom-tiny")} onNodeClick={props.onNodeClick} onNodeHover={props.onNodeHover} />}
        {big && snap && <BigMiniMap nodes={baseNodes} positions={snap.positions} />}
        <Background gap={24} />
        <Controls showInteractive={false} showFitView={!big} />
        {!big && <MiniMap pannable zoomable style={{ width: 150, height: 96 }} nodeColor={(n) => (n.type === "aggregate" ? "#999" : n.type === "ingredients" ? "#7a5af8" : typeColor((n.data as LineageNodeData).type))} />}
      </ReactFlow>
    </div>
  );
}

export function aggregateLabel(a: AggregateNode, graph: Graph): string {
  const owner = graph.nodes.find((n) => n.id === a.owner);
  const what =
    owner?.kind === "EXECUTION" ? (a.side === "down" ? "outputs" : "inputs") : a.side === "down" ? "consumers" : "producers";
  return `${a.shown} of ${a.total} ${what}`;
}

export function GraphCanvas(props: GraphCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
