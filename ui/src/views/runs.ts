/** Run comparison: a run's values grouped as hyperparameters, metrics and properties. */
import { jsonObject } from "../api/json";
import type { ComparedRunFragment as Run } from "../gql/graphql";

export type Group = "Hyperparameters" | "Metrics" | "Properties";
export const GROUPS: Group[] = ["Hyperparameters", "Metrics", "Properties"];

export interface Column {
  key: string;
  group: Group;
  label: string;
  numeric: boolean;
  /** The selected runs do not all have the same value. */
  differs: boolean;
}

export type RunValues = Map<string, unknown>;

/** Custom properties `param_<x>` are hyperparameters, `metric_<x>` metrics; everything else is a property. */
export function runValues(run: Pick<Run, "properties" | "customProperties">): Map<string, { group: Group; label: string; value: unknown }> {
  const out = new Map<string, { group: Group; label: string; value: unknown }>();
  for (const [k, v] of Object.entries(jsonObject(run.properties))) out.set(`p:${k}`, { group: "Properties", label: k, value: v });
  for (const [k, v] of Object.entries(jsonObject(run.customProperties))) {
    if (k.startsWith("param_")) out.set(`h:${k}`, { group: "Hyperparameters", label: k.slice(6), value: v });
    else if (k.startsWith("metric_")) out.set(`m:${k}`, { group: "Metrics", label: k.slice(7), value: v });
    else out.set(`c:${k}`, { group: "Properties", label: k, value: v });
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function compareRuns(runs: Pick<Run, "properties" | "customProperties">[]): { columns: Column[]; values: RunValues[] } {
  const per = runs.map(runValues);
  const cols = new Map<string, Column>();
  for (const m of per)
    for (const [k, v] of m)
      if (!cols.has(k)) cols.set(k, { key: k, group: v.group, label: v.label, numeric: true, differs: false });
  const values: RunValues[] = per.map((m) => new Map([...m].map(([k, v]) => [k, v.value] as const)));
  for (const c of cols.values()) {
    const vs = values.map((v) => v.get(c.key));
    c.numeric = vs.every((v) => v === undefined || v === null || typeof v === "number");
    c.differs = vs.some((v) => !same(v, vs[0]));
  }
  const columns = [...cols.values()].sort(
    (a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || a.label.localeCompare(b.label),
  );
  return { columns, values };
}

/** The run type to compare by default: the most common type among runs with values to compare. */
export function defaultRunType(runs: Pick<Run, "typeName" | "properties" | "customProperties">[]): string | null {
  const count = new Map<string, number>();
  for (const r of runs) {
    const n = runValues(r).size;
    if (n) count.set(r.typeName, (count.get(r.typeName) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [t, n] of count) if (best === null || n > count.get(best)!) best = t;
  return best;
}
