import { describe, expect, it } from "vitest";
import type { QueryClient } from "@tanstack/react-query";
import type { LineageRequest } from "../api/lineageGraph";
import { hiddenCounts } from "../graph/merge";
import type { Graph } from "../graph/model";
import { baseRequests, loadLineage } from "./lineageData";

describe("baseRequests", () => {
  it("asks one BOTH walk when the hops are equal", () => {
    expect(baseRequests("a1", false, 2, 2)).toEqual([{ artifactIds: ["a1"], executionIds: [], direction: "BOTH", maxHops: 2 }]);
  });

  it("asks one walk per side otherwise, and starts executions as executions", () => {
    expect(baseRequests("e1", true, 3, 1)).toEqual([
      { artifactIds: [], executionIds: ["e1"], direction: "UPSTREAM", maxHops: 3 },
      { artifactIds: [], executionIds: ["e1"], direction: "DOWNSTREAM", maxHops: 1 },
    ]);
  });

  it("leaves out a side with no hops (the benchmark's downstream-only view is one request)", () => {
    expect(baseRequests("a1", false, 0, 12)).toEqual([{ artifactIds: ["a1"], executionIds: [], direction: "DOWNSTREAM", maxHops: 12 }]);
  });
});


describe("loadLineage", () => {
  const node = (id: string, kind: "ARTIFACT" | "EXECUTION", degree: number, upTotal: number, downTotal: number) => ({
    id,
    kind,
    type: kind === "ARTIFACT" ? "Model" : "Deployment",
    degree,
    upTotal,
    downTotal,
  });
  const answers: Record<string, Graph> = {
    "served:UPSTREAM:2": {
      nodes: [node("served", "ARTIFACT", 0, 1, 0), node("deploy", "EXECUTION", 1, 1, 1), node("registered", "ARTIFACT", 2, 1, 1)],
      edges: [
        { source: "registered", target: "deploy" },
        { source: "deploy", target: "served" },
      ],
    },
    "registered:UPSTREAM:1": {
      nodes: [node("registered", "ARTIFACT", 0, 1, 1), node("promote", "EXECUTION", 1, 2, 1)],
      edges: [{ source: "promote", target: "registered" }],
    },
  };
  const requested: string[] = [];
  const qc = {
    fetchQuery: async ({ queryKey }: { queryKey: unknown[] }) => {
      const r = queryKey[1] as LineageRequest;
      const key = `${[...r.artifactIds, ...r.executionIds].join(",")}:${r.direction}:${r.maxHops}`;
      requested.push(key);
      return answers[key];
    },
  } as unknown as QueryClient;

  it("merges a one-hop expansion into the drawn graph: exactly the next hop is added", async () => {
    const base = await loadLineage(qc, { id: "served", isExecution: false, up: 2, down: 0, exp: [], xall: 0 });
    expect(hiddenCounts(base.graph).get("registered")).toEqual({ up: 1, down: 0 });
    const grown = await loadLineage(
      qc,
      { id: "served", isExecution: false, up: 2, down: 0, exp: [{ id: "registered", side: "up" }], xall: 0 },
    );
    expect(grown.graph.nodes.map((n) => n.id)).toEqual(["served", "deploy", "registered", "promote"]);
    expect(grown.graph.edges).toHaveLength(3);
    expect(grown.graph.nodes.find((n) => n.id === "promote")!.degree).toBe(3);
    expect(hiddenCounts(grown.graph).get("registered")).toEqual({ up: 0, down: 0 });
    expect(hiddenCounts(grown.graph).get("promote")).toEqual({ up: 2, down: 0 });
    expect(requested).toContain("registered:UPSTREAM:1");
  });
});
