"""Start and stop the embedded graph engine: ArcadeDB's server speaking Bolt on loopback.

Neo4j cannot be installed without Docker, so a local run and the tests use ArcadeDB's
server from the `arcadedb-embedded` wheel (its jars and its own JRE). It runs as a child
JVM bound to 127.0.0.1 on free ports, with a generated root password kept in the data
directory (mode 0600) and never logged. `engine.json` in the data directory records the
running engine so other processes (`lineage db status`, `lineage serve`) can find it;
`ports.json` remembers its ports, which a restart keeps while they are free, so a client
configured with the engine's URI reconnects after a restart.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import fcntl
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

DATABASE = "neo4j"
USER = "root"
MAIN_CLASS = "com.arcadedb.server.ArcadeDBServer"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
START_TIMEOUT = 90.0


class EmbeddedError(RuntimeError):
    """The embedded engine cannot be used; the message says what to do."""


@dataclass(frozen=True)
class EngineInfo:
    pid: int
    bolt_port: int
    http_port: int

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def _package_dir() -> Path:
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or spec.origin is None:
        raise EmbeddedError(
            "The embedded graph engine is not installed. Install the extra: "
            "pip install 'lineage-explorer[embedded]' — or set NEO4J_URI to use a Neo4j server."
        )
    return Path(spec.origin).parent


def java_command() -> tuple[Path, Path]:
    """(java executable, jars directory) from the wheel."""
    base = _package_dir()
    java, jars = base / "jre" / "bin" / "java", base / "jars"
    if not java.exists():
        raise EmbeddedError(
            f"No Java runtime at {java}: reinstall 'arcadedb-embedded' "
            "(pip install --force-reinstall 'lineage-explorer[embedded]')."
        )
    if not any(jars.glob("arcadedb-server-*.jar")):
        raise EmbeddedError(f"No ArcadeDB server jar under {jars}: reinstall 'arcadedb-embedded'.")
    return java, jars


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    """Whether a server could listen on `port` (a connection in TIME_WAIT does not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _is_engine(pid: int, root: Path) -> bool:
    """Whether `pid` is alive and is the engine JVM of `root`.

    `engine.json` outlives a crash or a reboot, and its pid may by then belong to an
    unrelated process: never report or signal that one.
    """
    if not _alive(pid):
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc (not Linux): trust the pid
    return f"-Darcadedb.server.rootPath={root}".encode() in args


def _die_with(parent: int) -> Callable[[], None]:
    """A `preexec_fn`: the child gets SIGTERM when the parent process dies (Linux).

    PR_SET_PDEATHSIG fires when the thread that forked the child exits, so the engine
    must be started from the thread that lives as long as the process (the main thread).
    If the parent died before the signal was armed, the child exits at once.
    """

    def arm() -> None:
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)

    return arm


