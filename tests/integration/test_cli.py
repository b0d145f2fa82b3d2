"""`lineage db start | status | stop`, run as a user runs it: the installed console script.

These tests start their own engine in a temporary data directory (not the session's graph
database) and leave no JVM behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph_api.embedded import USER, EmbeddedEngine, EngineInfo
from graph_api.store.migrations import expected_names
from tests.processes import engine_pids, gone

LINEAGE = Path(sys.executable).parent / "lineage"
HEAP = "512m"


def lineage(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `lineage ARGS` with the data directory `data_dir`; outer NEO4J_*/LINEAGE_* ignored.

    LINEAGE_DATA_DIR is given relative to the working directory, as a user may well give it.
    Checks what every run must do: no traceback, and no password in the output.
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    clean.update(LINEAGE_DATA_DIR=data_dir.name, LINEAGE_EMBEDDED_HEAP=HEAP, **env)
    result = subprocess.run([str(LINEAGE), *args], cwd=data_dir.parent, env=clean,
                            capture_output=True, text=True, timeout=180, check=False)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    secrets = [env["NEO4J_PASSWORD"]] if "NEO4J_PASSWORD" in env else []
    password_file = EmbeddedEngine(data_dir).password_file
    if password_file.exists():
        secrets.append(password_file.read_text().strip())
    for secret in secrets:
        assert secret not in output, "the CLI printed the password"
    return result


def schema_names(info: EngineInfo, password: str) -> set[str]:
    with GraphDatabase.driver(info.uri, auth=(USER, password)) as driver:
        indexes, _, _ = driver.execute_query("SHOW INDEXES YIELD name RETURN name")
        constraints, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
    return {record["name"] for record in [*indexes, *constraints]}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The module's data directory; whatever engine the tests leave in it is stopped."""
    path = tmp_path_factory.mktemp("cli")
    try:
        yield path
    finally:
        EmbeddedEngine(path).stop()
        assert engine_pids(path) == [], "a JVM of this data directory is still running"


@pytest.fixture(scope="module")
def first_start(data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`lineage db start` on the module's fresh data directory."""
    return lineage(data_dir, "db", "start")


@pytest.fixture
def running(data_dir: Path, first_start: subprocess.CompletedProcess[str]) -> EngineInfo:
    """The module's engine, running (started again if a test stopped it)."""
    engine = EmbeddedEngine(data_dir)
    if engine.status() is None:
        assert lineage(data_dir, "db", "start").returncode == 0
    info = engine.status()
    assert info is not None
    return info


def test_status_without_an_engine_exits_1(tmp_path: Path) -> None:
    result = lineage(tmp_path, "db", "status")
    assert result.returncode == 1
    assert "No embedded graph engine is running" in result.stdout
    assert engine_pids(tmp_path) == []


def test_start_leaves_a_ready_engine_behind(
    data_dir: Path, first_start: subprocess.CompletedProcess[str]
) -> None:
    assert first_start.returncode == 0, first_start.stderr
    info = EmbeddedEngine(data_dir).status()
    assert info is not None, "no engine runs after `lineage db start` exited"
    assert info.uri in first_start.stdout
    assert "schema applied" in first_start.stdout
    assert engine_pids(data_dir) == [info.pid]

    password = EmbeddedEngine(data_dir).password()
    with GraphDatabase.driver(info.uri, auth=(USER, password)) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
    assert [r["one"] for r in records] == [1]
    missing = expected_names() - schema_names(info, password)
    assert not missing, f"constraints/indexes missing: {sorted(missing)}"


def test_status_reports_the_running_engine(data_dir: Path, running: EngineInfo) -> None:
    result = lineage(data_dir, "db", "status")
    assert result.returncode == 0, result.stdout
    assert running.uri in result.stdout
    assert f"pid {running.pid}" in result.stdout


def test_start_again_reuses_the_running_engine(data_dir: Path, running: EngineInfo) -> None:
    result = lineage(data_dir, "db", "start")
    assert result.returncode == 0, result.stderr
    assert running.uri in result.stdout
    assert EmbeddedEngine(data_dir).status() == running
    assert engine_pids(data_dir) == [running.pid]


def test_with_neo4j_uri_start_runs_no_engine_and_applies_the_schema(
    data_dir: Path, running: EngineInfo, tmp_path: Path
) -> None:
    password = EmbeddedEngine(data_dir).password()
    with GraphDatabase.driver(running.uri, auth=(USER, password)) as driver:
        driver.execute_query("DROP INDEX artifact_uri IF EXISTS")
        driver.execute_query("DROP CONSTRAINT artifact_id IF EXISTS")
    assert {"artifact_uri", "artifact_id"}.isdisjoint(schema_names(running, password))

    elsewhere = tmp_path / "unused"
    result = lineage(elsewhere, "db", "start",
                     NEO4J_URI=running.uri, NEO4J_USER=USER, NEO4J_PASSWORD=password)
    assert result.returncode == 0, result.stderr
    assert "NEO4J_URI is set" in result.stdout
    assert running.uri in result.stdout
    assert engine_pids(elsewhere) == []
    assert not (elsewhere / "engine.json").exists()
    assert engine_pids(data_dir) == [running.pid]
    missing = expected_names() - schema_names(running, password)
    assert not missing, f"constraints/indexes missing: {sorted(missing)}"


def test_a_bad_setting_exits_2_naming_it(tmp_path: Path) -> None:
    result = lineage(tmp_path, "db", "start", LINEAGE_MAX_HOPS="abc")
    assert result.returncode == 2
    assert "LINEAGE_MAX_HOPS" in result.stderr
    assert engine_pids(tmp_path) == []


def test_stop_stops_the_engine(data_dir: Path, running: EngineInfo) -> None:
    result = lineage(data_dir, "db", "stop")
    assert result.returncode == 0, result.stderr
    assert "stopped" in result.stdout
    assert gone(running.pid)
    assert engine_pids(data_dir) == []

    status = lineage(data_dir, "db", "status")
    assert status.returncode == 1
    assert "No embedded graph engine is running" in status.stdout

    again = lineage(data_dir, "db", "stop")
    assert again.returncode == 0
    assert "No embedded graph engine was running" in again.stdout
