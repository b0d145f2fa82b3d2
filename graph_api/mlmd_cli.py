"""`lineage import mlmd`: copy an MLMD database (SQLite or MySQL) into the store, through
MLMD's own library (the `mlmd` extra)."""

from __future__ import annotations

import argparse
import importlib.util
import sqlite3
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from graph_api.config import ConfigError, Settings
from graph_api.errors import LineageError
from graph_api.runtime import open_runtime

#: The schema version of the MLMD databases ml-metadata 1.17.1 reads.
SCHEMA_VERSION = 10


class ImportError_(LineageError):
    """The MLMD database cannot be read."""

    code = "BAD_USER_INPUT"


def require_mlmd(what: str) -> None:
    """Raise a `ConfigError` naming `what` when MLMD's library or grpcio is missing."""
    missing = [name for name in ("ml_metadata", "grpc") if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(f"{what} needs the 'mlmd' extra (ml-metadata 1.17.1, for Python "
                          f"3.11, and grpcio): pip install 'lineage-explorer[mlmd]' "
                          f"(missing: {', '.join(missing)})")


def register(imports: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mlmd` to the `lineage import` subcommands."""
    mlmd = imports.add_parser("mlmd", help="copy an MLMD database into the store "
                                           "(idempotent; re-run to resume)")
    source = mlmd.add_mutually_exclusive_group(required=True)
    source.add_argument("--sqlite", type=Path, help="an MLMD SQLite file (opened read-only)")
    source.add_argument("--mysql", help="mysql://user:password@host:port/database")


def _sqlite_version(path: Path) -> int | None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute("SELECT schema_version FROM MLMDEnv").fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]) if row else None


def _open_source(args: argparse.Namespace) -> Any:
    from ml_metadata import errors
    from ml_metadata.metadata_store import metadata_store
    from ml_metadata.proto import metadata_store_pb2 as pb

    config = pb.ConnectionConfig()
    if args.sqlite is not None:
        if not args.sqlite.is_file():
            raise ImportError_(f"no MLMD SQLite file at {args.sqlite}")
        version = _sqlite_version(args.sqlite)
        if version is None:
            raise ImportError_(f"{args.sqlite} is not an MLMD database (no MLMDEnv table)")
        if version != SCHEMA_VERSION:
            raise ImportError_(f"{args.sqlite} has MLMD schema version {version}; this "
                               f"import reads version {SCHEMA_VERSION} (ml-metadata 1.17.1) "
                               "only: upgrade or downgrade it with MLMD first")
        config.sqlite.filename_uri = str(args.sqlite)
        config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READONLY
    else:
        uri = urlparse(args.mysql)
        if uri.scheme != "mysql" or not uri.hostname or not uri.path.strip("/"):
            raise ImportError_("--mysql: expected mysql://user:password@host:port/database")
        config.mysql.host = uri.hostname
        config.mysql.port = uri.port or 3306
        config.mysql.database = uri.path.strip("/")
        config.mysql.user = unquote(uri.username or "")
        config.mysql.password = unquote(uri.password or "")
        config.mysql.skip_db_creation = True
    try:
        return metadata_store.MetadataStore(config)
    except (errors.StatusError, RuntimeError) as error:
        raise ImportError_(f"MLMD cannot open the database (its schema must be version "
                           f"{SCHEMA_VERSION}): {error}") from None


def _progress(what: str, done: int, total: int) -> None:
    print(f"\r  {what:<16} {done:>9}/{total}", end="" if done < total else "\n",
          file=sys.stderr, flush=True)


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Import, printing progress to stderr and a summary."""
    require_mlmd("lineage import mlmd")
    from graph_api.services.mlmd.importer import MlmdImporter

    source = _open_source(args)
    runtime = await open_runtime(settings)
    try:
        report = await MlmdImporter(runtime.services, source, _progress).run()
    finally:
        await runtime.close()
    print(f"MLMD database imported into {runtime.uri}: {report.types} types")
    for what, found in report.found.items():
        written = report.written.get(what, 0)
        nodes = what in ("artifacts", "executions", "contexts")
        print(f"  {what:<16} {found:>9} found, " + (
            f"{written} new" if nodes else "merged (those stored already are left as they are)"))
    return 0
