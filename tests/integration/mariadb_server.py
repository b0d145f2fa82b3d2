"""A private MariaDB server for the tests of `lineage import mlmd --mysql`.

Its own data directory under a temporary directory, bound to 127.0.0.1 on a free port and
to a Unix socket of its own, with one database and one user with a password; the system's
MariaDB service, if any, is never used. The programs come from Debian's `mariadb-server`,
which `scripts/install dev` installs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from graph_api.embedded import free_port

#: Where Debian puts the server; /usr/sbin is not on every user's PATH.
SERVER_PATHS = ("/usr/sbin/mariadbd", "/usr/sbin/mysqld")
#: The user's password holds every character a URI must percent-encode in a password,
#: and a "+", which percent-decoding must leave alone.
PASSWORD = "mlmd-Pa55:w/rd@%?#+ &z"
#: Readiness is polled this many times, POLL seconds apart, before the start fails.
ATTEMPTS, POLL = 600, 0.25


def _program(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def missing() -> str | None:
    """Why a private MariaDB server cannot be started here, or None when it can."""
    if not (_program(*SERVER_PATHS) and _program("mariadb-install-db", "mysql_install_db")
            and _program("mariadb", "mysql")):
        return ("MariaDB is not installed (Debian's mariadb-server: mariadbd, "
                "mariadb-install-db, mariadb): scripts/install dev installs it")
    return None


@dataclass
class MariaDB:
    """A running private server, its database and its user."""

    version: str
    port: int
    socket: Path
    database: str
    user: str
    password: str = field(repr=False)
    process: subprocess.Popen[bytes] = field(repr=False)
    root: Path
    socket_dir: Path | None = None

    @property
    def error_log(self) -> Path:
        """The server's error log."""
        return self.root / "error.log"

    def uri(self, *, password: str | None = None, database: str | None = None,
            port: int | None = None, socket: bool = False) -> str:
        """A `--mysql` URI of this server, the user and password percent-encoded: over TCP
        to 127.0.0.1 (this server's port, or `port`), or through the socket (no port)."""
        credentials = f"{quote(self.user, safe='')}:{quote(password or self.password, safe='')}"
        name = quote(database or self.database, safe="")
        if socket:
            return f"mysql://{credentials}@localhost/{name}?socket={quote(str(self.socket))}"
        return f"mysql://{credentials}@127.0.0.1:{port or self.port}/{name}"

    def sql(self, statements: str) -> str:
        """Run `statements` as the server's root user, through the socket; their output."""
        done = subprocess.run(
            [_client(), "--no-defaults", f"--socket={self.socket}", "--user=root",
             "--batch", "--skip-column-names", "-e", statements],
            capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"mariadb: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, name: str) -> None:
        """Create database `name` (a plain identifier) if it is missing, and let this
        server's user do anything in it."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.sql(f"CREATE DATABASE IF NOT EXISTS {name}; "
                 f"GRANT ALL ON {name}.* TO '{self.user}'@'%';")

    def stop(self) -> None:
        """Shut the server down (SIGTERM: a clean shutdown) and remove its files."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
        if self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)


def _client() -> str:
    found = _program("mariadb", "mysql")
    assert found is not None, missing()
    return found


def _as_root() -> list[str]:
    # mariadbd refuses to run as root unless told to; as another user it needs no option.
    return ["--user=root"] if os.geteuid() == 0 else []


def start(root: Path, *, database: str = "mlmd", user: str = "mlmd",
          password: str = PASSWORD) -> MariaDB:
    """Initialise a data directory under `root`, start a server on it and wait until it
    accepts connections; then create `database` and `user` (allowed everything on it, from
    any host) with `password`.

    Raises:
        RuntimeError: the data directory could not be made, or the server exited or did not
            accept connections after ATTEMPTS polls; with the server's error log.
    """
    server, install_db = _program(*SERVER_PATHS), _program("mariadb-install-db",
                                                            "mysql_install_db")
    assert server is not None and install_db is not None, missing()
    data, log = root / "data", root / "error.log"
    socket, socket_dir = root / "mysqld.sock", None
    if len(str(socket)) > 100:  # a Unix socket's path holds at most 107 bytes
        socket_dir = Path(tempfile.mkdtemp(prefix="mariadb-"))
        socket = socket_dir / "mysqld.sock"
    # root signs in with a password (empty here) rather than by being the OS's root
    # (unix_socket), so the tests can manage the server as any user.
    initialised = subprocess.run(
        [install_db, "--no-defaults", f"--datadir={data}", *_as_root(),
         "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"],
        capture_output=True, text=True, timeout=600, check=False)
    if initialised.returncode != 0:
        raise RuntimeError(f"mariadb-install-db failed:\n{initialised.stdout}{initialised.stderr}")
    port = free_port()
    process = subprocess.Popen(
        [server, "--no-defaults", f"--datadir={data}", *_as_root(),
         "--bind-address=127.0.0.1", f"--port={port}", f"--socket={socket}",
         f"--pid-file={root / 'mariadbd.pid'}", f"--log-error={log}", "--skip-name-resolve",
         # Debian's configuration sets utf8mb4; --no-defaults would leave latin1.
         "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
         # Test data: small, and a commit need not reach the disk.
         "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = MariaDB(version="", port=port, socket=socket, database=database, user=user,
                    password=password, process=process, root=root, socket_dir=socket_dir)
    try:
        for _ in range(ATTEMPTS):
            if process.poll() is not None:
                raise RuntimeError(f"mariadbd exited ({process.returncode}):\n"
                                   f"{_tail(log)}")
            try:
                found.version = found.sql("SELECT VERSION()").strip()
                break
            except RuntimeError:
                time.sleep(POLL)
        else:
            raise RuntimeError(f"mariadbd did not accept connections:\n{_tail(log)}")
        found.sql(f"CREATE DATABASE `{database}`;"
                  f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}';"
                  f"GRANT ALL ON `{database}`.* TO '{user}'@'%';")
    except BaseException:
        found.stop()
        raise
    return found


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no {log})"
