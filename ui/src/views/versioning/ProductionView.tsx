import { useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Link } from "../../router";
import { useAliasHistory, useProduction } from "./versioningData";

/** What is in production: each alias, its version and commit, whether prod agrees; an alias's timeline. */
export default function ProductionView() {
  const prod = useProduction();
  const [picked, setPicked] = useState<{ model: string; alias: string } | null>(null);
  const history = useAliasHistory(picked?.model ?? "", picked?.alias ?? "");
  const entries = history.data?.registeredModel?.aliasHistory.edges.map((e) => e.node) ?? [];
  const error = prod.error ?? history.error;
  return (
    <div className="page-wide production-view">
      <div className="view-head">
        <h2>What's in production</h2>
      </div>
      {error && <ErrorMessage error={error} />}
      <table className="grid" data-testid="production">
        <thead>
          <tr>
            <th>model</th>
            <th>alias</th>
            <th>version</th>
            <th>trained on</th>
            <th>branch head</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {prod.data?.inProduction.map((p) => (
            <tr key={`${p.model}@${p.alias}`} data-testid="production-row" data-alias={`${p.model}@${p.alias}`}>
              <td>{p.model}</td>
              <td>
                <button className="linklike" onClick={() => setPicked({ model: p.model, alias: p.alias })}>
                  {p.alias}
                </button>
              </td>
              <td>v{p.version}</td>
              <td>
                {p.repository ? <Link to={`/repos/${encodeURIComponent(p.repository)}`}>{p.repository}</Link> : null}{" "}
                <code>{p.commit?.slice(0, 10)}</code>
              </td>
              <td>
                {p.branch} <code>{p.branchHead?.slice(0, 10)}</code>
              </td>
              <td>
                <span className={p.consistent ? "count-chip" : "count-chip strong"} data-testid="consistency">
                  {p.consistent ? "consistent" : "prod differs"}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {picked && (
        <section>
          <h3>
            Timeline of {picked.model}@{picked.alias}
          </h3>
          <table className="grid" data-testid="alias-timeline">
            <thead>
              <tr>
                <th>when</th>
                <th>move</th>
                <th>who</th>
                <th>why</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((u) => (
                <tr key={u.id} data-testid="timeline-row">
                  <td>{new Date(u.at).toLocaleString()}</td>
                  <td>
                    {u.from ? `v${u.from} → ` : ""}v{u.to} <span className="muted">{u.op}</span>
                  </td>
                  <td>{u.actor}</td>
                  <td>{u.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
