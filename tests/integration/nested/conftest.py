"""The nested-read tests' fixtures: a server in this process (its statement counter is
visible) and a small pipeline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette

from graph_api.config import Settings
from graph_api.server import create_app
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration import api as api_module
from tests.integration.api import running_api, settings_for
from tests.integration.nested.helpers import Server


@pytest.fixture(scope="module")
def server_in_process(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
                      ) -> Iterator[Server]:
    """A server of our own, whose app (and so whose database handle) the test can reach."""
    apps: list[Starlette] = []

    def capture(settings: Settings) -> Starlette:
        app = create_app(settings)
        apps.append(app)
        return app

    settings = settings_for(graph_server, tmp_path_factory.mktemp("nested"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api_module, "create_app", capture)
        with running_api(settings) as api:
            patch.undo()
            yield Server(api, apps[0].state.runtime.db)


@pytest.fixture
def server(server_in_process: Server, clean_db: Database) -> Server:
    return server_in_process
