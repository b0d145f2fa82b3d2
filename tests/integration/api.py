"""Run the API server under uvicorn on loopback, and talk GraphQL to it over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from graph_api.config import Settings
from graph_api.embedded import free_port
from graph_api.server import create_app
from tests.graph_server import GraphServer


def settings_for(server: GraphServer, data_dir: Path, **extra: str) -> Settings:
    return Settings.from_env({
        "NEO4J_URI": server.uri, "NEO4J_USER": server.user,
        "NEO4J_PASSWORD": server.password or "", "NEO4J_DATABASE": server.database or "",
        "LINEAGE_DATA_DIR": str(data_dir), **extra,
    })


@dataclass
class Api:
    """A running server: its base URL and a GraphQL client."""

    url: str
    client: httpx.Client

    def graphql(self, query: str, variables: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> dict[str, Any]:
        """POST a GraphQL request; return the whole JSON answer (data and errors)."""
        response = self.client.post(f"{self.url}/graphql", headers=headers,
                                    json={"query": query, "variables": variables or {}})
        assert response.headers["content-type"].startswith("application/json"), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a request that must succeed."""
        answer = self.graphql(query, variables)
        assert not answer.get("errors"), answer["errors"]
        data: dict[str, Any] = answer["data"]
        return data

    def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The first error of a request that must fail."""
        answer = self.graphql(query, variables)
        assert answer.get("errors"), answer
        error: dict[str, Any] = answer["errors"][0]
        return error


@contextmanager
def running_api(settings: Settings, port: int | None = None) -> Iterator[Api]:
    """The API in a thread of this process, on `port` (a free one if None: give one to
    restart a server at the same URL)."""
    port = port or free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        with httpx.Client(timeout=60) as client:
            yield Api(f"http://127.0.0.1:{port}", client)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def statements(app: Starlette) -> int:
    """How many statements the app has sent to the database so far."""
    sent: int = app.state.runtime.db.statements.sent
    return sent


def on_each_walk_path(request: pytest.FixtureRequest, clean_db: object) -> Api:
    """A module's `api` fixture, as `pytest.fixture(params=WALK_PATHS)(on_each_walk_path)`:
    its tests run against a server with the topology index and one walking in Cypher."""
    name = "api_server" if request.param == "index" else "api_server_cypher"
    server: Api = request.getfixturevalue(name)
    return server


WALK_PATHS = ["index", "cypher"]
