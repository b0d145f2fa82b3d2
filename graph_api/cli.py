"""`lineage` — the command line: run the embedded engine, serve the API, seed the demo,
import OpenLineage events."""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import sys
import time
from pathlib import Path

from rich.console import Console

from graph_api import mlmd_cli
from graph_api.config import ConfigError, Settings
from graph_api.embedded import EmbeddedEngine, EmbeddedError
from graph_api.errors import LineageError
from graph_api.runtime import open_runtime
from graph_api.services.openlineage.files import Located


def _engine(settings: Settings) -> EmbeddedEngine:
    return EmbeddedEngine(settings.data_dir, settings.embedded_heap)


async def _db_start(settings: Settings) -> int:
    runtime = await open_runtime(settings, detach=True)
    try:
        agent = await runtime.db.ping()
    finally:
        await runtime.close()
    if runtime.engine is None:
        print(f"NEO4J_URI is set: using {runtime.uri} ({agent}); schema applied.")
        return 0
    print(f"Embedded graph engine listening on {runtime.uri} ({agent}); schema applied.")
    print(f"  user: root, password in {runtime.engine.password_file}")
    print(f"  data: {settings.data_dir}   log: {runtime.engine.log_file}")
    print(f"  stop it with: {shlex.quote(sys.argv[0])} db stop")
    return 0


def _db_stop(settings: Settings) -> int:
    stopped = _engine(settings).stop()
    print("Embedded graph engine stopped." if stopped else "No embedded graph engine was running.")
    return 0


def _db_status(settings: Settings) -> int:
    if settings.neo4j_uri:
        print(f"NEO4J_URI is set: {settings.neo4j_uri} (no embedded engine is used)")
        return 0
    info = _engine(settings).status()
    if info is None:
        print(f"No embedded graph engine is running for {settings.data_dir}.")
        return 1
    print(f"Embedded graph engine running: {info.uri} (pid {info.pid}), data in {settings.data_dir}")
    return 0


def _serve(settings: Settings, host: str | None, port: int | None,
           mlmd_port: int | None = None) -> int:
    import dataclasses

    import uvicorn

    from graph_api.server import create_app

    host = host or settings.host
    port = port or settings.port
    settings = dataclasses.replace(settings, host=host, mlmd_port=(
        mlmd_port if mlmd_port is not None else settings.mlmd_port))
    if settings.mlmd_port is not None:
        mlmd_cli.require_mlmd("--mlmd-port (LINEAGE_MLMD_PORT)")
    print(f"lineage-explorer API on http://{host}:{port} (health: /healthz, /readyz)")
    if settings.mlmd_port is not None:
        print(f"MLMD gRPC MetadataStoreService on {host}:{settings.mlmd_port}")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0


def _schema() -> int:
    from graph_api.graphql.schema import sdl

    sys.stdout.write(sdl())
    return 0


async def _seed_demo(settings: Settings) -> int:
    from graph_api import demo
    from graph_api.model.enums import NodeKind

    runtime = await open_runtime(settings)
    try:
        report = await demo.seed(runtime.services)
    finally:
        await runtime.close()
    created = sum(report.created.values())
    kinds = ", ".join(f"{report.created[k]} {k.value.lower()}s" for k in NodeKind)
    print(f"Demo project 'churn-prediction' written to {runtime.uri}:")
    print(f"  created {kinds}" if created else
          f"  nothing new: its {sum(report.totals.values())} nodes were already there")
    print(f"  in all {report.totals[NodeKind.ARTIFACT]} artifacts, "
          f"{report.totals[NodeKind.EXECUTION]} executions, "
          f"{report.totals[NodeKind.CONTEXT]} contexts of "
          f"{sum(report.types.values())} types; {report.events} events, "
          f"{report.attributions} attributions, {report.associations} associations, "
          f"{report.parent_links} parent links (re-seeding writes nothing new)")
    rows = [("deployed model", demo.DEPLOYED_MODEL, report.deployed_model_id),
            ("corrupted dataset", demo.CORRUPTED_DATASET, report.corrupted_dataset_id),
            ("experiment", demo.EXPERIMENT, report.experiment_id)]
    for label, external_id, node_id in rows:
        print(f"  {label:<18} {external_id:<42} id {node_id}")
    from graph_api import demo_ingredients as story

    print(f"  versioning: repository '{story.REPO}' (branches main, {story.PROD}, "
          f"{story.BRANCH}; tag {story.TAG}), model '{story.MODEL}' with its "
          f"'{story.ALIAS}' on {story.PROD} — the README's walk-through; this time "
          f"{report.ingredients.commits} commits, {report.ingredients.versions} versions, "
          f"{report.ingredients.promotions} promotions")
    print("GraphiQL variables for the queries of docs/api.md (paste into the Variables pane):")
    print(json.dumps({"deployedModel": report.deployed_model_id,
                      "corruptedDataset": report.corrupted_dataset_id,
                      "experiment": report.experiment_id}))
    return 0


