import { ErrorMessage } from "../../components/ErrorMessage";
import type { BlobKind } from "../../gql/graphql";
import { Link, lineageUrl } from "../../router";
import { useCommit } from "./versioningData";

/** The kinds of blob, in the order a commit's page lists them. */
const KINDS: BlobKind[] = ["CONFIG", "DATASET", "ENVIRONMENT", "CODE", "REPO_REF"];
const LABEL: Record<BlobKind, string> = {
  CONFIG: "config",
  DATASET: "dataset",
  ENVIRONMENT: "environment",
  CODE: "code",
  REPO_REF: "repo-ref",
};

/** One commit: its message, parents, its tree grouped by kind of ingredient, and the runs that used it. */
export default function CommitView({ repo, sha }: { repo: string; sha: string }) {
  const q = useCommit(repo, sha);
  const commit = q.data?.repository?.commit;
  const entries = commit?.tree.edges.map((e) => e.node) ?? [];
  const repoUrl = `/repos/${encodeURIComponent(repo)}`;
  if (q.data && !commit)
    return (
      <div className="page">
        <h2>
          No commit {sha.slice(0, 10)} in <Link to={repoUrl}>{repo}</Link>
        </h2>
      </div>
    );
  return (
    <div className="page-wide commit-view">
      <div className="view-head">
        <h2>
          Commit <code data-testid="commit-sha">{sha.slice(0, 10)}</code> of <Link to={repoUrl}>{repo}</Link>
        </h2>
      </div>
      {q.error && <ErrorMessage error={q.error} />}
      {commit && (
        <>
          <p data-testid="commit-message">{commit.message}</p>
          <p className="muted">
            {commit.author}, {new Date(commit.createdAt).toLocaleString()}, generation {commit.generation}
            {commit.parents.length > 0 && " — parents "}
            {commit.parents.map((p) => (
              <Link key={p} to={`${repoUrl}/commits/${p}`}>
                <code>{p.slice(0, 10)}</code>{" "}
              </Link>
            ))}
          </p>
          <section>
            <h3>Ingredients</h3>
            {KINDS.filter((k) => entries.some((e) => e.kind === k)).map((k) => (
              <div key={k} data-testid="tree-kind" data-kind={LABEL[k]}>
                <h4>{LABEL[k]}</h4>
                <table className="grid">
                  <thead>
                    <tr>
                      <th>path</th>
                      <th>blob</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries
                      .filter((e) => e.kind === k)
                      .map((e) => (
                        <tr key={e.path} data-testid="tree-entry" data-path={e.path}>
                          <td>
                            <code>{e.path}</code>
                          </td>
                          <td>
                            <code>{e.blobSha.slice(0, 10)}</code>
                          </td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            ))}
            {entries.length === 0 && <p className="muted">An empty tree.</p>}
          </section>
          <section>
            <h3>Runs that used it</h3>
            <table className="grid" data-testid="commit-runs">
              <thead>
                <tr>
                  <th>run</th>
                  <th>type</th>
                  <th>state</th>
                </tr>
              </thead>
              <tbody>
                {commit.runs.map((r) => (
                  <tr key={r.id} data-testid="commit-run">
                    <td>
                      <Link to={lineageUrl(r.id, "direction=upstream")}>{r.name ?? r.id}</Link>
                    </td>
                    <td>{r.typeName}</td>
                    <td>{r.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {commit.runs.length === 0 && <p className="muted">No run used this commit.</p>}
          </section>
        </>
      )}
    </div>
  );
}
