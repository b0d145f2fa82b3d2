/** The lineage view's whole state lives in its URL; this parses and writes it. */

import type { Side } from "../graph/model";

export interface SideRef {
  id: string;
  side: Side;
}

export interface MoreRef extends SideRef {
  n: number;
}

export interface LineageState {
  up: number;
  down: number;
  /** Executions folded into artifact -> artifact edges. */
  fold: boolean;
  hiddenKinds: string[];
  hiddenTypes: string[];
  /** Selected node. */
  sel: string | null;
  /** Second node (shift-click): every path between sel and sel2 is highlighted. */
  sel2: string | null;
  /** One-hop expansions at a node's side, in the order they were made. */
  exp: SideRef[];
  /** Rounds of "expand all". */
  xall: number;
  /** Collapsed branches. */
  col: SideRef[];
  /** Raised fan-out limits ("show more"). */
  more: MoreRef[];
  /** Most nodes drawn before the view asks for filters; null: the stored or default cap. */
  cap: number | null;
  /** Layout engine override; null: chosen by size. */
  engine: "elk" | "dagre" | "layered" | null;
}

export const DEFAULT_HOPS = 2;
export const MAX_HOPS = 100;

export const defaultLineageState = (): LineageState => ({
  up: DEFAULT_HOPS,
  down: DEFAULT_HOPS,
  fold: false,
  hiddenKinds: [],
  hiddenTypes: [],
  sel: null,
  sel2: null,
  exp: [],
  xall: 0,
  col: [],
  more: [],
  cap: null,
  engine: null,
});

function int(v: string | null, fallback: number, max = MAX_HOPS): number {
  if (v === null || v.trim() === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) return fallback;
  return Math.max(0, Math.min(max, Math.trunc(n)));
}

function sideRef(v: string): SideRef | null {
  const at = v.indexOf(":");
  if (at < 0) return null;
  const s = v.slice(0, at);
  const id = v.slice(at + 1);
  if ((s !== "u" && s !== "d") || !id) return null;
  return { side: s === "u" ? "up" : "down", id };
}

function list(params: URLSearchParams, key: string): string[] {
  return params
    .getAll(key)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function parseLineageSearch(search: string): LineageState {
  const p = new URLSearchParams(search);
  const st = defaultLineageState();
  const direction = (p.get("direction") ?? "").toLowerCase();
  if (direction) {
    const hops = int(p.get("hops"), DEFAULT_HOPS);
    st.up = direction === "downstream" ? 0 : hops;
    st.down = direction === "upstream" ? 0 : hops;
  }
  if (p.has("up")) st.up = int(p.get("up"), st.up);
  if (p.has("down")) st.down = int(p.get("down"), st.down);
  st.fold = p.get("fold") === "1" || p.get("fold") === "true";
  st.hiddenKinds = list(p, "hk").map((k) => k.toUpperCase());
  st.hiddenTypes = p.getAll("ht").filter(Boolean);
  st.sel = p.get("sel") || null;
  st.sel2 = p.get("sel2") || null;
  st.exp = p.getAll("exp").map(sideRef).filter((x): x is SideRef => x !== null);
  st.xall = int(p.get("xall"), 0, 20);
  st.col = p.getAll("col").map(sideRef).filter((x): x is SideRef => x !== null);
  st.more = p
    .getAll("more")
    .map((v) => {
      const at = v.indexOf(":");
      const n = Number(v.slice(0, at));
      const ref = sideRef(v.slice(at + 1));
      return ref && at > 0 && Number.isInteger(n) && n > 0 ? { ...ref, n } : null;
    })
    .filter((x): x is MoreRef => x !== null);
  const cap = p.get("cap");
  st.cap = cap !== null && /^\d+$/.test(cap) && Number(cap) > 0 ? Number(cap) : null;
  const engine = p.get("engine");
  st.engine = engine === "elk" || engine === "dagre" || engine === "layered" ? engine : null;
  return st;
}

const ref = (r: SideRef) => `${r.side === "up" ? "u" : "d"}:${r.id}`;

/** The canonical query string (without "?"); defaults are left out. */
export function serialiseLineageState(st: LineageState): string {
  const p = new URLSearchParams();
  p.set("up", String(st.up));
  p.set("down", String(st.down));
  if (st.fold) p.set("fold", "1");
  if (st.hiddenKinds.length) p.set("hk", st.hiddenKinds.join(","));
  for (const t of st.hiddenTypes) p.append("ht", t);
  for (const e of st.exp) p.append("exp", ref(e));
  if (st.xall) p.set("xall", String(st.xall));
  for (const c of st.col) p.append("col", ref(c));
  for (const m of st.more) p.append("more", `${m.n}:${ref(m)}`);
  if (st.sel) p.set("sel", st.sel);
  if (st.sel2) p.set("sel2", st.sel2);
  if (st.cap !== null) p.set("cap", String(st.cap));
  if (st.engine) p.set("engine", st.engine);
  return p.toString();
}

export const DEFAULT_CAP = 5000;
const CAP_KEY = "lineage.cap";

/** The node cap: ?cap= first, then localStorage, then 5,000. */
export function effectiveCap(st: LineageState, storage: Pick<Storage, "getItem"> | null): number {
  if (st.cap !== null) return st.cap;
  const stored = storage?.getItem(CAP_KEY);
  if (stored && /^\d+$/.test(stored) && Number(stored) > 0) return Number(stored);
  return DEFAULT_CAP;
}

export function storeCap(cap: number): void {
  try {
    localStorage.setItem(CAP_KEY, String(cap));
  } catch {
    /* storage unavailable */
  }
}
