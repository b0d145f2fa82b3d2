import { describe, expect, it } from "vitest";
import { MalformedAnswer } from "../api/client";
import { toImpact } from "./impactData";

describe("toImpact", () => {
  const typed = {
    contexts: [{ id: "c1", type: "Pipeline", name: "churn", degree: 0, direct: true, affectedMembers: 2 }],
    countsByKind: [
      { kind: "ARTIFACT" as const, count: 1 },
      { kind: "EXECUTION" as const, count: 1 },
      { kind: "CONTEXT" as const, count: 1 },
    ],
    countsByType: [],
  };

  it("lists the affected nodes of the table, nearest first, with name and state; the rest as typed", () => {
    const impact = toImpact({
      ...typed,
      table: {
        types: [
          { kind: "ARTIFACT", name: "Dataset" },
          { kind: "EXECUTION", name: "Trainer" },
        ],
        nodes: { id: ["d1", "t1"], type: [0, 1], degree: [0, 1], name: ["bad.csv", null], state: ["LIVE", null] },
        edges: { source: [0], target: [1], eventType: ["INPUT"] },
        truncated: true,
      },
    });
    expect(impact.nodes).toEqual([
      { id: "d1", kind: "ARTIFACT", type: "Dataset", degree: 0, name: "bad.csv", state: "LIVE" },
      { id: "t1", kind: "EXECUTION", type: "Trainer", degree: 1, name: null, state: null },
    ]);
    expect(impact.truncated).toBe(true);
    expect(impact.contexts).toEqual(typed.contexts);
    expect(impact.countsByKind).toEqual(typed.countsByKind);
  });

  it("fails as a malformed answer when the table is not one", () => {
    expect(() => toImpact({ ...typed, table: { nodes: [] } })).toThrow(MalformedAnswer);
  });
});
