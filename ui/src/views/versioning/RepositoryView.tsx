import { useMemo, useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage";
import type { DiffMode } from "../../gql/graphql";
import { MergePanel } from "./MergePanel";
import { cell, useDiff, useLog, useRepository } from "./versioningData";

const short = (sha: string) => sha.slice(0, 10);

/** A repository of ingredients: its branches, its log (with a path filter) and a diff. */
export default function RepositoryView({ name }: { name: string }) {
  const repo = useRepository(name);
  const data = repo.data?.repository;
  const branches = useMemo(() => data?.branches.edges.map((e) => e.node) ?? [], [data]);
  const tags = useMemo(() => data?.tags.edges.map((e) => e.node) ?? [], [data]);
  const [ref, setRef] = useState("");
  const [path, setPath] = useState("");
  const shownRef = ref || data?.defaultBranch || "";
  const log = useLog(name, shownRef, path);
  const hasProd = branches.some((b) => b.name === "prod");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [mode, setMode] = useState<DiffMode>("THREE_DOT");
  const diffFrom = from || (hasProd ? "prod" : "");
  const diffTo = to || data?.defaultBranch || "";
  const diff = useDiff(name, diffFrom, diffTo, mode);

  const badges = useMemo(() => {
    const out = new Map<string, string[]>();
    for (const b of branches) out.set(b.head, [...(out.get(b.head) ?? []), b.name]);
    for (const t of tags) out.set(t.target, [...(out.get(t.target) ?? []), `tag ${t.name}`]);
    return out;
  }, [branches, tags]);
  const commits = log.data?.pages.flatMap((p) => p.repository?.log.edges.map((e) => e.node) ?? []) ?? [];
  const error = repo.error ?? log.error ?? diff.error;

  if (repo.data && !data)
    return (
      <div className="page">
        <h2>No repository {name}</h2>
      </div>
    );
  return (
    <div className="page-wide repository-view">
      <div className="view-head">
        <h2>
          Repository <span data-testid="repo-name">{name}</span>
        </h2>
        {data && <span className="muted">protected: {data.protectedBranches.join(", ") || "none"}</span>}
      </div>
      {error && <ErrorMessage error={error} />}
      <section>
        <h3>Branches</h3>
        <table className="grid" data-testid="branches">
          <thead>
            <tr>
              <th>branch</th>
              <th>head</th>
              <th>vs prod</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {branches.map((b) => (
              <tr key={b.name} data-testid="branch-row" data-name={b.name}>
                <td>
                  <button className="linklike" onClick={() => setRef(b.name)}>
                    {b.name}
                  </button>
                </td>
                <td>
                  <code>{short(b.head)}</code>
                </td>
                <td data-testid="ahead-behind">
                  {b.aheadBehind && b.name !== "prod" ? `↑${b.aheadBehind.ahead} ↓${b.aheadBehind.behind}` : ""}
                </td>
                <td>{b.protected && <span className="count-chip" data-testid="protected">protected</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h3>
          Log of <code>{shownRef}</code>
        </h3>
        <label>
          path <input value={path} placeholder="config/train" onChange={(e) => setPath(e.target.value)} data-testid="log-path" />
        </label>
        <table className="grid" data-testid="log">
          <thead>
            <tr>
              <th>gen</th>
              <th>commit</th>
              <th>message</th>
              <th>author</th>
              <th>when</th>
            </tr>
          </thead>
          <tbody>
            {commits.map((c) => (
              <tr key={c.sha} data-testid="commit-row" data-sha={c.sha}>
                <td>{c.generation}</td>
                <td>
                  <code>{short(c.sha)}</code>
                  {c.parents.length > 1 && <span className="count-chip">merge</span>}
                  {(badges.get(c.sha) ?? []).map((b) => (
                    <span key={b} className="count-chip strong" data-testid="ref-badge">
                      {b}
                    </span>
                  ))}
                </td>
                <td>{c.message}</td>
                <td>{c.author}</td>
                <td>{new Date(c.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {log.hasNextPage && (
          <button onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
            More
          </button>
        )}
      </section>
      {data && (
        <MergePanel
          repo={name}
          into={data.branches.edges.some((e) => e.node.name === "prod") ? "prod" : data.defaultBranch}
          onMerged={() => {
            void repo.refetch();
            void log.refetch();
            void diff.refetch();
          }}
        />
      )}
      <section>
        <h3>Diff</h3>
        <label>
          from <input value={diffFrom} onChange={(e) => setFrom(e.target.value)} data-testid="diff-from" />
        </label>{" "}
        <label>
          to <input value={diffTo} onChange={(e) => setTo(e.target.value)} data-testid="diff-to" />
        </label>{" "}
        <label>
          <input
            type="checkbox"
            checked={mode === "TWO_DOT"}
            onChange={(e) => setMode(e.target.checked ? "TWO_DOT" : "THREE_DOT")}
            data-testid="two-dot"
          />{" "}
          two-dot
        </label>
        {diff.data?.repository?.diff.paths.edges.map(({ node: p }) => (
          <div key={p.path} className="diff-path" data-testid="diff-path" data-path={p.path}>
            <h4>
              <code>{p.path}</code> <span className="count-chip">{p.status}</span>{" "}
              <span className="muted">{p.kindAfter ?? p.kindBefore}</span>
              {p.bytesDelta !== null && p.bytesDelta !== undefined && <span className="muted"> {p.bytesDelta} bytes</span>}
            </h4>
            <table className="grid">
              <thead>
                <tr>
                  <th>element</th>
                  <th>change</th>
                  <th>before</th>
                  <th>after</th>
                </tr>
              </thead>
              <tbody>
                {p.changes.edges.map(({ node: c }) => (
                  <tr key={c.key} data-testid="diff-change" data-key={c.key} data-status={c.status}>
                    <td>
                      <code>{c.key || "(whole)"}</code>
                      {c.renamedFrom && <span className="muted"> from {c.renamedFrom}</span>}
                    </td>
                    <td>{c.status}</td>
                    <td>
                      <code>{cell(c.before)}</code>
                    </td>
                    <td>
                      <code>{cell(c.after)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
        {diff.data && diff.data.repository?.diff.paths.edges.length === 0 && <p className="muted">No changes.</p>}
      </section>
    </div>
  );
}
