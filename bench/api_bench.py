"""API benchmark: lineage and impact end to end (HTTP + GraphQL + database) against the
services in process, and against an earlier commit's server in the same run.

Builds the synthetic graph of `bench/synthetic.py`, writes it with `lineage_bench.ingest`,
starts the API server of this checkout (and, with `--before REF`, the server of commit REF
checked out into a temporary git worktree) in processes of their own over the same
database, and asks each question of `bench/api_questions.py` every way it can be asked,
alternating the ways in one loop so that drift hits all alike. Then, unless
`--ingest-pipelines 0`, the writes of `bench/api_ingest.py` (`--ingest-ways` picks them;
with `--before`, the ways the earlier commit has are timed on it too). `--skip-questions`
times the writes alone, of a graph of `--pipelines` unless `--ingest-pipelines`.

Each line prints p50s in milliseconds and ratios of p50s: `table/store` and
`subgraph/store` (what HTTP, GraphQL and building the answer add to the database's work;
target at most 1.25 for answers up to 10,000 nodes), `best/before` (this checkout's faster
compact form, or its only form, against the earlier commit's typed answer: at most 1), and
`typed-table/1k` (what the typed `nodes { … } edges { … }` cost the server per 1,000 nodes
beyond the table). Unless `--skip-mlmd`, ratios to ml-metadata's in the same run
(`bench/mlmd_baseline.py`, SQLite, in process; `pip install ml-metadata==1.17.1`). The
embedded engine is used unless NEO4J_URI is set.

    python bench/api_bench.py --pipelines 1000 --steps 30 --fan-in 3 --before f65cd0a
    python bench/api_bench.py --pipelines 1000 --steps 30 --fan-in 3 --skip-questions \
        --ingest-ways "store ingest,store ingest (before),api lineage batch" --before eeed6da
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import api_servers, synthetic
from bench.api_ingest import WAYS, Before, ingestion
from bench.api_questions import Question, mid_depth, questions
from bench.api_servers import Reader, Server, Timed
from bench.lineage_bench import ingest, wipe
from bench.synthetic import percentile
from graph_api.config import Settings
from graph_api.runtime import Runtime, open_runtime

#: The columns of the report: the API sides, in order.
SIDES = ("table", "subgraph", "typed", "before")


async def compare(question: Question, sides: dict[str, Timed], repeats: int,
                  typed_max: int | None = None) -> dict[str, float]:
    """Warm every side up, then alternate them `repeats` times; p50 and p95 of each.
    Past `typed_max` nodes the typed sides are left out where a compact form (table,
    subgraph) answers the same question."""
    if typed_max is not None and (await sides["store"](0)) > typed_max and (
            {"table", "subgraph"} & set(sides)):
        sides = {side: run for side, run in sides.items() if side not in ("typed", "before")}
    for i in range(3):
        for run in sides.values():
            await run(i)
    times: dict[str, list[float]] = {side: [] for side in sides}
    sizes: list[int] = []
    for i in range(repeats):
        for side, run in sides.items():
            t0 = time.perf_counter()
            size = await run(i)
            times[side].append((time.perf_counter() - t0) * 1000)
            if side == "store":
                sizes.append(size)
    out = {"nodes": sum(sizes) / len(sizes)}
    for side, samples in times.items():
        out[f"{side}_p50"] = percentile(samples, 50)
        out[f"{side}_p95"] = percentile(samples, 95)
    print(f"  {question.name}: done", flush=True)
    return out


async def ask_all(asked: list[Question], readers: dict[str, Reader], repeats: int,
                  typed_max: int | None = None) -> dict[str, dict[str, float]]:
    results = {}
    for q in asked:
        sides: dict[str, Timed] = {"store": q.store}
        for side, make in q.sides.items():
            reader = readers.get("before" if side == "before" else "after")
            if reader is not None:
                sides[side] = make(reader)
        results[q.name] = await compare(q, sides, repeats, typed_max)
    return results


async def run(graph: synthetic.SyntheticGraph, args: argparse.Namespace, data_dir: Path,
              ingest_graph: synthetic.SyntheticGraph | None
              ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    env = api_servers.environment(data_dir)
    settings = Settings.from_env(env)
    runtime = await open_runtime(settings)
    servers: list[Server] = []
    with ExitStack() as stack:
        try:
            await wipe(runtime)  # warm the engine up on a small graph, then wipe it
            await ingest(runtime, synthetic.build(max(2, args.chunk), args.steps, 3, seed=1),
                         args.chunk)
            await wipe(runtime)
            ids: dict[str, str] = {}
            if not args.skip_questions:
                ids, seconds = await ingest(runtime, graph, args.chunk)
                print(f"ingested in {seconds:.1f} s", flush=True)
                print(await index_figures(runtime), flush=True)
            servers.append(api_servers.start(runtime, env))
            source: Path | None = None
            if args.before:
                source = stack.enter_context(api_servers.checked_out(args.before))
                servers.append(api_servers.start(runtime, env, source, "before"))
            for server in servers:
                await api_servers.wait_ready(server)
            results: dict[str, dict[str, float]] = {}
            if not args.skip_questions:
                async with aiohttp.ClientSession(
                        timeout=aiohttp.ClientTimeout(total=600)) as session:
                    readers = {s.label: Reader(session, s) for s in servers}
                    asked = [q for q in questions(runtime.services, graph, ids,
                                                  args.repeats, args.mid_nodes)
                             if args.only is None or q.name in args.only]
                    results = await ask_all(asked, readers, args.repeats, args.typed_max)
            writes: dict[str, dict[str, float]] = {}
            if ingest_graph is not None:
                print("ingestion (a second graph, written several ways):", flush=True)
                before = (Before(servers[1].url, source, env) if source is not None
                          else None)
                shape = (len(ingest_graph.pipelines), args.steps, args.fan_in)
                async with httpx.AsyncClient(timeout=300) as client:
                    writes = await ingestion(runtime, client, servers[0].url, ingest_graph,
                                             shape, args.chunk, settings.limits.max_aliases,
                                             before, args.ingest_ways, args.ingest_rounds,
                                             args.ingest_warmup)
            return results, writes
        finally:
            await api_servers.shut_down(servers, runtime)


async def index_figures(runtime: Runtime) -> str:
    """Build the bench process's topology index and say what it took."""
    t0 = time.perf_counter()
    await runtime.services.topology.ready()
    seconds = time.perf_counter() - t0
    held = runtime.services.topology.held
    if held is None:
        return "topology index: off"
    topo = held.topology
    return (f"topology index: {topo.size:,} nodes, {topo.edge_count:,} edges, built in "
            f"{seconds:.2f} s, {topo.nbytes() / 1e6:.1f} MB ({topo.nbytes() / topo.size:.0f} "
            "B a node)")