def _import_openlineage(settings: Settings, path: Path) -> int:
    from graph_api.services.openlineage import files

    if not path.exists():
        print(f"lineage: {path}: no such file or directory", file=sys.stderr)
        return 2
    paths = files.files(path)
    located = [item for p in paths for item in files.events(p)]
    return asyncio.run(_replay(settings, located, len(paths)))


async def _replay(settings: Settings, located: list[Located], files: int) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    runtime = await open_runtime(settings)
    written, bad = 0, []
    started = time.monotonic()
    try:
        columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=Console(stderr=True)) as progress:
            task = progress.add_task("events", total=len(located))
            async for outcome in runtime.services.openlineage.replay(located):
                if outcome.error is None:
                    written += 1
                else:
                    bad.append(outcome)
                progress.advance(task)
    finally:
        await runtime.close()
    seconds = max(time.monotonic() - started, 1e-9)
    for outcome in bad:
        print(f"{outcome.where}: {outcome.error}", file=sys.stderr)
    print(f"{written} of {len(located)} events from {files} files written to "
          f"{runtime.uri} in {seconds:.1f} s ({written / seconds:.0f} events/s); "
          f"{len(bad)} refused")
    return 1 if bad else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lineage", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="the embedded graph engine")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_sub.add_parser("start", help="start it (if needed), apply the schema, print where it is")
    db_sub.add_parser("stop", help="stop it")
    db_sub.add_parser("status", help="say whether it runs and where")
    serve = sub.add_parser("serve", help="run the API server (on the embedded engine unless "
                                         "NEO4J_URI is set)")
    serve.add_argument("--host", default=None, help="default: LINEAGE_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: LINEAGE_PORT or 8000")
    serve.add_argument("--mlmd-port", type=int, default=None,
                       help="also serve MLMD's gRPC MetadataStoreService on this port, on the "
                            "same host (default: LINEAGE_MLMD_PORT, else off; needs the "
                            "'mlmd' extra)")
    sub.add_parser("schema", help="print the GraphQL schema (SDL), as committed in "
                                  "schema.graphql")
    seed = sub.add_parser("seed", help="write example metadata (on the embedded engine unless "
                                       "NEO4J_URI is set)")
    seed.add_argument("--demo", action="store_true", required=True,
                      help="the demo ML project of the README: raw data to a deployed model, "
                           "with one corrupted dataset; idempotent")
    imports = sub.add_parser("import", help="copy metadata from another store, or replay "
                                            "events from files (on the embedded engine "
                                            "unless NEO4J_URI is set)").add_subparsers(
        dest="source", required=True)
    mlmd_cli.register(imports)
    openlineage = imports.add_parser(
        "openlineage", help="OpenLineage events: NDJSON or JSON files (one event or a list), "
                            "or a directory of them; bad events are reported with file:line "
                            "and the others written")
    openlineage.add_argument("path", type=Path, help="a file or a directory")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "schema":
            return _schema()
        settings = Settings.from_env()
        if args.command == "import" and args.source == "openlineage":
            return _import_openlineage(settings, args.path)
        if args.command == "seed":
            return asyncio.run(_seed_demo(settings))
        if args.command == "import" and args.source == "mlmd":
            return asyncio.run(mlmd_cli.run(settings, args))
        if args.command == "serve":
            return _serve(settings, args.host, args.port, args.mlmd_port)
        if args.command == "db":
            if args.action == "start":
                return asyncio.run(_db_start(settings))
            if args.action == "stop":
                return _db_stop(settings)
            return _db_status(settings)
    except (ConfigError, EmbeddedError, LineageError) as error:
        print(f"lineage: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
