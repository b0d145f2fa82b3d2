import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useNodeRef } from "../api/nodeRef";
import { ErrorMessage } from "../components/ErrorMessage";
import { GraphCanvas, type Decorations } from "../components/GraphCanvas";
import { NodeActionsContext, type NodeActions } from "../components/nodes";
import { SidePanel } from "../components/SidePanel";
import { typeColor } from "../components/colors";
import { hiddenCounts } from "../graph/merge";
import { adjacency, closure, edgeKey, type Graph, type Side } from "../graph/model";
import { aggregateFanOut, collapseBranches, filterGraph, pathsBetween } from "../graph/transform";
import type { Positions } from "../layout/engine";
import { rememberVisit } from "../recent";
import { contextUrl, impactUrl, Link, lineageUrl, navigate } from "../router";
import {
  defaultLineageState,
  effectiveCap,
  MAX_HOPS,
  parseLineageSearch,
  serialiseLineageState,
  storeCap,
  type LineageState,
} from "../state/urlState";
import { useIngredients } from "./ingredientsData";
import { useLineageAnswer } from "./lineageData";

const FANOUT_LIMIT = 40;
/** Above this many drawn nodes, runs' ingredients are not drawn (nor asked for). */
const INGREDIENTS_LIMIT = 300;
const EMPTY_GRAPH: Graph = { nodes: [], edges: [] };

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export default function LineageView({ id, search }: { id: string; search: string }) {
  const st = useMemo(() => parseLineageSearch(search), [search]);
  const set = useCallback(
    (patch: Partial<LineageState>, opts: { replace?: boolean } = {}) =>
      navigate(lineageUrl(id, serialiseLineageState({ ...st, ...patch })), opts),
    [id, st],
  );
  const recentre = useCallback(
    (to: string) => {
      const next = { ...defaultLineageState(), up: st.up, down: st.down, fold: st.fold, hiddenKinds: st.hiddenKinds, hiddenTypes: st.hiddenTypes, cap: st.cap, engine: st.engine };
      navigate(lineageUrl(to, serialiseLineageState(next)));
    },
    [st],
  );

  const ref = useNodeRef(id);
  const kind = ref.data?.__typename;

  useEffect(() => {
    if (kind === "Context") navigate(contextUrl(id), { replace: true });
    if (ref.data && kind !== "Context")
      rememberVisit({ id, kind: kind === "Execution" ? "EXECUTION" : "ARTIFACT", name: ref.data.name, typeName: ref.data.typeName });
  }, [kind, id, ref.data]);

  const answer = useLineageAnswer(id, st, kind);

  const full = answer.data?.graph;
  const colKey = JSON.stringify(st.col);
  const hkKey = st.hiddenKinds.join(",") + (st.fold ? "|fold" : "");
  const htKey = JSON.stringify(st.hiddenTypes);
  const moreKey = JSON.stringify(st.more);

  const collapsed = useMemo(() => (full ? collapseBranches(full, id, st.col) : null), [full, id, colKey]);
  const hidden = useMemo(() => (collapsed ? hiddenCounts(collapsed) : undefined), [collapsed]);
  const drawn = useMemo(() => {
    if (!collapsed) return null;
    const hk = new Set(st.hiddenKinds);
    if (st.fold) hk.add("EXECUTION");
    const filtered = filterGraph(collapsed, { hiddenKinds: hk, hiddenTypes: new Set(st.hiddenTypes), keep: new Set([id]) });
    const more = new Map(st.more.map((m) => [`${m.side}:${m.id}`, m.n] as const));
    return aggregateFanOut(filtered, { limit: FANOUT_LIMIT, more, centre: id });
  }, [collapsed, hkKey, htKey, moreKey, id]);

  const graph: Graph | null = useMemo(() => (drawn ? { nodes: drawn.nodes, edges: drawn.edges, truncated: drawn.truncated } : null), [drawn]);
  const aggregates = drawn?.aggregates;

  // A node before each run that used a commit: one request for every run drawn.
  const [showIngredients, setShowIngredients] = useState(true);
  const { nodes: ingredients, fetching: ingredientsFetching } = useIngredients(
    graph, showIngredients && (graph?.nodes.length ?? 0) <= INGREDIENTS_LIMIT);

  const labels = useMemo(() => new Map((full?.nodes ?? []).map((n) => [n.id, n.name || n.uri || n.id] as const)), [full]);
  const labelOf = useCallback((x: string) => labels.get(x) ?? x, [labels]);

  // Highlighting: hover or selection shows the upstream and downstream closure; two picked nodes show the paths between them.
  const [hover, setHover] = useState<string | null>(null);
  const adj = useMemo(() => (graph ? adjacency(graph.edges) : null), [graph]);
  const decorations: Decorations | undefined = useMemo(() => {
    if (!graph || !adj) return undefined;
    const nodes = new Map<string, string>();
    const edges = new Map<string, string>();
    if (st.sel && st.sel2) {
      const p = pathsBetween(graph.edges, st.sel, st.sel2);
      for (const n of p.nodes) nodes.set(n, "hl-path");
      for (const e of p.edges) edges.set(e, "hl-path");
      nodes.set(st.sel, "hl-self selected");
      nodes.set(st.sel2, "hl-self selected");
      return { nodes, edges, dim: true };
    }
    const focus = hover ?? st.sel;
    if (!focus || !graph.nodes.some((n) => n.id === focus)) return { nodes, edges, dim: false };
    const up = closure(focus, adj.pred);
    const down = closure(focus, adj.succ);
    for (const n of up) nodes.set(n, "hl-up");
    for (const n of down) nodes.set(n, "hl-down");
    nodes.set(focus, focus === st.sel ? "hl-self selected" : "hl-self");
    if (st.sel && st.sel !== focus) nodes.set(st.sel, `${nodes.get(st.sel) ?? ""} selected`);
    for (const e of graph.edges) {
      if (up.has(e.source) && (e.target === focus || up.has(e.target))) edges.set(edgeKey(e), "hl-up");
      else if (down.has(e.target) && (e.source === focus || down.has(e.source))) edges.set(edgeKey(e), "hl-down");
    }
    return { nodes, edges, dim: true };
  }, [graph, adj, hover, st.sel, st.sel2]);

  const positionsRef = useRef<Positions>({});

  const actions: NodeActions = useMemo(
    () => ({
      expand: (node: string, side: Side) =>
        set({ exp: [...st.exp, { id: node, side }], col: st.col.filter((c) => !(c.id === node && c.side === side)) }),
      showMore: (owner: string, side: Side) => {
        const cur = st.more.find((m) => m.id === owner && m.side === side)?.n ?? FANOUT_LIMIT;
        set({ more: [...st.more.filter((m) => !(m.id === owner && m.side === side)), { id: owner, side, n: cur + FANOUT_LIMIT }] });
      },
      openHidden: (node: string) => recentre(node),
    }),
    [set, st, recentre],
  );

  const onNodeClick = useCallback(
    (node: string, shift: boolean) => {
      if (shift && st.sel && st.sel !== node) set({ sel2: node }, { replace: true });
      else set({ sel: node, sel2: null }, { replace: true });
    },
    [set, st.sel],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (!graph || !adj) return;
      if ((e.target as HTMLElement).tagName === "INPUT") return;
      const cur = st.sel ?? id;
      const pos = positionsRef.current;
      const y = (n: string) => pos[n]?.y ?? 0;
      const nearest = (list: string[]) => [...list].sort((a, b) => Math.abs(y(a) - y(cur)) - Math.abs(y(b) - y(cur)))[0];
      const real = (list: string[] | undefined) => (list ?? []).filter((n) => !n.startsWith("agg:"));
      let next: string | undefined;
      if (e.key === "ArrowLeft") next = nearest(real(adj.pred.get(cur)));
      else if (e.key === "ArrowRight") next = nearest(real(adj.succ.get(cur)));
      else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
        const sib = new Set<string>();
        for (const p of real(adj.pred.get(cur))) for (const s of real(adj.succ.get(p))) sib.add(s);
        for (const c of real(adj.succ.get(cur))) for (const s of real(adj.pred.get(c))) sib.add(s);
        if (sib.size <= 1) {
          const x = pos[cur]?.x ?? 0;
          for (const n of graph.nodes) if (Math.abs((pos[n.id]?.x ?? 0) - x) < 1) sib.add(n.id);
        }
        sib.add(cur);
        const sorted = [...sib].sort((a, b) => y(a) - y(b));
        const i = sorted.indexOf(cur);
        next = sorted[e.key === "ArrowUp" ? i - 1 : i + 1];
      } else if (e.key === "Enter" && st.sel && st.sel !== id) {
        recentre(st.sel);
        return;
      } else if (e.key === "Escape") {
        set({ sel: null, sel2: null }, { replace: true });
        return;
      } else return;
      e.preventDefault();
      if (next) set({ sel: next, sel2: null }, { replace: true });
    },
    [graph, adj, st.sel, id, set, recentre],
  );

  const typesInGraph = useMemo(() => {
    const m = new Map<string, { kind: string; count: number }>();
    for (const n of collapsed?.nodes ?? []) {
      const t = m.get(n.type) ?? { kind: n.kind, count: 0 };
      t.count++;
      m.set(n.type, t);
    }
    // Plain code-unit order: the first localeCompare of a page costs ~30 ms (collation data).
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...m.entries()].sort((a, b) => cmp(a[1].kind, b[1].kind) || cmp(a[0], b[0]));
  }, [collapsed]);

  const cap = effectiveCap(st, storage());
  const tooLarge = graph !== null && graph.nodes.length + (aggregates?.length ?? 0) > cap;
  // A failed guess is no error: show the lineage's error once the node's kind is confirmed.
  const error = ref.error ?? (ref.isSuccess ? answer.error : null);
  const maxDegree = full ? full.nodes.reduce((m, n) => Math.max(m, n.degree), 0) : 0;
  const hopSetter = (key: "up" | "down") => (v: number) => set({ [key]: Math.max(0, Math.min(MAX_HOPS, v)) });

  const toolbar = (
    <>
      <HopControl label="Upstream hops" value={st.up} onChange={hopSetter("up")} testid="hops-up" />
      <HopControl label="Downstream hops" value={st.down} onChange={hopSetter("down")} testid="hops-down" />
      <button onClick={() => set({ xall: st.xall + 1 })} title="Expand every node with undrawn neighbours by one hop">
        Expand all
      </button>
      <label className="toggle" title="Data-only view: executions folded into artifact → artifact edges">
        <input type="checkbox" checked={st.fold} onChange={(e) => set({ fold: e.target.checked })} data-testid="fold-toggle" /> Fold executions
      </label>
      <label className="toggle" title="A node before each run that used a versioned commit: its repository, commit and kinds">
        <input type="checkbox" checked={showIngredients} onChange={(e) => setShowIngredients(e.target.checked)} data-testid="ingredients-toggle" />{" "}
        Ingredients
      </label>
    </>
  );

  return (
    <div className="lineage-view">
      <div className="view-head">
        <h2>
          Lineage of{" "}
          <span className="centre-name" data-testid="centre-name">
            {ref.data ? ref.data.name || ref.data.id : id}
          </span>{" "}
          {ref.data && <span className="muted">({ref.data.typeName})</span>}
        </h2>
        <div className="head-links">
          <button onClick={() => window.history.back()} title="Back">
            ←
          </button>
          <button onClick={() => window.history.forward()} title="Forward">
            →
          </button>
          {kind === "Artifact" && <Link to={impactUrl(id)}>Impact analysis</Link>}
          <span className="hop-help" data-testid="hop-help">
            One hop is one edge — artifact → execution or execution → artifact — exactly as the API's <code>maxHops</code>.
          </span>
        </div>
      </div>
      {error && <ErrorMessage error={error} />}
      {ref.isSuccess && !ref.data && !answer.error && !answer.isFetching && <p className="muted">No node has the id {id}.</p>}
      {full?.truncated && (
        <div className="notice" data-testid="truncated-notice">
          The answer was cut by the server's node cap: it kept the {full.nodes.length} nearest nodes (up to {maxDegree} hops). Nodes
          farther away, and some at the last hop, are not drawn — use fewer hops or expand single nodes.
        </div>
      )}
      {!(error && !graph) && (
      <div className="lineage-body">
        <div className="filters">
          <h4>Show</h4>
          {(["ARTIFACT", "EXECUTION"] as const).map((k) => (
            <label key={k}>
              <input
                type="checkbox"
                checked={!st.hiddenKinds.includes(k) && !(k === "EXECUTION" && st.fold)}
                onChange={(e) =>
                  set({
                    hiddenKinds: e.target.checked ? st.hiddenKinds.filter((x) => x !== k) : [...st.hiddenKinds, k],
                    ...(k === "EXECUTION" && e.target.checked ? { fold: false } : {}),
                  })
                }
              />{" "}
              {k === "ARTIFACT" ? "Artifacts" : "Executions"}
            </label>
          ))}
          <h4>Types</h4>
          {typesInGraph.map(([t, info]) => (
            <label key={t} className="type-filter">
              <input
                type="checkbox"
                checked={!st.hiddenTypes.includes(t)}
                onChange={(e) => set({ hiddenTypes: e.target.checked ? st.hiddenTypes.filter((x) => x !== t) : [...st.hiddenTypes, t] })}
              />{" "}
              <span className="swatch" style={{ background: typeColor(t) }} />
              {t} <span className="muted">{info.count}</span>
            </label>
          ))}
          <p className="muted small">Hidden nodes are bridged by dashed edges, so connectivity is kept.</p>
          <div className="legend">
            <h4>Legend</h4>
            <div>
              <span className="lg lg-up" /> upstream of the focus
            </div>
            <div>
              <span className="lg lg-down" /> downstream of the focus
            </div>
            <div>
              <span className="lg lg-path" /> paths between two picked nodes (shift-click)
            </div>
            <p className="muted small">Keys: ← upstream, → downstream, ↑/↓ siblings, Enter re-centre, Esc clear.</p>
          </div>
        </div>
        <div className="canvas-wrap">
          {tooLarge ? (
            <div className="too-large" data-testid="too-large">
              <h3>The graph is too large to draw</h3>
              <p>
                {graph!.nodes.length} nodes exceed the cap of {cap}. Narrow it down instead of freezing the browser:
              </p>
              <div className="side-actions">
                <button onClick={() => set({ up: Math.min(st.up, 1), down: Math.min(st.down, 1) })}>Fewer hops (1)</button>
                {!st.fold && <button onClick={() => set({ fold: true })}>Fold executions</button>}
                <button
                  onClick={() => {
                    const n = Math.ceil((graph!.nodes.length + 1) / 1000) * 1000;
                    storeCap(n);
                    set({ cap: n });
                  }}
                >
                  Draw anyway (raise the cap)
                </button>
              </div>
              <p className="muted">Or hide types in the filter list on the left.</p>
            </div>
          ) : graph || !error ? (
            // Mounted before the first answer (with no nodes), so that setting the canvas up
            // overlaps the request instead of following it.
            <NodeActionsContext.Provider value={actions}>
              <GraphCanvas
                graph={graph ?? EMPTY_GRAPH}
                loadingText="Loading lineage…"
                aggregates={aggregates}
                ingredients={ingredients}
                hidden={hidden}
                labelOf={labelOf}
                centre={id}
                decorations={decorations}
                loading={answer.isFetching || ingredientsFetching}
                fetchMs={answer.data?.fetchMs}
                onNodeClick={onNodeClick}
                onNodeHover={setHover}
                onPaneClick={() => st.sel && set({ sel: null, sel2: null }, { replace: true })}
                onKeyDown={onKeyDown}
                positionsRef={positionsRef}
                toolbar={toolbar}
                exportName={`lineage-${id}`}
                focus={st.sel}
                engine={st.engine ?? "auto"}
                resetKey={`${hkKey}|${htKey}|${colKey}`}
              />
            </NodeActionsContext.Provider>
          ) : null}
        </div>
        {st.sel && !st.sel.startsWith("agg:") && (
          <SidePanel
            key={st.sel}
            id={st.sel}
            isCentre={st.sel === id}
            onClose={() => set({ sel: null, sel2: null }, { replace: true })}
            onRecentre={recentre}
            onSelect={(n) => (graph?.nodes.some((x) => x.id === n) ? set({ sel: n }, { replace: true }) : recentre(n))}
            onExpand={(side) => actions.expand?.(st.sel!, side)}
            onCollapse={(side) => set({ col: [...st.col.filter((c) => !(c.id === st.sel && c.side === side)), { id: st.sel!, side }] })}
          />
        )}
      </div>
      )}
      {st.sel2 && (
        <div className="notice small">
          Highlighting every path between the two picked nodes. <button onClick={() => set({ sel2: null }, { replace: true })}>Clear</button>
        </div>
      )}
    </div>
  );
}

function HopControl({ label, value, onChange, testid }: { label: string; value: number; onChange: (v: number) => void; testid: string }) {
  return (
    <span className="hop-control" data-testid={testid}>
      <span>{label}</span>
      <button onClick={() => onChange(value - 1)} disabled={value <= 0} aria-label={`${label} minus one`}>
        −
      </button>
      <span className="hop-value">{value}</span>
      <button onClick={() => onChange(value + 1)} disabled={value >= MAX_HOPS} aria-label={`${label} plus one`}>
        +
      </button>
    </span>
  );
}
