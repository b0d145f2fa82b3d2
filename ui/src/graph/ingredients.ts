/** Ingredients nodes: the commit a run used (`useIngredients`), drawn before the run. */

/** An ingredients node: the commit a run used, drawn before the run. */
export interface IngredientsNode {
  id: string;
  run: string;
  repo: string;
  sha: string;
  message: string;
  /** Paths by kind (lower case), kinds in the commit page's order. */
  kinds: { kind: string; paths: string[] }[];
}

const KIND_ORDER = ["config", "dataset", "environment", "code"];

/** The ingredients node's id for a run. */
export const ingredientsId = (run: string) => `ing:${run}`;

/** The URL of a commit's page. */
export const commitUrl = (repo: string, sha: string) => `/repos/${encodeURIComponent(repo)}/commits/${sha}`;

/** Group a commit's entries by kind, in the commit page's order of kinds. */
export function byKind(entries: readonly { path: string; kind: string }[]): IngredientsNode["kinds"] {
  const m = new Map<string, string[]>();
  for (const e of entries) {
    const k = e.kind.toLowerCase();
    m.set(k, [...(m.get(k) ?? []), e.path]);
  }
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  return [...m.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : 1)).map(([kind, paths]) => ({ kind, paths }));
}
