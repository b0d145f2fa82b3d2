import { describe, expect, it } from "vitest";
import { COLD_ELK_STAND_IN, layout, pickEngine, placeIncrementally, stableOrder, type LayoutEdge, type LayoutNode, type Positions, type RawLayout } from "./engine";
import { layeredLayout } from "./layered";

const box = (id: string): LayoutNode => ({ id, width: 100, height: 40 });
const overlap = (p: Positions, a: string, b: string) =>
  p[a].x < p[b].x + 100 && p[b].x < p[a].x + 100 && p[a].y < p[b].y + 40 && p[b].y < p[a].y + 40;

/** A synchronous stand-in for the worker: the own layered layout. */
const raw: RawLayout = async (nodes, edges) => ({ positions: layeredLayout(nodes, edges), layoutMs: 0, engine: "layered" });

describe("stableOrder", () => {
  it("gives the same input whatever order the graph came in", () => {
    const n = [box("c"), box("a"), box("b")];
    const e: LayoutEdge[] = [
      { source: "b", target: "c" },
      { source: "a", target: "b" },
      { source: "a", target: "b" },
      { source: "a", target: "zz" },
    ];
    const one = stableOrder(n, e);
    const two = stableOrder([...n].reverse(), [...e].reverse());
    expect(one).toEqual(two);
    expect(one.nodes.map((x) => x.id)).toEqual(["a", "b", "c"]);
    expect(one.edges).toHaveLength(2);
  });
});

describe("placeIncrementally", () => {
  it("keeps old nodes exactly where they were and moves new ones with their anchor", () => {
    const nodes = [box("a"), box("b"), box("c")];
    const edges = [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
    ];
    const fresh = { a: { x: 0, y: 0 }, b: { x: 200, y: 0 }, c: { x: 400, y: 0 } };
    const previous = { a: { x: 1000, y: 500 }, b: { x: 1200, y: 520 } };
    const out = placeIncrementally(nodes, edges, fresh, previous);
    expect(out.a).toEqual(previous.a);
    expect(out.b).toEqual(previous.b);
    expect(out.c).toEqual({ x: 1400, y: 520 });
  });

  it("moves a new node off an old one instead of overlapping it", () => {
    const nodes = [box("a"), box("b"), box("n")];
    const edges = [
      { source: "a", target: "b" },
      { source: "a", target: "n" },
    ];
    const fresh = { a: { x: 0, y: 0 }, b: { x: 200, y: 0 }, n: { x: 200, y: 60 } };
    const previous = { a: { x: 0, y: 0 }, b: { x: 200, y: 60 } };
    const out = placeIncrementally(nodes, edges, fresh, previous);
    expect(out.b).toEqual(previous.b);
    expect(overlap(out, "n", "b")).toBe(false);
  });

  it("uses the fresh layout when nothing was drawn before", () => {
    const fresh = { a: { x: 3, y: 4 } };
    expect(placeIncrementally([box("a")], [], fresh, {})).toEqual(fresh);
  });
});

describe("layout", () => {
  it("expanding keeps every earlier node pinned and places only the new ones", async () => {
    const n1 = [box("a"), box("x"), box("b")];
    const e1 = [
      { source: "a", target: "x" },
      { source: "x", target: "b" },
    ];
    const first = await layout(n1, e1, {}, { raw });
    const n2 = [...n1, box("y"), box("c"), box("up")];
    const e2 = [...e1, { source: "b", target: "y" }, { source: "y", target: "c" }, { source: "up", target: "x" }];
    const second = await layout(n2, e2, first.positions, { raw });
    for (const id of ["a", "x", "b"]) expect(second.positions[id]).toEqual(first.positions[id]);
    for (const id of ["y", "c", "up"]) expect(second.positions[id]).toBeDefined();
    const ids = Object.keys(second.positions);
    for (const p of ids) for (const q of ids) if (p < q) expect(overlap(second.positions, p, q)).toBe(false);
    expect(second.positions.c.x).toBeGreaterThan(second.positions.b.x);
  });

  it("is deterministic for the same graph in any order", async () => {
    const n = [box("a"), box("b"), box("c"), box("d")];
    const e = [
      { source: "a", target: "b" },
      { source: "a", target: "c" },
      { source: "c", target: "d" },
    ];
    const one = await layout(n, e, {}, { raw });
    const two = await layout([...n].reverse(), [...e].reverse(), {}, { raw });
    expect(one.positions).toEqual(two.positions);
  });
});

describe("layeredLayout", () => {
  it("lays out left to right: every edge points right", () => {
    const nodes = ["a", "b", "c", "d", "e"].map(box);
    const edges = [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "a", target: "d" },
      { source: "d", target: "c" },
      { source: "c", target: "e" },
    ];
    const p = layeredLayout(nodes, edges);
    for (const e of edges) expect(p[e.target].x).toBeGreaterThan(p[e.source].x);
    const ids = Object.keys(p);
    for (const x of ids) for (const y of ids) if (x < y) expect(overlap(p, x, y)).toBe(false);
  });

  it("survives a cycle", () => {
    const p = layeredLayout(["a", "b"].map(box), [
      { source: "a", target: "b" },
      { source: "b", target: "a" },
    ]);
    expect(Object.keys(p)).toHaveLength(2);
  });
});

describe("pickEngine", () => {
  it("uses ELK for small graphs and faster engines for large ones", () => {
    expect(pickEngine(20, "auto")).toBe("elk");
    expect(pickEngine(200, "auto")).toBe("dagre");
    expect(pickEngine(2000, "auto")).toBe("layered");
    expect(pickEngine(2000, "elk")).toBe("elk");
  });

  it("draws small graphs without ELK until ELK is warm, unless ELK is asked for", () => {
    expect(pickEngine(20, "auto", false)).toBe(COLD_ELK_STAND_IN);
    expect(COLD_ELK_STAND_IN).not.toBe("elk");
    expect(pickEngine(20, "auto", true)).toBe("elk");
    expect(pickEngine(20, "elk", false)).toBe("elk");
    expect(pickEngine(2000, "auto", false)).toBe("layered");
  });
});