class EmbeddedEngine:
    """The engine that belongs to one data directory."""

    def __init__(self, data_dir: Path, heap: str = "2g") -> None:
        self.data_dir = data_dir.absolute()  # the JVM runs in another working directory
        self.heap = heap
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def state_file(self) -> Path:
        return self.data_dir / "engine.json"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "engine.log"

    @property
    def root(self) -> Path:
        return self.data_dir / "arcadedb"

    @property
    def ports_file(self) -> Path:
        return self.data_dir / "ports.json"

    @property
    def password_file(self) -> Path:
        return self.data_dir / "password"

    def password(self) -> str:
        """The root password, generated on first use and kept with mode 0600."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self.password_file.read_text().strip()
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(24))
        return self.password_file.read_text().strip()

    def status(self) -> EngineInfo | None:
        """The running engine of this data directory, or None."""
        try:
            info = EngineInfo(**json.loads(self.state_file.read_text()))
        except (OSError, ValueError, TypeError):
            return None
        if _is_engine(info.pid, self.root) and _port_open(info.bolt_port):
            return info
        return None

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.data_dir / "engine.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def start(self, *, detach: bool) -> EngineInfo:
        """Start the engine unless it already runs; wait until Bolt answers.

        Args:
            detach: keep running after this process exits (`lineage db start`); otherwise
                the engine dies with this process.
        Raises:
            EmbeddedError: the extra or Java is missing, or the engine did not come up.
        """
        with self._lock():
            running = self.status()
            if running is not None:
                return running
            java, jars = java_command()
            password = self.password()
            root = self.root
            root.mkdir(parents=True, exist_ok=True)
            bolt, http = self._ports()
            command = [
                str(java),
                f"-Xmx{self.heap}",
                "-Djava.awt.headless=true",
                f"-Darcadedb.server.rootPath={root}",
                f"-Darcadedb.server.databaseDirectory={root / 'databases'}",
                # a path, not the password: a command line is readable by every local user
                f"-Darcadedb.server.rootPasswordPath={self.password_file}",
                "-Darcadedb.server.httpIncomingHost=127.0.0.1",
                f"-Darcadedb.server.httpIncomingPort={http}",
                f"-Darcadedb.server.plugins={BOLT_PLUGIN}",
                "-Darcadedb.bolt.host=127.0.0.1",
                f"-Darcadedb.bolt.port={bolt}",
                "-cp",
                f"{jars}/*",
                MAIN_CLASS,
            ]
            log = self.log_file.open("ab")
            process = subprocess.Popen(
                command,
                cwd=root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=detach,
                preexec_fn=None if detach else _die_with(os.getpid()),
            )
            log.close()
            info = EngineInfo(pid=process.pid, bolt_port=bolt, http_port=http)
            try:
                self._wait_ready(process, info, password)
            except BaseException:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=20)
                if process.poll() is None:
                    process.kill()
                raise
            self.state_file.write_text(json.dumps(asdict(info)))
            self._process = process
            return info

    def _ports(self) -> tuple[int, int]:
        """(bolt, http): the previous engine's ports when both are free, else new ones."""
        try:
            last = json.loads(self.ports_file.read_text())
            bolt, http = int(last["bolt_port"]), int(last["http_port"])
        except (OSError, ValueError, TypeError, KeyError):
            bolt = http = 0
        if not (bolt > 0 and http > 0 and bolt != http and _port_free(bolt) and _port_free(http)):
            bolt = free_port()
            http = free_port()
            while http == bolt:
                http = free_port()
        self.ports_file.write_text(json.dumps({"bolt_port": bolt, "http_port": http}))
        return bolt, http

    def _wait_ready(self, process: subprocess.Popen[bytes], info: EngineInfo,
                    password: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not self._http_ready(info.http_port):
            if process.poll() is not None:
                raise EmbeddedError(
                    f"The embedded engine exited with code {process.returncode}; "
                    f"see {self.log_file}"
                )
            if time.monotonic() > deadline:
                raise EmbeddedError(f"The embedded engine did not start; see {self.log_file}")
            time.sleep(0.2)
        self._ensure_database(info.http_port, password)
        while not _port_open(info.bolt_port):
            if time.monotonic() > deadline:
                raise EmbeddedError(f"Bolt did not open; see {self.log_file}")
            time.sleep(0.1)

    @staticmethod
    def _http_ready(port: int) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ready", timeout=1):
                return True
        except (urllib.error.URLError, OSError):
            return False

    @staticmethod
    def _request(port: int, password: str, path: str, body: dict[str, str] | None) -> object:
        token = base64.b64encode(f"{USER}:{password}".encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
            method="POST" if body is not None else "GET",
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return json.loads(response.read() or b"null")

    def _ensure_database(self, port: int, password: str) -> None:
        listing = self._request(port, password, "/api/v1/databases", None)
        names = listing.get("result", []) if isinstance(listing, dict) else []
        if DATABASE not in names:
            self._request(port, password, "/api/v1/server",
                          {"command": f"create database {DATABASE}"})

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the engine of this data directory; return whether one was running."""
        with self._lock():
            return self._stop(timeout)

    def _stop(self, timeout: float) -> bool:
        try:
            info = EngineInfo(**json.loads(self.state_file.read_text()))
        except (OSError, ValueError, TypeError):
            return False
        running = _is_engine(info.pid, self.root)
        if running:
            os.kill(info.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _is_engine(info.pid, self.root) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _is_engine(info.pid, self.root):
                os.kill(info.pid, signal.SIGKILL)
        if self._process is not None:
            self._process.wait()
            self._process = None
        self.state_file.unlink(missing_ok=True)
        return running
