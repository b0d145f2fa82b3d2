/** The commit graph's layout: one lane per branch, commits in rows (newest first), edges as per-row segments. */

export interface GraphCommit {
  sha: string;
  message: string;
  createdAt: string;
  generation: number;
  parents: string[];
}

export interface Edge {
  from: string;
  to: string;
  /** To a second parent: the side a merge brought in. */
  merge: boolean;
}

/** What one row draws: its commit's lane, and the pieces of edges that cross or end in it. */
export interface Row {
  commit: GraphCommit;
  lane: number;
  /** Lanes an edge passes straight through. */
  through: number[];
  /** Edges leaving this commit downwards: to lane `to` at the row's bottom edge. */
  down: { to: number; merge: boolean }[];
  /** Edges arriving at this commit from above: from lane `from` at the row's top edge. */
  up: { from: number; merge: boolean }[];
}

export interface Layout {
  /** Branch name per lane, left to right (branches owning no commit of their own get none). */
  lanes: string[];
  rows: Row[];
  edges: Edge[];
}

/**
 * Lay the logs of several branches out as one graph. Each commit belongs to the first branch in
 * `order` whose first-parent chain holds it (so a merged branch keeps its own lane up to the merge),
 * else to the first branch whose log lists it. An edge runs vertically in the lane further right of
 * its two ends, bending into the other end's lane beside that end.
 */
export function layout(logs: { branch: string; commits: GraphCommit[] }[], order: string[]): Layout {
  const bySha = new Map<string, GraphCommit>();
  for (const log of logs) for (const c of log.commits) bySha.set(c.sha, c);
  const commits = [...bySha.values()].sort(
    (a, b) => b.generation - a.generation || b.createdAt.localeCompare(a.createdAt) || a.sha.localeCompare(b.sha),
  );
  const sorted = [...logs].sort((a, b) => order.indexOf(a.branch) - order.indexOf(b.branch));
  const owner = new Map<string, string>();
  for (const log of sorted) {
    let sha: string | undefined = log.commits[0]?.sha;
    while (sha && bySha.has(sha) && !owner.has(sha)) {
      owner.set(sha, log.branch);
      sha = bySha.get(sha)?.parents[0];
    }
  }
  for (const log of sorted) for (const c of log.commits) if (!owner.has(c.sha)) owner.set(c.sha, log.branch);
  const lanes = sorted.map((l) => l.branch).filter((b) => [...owner.values()].includes(b));
  const laneOf = (sha: string) => lanes.indexOf(owner.get(sha) ?? "");
  const rowOf = new Map(commits.map((c, i) => [c.sha, i]));
  const rows: Row[] = commits.map((c) => ({ commit: c, lane: laneOf(c.sha), through: [], down: [], up: [] }));
  const edges: Edge[] = [];
  for (const c of commits) {
    c.parents.forEach((p, i) => {
      const to = rowOf.get(p);
      if (to === undefined) return; // beyond the logs' pages
      const from = rowOf.get(c.sha) ?? 0;
      const merge = i > 0;
      edges.push({ from: c.sha, to: p, merge });
      const [a, b] = [rows[from].lane, rows[to].lane];
      const run = Math.max(a, b);
      rows[from].down.push({ to: run, merge });
      for (let r = from + 1; r < to; r++) rows[r].through.push(run);
      rows[to].up.push({ from: run, merge });
    });
  }
  return { lanes, rows, edges };
}
