"""Where the embedded engine's time goes in a batch write: `store ingest` (one
`put_lineage_subgraph` a chunk of pipelines) beside the engine's floor (the same nodes and
edges by the simplest statement that writes them, `bench/ingest_floor.py`).

The engine runs under Java Flight Recorder (through `JAVA_TOOL_OPTIONS`, which the
engine's JVM reads at start; the wheel's Java runtime brings the `jfr` tool that reads
the recording). For each way it prints the wall time, the CPU of the engine's Bolt
threads (which run the statements and commit them) and of this process (which builds the
rows), then the Bolt threads' samples taken while that way wrote, by the Cypher step they
were in (the innermost one on the stack), or `commit`: a table of the engine's seconds
per part. The embedded engine only; with `NEO4J_URI` set the bench refuses to run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ingest_floor, synthetic
from bench.lineage_bench import ingest, register_types, wipe
from graph_api.config import Settings
from graph_api.embedded import java_command
from graph_api.runtime import Runtime, open_runtime

#: The package of the engine's Cypher execution steps.
STEPS = "com.arcadedb.query.opencypher.executor.steps."
#: Frames that mean a sample was taken while committing.
COMMIT = ("com.arcadedb.database.TransactionContext.commit",
          "com.arcadedb.database.LocalDatabase.commit")
TICKS = os.sysconf("SC_CLK_TCK")
START = re.compile(r"startTime = (\S+) \((\S+)\)")

Way = Callable[[Runtime, synthetic.SyntheticGraph, int], Awaitable[object]]


async def store_ingest(runtime: Runtime, graph: synthetic.SyntheticGraph, chunk: int) -> None:
    await ingest(runtime, graph, chunk)


async def engine_floor(runtime: Runtime, graph: synthetic.SyntheticGraph, chunk: int) -> None:
    await register_types(runtime.services)
    await ingest_floor.ingest_floor(runtime, graph, chunk)


WAYS: dict[str, Way] = {"store ingest": store_ingest, "engine floor": engine_floor}


def bolt_cpu(pid: int) -> float:
    """Seconds of CPU the engine's Bolt threads have used (Linux /proc)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except FileNotFoundError:  # the thread ended
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        if name.startswith("BOLT"):
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def samples(recording: Path) -> Iterator[tuple[float, str, list[str]]]:
    """(time, thread, frames innermost first) of each execution sample in `recording`."""
    java, _ = java_command()
    command = [str(java.parent / "jfr"), "print", "--stack-depth", "512", "--events",
               "jdk.ExecutionSample", str(recording)]
    env = {k: v for k, v in os.environ.items() if k != "JAVA_TOOL_OPTIONS"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as printer:
        assert printer.stdout is not None
        at, thread, frames = 0.0, "", list[str]()
        for line in printer.stdout:
            line = line.strip()
            if started := START.fullmatch(line):  # local time: "02:31:13.650 (2026-12-06)"
                at = datetime.fromisoformat(f"{started[2]}T{started[1]}").timestamp()
            elif line.startswith("sampledThread = "):
                thread, frames = line.split('"')[1], []
            elif line == "}":
                yield at, thread, frames
            elif line and not line.endswith(("[", "]")) and "=" not in line:
                frames.append(line.split("(")[0])


def part(frames: list[str]) -> str:
    """The part of a write a sample was taken in: `commit`, the innermost Cypher step,
    or `other` (reading the request, sending the answer)."""
    if any(frame.startswith(COMMIT) for frame in frames):
        return "commit"
    for frame in frames:
        if frame.startswith(STEPS):
            return frame[len(STEPS):].split(".")[0].split("$")[0]
    return "other"


async def run(args: argparse.Namespace, workdir: Path) -> None:
    recording = workdir / "engine.jfr"
    before = os.environ.get("JAVA_TOOL_OPTIONS")
    os.environ["JAVA_TOOL_OPTIONS"] = " ".join([
        before or "",
        "-XX:FlightRecorderOptions:stackdepth=512",
        f"-XX:StartFlightRecording=filename={recording},settings=profile,dumponexit=true,"
        f"jdk.ExecutionSample#period={args.period_ms}ms"]).strip()
    settings = Settings.from_env(dict(os.environ, LINEAGE_DATA_DIR=str(workdir / "data")))
    runtime = await open_runtime(settings)
    assert runtime.engine is not None
    info = runtime.engine.status()
    assert info is not None
    graph = synthetic.build(args.pipelines, args.steps, args.fan_in, seed=2)
    warm = synthetic.build(max(2, args.pipelines // 10), args.steps, args.fan_in, seed=3)
    windows: dict[str, list[tuple[float, float]]] = {way: [] for way in WAYS}
    figures: dict[str, list[tuple[float, float, float]]] = {way: [] for way in WAYS}
    try:
        for write in WAYS.values():
            await wipe(runtime)
            await write(runtime, warm, args.chunk)
        for _ in range(args.rounds):
            for name, write in WAYS.items():
                await wipe(runtime)
                cpu, own, t0, w0 = bolt_cpu(info.pid), time.process_time(), time.perf_counter(), time.time()
                await write(runtime, graph, args.chunk)
                figures[name].append((time.perf_counter() - t0, bolt_cpu(info.pid) - cpu,
                                      time.process_time() - own))
                windows[name].append((w0, time.time()))
    finally:
        await runtime.close()
        runtime.engine.stop()  # SIGTERM: the engine writes the recording as it exits
        if before is None:
            del os.environ["JAVA_TOOL_OPTIONS"]
        else:
            os.environ["JAVA_TOOL_OPTIONS"] = before
    parts: dict[str, Counter[str]] = {way: Counter() for way in WAYS}
    for at, thread, frames in samples(recording):
        if not thread.startswith("BOLT"):
            continue
        for way, spans in windows.items():
            if any(start <= at <= end for start, end in spans):
                parts[way][part(frames)] += 1
    print(f"{args.pipelines} pipelines x {args.steps} steps x fan-in {args.fan_in}, "
          f"{args.chunk} a transaction; medians of {args.rounds} rounds")
    print(f"{'way':14s} {'wall s':>7s} {'bolt cpu s':>10s} {'python cpu s':>12s}")
    for way, rows in figures.items():
        wall, bolt, own = (statistics.median(column) for column in zip(*rows, strict=True))
        print(f"{way:14s} {wall:7.2f} {bolt:10.2f} {own:12.2f}")
    seconds = args.period_ms / 1000 / args.rounds
    names = sorted({p for c in parts.values() for p in c}, key=lambda p: -parts["store ingest"][p])
    print("\nBolt threads' samples by part, in seconds a round (period "
          f"{args.period_ms} ms)")
    print(f"{'part':20s}" + "".join(f"{way:>14s}" for way in WAYS))
    for name in names:
        print(f"{name:20s}" + "".join(f"{parts[way][name] * seconds:14.2f}" for way in WAYS))
    print(f"{'all':20s}" + "".join(f"{sum(parts[way].values()) * seconds:14.2f}"
                                   for way in WAYS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pipelines", type=int, default=200)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--fan-in", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=10, help="pipelines a transaction")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--period-ms", type=int, default=5, help="JFR's sampling period")
    args = parser.parse_args()
    for name in ("pipelines", "steps", "fan_in", "chunk", "rounds", "period_ms"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if os.environ.get("NEO4J_URI"):
        parser.error("profiles the embedded engine: unset NEO4J_URI")
    with tempfile.TemporaryDirectory(prefix="engine-profile-") as workdir:
        asyncio.run(run(args, Path(workdir)))


if __name__ == "__main__":
    main()
