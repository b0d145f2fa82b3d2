import { useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Link } from "../../router";
import { cell, useAliasChain, useAliasHistory, useProduction, useRollBack } from "./versioningData";

/** alias → version → the run that made it (its metrics) → the commit it used, as links. */
function AliasChain({ model, alias, consistent }: { model: string; alias: string; consistent: boolean | undefined }) {
  const { version, run, error } = useAliasChain(model, alias);
  const props = (run?.execution?.properties ?? {}) as Record<string, unknown>;
  const commit = run?.repository?.commit;
  return (
    <div className="alias-chain" data-testid="alias-chain">
      {error && <ErrorMessage error={error} />}
      <p>
        <strong>{alias}</strong> → <span data-testid="chain-version">v{version?.version}</span>
        {version && !version.runId && <span className="muted"> (no run: registered without lineage)</span>}
        {run?.execution && (
          <>
            {" "}
            → run <Link to={`/lineage/${run.execution.id}?direction=upstream`}>{run.execution.name ?? run.execution.id}</Link>
          </>
        )}
        {commit && version?.repository && (
          <>
            {" "}
            → commit{" "}
            <Link to={`/repos/${encodeURIComponent(version.repository)}/commits/${commit.sha}`}>
              <code>{commit.sha.slice(0, 10)}</code>
            </Link>{" "}
            <span data-testid="chain-commit">{commit.message}</span>
          </>
        )}{" "}
        {consistent !== undefined && (
          <span className={consistent ? "count-chip" : "count-chip strong"}>{consistent ? "consistent" : "prod differs"}</span>
        )}
      </p>
      {run?.execution && (
        <table className="grid" data-testid="run-metrics">
          <caption>
            {run.execution.typeName} {run.execution.name}: its properties (metrics and parameters)
          </caption>
          <tbody>
            {Object.entries(props).map(([k, v]) => (
              <tr key={k} data-testid="metric-row" data-key={k}>
                <th>{k}</th>
                <td>{cell(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The alias's moves; each earlier version can be restored (setAlias with a reason, after a confirmation). */
function Timeline({ model, alias, current }: { model: string; alias: string; current: number | undefined }) {
  const history = useAliasHistory(model, alias);
  const rollBack = useRollBack();
  const [confirming, setConfirming] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const [failure, setFailure] = useState<unknown>(null);
  const [stale, setStale] = useState<string | null>(null);
  const entries = history.data?.registeredModel?.aliasHistory.edges.map((e) => e.node) ?? [];
  const confirm = async (version: number) => {
    if (current === undefined) return;
    setFailure(null);
    setStale(null);
    try {
      const result = await rollBack(model, alias, version, current, reason.trim());
      if (result.__typename === "StaleAlias") setStale(`${alias} moved meanwhile (now v${result.current ?? "none"}): reload and retry`);
      setConfirming(null);
      setReason("");
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <section>
      <h3>
        Timeline of {model}@{alias}
      </h3>
      {history.error && <ErrorMessage error={history.error} />}
      {failure !== null && <ErrorMessage error={failure} what="Rolling back" />}
      {stale && <p className="muted">{stale}</p>}
      <table className="grid" data-testid="alias-timeline">
        <thead>
          <tr>
            <th>when</th>
            <th>move</th>
            <th>who</th>
            <th>why</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {entries.map((u) => {
            const to = u.to === null || u.to === undefined ? null : Number(u.to);
            return (
              <tr key={u.id} data-testid="timeline-row" data-to={u.to ?? ""}>
                <td>{new Date(u.at).toLocaleString()}</td>
                <td>
                  {u.from ? `v${u.from} → ` : ""}v{u.to} <span className="muted">{u.op}</span>
                </td>
                <td>{u.actor}</td>
                <td>{u.reason}</td>
                <td>
                  {to !== null && to !== current && confirming !== to && (
                    <button onClick={() => setConfirming(to)} data-testid="rollback">
                      Roll back to v{to}
                    </button>
                  )}
                  {to !== null && confirming === to && (
                    <span data-testid="rollback-confirm">
                      Move {alias} from v{current} to v{to}?{" "}
                      <input value={reason} placeholder="reason (required)" onChange={(e) => setReason(e.target.value)} data-testid="rollback-reason" />{" "}
                      <button onClick={() => void confirm(to)} disabled={!reason.trim()} data-testid="rollback-yes">
                        Confirm rollback
                      </button>{" "}
                      <button onClick={() => setConfirming(null)}>Cancel</button>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** What is in production: each alias, its version and commit, whether prod agrees; an alias's timeline. */
export default function ProductionView() {
  const prod = useProduction();
  const [picked, setPicked] = useState<{ model: string; alias: string } | null>(null);
  const error = prod.error;
  const entry = prod.data?.inProduction.find((p) => p.model === picked?.model && p.alias === picked.alias);
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
        <>
          <AliasChain model={picked.model} alias={picked.alias} consistent={entry?.consistent} />
          <Timeline model={picked.model} alias={picked.alias} current={entry?.version} />
        </>
      )}
    </div>
  );
}
