import type { EngineChoice, LayoutEdge, LayoutNode, RawLayoutResult } from "./engine";

let worker: Worker | null = null;
let next = 1;
const pending = new Map<number, { resolve: (r: RawLayoutResult) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (ev: MessageEvent) => {
    const d = ev.data as { reqId: number; error?: string } & RawLayoutResult;
    const p = pending.get(d.reqId);
    if (!p) return;
    pending.delete(d.reqId);
    if (d.error) p.reject(new Error(d.error));
    else p.resolve({ positions: d.positions, layoutMs: d.layoutMs, engine: d.engine });
  };
  worker.onerror = (ev) => {
    for (const p of pending.values()) p.reject(new Error(`layout worker: ${ev.message}`));
    pending.clear();
  };
  return worker;
}

/** Run one layout in the worker. */
export function layoutInWorker(nodes: LayoutNode[], edges: LayoutEdge[], engine: EngineChoice): Promise<RawLayoutResult> {
  const reqId = next++;
  return new Promise((resolve, reject) => {
    pending.set(reqId, { resolve, reject });
    getWorker().postMessage({ reqId, nodes, edges, engine });
  });
}

/** Start the worker (small; the layout code without ELK) so the first layout does not wait for it. */
export function startWorker(): void {
  getWorker();
}

let warmed = false;
/**
 * Warm ELK up (its chunk is 1.4 MB and its first layout is slow) once the page is idle: on
 * the home page, or after a first picture is drawn, never while a first answer is loading.
 */
export function prewarmWhenIdle(): void {
  if (warmed) return;
  warmed = true;
  const idle = (cb: () => void) =>
    "requestIdleCallback" in window ? window.requestIdleCallback(cb, { timeout: 2000 }) : setTimeout(cb, 200);
  idle(() => prewarm());
}

function prewarm(): void {
  void layoutInWorker(
    [
      { id: "a", width: 10, height: 10 },
      { id: "b", width: 10, height: 10 },
    ],
    [{ source: "a", target: "b" }],
    "elk",
  ).catch(() => undefined);
}
