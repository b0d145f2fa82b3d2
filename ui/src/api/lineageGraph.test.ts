import { print } from "graphql";
import { beforeEach, describe, expect, it, vi } from "vitest";

// The transport: each request's document and variables are recorded, and answered with `reply`.
const sent: { query: string; variables: unknown }[] = [];
let reply: unknown;
vi.mock("graphql-request", () => ({
  ClientError: class extends Error {},
  GraphQLClient: class {
    async request(document: Parameters<typeof print>[0], variables: unknown) {
      sent.push({ query: print(document), variables });
      return reply;
    }
  },
}));
vi.stubGlobal("window", { location: { origin: "http://lineage.test" } });

const { ApiError } = await import("./client");
const { fetchLineage } = await import("./lineageGraph");

const table = {
  types: [
    { kind: "ARTIFACT", name: "Dataset" },
    { kind: "EXECUTION", name: "Trainer" },
  ],
  nodes: {
    id: ["d1", "t1"],
    type: [0, 1],
    degree: [0, 1],
    name: ["customers", "train-1"],
    uri: ["s3://data/customers.csv", null],
    state: ["LIVE", "COMPLETE"],
    upstreamNeighbors: [0, 1],
    downstreamNeighbors: [1, 1],
  },
  edges: { source: [0], target: [1], eventType: ["INPUT"] },
  truncated: false,
};

describe("fetchLineage", () => {
  beforeEach(() => {
    sent.length = 0;
  });

  it("asks for the lineage as one table with the columns a drawing shows, and gives it as a Graph", async () => {
    reply = { lineage: { table } };
    const g = await fetchLineage({ artifactIds: ["d1"], executionIds: [], direction: "DOWNSTREAM", maxHops: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toMatch(/query Lineage\b/);
    expect(sent[0].query).toContain("table(columns: [NAME, URI, STATE, NEIGHBORS])");
    expect(sent[0].query).not.toMatch(/\bnodes\s*\{/);
    expect(sent[0].variables).toEqual({
      input: { startArtifactIds: ["d1"], startExecutionIds: [], direction: "DOWNSTREAM", maxHops: 1 },
    });
    expect(g.nodes.map((n) => [n.id, n.kind, n.name, n.upTotal, n.downTotal])).toEqual([
      ["d1", "ARTIFACT", "customers", 0, 1],
      ["t1", "EXECUTION", "train-1", 1, 1],
    ]);
    expect(g.edges).toEqual([{ source: "d1", target: "t1", kind: "INPUT" }]);
  });

  it("reports a malformed table as the lineage request's error (MALFORMED_ANSWER)", async () => {
    reply = { lineage: { table: { ...table, edges: { source: [0], target: [2], eventType: ["INPUT"] } } } };
    const failed = fetchLineage({ artifactIds: ["d1"], executionIds: [], direction: "DOWNSTREAM", maxHops: 1 });
    await expect(failed).rejects.toBeInstanceOf(ApiError);
    await expect(failed).rejects.toMatchObject({
      what: "Loading the lineage",
      code: "MALFORMED_ANSWER",
      message: expect.stringContaining("edges.target[0] is 2"),
    });
  });
});
