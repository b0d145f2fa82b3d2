"""Fixtures of the integration tests that talk to the API over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette

from graph_api.config import Settings
from graph_api.server import create_app
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration import api as api_module
from tests.integration import mariadb_server
from tests.integration.api import Api, running_api, settings_for
from tests.integration.mariadb_server import MariaDB


@pytest.fixture(scope="session")
def api_server(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Api]:
    """One API server for the session, on the session's graph database."""
    with running_api(settings_for(graph_server, tmp_path_factory.mktemp("api"))) as api:
        yield api


@pytest.fixture
def api(api_server: Api, clean_db: Database) -> Api:
    """The session's API server over an emptied database."""
    return api_server


@pytest.fixture(scope="session")
def api_server_cypher(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
                      ) -> Iterator[Api]:
    """A second API server for the session, without a topology index: walks in Cypher."""
    settings = settings_for(graph_server, tmp_path_factory.mktemp("api-cypher"),
                            LINEAGE_TOPOLOGY_INDEX="off")
    with running_api(settings) as api:
        yield api


@pytest.fixture(scope="module")
def counted(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Api, Starlette]]:
    """A server of its own, whose app (and so its statement counter) the test can see."""
    apps: list[Starlette] = []

    def capture(settings: Settings) -> Starlette:
        apps.append(create_app(settings))
        return apps[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api_module, "create_app", capture)
        with running_api(settings_for(graph_server, tmp_path_factory.mktemp("counted"))) as api:
            yield api, apps[0]


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDB]:
    """A private MariaDB server for the test run, with a database and a user of its own;
    the tests that use it are skipped where Debian's mariadb-server is not installed."""
    reason = mariadb_server.missing()
    if reason is not None:
        pytest.skip(reason)
    server = mariadb_server.start(tmp_path_factory.mktemp("mariadb"))
    try:
        yield server
    finally:
        server.stop()
