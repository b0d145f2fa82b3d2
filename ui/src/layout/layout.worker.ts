/// <reference lib="webworker" />
import { compute } from "./compute";
import { pickEngine, type EngineChoice, type LayoutEdge, type LayoutNode } from "./engine";

interface Request {
  reqId: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  engine: EngineChoice;
}

// One layout at a time: ELK's bundled engine loses answers when two layouts overlap.
let queue: Promise<void> = Promise.resolve();

// Whether ELK has laid a graph out in this worker (see `pickEngine`).
let elkWarm = false;

async function run({ reqId, nodes, edges, engine: choice }: Request): Promise<void> {
  const engine = pickEngine(nodes.length, choice, elkWarm);
  const t0 = performance.now();
  try {
    const positions = await compute(engine, nodes, edges);
    if (engine === "elk") elkWarm = true;
    self.postMessage({ reqId, positions, engine, layoutMs: performance.now() - t0 });
  } catch (e) {
    self.postMessage({ reqId, error: String(e instanceof Error ? e.message : e) });
  }
}

self.onmessage = (ev: MessageEvent<Request>) => {
  queue = queue.then(() => run(ev.data));
};
