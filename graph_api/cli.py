"""`lineage` — the command line: run the embedded engine, and more as the project grows."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys

from graph_api.config import ConfigError, Settings
from graph_api.embedded import EmbeddedEngine, EmbeddedError
from graph_api.errors import LineageError
from graph_api.runtime import open_runtime


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


def _serve(settings: Settings, host: str | None, port: int | None) -> int:
    import uvicorn

    from graph_api.server import create_app

    host = host or settings.host
    port = port or settings.port
    print(f"lineage-explorer API on http://{host}:{port} (health: /healthz, /readyz)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0


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
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.command == "serve":
            return _serve(settings, args.host, args.port)
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
