import { useEffect, useMemo, useState } from "react";
import { useNodeRef } from "../api/nodeRef";
import { ErrorMessage } from "../components/ErrorMessage";
import { GraphCanvas, type Decorations } from "../components/GraphCanvas";
import { typeColor } from "../components/colors";
import type { Graph } from "../graph/model";
import { aggregateFanOut } from "../graph/transform";
import { rememberVisit } from "../recent";
import { contextUrl, Link, lineageUrl, navigate } from "../router";
import { useImpact, useImpactGraph } from "./impactData";

interface Row {
  id: string;
  kind: string;
  type: string;
  name: string;
  degree: number;
  state: string;
  link: string;
}

type SortKey = "kind" | "type" | "name" | "degree" | "id";

export default function ImpactView({ id }: { id: string }) {
  const ref = useNodeRef(id);
  const impact = useImpact(id);
  const dag = useImpactGraph(id);
  useEffect(() => {
    if (ref.data) rememberVisit({ id, kind: "ARTIFACT", name: ref.data.name, typeName: ref.data.typeName });
  }, [ref.data, id]);

  const rows: Row[] = useMemo(() => {
    const d = impact.data;
    if (!d) return [];
    return [
      ...d.nodes.map((n) => ({
        id: n.id,
        kind: n.kind,
        type: n.type,
        name: n.name ?? "",
        degree: n.degree,
        state: n.state ?? "",
        link: lineageUrl(n.id),
      })),
      ...d.contexts.map((c) => ({
        id: c.id,
        kind: "CONTEXT",
        type: c.type,
        name: c.name,
        degree: c.degree,
        state: c.direct ? `${c.affectedMembers} affected members` : "ancestor",
        link: contextUrl(c.id),
      })),
    ];
  }, [impact.data]);

  const [text, setText] = useState("");
  const [kind, setKind] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "degree", desc: false });
  const shown = useMemo(() => {
    const t = text.toLowerCase();
    const out = rows.filter(
      (r) => (!kind || r.kind === kind) && (!t || `${r.name} ${r.type} ${r.id}`.toLowerCase().includes(t)),
    );
    out.sort((a, b) => {
      const va = a[sort.key];
      const vb = b[sort.key];
      const c = typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
      return sort.desc ? -c : c;
    });
    return out;
  }, [rows, text, kind, sort]);

  const graph: Graph | null = dag.data?.graph ?? null;
  const agg = useMemo(() => (graph ? aggregateFanOut(graph, { centre: id }) : null), [graph, id]);
  const drawn = useMemo(() => (agg ? { nodes: agg.nodes, edges: agg.edges, truncated: agg.truncated } : null), [agg]);
  const decorations: Decorations | undefined = useMemo(() => {
    if (!drawn || !impact.data) return undefined;
    const affected = new Set(impact.data.nodes.map((n) => n.id));
    const nodes = new Map<string, string>();
    for (const n of drawn.nodes) if (affected.has(n.id)) nodes.set(n.id, n.id === id ? "bad-source" : "affected");
    const edges = new Map<string, string>();
    for (const e of drawn.edges) if (affected.has(e.source) && affected.has(e.target)) edges.set(`${e.source}->${e.target}`, "hl-down");
    return { nodes, edges, dim: false };
  }, [drawn, impact.data, id]);

  const exportHref = (format: string) => `/api/v1/impact?artifactId=${encodeURIComponent(id)}&format=${format}`;
  const head = (key: SortKey, label: string) => (
    <th
      className="sortable"
      data-sort={sort.key === key ? (sort.desc ? "desc" : "asc") : undefined}
      onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}
    >
      {label} {sort.key === key ? (sort.desc ? "▼" : "▲") : ""}
    </th>
  );
  const error = ref.error ?? impact.error ?? dag.error;

  return (
    <div className="impact-view page-wide">
      <div className="view-head">
        <h2>
          Impact of <span data-testid="centre-name">{ref.data ? ref.data.name || id : id}</span>{" "}
          {ref.data && <span className="muted">({ref.data.typeName})</span>}
        </h2>
        <div className="head-links">
          <Link to={lineageUrl(id)}>Lineage view</Link>
          <a href={exportHref("csv")} download data-testid="export-csv">
            Export CSV
          </a>
          <a href={exportHref("json")} download data-testid="export-json">
            Export JSON
          </a>
        </div>
      </div>
      {error && <ErrorMessage error={error} />}
      {impact.data && (
        <div className="counts" data-testid="impact-counts">
          {impact.data.countsByKind.map((c) => (
            <span key={c.kind} className="count-chip strong" data-kind={c.kind}>
              {c.count} {c.kind.toLowerCase()}
              {c.count === 1 ? "" : "s"}
            </span>
          ))}
          {impact.data.countsByType.map((c) => (
            <button
              key={`${c.kind}:${c.type}`}
              className="count-chip"
              onClick={() => setText(c.type)}
              title={`Show only ${c.type}`}
            >
              <span className="swatch" style={{ background: typeColor(c.type) }} />
              {c.type} {c.count}
            </button>
          ))}
          {impact.data.truncated && (
            <span className="notice" data-testid="truncated-notice">
              The list was cut by the server's node cap (nearest kept); the export has everything.
            </span>
          )}
        </div>
      )}
      <div className="impact-body">
        <div className="canvas-wrap impact-canvas">
          {drawn && (
            <GraphCanvas
              graph={drawn}
              aggregates={agg?.aggregates}
              centre={id}
              decorations={decorations}
              loading={dag.isFetching}
              fetchMs={dag.data?.fetchMs}
              onNodeClick={(n) => navigate(lineageUrl(n))}
              exportName={`impact-${id}`}
            />
          )}
        </div>
        <div className="impact-table">
          <div className="table-tools">
            <input placeholder="Filter by name, type or id…" value={text} onChange={(e) => setText(e.target.value)} data-testid="impact-filter" />
            <select value={kind} onChange={(e) => setKind(e.target.value)} data-testid="impact-kind">
              <option value="">all kinds</option>
              <option value="ARTIFACT">artifacts</option>
              <option value="EXECUTION">executions</option>
              <option value="CONTEXT">contexts</option>
            </select>
            <span className="muted">
              {shown.length} of {rows.length}
            </span>
          </div>
          <table className="grid" data-testid="impact-table">
            <thead>
              <tr>
                {head("kind", "Kind")}
                {head("type", "Type")}
                {head("name", "Name")}
                {head("degree", "Degree")}
                <th>State</th>
                {head("id", "Id")}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={`${r.kind}:${r.id}`} data-id={r.id} data-kind={r.kind} className={r.id === id ? "bad-row" : undefined}>
                  <td>{r.kind.toLowerCase()}</td>
                  <td>
                    <span className="swatch" style={{ background: typeColor(r.type) }} />
                    {r.type}
                  </td>
                  <td>
                    <Link to={r.link}>{r.name || "(unnamed)"}</Link>
                  </td>
                  <td className="num">{r.degree}</td>
                  <td>{r.state}</td>
                  <td className="mono small">{r.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
