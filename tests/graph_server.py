"""The graph database the integration tests run on (design §6).

`NEO4J_URI` if set; else a Neo4j testcontainer when a Docker engine answers; else the
embedded engine. The same tests run on all three.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph_api.embedded import USER, EmbeddedEngine

NEO4J_IMAGE = "neo4j:5.26-community"


@dataclass
class GraphServer:
    kind: str
    uri: str
    user: str
    password: str | None
    database: str | None = None
    stop: Callable[[], None] = field(default=lambda: None)


def docker_answers(timeout: float = 1.0) -> bool:
    """Whether a Docker engine answers, decided quickly and quietly."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if host.startswith("unix://"):
        path = host.removeprefix("unix://")
        if not Path(path).exists():
            return False
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
            return b"200 OK" in sock.recv(64)
        except OSError:
            return False
        finally:
            sock.close()
    return True  # a remote engine: let testcontainers try it


def _from_env() -> GraphServer | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return GraphServer("neo4j (NEO4J_URI)", uri, os.environ.get("NEO4J_USER", "neo4j"),
                       os.environ.get("NEO4J_PASSWORD"), os.environ.get("NEO4J_DATABASE"))


def _testcontainer() -> GraphServer:
    from testcontainers.neo4j import Neo4jContainer

    container = Neo4jContainer(NEO4J_IMAGE)
    container.start()
    return GraphServer("neo4j (testcontainer)", container.get_connection_url(),
                       container.username, container.password, stop=container.stop)


def _embedded(data_dir: Path) -> GraphServer:
    engine = EmbeddedEngine(data_dir, heap=os.environ.get("LINEAGE_EMBEDDED_HEAP", "2g"))
    info = engine.start(detach=False)
    return GraphServer("embedded", info.uri, USER, engine.password(), stop=engine.stop)


def start_graph_server(data_dir: Path) -> GraphServer:
    return _from_env() or (_testcontainer() if docker_answers() else _embedded(data_dir))
