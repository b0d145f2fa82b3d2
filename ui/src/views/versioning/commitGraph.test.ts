import { describe, expect, it } from "vitest";
import { layout, type GraphCommit } from "./commitGraph";

const c = (sha: string, generation: number, parents: string[]): GraphCommit => ({
  sha,
  message: sha,
  createdAt: `2026-01-0${generation + 1}T00:00:00Z`,
  generation,
  parents,
});

describe("layout", () => {
  // root - a - b (prod, main); a - x (feature); m = merge of x into prod
  const root = c("root", 0, []);
  const a = c("a", 1, ["root"]);
  const b = c("b", 2, ["a"]);
  const x = c("x", 2, ["a"]);
  const m = c("m", 3, ["b", "x"]);

  it("gives each branch's first-parent chain its lane and keeps merged commits in theirs", () => {
    const g = layout(
      [
        { branch: "main", commits: [b, a, root] },
        { branch: "prod", commits: [m, x, b, a, root] },
        { branch: "feature", commits: [x, a, root] },
      ],
      ["prod", "main", "feature"],
    );
    expect(g.lanes).toEqual(["prod", "feature"]);
    expect(g.rows.map((r) => [r.commit.sha, r.lane])).toEqual([
      ["m", 0],
      ["b", 0],
      ["x", 1],
      ["a", 0],
      ["root", 0],
    ]);
    expect(g.edges).toContainEqual({ from: "m", to: "x", merge: true });
    // the merge's edge to x runs in x's lane past b; x's edge to a bends into lane 0 at a
    expect(g.rows[1].through).toContain(1);
    expect(g.rows[3].up).toContainEqual({ from: 1, merge: false });
  });
});
