import { describe, expect, it } from "vitest";
import { edgeKey, type GEdge, type GNode, type Graph } from "./model";
import { aggregateFanOut, collapseBranches, filterGraph, foldExecutions, pathsBetween } from "./transform";

const A = (id: string, type = "Dataset"): GNode => ({ id, kind: "ARTIFACT", type, degree: 0 });
const E = (id: string, type = "Trainer"): GNode => ({ id, kind: "EXECUTION", type, degree: 0 });
const edges = (...pairs: string[]): GEdge[] => pairs.map((p) => ({ source: p.split(">")[0], target: p.split(">")[1] }));
const keys = (g: Graph) => g.edges.map(edgeKey).sort();

// raw -> clean -> (ds) -> train -> (model) -> deploy -> (served); ds also -> eval -> (report)
const pipeline: Graph = {
  nodes: [A("raw", "RawDataset"), E("clean", "Transform"), A("ds"), E("train"), A("model", "Model"), E("deploy", "Deployment"), A("served", "ServedModel"), E("eval", "Evaluator"), A("report", "Metrics")],
  edges: edges("raw>clean", "clean>ds", "ds>train", "train>model", "model>deploy", "deploy>served", "ds>eval", "eval>report"),
};

describe("foldExecutions", () => {
  it("turns artifact -> execution -> artifact into artifact -> artifact edges", () => {
    const f = foldExecutions(pipeline);
    expect(f.nodes.every((x) => x.kind === "ARTIFACT")).toBe(true);
    expect(keys(f)).toEqual(["ds->model", "ds->report", "model->served", "raw->ds"].sort());
    expect(f.edges.every((e) => e.kind === "BRIDGE")).toBe(true);
  });

  it("keeps the centre even when it is an execution", () => {
    const f = foldExecutions(pipeline, new Set(["train"]));
    expect(f.nodes.map((x) => x.id)).toContain("train");
    expect(keys(f)).toContain("ds->train");
    expect(keys(f)).toContain("train->model");
  });
});

describe("filterGraph", () => {
  it("hides types without losing connectivity (chains of hidden nodes are bridged)", () => {
    const f = filterGraph(pipeline, { hiddenTypes: new Set(["Model", "Deployment", "Trainer"]) });
    expect(f.nodes.map((x) => x.id)).not.toContain("model");
    expect(keys(f)).toContain("ds->served");
  });

  it("is a no-op without hidden kinds or types", () => {
    expect(filterGraph(pipeline, {})).toBe(pipeline);
  });

  it("hides a kind and bridges each visible pair once", () => {
    const diamond: Graph = { nodes: [A("a"), E("x"), E("y"), A("b")], edges: edges("a>x", "a>y", "x>b", "y>b") };
    const f = filterGraph(diamond, { hiddenKinds: new Set(["EXECUTION"]) });
    expect(keys(f)).toEqual(["a->b"]);
  });
});

describe("collapseBranches", () => {
  it("drops what is only reachable through the collapsed side", () => {
    const c = collapseBranches(pipeline, "ds", [{ id: "train", side: "down" }]);
    const ids = c.nodes.map((x) => x.id);
    expect(ids).toContain("train");
    expect(ids).not.toContain("model");
    expect(ids).not.toContain("served");
    expect(ids).toContain("report");
  });

  it("keeps a node still connected another way", () => {
    const g: Graph = { nodes: [A("c"), E("x"), E("y"), A("d")], edges: edges("c>x", "c>y", "x>d", "y>d") };
    const c = collapseBranches(g, "c", [{ id: "x", side: "down" }]);
    expect(c.nodes.map((x) => x.id).sort()).toEqual(["c", "d", "x", "y"]);
    expect(keys(c)).not.toContain("x->d");
  });
});

describe("aggregateFanOut", () => {
  const fan = (k: number): Graph => {
    const nodes: GNode[] = [A("hub")];
    const es: GEdge[] = [];
    for (let i = 0; i < k; i++) {
      nodes.push(E(`c${String(i).padStart(3, "0")}`));
      nodes.push(A(`o${String(i).padStart(3, "0")}`));
      es.push({ source: "hub", target: `c${String(i).padStart(3, "0")}` });
      es.push({ source: `c${String(i).padStart(3, "0")}`, target: `o${String(i).padStart(3, "0")}` });
    }
    return { nodes, edges: es };
  };

  it("draws 40 consumers and one aggregate standing for the rest", () => {
    const g = fan(312);
    g.nodes[0].downTotal = 312;
    const a = aggregateFanOut(g, { centre: "hub" });
    expect(a.aggregates).toHaveLength(1);
    const agg = a.aggregates[0];
    expect(agg).toMatchObject({ owner: "hub", side: "down", shown: 40, total: 312 });
    expect(agg.hiddenIds).toHaveLength(272);
    const consumers = a.edges.filter((e) => e.source === "hub" && e.kind !== "AGGREGATE");
    expect(consumers).toHaveLength(40);
    // the hidden consumers' outputs are gone too
    expect(a.nodes).toHaveLength(1 + 40 + 40);
    expect(a.edges.some((e) => e.target === agg.id && e.kind === "AGGREGATE")).toBe(true);
  });

  it("shows more when the limit is raised", () => {
    const a = aggregateFanOut(fan(100), { centre: "hub", more: new Map([["down:hub", 80]]) });
    expect(a.aggregates[0].shown).toBe(80);
    expect(a.nodes).toHaveLength(161);
  });

  it("leaves small fan-outs alone", () => {
    const g = fan(40);
    const a = aggregateFanOut(g, { centre: "hub" });
    expect(a.aggregates).toHaveLength(0);
    expect(a.nodes).toHaveLength(81);
  });

  it("always keeps the centre among the drawn neighbours", () => {
    const g = fan(60);
    const a = aggregateFanOut(g, { centre: "c059" });
    expect(a.nodes.map((x) => x.id)).toContain("c059");
  });
});

describe("pathsBetween", () => {
  it("finds every node on a path between two nodes, either way round", () => {
    const p = pathsBetween(pipeline.edges, "served", "raw");
    expect([...p.nodes].sort()).toEqual(["clean", "deploy", "ds", "model", "raw", "served", "train"].sort());
    expect(p.edges.has("ds->eval")).toBe(false);
  });

  it("is empty when no path joins them", () => {
    expect(pathsBetween(pipeline.edges, "report", "served").nodes.size).toBe(0);
  });
});
