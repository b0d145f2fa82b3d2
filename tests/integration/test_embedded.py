"""The embedded engine (design §2): a loopback-only Bolt server with a private password.

These tests start their own engines in temporary data directories (not the session's graph
database) and leave no JVM behind.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from graph_api.embedded import USER, EmbeddedEngine, EmbeddedError, EngineInfo
from tests.processes import engine_pids, gone

HEAP = "512m"
REPO = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def query(info: EngineInfo, password: str, text: str, **params: object) -> list[dict[str, object]]:
    with GraphDatabase.driver(info.uri, auth=(USER, password)) as driver:
        records, _, _ = driver.execute_query(text, params)
    return [record.data() for record in records]


def _address(hex_address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """Decode a /proc/net/tcp{,6} address: 32-bit words in host (little-endian) order."""
    raw = bytes.fromhex(hex_address)
    ip = ipaddress.ip_address(b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4)))
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def listening_sockets(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket process `pid` listens on."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: TCP_LISTEN
                address, port = local.rsplit(":", 1)
                listening.add((str(_address(address)), int(port, 16)))
    return listening


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedEngine]:
    """One engine for the module, started like `lineage serve` does (dies with this process)."""
    data_dir = tmp_path_factory.mktemp("embedded")
    engine = EmbeddedEngine(data_dir, heap=HEAP)
    engine.start(detach=False)
    try:
        yield engine
    finally:
        engine.stop()
        assert engine_pids(data_dir) == [], "a JVM of this data directory is still running"


@pytest.fixture
def running(engine: EmbeddedEngine) -> EngineInfo:
    """The module's engine, running (restarted if a test stopped it)."""
    return engine.status() or engine.start(detach=False)


def test_the_engine_answers_bolt_with_the_generated_password(
    engine: EmbeddedEngine, running: EngineInfo
) -> None:
    assert running.uri == f"bolt://127.0.0.1:{running.bolt_port}"
    assert query(running, engine.password(), "RETURN 1 AS one") == [{"one": 1}]
    with pytest.raises(AuthError):
        query(running, engine.password() + "-wrong", "RETURN 1 AS one")


def test_the_engine_listens_on_loopback_only(running: EngineInfo) -> None:
    sockets = listening_sockets(running.pid)
    assert ("127.0.0.1", running.bolt_port) in sockets
    assert ("127.0.0.1", running.http_port) in sockets
    assert {address for address, _ in sockets} == {"127.0.0.1"}, sockets


def test_the_password_is_private_and_never_shown(
    engine: EmbeddedEngine, running: EngineInfo
) -> None:
    password = engine.password()
    assert len(password) >= 24
    assert stat.S_IMODE(engine.password_file.stat().st_mode) == 0o600
    assert password.encode() not in engine.log_file.read_bytes()
    assert password not in engine.state_file.read_text()
    # Every local user can read a command line; the JVM gets the password file's path.
    assert password.encode() not in Path(f"/proc/{running.pid}/cmdline").read_bytes()


def test_a_second_start_returns_the_running_engine(
    engine: EmbeddedEngine, running: EngineInfo
) -> None:
    assert engine.start(detach=False) == running
    other_handle = EmbeddedEngine(engine.data_dir, heap=HEAP)
    assert other_handle.start(detach=False) == running
    assert other_handle.status() == running
    assert engine_pids(engine.data_dir) == [running.pid]


def test_data_persists_across_a_restart(engine: EmbeddedEngine, running: EngineInfo) -> None:
    query(running, engine.password(), "CREATE (:Probe {key: $key})", key="kept")

    assert engine.stop() is True
    assert engine.status() is None
    assert gone(running.pid)
    assert engine_pids(engine.data_dir) == []

    again = engine.start(detach=False)
    assert again.pid != running.pid
    rows = query(again, engine.password(), "MATCH (p:Probe) RETURN p.key AS key")
    assert rows == [{"key": "kept"}]


def test_stop_without_an_engine_says_so(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "never-started", heap=HEAP)
    assert engine.status() is None
    assert engine.stop() is False


def test_a_stale_state_file_never_signals_another_process(tmp_path: Path) -> None:
    """After a crash or a reboot engine.json may name a pid that is now someone else's."""
    engine = EmbeddedEngine(tmp_path / "stale", heap=HEAP)
    engine.data_dir.mkdir()
    with subprocess.Popen(["sleep", "60"]) as bystander:
        try:
            engine.state_file.write_text(json.dumps(
                {"pid": bystander.pid, "bolt_port": 1, "http_port": 1}))
            assert engine.status() is None
            assert engine.stop() is False
            assert bystander.poll() is None, "stop() signalled a process that is not its engine"
            assert not engine.state_file.exists()
        finally:
            bystander.kill()


CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from graph_api.embedded import EmbeddedEngine

    info = EmbeddedEngine(Path(os.environ["ENGINE_DATA_DIR"]), heap="512m").start(detach=False)
    print(info.pid, flush=True)
    time.sleep(600)
""")


def test_an_attached_engine_dies_with_its_parent(tmp_path: Path) -> None:
    data_dir = tmp_path / "orphan"
    env = {**os.environ, "ENGINE_DATA_DIR": str(data_dir)}
    engine_pid = 0
    with subprocess.Popen([sys.executable, "-c", CHILD], cwd=REPO, env=env,
                          stdout=subprocess.PIPE, text=True) as parent:
        try:
            assert parent.stdout is not None
            line = parent.stdout.readline()
            assert line.strip().isdigit(), f"the parent did not start an engine: {line!r}"
            engine_pid = json.loads((data_dir / "engine.json").read_text())["pid"]
            assert engine_pid == int(line)
            assert not gone(engine_pid)

            parent.send_signal(signal.SIGKILL)
            parent.wait(timeout=10)

            assert wait_until(lambda: gone(engine_pid), timeout=15), \
                "the engine outlived the process that started it"
            assert engine_pids(data_dir) == []
        finally:
            parent.kill()
            if engine_pid and not gone(engine_pid):
                os.kill(engine_pid, signal.SIGKILL)


def test_a_missing_extra_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name == "arcadedb_embedded" else real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    engine = EmbeddedEngine(tmp_path / "no-extra", heap=HEAP)
    with pytest.raises(EmbeddedError) as raised:
        engine.start(detach=False)
    message = str(raised.value)
    assert "pip install 'lineage-explorer[embedded]'" in message
    assert "NEO4J_URI" in message
    assert engine.status() is None
    assert engine_pids(engine.data_dir) == []
