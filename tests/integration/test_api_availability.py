"""The database going away and coming back, for real, under a running API server.

Each test starts an embedded engine of its own (in a temporary data directory), points a
server at it by NEO4J_URI, and then stops, freezes or starts that engine: the server
answers UNAVAILABLE (or TIMEOUT), `/readyz` says 503, and it serves again
when the database is back — without being restarted. A restarted engine keeps its port.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_api.config import Settings
from graph_api.embedded import USER, EmbeddedEngine, EngineInfo
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for

HEAP = "512m"
CONNECT_TIMEOUT = 1.0
QUERY_TIMEOUT = 2.0

TYPES = "{ artifactTypes { name } }"
PUT_TYPE = 'mutation { putArtifactType(input: {name: "Dataset"}) { name } }'


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[EmbeddedEngine]:
    engine = EmbeddedEngine(tmp_path / "graph", HEAP)
    try:
        yield engine
    finally:
        engine.stop()


def settings(engine: EmbeddedEngine, info: EngineInfo, tmp_path: Path) -> Settings:
    server = GraphServer("embedded", info.uri, USER, engine.password())
    return settings_for(server, tmp_path / "api",
                        LINEAGE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
                        LINEAGE_QUERY_TIMEOUT=str(QUERY_TIMEOUT))


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.2)


def frozen(pid: int) -> bool:
    """Whether every thread of process `pid` has stopped: SIGSTOP takes effect when the
    kernel next schedules each thread, which a loaded machine can put off."""
    tasks = Path(f"/proc/{pid}/task")
    return all((tasks / t / "stat").read_text().rsplit(") ", 1)[1][0] in "Tt"
               for t in os.listdir(tasks))


def ready(api: Api) -> tuple[int, Any]:
    response = api.client.get(f"{api.url}/readyz")
    return response.status_code, response.json()


def assert_unavailable(api: Api) -> None:
    """GraphQL answers UNAVAILABLE; /readyz says 503; /healthz still 200.

    No elapsed time is asserted (a loaded machine stretches any figure); a server that
    waited on the driver's own acquisition timeout (60 s) instead of the configured connect
    timeout would outlast the test client's 60 s timeout and fail here.
    """
    error = api.error(TYPES)
    assert error["extensions"]["code"] == "UNAVAILABLE"
    assert error["message"] == "the graph database is unavailable"
    assert ready(api) == (503, {"status": "unavailable", "code": "UNAVAILABLE"})
    assert api.client.get(f"{api.url}/healthz").status_code == 200


def answers(api: Api, query: str) -> bool:
    return not api.graphql(query).get("errors")


def test_the_server_starts_before_its_database_and_gets_ready_when_it_comes(
        engine: EmbeddedEngine, tmp_path: Path) -> None:
    info = engine.start(detach=False)  # a new database: no schema yet
    engine.stop()

    with running_api(settings(engine, info, tmp_path)) as api:
        assert_unavailable(api)

        again = engine.start(detach=False)
        assert again.bolt_port == info.bolt_port  # the engine kept its port

        wait_until(lambda: ready(api) == (200, {"status": "ready"}))  # schema applied
        assert api.data(PUT_TYPE) == {"putArtifactType": {"name": "Dataset"}}
        assert api.data(TYPES) == {"artifactTypes": [{"name": "Dataset"}]}


def test_the_database_going_away_answers_unavailable_and_the_server_recovers_by_itself(
        engine: EmbeddedEngine, tmp_path: Path) -> None:
    info = engine.start(detach=False)
    with running_api(settings(engine, info, tmp_path)) as api:
        assert api.data(PUT_TYPE) == {"putArtifactType": {"name": "Dataset"}}
        assert ready(api) == (200, {"status": "ready"})

        engine.stop()
        assert_unavailable(api)
        assert_unavailable(api)  # and again: nothing waits on a dead connection

        assert engine.start(detach=False).bolt_port == info.bolt_port
        wait_until(lambda: answers(api, TYPES))
        assert api.data(TYPES) == {"artifactTypes": [{"name": "Dataset"}]}
        assert ready(api) == (200, {"status": "ready"})


def test_a_database_that_stops_answering_times_out_and_recovers(
        engine: EmbeddedEngine, tmp_path: Path) -> None:
    info = engine.start(detach=False)
    with running_api(settings(engine, info, tmp_path)) as api:
        assert api.data(TYPES) == {"artifactTypes": []}

        os.kill(info.pid, signal.SIGSTOP)  # connections stay open; nothing answers
        try:
            wait_until(lambda: frozen(info.pid))
            error = api.error(TYPES)
            assert error["extensions"]["code"] == "TIMEOUT"
            assert error["message"] == (
                f"the database query ran longer than queryTimeout ({QUERY_TIMEOUT:g} s)")
            assert ready(api)[0] == 503
        finally:
            os.kill(info.pid, signal.SIGCONT)

        wait_until(lambda: answers(api, TYPES))
        assert ready(api) == (200, {"status": "ready"})
