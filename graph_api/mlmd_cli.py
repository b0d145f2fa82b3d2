"""`lineage import mlmd`: copy an MLMD database (SQLite or MySQL) into the store, through
MLMD's own library (the `mlmd` extra)."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from graph_api.config import ConfigError, Settings
from graph_api.errors import LineageError
from graph_api.runtime import open_runtime

#: The schema version of the MLMD databases ml-metadata 1.17.1 reads.
SCHEMA_VERSION = 10
#: MySQL's error number for a table that does not exist.
_NO_SUCH_TABLE = 1146
#: What `--mysql` takes.
MYSQL_FORM = "mysql://user:password@host[:port]/database[?socket=PATH]"
#: The port of a `--mysql` URI that names none: MySQL's.
MYSQL_PORT = 3306


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
    source.add_argument("--mysql", metavar="URI",
                        help=f"{MYSQL_FORM}; percent-encode @ : / ? # %% in the user or "
                             f"password; the port defaults to {MYSQL_PORT}")


@dataclass(frozen=True)
class MysqlSource:
    """Where an MLMD MySQL (or MariaDB) database is: a `--mysql` URI, decoded."""

    host: str
    port: int
    database: str
    user: str
    password: str = field(repr=False)
    socket: str | None = None

    @property
    def where(self) -> str:
        """The server's address as messages name it (never the user or password)."""
        return self.socket or f"{self.host}:{self.port}"


def parse_mysql_uri(text: str) -> MysqlSource:
    """Decode a `--mysql` URI (`MYSQL_FORM`): the user and password percent-decoded, the
    port `MYSQL_PORT` when it names none.

    Raises:
        ImportError_: `text` is not of that form; the message never repeats `text`, which
            may hold a password.
    """
    uri = urlsplit(text)
    try:
        port = uri.port
    except ValueError:
        raise ImportError_(f"--mysql: the port is not a port number; expected "
                           f"{MYSQL_FORM}") from None
    database = unquote(uri.path.removeprefix("/"))
    if uri.scheme != "mysql" or not uri.hostname or not database or "/" in database:
        raise ImportError_(f"--mysql: expected {MYSQL_FORM}")
    query = parse_qs(uri.query, keep_blank_values=True)
    if set(query) - {"socket"}:
        raise ImportError_(f"--mysql: the only option after ? is socket=PATH; expected "
                           f"{MYSQL_FORM}")
    socket_path = query["socket"][-1] if "socket" in query else None
    host = uri.hostname
    if socket_path is not None and host != "localhost":
        raise ImportError_("--mysql: a socket= is reached through the host localhost: "
                           "mysql://user:password@localhost/database?socket=PATH")
    if socket_path is None and host == "localhost":
        # MLMD's built-in client library (MariaDB Connector/C) takes "localhost" for a Unix
        # socket at its built-in path, /tmp/mysql.sock, which Debian's and Ubuntu's servers
        # do not use, and ignores the port; a URI means a host and port (3306 if unnamed).
        host = "127.0.0.1"
    return MysqlSource(host=host, port=port or MYSQL_PORT, database=database,
                       user=unquote(uri.username or ""), password=unquote(uri.password or ""),
                       socket=socket_path)


def _server_greeting(source: MysqlSource, timeout: float = 10.0) -> str:
    """The version a MySQL server announces to a new connection, read by PyMySQL's
    handshake (whether the login then succeeds or not).

    Raises:
        OSError: nothing answers there.
        ImportError_: something answers, but not as a MySQL server that lets us in.
    """
    import pymysql

    connection = pymysql.connections.Connection(
        host=source.host, port=source.port, unix_socket=source.socket, user=source.user,
        password=source.password, connect_timeout=timeout, read_timeout=timeout,
        defer_connect=True)
    failure: Exception | None = None
    try:
        connection.connect()
    except Exception as error:  # a garbled handshake raises whatever parsing it raised
        failure = error
    else:
        connection.close()
    version: str | None = getattr(connection, "server_version", None)
    if version is not None:  # it greeted (and then let us in, or refused the login)
        # MariaDB announces itself as "5.5.5-10.11.19-MariaDB" for clients of old that read
        # the major version first.
        return version.removeprefix("5.5.5-")
    if connection.get_host_info() == "Not connected":  # no socket: nothing answers there
        cause = getattr(failure, "original_exception", failure)
        raise cause if isinstance(cause, OSError) else OSError(str(failure))
    if isinstance(failure, pymysql.err.MySQLError) and isinstance(failure.args[0], int) \
            and failure.args[0] < 2000:  # a server's error packet, not a greeting
        raise ImportError_(f"the MySQL server at {source.where} refuses the connection: "
                           f"{failure.args[1]}")
    raise ImportError_(f"{source.where} answers, but not as a MySQL server")


