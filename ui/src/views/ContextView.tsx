import { useEffect, useMemo, useState } from "react";
import { ApiError } from "../api/client";
import type { ComparedRunFragment } from "../gql/graphql";
import { ErrorMessage } from "../components/ErrorMessage";
import { GraphCanvas } from "../components/GraphCanvas";
import { formatValue, PropsTable } from "../components/SidePanel";
import { aggregateFanOut } from "../graph/transform";
import { rememberVisit } from "../recent";
import { contextUrl, Link, lineageUrl, navigate } from "../router";
import { useContextDetails, useContextGraph } from "./contextData";
import { compareRuns, defaultRunType, GROUPS } from "./runs";

export default function ContextView({ id }: { id: string }) {
  const ctx = useContextDetails(id);
  const dag = useContextGraph(id);
  const c = ctx.data;
  useEffect(() => {
    if (c) rememberVisit({ id, kind: "CONTEXT", name: c.name, typeName: c.typeName });
  }, [c, id]);
  const agg = useMemo(() => (dag.data ? aggregateFanOut(dag.data.graph, { centre: null }) : null), [dag.data]);
  const drawn = useMemo(() => (agg ? { nodes: agg.nodes, edges: agg.edges, truncated: agg.truncated } : null), [agg]);
  const error = ctx.error ?? dag.error;

  return (
    <div className="context-view page-wide">
      <div className="view-head">
        <h2>
          <span data-testid="centre-name">{c ? c.name : id}</span> {c && <span className="muted">({c.typeName})</span>}
        </h2>
        {c && (
          <div className="head-links">
            {c.parents.map((p) => (
              <Link key={p.id} to={contextUrl(p.id)}>
                ↑ {p.name} <span className="muted">({p.typeName})</span>
              </Link>
            ))}
            {c.children.map((p) => (
              <Link key={p.id} to={contextUrl(p.id)}>
                ↓ {p.name} <span className="muted">({p.typeName})</span>
              </Link>
            ))}
            <span className="muted">
              {c.executions.totalCount} executions · {c.artifacts.totalCount} artifacts
            </span>
          </div>
        )}
      </div>
      {error && <ErrorMessage error={error} />}
      {ctx.isSuccess && !c && (
        <ErrorMessage error={new ApiError("Loading the context", "NOT_FOUND", `no context '${id}'`)} />
      )}
      {c && (
        <div className="context-props">
          <PropsTable title="Properties" values={c.properties} />
          <PropsTable title="Custom properties" values={c.customProperties} />
        </div>
      )}
      <div className="canvas-wrap context-canvas">
        {drawn && drawn.nodes.length > 0 && (
          <GraphCanvas
            graph={drawn}
            aggregates={agg?.aggregates}
            loading={dag.isFetching}
            fetchMs={dag.data?.fetchMs}
            onNodeClick={(n) => navigate(lineageUrl(n))}
            exportName={`context-${id}`}
          />
        )}
        {drawn && drawn.nodes.length === 0 && <p className="muted">This context has no artifacts or executions.</p>}
      </div>
      {dag.data?.graph.truncated && <div className="notice">The context's graph was cut by the server's node cap.</div>}
      {c && c.executions.edges.length > 0 && <RunComparison runs={c.executions.edges.map((e) => e.node)} total={c.executions.totalCount} />}
    </div>
  );
}

function RunComparison({ runs, total }: { runs: ComparedRunFragment[]; total: number }) {
  const types = useMemo(() => [...new Set(runs.map((r) => r.typeName))].sort(), [runs]);
  const [selected, setSelected] = useState<Set<string>>(() => {
    const t = defaultRunType(runs);
    return new Set(runs.filter((r) => r.typeName === t).map((r) => r.id));
  });
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const chosen = runs.filter((r) => selected.has(r.id));
  const { columns, values } = useMemo(() => compareRuns(chosen), [chosen.map((r) => r.id).join(",")]);
  const order = useMemo(() => {
    const idx = chosen.map((_, i) => i);
    if (!sort) return idx;
    const col = columns.find((c) => c.key === sort.key);
    return idx.sort((a, b) => {
      const va = values[a].get(sort.key);
      const vb = values[b].get(sort.key);
      if (va === undefined || va === null) return 1;
      if (vb === undefined || vb === null) return -1;
      const cmp = col?.numeric ? (va as number) - (vb as number) : formatValue(va).localeCompare(formatValue(vb));
      return sort.desc ? -cmp : cmp;
    });
  }, [chosen, columns, values, sort]);
  const toggle = (rid: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(rid)) n.delete(rid);
      else n.add(rid);
      return n;
    });
  const mode = (key: string) => {
    const counts = new Map<string, number>();
    for (const v of values) {
      const k = JSON.stringify(v.get(key) ?? null);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    // Only a value most runs share is a baseline to differ from.
    return top && top[1] > 1 ? top[0] : undefined;
  };
  return (
    <section className="run-comparison" data-testid="run-comparison">
      <h3>Run comparison</h3>
      <div className="run-picker">
        <span className="muted">Select runs ({runs.length} of {total} executions):</span>
        {types.map((t) => (
          <button key={t} onClick={() => setSelected(new Set(runs.filter((r) => r.typeName === t).map((r) => r.id)))}>
            all {t}
          </button>
        ))}
        <div className="run-list">
          {runs.map((r) => (
            <label key={r.id} className={`run-option state-${r.state.toLowerCase()}`}>
              <input type="checkbox" checked={selected.has(r.id)} onChange={() => toggle(r.id)} data-run-id={r.id} /> {r.name || r.id}{" "}
              <span className="muted">({r.typeName})</span>
            </label>
          ))}
        </div>
      </div>
      {chosen.length === 0 ? (
        <p className="muted">Select runs to compare.</p>
      ) : (
        <div className="table-scroll">
          <table className="grid runs" data-testid="runs-table">
            <thead>
              <tr>
                <th rowSpan={2}>Run</th>
                <th rowSpan={2}>State</th>
                {GROUPS.map((g) => {
                  const n = columns.filter((c) => c.group === g).length;
                  return n ? (
                    <th key={g} colSpan={n} className={`group group-${g.toLowerCase()}`}>
                      {g}
                    </th>
                  ) : null;
                })}
              </tr>
              <tr>
                {columns.map((c) => (
                  <th
                    key={c.key}
                    className={`sortable${c.differs ? " differs" : ""}`}
                    data-column={c.label}
                    data-group={c.group}
                    onClick={() => setSort((s) => ({ key: c.key, desc: s?.key === c.key ? !s.desc : c.numeric }))}
                    title={c.differs ? "Values differ between the selected runs" : "Same value in every selected run"}
                  >
                    {c.label} {sort?.key === c.key ? (sort.desc ? "▼" : "▲") : ""}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {order.map((i) => {
                const r = chosen[i];
                return (
                  <tr key={r.id} data-run-id={r.id}>
                    <td>
                      <Link to={lineageUrl(r.id)}>{r.name || r.id}</Link>
                    </td>
                    <td>
                      <span className={`state-badge state-${r.state.toLowerCase()}`}>{r.state}</span>
                    </td>
                    {columns.map((c) => {
                      const v = values[i].get(c.key);
                      const base = mode(c.key);
                      const diff = c.differs && base !== undefined && JSON.stringify(v ?? null) !== base;
                      return (
                        <td key={c.key} data-column={c.label} className={`${c.numeric ? "num" : ""}${c.differs ? " col-differs" : ""}${diff ? " diff" : ""}`}>
                          {formatValue(v)}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
