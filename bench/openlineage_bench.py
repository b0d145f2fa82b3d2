"""OpenLineage ingestion throughput: events per second posted over HTTP by the official
`openlineage-python` client (`OpenLineageClient`, HTTP transport, `OPENLINEAGE_URL`), and
replayed from an NDJSON file by `lineage import openlineage`.

The events are generated shaped like the test corpus (`tests/fixtures/openlineage/`):
jobs in a few namespaces whose runs each send START then COMPLETE (one in ten FAIL), read
one to three datasets of a shared pool and write one, with schema, data source and column
lineage facets, Spark-style symlinks on a third of the datasets and parent run facets on
half the runs. Each way writes the same events into an emptied database.

    .venv/bin/python bench/openlineage_bench.py --events 100000 --clients 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import api_servers
from graph_api.config import Settings
from graph_api.embedded import USER
from graph_api.runtime import Runtime, open_runtime
from tests.integration.openlineage_events import client_event

PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.41.0/integration/spark"
SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"


def _facet(facet: str, **fields: Any) -> dict[str, Any]:
    return {"_producer": PRODUCER,
            "_schemaURL": f"https://openlineage.io/spec/facets/1-0-1/{facet}.json", **fields}


def _dataset(k: int) -> dict[str, Any]:
    """Dataset k of the pool: a warehouse table, a third of them named by location with
    the table as a symlink (as Spark names them)."""
    columns = [{"name": f"c{i}", "type": "string"} for i in range(6)]
    if k % 3 == 0:
        own = {"namespace": "file", "name": f"/warehouse/db{k % 7}.db/t{k}"}
        facets = {"symlinks": _facet("SymlinksDatasetFacet", identifiers=[
            {"namespace": "hive://metastore:9083", "name": f"db{k % 7}.t{k}", "type": "TABLE"}])}
    else:
        own = {"namespace": "postgres://db:5432", "name": f"shop.public.t{k}"}
        facets = {}
    facets.update(schema=_facet("SchemaDatasetFacet", fields=columns),
                  dataSource=_facet("DatasourceDatasetFacet", name=own["namespace"],
                                    uri=own["namespace"]))
    return {**own, "facets": facets}


def events(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`count` events (START/COMPLETE pairs), deterministic for a seed."""
    rng = random.Random(seed)
    pool = max(50, count // 10)
    jobs = max(20, count // 40)
    parents = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(max(5, count // 200))]
    clock = 1_750_000_000.0
    for n in range(count // 2):
        job = rng.randrange(jobs)
        run = str(uuid.UUID(int=rng.getrandbits(128)))
        inputs = [_dataset(rng.randrange(pool)) for _ in range(rng.randint(1, 3))]
        output = _dataset(rng.randrange(pool))
        output["facets"]["columnLineage"] = _facet("ColumnLineageDatasetFacet", fields={
            f"c{i}": {"inputFields": [{"namespace": d["namespace"], "name": d["name"],
                                       "field": f"c{i}"} for d in inputs]} for i in range(3)})
        run_facets: dict[str, Any] = {}
        if n % 2:
            parent = rng.choice(parents)
            run_facets["parent"] = _facet("ParentRunFacet", run={"runId": parent},
                                          job={"namespace": "airflow", "name": f"dag{job % 9}"})
        base = {"producer": PRODUCER, "schemaURL": SCHEMA,
                "job": {"namespace": f"ns{job % 5}", "name": f"job.{job}"},
                "inputs": inputs, "outputs": [output]}
        end = "FAIL" if n % 10 == 9 else "COMPLETE"
        for kind in ("START", end):
            clock += 1.5
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(clock))
            yield {**base, "eventType": kind, "eventTime": f"{stamp}.000Z",
                   "run": {"runId": run, "facets": run_facets}}


async def _wipe(runtime: Runtime) -> None:
    async with runtime.db.driver.session(database=runtime.db.database) as session:
        while True:
            result = await session.run(
                "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c")
            record = await result.single()
            if record is None or record["c"] == 0:
                return


def _post(url: str, docs: list[dict[str, Any]], clients: int) -> float:
    """Post `docs` with `clients` official clients in threads (a run's events in order,
    runs spread over the clients); seconds taken."""
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport.http import HttpConfig, HttpTransport

    shares: list[list[dict[str, Any]]] = [[] for _ in range(clients)]
    for i in range(0, len(docs), 2):
        shares[(i // 2) % clients].extend(docs[i:i + 2])
    errors: list[BaseException] = []

    def work(share: list[dict[str, Any]]) -> None:
        try:
            client = OpenLineageClient(transport=HttpTransport(HttpConfig.from_dict(
                {"type": "http", "url": url})))
            for doc in share:
                client.emit(client_event(doc))
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def _import(path: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "lineage"), "import", "openlineage",
                    str(path)], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


async def run(args: argparse.Namespace, data_dir: Path) -> None:
    env = api_servers.environment(data_dir)
    runtime = await open_runtime(Settings.from_env(env))
    docs = list(events(args.events))
    ndjson = data_dir.parent / "events.ndjson"
    ndjson.write_text("".join(json.dumps(d) + "\n" for d in docs))
    server = api_servers.start(runtime, env)
    try:
        await api_servers.wait_ready(server)
        warm = list(events(200, seed=1))
        await asyncio.to_thread(_post, server.url, warm, 1)
        await _wipe(runtime)
        seconds = await asyncio.to_thread(_post, server.url, docs, args.clients)
        print(f"HTTP, official client x{args.clients}: {len(docs)} events in {seconds:.1f} s: "
              f"{len(docs) / seconds:.0f} events/s", flush=True)
        await _wipe(runtime)
        import_env = dict(env)
        if runtime.engine is not None:
            import_env.update(NEO4J_URI=runtime.uri, NEO4J_USER=USER,
                              NEO4J_PASSWORD=runtime.engine.password())
        seconds = await asyncio.to_thread(_import, ndjson, import_env)
        print(f"lineage import openlineage: {len(docs)} events in {seconds:.1f} s: "
              f"{len(docs) / seconds:.0f} events/s (process start included)", flush=True)
    finally:
        await api_servers.shut_down([server], runtime)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000, help="how many (default 100000)")
    parser.add_argument("--clients", type=int, default=4,
                        help="official clients posting at once, each in a thread (default 4)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="openlineage-bench-") as tmp:
        asyncio.run(run(args, Path(tmp) / "engine"))


if __name__ == "__main__":
    main()
