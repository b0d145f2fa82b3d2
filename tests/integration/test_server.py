"""The HTTP server, run by uvicorn on loopback: /healthz and /readyz."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from graph_api.config import Settings
from graph_api.server import create_app
from tests.graph_server import GraphServer


def settings_for(server: GraphServer, tmp_path: Path) -> Settings:
    return Settings.from_env({
        "NEO4J_URI": server.uri, "NEO4J_USER": server.user,
        "NEO4J_PASSWORD": server.password or "", "NEO4J_DATABASE": server.database or "",
        "LINEAGE_DATA_DIR": str(tmp_path),
    })


@pytest.fixture
def base_url(graph_server: GraphServer, tmp_path: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(settings_for(graph_server, tmp_path)),
                            host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_healthz_and_readyz_answer_on_a_reachable_database(base_url: str) -> None:
    assert httpx.get(f"{base_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{base_url}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def test_unknown_paths_are_404(base_url: str) -> None:
    assert httpx.get(f"{base_url}/nope").status_code == 404