# -- ml-metadata ----------------------------------------------------------------------

#: MLMD's figure each question is compared with.
MLMD_EQUIVALENT = {"upstream": "upstream", "upstream+props": "upstream",
                   "downstream": "mid", "downstream+summ": "mid",
                   "hop5": "hop5", "hop5+props": "hop5", "impact+props": "downstream",
                   "hub ndjson": "downstream", "export (csv)": "downstream", "listing": "listing"}
#: MLMD's ingestion strategy (`mlmd_baseline.STRATEGIES`) each way of writing is compared with.
MLMD_INGEST = {"store ingest": "lineage_subgraph", "api lineage batch": "lineage_subgraph",
               "sdk lineage batches": "lineage_subgraph", "engine floor": "lineage_subgraph",
               "store put_execution": "put_execution", "api putExecution": "put_execution",
               "store batch": "batched", "api batch": "batched"}
MLMD_INGEST |= {f"{way} (before)": MLMD_INGEST[way]
                for way in ("store ingest", "api batch", "api putExecution")}
#: The in-process store figure each API way of writing is compared with.
STORE_INGEST = {"api putExecution": "store put_execution", "api batch": "store batch",
                "api lineage batch": "store ingest", "sdk lineage batches": "store ingest"}


def mlmd_listing(store: Any, repeats: int) -> dict[str, float]:
    """The 100-artifact nested listing through MLMD's read API, timed like `compare`."""
    from ml_metadata.metadata_store import metadata_store as ms
    from ml_metadata.proto import metadata_store_pb2 as pb

    options = ms.ListOptions(limit=100, order_by=ms.OrderByField.CREATE_TIME, is_asc=True)

    def once() -> int:
        artifacts = store.get_artifacts(list_options=options)
        events = store.get_events_by_artifact_ids([a.id for a in artifacts])
        producers = list(dict.fromkeys(e.execution_id for e in events
                                       if e.type == pb.Event.OUTPUT))  # type: ignore[attr-defined]
        store.get_executions_by_id(producers)
        inputs = list(dict.fromkeys(e.artifact_id
                                    for e in store.get_events_by_execution_ids(producers)
                                    if e.type == pb.Event.INPUT))  # type: ignore[attr-defined]
        store.get_artifacts_by_id(inputs)
        for execution_id in producers:  # MLMD has no batched form of this read
            store.get_contexts_by_execution(execution_id)
        return len(artifacts)

    for _ in range(3):
        once()
    times, sizes = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sizes.append(once())
        times.append((time.perf_counter() - t0) * 1000)
    return {"listing_p50_ms": percentile(times, 50), "listing_p95_ms": percentile(times, 95),
            "listing_nodes": sum(sizes) / len(sizes)}


