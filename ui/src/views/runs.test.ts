import { describe, expect, it } from "vitest";
import { compareRuns, defaultRunType, runValues } from "./runs";

const run = (id: string, typeName: string, properties: Record<string, unknown>, customProperties: Record<string, unknown> = {}) => ({
  id,
  name: id,
  typeName,
  state: "COMPLETE",
  createdAt: "",
  properties,
  customProperties,
});

describe("run comparison", () => {
  it("groups param_ and metric_ custom properties; everything else is a property", () => {
    const v = runValues(run("r", "Trainer", { auc: 0.9 }, { param_lr: 0.1, metric_f1: 0.5, note: "x" }));
    expect(v.get("h:param_lr")).toMatchObject({ group: "Hyperparameters", label: "lr" });
    expect(v.get("m:metric_f1")).toMatchObject({ group: "Metrics", label: "f1" });
    expect(v.get("p:auc")).toMatchObject({ group: "Properties", label: "auc" });
    expect(v.get("c:note")).toMatchObject({ group: "Properties" });
  });

  it("marks columns whose values differ and which are numeric", () => {
    const { columns } = compareRuns([run("a", "T", { auc: 0.9, seed: 1, algo: "gbdt" }), run("b", "T", { auc: 0.8, seed: 1, algo: "gbdt" })]);
    const c = Object.fromEntries(columns.map((x) => [x.label, x]));
    expect(c.auc).toMatchObject({ differs: true, numeric: true });
    expect(c.seed).toMatchObject({ differs: false });
    expect(c.algo).toMatchObject({ numeric: false });
  });

  it("picks the most common run type with values to compare", () => {
    expect(defaultRunType([run("a", "Trainer", { auc: 1 }), run("b", "Trainer", { auc: 2 }), run("c", "Validate", { x: 1 })])).toBe("Trainer");
  });
});
