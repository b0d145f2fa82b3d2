import { describe, expect, it } from "vitest";
import { hiddenCounts, mergeGraphs } from "./merge";
import type { Graph } from "./model";

const n = (id: string, kind: "ARTIFACT" | "EXECUTION", degree = 0, extra = {}) => ({ id, kind, type: kind === "ARTIFACT" ? "Dataset" : "Trainer", degree, ...extra });

describe("mergeGraphs", () => {
  const base: Graph = {
    nodes: [n("a", "ARTIFACT", 0, { upTotal: 1, downTotal: 2 }), n("e", "EXECUTION", 1, { upTotal: 1, downTotal: 1 })],
    edges: [{ source: "a", target: "e", kind: "INPUT" }],
  };

  it("appends an expansion's new nodes and edges after the existing ones", () => {
    const expansion: Graph = {
      nodes: [n("a", "ARTIFACT", 0), n("e2", "EXECUTION", 1)],
      edges: [{ source: "a", target: "e2", kind: "INPUT" }],
    };
    const m = mergeGraphs(base, expansion, 0);
    expect(m.nodes.map((x) => x.id)).toEqual(["a", "e", "e2"]);
    expect(m.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["a>e", "a>e2"]);
  });

  it("never duplicates nodes or edges and keeps the smallest degree", () => {
    const again: Graph = { nodes: [n("e", "EXECUTION", 0), n("a", "ARTIFACT", 1)], edges: [{ source: "a", target: "e" }] };
    const m = mergeGraphs(base, again, 3);
    expect(m.nodes).toHaveLength(2);
    expect(m.edges).toHaveLength(1);
    expect(m.nodes.find((x) => x.id === "e")!.degree).toBe(1);
    expect(m.nodes.find((x) => x.id === "a")!.upTotal).toBe(1);
  });

  it("offsets the degrees of an expansion by its anchor's degree", () => {
    const m = mergeGraphs(base, { nodes: [n("e", "EXECUTION", 0), n("z", "ARTIFACT", 1)], edges: [{ source: "e", target: "z" }] }, 1);
    expect(m.nodes.find((x) => x.id === "z")!.degree).toBe(2);
  });

  it("keeps truncated when any answer was cut", () => {
    expect(mergeGraphs(base, { nodes: [], edges: [], truncated: true }).truncated).toBe(true);
  });
});

describe("hiddenCounts", () => {
  it("is the API's total neighbours minus the drawn ones, after merging", () => {
    const g: Graph = {
      nodes: [n("a", "ARTIFACT", 0, { upTotal: 1, downTotal: 3 }), n("e", "EXECUTION", 1, { upTotal: 2, downTotal: 0 })],
      edges: [{ source: "a", target: "e" }],
    };
    const h = hiddenCounts(g);
    expect(h.get("a")).toEqual({ up: 1, down: 2 });
    expect(h.get("e")).toEqual({ up: 1, down: 0 });
    const grown = mergeGraphs(g, { nodes: [n("e", "EXECUTION", 0), n("b", "ARTIFACT", 1, { upTotal: 0, downTotal: 1 })], edges: [{ source: "b", target: "e" }] });
    expect(hiddenCounts(grown).get("e")).toEqual({ up: 0, down: 0 });
  });
});
