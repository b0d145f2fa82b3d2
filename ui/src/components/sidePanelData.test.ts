import { describe, expect, it } from "vitest";
import { toNodeDetails } from "./sidePanelData";

const common = {
  externalId: null,
  typeName: "Trainer",
  typeVersion: null,
  name: "train-1",
  properties: {},
  customProperties: {},
  createdAt: "2026-01-01T00:00:00",
  updatedAt: "2026-01-01T00:00:00",
};

describe("the side panel's node", () => {
  it("shows an execution's state, its events and contexts", () => {
    const events = [{ type: "INPUT" as const, artifactId: "a1", executionId: "e1", timestamp: "2026-01-01T00:00:00", path: [] }];
    const d = toNodeDetails({ __typename: "Execution", id: "e1", ...common, executionState: "FAILED", events, contexts: [] });
    expect(d).toMatchObject({ __typename: "Execution", state: "FAILED", uri: null, events, contexts: [] });
  });

  it("shows an artifact's state and uri", () => {
    const d = toNodeDetails({ __typename: "Artifact", id: "a1", ...common, uri: "s3://x", state: "LIVE", events: [], contexts: [] });
    expect(d).toMatchObject({ state: "LIVE", uri: "s3://x" });
  });

  it("shows a context without state, uri, events or contexts", () => {
    const d = toNodeDetails({ __typename: "Context", id: "c1", ...common });
    expect(d).toMatchObject({ state: null, uri: null, events: null, contexts: null });
  });
});
