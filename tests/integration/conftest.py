"""Fixtures of the integration tests that talk to the API over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for


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