def run_mlmd_all(graph: synthetic.SyntheticGraph, ingest_graph: synthetic.SyntheticGraph | None,
                 workdir: Path, repeats: int, questions: bool = True,
                 ways: Sequence[str] = WAYS, rounds: int = 1,
                 mid: str | None = None) -> dict[str, float]:
    """`mlmd_baseline.run_mlmd` on `graph` (with the downstream lineage of `mid`, the
    `downstream` questions' start) and the listing on the same store (unless not
    `questions`), then the ingestion of `ingest_graph` by each MLMD strategy the chosen
    `ways` are compared with, into a fresh file, `rounds` times (the median counts).

    The ingestion runs in a process of its own: run in this one, it left the questions
    asked after it measurably slower, the in-process store side included (with the
    collector frozen too; the cause was not found), and the figures unlike those of a run
    without it."""
    from bench.mlmd_baseline import ingest_seconds, open_store, run_mlmd

    out: dict[str, float] = {}
    workdir.mkdir(parents=True, exist_ok=True)
    if questions:
        out.update(run_mlmd(graph, workdir, repeats, mid=mid))
        out.update(mlmd_listing(open_store(workdir / "mlmd.sqlite"), repeats))
    if ingest_graph is not None:
        total = ingest_graph.node_count() + ingest_graph.edge_count()
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
            for strategy in sorted({MLMD_INGEST[way] for way in ways}):
                path = workdir / f"ingest-{strategy}.sqlite"
                seconds = statistics.median(
                    child.submit(ingest_seconds, ingest_graph, path, strategy).result()
                    for _ in range(rounds))
                out[f"ingest_rate_{strategy}"] = total / seconds
    return out


def _ratio(a: float | None, b: float | None, width: int) -> str:
    return f"{a / b:>{width}.2f}" if a and b else f"{'-':>{width}}"


def _ms(value: float | None, width: int) -> str:
    return f"{value:>{width}.1f}" if value is not None else f"{'-':>{width}}"


def report(results: dict[str, dict[str, float]], mlmd: dict[str, float] | None = None) -> str:
    """One line per question: p50s of every side, and the ratios of the module doc."""
    head = (f"{'question':<16}{'nodes':>8}{'store':>9}" + "".join(f"{s:>10}" for s in SIDES)
            + f"{'table/store':>13}{'subgr/store':>13}{'best/before':>13}"
            + f"{'typed-table/1k':>16}{'mlmd':>9}{'best/mlmd':>11}")
    lines = [head]
    for name, r in results.items():
        p50 = {side: r.get(f"{side}_p50") for side in SIDES}
        compact = [v for v in (p50["table"], p50["subgraph"]) if v is not None]
        best = min(compact) if compact else p50["typed"]
        per_1k = ((p50["typed"] - p50["table"]) / r["nodes"] * 1000
                  if p50["typed"] is not None and p50["table"] is not None else None)
        key = MLMD_EQUIVALENT.get(name)
        m = mlmd.get(f"{key}_p50_ms") if mlmd and key else None
        lines.append(f"{name:<16}{r['nodes']:>8.0f}{r['store_p50']:>9.1f}"
                     + "".join(_ms(p50[side], 10) for side in SIDES)
                     + _ratio(p50["table"], r["store_p50"], 13)
                     + _ratio(p50["subgraph"], r["store_p50"], 13)
                     + _ratio(best, p50["before"], 13) + _ms(per_1k, 16)
                     + _ms(m, 9) + _ratio(best, m, 11))
    return "\n".join(lines)


