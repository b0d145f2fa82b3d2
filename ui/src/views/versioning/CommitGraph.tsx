import { ErrorMessage } from "../../components/ErrorMessage";
import { Link } from "../../router";
import { layout, type Row } from "./commitGraph";
import { useBranchLogs } from "./versioningData";

const ROW = 30;
const LANE = 16;
const COLORS = ["#2f6fde", "#e07b00", "#8e3fd6", "#1f9d55", "#d12f2f", "#0f8b8d"];
const x = (lane: number) => LANE / 2 + lane * LANE;

/** One row's slice of the graph: the lines crossing it, the edges ending in it, its commit's dot. */
function Slice({ row, width, dimmed }: { row: Row; width: number; dimmed: boolean }) {
  const mid = ROW / 2;
  const color = (lane: number) => COLORS[lane % COLORS.length];
  const cx = x(row.lane);
  return (
    <svg width={width} height={ROW} className="graph-slice" aria-hidden>
      {row.through.map((lane, i) => (
        <line key={`t${i}`} x1={x(lane)} y1={0} x2={x(lane)} y2={ROW} stroke={color(lane)} strokeWidth={2} />
      ))}
      {row.down.map((d, i) => (
        <path
          key={`d${i}`}
          d={`M ${cx} ${mid} C ${cx} ${ROW} ${x(d.to)} ${mid} ${x(d.to)} ${ROW}`}
          fill="none"
          stroke={color(d.to)}
          strokeWidth={2}
          strokeDasharray={d.merge ? "4 2" : undefined}
          data-testid="graph-edge"
          data-merge={d.merge ? "true" : "false"}
        />
      ))}
      {row.up.map((u, i) => (
        <path
          key={`u${i}`}
          d={`M ${x(u.from)} 0 C ${x(u.from)} ${mid} ${cx} 0 ${cx} ${mid}`}
          fill="none"
          stroke={color(u.from)}
          strokeWidth={2}
          strokeDasharray={u.merge ? "4 2" : undefined}
        />
      ))}
      <circle
        cx={cx}
        cy={mid}
        r={row.commit.parents.length > 1 ? 6 : 4.5}
        fill={dimmed ? "#fff" : color(row.lane)}
        stroke={color(row.lane)}
        strokeWidth={2}
      />
    </svg>
  );
}

/**
 * Every branch's history as one graph — a lane per branch, merges dashed — with branch, tag and alias
 * badges; with a path, the commits that changed it are filled and the others hollow and faded.
 */
export function CommitGraph({
  repo,
  branches,
  order,
  badges,
  path,
}: {
  repo: string;
  branches: string[];
  order: string[];
  badges: Map<string, { label: string; kind: "branch" | "tag" | "alias" }[]>;
  path: string;
}) {
  const logs = useBranchLogs(repo, branches, "");
  const filtered = useBranchLogs(repo, path ? branches : [], path);
  // a few hundred commits at most: laid out again on each render
  const graph = logs.every((q) => q.data)
    ? layout(
        logs.map((q, i) => ({ branch: branches[i], commits: q.data?.repository?.log.edges.map((e) => e.node) ?? [] })),
        order,
      )
    : null;
  const matching = new Set(filtered.flatMap((q) => q.data?.repository?.log.edges.map((e) => e.node.sha) ?? []));
  const error = [...logs, ...filtered].find((q) => q.error)?.error;
  const width = LANE * Math.max(1, graph?.lanes.length ?? 1);
  return (
    <section className="commit-graph">
      <h3>Commit graph</h3>
      {error && <ErrorMessage error={error} />}
      {graph && (
        <p className="muted">
          lanes:{" "}
          {graph.lanes.map((b, i) => (
            <span key={b} className="lane-label" data-testid="graph-lane" data-branch={b} style={{ color: COLORS[i % COLORS.length] }}>
              ● {b}{" "}
            </span>
          ))}
          {path && <span data-testid="graph-matching">{`${matching.size} commit(s) changed ${path}`}</span>}
        </p>
      )}
      <table className="grid graph-table" data-testid="commit-graph">
        <tbody>
          {graph?.rows.map((row) => {
            const dimmed = path !== "" && !matching.has(row.commit.sha);
            return (
              <tr
                key={row.commit.sha}
                data-testid="graph-row"
                data-sha={row.commit.sha}
                data-lane={graph.lanes[row.lane]}
                data-match={dimmed ? "false" : "true"}
                className={dimmed ? "faded" : undefined}
              >
                <td className="graph-cell" style={{ width }}>
                  <Slice row={row} width={width} dimmed={dimmed} />
                </td>
                <td className="graph-text">
                  <Link to={`/repos/${encodeURIComponent(repo)}/commits/${row.commit.sha}`}>
                    <code>{row.commit.sha.slice(0, 7)}</code>
                  </Link>{" "}
                  {(badges.get(row.commit.sha) ?? []).map((b) => (
                    <span key={`${b.kind}:${b.label}`} className={`count-chip badge-${b.kind}`} data-testid="graph-badge" data-kind={b.kind}>
                      {b.label}
                    </span>
                  ))}{" "}
                  {row.commit.message}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
