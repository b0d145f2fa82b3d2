"""UI benchmark: a ~2,000-node downstream lineage drawn by the web UI in headless Chromium.

Builds the synthetic graph of `bench/synthetic.py`, ingests it with `lineage_bench.ingest`,
picks the raw dataset whose downstream lineage is closest to `--nodes` nodes (artifacts and
executions, as the API counts them), starts the API server serving the built UI (`ui/dist`,
its own process on loopback, as `api_servers.start` does) and, in Debian's headless
Chromium (`/usr/bin/chromium`, through Playwright), times `--repeats` times in a fresh page:

* `load -> ready` — from the navigation's start (the page's time origin) of
  `page.goto('/lineage/<id>?direction=downstream&hops=H&cap=10000')` to the moment the
  canvas becomes `[data-testid="lineage-canvas"][data-layout="ready"]` (the UI sets it two
  animation frames after the laid-out graph is painted), seen in the page by a
  MutationObserver that a script installed before the page's own records
  (`performance.now()`); the URL also raises the start node's fan-out limit (`more=`) so
  that all of its consumers are drawn;
* `goto -> seen` — the same from the automation's side: from calling `page.goto` until
  Playwright's `wait_for_selector` returns. It adds Playwright's polling (up to 500 ms
  apart) and round trips to the page's own time, and is printed for comparison only;
* `fetch`, `layout`, `render` — the UI's own figures for that load, from
  `window.__lineageTimings` (`fetchMs`, `layoutMs`, `renderMs`; and which layout `engine`);
* `click -> panel` — a real mouse click on a node (mid-graph) until the side panel shows
  that node and the next animation frame has fired;
* `wheel -> frame` — a real mouse-wheel zoom over the canvas until the viewport's transform
  has changed and the next animation frame has fired.

Before the browser starts, the UI's own lineage request (the compact table with the columns
of the `DrawnGraph` fragment of `ui/src/api/lineageGraph.ts`) is sent `--warmup` times: the
engine compiles its hot paths over the first few dozen queries (a 2,000-node answer takes
about twice as long on a cold engine), and users meet a warm server. That request's cold
and warm times are printed. Interaction figures are taken in the page (`performance.now()`
from the input event), so they exclude the automation's round trips. A first load (cold
browser cache) is printed apart. Each line prints p50 and the spread (min, p90, max) in
milliseconds.
The embedded engine is used unless NEO4J_URI is set.

    npm run build --prefix ui
    python bench/ui_bench.py --pipelines 100 --nodes 2000 --repeats 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import Page, async_playwright

from bench import api_servers, synthetic
from bench.api_servers import graphql
from bench.lineage_bench import ingest, wipe
from bench.synthetic import percentile
from graph_api.config import Settings, default_ui_dir
from graph_api.runtime import open_runtime

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: The figures printed, in milliseconds.
TIMED = ("load -> ready", "goto -> seen", "fetch (UI)", "layout (UI)", "render (UI)", "click -> panel",
         "wheel -> frame")
READY = '[data-testid="lineage-canvas"][data-layout="ready"]'
TIMEOUT_MS = 300_000

#: What the UI's lineage view asks for (the table of the `DrawnGraph` fragment of
#: `ui/src/api/lineageGraph.ts`), so that the API's own time below, and the server's warm-up,
#: are those of the UI's request.
LINEAGE = """query ($id: ID!, $hops: Int!) {
  lineage(input: {startArtifactIds: [$id], direction: DOWNSTREAM, maxHops: $hops}) {
    table(columns: [NAME, URI, STATE, NEIGHBORS])
  }
}"""

#: Installed in the page before an input: resolves `window.__benchDone` with the ms from the
#: input event (`event`, captured on window) to the first animation frame after `done()`
#: holds. `done` is the body of a function of `start` (what `snapshot()` returned before).
ARM = """({event, snapshot, done}) => {
  const snap = new Function(snapshot);
  const check = new Function("start", done);
  const start = snap();
  let t0 = null;
  window.__benchDone = new Promise((resolve, reject) => {
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error("timed out")); }, 60000);
    const finish = () => {
      if (t0 === null || !check(start)) return false;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve(performance.now() - t0));
      return true;
    };
    const observer = new MutationObserver(() => { finish(); });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                     characterData: true});
    window.addEventListener(event, () => { t0 = performance.now(); queueMicrotask(finish); },
                            {capture: true, once: true});
  });
}"""

#: Installed before any page script: records when the canvas first becomes ready, in the
#: page's own clock (milliseconds since the navigation started).
READY_WATCH = """
new MutationObserver((_, observer) => {
  if (document.querySelector('[data-testid="lineage-canvas"][data-layout="ready"]')) {
    window.__readyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ["data-layout"]});
"""

VIEWPORT_TRANSFORM = ("return document.querySelector('.react-flow__viewport')?.style.transform "
                      "?? '';")


#: The id of `preferred` if that node is drawn inside the pane, else of the drawn node
#: nearest the pane's centre (a small graph opens at a readable zoom, not fitted whole).
VISIBLE_NODE = """(preferred) => {
  const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
  const inside = (r) => r.left >= pane.left && r.right <= pane.right && r.top >= pane.top
    && r.bottom <= pane.bottom && r.width > 0;
  const cx = pane.left + pane.width / 2, cy = pane.top + pane.height / 2;
  let best = null, bestDistance = Infinity;
  for (const el of document.querySelectorAll('.react-flow__node[data-id]')) {
    const r = el.getBoundingClientRect();
    if (!inside(r)) continue;
    if (el.dataset.id === preferred) return preferred;
    const d = Math.hypot(r.left + r.width / 2 - cx, r.top + r.height / 2 - cy);
    if (d < bestDistance) { best = el.dataset.id; bestDistance = d; }
  }
  return best;
}"""


async def click_to_panel(page: Page, preferred_id: str) -> float:
    node_id = await page.evaluate(VISIBLE_NODE, preferred_id)
    assert node_id is not None, "no node is drawn inside the pane"
    node = page.locator(f'.react-flow__node[data-id="{node_id}"]')
    # Playwright's actionability checks without the click: the node receives events and
    # has stopped moving (a small graph's first view is animated).
    await node.click(trial=True, timeout=TIMEOUT_MS)
    box = await node.bounding_box()
    assert box is not None, f"node {node_id} is not drawn"
    done = ("return !!document.querySelector("
            f"'[data-testid=\"side-panel\"][data-node-id=\"{node_id}\"]');")
    await page.evaluate(ARM, {"event": "click", "snapshot": "return null;", "done": done})
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    ms: float = await page.evaluate("window.__benchDone")
    return ms


async def wheel_to_frame(page: Page) -> float:
    pane = await page.locator(".react-flow__pane").bounding_box()
    assert pane is not None
    await page.mouse.move(pane["x"] + pane["width"] / 2, pane["y"] + pane["height"] / 2)
    done = ("return start !== "
            "(document.querySelector('.react-flow__viewport')?.style.transform ?? '');")
    await page.evaluate(ARM, {"event": "wheel", "snapshot": VIEWPORT_TRANSFORM, "done": done})
    await page.mouse.wheel(0, -240)
    ms: float = await page.evaluate("window.__benchDone")
    return ms


async def one_load(page: Page, url: str, click_id: str) -> dict[str, float | str]:
    t0 = time.perf_counter()
    await page.goto(url)
    await page.wait_for_selector(READY, timeout=TIMEOUT_MS, state="attached")
    seen_ms = (time.perf_counter() - t0) * 1000
    ready_ms: float = await page.evaluate("window.__readyAt")
    canvas = page.locator(READY)
    timings: dict[str, Any] = await page.evaluate("window.__lineageTimings")
    out: dict[str, float | str] = {
        "load -> ready": ready_ms,
        "goto -> seen": seen_ms,
        "fetch (UI)": float(timings["fetchMs"]),
        "layout (UI)": float(timings["layoutMs"]),
        "render (UI)": float(timings["renderMs"]),
        "engine": str(timings["engine"]),
        "nodes drawn": float(await canvas.get_attribute("data-node-count") or 0),
        "edges drawn": float(await canvas.get_attribute("data-edge-count") or 0),
    }
    out["click -> panel"] = await click_to_panel(page, click_id)
    out["wheel -> frame"] = await wheel_to_frame(page)
    return out


async def browse(url: str, click_id: str, repeats: int) -> tuple[dict[str, float | str],
                                                                  list[dict[str, float | str]]]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                   args=CHROMIUM_ARGS, timeout=60_000)
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 900})
            await context.add_init_script(READY_WATCH)
            errors: list[str] = []
            runs: list[dict[str, float | str]] = []
            for i in range(repeats + 1):
                page = await context.new_page()
                page.on("pageerror", lambda e: errors.append(str(e)))
                runs.append(await one_load(page, url, click_id))
                await page.close()
                print(f"  load {i}: {runs[-1]['load -> ready']:.0f} ms", flush=True)
            if errors:
                raise SystemExit(f"uncaught errors in the page: {errors}")
            return runs[0], runs[1:]
        finally:
            await browser.close()


async def timed(request: Awaitable[Any]) -> float:
    """Milliseconds `request` takes."""
    t0 = time.perf_counter()
    await request
    return (time.perf_counter() - t0) * 1000


async def run(graph: synthetic.SyntheticGraph, start: str, hops: int, repeats: int, chunk: int,
              ui_dir: Path, data_dir: Path, warmup: int) -> tuple[dict[str, Any], dict[str, float | str],
                                                     list[dict[str, float | str]]]:
    env = dict(os.environ)
    env.setdefault("LINEAGE_DATA_DIR", str(data_dir))
    env.setdefault("LINEAGE_EMBEDDED_HEAP", "4g")
    env["LINEAGE_UI_DIR"] = str(ui_dir)
    runtime = await open_runtime(Settings.from_env(env))
    servers: list[api_servers.Server] = []
    try:
        await wipe(runtime)
        ids, seconds = await ingest(runtime, graph, chunk)
        print(f"ingested in {seconds:.1f} s", flush=True)
        servers.append(api_servers.start(runtime, env))
        base = servers[0].url
        async with httpx.AsyncClient(timeout=300) as client:
            await api_servers.wait_ready(servers[0])
            variables = {"id": ids[start], "hops": hops}
            cold_ms = await timed(graphql(client, base, LINEAGE, variables))
            # The engine compiles its hot paths over the first few dozen queries: measure the
            # UI against a warm server, as users meet it (the cold figures are printed apart).
            for _ in range(warmup):
                await graphql(client, base, LINEAGE, variables)
            warm = [await timed(graphql(client, base, LINEAGE, variables)) for _ in range(5)]
            api_ms = percentile(warm, 50)
            answer = (await graphql(client, base, LINEAGE, variables))["lineage"]["table"]
        # Click a node half-way down the answer (not the start node: it may be selected).
        by_degree = sorted(zip(answer["nodes"]["degree"], answer["nodes"]["id"], strict=True))
        click_id = by_degree[len(by_degree) // 2][1]
        start_id = ids[start]
        url = (f"{base}/lineage/{start_id}?direction=downstream&hops={hops}&cap=10000"
               f"&more=10000:d:{start_id}")
        api = {"nodes": len(answer["nodes"]["id"]), "edges": len(answer["edges"]["source"]),
               "truncated": answer["truncated"], "ms": api_ms, "cold_ms": cold_ms, "url": url}
        print(f"API: {api['nodes']} nodes, {api['edges']} edges in {api_ms:.0f} ms warm "
              f"({cold_ms:.0f} ms cold, before {warmup} warm-up requests); "
              f"{url.removeprefix(base)}", flush=True)
        first, runs = await browse(url, click_id, repeats)
        return api, first, runs
    finally:
        await api_servers.shut_down(servers, runtime)


def report(first: dict[str, float | str], runs: Sequence[dict[str, float | str]]) -> str:
    keys = [k for k in TIMED if k in first]
    lines = [f"{'':<16}{'first':>9}{'p50':>9}{'min':>9}{'p90':>9}{'max':>9}"]
    for key in keys:
        samples = [float(r[key]) for r in runs]
        lines.append(f"{key:<16}{float(first[key]):>9.0f}{percentile(samples, 50):>9.0f}"
                     f"{min(samples):>9.0f}{percentile(samples, 90):>9.0f}{max(samples):>9.0f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    synthetic.add_graph_arguments(parser, repeats=10)
    parser.add_argument("--nodes", type=int, default=2000, help="target size of the answer")
    parser.add_argument("--hops", type=int, default=None, help="default: the whole depth")
    parser.add_argument("--warmup", type=int, default=40,
                        help="the UI's lineage request sent this many times before the browser "
                             "loads, so that the server is warm (default 40)")
    parser.add_argument("--ui-dir", type=Path, default=None,
                        help="the UI build (default: LINEAGE_UI_DIR, else ui/dist)")
    args = parser.parse_args(argv)
    ui_dir: Path = args.ui_dir or (Path(os.environ["LINEAGE_UI_DIR"]) if os.environ.get("LINEAGE_UI_DIR")
                                   else default_ui_dir())
    if not (ui_dir / "index.html").is_file():
        raise SystemExit(f"build the UI: npm run build --prefix ui (no index.html in {ui_dir})")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"needs Debian's chromium at {CHROMIUM}: scripts/install dev")
    graph = synthetic.from_arguments(args)
    hops = args.hops or min(2 * args.steps + 2, 100)
    start, size = synthetic.sized_start(graph, args.nodes, hops)
    print(f"{synthetic.describe(args, graph)}; start {start}: "
          f"{size} nodes downstream within {hops} hops")
    with tempfile.TemporaryDirectory(prefix="ui-bench-") as tmp:
        api, first, runs = asyncio.run(run(graph, start, hops, args.repeats, args.chunk, ui_dir,
                                           Path(tmp) / "engine", args.warmup))
    drawn = float(runs[-1]["nodes drawn"])
    print(f"\nUI in headless Chromium 1400 x 900, layout engine {runs[-1]['engine']}: "
          f"{drawn:.0f} nodes drawn of the API's {api['nodes']}"
          + (" (truncated by the server)" if api["truncated"] else ""))
    if abs(drawn - api["nodes"]) > 0.05 * api["nodes"]:
        print("  note: the UI drew a different number of nodes than the API answered "
              "(aggregated fan-out or filters)")
    print(f"times in ms over {len(runs)} loads (first: cold browser, not in the figures); the "
          f"UI's lineage request alone {api['ms']:.0f} ms (warm server)")
    print(report(first, runs))


if __name__ == "__main__":
    main()