def report_ingest(writes: dict[str, dict[str, float]], mlmd: dict[str, float] | None) -> str:
    """Rates in nodes + edges per second; every ratio > 1 means the row is faster (than
    the same way in process, `store ingest`, MLMD's same strategy, MLMD's best; a way
    timed on the `--before` commit too: than there)."""
    ref = writes.get("store ingest", {}).get("rate")
    best = mlmd.get("ingest_rate_lineage_subgraph") if mlmd else None
    lines = [f"{'writes':<20}{'seconds':>9}{'requests':>10}{'rate /s':>10}{'/store same':>13}"
             f"{'/store ingest':>15}{'mlmd same /s':>14}{'/mlmd same':>12}{'/mlmd best':>12}"]
    for name, w in writes.items():
        same = writes.get(STORE_INGEST.get(name, ""), {}).get("rate")
        m = mlmd.get(f"ingest_rate_{MLMD_INGEST[name]}") if mlmd else None
        lines.append(f"{name:<20}{w['seconds']:>9.1f}"
                     + (f"{w['requests']:>10.0f}" if w["requests"] else f"{'-':>10}")
                     + f"{w['rate']:>10.0f}" + _ratio(w["rate"], same, 13)
                     + _ratio(w["rate"], ref, 15) + (f"{m:>14.0f}" if m else f"{'-':>14}")
                     + _ratio(w["rate"], m, 12) + _ratio(w["rate"], best, 12))
    for name, w in writes.items():
        then = writes.get(f"{name} (before)")
        if then:
            lines.append(f"{name}: {w['rate'] / then['rate']:.2f}x the rate before "
                         f"({then['seconds']:.1f} s -> {w['seconds']:.1f} s)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    synthetic.add_graph_arguments(parser)
    parser.add_argument("--ingest-pipelines", type=int, default=None, help=(
        "pipelines of the ingestion graph (default min(--pipelines, 20): one transaction "
        "per execution is slow; 0: skip)"))
    parser.add_argument("--skip-mlmd", action="store_true")
    parser.add_argument("--mid-nodes", type=int, default=5000, help=(
        "size of the mid-size downstream answer: the raw dataset whose downstream lineage "
        "is closest to it (default 5000)"))
    parser.add_argument("--before", metavar="REF", help=(
        "also time the typed answers, and the ingestion ways it has, of this git commit "
        "(checked out into a temporary worktree) over the same database"))
    parser.add_argument("--typed-max", type=int, default=None, metavar="NODES", help=(
        "leave out the typed answers of more nodes than this where the table or subgraph "
        "form answers the question (a typed answer of 100,000 nodes takes tens of seconds)"))
    parser.add_argument("--only", type=lambda s: [q.strip() for q in s.split(",")],
                        default=None, metavar="QUESTIONS", help=(
                            "ask only these questions, comma-separated (e.g. "
                            "'hop5,hop5+props,listing')"))
    parser.add_argument("--skip-questions", action="store_true", help=(
        "only the ingestion (of --ingest-pipelines, default --pipelines)"))
    parser.add_argument("--ingest-ways", type=lambda s: [w.strip() for w in s.split(",")],
                        default=list(WAYS), help=(
                            "the ways of writing to time, comma-separated (default: every "
                            f"one: {', '.join(WAYS)})"))
    parser.add_argument("--ingest-rounds", type=int, default=1, help=(
        "times each way of writing is timed, the ways alternating; the median counts"))
    parser.add_argument("--ingest-warmup", type=int, default=0, help=(
        "pipelines each way of writing writes first, untimed, one per chunk, so that the "
        "engine has compiled its statements (default 0)"))
    args = parser.parse_args(argv)
    unknown = set(args.ingest_ways) - set(WAYS)
    if unknown:
        parser.error(f"--ingest-ways: unknown {', '.join(sorted(unknown))}")
    graph = synthetic.from_arguments(args)
    print(synthetic.describe(args, graph))
    default_ingest = args.pipelines if args.skip_questions else min(args.pipelines, 20)
    n_ingest = default_ingest if args.ingest_pipelines is None else args.ingest_pipelines
    ingest_graph = (synthetic.build(n_ingest, args.steps, args.fan_in, seed=2)
                    if n_ingest > 0 else None)
    if ingest_graph is not None:
        print(f"ingestion graph (seed 2): {n_ingest} pipelines: {ingest_graph.node_count()} "
              f"nodes, {ingest_graph.edge_count()} edges")
    with tempfile.TemporaryDirectory(prefix="api-bench-") as tmp:
        mlmd: dict[str, float] | None = None
        if not args.skip_mlmd:
            t0 = time.perf_counter()
            depth = mid_depth(graph, Settings.from_env().limits.max_hops)
            mid, _ = synthetic.sized_start(graph, args.mid_nodes, depth)
            mlmd = run_mlmd_all(graph, ingest_graph, Path(tmp) / "mlmd", args.repeats,
                                not args.skip_questions, args.ingest_ways, args.ingest_rounds,
                                mid)
            print(f"ml-metadata done in {time.perf_counter() - t0:.1f} s", flush=True)
        results, writes = asyncio.run(run(graph, args, Path(tmp) / "engine", ingest_graph))
    print("p50 in ms (embedded engine unless NEO4J_URI); ratios of p50s, < 1 is faster"
          + (f"; before: {args.before}" if args.before else "")
          + ("; mlmd: ml-metadata 1.17 SQLite in process" if mlmd else ""))
    if results:
        print(report(results, mlmd))
    if writes:
        print(f"\ningestion of the second graph in nodes + edges per second; ratios > 1 are "
              f"faster. putExecution: up to {max(1, Settings.from_env().limits.max_aliases)} "
              "aliased mutations (one step of as many pipelines) per request; batch: "
              f"{args.chunk} pipelines per chunk, 2 requests per chunk; lineage batch: "
              "1 request per chunk; sdk lineage batches: the same, 2 under way")
        print(report_ingest(writes, mlmd))


if __name__ == "__main__":
    main()
