import { describe, expect, it } from "vitest";
import { hiddenCounts, mergeGraphs } from "../graph/merge";
import { MalformedAnswer } from "./client";
import { decodeLineageTable } from "./lineageTable";

/**
 * The upstream lineage of a model, two hops, as the server's table with NAME, URI, STATE
 * and NEIGHBORS: model <- train <- dataset (read as a declared input).
 */
const answer = () => ({
  types: [
    { kind: "ARTIFACT", name: "Model" },
    { kind: "EXECUTION", name: "Trainer" },
    { kind: "ARTIFACT", name: "Dataset" },
  ],
  nodes: {
    id: ["m1", "t1", "d1"],
    type: [0, 1, 2],
    degree: [0, 1, 2],
    name: ["churn-model", "train-1", "customers"],
    uri: ["s3://models/churn", null, "s3://data/customers.csv"],
    state: ["LIVE", "COMPLETE", "LIVE"],
    upstreamNeighbors: [1, 1, 2],
    downstreamNeighbors: [3, 1, 4],
  },
  edges: { source: [2, 1], target: [1, 0], eventType: ["DECLARED_INPUT", "OUTPUT"] },
  truncated: false,
});

describe("decodeLineageTable", () => {
  it("gives every node with its kind, type, summary and neighbour counts, and every edge by id", () => {
    const g = decodeLineageTable(answer());
    expect(g.nodes).toEqual([
      { id: "m1", kind: "ARTIFACT", type: "Model", degree: 0, name: "churn-model", uri: "s3://models/churn", state: "LIVE", upTotal: 1, downTotal: 3 },
      { id: "t1", kind: "EXECUTION", type: "Trainer", degree: 1, name: "train-1", uri: null, state: "COMPLETE", upTotal: 1, downTotal: 1 },
      { id: "d1", kind: "ARTIFACT", type: "Dataset", degree: 2, name: "customers", uri: "s3://data/customers.csv", state: "LIVE", upTotal: 2, downTotal: 4 },
    ]);
    // Any *_INPUT event is a read (artifact -> execution); the rest are writes.
    expect(g.edges).toEqual([
      { source: "d1", target: "t1", kind: "INPUT" },
      { source: "t1", target: "m1", kind: "OUTPUT" },
    ]);
    expect(g.truncated).toBe(false);
    // The counts tell what the view can still expand.
    expect(hiddenCounts(g).get("d1")).toEqual({ up: 2, down: 3 });
    expect(hiddenCounts(g).get("m1")).toEqual({ up: 0, down: 3 });
  });

  it("keeps the server's truncation flag", () => {
    expect(decodeLineageTable({ ...answer(), truncated: true }).truncated).toBe(true);
  });

  it("reads a node deleted since the walk (nulls in its columns) as unnamed, with unknown counts", () => {
    const t = answer();
    t.nodes.name[1] = null as unknown as string;
    t.nodes.state[1] = null as unknown as string;
    t.nodes.upstreamNeighbors[1] = null as unknown as number;
    t.nodes.downstreamNeighbors[1] = null as unknown as number;
    const g = decodeLineageTable(t);
    const deleted = g.nodes[1];
    expect(deleted).toEqual({ id: "t1", kind: "EXECUTION", type: "Trainer", degree: 1, name: null, uri: null, state: null });
    expect(hiddenCounts(g).get("t1")).toEqual({ up: 0, down: 0 });
    expect(g.edges).toHaveLength(2);

    // Merged into a drawing that knew it, the node keeps what was known.
    const before = decodeLineageTable(answer());
    const merged = mergeGraphs(before, g);
    expect(merged.nodes[1]).toMatchObject({ name: "train-1", upTotal: 1, downTotal: 1 });
  });

  it("leaves the columns not asked for unknown (the impact view asks NAME and STATE only)", () => {
    const t = answer();
    const { uri: _uri, upstreamNeighbors: _up, downstreamNeighbors: _down, ...asked } = t.nodes;
    const g = decodeLineageTable({ ...t, nodes: asked });
    expect(g.nodes[0]).toEqual({ id: "m1", kind: "ARTIFACT", type: "Model", degree: 0, name: "churn-model", state: "LIVE" });
  });

  it("gives an empty graph for an empty answer", () => {
    const empty = {
      types: [],
      nodes: { id: [], type: [], degree: [], name: [], uri: [], state: [], upstreamNeighbors: [], downstreamNeighbors: [] },
      edges: { source: [], target: [], eventType: [] },
      truncated: false,
    };
    expect(decodeLineageTable(empty)).toEqual({ nodes: [], edges: [], truncated: false });
  });

  describe("fails clearly on a malformed answer", () => {
    const cases: [string, () => unknown, RegExp][] = [
      ["no table at all", () => null, /it is not an object/],
      ["a list instead of the table", () => [], /it is not an object/],
      ["no types", () => ({ ...answer(), types: undefined }), /types is not a list/],
      ["an unknown kind", () => ({ ...answer(), types: [{ kind: "CONTEXT", name: "Run" }] }), /types\[0\]/],
      ["no nodes", () => ({ ...answer(), nodes: undefined }), /nodes is not an object/],
      ["no ids", () => ({ ...answer(), nodes: { ...answer().nodes, id: undefined } }), /nodes\.id is not a list/],
      ["a short column", () => ({ ...answer(), nodes: { ...answer().nodes, degree: [0, 1] } }), /nodes\.degree has 2 entries for 3 nodes/],
      ["a type index out of range", () => ({ ...answer(), nodes: { ...answer().nodes, type: [0, 1, 3] } }), /nodes\.type\[2\] is 3, not an index into the 3 types/],
      ["a name that is not a string", () => ({ ...answer(), nodes: { ...answer().nodes, name: ["a", 2, "c"] } }), /nodes\.name\[1\] is 2/],
      ["a count that is not a number", () => ({ ...answer(), nodes: { ...answer().nodes, downstreamNeighbors: [1, "2", 3] } }), /nodes\.downstreamNeighbors\[1\]/],
      ["an edge to no node", () => ({ ...answer(), edges: { ...answer().edges, target: [1, 3] } }), /edges\.target\[1\] is 3, not an index into the 3 nodes/],
      ["an edge without its event type", () => ({ ...answer(), edges: { ...answer().edges, eventType: ["INPUT"] } }), /edges\.eventType has 1 entries for 2 edges/],
      ["no truncation flag", () => ({ ...answer(), truncated: undefined }), /truncated/],
    ];
    it.each(cases)("%s", (_, make, message) => {
      const decode = () => decodeLineageTable(make());
      expect(decode).toThrow(MalformedAnswer);
      expect(decode).toThrow(message);
    });
  });
});
