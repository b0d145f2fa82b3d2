/** Recently visited nodes, kept in localStorage. */
export interface RecentItem {
  id: string;
  kind: "ARTIFACT" | "EXECUTION" | "CONTEXT";
  name: string | null;
  typeName: string;
  at: number;
}

const KEY = "lineage.recent";
const MAX = 12;

export function readRecent(): RecentItem[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    return Array.isArray(v) ? (v as RecentItem[]) : [];
  } catch {
    return [];
  }
}

export function rememberVisit(item: Omit<RecentItem, "at">): void {
  try {
    const list = readRecent().filter((r) => r.id !== item.id);
    list.unshift({ ...item, at: Date.now() });
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX)));
  } catch {
    /* storage unavailable */
  }
}
