import { describe, expect, it } from "vitest";
import { byKind, commitUrl, ingredientsId } from "./ingredients";

describe("ingredients nodes", () => {
  it("group a commit's paths by kind, in the commit page's order", () => {
    expect(
      byKind([
        { path: "code", kind: "CODE" },
        { path: "config/eval", kind: "CONFIG" },
        { path: "config/train", kind: "CONFIG" },
        { path: "data/train", kind: "DATASET" },
        { path: "env/train", kind: "ENVIRONMENT" },
      ]),
    ).toEqual([
      { kind: "config", paths: ["config/eval", "config/train"] },
      { kind: "dataset", paths: ["data/train"] },
      { kind: "environment", paths: ["env/train"] },
      { kind: "code", paths: ["code"] },
    ]);
  });

  it("link to the commit's page and are named after their run", () => {
    expect(commitUrl("my repo", "abc123")).toBe("/repos/my%20repo/commits/abc123");
    expect(ingredientsId("r1")).toBe("ing:r1");
  });
});
