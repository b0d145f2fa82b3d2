"""The limits tests' fixture: a server started with small caps, over an emptied database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for
from tests.integration.limits.helpers import CAPS


@pytest.fixture(scope="module")
def capped_server(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[Api]:
    with running_api(settings_for(graph_server, tmp_path_factory.mktemp("capped"), **CAPS)) as api:
        yield api


@pytest.fixture
def capped(capped_server: Api, clean_db: Database) -> Api:
    """The capped server over an emptied database."""
    return capped_server
