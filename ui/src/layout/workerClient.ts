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

/** Start the worker and warm ELK up (its first layout is slow) while the data loads. */
export function prewarm(): void {
  void layoutInWorker(
    [
      { id: "a", width: 10, height: 10 },
      { id: "b", width: 10, height: 10 },
    ],
    [{ source: "a", target: "b" }],
    "elk",
  ).catch(() => undefined);
}