def _mysql_error(source: MysqlSource, message: str) -> ImportError_:
    """What went wrong, in words, when MLMD could not open `source`: its own message says
    little when the connection fails ("mysql_real_connect failed" and nothing more), so
    the server is asked for its greeting to tell an unreachable server from a refused login.
    """
    if "mysql_real_connect failed" in message:
        try:
            version = _server_greeting(source)
        except OSError as error:
            return ImportError_(f"cannot reach a MySQL server at {source.where}: "
                                f"{error.strerror or error}")
        except ImportError_ as error:
            return error
        return ImportError_(
            f"the MySQL server at {source.where} ({version}) refused the login of user "
            f"'{source.user}': a wrong user or password, a user that may not connect from "
            "this host, or one that signs in with another plugin than mysql_native_password, "
            "the only one MLMD's client library speaks (MySQL 8 defaults to "
            "caching_sha2_password)")
    if "Changing to database" in message:
        reason = message.rpartition("error: ")[2] or message
        return ImportError_(f"MLMD cannot use the database '{source.database}' on "
                            f"{source.where}: {reason}")
    return ImportError_(f"MLMD cannot open the database (its schema must be version "
                        f"{SCHEMA_VERSION}): {message}")


def _mysql_version(source: MysqlSource) -> int | None:
    """The MLMD schema version of the database at `source`, None when it has no MLMDEnv
    table, read with a plain MySQL client before MLMD opens it: MLMD has no read-only mode
    for MySQL and creates its tables in a database that lacks them, so a database that is
    not MLMD's would get them, and the import would copy nothing without a word.

    Raises:
        pymysql.err.MySQLError: the server cannot be reached or refuses the login or the
            database (MLMD, opening it next, says which in words).
    """
    import pymysql

    connection = pymysql.connect(
        host=source.host, port=source.port, unix_socket=source.socket, user=source.user,
        password=source.password, database=source.database, connect_timeout=10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT schema_version FROM MLMDEnv")
            row = cursor.fetchone()
    except pymysql.err.ProgrammingError as error:
        if error.args and error.args[0] == _NO_SUCH_TABLE:
            return None
        raise
    finally:
        connection.close()
    return int(row[0]) if row else None


def _check_mysql_schema(source: MysqlSource) -> None:
    """Refuse a database without MLMD's tables, or of another schema version, before MLMD
    touches it. A connection this client cannot make is left to MLMD to report."""
    if importlib.util.find_spec("pymysql") is None:
        raise ImportError_("--mysql needs the 'mlmd' extra: pip install "
                           "'lineage-explorer[mlmd]' (missing: pymysql)")
    import pymysql

    try:
        version = _mysql_version(source)
    except pymysql.err.MySQLError:
        return
    database = f"the database '{source.database}' on {source.where}"
    if version is None:
        raise ImportError_(f"{database} is not an MLMD database (no MLMDEnv table); "
                           "nothing was imported and nothing written there")
    if version != SCHEMA_VERSION:
        raise ImportError_(f"{database} has MLMD schema version {version}; this import "
                           f"reads version {SCHEMA_VERSION} (ml-metadata 1.17.1) only: "
                           "upgrade or downgrade it with MLMD first")


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
    mysql: MysqlSource | None = None
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
        mysql = parse_mysql_uri(args.mysql)
        _check_mysql_schema(mysql)
        # MLMD takes a host or a socket, never both: given both, it aborts the process.
        if mysql.socket is not None:
            config.mysql.socket = mysql.socket
        else:
            config.mysql.host = mysql.host
            config.mysql.port = mysql.port
        config.mysql.database = mysql.database
        config.mysql.user = mysql.user
        config.mysql.password = mysql.password
        # The import only reads: without this MLMD first runs CREATE DATABASE IF NOT EXISTS,
        # which a read-only user may not, and which turns a misspelt name into a new empty
        # database instead of an error.
        config.mysql.skip_db_creation = True
    try:
        return metadata_store.MetadataStore(config)
    except (errors.StatusError, RuntimeError) as error:
        if mysql is not None:
            raise _mysql_error(mysql, str(error)) from None
        raise ImportError_(f"MLMD cannot open the database (its schema must be version "
                           f"{SCHEMA_VERSION}): {error}") from None


def _progress(what: str, done: int, total: int) -> None:
    print(f"\r  {what:<16} {done:>9}/{total}", end="" if done < total else "\n",
          file=sys.stderr, flush=True)


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Import, printing progress to stderr and a summary."""
    require_mlmd("lineage import mlmd")
    # MLMD's C++ core logs a failed MySQL connection to stderr, blaming MySQL 8's sign-in
    # plugin whatever the cause; the error this command prints says what went wrong. Read
    # when MLMD's library loads, so set before the import below (a value set outside wins).
    os.environ.setdefault("GLOG_minloglevel", "3")
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
